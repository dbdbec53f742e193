//! `who_uses` by purl, name, version and range; `who_uses_advisory`; `show` with the blast
//! radius over catalog relations.
//!
//! The estate, by hand: `payments/api` has log4j-core 2.14.1 (vulnerable to Log4Shell:
//! < 2.15.0) and lodash 4.17.20; `billing` has log4j-core 2.17.1 and Django 4.2.1;
//! `tools/scripts` has lodash 4.17.21. Catalog: system `payments` (owner team-pay) holds
//! component `payments-api` (repo `https://git.example.com/acme/payments.git`, owner alice),
//! which depends on resource `pay-db`; component `billing` (repo path `billing`, owner team-bill)
//! depends on `payments-api` through its API; `pay-db` depends on `billing` (a cycle).

use crate::common::{Backend, TestStore, entity, meta, npm, project, vuln};
use vigie_model::{Component, Ecosystem};
use vigie_store::{FindingRecord, PackageQuery, RelationRecord, Shown, Store};

fn maven(name: &str, v: &str) -> Component {
    Component::new(Ecosystem::Maven, name, Some(v))
}

fn rel(s: &str, r: &str, t: &str) -> RelationRecord {
    RelationRecord {
        source: s.to_owned(),
        relation: r.to_owned(),
        target: t.to_owned(),
    }
}

fn estate(b: &Backend) -> (TestStore, i64) {
    let mut store = b.fresh();
    let log4j_old = maven("org.apache.logging.log4j:log4j-core", "2.14.1");
    let mut log4shell = vuln(
        "GHSA-jfh8-c2jp-5v3q",
        "payments/api",
        &log4j_old,
        "critical",
        Some("2.15.0"),
    );
    log4shell.aliases = vec!["CVE-2021-44228".to_owned()];
    log4shell.known_exploited = true;
    let mut w = store.begin_snapshot(&meta("2026-11-01T00:00:00Z")).unwrap();
    w.add_project(
        &project("payments/api", "pom.xml"),
        &[log4j_old, npm("lodash", "4.17.20")],
        &[log4shell],
    )
    .unwrap();
    w.add_project(
        &project("billing", "pom.xml"),
        &[
            maven("org.apache.logging.log4j:log4j-core", "2.17.1"),
            Component::new(Ecosystem::PyPI, "Django", Some("4.2.1")),
        ],
        &[],
    )
    .unwrap();
    w.add_project(
        &project("tools/scripts", "package-lock.json"),
        &[npm("lodash", "4.17.21")],
        &[],
    )
    .unwrap();
    w.add_entities(
        &[
            entity(
                "system:default/payments",
                "System",
                &["group:default/team-pay"],
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
                &["group:default/team-bill"],
                None,
                &["./billing/"],
            ),
            entity(
                "resource:default/pay-db",
                "Resource",
                &["group:default/dba"],
                Some("system:default/payments"),
                &[],
            ),
            entity(
                "api:default/pay-api",
                "API",
                &["group:default/team-pay"],
                None,
                &[],
            ),
        ],
        &[
            rel(
                "component:default/payments-api",
                "dependsOn",
                "resource:default/pay-db",
            ),
            rel(
                "component:default/payments-api",
                "providesApi",
                "api:default/pay-api",
            ),
            rel(
                "component:default/billing",
                "consumesApi",
                "api:default/pay-api",
            ),
            rel(
                "resource:default/pay-db",
                "dependsOn",
                "component:default/billing",
            ),
        ],
    )
    .unwrap();
    let id = w.commit().unwrap();
    (store, id)
}

fn paths(store: &dyn Store, id: i64, q: &str) -> Vec<String> {
    let q = PackageQuery::parse(q).unwrap();
    store
        .who_uses(id, &q)
        .unwrap()
        .into_iter()
        .map(|u| u.project_path)
        .collect()
}

pub(crate) fn who_uses_by_purl_name_version_and_range(b: &Backend) {
    let (store, id) = estate(b);
    let both = ["billing", "payments/api"];
    assert_eq!(
        paths(&*store, id, "pkg:maven/org.apache.logging.log4j/log4j-core"),
        both
    );
    assert_eq!(
        paths(
            &*store,
            id,
            "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
        ),
        ["payments/api"]
    );
    assert_eq!(
        paths(&*store, id, "org.apache.logging.log4j:log4j-core"),
        both
    );
    // The Maven artifact alone.
    assert_eq!(paths(&*store, id, "log4j-core"), both);
    // Log4Shell: < 2.15.0 in Maven's native syntax, and as a vers range.
    assert_eq!(paths(&*store, id, "log4j-core@<2.15.0"), ["payments/api"]);
    assert_eq!(
        paths(&*store, id, "log4j-core@vers:maven/>=2.0.0|<2.17.1"),
        ["payments/api"]
    );
    assert_eq!(
        paths(&*store, id, "log4j-core@vers:maven/>=2.0.0|<=2.17.1"),
        both
    );
    assert_eq!(
        paths(&*store, id, "lodash@^4.17.0"),
        ["payments/api", "tools/scripts"]
    );
    assert_eq!(paths(&*store, id, "lodash@4.17.21"), ["tools/scripts"]);
    // PEP 503 names and PEP 440 equality: django@4.2.1.0 is Django 4.2.1.
    assert_eq!(paths(&*store, id, "DJANGO@4.2.1.0"), ["billing"]);
    assert!(paths(&*store, id, "left-pad").is_empty());
    assert!(PackageQuery::parse("  ").is_err());
    assert!(PackageQuery::parse("pkg:").is_err());
    assert!(PackageQuery::parse("x@vers:nope").is_err());
}

pub(crate) fn who_uses_gives_systems_and_owners(b: &Backend) {
    let (store, id) = estate(b);
    let q = PackageQuery::parse("log4j-core@2.14.1").unwrap();
    let uses = store.who_uses(id, &q).unwrap();
    assert_eq!(uses.len(), 1);
    let e = &uses[0].entities;
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].entity_ref, "component:default/payments-api");
    assert_eq!(e[0].system.as_deref(), Some("system:default/payments"));
    assert_eq!(e[0].owners, ["user:default/alice"]);
    let q = PackageQuery::parse("pkg:pypi/django").unwrap();
    let uses = store.who_uses(id, &q).unwrap();
    assert_eq!(uses[0].entities[0].entity_ref, "component:default/billing");
}

pub(crate) fn who_uses_an_advisory_by_id_or_alias(b: &Backend) {
    let (store, id) = estate(b);
    for q in ["GHSA-jfh8-c2jp-5v3q", "CVE-2021-44228", "cve-2021-44228"] {
        let hits = store.who_uses_advisory(id, q).unwrap();
        assert_eq!(hits.len(), 1, "{q}");
        assert_eq!(hits[0].finding.project_path, "payments/api");
        assert!(hits[0].finding.known_exploited);
        assert_eq!(hits[0].entities[0].owners, ["user:default/alice"]);
    }
    assert!(
        store
            .who_uses_advisory(id, "CVE-2000-0001")
            .unwrap()
            .is_empty()
    );
}

pub(crate) fn show_gives_the_blast_radius_without_looping_on_cycles(b: &Backend) {
    let (store, id) = estate(b);
    let shown = store.show(id, "pay-db").unwrap();
    let Some(Shown::Entity(db)) = shown.first() else {
        panic!("{shown:?}")
    };
    // Worked out by hand. pay-db → billing → pay-api → payments-api → pay-db (cycle).
    assert_eq!(
        db.depends_on,
        [
            "api:default/pay-api",
            "component:default/billing",
            "component:default/payments-api"
        ]
    );
    // Who depends on pay-db: payments-api (dependsOn), and then billing (through pay-api),
    // pay-db itself is excluded, and system payments (it has both as parts).
    assert_eq!(
        db.depended_on_by,
        [
            "api:default/pay-api",
            "component:default/billing",
            "component:default/payments-api",
            "system:default/payments"
        ]
    );
    // The system: its parts, their projects, components and findings.
    let Some(Shown::Entity(sys)) = store.show(id, "payments").unwrap().into_iter().next() else {
        panic!()
    };
    assert_eq!(
        sys.parts,
        ["component:default/payments-api", "resource:default/pay-db"]
    );
    assert_eq!(sys.projects, ["payments/api"]);
    assert_eq!(sys.findings.len(), 1);
    assert_eq!(sys.packages.len(), 2);
    assert!(sys.depended_on_by.is_empty());
    // A project by path.
    let Some(Shown::Project(p)) = store.show(id, "payments/api").unwrap().into_iter().next() else {
        panic!()
    };
    assert_eq!(p.data.components.len(), 2);
    assert_eq!(p.entities[0].entity_ref, "component:default/payments-api");
    assert!(p.depends_on.contains(&"resource:default/pay-db".to_owned()));
    // The same project found by its path alone; no project at a name or an unknown path.
    let by_path = store.project_view(id, "payments/api").unwrap().unwrap();
    assert_eq!(by_path, *p);
    assert!(store.project_view(id, "payments").unwrap().is_none());
    assert!(store.project_view(id, "nothing-here").unwrap().is_none());
    assert!(store.project_view(id + 100, "payments/api").is_err());
    assert!(store.show(id, "nothing-here").unwrap().is_empty());
}

pub(crate) fn a_projects_history_counts_what_its_views_hold(b: &Backend) {
    // Three snapshots: `shop` with 2 components and 1 finding, then absent, then with 3
    // components and none; `empty` with no component at all in each.
    let mut store = b.fresh();
    let lodash = vuln("GHSA-l", "shop", &npm("lodash", "4.17.20"), "high", None);
    let contents: [Option<(Vec<Component>, Vec<FindingRecord>)>; 3] = [
        Some((
            vec![npm("lodash", "4.17.20"), npm("qs", "6.5.2")],
            vec![lodash],
        )),
        None,
        Some((
            vec![
                npm("lodash", "4.17.21"),
                npm("qs", "6.5.3"),
                npm("ms", "2.1.3"),
            ],
            Vec::new(),
        )),
    ];
    let mut ids = Vec::new();
    for (day, shop) in contents.iter().enumerate() {
        let mut w = store
            .begin_snapshot(&meta(&format!("2026-11-0{}T00:00:00Z", day + 1)))
            .unwrap();
        w.add_project(&project("empty", "package-lock.json"), &[], &[])
            .unwrap();
        if let Some((components, findings)) = shop {
            w.add_project(&project("shop", "package-lock.json"), components, findings)
                .unwrap();
        }
        ids.push(w.commit().unwrap());
    }
    for path in ["shop", "empty"] {
        // The independent count: each snapshot's view of the project, newest first.
        let want: Vec<(i64, u64, u64)> = ids
            .iter()
            .rev()
            .filter_map(|&id| {
                let v = store.project_view(id, path).unwrap()?;
                Some((
                    id,
                    v.data.components.len() as u64,
                    v.data.findings.len() as u64,
                ))
            })
            .collect();
        let got: Vec<(i64, u64, u64)> = store
            .project_history(path, 12)
            .unwrap()
            .iter()
            .map(|h| (h.snapshot, h.components, h.findings))
            .collect();
        assert_eq!(got, want, "{path}");
        assert_eq!(store.project_history(path, 1).unwrap().len(), 1, "{path}");
    }
    assert_eq!(store.project_history("shop", 12).unwrap().len(), 2);
    assert_eq!(
        store.project_history("shop", 12).unwrap()[1].taken_at,
        "2026-11-01T00:00:00Z"
    );
    assert!(store.project_history("nowhere", 12).unwrap().is_empty());
}

pub(crate) fn a_package_in_hundreds_of_projects_is_answered_the_same_by_both_paths(b: &Backend) {
    // 300 projects `repo-<i>`, each with its own library (so 300 distinct lists) and
    // `common`: 1.0.0 in even projects, 2.0.0 in odd ones, as a dev dependency in every
    // third. `repo-7` is linked to component `c7` of team `t7`. Asking for `common` goes
    // through the bulk path (more than 256 lists), `common@2.0.0` (150 lists) through the
    // per-list lookups; both must say the same of the projects they share.
    let mut store = b.fresh();
    let mut w = store.begin_snapshot(&meta("t")).unwrap();
    for i in 0..300 {
        let mut common = npm("common", if i % 2 == 0 { "1.0.0" } else { "2.0.0" });
        if i % 3 == 0 {
            common.scope = vigie_model::Scope::Dev;
        }
        w.add_project(
            &project(&format!("repo-{i}"), "package-lock.json"),
            &[npm(&format!("lib-{i}"), "1.0.0"), common],
            &[],
        )
        .unwrap();
    }
    w.add_entities(
        &[entity(
            "component:default/c7",
            "Component",
            &["group:default/t7"],
            None,
            &["repo-7"],
        )],
        &[],
    )
    .unwrap();
    let id = w.commit().unwrap();
    let all = store
        .who_uses(id, &PackageQuery::parse("common").unwrap())
        .unwrap();
    let odd = store
        .who_uses(id, &PackageQuery::parse("common@2.0.0").unwrap())
        .unwrap();
    assert_eq!((all.len(), odd.len()), (300, 150));
    let dev = all
        .iter()
        .filter(|u| u.scope == vigie_model::Scope::Dev)
        .count();
    assert_eq!(dev, 100);
    for u in &odd {
        let same = all
            .iter()
            .find(|a| a.project_path == u.project_path)
            .unwrap();
        assert_eq!(same, u);
    }
    let seven = odd.iter().find(|u| u.project_path == "repo-7").unwrap();
    assert_eq!(seven.entities.len(), 1);
    assert_eq!(seven.entities[0].owners, ["group:default/t7"]);
    assert_eq!(seven.version.as_deref(), Some("2.0.0"));
}

/// `(path, purl)` of each usage.
pub(crate) fn pairs(uses: &[vigie_store::Usage]) -> Vec<(String, String)> {
    uses.iter()
        .map(|u| (u.project_path.clone(), u.purl.clone()))
        .collect()
}

/// 400 projects `team-<i % 7>/repo-<i>` (paths share prefixes, and byte order is not
/// numeric order), each with its own library and `common@1.0.0`; every fifth also has
/// `common@3.0.0` (two versions in one project); twice (snapshots 1 and 2). Gives the
/// `(path, purl)` pairs expected for `common` in snapshot 2, computed from these inputs.
pub(crate) fn bulk_estate(store: &mut dyn Store) -> Vec<(String, String)> {
    let mut want = Vec::new();
    for round in 0..2 {
        let mut w = store.begin_snapshot(&meta(&format!("t{round}"))).unwrap();
        for i in 0..400 {
            let path = format!("team-{}/repo-{i}", i % 7);
            let mut components = vec![npm(&format!("lib-{i}"), "1.0.0"), npm("common", "1.0.0")];
            if i % 5 == 0 {
                components.push(npm("common", "3.0.0"));
            }
            if round == 1 {
                for c in &components[1..] {
                    want.push((path.clone(), c.purl.clone()));
                }
            }
            w.add_project(&project(&path, "package-lock.json"), &components, &[])
                .unwrap();
        }
        w.commit().unwrap();
    }
    want.sort();
    want
}

pub(crate) fn the_bulk_path_answers_in_path_and_purl_order(b: &Backend) {
    // The answer of `bulk_estate` must come the same after retention, after export and
    // import into a fresh store, and streamed (`sqlite.rs` checks it without the directory).
    let mut store = b.fresh();
    let want = bulk_estate(&mut *store);
    let q = PackageQuery::parse("common").unwrap();
    let stored = store.who_uses(2, &q).unwrap();
    assert_eq!(pairs(&stored), want);
    assert_eq!(store.retain(1).unwrap().snapshots, 1);
    assert_eq!(store.who_uses(2, &q).unwrap(), stored, "after retention");
    let mut exported = Vec::new();
    store.export(&mut exported).unwrap();
    drop(store);

    let mut fresh = b.fresh();
    fresh.import(&mut exported.as_slice()).unwrap();
    assert_eq!(fresh.who_uses(2, &q).unwrap(), stored, "after import");

    // Streamed, the same rows in the same order; an error of the caller stops the walk.
    let mut streamed = Vec::new();
    fresh
        .who_uses_each(2, &q, &mut |u| {
            streamed.push(u.to_usage());
            Ok(())
        })
        .unwrap();
    assert_eq!(streamed, stored);
    let mut calls = 0;
    let stopped = fresh.who_uses_each(2, &q, &mut |_| {
        calls += 1;
        Err(vigie_store::Error::Invalid("enough".into()))
    });
    assert!(matches!(stopped, Err(vigie_store::Error::Invalid(_))));
    assert_eq!(calls, 1);
}

/// Composer keeps its tags' `v` in the purl (`pkg:composer/symfony/process@v6.4.12`); a version
/// or a range asked without it finds them, in Composer's order (`v6.4.12` is `6.4.12`).
pub(crate) fn a_composer_tag_is_found_by_its_bare_version_and_by_ranges(b: &Backend) {
    let mut store = b.fresh();
    let composer = |name: &str, v: &str| Component::new(Ecosystem::Packagist, name, Some(v));
    let mut w = store.begin_snapshot(&meta("2026-11-01T00:00:00Z")).unwrap();
    w.add_project(
        &project("shop", "composer.lock"),
        &[
            composer("symfony/process", "v6.4.12"),
            composer("guzzlehttp/psr7", "2.7.0"),
        ],
        &[],
    )
    .unwrap();
    w.add_project(
        &project("blog", "composer.lock"),
        &[composer("symfony/process", "v7.1.7")],
        &[],
    )
    .unwrap();
    let id = w.commit().unwrap();
    let both = ["blog", "shop"];
    // symfony/process/CVE-2024-51736.yaml: >=6.4.0,<6.4.14 and >=7.1.0,<7.1.7.
    let cases: [(&str, &[&str]); 11] = [
        ("pkg:composer/symfony/process", &both),
        ("pkg:composer/symfony/process@v6.4.12", &["shop"]),
        ("pkg:composer/symfony/process@6.4.12", &["shop"]),
        ("symfony/process@6.4.12.0", &["shop"]),
        ("pkg:composer/symfony/process@<7", &["shop"]),
        ("symfony/process@<6.4.12", &[]),
        ("symfony/process@^6.4", &["shop"]),
        (
            "symfony/process@>=6.4.0,<6.4.14 || >=7.1.0,<7.1.7",
            &["shop"],
        ),
        ("symfony/process@vers:composer/>=6.4.0|<6.4.14", &["shop"]),
        ("symfony/process@vers:composer/>=6.4.0|<=7.1.7", &both),
        ("guzzlehttp/psr7@v2.7.0", &["shop"]),
    ];
    for (q, want) in cases {
        assert_eq!(paths(&*store, id, q), want, "{q}");
    }
}

on_backends! {
    any: [
        a_composer_tag_is_found_by_its_bare_version_and_by_ranges,
        who_uses_by_purl_name_version_and_range,
        who_uses_gives_systems_and_owners,
        who_uses_an_advisory_by_id_or_alias,
        show_gives_the_blast_radius_without_looping_on_cycles,
        a_package_in_hundreds_of_projects_is_answered_the_same_by_both_paths,
        a_projects_history_counts_what_its_views_hold,
        the_bulk_path_answers_in_path_and_purl_order,
    ],
    persistent: [],
}
