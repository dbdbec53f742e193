//! `Store::rematch`: a new snapshot that is the latest checked again for one family of
//! findings; everything else (projects, components, keys, catalog, links, the other
//! families) carried forward; nothing stored on an error, on a finding of another family
//! or project, or when the latest moved.

use vigie_findings::Family;
use vigie_store::{Error, FindingRecord, PushedProject, Store};

use crate::common::{Backend, entity, meta, npm, project, vuln};

/// A lifecycle finding of `path` (another family, to be carried).
fn lifecycle(path: &str) -> FindingRecord {
    let c = npm("node", "12.0.0");
    FindingRecord {
        key: format!("lifecycle/eol/nodejs/{path}/.nvmrc"),
        family: Family::Lifecycle,
        id: "eol:nodejs".to_owned(),
        aliases: Vec::new(),
        ..vuln("x", path, &c, "high", Some("22"))
    }
}

/// Two scanned projects (a vulnerability and a lifecycle finding each, one linked to a
/// catalog element) and one pushed by CI with a key.
fn estate(s: &mut dyn Store) -> i64 {
    let mut w = s.begin_snapshot(&meta("2026-01-01T00:00:00Z")).unwrap();
    for path in ["shop", "billing"] {
        let c = npm("express", "4.0.0");
        let f = vuln("GHSA-OLD", path, &c, "medium", None);
        w.add_project(
            &project(path, "package-lock.json"),
            &[c, npm("left-pad", "1.3.0")],
            &[f, lifecycle(path)],
        )
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
    w.commit().unwrap();
    let c = npm("lodash", "4.17.20");
    s.ingest(
        &meta("2026-01-02T00:00:00Z"),
        &[PushedProject {
            record: project("ci/app", "package-lock.json"),
            findings: vec![vuln("GHSA-CI", "ci/app", &c, "high", None)],
            components: vec![c],
            key: "commit:abc".to_owned(),
        }],
    )
    .unwrap()
    .snapshot
}

/// The new vulnerability findings of a project: one per component, as a new index would.
fn new_findings(path: &str, components: &[vigie_model::Component]) -> Vec<FindingRecord> {
    components
        .iter()
        .map(|c| vuln("GHSA-NEW", path, c, "critical", Some("9.9.9")))
        .collect()
}

pub(crate) fn rematch_replaces_one_family_and_carries_the_rest(b: &Backend) {
    let mut s = b.fresh();
    let from = estate(&mut *s);
    // The projects as the caller reads them: records and components, path order.
    let mut read = Vec::new();
    s.for_each_project(from, &mut |record, components| {
        read.push((record, components));
        Ok(())
    })
    .unwrap();
    let paths: Vec<&str> = read.iter().map(|(r, _)| r.path.as_str()).collect();
    assert_eq!(paths, ["billing", "ci/app", "shop"]);
    assert_eq!(read[0].1.len(), 2);

    let done = s
        .rematch(
            &meta("2026-01-03T00:00:00Z"),
            from,
            Family::Vulnerability,
            &mut |add| {
                for (record, components) in &read {
                    add(&record.path, &new_findings(&record.path, components))?;
                }
                Ok(())
            },
        )
        .unwrap();
    assert_eq!(done.from, from);
    assert_eq!(done.projects, 3);
    assert_eq!(s.latest().unwrap(), done.snapshot);

    let before = s.findings(from).unwrap();
    let after = s.findings(done.snapshot).unwrap();
    let of = |list: &[FindingRecord], family: Family| -> Vec<FindingRecord> {
        list.iter()
            .filter(|f| f.family == family)
            .cloned()
            .collect()
    };
    // The other family is carried whole; the vulnerabilities are the new ones only.
    assert_eq!(
        of(&after, Family::Lifecycle),
        of(&before, Family::Lifecycle)
    );
    let mut expected: Vec<FindingRecord> = read
        .iter()
        .flat_map(|(r, c)| new_findings(&r.path, c))
        .collect();
    expected.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(of(&after, Family::Vulnerability), expected);
    // Projects, components, keys and links are the same.
    assert_eq!(
        s.project_paths(done.snapshot).unwrap(),
        s.project_paths(from).unwrap()
    );
    let mut again = Vec::new();
    s.for_each_project(done.snapshot, &mut |record, components| {
        again.push((record, components));
        Ok(())
    })
    .unwrap();
    assert_eq!(again, read);
    assert_eq!(
        s.project_links(done.snapshot).unwrap(),
        s.project_links(from).unwrap()
    );
    assert_eq!(
        s.catalog(done.snapshot).unwrap().entities,
        s.catalog(from).unwrap().entities
    );
    // The pushed project keeps its key: the same push again stores nothing.
    let c = npm("lodash", "4.17.20");
    let again = s
        .ingest(
            &meta("2026-01-04T00:00:00Z"),
            &[PushedProject {
                record: project("ci/app", "package-lock.json"),
                findings: vec![vuln("GHSA-CI", "ci/app", &c, "high", None)],
                components: vec![c],
                key: "commit:abc".to_owned(),
            }],
        )
        .unwrap();
    assert!(!again.created);
    // The diff is the findings that changed, nothing else.
    let diff = s.diff(from, done.snapshot).unwrap();
    assert!(diff.projects_added.is_empty() && diff.projects_removed.is_empty());
    assert!(diff.projects_changed.is_empty());
    assert_eq!(diff.findings_appeared.len(), expected.len());
    assert_eq!(diff.findings_resolved.len(), 3);
}

pub(crate) fn nothing_is_stored_on_an_error_or_a_stray_finding(b: &Backend) {
    let mut s = b.fresh();
    let from = estate(&mut *s);
    let count = |s: &dyn Store| s.snapshots().unwrap().len();
    let n = count(&*s);

    // An error of the caller.
    let e = s
        .rematch(
            &meta("2026-01-03T00:00:00Z"),
            from,
            Family::Vulnerability,
            &mut |add| {
                add("shop", &[])?;
                Err(Error::Invalid("the matcher failed".into()))
            },
        )
        .unwrap_err();
    assert!(e.to_string().contains("the matcher failed"), "{e}");
    // A finding of another family, of another project, or a project not in the snapshot.
    let c = npm("express", "4.0.0");
    for (path, finding) in [
        ("shop", lifecycle("shop")),
        ("shop", vuln("GHSA-X", "billing", &c, "low", None)),
        ("nowhere", vuln("GHSA-X", "nowhere", &c, "low", None)),
    ] {
        let e = s
            .rematch(
                &meta("2026-01-03T00:00:00Z"),
                from,
                Family::Vulnerability,
                &mut |add| add(path, std::slice::from_ref(&finding)),
            )
            .unwrap_err();
        assert!(matches!(e, Error::Invalid(_)), "{e}");
    }
    assert_eq!(count(&*s), n);
    assert_eq!(s.latest().unwrap(), from);
}

pub(crate) fn a_snapshot_that_is_no_longer_the_latest_is_refused(b: &Backend) {
    let mut s = b.fresh();
    let from = estate(&mut *s);
    let mut w = s.begin_snapshot(&meta("2026-01-03T00:00:00Z")).unwrap();
    w.add_project(&project("shop", "package-lock.json"), &[], &[])
        .unwrap();
    let newer = w.commit().unwrap();
    let e = s
        .rematch(
            &meta("2026-01-04T00:00:00Z"),
            from,
            Family::Vulnerability,
            &mut |_| panic!("nothing is asked of a stale snapshot"),
        )
        .unwrap_err();
    assert!(matches!(e, Error::Superseded(id) if id == from), "{e}");
    assert_eq!(s.latest().unwrap(), newer);
    let e = s
        .rematch(
            &meta("2026-01-04T00:00:00Z"),
            999,
            Family::Vulnerability,
            &mut |_| Ok(()),
        )
        .unwrap_err();
    assert!(matches!(e, Error::NoSnapshot(999)), "{e}");
}

on_backends!(
    any: [
        rematch_replaces_one_family_and_carries_the_rest,
        nothing_is_stored_on_an_error_or_a_stray_finding,
        a_snapshot_that_is_no_longer_the_latest_is_refused,
    ],
    persistent: [],
);
