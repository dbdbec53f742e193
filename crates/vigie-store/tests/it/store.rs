//! The store as a whole: refused input and rollback, retention, shared lists, read-only opening.

use crate::common::{self, Backend, meta, npm, project};
use vigie_store::{Error, Location, Mode};

pub(crate) fn inconsistent_input_is_refused_and_a_dropped_writer_rolls_back(b: &Backend) {
    // Through the writer: a finding of another project is refused, and nothing is kept.
    let mut store = b.fresh();
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

pub(crate) fn retention_keeps_the_last_snapshots_and_drops_unused_packages(b: &Backend) {
    let mut store = b.fresh();
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
    // Two distinct component lists remain: snapshots 4 and 5 differ by lodash. Their one
    // finding is the same: stored once.
    assert_eq!(stats.component_lists, 2);
    assert_eq!(stats.findings_stored, 1);
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

pub(crate) fn unchanged_projects_share_one_list_and_old_lists_stay_out_of_who_uses(b: &Backend) {
    let mut store = b.fresh();
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

pub(crate) fn a_store_opened_to_read_writes_nothing(b: &Backend) {
    let scratch = b.scratch();
    let location = scratch.location.clone();
    assert!(matches!(
        vigie_store::open(&location, Mode::ReadOnly),
        Err(Error::Empty)
    ));
    if let Location::Path(path) = &location {
        assert!(!path.exists(), "a missing store is not created");
    }
    {
        let mut store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
        let mut w = store.begin_snapshot(&meta("t1")).unwrap();
        w.add_project(
            &project("shop", "package-lock.json"),
            &[npm("lodash", "4.17.21")],
            &[],
        )
        .unwrap();
        w.commit().unwrap();
    }
    let mut reader = vigie_store::open(&location, Mode::ReadOnly).unwrap();
    let q = vigie_store::PackageQuery::parse("lodash").unwrap();
    assert_eq!(reader.who_uses(1, &q).unwrap().len(), 1);
    assert!(reader.begin_snapshot(&meta("t2")).is_err());
    assert!(reader.retain(0).is_err());
    // The reader's view stays the one it opened on while a writer commits.
    let mut writer = vigie_store::open(&location, Mode::ReadWrite).unwrap();
    let w = writer.begin_snapshot(&meta("t2")).unwrap();
    w.commit().unwrap();
    assert_eq!(reader.latest().unwrap(), 1);
    assert_eq!(writer.latest().unwrap(), 2);
    drop(reader);
    assert_eq!(
        vigie_store::open(&location, Mode::ReadOnly)
            .unwrap()
            .latest()
            .unwrap(),
        2
    );
}

pub(crate) fn unchanged_projects_are_carried_whole_with_their_fingerprint(b: &Backend) {
    let mut store = b.fresh();
    let lodash = npm("lodash", "4.17.20");
    let mut w = store.begin_snapshot(&meta("2026-11-01T00:00:00Z")).unwrap();
    for path in ["shop", "blog"] {
        let mut p = project(path, "package-lock.json");
        p.fingerprint = Some(format!("fp-{path}"));
        p.uncovered.insert("Maven".into(), 2);
        let f = common::vuln("G", path, &lodash, "high", None);
        w.add_project(&p, std::slice::from_ref(&lodash), &[f])
            .unwrap();
    }
    let first = w.commit().unwrap();
    let states = store.project_states(first).unwrap();
    assert_eq!(
        states
            .iter()
            .map(|s| s.fingerprint.as_str())
            .collect::<Vec<_>>(),
        ["fp-blog", "fp-shop"]
    );
    assert_eq!(states[0].uncovered["Maven"], 2);

    // "shop" read again (changed), "blog" carried; a path not in `first` carries nothing.
    let mut w = store.begin_snapshot(&meta("2026-11-02T00:00:00Z")).unwrap();
    w.add_project(
        &project("shop", "package-lock.json"),
        &[npm("lodash", "4.17.21")],
        &[],
    )
    .unwrap();
    let carried = w
        .carry_unchanged(first, &["blog".to_owned(), "nowhere".to_owned()])
        .unwrap();
    assert_eq!(carried, 1);
    let second = w.commit().unwrap();
    assert_eq!(store.project_paths(second).unwrap(), ["blog", "shop"]);
    let blog = |id| match &store.show(id, "blog").unwrap()[0] {
        vigie_store::Shown::Project(p) => p.data.clone(),
        _ => panic!("blog is a project"),
    };
    assert_eq!(blog(second), blog(first));
    assert_eq!(blog(second).project.fingerprint.as_deref(), Some("fp-blog"));
    // Only the carried project keeps a fingerprint (the re-read one was stored without).
    let states = store.project_states(second).unwrap();
    assert_eq!(states.len(), 1);
    assert_eq!(states[0].path, "blog");
    // Its finding is shared, not stored again.
    assert_eq!(store.stats().unwrap().findings_stored, 2);
}

on_backends! {
    any: [
        unchanged_projects_are_carried_whole_with_their_fingerprint,
        inconsistent_input_is_refused_and_a_dropped_writer_rolls_back,
        retention_keeps_the_last_snapshots_and_drops_unused_packages,
        unchanged_projects_share_one_list_and_old_lists_stay_out_of_who_uses,
    ],
    persistent: [
        a_store_opened_to_read_writes_nothing,
    ],
}
