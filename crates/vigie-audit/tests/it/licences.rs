//! The licence check on components laid out by hand. Each expected finding
//! is worked out from the preset table (vigie-licence `policy/preset.rs`:
//! AGPL in a network service is denied; GPL in a distributed binary needs
//! review and obliges to ship the source; permissive is allowed), the FSF's
//! Apache-2.0 / GPL-2.0 incompatibility, and the definition of coverage
//! (components whose licence maps to SPDX or `UNLICENSED`, over distinct
//! components).

use crate::common;

use vigie_audit::licences::{Check, LicenceContext, Statement, check};
use vigie_licence::{DistributionModel, LicenceKnowledge, Policy, PolicyConfig};
use vigie_model::{Component, Ecosystem, Project};

fn comp(name: &str, licence: Option<&str>) -> Component {
    Component::new(Ecosystem::Npm, name, Some("1.0.0")).with_licence(licence.map(str::to_owned))
}

fn statements(p: &Project) -> Vec<Vec<Statement>> {
    p.components
        .iter()
        .map(|c| {
            c.licence
                .iter()
                .map(|l| Statement {
                    licence: l.clone(),
                    kind: "declared".into(),
                    file: "package-lock.json".into(),
                })
                .collect()
        })
        .collect()
}

fn run(
    kb: &LicenceKnowledge,
    policy: &Policy,
    model: Option<DistributionModel>,
    own: Option<&str>,
    components: Vec<Component>,
) -> vigie_audit::licences::ProjectLicences {
    let p = Project {
        name: "p".into(),
        path: ".".into(),
        components,
        ..Project::default()
    };
    let ctx = LicenceContext {
        explain_all: true,
        knowledge: kb,
        policy,
        model,
        own: own.map(|l| Statement {
            licence: l.into(),
            kind: "manifest".into(),
            file: "package.json".into(),
        }),
    };
    let files = vec!["package-lock.json"; p.components.len()];
    check(&ctx, &p, &files, &statements(&p))
}

fn checks_of(r: &vigie_audit::licences::ProjectLicences, name: &str) -> Vec<Check> {
    let i = r.components.iter().position(|c| c.name == name).unwrap();
    let mut v: Vec<Check> = r
        .findings
        .iter()
        .filter(|f| f.component == i)
        .map(|f| f.check)
        .collect();
    v.sort();
    v
}

#[test]
fn network_service_findings() {
    let Some(kb) = common::kb() else { return };
    let policy = Policy::default();
    let r = run(
        kb,
        &policy,
        Some(DistributionModel::NetworkService),
        None,
        vec![
            comp("agpl", Some("AGPL-3.0-only")),
            comp("gpl", Some("GPL-3.0-or-later")),
            comp("mit", Some("MIT")),
            comp("nothing", None),
            comp("bsd", Some("BSD")),
            comp("mit", Some("MIT")), // the same component again: counted once
        ],
    );
    assert_eq!(r.model, "network-service");
    assert!(r.assumption.is_none());
    assert_eq!(checks_of(&r, "agpl"), [Check::Denied]);
    // GPL in a network service: not distributed, no obligation.
    assert_eq!(checks_of(&r, "gpl"), []);
    assert_eq!(checks_of(&r, "mit"), []);
    assert_eq!(checks_of(&r, "nothing"), [Check::Unknown]);
    assert_eq!(checks_of(&r, "bsd"), [Check::LowConfidence]);
    assert_eq!((r.components_total, r.components_known), (5, 4));
    assert_eq!(r.categories.get("permissive"), Some(&2)); // MIT, BSD-3-Clause
    assert_eq!(r.categories.get("unknown"), Some(&1));
}

#[test]
fn distributed_binary_is_the_stated_default() {
    let Some(kb) = common::kb() else { return };
    let policy = Policy::default();
    let r = run(
        kb,
        &policy,
        None,
        Some("GPL-2.0-only"),
        vec![
            comp("gpl", Some("GPL-2.0-or-later")),
            comp("apache", Some("Apache-2.0")),
            comp("dual", Some("MIT OR GPL-2.0-only")),
            comp("both", Some("Apache-2.0 AND LGPL-2.1-only")),
            comp("lgpl", Some("LGPL-2.1-or-later")),
        ],
    );
    assert_eq!(r.model, "distributed-binary");
    assert!(r.assumption.as_ref().unwrap()[0].contains("assumes"));
    assert_eq!(
        checks_of(&r, "gpl"),
        [Check::NeedsReview, Check::CopyleftObligation]
    );
    // Apache-2.0 cannot go into a GPL-2.0-only work (FSF licence list).
    assert_eq!(checks_of(&r, "apache"), [Check::Incompatible]);
    let dual = r.components.iter().find(|c| c.name == "dual").unwrap();
    assert_eq!(dual.chosen.as_deref(), Some("MIT"));
    assert_eq!(checks_of(&r, "dual"), []);
    // AND: the Apache notices and the LGPL relinking both apply.
    let both = r.components.iter().find(|c| c.name == "both").unwrap();
    for o in ["keep-notices", "notice-file", "allow-relinking"] {
        assert!(
            both.obligations.iter().any(|x| x == o),
            "{o}: {:?}",
            both.obligations
        );
    }
    assert!(checks_of(&r, "lgpl").contains(&Check::CopyleftObligation));
}

#[test]
fn policy_lists_and_exceptions_win() {
    let Some(kb) = common::kb() else { return };
    let config: PolicyConfig = toml::from_str(
        r#"
deny = ["MIT"]
allow = ["AGPL-3.0-only"]
[[exception]]
component = "pkg:npm/nothing"
reason = "checked by legal"
"#,
    )
    .unwrap();
    let policy = Policy::new(&config, kb).unwrap();
    let r = run(
        kb,
        &policy,
        Some(DistributionModel::NetworkService),
        None,
        vec![
            comp("agpl", Some("AGPL-3.0-only")),
            comp("mit", Some("MIT")),
            comp("nothing", Some("UNLICENSED")),
        ],
    );
    assert_eq!(checks_of(&r, "mit"), [Check::Denied]);
    assert!(!checks_of(&r, "agpl").contains(&Check::Denied));
    assert_eq!(checks_of(&r, "nothing"), []);
    let n = r.components.iter().find(|c| c.name == "nothing").unwrap();
    assert!(
        n.explanation[0].contains("checked by legal"),
        "{}",
        n.explanation[0]
    );
    assert!(n.explanation[1].contains("checked by legal"));
}

#[test]
fn installed_metadata_fills_a_no_assertion() {
    let Some(kb) = common::kb() else { return };
    let policy = Policy::default();
    let p = Project {
        components: vec![comp("a", Some("NOASSERTION"))],
        ..Project::default()
    };
    let st = vec![vec![
        Statement {
            licence: "NOASSERTION".into(),
            kind: "declared".into(),
            file: "bom.json".into(),
        },
        Statement {
            licence: "ISC".into(),
            kind: "node-modules".into(),
            file: "node_modules/a/package.json".into(),
        },
    ]];
    let ctx = LicenceContext {
        explain_all: true,
        knowledge: kb,
        policy: &policy,
        model: None,
        own: None,
    };
    let r = check(&ctx, &p, &["bom.json"], &st);
    assert_eq!(r.components[0].expression, "ISC");
    assert_eq!(r.components[0].statements[0].kind, "node-modules");
    assert_eq!(r.components_known, 1);
}
