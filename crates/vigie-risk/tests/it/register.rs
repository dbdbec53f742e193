//! The register: roll-up of findings into risks, aggregation per system, owner and estate,
//! the heat map, and the trend against a previous register. Every expected value is worked
//! out by hand in the comments from the model in `docs/risk-model.md`.

use crate::common;

use common::*;
use vigie_model::Ecosystem;
use vigie_risk::{Catalog, Change, FindingFacts, Level, Rating, Register, build_register, trend};

const LOG4J: &str = "org.apache.logging.log4j:log4j-core";

/// The current audit:
/// - a: CVE-2021-44228 (alias GHSA-jfh8-c2jp-5v3q), known exploited, repo1, Billing.
/// - b: GHSA-jfh8-c2jp-5v3q alone, known exploited, repo2, Billing → joined to a's group.
/// - c: CVE-2021-44228, known exploited, repo3, Billing and Intranet.
/// - d: CVE-2021-45046 rated critical, not exploited, repo1, Billing.
/// - e: python 2.7 end of life passed 400 days ago, repo4, no system.
/// - f: python 2.7 behind latest, repo5, no system → same group and system as e.
/// - g: GPL-2.0-only to review, repo6, HR.
/// - h: GPL-2.0-only denied, repo7, HR → same group as g.
fn current() -> Vec<FindingFacts> {
    let mut a = vuln(
        "a",
        "CVE-2021-44228",
        Ecosystem::Maven,
        LOG4J,
        "2.14.1",
        "repo1",
        &[BILLING],
    );
    a.aliases = vec!["GHSA-jfh8-c2jp-5v3q".into()];
    a.known_exploited = true;
    let mut b = vuln(
        "b",
        "GHSA-jfh8-c2jp-5v3q",
        Ecosystem::Maven,
        LOG4J,
        "2.14.1",
        "repo2",
        &[BILLING],
    );
    b.known_exploited = true;
    let mut c = vuln(
        "c",
        "CVE-2021-44228",
        Ecosystem::Maven,
        LOG4J,
        "2.14.1",
        "repo3",
        &[BILLING, INTRANET],
    );
    c.known_exploited = true;
    let mut d = vuln(
        "d",
        "CVE-2021-45046",
        Ecosystem::Maven,
        LOG4J,
        "2.14.1",
        "repo1",
        &[BILLING],
    );
    d.rating = Some(Rating::Critical);
    let mut e = lifecycle("e", "eol-passed", "python", "2.7", None, "repo4", &[]);
    e.days_past_eol = Some(400);
    let f = lifecycle(
        "f",
        "behind-latest",
        "python",
        "2.7",
        Some("2.7.18"),
        "repo5",
        &[],
    );
    let mut g = finding(
        "g",
        vigie_risk::Family::Licence,
        "GPL-2.0-only",
        "review",
        &[HR],
    );
    g.project_path = "repo6".into();
    let mut h = finding(
        "h",
        vigie_risk::Family::Licence,
        "GPL-2.0-only",
        "denied",
        &[HR],
    );
    h.project_path = "repo7".into();
    vec![a, b, c, d, e, f, g, h]
}

fn register(findings: &[FindingFacts]) -> Register {
    let systems = systems();
    build_register(findings, &Catalog::new(&systems), TODAY)
}

#[test]
fn findings_roll_up_into_risks_per_group_and_system() {
    let reg = register(&current());
    // By hand:
    // 1. CVE-2021-44228 @ Billing: a, b (alias), c; repo1-3; KEV 5 × Billing 5 = 25.
    // 2. licence GPL-2.0-only @ HR: g (2), h (4) → 4 × HR 5 = 20.
    // 3. CVE-2021-45046 @ Billing: critical 4 × 5 = 20 (same score as 2; keys order them).
    // 4. lifecycle python 2.7 @ none: e (4, 400 days), f (2) → 4 × default 3 = 12.
    // 5. CVE-2021-44228 @ Intranet: c; 5 × 2 = 10.
    let got: Vec<(&str, u8, u8, u8, Level)> = reg
        .risks
        .iter()
        .map(|r| (r.key.as_str(), r.likelihood, r.impact, r.score, r.level))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "vulnerability:CVE-2021-44228@system:default/billing",
                5,
                5,
                25,
                Level::Critical
            ),
            (
                "licence:GPL-2.0-only@system:default/hr",
                4,
                5,
                20,
                Level::Critical
            ),
            (
                "vulnerability:CVE-2021-45046@system:default/billing",
                4,
                5,
                20,
                Level::Critical
            ),
            ("lifecycle:python 2.7@-", 4, 3, 12, Level::High),
            (
                "vulnerability:CVE-2021-44228@system:default/intranet",
                5,
                2,
                10,
                Level::High
            ),
        ]
    );
    let top = &reg.risks[0];
    assert_eq!(top.findings, vec!["a", "b", "c"]);
    assert_eq!(top.projects, vec!["repo1", "repo2", "repo3"]);
    assert!(top.known_exploited);
    assert_eq!(
        top.owners,
        vec!["group:default/payments", "group:default/finance-it"]
    );
    assert!(
        top.title
            .en
            .contains("log4j-core 2.14.1, known exploited, in 3 projects of Billing"),
        "{}",
        top.title.en
    );
    assert!(
        top.title
            .fr
            .contains("exploitée activement, dans 3 projets de Billing"),
        "{}",
        top.title.fr
    );
    // The denied finding, not the review one, explains the licence risk.
    assert!(
        reg.risks[1]
            .explanation
            .en
            .contains("licence denied by the policy")
    );
    // The end of life, not the missing patch, explains the lifecycle risk; no system.
    let life = &reg.risks[3];
    assert!(life.explanation.en.contains("400 days"));
    assert!(
        life.title.en.contains("outside any known system"),
        "{}",
        life.title.en
    );
    assert_eq!(life.system, None);
}

#[test]
fn advisory_groups_are_named_by_their_cve() {
    // GHSA id with a CVE alias → the CVE names the group; two ids without CVE → the smallest
    // in upper case (GHSA-B < PYSEC-A), written as first seen.
    let mut x = vuln("x", "GHSA-zzzz", Ecosystem::Npm, "p", "1.0.0", "r", &[LAB]);
    x.aliases = vec!["CVE-2020-0001".into()];
    let mut y = vuln("y", "PYSEC-a", Ecosystem::PyPI, "q", "1.0", "r", &[LAB]);
    y.aliases = vec!["GHSA-b".into()];
    let reg = register(&[x, y]);
    let keys: Vec<&str> = reg.risks.iter().map(|r| r.group.as_str()).collect();
    assert_eq!(keys, vec!["CVE-2020-0001", "GHSA-b"]);
}

#[test]
fn aggregation_per_system_owner_and_estate() {
    let s = register(&current()).summary;
    // Estate: 5 risks; scores 25, 20, 20, 12, 10 → critical 3, high 2; total 87; two risks
    // known exploited (CVE-2021-44228 in Billing and in Intranet).
    assert_eq!(s.estate.risks, 5);
    assert_eq!(
        (
            s.estate.by_level.low,
            s.estate.by_level.medium,
            s.estate.by_level.high,
            s.estate.by_level.critical
        ),
        (0, 0, 2, 3)
    );
    assert_eq!(
        (
            s.estate.max_score,
            s.estate.total_score,
            s.estate.known_exploited
        ),
        (25, 87, 2)
    );
    // Systems by total: Billing 25 + 20 = 45, HR 20, none 12, Intranet 10.
    let sys: Vec<(Option<&str>, u32, u64)> = s
        .systems
        .iter()
        .map(|r| {
            (
                r.entity_ref.as_deref(),
                r.rollup.risks,
                r.rollup.total_score,
            )
        })
        .collect();
    assert_eq!(
        sys,
        vec![
            (Some(BILLING), 2, 45),
            (Some(HR), 1, 20),
            (None, 1, 12),
            (Some(INTRANET), 1, 10)
        ]
    );
    // Owners: payments owns Billing and Intranet (45 + 10 = 55), finance-it Billing (45).
    let owners: Vec<(&str, usize, u32, u64)> = s
        .owners
        .iter()
        .map(|o| {
            (
                o.owner.as_str(),
                o.systems.len(),
                o.rollup.risks,
                o.rollup.total_score,
            )
        })
        .collect();
    assert_eq!(
        owners,
        vec![
            ("group:default/payments", 2, 3, 55),
            ("group:default/finance-it", 1, 2, 45)
        ]
    );
    // Unowned: HR has no owner (20), and the risk in no system (12).
    assert_eq!((s.unowned.risks, s.unowned.total_score), (2, 32));
    // Heat map [likelihood-1][impact-1]: (5,5) 1, (4,5) 2, (4,3) 1, (5,2) 1.
    let mut expected = [[0u32; 5]; 5];
    expected[4][4] = 1;
    expected[3][4] = 2;
    expected[3][2] = 1;
    expected[4][1] = 1;
    assert_eq!(s.heat_map, expected);
}

/// The previous audit:
/// - a: CVE-2021-44228 known exploited in Billing (unchanged: 25).
/// - d: CVE-2021-45046 rated medium then (2 × 5 = 10; now 20: worsened).
/// - e: python 2.7, 1200 days past end of life (5 × 3 = 15; now 12: improved — the input
///   says fewer days, which is what an earlier snapshot with another date would say).
/// - x: CVE-2019-0001 rated high in Intranet (3 × 2 = 6; gone now: resolved).
fn previous() -> Vec<FindingFacts> {
    let mut a = vuln(
        "a",
        "CVE-2021-44228",
        Ecosystem::Maven,
        LOG4J,
        "2.14.1",
        "repo1",
        &[BILLING],
    );
    a.known_exploited = true;
    let mut d = vuln(
        "d",
        "CVE-2021-45046",
        Ecosystem::Maven,
        LOG4J,
        "2.14.1",
        "repo1",
        &[BILLING],
    );
    d.rating = Some(Rating::Medium);
    let mut e = lifecycle("e", "eol-passed", "python", "2.7", None, "repo4", &[]);
    e.days_past_eol = Some(1200);
    let mut x = vuln(
        "x",
        "CVE-2019-0001",
        Ecosystem::Npm,
        "old",
        "1.0.0",
        "repo9",
        &[INTRANET],
    );
    x.rating = Some(Rating::High);
    vec![a, d, e, x]
}

#[test]
fn trend_against_the_previous_register() {
    let prev = register(&previous());
    // The previous register comes back from the store as JSON.
    let json = serde_json::to_string(&prev).expect("serialises");
    let prev: Register = serde_json::from_str(&json).expect("reads back");
    let cur = register(&current());
    let t = trend(&prev.risks, &cur.risks);
    // New: licence GPL @ HR, CVE-2021-44228 @ Intranet. Worsened: CVE-2021-45046 (10 → 20).
    // Improved: python 2.7 (15 → 12). Resolved: CVE-2019-0001. Unchanged: CVE-2021-44228 @
    // Billing.
    assert_eq!(
        (t.new, t.worsened, t.improved, t.resolved, t.unchanged),
        (2, 1, 1, 1, 1)
    );
    let got: Vec<(&str, Change, Option<u8>, Option<u8>)> = t
        .entries
        .iter()
        .map(|e| (e.key.as_str(), e.change, e.previous_score, e.current_score))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                "licence:GPL-2.0-only@system:default/hr",
                Change::New,
                None,
                Some(20)
            ),
            (
                "vulnerability:CVE-2021-45046@system:default/billing",
                Change::Worsened,
                Some(10),
                Some(20)
            ),
            (
                "vulnerability:CVE-2021-44228@system:default/intranet",
                Change::New,
                None,
                Some(10)
            ),
            (
                "lifecycle:python 2.7@-",
                Change::Improved,
                Some(15),
                Some(12)
            ),
            (
                "vulnerability:CVE-2019-0001@system:default/intranet",
                Change::Resolved,
                Some(6),
                None
            ),
        ]
    );
}

#[test]
fn trend_of_a_register_with_itself_is_flat() {
    let cur = register(&current());
    let t = trend(&cur.risks, &cur.risks);
    assert_eq!(
        (t.new, t.worsened, t.improved, t.resolved, t.unchanged),
        (0, 0, 0, 0, 5)
    );
    assert!(t.entries.is_empty());
    // Against nothing, everything is new; from everything to nothing, everything resolved.
    assert_eq!(trend(&[], &cur.risks).new, 5);
    assert_eq!(trend(&cur.risks, &[]).resolved, 5);
}
