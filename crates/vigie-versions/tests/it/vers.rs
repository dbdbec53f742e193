//! The `vers` specification (package-url/vers-spec, docs "VERS specification" and "How to
//! parse"): lenient and canonical parsing, canonical printing, the containment algorithm, and
//! native ranges as each package manager documents them (node-semver's README, PEP 440
//! "Version specifiers", RubyGems' "Pessimistic version constraint", Composer's "Versions and
//! constraints", NuGet's "Version ranges"). Expected values are worked out by hand from those.

use vigie_versions::vers::{self, Comparator, VersError};

fn canon(s: &str) -> String {
    vers::parse(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .to_string()
}

#[test]
fn lenient_parse_normalises() {
    assert_eq!(canon("VERS:PyPI/ >= 1.0 | < 2.0 "), "vers:pypi/>=1.0|<2.0");
    assert_eq!(canon("vers:npm/=1.2.3"), "vers:npm/1.2.3");
    assert_eq!(
        canon("vers:npm/<5.0.0|>=2.0.0|1.2.3"),
        "vers:npm/1.2.3|>=2.0.0|<5.0.0"
    );
    assert_eq!(
        canon("vers:npm/>=1.0.0||<2.0.0|"),
        "vers:npm/>=1.0.0|<2.0.0"
    );
    // `|` and `%` in a version are percent-encoded, and decoded when read.
    let r = vers::parse("vers:generic/1.0%7Cx|2%25").unwrap();
    let versions: Vec<&str> = r
        .constraints()
        .unwrap()
        .iter()
        .map(|c| c.version.as_str())
        .collect();
    assert_eq!(versions, ["1.0|x", "2%"]);
    assert_eq!(r.to_string(), "vers:generic/1.0%7Cx|2%25");
    // An unknown scheme is kept, in the given order.
    assert_eq!(canon("vers:nginx/>=1.2|<1.1"), "vers:nginx/>=1.2|<1.1");
}

#[test]
fn canonical_parse_refuses_the_rest() {
    for bad in [
        "vers:npm/=1.0.0",
        "vers:NPM/1.0.0",
        "vers:npm/1.0.0 ",
        "vers:npm/|1.0.0",
        "vers:npm/2.0.0|1.0.0",
        "vers:npm/1.0%3a0",
        "vers:npm/1.0%2",
        "npm/1.0.0",
        "vers:npm/",
        "vers:npm/>=",
        "vers:npm/>=<1",
    ] {
        assert!(vers::parse_canonical(bad).is_err(), "{bad}");
    }
    let r = vers::parse_canonical("vers:npm/1.2.3|>=2.0.0|<5.0.0").unwrap();
    assert_eq!(r.constraints().unwrap()[1].comparator, Comparator::Ge);
}

#[test]
fn containment() {
    let r = vers::parse("vers:npm/1.2.3|>=2.0.0|<5.0.0").unwrap();
    for (v, want) in [
        ("1.2.3", true),
        ("1.2.4", false),
        ("2.0.0", true),
        ("4.9.9", true),
        ("5.0.0", false),
    ] {
        assert_eq!(r.contains(v).unwrap(), want, "{v}");
    }
    let r = vers::parse("vers:deb/<=1.0-1|>=2.0~rc1|<2.1|!=2.0.5").unwrap();
    for (v, want) in [
        ("0.9", true),
        ("1.0-1", true),
        ("1.0-2", false),
        ("2.0~rc1", true),
        ("2.0.5", false),
        ("2.0.6", true),
        ("2.1", false),
    ] {
        assert_eq!(r.contains(v).unwrap(), want, "{v}");
    }
    // Only exclusions: everything else is inside.
    let r = vers::parse("vers:pypi/!=1.0").unwrap();
    assert!(!r.contains("1.0.0").unwrap());
    assert!(r.contains("1.1").unwrap());
    // `*` contains every version, even of a scheme without a Scheme.
    assert!(
        vers::parse("vers:nginx/*")
            .unwrap()
            .contains("1.2.3")
            .unwrap()
    );
    assert!(matches!(
        vers::parse("vers:nginx/1.2").unwrap().contains("1.2"),
        Err(VersError::UnsupportedScheme(_))
    ));
    assert!(
        vers::parse("vers:npm/1.0.0")
            .unwrap()
            .contains("not a version")
            .is_err()
    );
}

fn native(scheme: &str, range: &str) -> String {
    vers::from_native(scheme, range)
        .unwrap_or_else(|e| panic!("{range}: {e}"))
        .to_string()
}

#[test]
fn native_npm() {
    for (n, want) in [
        ("^1.2.3", "vers:npm/>=1.2.3|<2.0.0"),
        ("^0.2.3", "vers:npm/>=0.2.3|<0.3.0"),
        ("^0.0.3", "vers:npm/>=0.0.3|<0.0.4"),
        ("~1.2.3", "vers:npm/>=1.2.3|<1.3.0"),
        ("~1", "vers:npm/>=1.0.0|<2.0.0"),
        ("1.2.3 - 2.3", "vers:npm/>=1.2.3|<2.4.0"),
        ("1.2 - 2.3.4", "vers:npm/>=1.2.0|<=2.3.4"),
        (">1.2", "vers:npm/>=1.3.0"),
        ("<=1.2", "vers:npm/<1.3.0"),
        ("1.x || >=2.5.0", "vers:npm/>=1.0.0|<2.0.0|>=2.5.0"),
        ("v1.2.3", "vers:npm/1.2.3"),
        ("*", "vers:npm/*"),
        ("", "vers:npm/*"),
    ] {
        assert_eq!(native("npm", n), want, "{n}");
    }
}

#[test]
fn native_others() {
    for (s, n, want) in [
        ("pypi", "~=1.4.5", "vers:pypi/>=1.4.5|<1.5"),
        ("pypi", "~=2.2", "vers:pypi/>=2.2|<3"),
        ("pypi", "==1.1.*", "vers:pypi/>=1.1|<1.2"),
        ("pypi", ">=1.0alpha, !=1.3", "vers:pypi/>=1.0a0|!=1.3"),
        ("pypi", "<1.0||", "vers:pypi/<1.0"),
        ("gem", "~> 2.0.8", "vers:gem/>=2.0.8|<2.1"),
        ("gem", "~> 2", "vers:gem/>=2|<3"),
        ("gem", ">= 1.0, < 2.0", "vers:gem/>=1.0|<2.0"),
        ("composer", "^1.2.3", "vers:composer/>=1.2.3|<2.0.0"),
        ("composer", "^0.3", "vers:composer/>=0.3|<0.4"),
        ("composer", "1.0 - 2.0", "vers:composer/>=1.0|<2.1"),
        ("composer", "1.0.0 - 2.1.0", "vers:composer/>=1.0.0|<=2.1.0"),
        (
            "composer",
            ">=1.0 <1.1 || >=1.2",
            "vers:composer/>=1.0|<1.1|>=1.2",
        ),
        ("golang", ">=v1.3.0 <v2.1.11", "vers:golang/>=1.3.0|<2.1.11"),
        ("nuget", "[1.0,2.0)", "vers:nuget/>=1.0|<2.0"),
        ("nuget", "(,1.0]", "vers:nuget/<=1.0"),
        ("nuget", "(1.0,)", "vers:nuget/>1.0"),
        ("nuget", "1.0", "vers:nuget/>=1.0"),
        ("nuget", "[1.0]", "vers:nuget/1.0"),
    ] {
        assert_eq!(native(s, n), want, "{s} {n}");
    }
    assert!(vers::from_native("nuget", "[1.0").is_err());
    assert!(vers::from_native("nginx", "1.0").is_err());
    assert!(vers::from_native("gem", "~>").is_err());
}

#[test]
fn an_operator_where_a_version_should_be_is_refused() {
    // Found by the `native` fuzz target from a RubySec record: `> = 3.0.6` read `=` as the
    // version of `>`, giving a `vers:` that did not read back.
    for (scheme, native) in [
        ("gem", "> = 3.0.6"),
        ("npm", ">= <1.0.0"),
        ("composer", "< >=2"),
    ] {
        assert!(
            vigie_versions::vers::from_native(scheme, native).is_err(),
            "{scheme} {native}"
        );
    }
    // Spaces after an operator are still allowed.
    let r = vigie_versions::vers::from_native("gem", ">= 3.0.6").unwrap();
    assert_eq!(r.to_string(), "vers:gem/>=3.0.6");
    // Every `vers:` a native range gives reads back.
    for (scheme, native) in [
        ("gem", "~> 5.2.4, >= 5.2.4.3 || >= 6.0.3.1"),
        ("npm", ">=1 <2 || ^3.1"),
    ] {
        let r = vigie_versions::vers::from_native(scheme, native).unwrap();
        vigie_versions::vers::parse(&r.to_string()).unwrap();
    }
}
