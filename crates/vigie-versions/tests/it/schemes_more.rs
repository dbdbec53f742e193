//! Orderings of the distribution and remaining schemes (dpkg, rpm, apk, Composer, Hackage,
//! CRAN, opam, generic), with cases taken from each tool's own documentation or tests
//! (cited above each list).

use std::cmp::Ordering;

use vigie_versions::Scheme;

fn check(s: Scheme, cases: &[(&str, &str, Ordering)]) {
    for (a, b, want) in cases {
        assert_eq!(s.compare(a, b).unwrap(), *want, "{s:?}: {a} vs {b}");
        assert_eq!(
            s.compare(b, a).unwrap(),
            want.reverse(),
            "{s:?}: {b} vs {a}"
        );
    }
}

use Ordering::{Equal as EQ, Greater as GT, Less as LT};

/// Debian Policy §5.6.12 ("~~" < "~~a" < "~" < "" < "a", as suffixes) and dpkg's
/// lib/dpkg/t/t-version.c (epochs, revisions, digits runs, the missing revision).
#[test]
fn dpkg() {
    let d = Scheme::Debian;
    let policy = ["1.0~~", "1.0~~a", "1.0~", "1.0", "1.0a"];
    for w in policy.windows(2) {
        check(d, &[(w[0], w[1], LT)]);
    }
    check(
        d,
        &[
            ("0:1.1-1", "1.1-1", EQ),
            ("1:0.1", "9.9", GT),
            ("1.0", "1.0-0", EQ),
            ("1.2.3", "1.2.3-1", LT),
            ("1.0-1", "1.0-1~bpo1", GT),
            ("2.30-1", "2.3-1", GT),
            ("1.0.0", "1.0", GT),
            ("1.0a", "1.0+", LT),
            ("1.0+dfsg", "1.0", GT),
            ("0001.0", "1.0", EQ),
            ("3.4.4+reloaded2-13+deb9u1", "3.4.4+reloaded2-13", GT),
            ("1:2.6.0-1", "2:0.1", LT),
            ("1.0-2.1", "1.0-10", LT),
        ],
    );
    assert!(d.parse("a:1.0").is_err(), "non-numeric epoch");
    assert!(d.parse("1.0-").is_err(), "empty revision");
    assert!(d.parse("1:").is_err(), "nothing after the epoch");
    assert!(d.parse("1.0 1").is_err(), "embedded space");
}

/// rpm's tests/rpmvercmp.at (the RPMVERCMP cases), with epochs and releases as rpm's
/// `rpmdev-vercmp` and osv-scanner's redhat-versions.txt order them.
#[test]
fn rpmvercmp() {
    check(
        Scheme::Rpm,
        &[
            ("1.0", "1.0", EQ),
            ("1.0", "2.0", LT),
            ("2.0.1", "2.0.1a", LT),
            ("5.5p1", "5.5p2", LT),
            ("5.5p10", "5.5p1", GT),
            ("10xyz", "10.1xyz", LT),
            ("xyz10", "xyz10.1", LT),
            ("xyz.4", "8", LT),
            ("xyz.4", "2", LT),
            ("5.5p2", "5.6p1", LT),
            ("6.0.rc1", "6.0", GT),
            ("10b2", "10a1", GT),
            ("1.0aa", "1.0a", GT),
            ("10.0001", "10.1", EQ),
            ("10.0001", "10.0039", LT),
            ("4.999.9", "5.0", LT),
            ("20101121", "20101122", LT),
            ("2_0", "2.0", EQ),
            ("a+", "a_", EQ),
            ("+_", "_+", EQ),
            ("1.0~rc1", "1.0", LT),
            ("1.0~rc1", "1.0~rc2", LT),
            ("1.0~rc1~git123", "1.0~rc1", LT),
            ("1.0^", "1.0", GT),
            ("1.0^git1", "1.0^git2", LT),
            ("1.0^git1", "1.01", LT),
            ("1.0^20160101", "1.0.1", LT),
            ("1.0^20160101^git1", "1.0^20160102", LT),
            ("1.0~rc1^git1", "1.0~rc1", GT),
            ("1.0^git1~pre", "1.0^git1", LT),
            // Epochs and releases.
            ("0:1", "1:1", LT),
            ("3:1~1", "1:2", GT),
            ("01:2", "1:2", EQ),
            ("1-123", "1-2", GT),
            ("1", "1-1", LT),
            ("0:3.10.0-229.el7", "0:3.10.0-229.1.2.ael7b", LT),
            ("1-1.ael7b", "1-1.el7", LT),
            ("1.m+e2:1", "4.m+e1:1", LT),
        ],
    );
}

/// apk-tools' test/version.data (the whole file also runs in tests/it/vectors.rs as univers'
/// alpine_test.txt) and apk-package(5): suffix order, letters, `-r`, leading zeros.
#[test]
fn apk() {
    let a = Scheme::Alpine;
    let suffixes = [
        "1",
        "1.0",
        "1.01",
        "1.1_alpha",
        "1.1_beta",
        "1.1_pre",
        "1.1_rc",
        "1.1",
        "1.1-r1",
        "1.1_cvs",
        "1.1_svn",
        "1.1_git",
        "1.1_hg",
        "1.1_p",
        "1.1_p1",
        "1.1a",
        "1.1.1",
        "1.2",
    ];
    for w in suffixes.windows(2) {
        check(a, &[(w[0], w[1], LT)]);
    }
    check(
        a,
        &[
            ("1.0", "1", GT),
            // apk 2's leading-zero rule: after `.0` the next token is read as a number, so a
            // suffix there is not seen as a pre-release (apk-tools src/version.c; osv-scanner
            // differs here).
            ("1.0_rc1", "1.0", GT),
            ("1.10_rc1", "1.10", LT),
            ("2.3.0b-r1", "2.3.0b-r2", LT),
            ("1.0_pre20191002222144-r0", "1.0_pre20210530193627-r0", LT),
            ("1.2.3~abc123-r1", "1.2.3-r1", EQ),
        ],
    );
    assert!(a.parse("1.0-foo").is_err());
    assert!(a.parse("1.0_foo").is_err());
    assert!(a.parse("abc").is_err());
}

/// PHP's `version_compare` as Composer normalises (composer's VersionParser tests and the
/// output of PHP on the list osv-scalibr generates, semantic/testdata/
/// packagist-versions-generated.txt).
#[test]
fn composer() {
    let c = Scheme::Composer;
    let chain = [
        "1.0.0-dev",
        "1.0.0alpha1",
        "1.0.0alpha2",
        "1.0.0-alpha3",
        "1.0.0beta1",
        "1.0.0-BETA2",
        "1.0.0RC1",
        "1.0.0-rc2",
        "1.0.0",
        "1.0.0-p1",
        "1.0.0.1",
        "1.0.1",
        "v1.1",
    ];
    for w in chain.windows(2) {
        check(c, &[(w[0], w[1], LT)]);
    }
    check(
        c,
        &[
            ("1.0", "1.0.0.0", EQ),
            ("v1.0.0", "1.0.0", EQ),
            ("1.0.0-stable", "1.0.0", EQ),
            ("0.9.346", "0.93", LT),
            ("1.22", "1.22.01", LT),
            ("v6.0.0+ea2", "v6.1.0-rc1", LT),
            ("6.3.5.4", "6.4.0.0-RC1", LT),
            ("v3.1.37", "v3.1.37.1", LT),
            ("dev-master", "0.0.1", LT),
            ("1.0-patch1", "1.0.0", GT),
        ],
    );
}

/// Cabal's `Version` (lists of numbers, as Haskell compares lists) and osv-scanner's
/// hackage-versions.txt.
#[test]
fn hackage() {
    check(
        Scheme::Hackage,
        &[
            ("1.0.0.0", "0.11.3.0", GT),
            ("0.1.26.0", "0", GT),
            ("1.0.0", "1.0", GT),
            ("1.1", "1.0.0", GT),
            ("2.0", "1", GT),
            ("0.1.0.0", "0.1.0.0", EQ),
        ],
    );
    assert!(Scheme::Hackage.parse("1.0-beta").is_err());
}

/// R's `package_version` (`?numeric_version`: "." and "-" are equivalent separators) and
/// osv-scanner's cran-versions.txt (taken from CRAN's archive listings).
#[test]
fn cran() {
    check(
        Scheme::Cran,
        &[
            ("0.01", "0.1-0", LT),
            ("0.01.0", "0.1-0", EQ),
            ("0.9", "0.75", LT),
            ("1.9-0", "1.10-0", LT),
            ("0.1.0", "0.1.0.0", LT),
            ("0.3.2.0", "0.3.2", GT),
            ("0.1-1", "0.1-4", LT),
        ],
    );
    assert!(Scheme::Cran.parse("1.a.2").is_err());
}

/// opam's manual ("Version ordering": Debian's algorithm on the whole string, so `~` sorts
/// before the end) and OpamVersionCompare's own examples.
#[test]
fn opam() {
    let chain = [
        "1.0~beta1",
        "1.0~beta2",
        "1.0",
        "1.0a",
        "1.0+dev",
        "1.0.1",
        "v1",
    ];
    for w in chain.windows(2) {
        check(Scheme::Opam, &[(w[0], w[1], LT)]);
    }
    check(
        Scheme::Opam,
        &[("1.01", "1.1", EQ), ("4.14.0", "4.8.0", GT)],
    );
}

/// The generic fallback: numbers as numbers, words below the end.
#[test]
fn generic() {
    let chain = [
        "1.0-rc1",
        "1.0",
        "v1.0.1",
        "1.2",
        "1.10",
        "2024.01.05",
        "2024.1.10",
    ];
    for w in chain.windows(2) {
        check(Scheme::Generic, &[(w[0], w[1], LT)]);
    }
    check(
        Scheme::Generic,
        &[("1.0", "1-0", EQ), ("1.0", "1.0.0", EQ), ("A", "a", EQ)],
    );
}
