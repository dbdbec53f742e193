//! The codes vigie prints: every diagnostic code (`vigie_model::Code`, shared by the
//! inventory, the lifecycle detectors, the estate walk and the catalog) and every finding code
//! (the advisory kinds, `lifecycle/<check>`, `licence/<check>`) is unique across all of them,
//! kebab-case, listed by its enum's `ALL`, and documented in `docs/codes.md`.

use std::collections::BTreeMap;

use vigie_findings::{AdvisoryKind, licence, lifecycle_rule_id};
use vigie_lifecycle::Check as LifecycleCheck;
use vigie_model::Code;
use vigie_testkit::workspace;

/// Every diagnostic code, with what it is.
fn diagnostic_codes() -> Vec<(&'static str, String)> {
    Code::ALL
        .iter()
        .map(|c| ("diagnostic", c.as_str().to_owned()))
        .collect()
}

/// Every finding code as the outputs print it, in `docs/codes.md`'s order, with its enum.
fn finding_codes() -> Vec<(&'static str, String)> {
    let kinds = AdvisoryKind::ALL
        .iter()
        .map(|k| ("advisory kind", k.as_str().to_owned()));
    let lifecycle = LifecycleCheck::ALL
        .iter()
        .map(|&c| ("lifecycle check", lifecycle_rule_id(c)));
    let licence = licence::Check::ALL
        .iter()
        .map(|c| ("licence check", c.rule_id()));
    kinds.chain(lifecycle).chain(licence).collect()
}

fn is_kebab(s: &str) -> bool {
    s.split('-').all(|w| {
        !w.is_empty()
            && w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
    })
}

#[test]
fn codes_are_unique_across_vigie_and_kebab_case() {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut add = |from: &'static str, code: String| {
        if let Some(before) = seen.insert(code.clone(), from) {
            panic!("`{code}` is both a {before} code and a {from} code");
        }
    };
    for (from, code) in diagnostic_codes() {
        assert!(is_kebab(&code), "{from} code `{code}` is not kebab-case");
        add(from, code);
    }
    for (from, code) in finding_codes() {
        let bare = code
            .strip_prefix("lifecycle/")
            .or_else(|| code.strip_prefix("licence/"))
            .unwrap_or(&code);
        assert!(is_kebab(bare), "{from} code `{code}` is not kebab-case");
        add(from, code);
    }
    // A check's bare id is printed alone too (`"check": "eol-passed"` in JSON): it must not
    // read as a diagnostic code or an advisory kind, nor as the other family's check.
    for c in LifecycleCheck::ALL {
        add("lifecycle check id", c.id().to_owned());
    }
    for c in licence::Check::ALL {
        add("licence check id", c.id().to_owned());
    }
}

/// Asserts that `$all` is exactly the listed variants, in order. The `match` is exhaustive:
/// a variant added to the enum does not compile here until it is listed, and then this fails
/// until `ALL` has it.
macro_rules! assert_all_lists {
    ($ty:ty, $all:expr, [$($variant:path),+ $(,)?]) => {{
        let named = |v: $ty| match v {
            $($variant => stringify!($variant),)+
        };
        let listed: Vec<&str> = [$($variant),+].into_iter().map(named).collect();
        let all: Vec<&str> = $all.into_iter().map(named).collect();
        assert_eq!(all, listed, "{}::ALL lacks a variant, or repeats one", stringify!($ty));
    }};
}

#[test]
fn every_code_enum_lists_every_variant_in_all() {
    assert_all_lists!(
        AdvisoryKind,
        AdvisoryKind::ALL,
        [
            AdvisoryKind::Vulnerability,
            AdvisoryKind::Malicious,
            AdvisoryKind::Unmaintained,
            AdvisoryKind::Unsound,
            AdvisoryKind::Notice,
        ]
    );
    assert_all_lists!(
        LifecycleCheck,
        LifecycleCheck::ALL,
        [
            LifecycleCheck::EolPassed,
            LifecycleCheck::ExtendedSupportOnly,
            LifecycleCheck::EolSoon,
            LifecycleCheck::SecurityOnly,
            LifecycleCheck::BehindLatest,
            LifecycleCheck::Unpinned,
            LifecycleCheck::UnknownCycle,
        ]
    );
    assert_all_lists!(
        licence::Check,
        licence::Check::ALL,
        [
            licence::Check::Denied,
            licence::Check::Incompatible,
            licence::Check::NeedsReview,
            licence::Check::Unknown,
            licence::Check::CopyleftObligation,
            licence::Check::LowConfidence,
        ]
    );
    // `Code` and its `ALL` are declared together by one macro, one line per code: ALL cannot
    // miss a variant. Each code reads back as itself, once.
    for (i, c) in Code::ALL.iter().enumerate() {
        assert_eq!(Code::parse(c.as_str()), Some(*c));
        assert!(!Code::ALL[..i].contains(c), "{c} twice in Code::ALL");
    }
}

/// The table rows (`| ... |` lines after the header) of the `## {title}` section of `text`.
fn table_rows<'a>(text: &'a str, title: &str) -> Vec<&'a str> {
    let heading = format!("## {title}\n");
    let start = text
        .find(&heading)
        .unwrap_or_else(|| panic!("no `{heading}`"));
    let section = &text[start + heading.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    section.lines().filter(|l| l.starts_with("| `")).collect()
}

#[test]
fn every_code_is_documented_in_docs_codes_md() {
    let path = workspace().join("docs/codes.md");
    let doc = std::fs::read_to_string(&path).expect("docs/codes.md");

    // Diagnostics: the very meaning of each code (its documentation in vigie-model).
    let want: Vec<String> = Code::ALL
        .iter()
        .map(|c| format!("| `{}` | {} |", c.as_str(), c.meaning()))
        .collect();
    let got = table_rows(&doc, "Diagnostics");
    assert!(
        got == want,
        "docs/codes.md, Diagnostics: the table must be, from crates/vigie-model/src/code.rs:\n{}",
        want.join("\n")
    );

    // Findings: each code, in order (the meanings are written for people there).
    let want: Vec<String> = finding_codes().into_iter().map(|(_, c)| c).collect();
    let got: Vec<&str> = table_rows(&doc, "Findings")
        .iter()
        .filter_map(|row| row.split('`').nth(1))
        .collect();
    assert_eq!(got, want, "docs/codes.md, Findings: the codes of the table");

    // The catalog's reference names its codes in prose: each must be one.
    let catalog = std::fs::read_to_string(workspace().join("docs/catalog.md")).expect("catalog");
    let checks = &catalog[catalog.find("## Checks").expect("## Checks")..];
    let checks = &checks[..checks[3..].find("\n## ").map_or(checks.len(), |i| i + 3)];
    let named: Vec<&str> = checks
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| s.contains('-') && is_kebab(s))
        .collect();
    assert!(
        named.len() > 20,
        "the catalog's checks name their codes: {named:?}"
    );
    for code in named {
        assert!(
            Code::parse(code).is_some(),
            "docs/catalog.md names `{code}`, not a code"
        );
    }
}
