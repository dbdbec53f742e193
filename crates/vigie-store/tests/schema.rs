//! Migrations on an empty database, refusal of a future schema, connection settings, and
//! retention.

mod common;

use common::{meta, npm, project};
use rusqlite::Connection;
use vigie_store::{Error, SqliteStore, Store, schema};

#[test]
fn an_empty_database_is_migrated_to_the_current_version() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/dir/vigie.db");
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(
        store.stats().unwrap().schema_version,
        schema::current_version()
    );
    drop(store);
    // Checked with a plain connection, not through the store.
    let conn = Connection::open(&path).unwrap();
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, schema::MIGRATIONS.len() as i64);
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
            "components",
            "entities",
            "findings",
            "packages",
            "project_links",
            "projects",
            "relations",
            "snapshots",
            "sqlite_sequence",
            "triage"
        ]
    );
    // Opening again is a no-op.
    drop(st);
    drop(conn);
    assert!(SqliteStore::open(&path).is_ok());
}

#[test]
fn a_database_from_a_newer_vigie_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigie.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
    }
    match SqliteStore::open(&path) {
        Err(Error::FutureSchema { found: 99, known }) => {
            assert_eq!(known, schema::current_version())
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
fn inconsistent_input_is_refused_and_a_dropped_writer_rolls_back() {
    // Through the writer: a finding of another project is refused, and nothing is kept.
    let mut store = SqliteStore::in_memory().unwrap();
    let mut w = store.begin_snapshot(&meta("t")).unwrap();
    let c = npm("a", "1.0.0");
    let f = common::vuln("X", "elsewhere", &c, "low", None);
    assert!(matches!(
        w.add_project(&project("p", "f"), &[c], &[f]),
        Err(Error::Invalid(_))
    ));
    drop(w);
    assert!(
        store.snapshots().unwrap().is_empty(),
        "dropped writer rolled back"
    );
    // A project given twice is a typed error.
    let mut w = store.begin_snapshot(&meta("t")).unwrap();
    w.add_project(&project("p", "f"), &[], &[]).unwrap();
    assert!(matches!(
        w.add_project(&project("p", "f"), &[], &[]),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn retention_keeps_the_last_snapshots_and_drops_unused_packages() {
    let mut store = SqliteStore::in_memory().unwrap();
    // Snapshot i holds lodash 4.17.i and the shared express 4.18.2: 5 snapshots, 6 packages.
    for i in 0..5 {
        let mut w = store
            .begin_snapshot(&meta(&format!("2026-11-0{}T00:00:00Z", i + 1)))
            .unwrap();
        w.add_project(
            &project("shop", "package-lock.json"),
            &[
                npm("lodash", &format!("4.17.{i}")),
                npm("express", "4.18.2"),
            ],
            &[common::vuln(
                "G",
                "shop",
                &npm("express", "4.18.2"),
                "low",
                None,
            )],
        )
        .unwrap();
        w.commit().unwrap();
    }
    assert_eq!(store.stats().unwrap().packages, 6);
    let pruned = store.retain(2).unwrap();
    // Snapshots 1..=3 go; lodash 4.17.0, .1, .2 were only theirs.
    assert_eq!((pruned.snapshots, pruned.packages), (3, 3));
    let ids: Vec<i64> = store.snapshots().unwrap().iter().map(|s| s.id).collect();
    assert_eq!(ids, [4, 5]);
    let stats = store.stats().unwrap();
    assert_eq!(
        (stats.packages, stats.components, stats.findings),
        (3, 4, 2)
    );
    // Retention rebuilt the who-uses index (3 of 5 projects went): it still answers.
    let q = vigie_store::PackageQuery::parse("lodash").unwrap();
    let uses = store.who_uses(5, &q).unwrap();
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0].purl, "pkg:npm/lodash@4.17.4");
    assert_eq!(
        store.who_uses(4, &q).unwrap()[0].purl,
        "pkg:npm/lodash@4.17.3"
    );
    // Keeping more than there are deletes nothing; a new snapshot gets a fresh id.
    assert_eq!(store.retain(10).unwrap().snapshots, 0);
    let w = store.begin_snapshot(&meta("later")).unwrap();
    assert_eq!(w.commit().unwrap(), 6);
    assert_eq!(store.latest().unwrap(), 6);
    assert_eq!(store.retain(0).unwrap().snapshots, 3);
    assert!(matches!(store.latest(), Err(Error::Empty)));
    assert_eq!(store.stats().unwrap().packages, 0);
    let w = store.begin_snapshot(&meta("even later")).unwrap();
    assert_eq!(w.commit().unwrap(), 7, "ids are never reused");
}
