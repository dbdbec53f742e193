//! Orderings of each scheme, with cases taken from each ecosystem's own specification or test
//! suite (cited above each list). A list given to `increasing` must be strictly increasing
//! under the scheme; `same` lists must all be equal.

use std::cmp::Ordering;

use vigie_versions::Scheme;

/// Every pair of the list, in both directions, orders as the list does.
fn increasing(s: Scheme, list: &[&str]) {
    for (i, a) in list.iter().enumerate() {
        for (j, b) in list.iter().enumerate() {
            let got = s.compare(a, b).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(got, i.cmp(&j), "{s:?}: {a} vs {b}");
        }
    }
}

/// Every version of the list is equal to every other.
fn same(s: Scheme, list: &[&str]) {
    for a in list {
        for b in list {
            assert_eq!(
                s.compare(a, b).unwrap(),
                Ordering::Equal,
                "{s:?}: {a} = {b}"
            );
        }
    }
}

fn refused(s: Scheme, list: &[&str]) {
    for v in list {
        assert!(s.parse(v).is_err(), "{s:?} accepted {v:?}");
    }
}

/// semver.org 2.0.0 §11, the precedence example; then the other rules of §11 and §10.
#[test]
fn semver_spec_examples() {
    increasing(
        Scheme::Semver,
        &[
            "1.0.0-alpha",
            "1.0.0-alpha.1",
            "1.0.0-alpha.beta",
            "1.0.0-beta",
            "1.0.0-beta.2",
            "1.0.0-beta.11",
            "1.0.0-rc.1",
            "1.0.0",
            "1.0.1",
            "1.1.0",
            "1.10.0",
            "2.0.0",
        ],
    );
    // §10: build metadata does not figure in precedence.
    same(
        Scheme::Semver,
        &[
            "1.0.0",
            "1.0.0+20130313144700",
            "1.0.0+exp.sha.5114f85",
            "v1.0.0+0",
        ],
    );
    same(Scheme::Semver, &["2.5.0", "v2.5.0+incompatible"]);
    increasing(
        Scheme::Semver,
        &["1.0.0-rc.1+build.9", "1.0.0+build.1", "1.0.1+0"],
    );
    // Julia's VersionNumber and Dart's pub_semver break ties with it; Julia's binary packages
    // (JLLs) are versioned `4.3.1+0`, `4.3.1+2`.
    increasing(
        Scheme::SemverBuild,
        &[
            "1.0.0-rc.1+build.9",
            "1.0.0",
            "1.0.0+20130313144700",
            "1.0.0+exp.sha.5114f85",
            "4.3.1",
            "4.3.1+0",
            "4.3.1+2",
            "4.3.1+10",
            "4.3.2-0",
        ],
    );
    // Dart's pub_semver (build metadata ordered, identifiers as pre-release identifiers),
    // as osv-scalibr's semantic/testdata/pub-versions.txt records it.
    increasing(
        Scheme::SemverBuild,
        &[
            "1.0.0-pre",
            "1.0.0-pre+build",
            "1.0.0",
            "1.0.0+build",
            "1.2.3+1",
            "1.2.3+2",
            "1.2.3+900",
            "1.2.3+1z",
            "1.2.3+9a",
            "1.2.3+a",
            "1.2.3+a1",
        ],
    );
    increasing(Scheme::Semver, &["1.2.3-R2", "1.2.3-r100", "1.2.3-r2"]);
    // osv-scanner's leniency: a `v`, missing parts, leading zeros.
    same(Scheme::Semver, &["v1.2", "1.2.0", "=1.2.0", "1.02.0"]);
    refused(
        Scheme::Semver,
        &[
            "",
            "abc",
            "1..2",
            "1.0.0-",
            "1.0.0-a..b",
            "1.0 beta",
            "1.0.0+",
        ],
    );
}

/// Go modules reference ("Versions", "Pseudo-versions") and golang.org/x/mod/semver's doc:
/// `v1` is `v1.0.0`, `+incompatible` is build metadata, pseudo-versions are pre-releases of
/// the next patch (or of `v0.0.0`) and sort by time.
#[test]
fn go_versions() {
    increasing(
        Scheme::Go,
        &[
            "v0.0.0-20191109021931-daa7c04131f5",
            "v0.0.0-20200101000000-abcdef123456",
            "v0.1.0",
            "v1.2.3",
            "v1.2.4-0.20191109021931-daa7c04131f5",
            "v1.2.4-pre",
            "v1.2.4-pre.0.20191109021931-daa7c04131f5",
            "v1.2.4",
            "v2.0.0-20180101000000-0123456789ab",
            "v2.0.0",
        ],
    );
    same(Scheme::Go, &["v1", "v1.0", "v1.0.0", "1.0.0"]);
    same(Scheme::Go, &["v2.3.4+incompatible", "v2.3.4"]);
    refused(Scheme::Go, &["v1.2.3.4", "vx", "v1.2.3-"]);
}

/// PEP 440, "Summary of permitted suffixes and relative ordering" (the example list in the
/// specification, in order).
#[test]
fn pep440_spec_ordering() {
    increasing(
        Scheme::Pep440,
        &[
            "1.dev0",
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.0.15",
            "1.1.dev1",
        ],
    );
}

/// PEP 440, "Normalization": each group is one version.
#[test]
fn pep440_normalization() {
    for group in [
        &[
            "1.0a",
            "1.0a0",
            "1.0-a",
            "1.0.alpha0",
            "1.0ALPHA",
            "1.0_a_0",
        ][..],
        &["1.1a1", "1.1alpha1", "1.1-a1", "1.1.a.1"],
        &["1.0b2", "1.0beta2", "1.0-beta-2"],
        &["1.0rc1", "1.0c1", "1.0pre1", "1.0preview1", "1.0RC1"],
        &[
            "1.0.post1",
            "1.0-1",
            "1.0post1",
            "1.0-r1",
            "1.0rev1",
            "1.0.r.1",
        ],
        &["1.0.post0", "1.0.post", "1.0-post"],
        &["1.0.dev0", "1.0.dev", "1.0-dev", "1.0dev0"],
        &["1.0", "v1.0", "V1.0", "1.0.0", "0!1.0", " 1.0 "],
        &["1.0+ubuntu.1", "1.0+ubuntu-1", "1.0+Ubuntu_1"],
        &["1.0a.", "1.0a0"],
    ] {
        same(Scheme::Pep440, group);
    }
    increasing(Scheme::Pep440, &["2.0", "1!1.0", "1!2.0", "2!0.1"]);
    // Not PEP 440: accepted as legacy versions, below every valid one (as osv-scanner).
    increasing(Scheme::Pep440, &["french toast", "0.0.0.dev0"]);
}

/// Maven 3's ComparableVersionTest (maven-artifact): VERSIONS_QUALIFIER and VERSIONS_NUMBER,
/// both in increasing order, and testVersionsEqual. (Maven 4 moved `2.0.a` before `2-1`; the
/// vers-spec vectors, like Maven 3.9 in use today, keep the order below.)
#[test]
fn maven_comparable_version_test() {
    increasing(
        Scheme::Maven,
        &[
            "1-alpha2snapshot",
            "1-alpha2",
            "1-alpha-123",
            "1-beta-2",
            "1-beta123",
            "1-m2",
            "1-m11",
            "1-rc",
            "1-cr2",
            "1-rc123",
            "1-SNAPSHOT",
            "1",
            "1-sp",
            "1-sp2",
            "1-sp123",
            "1-abc",
            "1-def",
            "1-pom-1",
            "1-1-snapshot",
            "1-1",
            "1-2",
            "1-123",
        ],
    );
    increasing(
        Scheme::Maven,
        &[
            "2.0", "2-1", "2.0.a", "2.0.0.a", "2.0.2", "2.0.123", "2.1.0", "2.1-a", "2.1b",
            "2.1-c", "2.1-1", "2.1.0.1", "2.2", "2.123", "11.a2", "11.a11", "11.b2", "11.b11",
            "11.m2", "11.m11", "11", "11.a", "11b", "11c", "11m",
        ],
    );
    same(
        Scheme::Maven,
        &[
            "1",
            "1.0",
            "1.0.0",
            "1-0",
            "1.0-0",
            "1ga",
            "1-ga",
            "1-final",
            "1.0.0-release",
        ],
    );
    same(Scheme::Maven, &["1a", "1-a", "1.0-a", "1.0.0-a"]);
    same(Scheme::Maven, &["1cr", "1rc", "1-CR", "1-RC"]);
    same(Scheme::Maven, &["1a1", "1-alpha-1", "1-alpha1", "1alpha1"]);
    same(Scheme::Maven, &["1b2", "1-beta-2", "1-beta2"]);
    same(Scheme::Maven, &["1m3", "1-milestone-3", "1.0-m3"]);
    same(Scheme::Maven, &["1SNAPSHOT", "1-snapshot", "1-Snapshot"]);
    // ComparableVersion itself orders these in cycles (1.0.alpha > 1.sp > 1 > 1.0.alpha,
    // 1-alpha > 1.sp > 1 > 1-alpha); here the order is total (the sign rule of the maven
    // module), and agrees with Maven on the pairs that involve `1`.
    increasing(Scheme::Maven, &["1.0.alpha", "1", "1.sp"]);
    increasing(Scheme::Maven, &["1-alpha", "1", "1.sp"]);
    increasing(Scheme::Maven, &["0-alpha", "-", "a"]);
}

/// RubyGems' test_gem_version.rb (test_spaceship, test_canonical_segments and the
/// prerelease tests).
#[test]
fn rubygems_test_gem_version() {
    let r = Scheme::RubyGems;
    let cases = [
        ("1.0", "1.0.0", Ordering::Equal),
        ("1.0", "1.0.a", Ordering::Greater),
        ("1.8.2", "0.0.0", Ordering::Greater),
        ("1.8.2", "1.8.2.a", Ordering::Greater),
        ("1.8.2.b", "1.8.2.a", Ordering::Greater),
        ("1.8.2.a", "1.8.2", Ordering::Less),
        ("1.8.2.a10", "1.8.2.a9", Ordering::Greater),
        ("0.beta.1", "0.0.beta.1", Ordering::Equal),
        ("0.0.beta", "0.0.beta.1", Ordering::Less),
        ("0.0.beta", "0.beta.1", Ordering::Less),
        ("5.a", "5.0.0.rc2", Ordering::Less),
        ("5.x", "5.0.0.rc2", Ordering::Greater),
        ("1.0.0-rc1", "1.0.0.pre.rc1", Ordering::Equal),
        ("1.9.3", "1.9.3.0", Ordering::Equal),
        ("2.0.0.rc3", "2.0.0", Ordering::Less),
    ];
    for (a, b, want) in cases {
        assert_eq!(r.compare(a, b).unwrap(), want, "{a} <=> {b}");
    }
    // Ruby's own `Gem::Version#<=>` on real gem versions (the list osv-scalibr generates with
    // Ruby, semantic/testdata/rubygems-versions-generated.txt).
    increasing(
        r,
        &[
            "3.0.0.beta4",
            "3.0.pre",
            "3.0.0.rc",
            "3.0.0",
            "5.0.0.beta1",
            "5.0.0.beta1.1",
            "5.0.0.beta2",
            "5.0.0.racecar1",
            "5.0.0.rc1",
            "5.0.0",
            "5.0.0.1",
            "5.0.1.rc1",
        ],
    );
    increasing(
        r,
        &[
            "1.0.12.pre",
            "1.0.12.rc1",
            "1.1.0.rc1",
            "1.2.0.dev",
            "1.2.0.dev2",
            "1.2.0.pre1",
            "1.2.0",
        ],
    );
    increasing(
        r,
        &[
            "1.4.7",
            "1.5.0.beta.1",
            "1.5.0.beta.4",
            "1.5.0",
            "1.5.1.rc1",
            "1.5.1",
        ],
    );
    assert!(r.parse("1.0.a").unwrap().is_prerelease());
    assert!(!r.parse("1.0").unwrap().is_prerelease());
    // Gem::Version.correct? refuses these.
    refused(r, &["junk", "1.0\n2.0", "1..2", "1.0-", "v1.0"]);
}

/// NuGet.Versioning's ordering (NuGetVersionTest, VersionComparerTests): four parts, labels
/// case-insensitive, metadata ignored.
#[test]
fn nuget_versions() {
    increasing(
        Scheme::NuGet,
        &[
            "1.0.0-alpha",
            "1.0.0-Alpha.2",
            "1.0.0-beta",
            "1.0.0",
            "1.0.0.1-alpha",
            "1.0.0.1",
            "1.0.1",
            "1.1",
        ],
    );
    same(
        Scheme::NuGet,
        &["1.0", "1.0.0", "1.0.0.0", "1.0.0+build", "1.00.0"],
    );
    same(Scheme::NuGet, &["1.0.0-RC.1", "1.0.0-rc.1+abc"]);
    refused(Scheme::NuGet, &["1.0.0.0.0", "1.0.0-"]);
}
