//! Shared test support: builders of findings, systems and components with every field at a
//! neutral value, so each case states only the facts it is about.

#![allow(dead_code)]

use jiff::civil::{Date, date};
use vigie_model::Ecosystem;
use vigie_risk::{
    Catalog, ComponentFacts, Family, FindingFacts, Level, PackageRef, PlatformRef, SystemFacts,
    finding_score,
};

/// The day every case is scored on.
pub const TODAY: Date = date(2026, 6, 1);

/// A finding of `family` and `kind` in the systems `systems`.
pub fn finding(key: &str, family: Family, id: &str, kind: &str, systems: &[&str]) -> FindingFacts {
    FindingFacts {
        key: key.to_string(),
        family,
        id: id.to_string(),
        aliases: Vec::new(),
        title: format!("title of {id}"),
        kind: kind.to_string(),
        rating: None,
        cvss_score: None,
        known_exploited: false,
        ransomware: false,
        days_past_eol: None,
        eol_date: None,
        package: None,
        fixed_in: None,
        platform: None,
        project_path: format!("repos/{key}"),
        system_refs: systems.iter().map(|s| s.to_string()).collect(),
    }
}

/// A vulnerability finding on a package.
pub fn vuln(
    key: &str,
    id: &str,
    eco: Ecosystem,
    name: &str,
    version: &str,
    project: &str,
    systems: &[&str],
) -> FindingFacts {
    let mut f = finding(key, Family::Vulnerability, id, "vulnerability", systems);
    f.package = Some(PackageRef {
        ecosystem: eco,
        name: name.to_string(),
        version: version.to_string(),
        purl: format!("pkg:{}/{name}@{version}", eco.purl_type()),
    });
    f.project_path = project.to_string();
    f
}

/// A lifecycle finding on a platform.
pub fn lifecycle(
    key: &str,
    kind: &str,
    product: &str,
    cycle: &str,
    latest: Option<&str>,
    project: &str,
    systems: &[&str],
) -> FindingFacts {
    let mut f = finding(key, Family::Lifecycle, product, kind, systems);
    f.platform = Some(PlatformRef {
        product: product.to_string(),
        cycle: cycle.to_string(),
        latest: latest.map(str::to_string),
    });
    f.project_path = project.to_string();
    f
}

/// A system.
pub fn system(
    entity_ref: &str,
    name: &str,
    criticality: Option<u8>,
    exposed: Option<bool>,
    personal: bool,
    sensitive: bool,
) -> SystemFacts {
    SystemFacts {
        entity_ref: entity_ref.to_string(),
        name: name.to_string(),
        owners: Vec::new(),
        criticality,
        internet_exposed: exposed,
        personal_data: personal,
        sensitive_data: sensitive,
        saas_category: None,
        cost_per_year: None,
    }
}

pub const BILLING: &str = "system:default/billing";
pub const INTRANET: &str = "system:default/intranet";
pub const HR: &str = "system:default/hr";
pub const WIKI: &str = "system:default/wiki";
pub const LAB: &str = "system:default/lab";
pub const ODD: &str = "system:default/odd";

/// The systems of the handwritten cases, with their impact worked out by hand from the model
/// (criticality, +1 internet, +2 sensitive else +1 personal, cap 5, 3 when not stated):
/// - Billing: criticality 4, +1 internet, +1 personal = 6, capped at 5. Owners payments and
///   finance-it.
/// - Intranet: criticality 2, not exposed, no personal data = 2. Owner payments.
/// - HR: criticality 3, exposure unknown (+0), sensitive data +2 = 5. No owner.
/// - Wiki: criticality not stated (3), +1 internet = 4.
/// - Lab: criticality 1 = 1.
/// - Odd: criticality 9 is off the scale (3) = 3.
pub fn systems() -> Vec<SystemFacts> {
    let mut billing = system(BILLING, "Billing", Some(4), Some(true), true, false);
    billing.owners = vec![
        "group:default/payments".into(),
        "group:default/finance-it".into(),
    ];
    let mut intranet = system(INTRANET, "Intranet", Some(2), Some(false), false, false);
    intranet.owners = vec!["group:default/payments".into()];
    vec![
        billing,
        intranet,
        system(HR, "HR", Some(3), None, true, true),
        system(WIKI, "Wiki", None, Some(true), false, false),
        system(LAB, "Lab", Some(1), Some(false), false, false),
        system(ODD, "Odd", Some(9), None, false, false),
    ]
}

/// A component of the inventory.
pub fn component(
    eco: Ecosystem,
    name: &str,
    version: &str,
    project: &str,
    systems: &[&str],
) -> ComponentFacts {
    ComponentFacts {
        ecosystem: eco,
        name: name.to_string(),
        version: version.to_string(),
        project_path: project.to_string(),
        system_refs: systems.iter().map(|s| s.to_string()).collect(),
    }
}

/// One case: the finding scored over its systems, checked against the hand-worked values and
/// phrases (English phrases first, then French).
pub fn check(
    f: &vigie_risk::FindingFacts,
    l: u8,
    i: u8,
    score: u8,
    level: Level,
    en: &[&str],
    fr: &[&str],
) {
    let systems = systems();
    let catalog = Catalog::new(&systems);
    let s = finding_score(f, &catalog, TODAY);
    assert_eq!(
        (s.likelihood, s.impact, s.score, s.level),
        (l, i, score, level),
        "{}: {}",
        f.key,
        s.explanation.en
    );
    for p in en {
        assert!(
            s.explanation.en.contains(p),
            "{}: {p:?} not in {:?}",
            f.key,
            s.explanation.en
        );
    }
    for p in fr {
        assert!(
            s.explanation.fr.contains(p),
            "{}: {p:?} not in {:?}",
            f.key,
            s.explanation.fr
        );
    }
}
