//! The whole-snapshot reads of the report: findings, catalog, project links, components.
//!
//! The estate, by hand: `payments/api` has a Maven log4j-core 2.14.1 (one Log4Shell finding)
//! and lodash 4.17.20; `billing` has PyPI `Django` 4.2.1 (stored as pkg:pypi/django, the
//! reader's spelling kept) and an unresolved `left-pad`. Catalog: system `payments`, its
//! component `payments-api` (repository URL `.../payments.git`), and `billing` (path
//! `./billing/`), one relation. A second snapshot with one project tells the two apart.

use crate::common::{Backend, TestStore, entity, meta, npm, project, vuln};
use vigie_model::{Component, Ecosystem};
use vigie_store::{ProjectLink, RelationRecord};

fn estate(b: &Backend) -> (TestStore, i64, i64) {
    let mut store = b.fresh();
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

pub(crate) fn findings_catalog_and_links_of_one_snapshot(b: &Backend) {
    let (store, first, second) = estate(b);
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
    // The names beside the paths (the summaries a project list reads), in the same order,
    // each project once.
    let names: Vec<(String, String)> = store
        .project_summaries(first)
        .unwrap()
        .into_iter()
        .map(|p| (p.path, p.name))
        .collect();
    let expected: Vec<(String, String)> = ["billing", "payments/api"]
        .iter()
        .map(|p| (p.to_string(), project(p, "x").name))
        .collect();
    assert_eq!(names, expected);
    assert!(store.project_summaries(99).is_err());
    assert!(store.findings(99).is_err());
}

pub(crate) fn components_are_streamed_with_the_readers_spelling(b: &Backend) {
    let (store, first, _) = estate(b);
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

pub(crate) fn package_uses_agree_with_the_component_stream(b: &Backend) {
    // 40 projects; project i has lodash 4.17.(i % 3), express 4.18.2 with licence MIT in
    // even projects, and lodash listed twice in every fifth (a second file). The aggregate
    // must say what a count over the streamed rows says.
    let mut store = b.fresh();
    let mut w = store.begin_snapshot(&meta("t")).unwrap();
    for i in 0..40 {
        let lodash = npm("lodash", &format!("4.17.{}", i % 3));
        let mut express = npm("express", "4.18.2");
        if i % 2 == 0 {
            express.licence = Some("MIT".to_owned());
        }
        let mut components = vec![lodash.clone(), express];
        if i % 5 == 0 {
            components.push(lodash);
        }
        w.add_project(
            &project(&format!("p{i:02}"), "package-lock.json"),
            &components,
            &[],
        )
        .unwrap();
    }
    let id = w.commit().unwrap();
    let uses = store.package_uses(id).unwrap();
    let mut rows = 0u64;
    let mut licensed = 0u64;
    let mut by_purl: std::collections::BTreeMap<String, std::collections::BTreeSet<String>> =
        Default::default();
    store
        .for_each_component(id, &mut |r| {
            rows += 1;
            licensed += u64::from(r.licence.is_some());
            by_purl
                .entry(r.purl.to_owned())
                .or_default()
                .insert(r.project_path.to_owned());
        })
        .unwrap();
    assert_eq!((uses.components, uses.with_licence), (rows, licensed));
    assert_eq!((rows, licensed), (88, 20));
    assert_eq!(uses.licences, [("MIT".to_owned(), 20)]);
    assert_eq!(uses.packages.len(), by_purl.len());
    for p in &uses.packages {
        let projects: std::collections::BTreeSet<String> = p
            .projects
            .iter()
            .map(|i| uses.projects[*i as usize].clone())
            .collect();
        assert_eq!(projects, by_purl[&p.purl], "{}", p.purl);
    }
}

on_backends! {
    any: [
        findings_catalog_and_links_of_one_snapshot,
        components_are_streamed_with_the_readers_spelling,
        package_uses_agree_with_the_component_stream,
    ],
    persistent: [
    ],
}
