//! Actions and opportunities: upgrade grouping, effort, ordering by risk removed per point of
//! effort, version sprawl and its target, duplicate tools. Expected values worked out by hand
//! from the model (`docs/risk-model.md`) in the comments.

use crate::common;

use common::*;
use vigie_model::Ecosystem;
use vigie_risk::opportunities::{TargetBasis, sprawl};
use vigie_risk::{
    ActionKind, ChangeKind, Family, FindingFacts, Input, Opportunity, PackageRef, Rating,
    Thresholds, analyse, duplicate_tools,
};

const JACKSON: &str = "com.fasterxml.jackson.core:jackson-databind";

/// Findings whose actions are checked below, with each finding's score by hand (likelihood ×
/// the highest impact over its systems):
/// - jackson-databind 2.9.8 in p1 (Billing, 5): CVE-A high 3 → 15; CVE-B known exploited 5 → 25.
/// - jackson-databind 2.9.8 in p2 (Intranet, 2): CVE-A 3 → 6; CVE-B 5 → 10.
/// - jackson-databind 2.10.0 in p3 (no system, 3): CVE-A 3 → 9. All fixed in 2.12.7.1.
/// - lodash 4.17.15 in p4 (Lab, 1): CVE-C critical 4 → 4, fixed in 4.17.21.
/// - django 2.2.28 in p5 (HR, 5): CVE-D high 3 → 15, fixed in 3.2.25.
/// - nodejs 18 behind latest 18.20.4 in p6 (Billing 5): 2 → 10.
/// - python 2.7, 2000 days past end of life, in p7 (Wiki 4): 5 → 20.
/// - agpl-thing licence AGPL-3.0-only denied in p8 (Billing 5): 4 → 20.
/// - an unmaintained package with no fix in p9: no action.
fn findings() -> Vec<FindingFacts> {
    let mut v = Vec::new();
    let mut add = |key: &str, id: &str, version: &str, project: &str, sys: &[&str], high: bool| {
        let mut f = vuln(key, id, Ecosystem::Maven, JACKSON, version, project, sys);
        if high {
            f.rating = Some(Rating::High);
        } else {
            f.known_exploited = true;
        }
        f.fixed_in = Some("2.12.7.1".into());
        v.push(f);
    };
    add("j1a", "CVE-A", "2.9.8", "p1", &[BILLING], true);
    add("j1b", "CVE-B", "2.9.8", "p1", &[BILLING], false);
    add("j2a", "CVE-A", "2.9.8", "p2", &[INTRANET], true);
    add("j2b", "CVE-B", "2.9.8", "p2", &[INTRANET], false);
    add("j3a", "CVE-A", "2.10.0", "p3", &[], true);
    let mut l = vuln(
        "l",
        "CVE-C",
        Ecosystem::Npm,
        "lodash",
        "4.17.15",
        "p4",
        &[LAB],
    );
    l.rating = Some(Rating::Critical);
    l.fixed_in = Some("4.17.21".into());
    v.push(l);
    let mut d = vuln(
        "d",
        "CVE-D",
        Ecosystem::PyPI,
        "django",
        "2.2.28",
        "p5",
        &[HR],
    );
    d.rating = Some(Rating::High);
    d.fixed_in = Some("3.2.25".into());
    v.push(d);
    v.push(lifecycle(
        "n",
        "behind-latest",
        "nodejs",
        "18",
        Some("18.20.4"),
        "p6",
        &[BILLING],
    ));
    let mut p = lifecycle("py", "eol-passed", "python", "2.7", None, "p7", &[WIKI]);
    p.days_past_eol = Some(2000);
    v.push(p);
    let mut lic = finding(
        "lic",
        Family::Licence,
        "AGPL-3.0-only",
        "denied",
        &[BILLING],
    );
    lic.package = Some(PackageRef {
        ecosystem: Ecosystem::Npm,
        name: "agpl-thing".into(),
        version: "1.0.0".into(),
        purl: "pkg:npm/agpl-thing@1.0.0".into(),
    });
    lic.project_path = "p8".into();
    v.push(lic);
    let mut u = vuln(
        "u",
        "RUSTSEC-2020-1",
        Ecosystem::Cargo,
        "old",
        "0.1.0",
        "p9",
        &[],
    );
    u.kind = "unmaintained".into();
    v.push(u);
    v
}

fn run(findings: &[FindingFacts]) -> vigie_risk::Analysis {
    let systems = systems();
    analyse(&Input {
        today: TODAY,
        findings,
        systems: &systems,
        components: &[],
        thresholds: Thresholds::default(),
    })
}

#[test]
fn one_upgrade_groups_every_finding_it_fixes() {
    let a = run(&findings());
    let j = a
        .actions
        .iter()
        .find(|x| x.subject == JACKSON)
        .expect("jackson action");
    assert_eq!(j.kind, ActionKind::PackageUpgrade);
    // From-versions in version order (2.9.8 before 2.10.0, unlike string order).
    assert_eq!(j.from, vec!["2.9.8", "2.10.0"]);
    assert_eq!(j.to.as_deref(), Some("2.12.7.1"));
    assert_eq!(j.projects, vec!["p1", "p2", "p3"]);
    assert_eq!(j.systems, vec![BILLING, INTRANET]);
    // Two distinct advisories, one of them known exploited.
    assert_eq!((j.fixes, j.known_exploited), (2, 1));
    // 15 + 25 + 6 + 10 + 9 = 65.
    assert_eq!(j.risk_removed, 65);
    // 2.9.8 → 2.12.7.1 and 2.10.0 → 2.12.7.1 are minor: 3 projects × 2 points = 6.
    assert_eq!(j.effort.points, 6);
    assert_eq!(j.effort.kind, ChangeKind::Minor);
    assert_eq!(
        j.effort.text.en,
        "effort 6 points: 3 minor upgrades (2 points each)"
    );
    assert_eq!(
        j.effort.text.fr,
        "effort de 6\u{a0}points\u{a0}: 3 montées de version mineure (2\u{a0}points chacune)"
    );
    assert_eq!(
        j.text.en,
        format!(
            "upgrade {JACKSON} 2.9.8, 2.10.0 → 2.12.7.1 in 3 projects of 2 systems: fixes 2 vulnerabilities, 1 known exploited"
        )
    );
    assert_eq!(
        j.text.fr,
        format!(
            "mettre à jour {JACKSON} 2.9.8, 2.10.0 → 2.12.7.1 dans 3 projets de 2 systèmes\u{a0}: corrige 2 vulnérabilités, dont 1 exploitée activement"
        )
    );
}

#[test]
fn actions_are_ordered_by_risk_removed_per_point() {
    let a = run(&findings());
    // jackson 65 / 6 = 10.83; nodejs patch 10 / 1 = 10; licence 20 / 5 = 4.0 and lodash
    // (patch) 4 / 1 = 4.0 tie, the larger risk removed first; django (major) 15 / 5 = 3.0;
    // python migration 20 / 8 = 2.5. The unmaintained package has no fix: no action.
    let got: Vec<(&str, ActionKind, u32, u32)> = a
        .actions
        .iter()
        .map(|x| (x.subject.as_str(), x.kind, x.risk_removed, x.effort.points))
        .collect();
    assert_eq!(
        got,
        vec![
            (JACKSON, ActionKind::PackageUpgrade, 65, 6),
            ("nodejs 18", ActionKind::PlatformPatch, 10, 1),
            ("agpl-thing", ActionKind::LicenceReplacement, 20, 5),
            ("lodash", ActionKind::PackageUpgrade, 4, 1),
            ("django", ActionKind::PackageUpgrade, 15, 5),
            ("python 2.7", ActionKind::PlatformMigration, 20, 8),
        ]
    );
    let texts: Vec<&str> = a.actions.iter().map(|x| x.text.en.as_str()).collect();
    assert_eq!(
        texts[1],
        "update nodejs 18 to its latest patch release 18.20.4 in 1 project of 1 system"
    );
    assert_eq!(
        texts[2],
        "replace agpl-thing (AGPL-3.0-only, denied by the policy) in 1 project of 1 system"
    );
    assert_eq!(a.actions[4].effort.kind, ChangeKind::Major);
    assert_eq!(
        texts[5],
        "move python 2.7 to a supported release cycle in 1 project of 1 system"
    );
    assert!(
        a.actions[5]
            .text
            .fr
            .starts_with("faire passer python 2.7 à un cycle de versions maintenu")
    );
}

#[test]
fn opportunities_name_the_multi_fix_upgrades_and_platform_patches() {
    let a = run(&findings());
    // Jackson fixes 2 advisories (≥ 2): an opportunity; lodash and django fix 1: not.
    let keys: Vec<(&str, &str)> = a
        .opportunities
        .iter()
        .filter_map(|o| match o {
            Opportunity::MultiFixUpgrade(r) => Some(("multi", r.action.as_str())),
            Opportunity::PlatformBehind(r) => Some(("platform", r.action.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(
        keys,
        vec![
            (
                "multi",
                "package-upgrade:Maven:com.fasterxml.jackson.core:jackson-databind@2.12.7.1"
            ),
            ("platform", "platform-patch:nodejs:18@18.20.4"),
        ]
    );
}

#[test]
fn version_sprawl_targets_the_newest_version_without_known_vulnerability() {
    let c = |v: &str, p: &str| component(Ecosystem::Npm, "lodash", v, p, &[BILLING]);
    let components = vec![
        c("4.17.15", "p1"),
        c("4.17.15", "p2"),
        c("4.17.21", "p3"),
        c("3.10.1", "p4"),
        c("4.17.4", "p5"),
        // minimist: every version vulnerable, no fix known.
        component(Ecosystem::Npm, "minimist", "0.0.8", "p1", &[]),
        component(Ecosystem::Npm, "minimist", "1.2.0", "p2", &[]),
        component(Ecosystem::Npm, "minimist", "1.2.5", "p3", &[]),
        // Two versions only: not sprawl at the default threshold of 3.
        component(Ecosystem::Npm, "left-pad", "1.0.0", "p1", &[]),
        component(Ecosystem::Npm, "left-pad", "1.3.0", "p2", &[]),
        // PyPI names are one package whatever their case: three versions of django.
        component(Ecosystem::PyPI, "Django", "3.2", "p1", &[HR]),
        component(Ecosystem::PyPI, "django", "4.2", "p2", &[HR]),
        component(Ecosystem::PyPI, "DJANGO", "4.1", "p3", &[HR]),
    ];
    let mut findings = Vec::new();
    for (k, v) in [("l1", "4.17.15"), ("l2", "3.10.1")] {
        let mut f = vuln(k, "CVE-L", Ecosystem::Npm, "lodash", v, "p", &[]);
        f.fixed_in = Some("4.17.19".into());
        findings.push(f);
    }
    for (k, v) in [("m1", "0.0.8"), ("m2", "1.2.0"), ("m3", "1.2.5")] {
        findings.push(vuln(k, "CVE-M", Ecosystem::Npm, "minimist", v, "p", &[]));
    }
    let s = sprawl(&vigie_risk::version_uses(&components), &findings, 3);
    // lodash has 4 versions, django and minimist 3 (django has 3 projects, minimist 3: tie
    // broken by ecosystem then name, npm before PyPI in the enum order).
    let names: Vec<&str> = s.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names, vec!["lodash", "minimist", "Django"]);
    let lodash = &s[0];
    // Version order, not string order: 4.17.4 < 4.17.15 < 4.17.21.
    let vs: Vec<&str> = lodash.versions.iter().map(|v| v.version.as_str()).collect();
    assert_eq!(vs, vec!["3.10.1", "4.17.4", "4.17.15", "4.17.21"]);
    // Candidates: 4.17.4 and 4.17.21 (no finding) and the fix 4.17.19 → newest 4.17.21.
    assert_eq!(
        (lodash.target.as_str(), lodash.basis),
        ("4.17.21", TargetBasis::NewestWithoutKnownVulnerability)
    );
    // 5 projects, 1 already on 4.17.21.
    assert_eq!((lodash.projects, lodash.projects_to_move), (5, 4));
    assert!(
        lodash
            .text
            .en
            .contains("lodash is used in 4 versions across 5 projects"),
        "{}",
        lodash.text.en
    );
    assert!(
        lodash.text.fr.contains("consolider sur 4.17.21"),
        "{}",
        lodash.text.fr
    );
    let minimist = &s[1];
    assert_eq!(
        (minimist.target.as_str(), minimist.basis),
        ("1.2.5", TargetBasis::Newest)
    );
    assert_eq!(s[2].target, "4.2");
}

#[test]
fn duplicate_tools_add_their_costs() {
    let mut a = system("system:default/sf", "Salesforce", None, None, false, false);
    a.saas_category = Some("crm".into());
    a.cost_per_year = Some(100_000.0);
    let mut b = system("system:default/hs", "HubSpot", None, None, false, false);
    b.saas_category = Some(" CRM ".into());
    b.cost_per_year = Some(20_000.0);
    let mut c = system("system:default/pd", "Pipedrive", None, None, false, false);
    c.saas_category = Some("Crm".into());
    let mut d = system("system:default/jira", "Jira", None, None, false, false);
    d.saas_category = Some("ticketing".into());
    let mut e = system("system:default/a", "Alpha", None, None, false, false);
    e.saas_category = Some("wiki".into());
    let mut f = system("system:default/b", "Beta", None, None, false, false);
    f.saas_category = Some("wiki".into());
    let dups = duplicate_tools(&[a, b, c, d, e, f]);
    // crm: 3 tools, known costs 100,000 + 20,000 = 120,000; keeping one saves at least
    // 120,000 − 100,000 = 20,000. wiki: 2 tools, no cost known. ticketing: alone.
    assert_eq!(dups.len(), 2);
    assert_eq!(dups[0].names, vec!["Salesforce", "HubSpot", "Pipedrive"]);
    assert_eq!(
        (dups[0].combined_cost, dups[0].saving_at_least),
        (Some(120_000.0), Some(20_000.0))
    );
    assert!(
        dups[0].text.en.contains(
            "3 tools for “crm” (Salesforce, HubSpot, Pipedrive), combined cost 120,000 a year"
        ),
        "{}",
        dups[0].text.en
    );
    assert!(
        dups[0]
            .text
            .fr
            .contains("coût cumulé 120\u{202f}000 par an"),
        "{}",
        dups[0].text.fr
    );
    assert_eq!(
        (dups[1].category.as_str(), dups[1].combined_cost),
        ("wiki", None)
    );
}

#[test]
fn a_project_with_two_versions_counts_once_at_its_largest_change() {
    // p1 holds lodash 3.10.1 and 4.17.15, both fixed in 4.17.21: 3 → 4 is major (5 points),
    // 4.17.15 → 4.17.21 a patch (1); the project counts once, at 5. p2 holds 4.17.15 only: 1.
    // Total 6 points; largest change major.
    let mut v = Vec::new();
    for (k, ver, p) in [
        ("a", "3.10.1", "p1"),
        ("b", "4.17.15", "p1"),
        ("c", "4.17.15", "p2"),
    ] {
        let mut f = vuln(k, "CVE-L", Ecosystem::Npm, "lodash", ver, p, &[LAB]);
        f.fixed_in = Some("4.17.21".into());
        v.push(f);
    }
    let a = run(&v);
    let x = a.actions.first().expect("one action");
    assert_eq!(a.actions.len(), 1);
    assert_eq!(x.effort.points, 6);
    assert_eq!(x.effort.kind, ChangeKind::Major);
    assert_eq!(
        x.effort.text.en,
        "effort 6 points: 1 patch upgrade (1 point), 1 major upgrade (5 points)"
    );
    // One advisory (CVE-L), three findings: severity unknown (2) × Lab (1) = 2 each → 6.
    assert_eq!((x.fixes, x.risk_removed), (1, 6));
    assert_eq!(x.from, vec!["3.10.1", "4.17.15"]);
}
