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
            "entities",
            "findings",
            "lists",
            "packages",
            "postings",
            "project_links",
            "projects",
            "relations",
            "snapshot_directory",
            "snapshots",
            "sqlite_sequence",
            "store_meta",
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
    // Two distinct component lists remain: snapshots 4 and 5 differ by lodash.
    assert_eq!(stats.component_lists, 2);
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

#[test]
fn a_version_1_database_is_migrated_with_its_components() {
    // A version-1 store written by hand, row by row, as vigie 0.1 wrote it: project "shop"
    // with lodash (runtime, direct, line 7, licence MIT) and a reader spelling of Django
    // (dev, transitive, a note); project "blog" with lodash only, the same way.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(schema::MIGRATIONS[0].sql).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute_batch(
            r#"
            INSERT INTO snapshots(id, taken_at, tool_version, roots) VALUES (1, 't', '0.1', '[]');
            INSERT INTO projects(id, snapshot_id, path, name, files)
              VALUES (10, 1, 'shop', 'shop', '[]'), (11, 1, 'blog', 'blog', '[]');
            INSERT INTO packages(id, purl, ecosystem, name, version, norm_name, short_name)
              VALUES (1, 'pkg:npm/lodash@4.17.21', 'npm', 'lodash', '4.17.21', 'lodash', 'lodash'),
                     (2, 'pkg:pypi/django@4.2', 'PyPI', 'django', '4.2', 'django', 'django');
            INSERT INTO components(project_id, seq, package_id, scope, relation, licence, line,
                                   note, identity)
              VALUES (10, 0, 1, 0, 0, 'MIT', 7, NULL, NULL),
                     (10, 1, 2, 1, 1, NULL, NULL, 'from a constraint', '["PyPI","Django","4.2"]'),
                     (11, 0, 1, 0, 0, 'MIT', 7, NULL, NULL);
            "#,
        )
        .unwrap();
    }
    // Opened to read only, it is migrated first.
    let store = SqliteStore::open_read_only(&path).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.schema_version, schema::current_version());
    assert_eq!((stats.components, stats.packages), (3, 2));
    let shown = store.show(1, "shop").unwrap();
    let vigie_store::Shown::Project(p) = &shown[0] else {
        panic!("shop is a project")
    };
    let c = &p.data.components;
    assert_eq!(c.len(), 2);
    assert_eq!(
        (c[0].purl.as_str(), c[0].licence.as_deref(), c[0].line),
        ("pkg:npm/lodash@4.17.21", Some("MIT"), Some(7))
    );
    assert_eq!(
        (c[1].name.as_str(), c[1].note.as_deref()),
        ("Django", Some("from a constraint"))
    );
    assert_eq!(c[1].scope, vigie_model::Scope::Dev);
    assert_eq!(c[1].relation, vigie_model::Relation::Transitive);
    let q = vigie_store::PackageQuery::parse("lodash").unwrap();
    let paths: Vec<String> = store
        .who_uses(1, &q)
        .unwrap()
        .into_iter()
        .map(|u| u.project_path)
        .collect();
    assert_eq!(paths, ["blog", "shop"]);
    drop(store);
    // Migration 3 wrote the snapshot's directory.
    let conn = Connection::open(&path).unwrap();
    let (snapshot, size): (i64, i64) = conn
        .query_row(
            "SELECT snapshot_id, length(data) FROM snapshot_directory",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(snapshot, 1);
    assert!(size > "shopblog".len() as i64, "{size} bytes");
}

#[test]
fn unchanged_projects_share_one_list_and_old_lists_stay_out_of_who_uses() {
    let mut store = SqliteStore::in_memory().unwrap();
    // Ten snapshots of two projects: "api" never changes, "web" bumps react every time.
    for i in 0..10 {
        let mut w = store.begin_snapshot(&meta(&format!("t{i}"))).unwrap();
        w.add_project(
            &project("api", "package-lock.json"),
            &[npm("express", "4.18.2"), npm("react", "18.0.0")],
            &[],
        )
        .unwrap();
        w.add_project(
            &project("web", "package-lock.json"),
            &[npm("react", &format!("18.{i}.1"))],
            &[],
        )
        .unwrap();
        w.commit().unwrap();
    }
    // 1 list for api, 10 for web.
    assert_eq!(store.stats().unwrap().component_lists, 11);
    assert_eq!(store.stats().unwrap().components, 30);
    // Keep 8: web's first two lists go, their postings stay until a rebuild is due.
    store.retain(8).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!((stats.component_lists, stats.components), (9, 24));
    let q = vigie_store::PackageQuery::parse("react").unwrap();
    for (snapshot, web) in [(3, "18.2.1"), (10, "18.9.1")] {
        let uses: Vec<(String, Option<String>)> = store
            .who_uses(snapshot, &q)
            .unwrap()
            .into_iter()
            .map(|u| (u.project_path, u.version))
            .collect();
        assert_eq!(
            uses,
            [
                ("api".to_owned(), Some("18.0.0".to_owned())),
                ("web".to_owned(), Some(web.to_owned()))
            ]
        );
    }
    // An exact version of a deleted snapshot is found nowhere.
    let old = vigie_store::PackageQuery::parse("react@18.0.1").unwrap();
    for s in 3..=10 {
        assert!(store.who_uses(s, &old).unwrap().is_empty());
    }
    // Keep 1: most lists go, the postings are rebuilt and unused packages dropped.
    let pruned = store.retain(1).unwrap();
    assert_eq!(pruned.snapshots, 7);
    let stats = store.stats().unwrap();
    assert_eq!((stats.component_lists, stats.packages), (2, 3));
    assert_eq!(store.who_uses(10, &q).unwrap().len(), 2);
}

#[test]
fn a_store_opened_to_read_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("vigie.db");
    assert!(matches!(
        SqliteStore::open_read_only(&path),
        Err(Error::Empty)
    ));
    assert!(!path.exists(), "a missing store is not created");
    {
        let mut store = SqliteStore::open(&path).unwrap();
        let mut w = store.begin_snapshot(&meta("t1")).unwrap();
        w.add_project(
            &project("shop", "package-lock.json"),
            &[npm("lodash", "4.17.21")],
            &[],
        )
        .unwrap();
        w.commit().unwrap();
    }
    let mut reader = SqliteStore::open_read_only(&path).unwrap();
    let q = vigie_store::PackageQuery::parse("lodash").unwrap();
    assert_eq!(reader.who_uses(1, &q).unwrap().len(), 1);
    assert!(reader.begin_snapshot(&meta("t2")).is_err());
    assert!(reader.retain(0).is_err());
    // The reader's view stays the one it opened on while a writer commits.
    let mut writer = SqliteStore::open(&path).unwrap();
    let w = writer.begin_snapshot(&meta("t2")).unwrap();
    w.commit().unwrap();
    assert_eq!(reader.latest().unwrap(), 1);
    assert_eq!(writer.latest().unwrap(), 2);
    drop(reader);
    assert_eq!(
        SqliteStore::open_read_only(&path)
            .unwrap()
            .latest()
            .unwrap(),
        2
    );
}
