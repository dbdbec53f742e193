//! The alias table (`data/aliases.toml`) and the mapping of free text to
//! SPDX, on the examples of the task, each worked out by hand.

use crate::common;

use vigie_licence::alias::key::{name_key, url_key};
use vigie_licence::{Category, Confidence, LicenceKnowledge, Mapping, Rule};

fn spdx(kb: &LicenceKnowledge, text: &str) -> (String, Confidence, Rule) {
    match kb.map(text) {
        Mapping::Spdx {
            expression,
            confidence,
            rule,
            ..
        } => (expression.to_string(), confidence, rule),
        other => panic!("{text:?}: {other:?}"),
    }
}

#[test]
fn keys_are_in_their_normal_form() {
    let Some(kb) = common::kb() else { return };
    for k in kb.aliases().name_keys() {
        assert_eq!(name_key(k), k, "name key not normalised");
    }
    for k in kb.aliases().url_keys() {
        assert_eq!(
            url_key(&format!("https://{k}")).as_deref(),
            Some(k),
            "url key not normalised"
        );
    }
}

/// Every licence an alias leads to has a category: an alias to a licence
/// vigie cannot judge would only move the problem.
#[test]
fn alias_targets_have_categories() {
    let Some(kb) = common::kb() else { return };
    let keys: Vec<String> = kb.aliases().name_keys().map(str::to_owned).collect();
    for k in keys {
        let Some(e) = kb.map(&k).expression().cloned() else {
            panic!("{k:?} does not map")
        };
        for t in e.terms() {
            assert_ne!(kb.category(t), Category::Unknown, "{k:?} -> {e}");
        }
    }
}

/// The full name of every current licence of the list maps back to it
/// (a name shared by two licences would not be guessed).
#[test]
fn list_names_map_back() {
    let Some(kb) = common::kb() else { return };
    let mut ambiguous = 0;
    for l in kb.list().licences().iter().filter(|l| !l.deprecated) {
        match kb.map(&l.name) {
            Mapping::Spdx { expression, .. } => {
                assert_eq!(expression.to_string(), l.id, "{:?}", l.name)
            }
            Mapping::Unknown => ambiguous += 1,
            other => panic!("{:?}: {other:?}", l.name),
        }
    }
    // A script re-implementing the key rules over licenses.json found no
    // two current licences whose names share a key: none may be ambiguous.
    assert_eq!(ambiguous, 0, "ambiguous names");
}

/// The strings the task names, with the mapping worked out by hand.
#[test]
fn task_examples() {
    let Some(kb) = common::kb() else { return };
    use Confidence::{Exact, High, Low};
    let cases: &[(&str, &str, Confidence, Rule)] = &[
        ("MIT", "MIT", Exact, Rule::SpdxExpression),
        ("mit", "MIT", Exact, Rule::SpdxNormalised),
        ("GPL-2.0", "GPL-2.0-only", Exact, Rule::SpdxNormalised),
        (
            "(MIT OR Apache-2.0)",
            "MIT OR Apache-2.0",
            Exact,
            Rule::SpdxNormalised,
        ),
        ("MIT License", "MIT", High, Rule::Alias),
        (
            "MIT (http://mootools.net/license.txt)",
            "MIT",
            High,
            Rule::UrlDropped,
        ),
        ("Apache 2.0", "Apache-2.0", High, Rule::Alias),
        (
            "Apache License, Version 2.0",
            "Apache-2.0",
            High,
            Rule::Alias,
        ),
        ("Apache Software License", "Apache-2.0", Low, Rule::Alias),
        ("BSD", "BSD-3-Clause", Low, Rule::Alias),
        ("GPLv3", "GPL-3.0-only", High, Rule::Alias),
        ("LGPL v2.1+", "LGPL-2.1-or-later", High, Rule::Alias),
        (
            "Public Domain",
            "LicenseRef-Public-Domain",
            High,
            Rule::Alias,
        ),
        ("ISC License (ISCL)", "ISC", High, Rule::Alias),
        (
            "GNU General Public License v2.0 only",
            "GPL-2.0-only",
            High,
            Rule::ListName,
        ),
        ("BSD Zero Clause License", "0BSD", High, Rule::ListName),
        (
            "License :: OSI Approved :: MIT License",
            "MIT",
            High,
            Rule::Classifier,
        ),
        (
            "License :: OSI Approved :: GNU General Public License v2 or later (GPLv2+)",
            "GPL-2.0-or-later",
            High,
            Rule::Classifier,
        ),
        (
            "License :: OSI Approved :: BSD License",
            "BSD-3-Clause",
            Low,
            Rule::Classifier,
        ),
        (
            "License :: OSI Approved :: Apache Software License",
            "Apache-2.0",
            Low,
            Rule::Classifier,
        ),
        (
            "https://opensource.org/licenses/MIT",
            "MIT",
            High,
            Rule::Url,
        ),
        (
            "http://www.apache.org/licenses/LICENSE-2.0",
            "Apache-2.0",
            High,
            Rule::Url,
        ),
        (
            "http://www.apache.org/licenses/LICENSE-2.0.txt",
            "Apache-2.0",
            High,
            Rule::Url,
        ),
        (
            "https://spdx.org/licenses/GPL-3.0-or-later.html",
            "GPL-3.0-or-later",
            High,
            Rule::Url,
        ),
        (
            "http://www.gnu.org/licenses/gpl-3.0.html",
            "GPL-3.0-only",
            High,
            Rule::Url,
        ),
        (
            "MPL 2.0 or EPL 1.0",
            "MPL-2.0 OR EPL-1.0",
            High,
            Rule::Split,
        ),
        ("MIT and Apache 2.0", "MIT AND Apache-2.0", Low, Rule::Split),
        (
            "Apache-2.0 with Commons-Clause",
            "Apache-2.0 AND LicenseRef-Commons-Clause",
            High,
            Rule::Alias,
        ),
        (
            "LGPL-3.0-or-later AND BSD-3",
            "LGPL-3.0-or-later AND BSD-3-Clause",
            High,
            Rule::TermAliases,
        ),
        (
            "GPLv2 WITH Classpath-exception-2.0",
            "GPL-2.0-only WITH Classpath-exception-2.0",
            High,
            Rule::TermAliases,
        ),
    ];
    for (text, expr, conf, rule) in cases {
        assert_eq!(spdx(kb, text), (expr.to_string(), *conf, *rule), "{text:?}");
    }
}

#[test]
fn special_values() {
    let Some(kb) = common::kb() else { return };
    assert_eq!(kb.map("NOASSERTION"), Mapping::NoAssertion);
    assert_eq!(kb.map("NONE"), Mapping::NoLicence);
    assert_eq!(kb.map("UNLICENSED"), Mapping::Unlicensed);
    assert_eq!(
        kb.map("SEE LICENSE IN LICENSE.md"),
        Mapping::SeeFile("LICENSE.md".into())
    );
    assert_eq!(kb.map(""), Mapping::Unknown);
    assert_eq!(kb.map("   "), Mapping::Unknown);
    assert_eq!(kb.map("License :: OSI Approved"), Mapping::Unknown);
    assert_eq!(kb.map("GNU General Public Library"), Mapping::Unknown);
    assert_eq!(kb.map(&"MIT OR ".repeat(10_000)), Mapping::Unknown);
    assert_eq!(kb.map(&"MIT or ".repeat(40)), Mapping::Unknown);
}

proptest::proptest! {
    /// Hostile text never panics the mapper, and what it returns is a valid
    /// expression against the list (or a LicenseRef).
    #[test]
    fn mapping_arbitrary_text_never_panics(s in "(?s).{0,120}", words in proptest::collection::vec(
        proptest::sample::select(vec!["MIT", "or", "and", "GPL", "v2", "(", ")", "License",
            "http://x.org/a", "Apache", "2.0", "+", "WITH", "::", "&", "Classpath"]), 0..12)) {
        let Some(kb) = common::kb() else { return Ok(()) };
        for text in [s, words.join(" ")] {
            if let Mapping::Spdx { expression, .. } = kb.map(&text) {
                let again = kb.list().parse(&expression.to_string());
                proptest::prop_assert!(again.is_ok(), "{text:?} -> {expression}");
                let d = vigie_licence::Policy::default().evaluate(
                    kb, &expression, vigie_licence::DistributionModel::default(), None);
                proptest::prop_assert!(!d.terms.is_empty());
            }
        }
    }
}
