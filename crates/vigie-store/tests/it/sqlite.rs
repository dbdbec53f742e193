//! What only the SQLite backend has: its schema version in the file (`PRAGMA user_version`),
//! WAL, its tables, refusal of a future schema untouched, and the snapshot directory rows
//! (deleted with their snapshot, damaged, or missing and rebuilt from the projects).

use std::path::Path;

use rusqlite::Connection;
use vigie_store::{Error, Location, Mode, PackageQuery, Store};

use crate::common::SQLITE_FILE;

/// The SQLite store at `path`, opened to write.
fn open(path: &Path) -> vigie_store::Result<Box<dyn Store>> {
    vigie_store::open(&Location::from(path), Mode::ReadWrite)
}

/// The schema version this vigie writes (a fresh store's).
fn current_version() -> i64 {
    let store = vigie_store::open(&Location::Memory, Mode::ReadWrite).unwrap();
    store.stats().unwrap().schema_version
}

#[test]
fn an_empty_database_is_migrated_to_the_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/vigie.db");
    let store = open(&path).unwrap();
    assert_eq!(store.stats().unwrap().schema_version, current_version());
    drop(store);
    // Checked with a plain connection, not through the store.
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, current_version());
    let mode: String = conn
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let mut st = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        .unwrap();
    let tables: Vec<String> = st
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        tables,
        [
            "api_tokens",
            "audit_log",
            "entities",
            "finding_sets",
            "findings",
            "jobs",
            "lists",
            "packages",
            "postings",
            "project_keys",
            "project_links",
            "projects",
            "relations",
            "sessions",
            "snapshot_directory",
            "snapshots",
            "sqlite_sequence",
            "store_meta",
            "triage",
            "users"
        ]
    );
    // Opening again is a no-op.
    drop(st);
    drop(conn);
    assert!(open(&path).is_ok());
}

#[test]
fn a_database_from_a_newer_vigie_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigie.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    match open(&path) {
        Err(Error::FutureSchema { found: 99, known }) => {
            assert_eq!(known, current_version())
        }
        Err(e) => panic!("unexpected error {e}"),
        Ok(_) => panic!("a future schema was opened"),
    }
    let conn = Connection::open(&path).unwrap();
    let tables: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))
        .unwrap();
    assert_eq!(tables, 0, "nothing was created");
}

#[test]
fn the_directory_goes_with_its_snapshot_and_is_rebuilt_when_missing() {
    // A damaged directory is an error that says so, never a panic nor a wrong answer; a
    // missing one is rebuilt from the projects, giving the same answer.
    let mut store = SQLITE_FILE.fresh();
    let want = crate::who_uses::bulk_estate(&mut *store);
    let q = PackageQuery::parse("common").unwrap();
    let stored = store.who_uses(2, &q).unwrap();
    assert_eq!(crate::who_uses::pairs(&stored), want);
    assert_eq!(store.retain(1).unwrap().snapshots, 1);
    let Location::Path(db) = store.location.clone() else {
        panic!("a file store")
    };
    let _scratch = store.scratch;
    drop(store.store);

    let conn = Connection::open(&db).unwrap();
    let directories: i64 = conn
        .query_row("SELECT count(*) FROM snapshot_directory", [], |r| r.get(0))
        .unwrap();
    assert_eq!(directories, 1, "the directory goes with its snapshot");
    conn.execute("UPDATE snapshot_directory SET data = x'01ff'", [])
        .unwrap();
    let store = vigie_store::open(&Location::from(db.as_path()), Mode::ReadOnly).unwrap();
    match store.who_uses(2, &q) {
        Err(Error::Corrupt(m)) => assert!(m.contains("snapshot directory"), "{m}"),
        other => panic!("a damaged directory gave {other:?}"),
    }
    drop(store);
    conn.execute("DELETE FROM snapshot_directory", []).unwrap();
    drop(conn);
    let store = open(&db).unwrap();
    assert_eq!(
        store.who_uses(2, &q).unwrap(),
        stored,
        "rebuilt from projects"
    );
}

/// The audit log's counts: by actor, by action, by family (a prefix ending in a dot, compared
/// as text: `_` and `%` are no wildcards).
#[test]
fn the_audit_log_counts_by_actor_action_and_family() {
    use vigie_store::AuditEntry;
    let dir = tempfile::tempdir().unwrap();
    let mut store = open(&dir.path().join("vigie.db")).unwrap();
    let entries = [
        ("cli", "token.create"),
        ("cli", "token.revoke"),
        ("admin", "token.create"),
        ("admin", "user.create"),
        ("admin", "tokenXcreate"),
        ("admin", "tok_n.create"),
    ];
    for (actor, action) in entries {
        store
            .append_audit(&AuditEntry {
                at: "2026-01-01T00:00:00Z".into(),
                actor: actor.into(),
                action: action.into(),
                target: String::new(),
                ip: None,
                detail: None,
            })
            .unwrap();
    }
    let count = |actor: Option<&str>, action: Option<&str>| {
        let want = entries
            .iter()
            .filter(|(a, x)| {
                actor.is_none_or(|w| w == *a)
                    && action.is_none_or(|w| match w.strip_suffix('.') {
                        Some(_) => x.starts_with(w),
                        None => w == *x,
                    })
            })
            .count() as u64;
        assert_eq!(
            store.audit_count(actor, action).unwrap(),
            want,
            "{actor:?} {action:?}"
        );
        want
    };
    assert_eq!(count(None, None), 6);
    assert_eq!(count(None, Some("token.")), 3);
    assert_eq!(count(Some("admin"), Some("token.")), 1);
    assert_eq!(count(Some("cli"), Some("token.revoke")), 1);
    assert_eq!(count(None, Some("tok_n.")), 1);
    assert_eq!(count(Some("nobody"), None), 0);
}

/// The audit log refuses updates and deletes in the database itself, not only in the API.
#[test]
fn the_audit_log_is_append_only_in_the_database() {
    use vigie_store::AuditEntry;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigie.db");
    let mut store = open(&path).unwrap();
    store
        .append_audit(&AuditEntry {
            at: "2026-01-01T00:00:00Z".into(),
            actor: "cli".into(),
            action: "token.create".into(),
            target: "p".into(),
            ip: None,
            detail: None,
        })
        .unwrap();
    drop(store);
    let conn = Connection::open(&path).unwrap();
    for sql in [
        "UPDATE audit_log SET actor = 'mallory'",
        "DELETE FROM audit_log",
    ] {
        let e = conn.execute(sql, []).unwrap_err();
        assert!(e.to_string().contains("append-only"), "{sql}: {e}");
    }
}

/// Issue 19, defect 7: opened to read, an empty file or a SQLite database without vigie's
/// schema is no store, and is left exactly as it was (no schema written, no log beside it).
#[test]
fn opened_to_read_an_empty_or_foreign_file_is_no_store_and_stays_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(
        vigie_store::open(&Location::from(empty.as_path()), Mode::ReadOnly),
        Err(Error::Empty)
    ));
    assert_eq!(std::fs::metadata(&empty).unwrap().len(), 0);

    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = std::fs::read(&foreign).unwrap();
    assert!(matches!(
        vigie_store::open(&Location::from(foreign.as_path()), Mode::ReadOnly),
        Err(Error::Empty)
    ));
    assert_eq!(std::fs::read(&foreign).unwrap(), before);
    let mut names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["empty.db", "foreign.db"]);
}
