//! Matching against real advisories of the reference mirror. Every expected
//! answer was worked out by hand from the advisory's JSON (quoted above each
//! case), not taken from vigie's output.

use crate::common;

use vigie_audit::Matcher;
use vigie_knowledge::osv::AdvisoryKind;
use vigie_model::{Component, Ecosystem, Purl};

fn ids(m: &Matcher<'_>, c: &Component) -> Vec<String> {
    let r = m.match_component(c).unwrap();
    let mut ids: Vec<String> = r
        .findings
        .iter()
        .flat_map(|f| f.advisories.iter().cloned())
        .collect();
    ids.sort();
    ids
}

/// Only the vulnerabilities (informational advisories aside).
fn vulns(m: &Matcher<'_>, c: &Component) -> Vec<String> {
    let r = m.match_component(c).unwrap();
    let mut ids: Vec<String> = r
        .findings
        .iter()
        .filter(|f| !f.kind.is_informational())
        .flat_map(|f| f.advisories.iter().cloned())
        .collect();
    ids.sort();
    ids
}

fn component(e: Ecosystem, name: &str, version: &str) -> Component {
    Component::new(e, name, Some(version))
}

#[test]
fn tokio_ranges_and_the_smallest_upgrade() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // RUSTSEC-2021-0124: introduced 0.1.14, fixed 1.8.4, introduced 1.9.0, fixed 1.13.1
    // RUSTSEC-2023-0001: introduced 1.7.0, fixed 1.18.4, introduced 1.19.0, fixed 1.20.3,
    //                    introduced 1.21.0, fixed 1.23.1
    // RUSTSEC-2021-0072: introduced 0.3.0, fixed 1.5.1, introduced 1.6.0, fixed 1.6.3,
    //                    introduced 1.7.0, fixed 1.7.2, introduced 1.8.0, fixed 1.8.1
    // And two informational "unsound" ones:
    // RUSTSEC-2023-0005: introduced 0.2.0, fixed 1.18.5, introduced 1.19.0, fixed 1.20.4,
    //                    introduced 1.21.0, fixed 1.24.2
    // RUSTSEC-2025-0023: introduced 0.2.5, fixed 1.38.2, (then 1.39.0..1.42.1, ...)
    let tokio = |v| component(Ecosystem::Cargo, "tokio", v);
    assert_eq!(
        vulns(&m, &tokio("1.7.0")),
        [
            "RUSTSEC-2021-0072",
            "RUSTSEC-2021-0124",
            "RUSTSEC-2023-0001"
        ]
    );
    assert_eq!(
        ids(&m, &tokio("1.7.0")),
        [
            "RUSTSEC-2021-0072",
            "RUSTSEC-2021-0124",
            "RUSTSEC-2023-0001",
            "RUSTSEC-2023-0005",
            "RUSTSEC-2025-0023"
        ]
    );
    // Fixed versions above 1.7.0 in order: 1.7.2 (0124 still), 1.8.1 (0124),
    // 1.8.4 (2023-0001), 1.13.1 (2023-0001), 1.18.4: no vulnerability left
    // (the unsound advisories do not count for the upgrade).
    let r = m.match_component(&tokio("1.7.0")).unwrap();
    assert_eq!(r.upgrade.as_deref(), Some("1.18.4"));
    assert_eq!(
        vulns(&m, &tokio("1.8.0")),
        [
            "RUSTSEC-2021-0072",
            "RUSTSEC-2021-0124",
            "RUSTSEC-2023-0001"
        ]
    );
    assert_eq!(
        vulns(&m, &tokio("1.8.1")),
        ["RUSTSEC-2021-0124", "RUSTSEC-2023-0001"]
    );
    assert_eq!(vulns(&m, &tokio("1.19.0")), ["RUSTSEC-2023-0001"]);
    let r = m.match_component(&tokio("1.19.0")).unwrap();
    assert_eq!(r.upgrade.as_deref(), Some("1.20.3"));
    assert_eq!(
        ids(&m, &tokio("1.20.3")),
        ["RUSTSEC-2023-0005", "RUSTSEC-2025-0023"]
    );
    assert_eq!(ids(&m, &tokio("1.24.2")), ["RUSTSEC-2025-0023"]);
    assert!(ids(&m, &tokio("1.38.2")).is_empty());
    // Below every first introduced (0124's 0.1.14 is the lowest).
    assert!(ids(&m, &tokio("0.1.13")).is_empty());
}

#[test]
fn pypi_versions_list_ranges_and_name_normalisation() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // PYSEC-2005-1 (trac): ECOSYSTEM introduced 0, fixed 0.10; versions [0.8.4, 0.9].
    let has = |name: &str, v: &str| {
        ids(&m, &component(Ecosystem::PyPI, name, v)).contains(&"PYSEC-2005-1".to_owned())
    };
    assert!(has("trac", "0.9"));
    assert!(
        has("Trac", "0.8.4"),
        "PEP 503: names match whatever their case"
    );
    assert!(has("trac", "0.9.0"), "PEP 440: 0.9.0 == 0.9");
    assert!(has("trac", "0.10b1"), "a pre-release of 0.10 is below 0.10");
    assert!(!has("trac", "0.10"));
    assert!(!has("trac", "1.0"));
}

#[test]
fn informational_and_withdrawn_advisories() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // RUSTSEC-2016-0004 (libusb): informational "unmaintained", SEMVER
    // introduced 0.0.0-0, fixed 0.3.1-0.
    let r = m
        .match_component(&component(Ecosystem::Cargo, "libusb", "0.3.0"))
        .unwrap();
    let f = r
        .findings
        .iter()
        .find(|f| f.id == "RUSTSEC-2016-0004")
        .unwrap();
    assert_eq!(f.kind, AdvisoryKind::Unmaintained);
    assert_eq!(r.upgrade, None, "no vulnerability, no upgrade to recommend");
    // RUSTSEC-2020-0053 (dirs): withdrawn 2021-04-19, range introduced 0.0.0-0.
    assert!(
        !ids(&m, &component(Ecosystem::Cargo, "dirs", "1.0.0"))
            .contains(&"RUSTSEC-2020-0053".to_owned())
    );
}

#[test]
fn last_affected_is_inclusive() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // BIT-activemq-2020-26217: SEMVER [introduced 0, fixed 5.15.14] and
    // [introduced 5.16.0, last_affected 5.16.0].
    let has = |v: &str| {
        ids(&m, &component(Ecosystem::Bitnami, "activemq", v))
            .contains(&"BIT-activemq-2020-26217".to_owned())
    };
    assert!(has("5.15.13"));
    assert!(!has("5.15.14"));
    assert!(has("5.16.0"));
    assert!(!has("5.16.1"));
}

#[test]
fn records_that_alias_each_other_are_one_finding() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // RUSTSEC-2022-0016 and RUSTSEC-2022-0099 (wasmtime) both have aliases
    // CVE-2022-24791 and GHSA-gwc9-348x-qwv2; both affect 0.35.0 (fixed 0.35.2).
    let r = m
        .match_component(&component(Ecosystem::Cargo, "wasmtime", "0.35.0"))
        .unwrap();
    let groups: Vec<_> = r
        .findings
        .iter()
        .filter(|f| f.is_known_as("CVE-2022-24791"))
        .collect();
    assert_eq!(groups.len(), 1);
    assert_eq!(
        groups[0].advisories,
        ["RUSTSEC-2022-0016", "RUSTSEC-2022-0099"]
    );
    assert!(groups[0].fixed.contains(&"0.35.2".to_owned()));
}

#[test]
fn almalinux_release_suffixes() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // ALSA-2024:1782 bind, AlmaLinux:8, fixed 32:9.11.36-11.el8_9.1
    // ALSA-2024:1789 bind, AlmaLinux:9, fixed 32:9.16.23-14.el9_3.4
    // ALSA-2024:2551 bind, AlmaLinux:9, fixed 32:9.16.23-18.el9_4.1
    let on = |purl: &str| {
        let c = Component::from_purl(&purl.parse::<Purl>().unwrap());
        assert_eq!(c.ecosystem, Ecosystem::AlmaLinux);
        ids(&m, &c)
    };
    let el9 = on("pkg:rpm/almalinux/bind@32:9.16.23-14.el9_3.3?distro=almalinux-9.3");
    assert!(el9.contains(&"ALSA-2024:1789".to_owned()));
    assert!(el9.contains(&"ALSA-2024:2551".to_owned()));
    assert!(
        !el9.contains(&"ALSA-2024:1782".to_owned()),
        "an AlmaLinux 8 advisory"
    );
    let el8 = on("pkg:rpm/almalinux/bind@32:9.11.36-11.el8_9?distro=almalinux-8.9");
    assert!(el8.contains(&"ALSA-2024:1782".to_owned()));
    assert!(
        !el8.contains(&"ALSA-2024:1789".to_owned()),
        "an AlmaLinux 9 advisory"
    );
    let fixed9 = on("pkg:rpm/almalinux/bind@32:9.16.23-18.el9_4.1?distro=almalinux-9.4");
    assert!(!fixed9.contains(&"ALSA-2024:1789".to_owned()));
    assert!(!fixed9.contains(&"ALSA-2024:2551".to_owned()));
}

#[test]
fn go_modules_and_unparsable_versions() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // Unknown packages and versions a scheme refuses are not errors.
    let r = m
        .match_component(&component(Ecosystem::Go, "example.com/none", "v1.0.0"))
        .unwrap();
    assert!(r.findings.is_empty());
    let r = m
        .match_component(&component(Ecosystem::Cargo, "tokio", "not a version"))
        .unwrap();
    assert!(r.version_error.is_some());
    assert!(r.findings.is_empty());
}

/// The Go standard library of a `go.mod` whose `go` or `toolchain` line names a release
/// candidate, read by the go.mod reader and audited: `go 1.24rc2` is `v1.24.0-rc.2`, as
/// golang.org/x/vuln's `GoTagToSemver` writes it, so it comes before `1.24.0-rc.3`.
///
/// GO-2025-3447 (stdlib): `introduced 1.24.0-0, fixed 1.24.0-rc.3` → rc.2 affected.
/// GO-2026-4337 (stdlib): `introduced 0, fixed 1.24.13` → 1.24.0-rc.2 affected.
/// GO-2026-4970 and GO-2026-5856: `introduced 1.27.0-0, fixed 1.27.0-rc.2`; GO-2026-5026:
/// `fixed 1.27.0-rc.3` → `toolchain go1.27rc1` affected by all three; `go1.27rc2` only by
/// GO-2026-5026 (a `fixed` is exclusive).
#[test]
fn go_release_candidates_of_go_mod_are_audited() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    let audit = |go_mod: &str| -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("go.mod"), go_mod).unwrap();
        let root = dir.path().to_path_buf();
        let (dirs, _) = vigie_discovery::walk(std::slice::from_ref(&root));
        let source =
            vigie_discovery::DiskSource::new(&[root], vigie_discovery::DEFAULT_MAX_FILE_SIZE);
        let project = vigie_discovery::scan_project(
            &dirs[0],
            &source,
            &vigie_discovery::ScanOptions::default(),
        );
        let audit = vigie_audit::audit_project(Some(&m), &project, &[]).unwrap();
        let mut ids: Vec<String> = audit
            .components
            .iter()
            .filter(|c| c.name == "stdlib")
            .flat_map(|c| c.findings.iter().flat_map(|f| f.advisories.iter().cloned()))
            .collect();
        ids.sort();
        ids
    };
    let rc2 = audit("module m\n\ngo 1.24rc2\n");
    for id in ["GO-2025-3447", "GO-2026-4337"] {
        assert!(rc2.contains(&id.to_owned()), "{id} not in {rc2:?}");
    }
    let rc3 = audit("module m\n\ngo 1.24rc3\n");
    assert!(!rc3.contains(&"GO-2025-3447".to_owned()), "{rc3:?}");
    let t1 = audit("module m\n\ngo 1.24\ntoolchain go1.27rc1\n");
    for id in ["GO-2026-4970", "GO-2026-5856", "GO-2026-5026"] {
        assert!(t1.contains(&id.to_owned()), "{id} not in {t1:?}");
    }
    let t2 = audit("module m\n\ngo 1.24\ntoolchain go1.27rc2\n");
    assert!(t2.contains(&"GO-2026-5026".to_owned()), "{t2:?}");
    assert!(!t2.contains(&"GO-2026-4970".to_owned()), "{t2:?}");
}

/// Build metadata in SEMVER ranges (semver.org §10: it does not figure in precedence).
/// GO-2022-0887 (github.com/go-ldap/ldap): `introduced 0, fixed 2.5.0+incompatible`.
/// GO-2024-3268 (github.com/goharbor/harbor): `introduced 2.5.0+incompatible, fixed
/// 2.5.2+incompatible` (and 2.0.0 to 2.4.3). JLSEC-2025-109 (Julia FFMPEG_jll): `introduced
/// 4.3.1+0, fixed 4.3.1+2`, Julia's own order keeping build metadata.
#[test]
fn build_metadata_is_not_precedence() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    let ldap = "github.com/go-ldap/ldap";
    assert!(
        ids(&m, &component(Ecosystem::Go, ldap, "v2.4.1+incompatible"))
            .contains(&"GO-2022-0887".to_owned())
    );
    for v in ["v2.5.0", "v2.5.0+incompatible"] {
        assert!(
            !ids(&m, &component(Ecosystem::Go, ldap, v)).contains(&"GO-2022-0887".to_owned()),
            "{v}"
        );
    }
    let harbor = "github.com/goharbor/harbor";
    for (v, hit) in [
        ("v2.5.0", true),
        ("v2.5.1+incompatible", true),
        ("v2.5.2", false),
        ("v2.4.3", false),
    ] {
        assert_eq!(
            ids(&m, &component(Ecosystem::Go, harbor, v)).contains(&"GO-2024-3268".to_owned()),
            hit,
            "{v}"
        );
    }
    for (v, hit) in [("4.3.1+0", true), ("4.3.1+1", true), ("4.3.1+2", false)] {
        assert_eq!(
            ids(&m, &component(Ecosystem::Julia, "FFMPEG_jll", v))
                .contains(&"JLSEC-2025-109".to_owned()),
            hit,
            "{v}"
        );
    }
}

#[test]
fn node_wg_advisories_match_npm_ranges_with_their_patched_versions() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // vuln/npm/368.json: lodash <4.17.5, patched >=4.17.5 (CVE-2018-3721);
    // 493.json: <4.17.11, patched >=4.17.11 (CVE-2018-16487);
    // 516.json: >=4.17.15 <4.17.19, patched >=4.17.19.
    let lodash = |v| component(Ecosystem::Npm, "lodash", v);
    assert_eq!(ids(&m, &lodash("4.17.15")), ["NSWG-ECO-516"]);
    assert_eq!(ids(&m, &lodash("4.17.4")), ["NSWG-ECO-368", "NSWG-ECO-493"]);
    assert_eq!(ids(&m, &lodash("4.17.5")), ["NSWG-ECO-493"]);
    assert!(ids(&m, &lodash("4.17.11")).is_empty());
    assert!(ids(&m, &lodash("4.17.19")).is_empty());
    // From 4.17.4 the smallest fixing version of every advisory: 4.17.5 is still in 493,
    // 4.17.11 is in none.
    let r = m.match_component(&lodash("4.17.4")).unwrap();
    assert_eq!(r.upgrade.as_deref(), Some("4.17.11"));
    let r = m.match_component(&lodash("4.17.15")).unwrap();
    assert_eq!(r.upgrade.as_deref(), Some("4.17.19"));
    let aliases: Vec<&str> = r.findings[0]
        .advisories
        .iter()
        .map(String::as_str)
        .collect();
    assert_eq!(aliases, ["NSWG-ECO-516"]);
}

#[test]
fn rubysec_advisories_affect_what_is_neither_patched_nor_unaffected() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // gems/actionpack/CVE-2020-8164.yml: unaffected "< 4.0.0"; patched
    // "~> 5.2.4, >= 5.2.4.3" (>= 5.2.4.3, < 5.3) and ">= 6.0.3.1".
    affected_versions(
        &m,
        Ecosystem::RubyGems,
        "actionpack",
        "CVE-2020-8164",
        &[
            ("3.2.22", false),
            ("4.0.0", true),
            ("5.2.3", true),
            ("5.2.4.2", true),
            ("5.2.4.3", false),
            ("5.2.8", false),
            ("6.0.0", true),
            ("6.0.3.1", false),
            ("7.0.0", false),
        ],
    );
}

/// Asserts for each (version, affected) whether advisory `id` affects `name` at `version`.
fn affected_versions(m: &Matcher<'_>, e: Ecosystem, name: &str, id: &str, cases: &[(&str, bool)]) {
    for (v, affected) in cases {
        let found = ids(m, &component(e, name, v)).contains(&id.to_owned());
        assert_eq!(found, *affected, "{name} {v}");
    }
}

#[test]
fn friendsofphp_branches_are_alternatives() {
    let Some(index) = common::index() else { return };
    let m = Matcher::new(index);
    // guzzlehttp/guzzle/CVE-2016-5385.yaml: branches ['>=6', '<6.2.1'],
    // ['>=4.0.0-rc2', '<4.2.4'], ['>=5', '<5.3.1'].
    affected_versions(
        &m,
        Ecosystem::Packagist,
        "guzzlehttp/guzzle",
        "FOP-guzzlehttp-guzzle-CVE-2016-5385",
        &[
            ("3.8.1", false),
            ("4.1.0", true),
            ("4.2.4", false),
            ("5.3.0", true),
            ("5.3.1", false),
            ("6.2.0", true),
            ("6.2.1", false),
        ],
    );
}

#[test]
fn a_composer_tag_keeps_its_v_and_matches_as_the_bare_version() {
    let Some(index) = common::index() else { return };
    let Some(data) = common::data_dir() else {
        return;
    };
    let m = Matcher::new(index);
    // symfony/process/CVE-2024-51736.yaml: branches ['>=6.4.0', '<6.4.14'] and ['>=7.1.0',
    // '<7.1.7'] among others; the package's only advisory in the mirror. Composer writes its
    // tags with the `v`: BookStack's lock has `v6.4.12`.
    let lock = data.join("lockfiles/bookstack/composer.lock");
    let text = std::fs::read_to_string(&lock).unwrap();
    let out = vigie_discovery::read_file_as(
        &vigie_discovery::readers::composer_lock::READER,
        "composer.lock",
        &text,
        &vigie_discovery::MemorySource::new(),
    );
    let process = out
        .components
        .iter()
        .find(|c| c.name == "symfony/process")
        .unwrap();
    assert_eq!(process.purl, "pkg:composer/symfony/process@v6.4.12");
    let id = "FOP-symfony-process-CVE-2024-51736";
    assert_eq!(ids(&m, process), [id]);
    affected_versions(
        &m,
        Ecosystem::Packagist,
        "symfony/process",
        id,
        &[
            ("v6.3.9", true),
            ("V6.4.0", true),
            ("v6.4.13", true),
            ("v6.4.14", false),
            ("v7.1.6", true),
            ("v7.1.7", false),
        ],
    );
    // Every component of the lock: as written and without its `v`, the same findings and
    // the same upgrade; and a part of them is affected, so the comparison says something.
    let mut tagged_and_hit = 0;
    for c in &out.components {
        let Some(bare) = c.version.as_deref().and_then(|v| v.strip_prefix('v')) else {
            continue;
        };
        let without = component(Ecosystem::Packagist, &c.name, bare);
        let (a, b) = (
            m.match_component(c).unwrap(),
            m.match_component(&without).unwrap(),
        );
        assert_eq!(ids(&m, c), ids(&m, &without), "{}", c.purl);
        assert_eq!(a.upgrade, b.upgrade, "{}", c.purl);
        tagged_and_hit += usize::from(!a.findings.is_empty());
    }
    assert!(tagged_and_hit >= 1, "symfony/process at least");
}

#[test]
fn a_vulnerability_known_through_osv_and_a_native_feed_is_one_finding() {
    use vigie_knowledge::index::{Index, IndexWriter};
    // An OSV record and the Node.js WG's record of the same CVE, for the same package.
    let osv = br#"{"id": "GHSA-jf85-cpcp-j695", "aliases": ["CVE-2019-10744"],
        "summary": "Prototype Pollution in lodash", "modified": "2023-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "npm", "name": "lodash"},
          "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "4.17.12"}]}]}]}"#;
    let wg = br#"{"id": 1065, "title": "Prototype Pollution", "module_name": "lodash",
        "cves": ["CVE-2019-10744"], "vulnerable_versions": "<4.17.12",
        "patched_versions": ">=4.17.12"}"#;
    let mut w = IndexWriter::new();
    let (a, p) = vigie_knowledge::osv::compile(osv).unwrap();
    w.add(a, p);
    let (a, p) = vigie_knowledge::native::nodejs::read("vuln/npm/1065.json", wg).unwrap();
    w.add(a, p);
    let dir = tempfile::tempdir().unwrap();
    w.write(dir.path()).unwrap();
    let index = Index::open(dir.path()).unwrap();
    let m = Matcher::new(&index);
    let r = m
        .match_component(&component(Ecosystem::Npm, "lodash", "4.17.11"))
        .unwrap();
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let mut all = r.findings[0].advisories.clone();
    all.sort();
    assert_eq!(all, ["GHSA-jf85-cpcp-j695", "NSWG-ECO-1065"]);
    assert!(r.findings[0].aliases.contains(&"CVE-2019-10744".to_owned()));
    assert_eq!(r.upgrade.as_deref(), Some("4.17.12"));
}
