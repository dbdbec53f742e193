//! The SQLite schema and its migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`; [`MIGRATIONS`]`[i]` takes a database
//! from version `i` to `i + 1`, each in its own transaction. A database whose version is
//! higher than `MIGRATIONS.len()` was written by a newer vigie and is refused, never touched.
//! Connections run in WAL mode with foreign keys on.
//!
//! # Tables (version 5)
//!
//! - `snapshots(id PK AUTOINCREMENT, taken_at, tool_version, roots JSON, label)`: one row per
//!   committed scan; ids are never reused, even after retention deleted every snapshot.
//! - `projects(id PK, snapshot_id → snapshots ON DELETE CASCADE, path, name, files JSON)`,
//!   `UNIQUE(snapshot_id, path)`.
//! - `packages(id PK, purl UNIQUE, ecosystem, name, version, norm_name, short_name)`: each
//!   distinct package once for the whole store. `norm_name` is
//!   `vigie_versions::normalize_name(ecosystem, name)`; `short_name` is the artifact of a Maven
//!   `group:artifact` (else `norm_name`), so `log4j-core` finds `org.apache.logging.log4j:log4j-core`.
//! - `components(project_id, seq, package_id, ...)` (version 1 only): one row per component.
//!   Version 2 moved them into `lists` and dropped the table.
//! - `finding_sets(id PK, hash UNIQUE, count, known_exploited)` (version 8): a project's
//!   findings stored once per distinct content (`hash`: SHA-256 of them in key order; format
//!   in `finding_sets.rs`), shared by every project row whose findings are the same, across
//!   snapshots; `projects.finding_set → finding_sets` (NULL: no finding), indexed by
//!   `(finding_set, snapshot_id)`.
//! - `findings(set_id → finding_sets ON DELETE CASCADE, key, family, id, aliases JSON, rating,
//!   purl, title, fixed, known_exploited, json)`, `UNIQUE(key, set_id)`, indexed by `set_id`
//!   and by `(id COLLATE NOCASE, aliases)` ("are we hit?"). Before version 8 a row per
//!   snapshot (`snapshot_id`, `project_id`); migration 8 moved them into sets.
//! - `entities(snapshot_id → snapshots ON DELETE CASCADE, seq, entity_ref, kind, name, title,
//!   owners JSON, system, criticality, internet_exposed, personal_data, repositories JSON,
//!   json)`, `UNIQUE(snapshot_id, entity_ref)`.
//! - `relations(snapshot_id → snapshots ON DELETE CASCADE, seq, source, relation, target)`.
//! - `project_links(project_id → projects ON DELETE CASCADE, entity_ref)`: which catalog
//!   element holds a project's code, computed at commit from the entities' `repositories`
//!   (see `writer.rs`).
//! - `lists(id PK, hash, count, data BLOB)`, indexed by `hash` and by `(id, count)` (counts
//!   read without the blobs' pages): a project's components as one
//!   blob (format in `lists.rs`), stored once per distinct content and shared by every project
//!   row with the same components, across snapshots. `count` is the number of components.
//! - `projects.list_id → lists` (version 2), indexed by `(list_id, snapshot_id)`: the
//!   project's component list; `projects.licence_categories` (JSON, NULL when the licence
//!   check did not run): components per licence category; `projects.file_components` (JSON,
//!   version 7, NULL when unknown): how many components each of `files` gave;
//!   `projects.fingerprint` and `projects.uncovered` (JSON) (version 9, NULL when unknown):
//!   what the project was read from, hashed, and its components not checked per ecosystem. (Version 2 also indexed
//!   `(snapshot_id, list_id, path, name)`; version 3 replaced it by the directory.)
//! - `snapshot_directory(snapshot_id PK → snapshots ON DELETE CASCADE, data BLOB)` (version
//!   3): the snapshot's projects that have components, with their list, by path, as one blob
//!   (format in `directory.rs`): who-uses of a package in thousands of projects reads it
//!   instead of a row per project. Derived from `projects` when the snapshot is committed or
//!   imported.
//! - `postings(package_id, first_list, data BLOB)`, `PRIMARY KEY(package_id, first_list)`
//!   WITHOUT ROWID: the who-uses index, per package the lists holding it (format in
//!   `lists.rs`), one row per package and per batch of new lists.
//! - `store_meta(key PK, value)`: `dead_postings`, the posting entries of deleted lists not yet
//!   rebuilt away.
//! - `triage(id PK, finding_key, state, justification, until, reason, by_whom, at)`: an
//!   append-only history, keyed by finding key and independent of snapshots (retention never
//!   touches it). The latest row of a key is its current decision.
//!
//! - `users(id PK, name UNIQUE, password_hash, role, disabled, issuer, subject, created_at,
//!   last_login)`, `UNIQUE(issuer, subject)` (version 4): local users (an Argon2id PHC
//!   string) and, later, external identities (OpenID Connect issuer and subject).
//! - `sessions(id_hash PK, user_id → users ON DELETE CASCADE, csrf, created_at, expires_at)`
//!   WITHOUT ROWID (version 4): the SHA-256 of each session id, never the id.
//! - `api_tokens(id PK, prefix UNIQUE, hash, name, scopes JSON, created_by, created_at,
//!   expires_at, last_used, revoked_at)` (version 4): the SHA-256 of each secret, never
//!   the secret.
//! - `audit_log(id PK AUTOINCREMENT, at, actor, action, target, ip, detail)` (version 4):
//!   append-only, enforced by triggers that abort any `UPDATE` or `DELETE`.
//! - `project_keys(project_id PK → projects ON DELETE CASCADE, key, since)` (version 5): the
//!   idempotency key of a pushed project (its commit, else its content hash) and the snapshot
//!   that first stored it; copied forward with the project (`ingest.rs`).
//! - `jobs(name PK, due_at, holder, lease_until)` WITHOUT ROWID (version 10): servers'
//!   scheduled jobs, each taken by one holder at a time under a lease.
//! - index `findings_advisory(snapshot_id, id COLLATE NOCASE, aliases)` (version 6): who is
//!   hit by an advisory (an id or an alias) is read from it, not from the finding rows.
//!
//! # Invariants
//!
//! - A snapshot is written in one transaction: it is there whole or not at all.
//! - A list's content never changes once written; a list lives while a project row refers to
//!   it (retention deletes the others).
//! - Every package of a live list has postings that name that list. Postings may also name
//!   deleted lists (readers join with live projects); retention rebuilds them all when those
//!   dead entries outnumber half the live components, so they stay bounded.
//! - A package without postings is referenced by no live list: retention deletes it.
//! - Finding keys are unique within a snapshot; a project path is unique within a snapshot.
//! - A snapshot's directory, when present, names exactly its projects that have a list
//!   (readers build it from `projects` when it is missing).

use crate::sqlite::Db;
use rusqlite::Connection;

use crate::{Error, Result};

/// One migration: SQL, then (for data that SQL cannot convert) code, in one transaction.
pub(crate) struct Migration {
    pub(crate) sql: &'static str,
    pub(crate) code: Option<fn(&Connection) -> Result<()>>,
}

/// The migrations, in order: `MIGRATIONS[i]` takes version `i` to `i + 1`.
pub(crate) const MIGRATIONS: &[Migration] = &[
    Migration {
        sql: V1,
        code: None,
    },
    Migration {
        sql: V2,
        code: Some(v2_lists),
    },
    Migration {
        sql: V3,
        code: Some(v3_directories),
    },
    Migration {
        sql: V4,
        code: None,
    },
    Migration {
        sql: V5,
        code: None,
    },
    Migration {
        sql: V6,
        code: None,
    },
    Migration {
        sql: V7,
        code: None,
    },
    Migration {
        sql: V8,
        code: Some(super::finding_sets::v8_migrate),
    },
    Migration {
        sql: V9,
        code: None,
    },
    Migration {
        sql: V10,
        code: None,
    },
];

/// The schema version this vigie writes.
pub(crate) fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

const V1: &str = "
CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    taken_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    roots TEXT NOT NULL,
    label TEXT
);
CREATE TABLE projects (
    id INTEGER PRIMARY KEY,
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    files TEXT NOT NULL,
    UNIQUE (snapshot_id, path)
);
CREATE INDEX projects_name ON projects(name);
CREATE TABLE packages (
    id INTEGER PRIMARY KEY,
    purl TEXT NOT NULL UNIQUE,
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    version TEXT,
    norm_name TEXT NOT NULL,
    short_name TEXT NOT NULL
);
CREATE INDEX packages_norm_name ON packages(norm_name);
CREATE INDEX packages_short_name ON packages(short_name);
CREATE TABLE components (
    project_id INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    package_id INTEGER NOT NULL,
    scope INTEGER NOT NULL,
    relation INTEGER NOT NULL,
    licence TEXT,
    line INTEGER,
    note TEXT,
    identity TEXT,
    PRIMARY KEY (project_id, seq)
) WITHOUT ROWID;
CREATE INDEX components_package ON components(package_id, scope, relation);
CREATE TABLE findings (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    family TEXT NOT NULL,
    id TEXT NOT NULL,
    aliases TEXT NOT NULL,
    rating TEXT NOT NULL,
    purl TEXT,
    title TEXT NOT NULL,
    fixed TEXT,
    known_exploited INTEGER NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, key)
);
CREATE INDEX findings_project ON findings(project_id);
CREATE TABLE entities (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    entity_ref TEXT NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    title TEXT,
    owners TEXT NOT NULL,
    system TEXT,
    criticality INTEGER,
    internet_exposed INTEGER,
    personal_data INTEGER NOT NULL,
    repositories TEXT NOT NULL,
    json TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, seq),
    UNIQUE (snapshot_id, entity_ref)
);
CREATE TABLE relations (
    snapshot_id INTEGER NOT NULL REFERENCES snapshots(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    source TEXT NOT NULL,
    relation TEXT NOT NULL,
    target TEXT NOT NULL,
    PRIMARY KEY (snapshot_id, seq)
);
CREATE TABLE project_links (
    project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    entity_ref TEXT NOT NULL,
    PRIMARY KEY (project_id, entity_ref)
) WITHOUT ROWID;
CREATE TABLE triage (
    id INTEGER PRIMARY KEY,
    finding_key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN
        ('in_triage', 'exploitable', 'not_affected', 'false_positive', 'accepted_risk')),
    justification TEXT,
    until TEXT,
    reason TEXT NOT NULL,
    by_whom TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE INDEX triage_key ON triage(finding_key, id);
";

const V2: &str = "
CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL,
    count INTEGER NOT NULL,
    data BLOB NOT NULL
);
CREATE INDEX lists_hash ON lists(hash);
CREATE INDEX lists_count ON lists(id, count);
ALTER TABLE projects ADD COLUMN list_id INTEGER REFERENCES lists(id);
ALTER TABLE projects ADD COLUMN licence_categories TEXT;
CREATE INDEX projects_list ON projects(list_id, snapshot_id);
CREATE INDEX projects_snapshot_list ON projects(snapshot_id, list_id, path, name);
CREATE TABLE postings (
    package_id INTEGER NOT NULL,
    first_list INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (package_id, first_list)
) WITHOUT ROWID;
CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO store_meta(key, value) VALUES ('dead_postings', 0);
";

const V3: &str = "
DROP INDEX projects_snapshot_list;
CREATE TABLE snapshot_directory (
    snapshot_id INTEGER PRIMARY KEY REFERENCES snapshots(id) ON DELETE CASCADE,
    data BLOB NOT NULL
);
";

/// Version 4: who may use vigie (`access.rs`). Times are RFC 3339 UTC text; secrets are
/// never stored, only their hashes. The audit log refuses updates and deletes.
/// "Are we hit by this advisory?" looks for an id among every finding's id and aliases: this
/// index holds both, so the search reads the index, a few MB, instead of every finding row.
/// Version 7: how many components each file of a project gave (`vigie reaudit` places each
/// finding in its file without reading the files again); NULL for older projects.
const V7: &str = "
ALTER TABLE projects ADD COLUMN file_components TEXT;
";

/// Version 9: what a project was read from, hashed (a rescan carries the projects whose
/// fingerprint it sees again without reading them), and its components not checked per
/// ecosystem; NULL for older projects (always read again).
const V9: &str = "
ALTER TABLE projects ADD COLUMN fingerprint TEXT;
ALTER TABLE projects ADD COLUMN uncovered TEXT;
";

/// Version 10: the scheduled jobs of servers on this store (`Store::claim_job`): when each
/// is next due, and who holds it until when.
const V10: &str = "
CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    due_at TEXT NOT NULL,
    holder TEXT,
    lease_until TEXT
) WITHOUT ROWID;
";

/// Version 8: findings stored once per distinct content of a project's findings, a *set*
/// shared by every project row that has it (`finding_sets.rs`), instead of once per snapshot:
/// an unchanged rescan or re-audit stores no finding. The old table's rows are moved by code.
const V8: &str = "
ALTER TABLE findings RENAME TO findings_v7;
DROP INDEX findings_project;
DROP INDEX findings_advisory;
CREATE TABLE finding_sets (
    id INTEGER PRIMARY KEY,
    hash BLOB NOT NULL UNIQUE,
    count INTEGER NOT NULL,
    known_exploited INTEGER NOT NULL
);
CREATE TABLE findings (
    set_id INTEGER NOT NULL REFERENCES finding_sets(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    family TEXT NOT NULL,
    id TEXT NOT NULL,
    aliases TEXT NOT NULL,
    rating TEXT NOT NULL,
    purl TEXT,
    title TEXT NOT NULL,
    fixed TEXT,
    known_exploited INTEGER NOT NULL,
    json TEXT NOT NULL,
    UNIQUE (key, set_id)
);
CREATE INDEX findings_set ON findings(set_id);
CREATE INDEX findings_advisory ON findings(id COLLATE NOCASE, aliases);
ALTER TABLE projects ADD COLUMN finding_set INTEGER REFERENCES finding_sets(id);
CREATE INDEX projects_finding_set ON projects(finding_set, snapshot_id);
";

const V6: &str = "
CREATE INDEX findings_advisory ON findings(snapshot_id, id COLLATE NOCASE, aliases);
";

const V5: &str = "
CREATE TABLE project_keys (
    project_id INTEGER PRIMARY KEY REFERENCES projects(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    since INTEGER NOT NULL
);
";

const V4: &str = "
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    password_hash TEXT,
    role TEXT NOT NULL,
    disabled INTEGER NOT NULL DEFAULT 0,
    issuer TEXT,
    subject TEXT,
    created_at TEXT NOT NULL,
    last_login TEXT,
    UNIQUE(issuer, subject)
);
CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX sessions_expiry ON sessions(expires_at);
CREATE INDEX sessions_user ON sessions(user_id);
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    prefix TEXT NOT NULL UNIQUE,
    hash TEXT NOT NULL,
    name TEXT NOT NULL,
    scopes TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT,
    last_used TEXT,
    revoked_at TEXT
);
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    ip TEXT,
    detail TEXT
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
";

/// Version 3's data step: the directory of every snapshot.
fn v3_directories(tx: &Connection) -> Result<()> {
    let snapshots: Vec<i64> = tx
        .prepare("SELECT id FROM snapshots ORDER BY id")
        .db()?
        .query_map([], |r| r.get(0))
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    for id in snapshots {
        super::store_directory(tx, id)?;
    }
    Ok(())
}

/// Version 2's data step: every project's component rows become its list, then the rows go.
fn v2_lists(tx: &Connection) -> Result<()> {
    let mut lists = super::lists::ListWriter::default();
    let mut blob = Vec::new();
    let projects: Vec<i64> = tx
        .prepare("SELECT id FROM projects ORDER BY id")
        .db()?
        .query_map([], |r| r.get(0))
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    let mut st = tx
        .prepare(
            "SELECT package_id, scope, relation, line, licence, note, identity FROM components
         WHERE project_id = ?1 ORDER BY seq",
        )
        .db()?;
    for id in projects {
        let rows = st
            .query_map([id], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, i64>(2)?,
                    r.get::<_, Option<u32>>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        crate::lists::begin(&mut blob);
        let mut pairs = Vec::with_capacity(rows.len());
        for (package, scope, relation, line, licence, note, identity) in &rows {
            let e = crate::lists::Entry {
                package: *package,
                scope: u8::try_from(*scope).unwrap_or(4),
                relation: u8::try_from(*relation).unwrap_or(2),
                line: *line,
                licence: licence.as_deref(),
                note: note.as_deref(),
                identity: identity.as_deref(),
            };
            pairs.push((e.package, e.how()));
            crate::lists::push(&mut blob, &e);
        }
        let list = lists.store(tx, &blob, pairs.into_iter(), rows.len())?;
        tx.execute(
            "UPDATE projects SET list_id = ?1 WHERE id = ?2",
            rusqlite::params![list, id],
        )
        .db()?;
    }
    lists.finish(tx)?;
    tx.execute_batch("DROP TABLE components;").db()?;
    Ok(())
}

/// The page cache of a writable connection, in KiB as SQLite counts a negative
/// `cache_size`: large enough that a snapshot's index pages (projects, findings, packages)
/// stay in memory while it is written.
const CACHE_KIB: i64 = -131_072;

/// The page cache of a read-only connection: reads find the file's pages in the operating
/// system's cache, shared by every connection, so a server's dozen readers do not each keep
/// their own copy of the store (128 MiB each, 17 GiB at 64 concurrent requests before).
const READ_ONLY_CACHE_KIB: i64 = -4_096;

/// The settings every connection takes, reader or writer (its own, nothing written to the
/// file): a busy timeout, the page cache and in-memory temporary tables.
pub(crate) fn prepare_reader(conn: &Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10)).db()?;
    let cache = if conn.is_readonly(rusqlite::MAIN_DB).db()? {
        READ_ONLY_CACHE_KIB
    } else {
        CACHE_KIB
    };
    conn.pragma_update(None, "cache_size", cache).db()?;
    // Statement journals (one per insert that could fail half-way) stay in memory.
    conn.pragma_update(None, "temp_store", "MEMORY").db()?;
    Ok(())
}

/// The schema version of the file, refused when a newer vigie wrote it.
pub(crate) fn stored_version(conn: &Connection) -> Result<i64> {
    let found: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .db()?;
    let known = current_version();
    if found > known {
        return Err(Error::FutureSchema { found, known });
    }
    Ok(found)
}

/// Sets the connection up (WAL, foreign keys) and brings the schema to [`current_version`].
pub(crate) fn prepare(conn: &mut Connection) -> Result<()> {
    prepare_reader(conn)?;
    conn.pragma_update(None, "foreign_keys", true).db()?;
    let found = stored_version(conn)?;
    // WAL survives in the file; `synchronous = NORMAL` is safe with WAL: a crash can lose the
    // last commits on power loss, never consistency.
    let _mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))
        .db()?;
    conn.pragma_update(None, "synchronous", "NORMAL").db()?;
    // After a checkpoint, the write-ahead log of a big snapshot shrinks back to this size.
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)
        .db()?;
    for (i, m) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction().db()?;
        tx.execute_batch(m.sql).db()?;
        if let Some(code) = m.code {
            code(&tx)?;
        }
        tx.pragma_update(None, "user_version", i as i64 + 1).db()?;
        tx.commit().db()?;
    }
    Ok(())
}
