//! The whole-snapshot reads of the report: findings, catalog, project links, components.
//!
//! The estate, by hand: `payments/api` has a Maven log4j-core 2.14.1 (one Log4Shell finding)
//! and lodash 4.17.20; `billing` has PyPI `Django` 4.2.1 (stored as pkg:pypi/django, the
//! reader's spelling kept) and an unresolved `left-pad`. Catalog: system `payments`, its
//! component `payments-api` (repository URL `.../payments.git`), and `billing` (path
//! `./billing/`), one relation. A second snapshot with one project tells the two apart.

mod common;

use common::{entity, meta, npm, project, vuln};
use vigie_model::{Component, Ecosystem};
use vigie_store::{ProjectLink, RelationRecord, SqliteStore, Store};

fn estate() -> (SqliteStore, i64, i64) {
    let mut store = SqliteStore::in_memory().unwrap();
    let log4j = Component::new(
        Ecosystem::Maven,
        "org.apache.logging.log4j:log4j-core",
        Some("2.14.1"),
    );
    let f = vuln(
        "CVE-2021-44228",
        "payments/api",
        &log4j,
        "critical",
        Some("2.15.0"),
    );
    let mut w = store.begin_snapshot(&meta("2026-11-01T00:00:00Z")).unwrap();
    w.add_project(
        &project("payments/api", "pom.xml"),
        &[log4j, npm("lodash", "4.17.20")],
        &[f],
    )
    .unwrap();
    w.add_project(
        &project("billing", "poetry.lock"),
        &[
            Component::new(Ecosystem::PyPI, "Django", Some("4.2.1")),
            Component::new(Ecosystem::Npm, "left-pad", None),
        ],
        &[],
    )
    .unwrap();
    w.add_entities(
        &[
            entity(
                "system:default/payments",
                "System",
                &["group:default/pay"],
                None,
                &[],
            ),
            entity(
                "component:default/payments-api",
                "Component",
                &["user:default/alice"],
                Some("system:default/payments"),
                &["https://git.example.com/acme/payments.git"],
            ),
            entity(
                "component:default/billing",
                "Component",
                &[],
                None,
                &["./billing/"],
            ),
        ],
        &[RelationRecord {
            source: "component:default/billing".into(),
            relation: "dependsOn".into(),
            target: "component:default/payments-api".into(),
        }],
    )
    .unwrap();
    let first = w.commit().unwrap();
    let mut w = store.begin_snapshot(&meta("2026-11-02T00:00:00Z")).unwrap();
    w.add_project(&project("other", "go.mod"), &[npm("react", "18.2.0")], &[])
        .unwrap();
    let second = w.commit().unwrap();
    (store, first, second)
}

#[test]
fn findings_catalog_and_links_of_one_snapshot() {
    let (store, first, second) = estate();
    let f = store.findings(first).unwrap();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].id, "CVE-2021-44228");
    assert_eq!(f[0].project_path, "payments/api");
    assert!(store.findings(second).unwrap().is_empty());

    let c = store.catalog(first).unwrap();
    let refs: Vec<&str> = c.entities.iter().map(|e| e.entity_ref.as_str()).collect();
    assert_eq!(
        refs,
        [
            "system:default/payments",
            "component:default/payments-api",
            "component:default/billing"
        ]
    );
    assert_eq!(c.relations.len(), 1);
    assert!(store.catalog(second).unwrap().entities.is_empty());

    // By the rules of links.rs: `payments` is a folder of `payments/api`; `billing` a path.
    let link = |p: &str, e: &str| ProjectLink {
        project_path: p.into(),
        entity_ref: e.into(),
    };
    assert_eq!(
        store.project_links(first).unwrap(),
        [
            link("billing", "component:default/billing"),
            link("payments/api", "component:default/payments-api")
        ]
    );
    assert_eq!(
        store.project_paths(first).unwrap(),
        ["billing", "payments/api"]
    );
    assert_eq!(store.project_paths(second).unwrap(), ["other"]);
    assert!(store.findings(99).is_err());
}

#[test]
fn components_are_streamed_with_the_readers_spelling() {
    let (store, first, _) = estate();
    let mut rows = Vec::new();
    store
        .for_each_component(first, &mut |r| {
            rows.push(format!(
                "{} {} {} {} {}",
                r.project_path,
                r.ecosystem,
                r.name,
                r.version.unwrap_or("-"),
                r.purl
            ))
        })
        .unwrap();
    assert_eq!(
        rows,
        [
            "billing PyPI Django 4.2.1 pkg:pypi/django@4.2.1",
            "billing npm left-pad - pkg:npm/left-pad",
            "payments/api Maven org.apache.logging.log4j:log4j-core 2.14.1 \
             pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1",
            "payments/api npm lodash 4.17.20 pkg:npm/lodash@4.17.20",
        ]
    );
}
