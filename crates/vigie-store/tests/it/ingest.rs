//! `Store::ingest`: pushed projects replace those of the same path in a new snapshot, the
//! others (findings, catalog, links) carried forward; idempotent on each project's key; a
//! refused push stores nothing.

use vigie_store::{Error, PushedProject, Store};

use crate::common::{Backend, entity, meta, npm, project, vuln};

fn pushed(path: &str, version: &str, key: &str) -> PushedProject {
    let c = npm("lodash", version);
    PushedProject {
        record: project(path, "package-lock.json"),
        findings: vec![vuln("GHSA-1", path, &c, "high", Some("4.17.21"))],
        components: vec![c, npm("left-pad", "1.3.0")],
        key: key.to_owned(),
    }
}

/// An estate of two scanned projects, one linked to a catalog element.
fn estate(s: &mut dyn Store) -> i64 {
    let mut w = s.begin_snapshot(&meta("2026-01-01T00:00:00Z")).unwrap();
    for path in ["shop", "billing"] {
        let c = npm("express", "4.0.0");
        let f = vuln("GHSA-2", path, &c, "medium", None);
        w.add_project(&project(path, "package-lock.json"), &[c], &[f])
            .unwrap();
    }
    w.add_entities(
        &[entity(
            "component:default/shop",
            "component",
            &["group:web"],
            None,
            &["shop"],
        )],
        &[],
    )
    .unwrap();
    w.commit().unwrap()
}

fn purls(s: &dyn Store, snapshot: i64, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    s.for_each_component(snapshot, &mut |r| {
        if r.project_path == path {
            out.push(r.purl.to_owned());
        }
    })
    .unwrap();
    out
}

pub(crate) fn replaces_and_carries_forward(b: &Backend) {
    let mut s = b.fresh();
    let first = estate(&mut *s);
    let done = s
        .ingest(
            &meta("2026-01-02T00:00:00Z"),
            &[pushed("shop", "4.17.20", "commit:a")],
        )
        .unwrap();
    assert!(done.created);
    assert_eq!(done.carried, 1, "billing is carried forward");
    assert!(done.snapshot > first);
    assert_eq!(s.latest().unwrap(), done.snapshot);
    assert_eq!(s.project_paths(done.snapshot).unwrap(), ["billing", "shop"]);
    assert_eq!(
        purls(&*s, done.snapshot, "shop"),
        ["pkg:npm/lodash@4.17.20", "pkg:npm/left-pad@1.3.0"]
    );
    assert_eq!(
        purls(&*s, done.snapshot, "billing"),
        ["pkg:npm/express@4.0.0"]
    );
    let keys: Vec<String> = s
        .findings(done.snapshot)
        .unwrap()
        .into_iter()
        .map(|f| f.key)
        .collect();
    assert_eq!(
        keys,
        [
            "vulnerability/GHSA-1/shop/pkg:npm/lodash@4.17.20",
            "vulnerability/GHSA-2/billing/pkg:npm/express@4.0.0",
        ]
    );
    // The catalog and the links come along; the first snapshot is untouched.
    assert_eq!(s.catalog(done.snapshot).unwrap().entities.len(), 1);
    let links = s.project_links(done.snapshot).unwrap();
    assert!(links.iter().any(|l| l.project_path == "shop"), "{links:?}");
    assert_eq!(purls(&*s, first, "shop"), ["pkg:npm/express@4.0.0"]);
    let diff = s.diff(first, done.snapshot).unwrap();
    assert!(diff.projects_added.is_empty() && diff.projects_removed.is_empty());
    assert_eq!(
        diff.projects_changed.len(),
        1,
        "only the pushed project changed"
    );
    assert_eq!(s.integrity_check().unwrap(), ["ok"]);
}

pub(crate) fn same_push_twice_is_stored_once(b: &Backend) {
    let mut s = b.fresh();
    estate(&mut *s);
    let push = [pushed("shop", "4.17.20", "sha256:x")];
    let one = s.ingest(&meta("2026-01-02T00:00:00Z"), &push).unwrap();
    let count = s.snapshots().unwrap().len();
    // Another project pushed in between does not make the first push new again.
    let other = s
        .ingest(
            &meta("2026-01-03T00:00:00Z"),
            &[pushed("api", "1.0.0", "sha256:y")],
        )
        .unwrap();
    assert!(other.created);
    let two = s.ingest(&meta("2026-01-04T00:00:00Z"), &push).unwrap();
    assert!(!two.created);
    assert_eq!(
        two.snapshot, one.snapshot,
        "the snapshot that first stored it"
    );
    assert_eq!(s.snapshots().unwrap().len(), count + 1);
    // A different key for the same project is a new state.
    let three = s
        .ingest(
            &meta("2026-01-05T00:00:00Z"),
            &[pushed("shop", "4.17.21", "sha256:z")],
        )
        .unwrap();
    assert!(three.created);
    // Going back to the first content is a change too.
    let four = s.ingest(&meta("2026-01-06T00:00:00Z"), &push).unwrap();
    assert!(four.created);
    assert_eq!(
        s.project_paths(four.snapshot).unwrap(),
        ["api", "billing", "shop"]
    );
}

pub(crate) fn first_push_into_an_empty_store(b: &Backend) {
    let mut s = b.fresh();
    let done = s
        .ingest(
            &meta("2026-01-02T00:00:00Z"),
            &[pushed("shop", "4.17.20", "k")],
        )
        .unwrap();
    assert!(done.created);
    assert_eq!(done.carried, 0);
    assert_eq!(s.project_paths(done.snapshot).unwrap(), ["shop"]);
}

pub(crate) fn refused_push_stores_nothing(b: &Backend) {
    let mut s = b.fresh();
    estate(&mut *s);
    let before = s.snapshots().unwrap();
    let twice = [pushed("shop", "1", "a"), pushed("shop", "2", "b")];
    let no_key = [pushed("shop", "1", "")];
    let mut wrong = pushed("shop", "1", "a");
    wrong.findings[0].project_path = "elsewhere".into();
    for bad in [&twice[..], &no_key[..], &[][..], &[wrong][..]] {
        assert!(matches!(
            s.ingest(&meta("2026-01-02T00:00:00Z"), bad),
            Err(Error::Invalid(_))
        ));
    }
    assert_eq!(s.snapshots().unwrap(), before);
}

pub(crate) fn retention_keeps_the_estate(b: &Backend) {
    let mut s = b.fresh();
    estate(&mut *s);
    for i in 0..5 {
        s.ingest(
            &meta("2026-01-02T00:00:00Z"),
            &[pushed(&format!("p{i}"), "1.0.0", "k")],
        )
        .unwrap();
    }
    s.retain(1).unwrap();
    let latest = s.latest().unwrap();
    assert_eq!(s.project_paths(latest).unwrap().len(), 7);
    // Keys survive retention: the same push is still known.
    let again = s
        .ingest(&meta("2026-01-03T00:00:00Z"), &[pushed("p4", "1.0.0", "k")])
        .unwrap();
    assert!(!again.created);
    assert_eq!(s.integrity_check().unwrap(), ["ok"]);
}

/// A scan after a push: the scanned projects are replaced, the pushed ones kept (with their
/// findings and keys), a pushed path that the scan now holds is the scan's.
pub(crate) fn scan_keeps_what_ci_pushed(b: &Backend) {
    let mut s = b.fresh();
    estate(&mut *s);
    s.ingest(
        &meta("2026-01-02T00:00:00Z"),
        &[
            pushed("api", "4.17.20", "k1"),
            pushed("shop", "4.17.20", "k2"),
        ],
    )
    .unwrap();
    // The scan sees billing (changed) and shop (now in a scanned folder), not api.
    let mut w = s.begin_snapshot(&meta("2026-01-03T00:00:00Z")).unwrap();
    for path in ["billing", "shop"] {
        let c = npm("express", "4.18.0");
        w.add_project(&project(path, "package-lock.json"), &[c], &[])
            .unwrap();
    }
    assert_eq!(w.carry_pushed().unwrap(), 1, "api, not shop");
    w.add_entities(
        &[entity(
            "component:default/api",
            "component",
            &["group:web"],
            None,
            &["api"],
        )],
        &[],
    )
    .unwrap();
    let scanned = w.commit().unwrap();
    assert_eq!(
        s.project_paths(scanned).unwrap(),
        ["api", "billing", "shop"]
    );
    assert_eq!(
        purls(&*s, scanned, "api"),
        ["pkg:npm/lodash@4.17.20", "pkg:npm/left-pad@1.3.0"]
    );
    assert_eq!(purls(&*s, scanned, "shop"), ["pkg:npm/express@4.18.0"]);
    let keys: Vec<String> = s
        .findings(scanned)
        .unwrap()
        .into_iter()
        .map(|f| f.key)
        .collect();
    assert_eq!(keys, ["vulnerability/GHSA-1/api/pkg:npm/lodash@4.17.20"]);
    // The carried project is linked to the scan's catalog, and its key still answers.
    let links = s.project_links(scanned).unwrap();
    assert!(links.iter().any(|l| l.project_path == "api"), "{links:?}");
    let again = s
        .ingest(
            &meta("2026-01-04T00:00:00Z"),
            &[pushed("api", "4.17.20", "k1")],
        )
        .unwrap();
    assert!(!again.created, "the push is still known after the scan");
    // A store without pushes carries nothing.
    let mut fresh = b.fresh();
    estate(&mut *fresh);
    let mut w = fresh.begin_snapshot(&meta("2026-01-05T00:00:00Z")).unwrap();
    assert_eq!(w.carry_pushed().unwrap(), 0);
    drop(w);
    assert_eq!(s.integrity_check().unwrap(), ["ok"]);
}

on_backends!(
    any: [
        scan_keeps_what_ci_pushed,
        replaces_and_carries_forward,
        same_push_twice_is_stored_once,
        first_push_into_an_empty_store,
        refused_push_stores_nothing,
        retention_keeps_the_estate,
    ],
    persistent: [],
);
