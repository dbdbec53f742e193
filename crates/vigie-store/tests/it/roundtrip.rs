//! Export → import into a fresh database → export gives the identical document, and what
//! comes back is what went in.

use crate::common::{Backend, entity, meta, npm, project, vuln};
use vigie_model::{Component, Ecosystem, Relation, Scope};
use vigie_store::{Error, RelationRecord, Shown, Store, TriageInput, TriageState};

fn fill(store: &mut dyn Store) -> Vec<Component> {
    // Components that exercise every stored field, and two spellings of one purl.
    let django = Component::new(Ecosystem::PyPI, "Django", Some("4.2.1"))
        .with_scope(Scope::Dev)
        .with_relation(Relation::Direct)
        .with_line(Some(12))
        .with_licence(Some("BSD-3-Clause".to_owned()));
    let django_lower = Component::new(Ecosystem::PyPI, "django", Some("4.2.1"));
    let unresolved = Component::new(Ecosystem::Maven, "org.example:thing", None)
        .with_note("version from a property that is not defined");
    let components = vec![django.clone(), unresolved.clone(), npm("lodash", "4.17.21")];

    let mut w = store.begin_snapshot(&meta("2026-11-01T10:00:00Z")).unwrap();
    w.add_entities(
        &[
            entity(
                "system:default/shop",
                "System",
                &["group:default/web"],
                None,
                &[],
            ),
            entity(
                "component:default/shop-api",
                "Component",
                &[],
                Some("system:default/shop"),
                &["shop"],
            ),
        ],
        &[RelationRecord {
            source: "component:default/shop-api".to_owned(),
            relation: "dependsOn".to_owned(),
            target: "resource:default/shop-db".to_owned(),
        }],
    )
    .unwrap();
    w.add_project(
        &project("shop", "requirements.txt"),
        &components,
        &[vuln("GHSA-x", "shop", &django, "high", Some("4.2.2"))],
    )
    .unwrap();
    w.add_project(&project("other", "requirements.txt"), &[django_lower], &[])
        .unwrap();
    w.commit().unwrap();
    // A second snapshot so the export holds several, then retention drops the first: the
    // ids of the export start at 2, and must stay 2 after import.
    let mut w = store.begin_snapshot(&meta("2026-11-02T10:00:00Z")).unwrap();
    w.add_project(&project("shop", "requirements.txt"), &components, &[])
        .unwrap();
    w.commit().unwrap();
    let mut w = store.begin_snapshot(&meta("2026-11-03T10:00:00Z")).unwrap();
    w.add_project(&project("shop", "requirements.txt"), &components[..1], &[])
        .unwrap();
    w.commit().unwrap();
    store.retain(2).unwrap();
    store
        .record_triage(&TriageInput {
            finding_key: "vulnerability/GHSA-x/shop/pkg:pypi/django@4.2.1".to_owned(),
            state: TriageState::AcceptedRisk,
            justification: None,
            until: Some("2027-01-31".to_owned()),
            reason: "internal only".to_owned(),
            by: "alice".to_owned(),
            at: "2026-11-01T11:00:00Z".to_owned(),
        })
        .unwrap();
    components
}

fn export(store: &dyn Store) -> Vec<u8> {
    let mut out = Vec::new();
    store.export(&mut out).unwrap();
    out
}

pub(crate) fn export_import_export_is_identical(b: &Backend) {
    let mut first = b.fresh();
    let components = fill(&mut *first);
    let doc = export(&*first);

    let mut second = b.fresh();
    second.import(&mut doc.as_slice()).unwrap();
    let again = export(&*second);
    assert_eq!(
        String::from_utf8_lossy(&doc),
        String::from_utf8_lossy(&again)
    );

    // The document is the versioned format and holds snapshots 2 and 3.
    let v: serde_json::Value = serde_json::from_slice(&doc).unwrap();
    assert_eq!(v["format"], "vigie-store");
    assert_eq!(v["version"], 1);
    let ids: Vec<i64> = v["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [2, 3]);
    assert_eq!(v["triage"].as_array().unwrap().len(), 1);

    // What comes back is what went in: the components of snapshot 2's shop, field by field.
    let shown = second.show(2, "shop").unwrap();
    let Some(Shown::Project(p)) = shown.first() else {
        panic!("shop not shown")
    };
    assert_eq!(p.data.components, components);
    // The same snapshot ids and counts on both sides.
    let counts = |s: &dyn Store| {
        s.snapshots()
            .unwrap()
            .into_iter()
            .map(|i| (i.id, i.projects, i.components))
            .collect::<Vec<_>>()
    };
    assert_eq!(counts(&*first), [(2, 1, 3), (3, 1, 1)]);
    assert_eq!(counts(&*first), counts(&*second));
}

pub(crate) fn a_first_snapshot_round_trips_its_catalog_and_spellings(backend: &Backend) {
    let mut store = backend.fresh();
    let mut w = store.begin_snapshot(&meta("2026-11-01T10:00:00Z")).unwrap();
    let a = Component::new(Ecosystem::PyPI, "Django", Some("4.2.1"));
    let b = Component::new(Ecosystem::PyPI, "django", Some("4.2.1"));
    assert_eq!(a.purl, b.purl);
    w.add_entities(
        &[entity(
            "system:default/s",
            "System",
            &["group:default/t"],
            None,
            &["p"],
        )],
        &[],
    )
    .unwrap();
    w.add_project(
        &project("p", "requirements.txt"),
        &[a.clone(), b.clone()],
        &[],
    )
    .unwrap();
    w.commit().unwrap();
    let doc = export(&*store);
    let mut fresh = backend.fresh();
    fresh.import(&mut doc.as_slice()).unwrap();
    assert_eq!(export(&*fresh), doc);
    let Some(Shown::Project(p)) = fresh.show(1, "p").unwrap().into_iter().next() else {
        panic!()
    };
    assert_eq!(p.data.components, [a, b]);
    assert_eq!(p.entities[0].entity_ref, "system:default/s");
}

pub(crate) fn import_refuses_a_non_empty_store_and_a_foreign_document(b: &Backend) {
    let mut store = b.fresh();
    fill(&mut *store);
    let doc = export(&*store);
    assert!(matches!(
        store.import(&mut doc.as_slice()),
        Err(Error::NotEmpty(_))
    ));
    let mut fresh = b.fresh();
    let other = br#"{"format":"something","version":1,"snapshots":[],"triage":[]}"#;
    assert!(matches!(
        fresh.import(&mut other.as_slice()),
        Err(Error::Invalid(_))
    ));
    let future = br#"{"format":"vigie-store","version":99,"snapshots":[],"triage":[]}"#;
    assert!(matches!(
        fresh.import(&mut future.as_slice()),
        Err(Error::Invalid(_))
    ));
    assert!(matches!(
        fresh.import(&mut b"{".as_slice()),
        Err(Error::Json(_))
    ));
    let reordered = br#"{"snapshots":[],"format":"vigie-store","version":1,"triage":[]}"#;
    assert!(matches!(
        fresh.import(&mut reordered.as_slice()),
        Err(Error::Invalid(_))
    ));
    // A document that fails half-way (the same project twice in a snapshot) leaves nothing.
    let p = r#"{"path":"p","name":"p","files":[],"components":[],"findings":[]}"#;
    let broken = format!(
        r#"{{"format":"vigie-store","version":1,"snapshots":[{{"id":1,"meta":{{"taken_at":"t","tool_version":"v","roots":[],"label":null}},"entities":[],"relations":[],"projects":[{p},{p}]}}],"triage":[]}}"#
    );
    assert!(matches!(
        fresh.import(&mut broken.as_bytes()),
        Err(Error::Invalid(_))
    ));
    let trailing = br#"{"format":"vigie-store","version":1,"snapshots":[],"triage":[]} x"#;
    assert!(matches!(
        fresh.import(&mut trailing.as_slice()),
        Err(Error::Json(_))
    ));
    assert_eq!(fresh.snapshots().unwrap().len(), 0);
    assert_eq!(fresh.stats().unwrap().packages, 0);
}

pub(crate) fn a_large_project_comes_back_whole_and_in_order(b: &Backend) {
    // 150 components: two full batches of 64 and 22 more, with every optional field set on
    // some of them, and a repeated purl.
    let components: Vec<Component> = (0..150)
        .map(|i| {
            let c = npm(&format!("p{}", i % 140), "1.0.0").with_line(Some(i));
            if i % 3 == 0 {
                c.with_note(format!("n{i}"))
                    .with_licence(Some("MIT".to_owned()))
            } else {
                c
            }
        })
        .collect();
    let mut store = b.fresh();
    let mut w = store.begin_snapshot(&meta("t")).unwrap();
    w.add_project(&project("big", "package-lock.json"), &components, &[])
        .unwrap();
    let id = w.commit().unwrap();
    let Some(Shown::Project(p)) = store.show(id, "big").unwrap().into_iter().next() else {
        panic!()
    };
    assert_eq!(p.data.components, components);
    assert_eq!(store.stats().unwrap().packages, 140);
}

on_backends! {
    any: [
        export_import_export_is_identical,
        a_first_snapshot_round_trips_its_catalog_and_spellings,
        import_refuses_a_non_empty_store_and_a_foreign_document,
        a_large_project_comes_back_whole_and_in_order,
    ],
    persistent: [
    ],
}
