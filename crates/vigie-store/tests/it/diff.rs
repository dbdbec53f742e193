//! Diff of two snapshots of an estate whose `shop/package-lock.json` changed between scans.
//!
//! The two lockfiles, by hand:
//!
//! | package  | scan 1          | scan 2          |
//! |----------|-----------------|-----------------|
//! | lodash   | 4.17.20         | 4.17.21         |
//! | express  | 4.17.1          | 4.17.1          |
//! | minimist | 1.2.5           | (gone)          |
//! | qs       | (absent)        | 6.11.0          |
//! | ms       | 2.0.0 and 2.1.2 | 2.0.0 and 2.1.3 |
//!
//! plus `legacy/` removed and `new-svc/` added. So the expected diff, worked out from the
//! table: shop changed (lodash 4.17.20→4.17.21, ms 2.1.2→2.1.3, minimist removed, qs
//! added; express and ms 2.0.0 unchanged, so absent), projects +new-svc −legacy; findings:
//! lodash's and minimist's advisories and legacy's finding resolved, qs's appeared, express's
//! rating went medium→high (changed), and express's second advisory is unchanged (absent).

use crate::common::{Backend, meta, npm, project, vuln};
use vigie_store::ComponentChange;

pub(crate) fn a_changed_lockfile_gives_the_hand_worked_diff(b: &Backend) {
    let mut store = b.fresh();
    let (lodash0, lodash1) = (npm("lodash", "4.17.20"), npm("lodash", "4.17.21"));
    let express = npm("express", "4.17.1");
    let minimist = npm("minimist", "1.2.5");
    let qs = npm("qs", "6.11.0");
    let (ms0, ms1, ms2) = (npm("ms", "2.0.0"), npm("ms", "2.1.2"), npm("ms", "2.1.3"));
    let old_legacy = npm("left-pad", "1.3.0");

    let shop = project("shop", "package-lock.json");
    let mut w = store.begin_snapshot(&meta("2026-11-01T00:00:00Z")).unwrap();
    w.add_project(
        &shop,
        &[
            lodash0.clone(),
            express.clone(),
            minimist.clone(),
            ms0.clone(),
            ms1.clone(),
        ],
        &[
            vuln("GHSA-lodash", "shop", &lodash0, "high", Some("4.17.21")),
            vuln(
                "GHSA-minimist",
                "shop",
                &minimist,
                "critical",
                Some("1.2.6"),
            ),
            vuln("GHSA-express-a", "shop", &express, "medium", None),
            vuln("GHSA-express-b", "shop", &express, "low", None),
        ],
    )
    .unwrap();
    w.add_project(
        &project("legacy", "package-lock.json"),
        std::slice::from_ref(&old_legacy),
        &[vuln("GHSA-leftpad", "legacy", &old_legacy, "low", None)],
    )
    .unwrap();
    let a = w.commit().unwrap();

    let mut w = store.begin_snapshot(&meta("2026-11-02T00:00:00Z")).unwrap();
    w.add_project(
        &shop,
        &[
            lodash1.clone(),
            express.clone(),
            qs.clone(),
            ms0.clone(),
            ms2.clone(),
        ],
        &[
            vuln("GHSA-express-a", "shop", &express, "high", None),
            vuln("GHSA-express-b", "shop", &express, "low", None),
            vuln("GHSA-qs", "shop", &qs, "medium", Some("6.11.1")),
        ],
    )
    .unwrap();
    w.add_project(
        &project("new-svc", "package-lock.json"),
        &[npm("lodash", "4.17.21")],
        &[],
    )
    .unwrap();
    let b = w.commit().unwrap();

    let d = store.diff(a, b).unwrap();
    assert_eq!(d.projects_added, ["new-svc"]);
    assert_eq!(d.projects_removed, ["legacy"]);
    assert_eq!(d.projects_changed.len(), 1);
    let shop_diff = &d.projects_changed[0];
    assert_eq!(shop_diff.path, "shop");
    let added: Vec<&str> = shop_diff.added.iter().map(|p| p.purl.as_str()).collect();
    let removed: Vec<&str> = shop_diff.removed.iter().map(|p| p.purl.as_str()).collect();
    assert_eq!(added, ["pkg:npm/qs@6.11.0"]);
    assert_eq!(removed, ["pkg:npm/minimist@1.2.5"]);
    let change = |name: &str, from: &str, to: &str| ComponentChange {
        ecosystem: "npm".to_owned(),
        name: name.to_owned(),
        from: Some(from.to_owned()),
        to: Some(to.to_owned()),
    };
    assert_eq!(
        shop_diff.changed,
        [
            change("lodash", "4.17.20", "4.17.21"),
            change("ms", "2.1.2", "2.1.3")
        ]
    );

    let ids = |v: &[vigie_store::FindingRecord]| v.iter().map(|f| f.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&d.findings_appeared), ["GHSA-qs"]);
    // Sorted by key: "vulnerability/GHSA-leftpad/legacy/..." < "vulnerability/GHSA-lodash/..."
    // < "vulnerability/GHSA-minimist/...".
    assert_eq!(
        ids(&d.findings_resolved),
        ["GHSA-leftpad", "GHSA-lodash", "GHSA-minimist"]
    );
    assert_eq!(d.findings_changed.len(), 1);
    let c = &d.findings_changed[0];
    assert_eq!(c.before.id, "GHSA-express-a");
    assert_eq!(
        (c.before.rating.as_str(), c.after.rating.as_str()),
        ("medium", "high")
    );

    // The reverse diff mirrors it.
    let r = store.diff(b, a).unwrap();
    assert_eq!(r.projects_added, ["legacy"]);
    assert_eq!(
        ids(&r.findings_appeared),
        ["GHSA-leftpad", "GHSA-lodash", "GHSA-minimist"]
    );
    assert_eq!(
        r.projects_changed[0].changed,
        [
            change("lodash", "4.17.21", "4.17.20"),
            change("ms", "2.1.3", "2.1.2")
        ]
    );

    // A snapshot against itself: nothing.
    let same = store.diff(b, b).unwrap();
    assert!(same.projects_changed.is_empty() && same.findings_appeared.is_empty());
    assert!(same.findings_changed.is_empty() && same.projects_added.is_empty());
}

pub(crate) fn diff_of_an_unknown_snapshot_is_a_typed_error(b: &Backend) {
    let store = b.fresh();
    assert!(matches!(
        store.diff(1, 2),
        Err(vigie_store::Error::NoSnapshot(1))
    ));
}

on_backends! {
    any: [
        a_changed_lockfile_gives_the_hand_worked_diff,
        diff_of_an_unknown_snapshot_is_a_typed_error,
    ],
    persistent: [
    ],
}
