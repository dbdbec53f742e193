//! The licence check reuses one component's evaluation for the other
//! components of a project relying on the same licence text. The truth it
//! is compared with: each component checked alone, in a project of its own
//! (nothing to reuse there), and the policy's precedence worked out by hand
//! (a component exception wins over `deny`; `deny = ["MIT"]` denies MIT
//! whatever the model; a component without a statement has an unknown
//! licence; of several statements the first that maps to SPDX is relied
//! on and put first).

use crate::common;

use vigie_audit::licences::{
    Check, LicenceContext, LicenceFinding, ProjectLicences, Statement, check,
};
use vigie_licence::{LicenceKnowledge, Policy, PolicyConfig};
use vigie_model::{Component, Ecosystem, Project};

fn kb() -> Option<LicenceKnowledge> {
    let dir = common::data_dir()?.join("spdx");
    let l = std::fs::read_to_string(dir.join("licenses.json")).unwrap();
    let e = std::fs::read_to_string(dir.join("exceptions.json")).unwrap();
    Some(LicenceKnowledge::from_json(&l, &e).unwrap())
}

/// (name, licence statements) of the project laid out for the tests.
const COMPONENTS: &[(&str, &[&str])] = &[
    ("a", &["MIT"]),
    ("b", &["MIT"]),
    ("c", &["MIT"]),
    ("d", &[]),
    ("e", &[]),
    ("f", &["GPL-3.0-only"]),
    ("g", &["some words nobody maps", "ISC"]),
    ("h", &["ISC"]),
    ("i", &["some words nobody maps"]),
];

fn run(kb: &LicenceKnowledge, policy: &Policy, only: Option<usize>, all: bool) -> ProjectLicences {
    let picked: Vec<&(&str, &[&str])> = match only {
        Some(i) => COMPONENTS.get(i).into_iter().collect(),
        None => COMPONENTS.iter().collect(),
    };
    let p = Project {
        name: "p".into(),
        path: ".".into(),
        components: picked
            .iter()
            .map(|(n, _)| Component::new(Ecosystem::Npm, *n, Some("1.0.0")))
            .collect(),
        ..Project::default()
    };
    let st: Vec<Vec<Statement>> = picked
        .iter()
        .map(|(_, ls)| {
            ls.iter()
                .enumerate()
                .map(|(k, l)| Statement {
                    licence: (*l).to_owned(),
                    kind: "declared".into(),
                    file: format!("file-{k}"),
                })
                .collect()
        })
        .collect();
    let ctx = LicenceContext {
        knowledge: kb,
        policy,
        model: None,
        own: None,
        explain_all: all,
    };
    let files = vec!["package-lock.json"; p.components.len()];
    check(&ctx, &p, &files, &st)
}

fn policy(kb: &LicenceKnowledge) -> Policy {
    let config: PolicyConfig = toml::from_str(
        r#"
deny = ["MIT"]
[[exception]]
component = "pkg:npm/b"
reason = "cleared by legal, LEG-7"
"#,
    )
    .unwrap();
    Policy::new(&config, kb).unwrap()
}

fn of(r: &ProjectLicences, idx: usize) -> Vec<(Check, [String; 2])> {
    r.findings
        .iter()
        .filter(|f: &&LicenceFinding| f.component == idx)
        .map(|f| (f.check, f.message.clone()))
        .collect()
}

#[test]
fn every_component_as_if_checked_alone() {
    let Some(kb) = kb() else { return };
    let policy = policy(&kb);
    for all in [true, false] {
        let whole = run(&kb, &policy, None, all);
        assert_eq!(whole.components.len(), COMPONENTS.len());
        for (i, c) in whole.components.iter().enumerate() {
            let alone = run(&kb, &policy, Some(i), all);
            let want = serde_json::to_value(&alone.components[0]).unwrap();
            let got = serde_json::to_value(c).unwrap();
            assert_eq!(got, want, "component {i}, explain_all {all}");
            assert_eq!(c.index, i);
            assert_eq!(of(&whole, i), of(&alone, 0), "component {i}");
        }
    }
}

#[test]
fn an_exception_is_not_lent_to_the_same_licence() {
    let Some(kb) = kb() else { return };
    let r = run(&kb, &policy(&kb), None, true);
    let checks = |i: usize| of(&r, i).into_iter().map(|(c, _)| c).collect::<Vec<_>>();
    assert_eq!(checks(0), [Check::Denied]);
    assert_eq!(checks(1), []);
    assert_eq!(checks(2), [Check::Denied]);
    assert!(r.components[1].explanation[0].contains("LEG-7"));
    assert!(!r.components[2].explanation[0].contains("LEG-7"));
    assert_eq!(checks(3), [Check::Unknown]);
    assert_eq!(checks(4), [Check::Unknown]);
    // g relies on ISC, put first; h states ISC alone.
    assert_eq!(r.components[6].expression, "ISC");
    assert_eq!(r.components[6].statements[0].licence, "ISC");
    assert_eq!(
        r.components[6].statements[1].licence,
        "some words nobody maps"
    );
    assert_eq!(r.components[7].expression, "ISC");
    assert_eq!(r.components[7].statements.len(), 1);
    assert_eq!(checks(8), [Check::Unknown]);
    // Known: a, b, c (MIT), f (GPL), g, h (ISC).
    assert_eq!((r.components_total, r.components_known), (9, 6));
}

#[test]
fn the_audit_explains_only_what_is_more_than_unknown() {
    let Some(kb) = kb() else { return };
    let r = run(&kb, &policy(&kb), None, false);
    // Denied MIT is explained; unknown licences and plain ISC are not.
    assert!(!r.components[0].explanation[0].is_empty());
    for i in [3, 4, 7, 8] {
        assert!(r.components[i].explanation[0].is_empty(), "component {i}");
    }
    let kept = r.findings_only();
    assert!(kept.components.iter().any(|c| c.name == "a"));
}
