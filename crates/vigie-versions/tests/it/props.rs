//! Properties of every scheme on generated strings: no panic on any input, the order is
//! reflexive, antisymmetric and transitive (checked by sorting and comparing every pair), and
//! `Version`'s `Ord` agrees with `Scheme::compare`. Also: `vers` parsing and native ranges never
//! panic.

use std::cmp::Ordering;

use proptest::prelude::*;
use vigie_versions::{Scheme, vers};

/// Strings that look like versions of any ecosystem, with separators and words in odd places.
fn versionish() -> impl Strategy<Value = String> {
    prop_oneof![
        "[vV=]?[0-9]{1,3}(\\.[0-9]{1,3}){0,4}([-_.+~^:]?[a-zA-Z0-9]{0,5}){0,4}",
        "[0-9]{1,2}(\\.[0-9]{1,2}){0,3}(-(alpha|beta|rc|SNAPSHOT|sp|ga|final|dev|post|pre|p)[0-9]{0,2}){0,2}",
        "[0-9]{1,2}:[0-9.]{1,6}(-[0-9a-z.~+]{1,6})?",
        "[0-9.a-z_~^+-]{0,12}",
    ]
}

fn checked_order(s: Scheme, list: &[String]) -> Result<(), TestCaseError> {
    let parsed: Vec<_> = list.iter().filter_map(|v| s.parse(v).ok()).collect();
    for a in &parsed {
        prop_assert_eq!(a.cmp(a), Ordering::Equal);
        for b in &parsed {
            let ab = a.cmp(b);
            prop_assert_eq!(ab, b.cmp(a).reverse(), "{:?}: {} vs {}", s, a, b);
            prop_assert_eq!(Ok(ab), s.compare(a.as_str(), b.as_str()));
        }
    }
    let mut sorted = parsed.clone();
    sorted.sort();
    for (i, a) in sorted.iter().enumerate() {
        for b in sorted.iter().skip(i + 1) {
            prop_assert_ne!(
                a.cmp(b),
                Ordering::Greater,
                "{:?}: not transitive: {} > {}",
                s,
                a,
                b
            );
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn orders_are_total(list in prop::collection::vec(versionish(), 2..9)) {
        for s in Scheme::ALL {
            checked_order(s, &list)?;
        }
    }

    #[test]
    fn no_panic_on_any_string(text in "\\PC{0,40}", bytes in "[\\x00-\\x7f]{0,40}") {
        for s in Scheme::ALL {
            for t in [&text, &bytes] {
                if let Ok(v) = s.parse(t) {
                    let _ = v.is_prerelease();
                    prop_assert_eq!(v.to_string(), t.trim_matches(|c: char| c.is_ascii_whitespace()));
                }
                let _ = s.compare(t, "1.0");
            }
        }
        for name in ["npm", "pypi", "gem", "composer", "golang", "nuget", "maven", "deb"] {
            let _ = vers::from_native(name, &text);
            let _ = vers::from_native(name, &bytes);
        }
        for t in [&text, &bytes] {
            let s = format!("vers:pypi/{t}");
            if let Ok(r) = vers::parse(&s) {
                let _ = r.contains("1.0");
                // Canonical printing is stable.
                let again = vers::parse(&r.to_string());
                prop_assert!(again.is_ok(), "{} re-read: {:?}", r, again);
            }
            let _ = vers::parse_canonical(&s);
            let _ = vers::parse(t);
        }
    }
}

/// Long and pathological inputs are refused or handled in linear time.
#[test]
fn long_inputs() {
    let long = "1.".repeat(500) + "1";
    for s in Scheme::ALL {
        let _ = s.compare(&long, &long);
        let big = "9".repeat(5000);
        assert!(s.parse(&big).is_err(), "{s:?} accepted 5000 bytes");
    }
    let deep = "1-".repeat(511) + "1";
    assert_eq!(Scheme::Maven.compare(&deep, &deep), Ok(Ordering::Equal));
}
