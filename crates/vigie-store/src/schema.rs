//! The SQLite schema and its migrations.
//!
//! The schema version is SQLite's `PRAGMA user_version`; [`MIGRATIONS`]`[i]` takes a database
//! from version `i` to `i + 1`, each in its own transaction. A database whose version is
//! higher than `MIGRATIONS.len()` was written by a newer vigie and is refused, never touched.
//! Connections run in WAL mode with foreign keys on.
//!
//! # Tables (version 1)
//!
//! - `snapshots(id PK AUTOINCREMENT, taken_at, tool_version, roots JSON, label)`: one row per
//!   committed scan; ids are never reused, even after retention deleted every snapshot.
//! - `projects(id PK, snapshot_id → snapshots ON DELETE CASCADE, path, name, files JSON)`,
//!   `UNIQUE(snapshot_id, path)`.
//! - `packages(id PK, purl UNIQUE, ecosystem, name, version, norm_name, short_name)`: each
//!   distinct package once for the whole store. `norm_name` is
//!   `vigie_versions::normalize_name(ecosystem, name)`; `short_name` is the artifact of a Maven
//!   `group:artifact` (else `norm_name`), so `log4j-core` finds `org.apache.logging.log4j:log4j-core`.
//! - `components(project_id → projects, seq, package_id → packages, scope,
//!   relation, licence, line, note, identity)`, `PRIMARY KEY(project_id, seq)` WITHOUT ROWID,
//!   indexed by `(package_id, scope, relation)` (covering who-uses): one row per component of a project, `seq` its position in the
//!   input. Scope and relation are small integers (`scope_code`, `relation_code` in
//!   `sqlite.rs`). `identity` is NULL when the component's ecosystem, name and version are the
//!   package's; else the JSON `[ecosystem, name, version]` the reader gave (a purl is one package,
//!   but `Django` and `django` share it), so nothing is lost.
//! - `findings(snapshot_id → snapshots ON DELETE CASCADE, key, project_id → projects, family,
//!   id, aliases JSON, rating, purl, title, fixed, known_exploited, json)`,
//!   `PRIMARY KEY(snapshot_id, key)`.
//! - `entities(snapshot_id → snapshots ON DELETE CASCADE, seq, entity_ref, kind, name, title,
//!   owners JSON, system, criticality, internet_exposed, personal_data, repositories JSON,
//!   json)`, `UNIQUE(snapshot_id, entity_ref)`.
//! - `relations(snapshot_id → snapshots ON DELETE CASCADE, seq, source, relation, target)`.
//! - `project_links(project_id → projects ON DELETE CASCADE, entity_ref)`: which catalog
//!   element holds a project's code, computed at commit from the entities' `repositories`
//!   (see `writer.rs`).
//! - `triage(id PK, finding_key, state, justification, until, reason, by_whom, at)`: an
//!   append-only history, keyed by finding key and independent of snapshots (retention never
//!   touches it). The latest row of a key is its current decision.
//!
//! # Invariants
//!
//! - A snapshot is written in one transaction: it is there whole or not at all.
//! - `components` has no declared foreign keys (checking them would cost two lookups per
//!   inserted row): the writer only inserts rows of the project it just created and of
//!   packages it looked up, and retention deletes a snapshot's components before the snapshot.
//! - Every `packages` row is referenced by at least one component once retention has run.
//! - Finding keys are unique within a snapshot; a project path is unique within a snapshot.

use rusqlite::Connection;

use crate::{Error, Result};

/// The migrations, in order: `MIGRATIONS[i]` takes version `i` to `i + 1`.
pub const MIGRATIONS: &[&str] = &[V1];

/// The schema version this vigie writes.
pub fn current_version() -> i64 {
    MIGRATIONS.len() as i64
}

macro_rules! components_package_index {
    () => {
        "CREATE INDEX components_package ON components(package_id, scope, relation);"
    };
}

/// The who-uses index; retention drops and rebuilds it when it deletes a large share of the
/// components (one sort instead of millions of random deletions).
pub(crate) const COMPONENTS_PACKAGE_INDEX: &str = components_package_index!();

const V1: &str = concat!(
    "
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
",
    components_package_index!(),
    "CREATE TABLE findings (
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
"
);

/// The page cache, in KiB as SQLite counts a negative `cache_size`: large enough that the
/// index pages a snapshot's inserts touch stay in memory (the default 2 MiB makes every
/// random insert into `components_package` a read and a spill).
const CACHE_KIB: i64 = -131_072;

/// Sets the connection up (WAL, foreign keys) and brings the schema to [`current_version`].
pub fn prepare(conn: &mut Connection) -> Result<()> {
    conn.busy_timeout(std::time::Duration::from_secs(10))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let known = current_version();
    if found > known {
        return Err(Error::FutureSchema { found, known });
    }
    // WAL survives in the file; `synchronous = NORMAL` is safe with WAL: a crash can lose the
    // last commits on power loss, never consistency.
    let _mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0))?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // After a checkpoint, the write-ahead log of a big snapshot shrinks back to this size.
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)?;
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    // Statement journals (one per insert that could fail half-way) stay in memory.
    conn.pragma_update(None, "temp_store", "MEMORY")?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found.max(0) as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
        tx.commit()?;
    }
    Ok(())
}
