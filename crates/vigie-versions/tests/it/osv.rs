//! OSV range evaluation, with the cases of the OSV schema's "Evaluation" section and its
//! examples (<https://ossf.github.io/osv-schema/#evaluation>), worked out by hand from the
//! algorithm there: a version is affected when the last event at or below it (events sorted
//! by version, `introduced: "0"` first) is an `introduced`; `fixed` is exclusive,
//! `last_affected` inclusive; `GIT` ranges never match a version.

use vigie_versions::Scheme;
use vigie_versions::osv::{
    CompiledRange, Event, Range, RangeKind, range_contains, unreadable_events,
};

fn range(kind: RangeKind, events: &[(&str, &str)]) -> Range {
    Range {
        kind,
        events: events
            .iter()
            .map(|(k, v)| {
                let v = v.to_string();
                match *k {
                    "introduced" => Event::Introduced(v),
                    "fixed" => Event::Fixed(v),
                    "last_affected" => Event::LastAffected(v),
                    _ => Event::Limit(v),
                }
            })
            .collect(),
    }
}

/// Checks each (version, affected) against the range.
fn check(scheme: Scheme, r: &Range, cases: &[(&str, bool)]) {
    for (v, want) in cases {
        let parsed = scheme.parse(v).unwrap();
        assert_eq!(
            range_contains(scheme, r, &parsed).unwrap(),
            *want,
            "{v} in {r:?}"
        );
    }
}

#[test]
fn introduced_zero_and_fixed() {
    let r = range(
        RangeKind::Semver,
        &[("introduced", "0"), ("fixed", "1.0.2")],
    );
    check(
        Scheme::Semver,
        &r,
        &[
            ("0.0.0", true),
            ("0.1.0-alpha", true),
            ("1.0.1", true),
            ("1.0.2", false),
            ("2.0.0", false),
        ],
    );
}

/// The schema's example of two affected spans in one range.
#[test]
fn two_spans() {
    let r = range(
        RangeKind::Semver,
        &[
            ("introduced", "1.0.0"),
            ("fixed", "1.0.2"),
            ("introduced", "1.1.0"),
            ("fixed", "1.1.2"),
        ],
    );
    check(
        Scheme::Semver,
        &r,
        &[
            ("0.9.9", false),
            ("1.0.0", true),
            ("1.0.1", true),
            ("1.0.2", false),
            ("1.0.9", false),
            ("1.1.0", true),
            ("1.1.1", true),
            ("1.1.2", false),
            ("3.0.0", false),
        ],
    );
}

/// Events are sorted before evaluation: the same range written in another order.
#[test]
fn events_in_any_order() {
    let r = range(
        RangeKind::Semver,
        &[
            ("fixed", "1.1.2"),
            ("introduced", "1.1.0"),
            ("fixed", "1.0.2"),
            ("introduced", "1.0.0"),
        ],
    );
    check(
        Scheme::Semver,
        &r,
        &[("1.0.1", true), ("1.0.5", false), ("1.1.1", true)],
    );
}

#[test]
fn last_affected_is_inclusive() {
    let r = range(
        RangeKind::Ecosystem,
        &[("introduced", "1.0"), ("last_affected", "1.2")],
    );
    check(
        Scheme::Pep440,
        &r,
        &[
            ("0.9", false),
            ("1.0", true),
            ("1.2", true),
            ("1.2.0", true),
            ("1.2.post1", false),
            ("1.3", false),
        ],
    );
    // Open-ended: introduced only.
    let r = range(RangeKind::Ecosystem, &[("introduced", "2.0")]);
    check(
        Scheme::Pep440,
        &r,
        &[
            ("1.9", false),
            ("2.0rc1", false),
            ("2.0", true),
            ("99", true),
        ],
    );
}

/// `limit` bounds every range type, as the schema's `BeforeLimits` reads: "if no limit events
/// in range.events: return true (an implicit `*` entry is assumed); for evt in range.events: if
/// evt.limit is present and v < evt.limit: return true; return false", and "`limit` allows
/// versions containing the string `*` to represent infinity"; several limits are allowed.
#[test]
fn limit_events_on_every_range_type() {
    let r = range(
        RangeKind::Semver,
        &[("introduced", "0"), ("limit", "1.0.0")],
    );
    check(
        Scheme::Semver,
        &r,
        &[
            ("0.9.0", true),
            ("1.0.0-rc.1", true),
            ("1.0.0", false),
            ("5.0.0", false),
        ],
    );
    // ECOSYSTEM: the ecosystem's scheme compares the limit (PEP 440: `2.0rc1` < `2.0`).
    let r = range(
        RangeKind::Ecosystem,
        &[("introduced", "1.0"), ("limit", "2.0")],
    );
    check(
        Scheme::Pep440,
        &r,
        &[
            ("0.9", false),
            ("1.5", true),
            ("2.0rc1", true),
            ("2.0", false),
            ("2.1", false),
        ],
    );
    // A `fixed` still ends the span below the limit.
    let r = range(
        RangeKind::Ecosystem,
        &[("introduced", "0"), ("fixed", "1.5"), ("limit", "3.0")],
    );
    check(
        Scheme::Pep440,
        &r,
        &[("1.0", true), ("1.5", false), ("3.1", false)],
    );
    // Several limits: below any of them is enough, so the highest bounds the range.
    let r = range(
        RangeKind::Semver,
        &[("introduced", "0"), ("limit", "1.0.0"), ("limit", "3.0.0")],
    );
    check(Scheme::Semver, &r, &[("2.0.0", true), ("3.0.0", false)]);
    // `*` is infinity: no bound, even beside a finite limit.
    let r = range(RangeKind::Semver, &[("introduced", "0"), ("limit", "*")]);
    check(Scheme::Semver, &r, &[("99.0.0", true)]);
    let r = range(
        RangeKind::Semver,
        &[("introduced", "0"), ("limit", "1.0.0"), ("limit", "*")],
    );
    check(Scheme::Semver, &r, &[("99.0.0", true)]);
    // GIT ranges never match a version, limit or not.
    let r = range(
        RangeKind::Git,
        &[
            ("introduced", "0"),
            ("fixed", "abcdef0123"),
            ("limit", "fedcba"),
        ],
    );
    check(Scheme::Semver, &r, &[("1.0.0", false)]);
}

/// SEMVER ranges compare by semver.org §11 precedence, where (§10) build metadata does not
/// figure: GO-2022-0887 (github.com/go-ldap/ldap) is `introduced 0, fixed 2.5.0+incompatible`,
/// so `v2.5.0` is the fixed version, not before it; GO-2024-3268 (goharbor/harbor) is
/// `introduced 2.5.0+incompatible, fixed 2.5.2+incompatible`, so `v2.5.0` is inside.
/// Julia's ranges keep build metadata as Julia orders it: JLSEC-2025-109 (FFMPEG_jll) is
/// `introduced 4.3.1+0, fixed 4.3.1+2`.
#[test]
fn build_metadata_in_semver_ranges() {
    let ldap = range(
        RangeKind::Semver,
        &[("introduced", "0"), ("fixed", "2.5.0+incompatible")],
    );
    check(
        Scheme::Go,
        &ldap,
        &[
            ("v2.4.9", true),
            ("v2.5.0", false),
            ("v2.5.0+incompatible", false),
        ],
    );
    let harbor = range(
        RangeKind::Semver,
        &[
            ("introduced", "2.0.0+incompatible"),
            ("fixed", "2.4.3+incompatible"),
            ("introduced", "2.5.0+incompatible"),
            ("fixed", "2.5.2+incompatible"),
        ],
    );
    check(
        Scheme::Go,
        &harbor,
        &[
            ("v2.0.0", true),
            ("v2.4.3", false),
            ("v2.5.0", true),
            ("v2.5.2", false),
        ],
    );
    let ffmpeg = range(
        RangeKind::Semver,
        &[("introduced", "4.3.1+0"), ("fixed", "4.3.1+2")],
    );
    check(
        Scheme::SemverBuild,
        &ffmpeg,
        &[
            ("4.3.0+0", false),
            ("4.3.1+0", true),
            ("4.3.1+1", true),
            ("4.3.1+2", false),
        ],
    );
}

/// ECOSYSTEM ranges use the ecosystem's scheme; SEMVER ranges use SemVer whatever the
/// ecosystem (a Go or Bitnami component's version is re-read as SemVer).
#[test]
fn scheme_per_range_kind() {
    let deb = range(
        RangeKind::Ecosystem,
        &[("introduced", "0"), ("fixed", "1.2.3-2")],
    );
    check(
        Scheme::Debian,
        &deb,
        &[
            ("1.2.3-1", true),
            ("1.2.3-1+deb12u1", true),
            ("1.2.3-2~bpo1", true),
            ("1.2.3-2", false),
        ],
    );
    let semver = range(
        RangeKind::Semver,
        &[("introduced", "1.0.0"), ("fixed", "1.4.0")],
    );
    let go = Scheme::Go.parse("v1.3.9").unwrap();
    assert!(range_contains(Scheme::Go, &semver, &go).unwrap());
    let maven = range(
        RangeKind::Ecosystem,
        &[("introduced", "0"), ("fixed", "2.17.1")],
    );
    check(
        Scheme::Maven,
        &maven,
        &[("2.17.0", true), ("2.17.1-rc1", true), ("2.17.1", false)],
    );
    let rpm = range(
        RangeKind::Ecosystem,
        &[("introduced", "0"), ("fixed", "1:2.4.37-65.module_el8")],
    );
    check(
        Scheme::Rpm,
        &rpm,
        &[
            // No epoch is epoch 0, below the fixed version's epoch 1.
            ("2.4.37-65.module_el8", true),
            ("1:2.4.37-64.module_el8", true),
            ("1:2.4.37-65.module_el8", false),
        ],
    );
}

#[test]
fn unparsable_event_is_an_error() {
    let r = range(
        RangeKind::Ecosystem,
        &[("introduced", "0"), ("fixed", "not a version")],
    );
    let v = Scheme::Debian.parse("1.0").unwrap();
    assert!(range_contains(Scheme::Debian, &r, &v).is_err());
    // A component version that SemVer refuses, tested against a SEMVER range.
    let r = range(RangeKind::Semver, &[("introduced", "0")]);
    let v = Scheme::Maven.parse("Final").unwrap();
    assert!(range_contains(Scheme::Maven, &r, &v).is_err());
}

/// A compiled range answers the same as `range_contains`, for many versions.
#[test]
fn compiled_range_matches() {
    let r = range(
        RangeKind::Ecosystem,
        &[
            ("introduced", "0"),
            ("fixed", "4.2.1"),
            ("introduced", "5.0"),
            ("last_affected", "5.1"),
        ],
    );
    let c = CompiledRange::new(Scheme::Pep440, &r).unwrap();
    for v in ["0.1", "4.2", "4.2.1", "4.9", "5.0", "5.1", "5.1.1"] {
        let p = Scheme::Pep440.parse(v).unwrap();
        assert_eq!(
            c.contains(&p).unwrap(),
            range_contains(Scheme::Pep440, &r, &p).unwrap(),
            "{v}"
        );
    }
}

#[test]
fn unreadable_events_are_named() {
    // PYSEC-2019-125 and PYSEC-2021-371: fixed versions outside PEP 440's grammar.
    let steam = range(
        RangeKind::Ecosystem,
        &[("introduced", "0"), ("fixed", "2019-09-12")],
    );
    assert_eq!(
        unreadable_events(Scheme::Pep440, &steam),
        ["fixed \"2019-09-12\": not a version of the scheme: ordered before every version"]
    );
    let binderhub = range(
        RangeKind::Ecosystem,
        &[("introduced", "0"), ("fixed", "0.2.0-n653")],
    );
    assert_eq!(unreadable_events(Scheme::Pep440, &binderhub).len(), 1);
    // What the scheme reads is not named, `introduced: 0` and a `*` limit included.
    let fine = range(
        RangeKind::Ecosystem,
        &[("introduced", "0"), ("fixed", "2.0.1"), ("limit", "*")],
    );
    assert!(unreadable_events(Scheme::Pep440, &fine).is_empty());
    // A SemVer range refuses what is not SemVer: the range cannot be evaluated.
    let nightly = range(RangeKind::Semver, &[("introduced", "nightly.2026-03-10.0")]);
    let named = unreadable_events(Scheme::Pep440, &nightly);
    assert_eq!(named.len(), 1);
    assert!(
        named[0].ends_with("the range is not evaluated"),
        "{named:?}"
    );
    assert!(CompiledRange::new(Scheme::Pep440, &nightly).is_err());
    // GIT ranges hold commits, not versions.
    let git = range(RangeKind::Git, &[("introduced", "0"), ("fixed", "abc123")]);
    assert!(unreadable_events(Scheme::Semver, &git).is_empty());
}
