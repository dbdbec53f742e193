//! The SQLite backend's white-box tests: what needs its private schema.

use rusqlite::Connection;

use super::SqliteStore;
use crate::Store;

#[test]
fn a_version_1_database_is_migrated_with_its_components() {
    // A version-1 store written by hand, row by row, as vigie 0.1 wrote it: project "shop"
    // with lodash (runtime, direct, line 7, licence MIT) and a reader spelling of Django
    // (dev, transitive, a note); project "blog" with lodash only, the same way.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(super::schema::MIGRATIONS[0].sql)
            .unwrap();
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
    assert_eq!(stats.schema_version, super::schema::current_version());
    assert_eq!((stats.components, stats.packages), (3, 2));
    let shown = store.show(1, "shop").unwrap();
    let crate::Shown::Project(p) = &shown[0] else {
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
    let q = crate::PackageQuery::parse("lodash").unwrap();
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
