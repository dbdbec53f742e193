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

#[test]
fn a_version_7_database_keeps_every_finding_in_shared_sets() {
    // A version-7 store written by hand: snapshots 1 and 2 hold project "shop" with the
    // same two findings, snapshot 2 also "blog" with one; findings were rows per snapshot.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v7.db");
    let finding = |snapshot: i64, project: i64, key: &str, kev: i64| {
        format!(
            "INSERT INTO findings(snapshot_id, key, project_id, family, id, aliases, rating, purl,
               title, fixed, known_exploited, json)
             VALUES ({snapshot}, '{key}', {project}, 'vulnerability', 'GHSA-{kev}',
               '[\"CVE-2021-{kev}\"]', 'high', 'pkg:npm/lodash@4.17.20', 'title {key}', '4.17.21',
               {kev}, '{{\"n\": {kev}}}');"
        )
    };
    {
        let conn = Connection::open(&path).unwrap();
        for m in &super::schema::MIGRATIONS[..7] {
            conn.execute_batch(m.sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 7).unwrap();
        let mut sql = String::from(
            "INSERT INTO snapshots(id, taken_at, tool_version, roots)
               VALUES (1, 't1', '0.1', '[]'), (2, 't2', '0.1', '[]');
             INSERT INTO projects(id, snapshot_id, path, name, files)
               VALUES (10, 1, 'shop', 'shop', '[]'), (20, 2, 'shop', 'shop', '[]'),
                      (21, 2, 'blog', 'blog', '[]');",
        );
        for (snapshot, project) in [(1, 10), (2, 20)] {
            sql.push_str(&finding(snapshot, project, "vulnerability/a/shop/x", 0));
            sql.push_str(&finding(snapshot, project, "vulnerability/b/shop/x", 1));
        }
        sql.push_str(&finding(2, 21, "vulnerability/a/blog/x", 0));
        conn.execute_batch(&sql).unwrap();
    }
    let store = SqliteStore::open_read_only(&path).unwrap();
    let stats = store.stats().unwrap();
    assert_eq!(stats.schema_version, super::schema::current_version());
    // Five findings over the snapshots, three stored: shop's two are shared.
    assert_eq!((stats.findings, stats.findings_stored), (5, 3));
    let keys = |snapshot| -> Vec<(String, String, bool)> {
        store
            .findings(snapshot)
            .unwrap()
            .into_iter()
            .map(|f| (f.key, f.project_path, f.known_exploited))
            .collect()
    };
    let shop = |k: &str, kev| (format!("vulnerability/{k}/shop/x"), "shop".to_owned(), kev);
    assert_eq!(keys(1), [shop("a", false), shop("b", true)]);
    assert_eq!(
        keys(2),
        [
            (
                "vulnerability/a/blog/x".to_owned(),
                "blog".to_owned(),
                false
            ),
            shop("a", false),
            shop("b", true)
        ]
    );
    let f = &store.findings(1).unwrap()[1];
    assert_eq!(f.aliases, ["CVE-2021-1"]);
    assert_eq!(f.fixed.as_deref(), Some("4.17.21"));
    assert_eq!(
        store
            .finding_details(2, std::slice::from_ref(&f.key))
            .unwrap(),
        [Some("{\"n\": 1}".to_owned())]
    );
    let hit = store.who_uses_advisory(2, "cve-2021-1").unwrap();
    assert_eq!(hit.len(), 1);
    let summaries = store.project_summaries(2).unwrap();
    let counts: Vec<(String, u64, bool)> = summaries
        .into_iter()
        .map(|p| (p.path, p.findings, p.known_exploited))
        .collect();
    assert_eq!(
        counts,
        [("blog".to_owned(), 1, false), ("shop".to_owned(), 2, true)]
    );
    drop(store);
    let conn = Connection::open(&path).unwrap();
    let (sets, old): (i64, i64) = conn
        .query_row(
            "SELECT (SELECT count(*) FROM finding_sets),
                    (SELECT count(*) FROM sqlite_master WHERE name = 'findings_v7')",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((sets, old), (2, 0));
}
