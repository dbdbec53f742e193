//! The model's scores for handwritten cases (lifecycle, licences, systems). Each expected likelihood, impact, score, level
//! and key phrase is worked out by hand from the rules in `docs/risk-model.md` (the reasoning
//! is in the comment of each case), never copied from the code's output.

use crate::common;

use common::*;
use jiff::civil::date;
use vigie_model::Ecosystem;
use vigie_risk::{Catalog, Family, Level, Rating, finding_score};

#[test]
fn case08_eol_passed_400_days_in_intranet() {
    // 400 days past end of life: 365 ≤ 400 < 1095 → 4. Intranet 2. 4 × 2 = 8 → medium.
    let mut f = lifecycle("c8", "eol-passed", "python", "3.7", None, "p8", &[INTRANET]);
    f.days_past_eol = Some(400);
    check(
        &f,
        4,
        2,
        8,
        Level::Medium,
        &["end of life passed 400 days ago"],
        &["fin de vie dépassée depuis 400 jours"],
    );
}

#[test]
fn case09_eol_passed_from_the_date_in_wiki() {
    // End of life 2020-01-01, today 2026-06-01: 6 years with 2020 and 2024 leap = 2192 days to
    // 2026-01-01, plus 31+28+31+30+31 = 151 → 2343 days ≥ 1095 → 5. Wiki 4. 5 × 4 = 20.
    let mut f = lifecycle("c9", "eol-passed", "python", "2.7", None, "p9", &[WIKI]);
    f.eol_date = Some(date(2020, 1, 1));
    check(
        &f,
        5,
        4,
        20,
        Level::Critical,
        &[
            "end of life passed 2,343 days ago (1 January 2020)",
            "no more security fixes",
        ],
        &[
            "fin de vie dépassée depuis 2\u{202f}343 jours (1er janvier 2020)",
            "plus aucun correctif de sécurité",
        ],
    );
}

#[test]
fn case10_eol_soon_within_90_days_in_billing() {
    // End of life 2026-07-15, today 2026-06-01: 30 (rest of June) + 14 = 44 days ≤ 90 → 3.
    // Billing 5. 3 × 5 = 15 → high (the highest high score).
    let mut f = lifecycle("c10", "eol-soon", "nodejs", "20", None, "p10", &[BILLING]);
    f.eol_date = Some(date(2026, 7, 15));
    check(
        &f,
        3,
        5,
        15,
        Level::High,
        &["end of life in 44 days (15 July 2026)", ": high."],
        &[
            "fin de vie dans 44 jours (15 juillet 2026), soit moins de 90 jours",
            "élevé.",
        ],
    );
}

#[test]
fn case11_eol_soon_later_in_intranet() {
    // End of life 2027-01-01 is 214 days away (> 90) → 2. Intranet 2. 2 × 2 = 4 → low (the
    // highest low score).
    let mut f = lifecycle(
        "c11",
        "eol-soon",
        "postgresql",
        "14",
        None,
        "p11",
        &[INTRANET],
    );
    f.eol_date = Some(date(2027, 1, 1));
    check(
        &f,
        2,
        2,
        4,
        Level::Low,
        &["end of life coming on 1 January 2027"],
        &["fin de vie prochaine, le 1er janvier 2027"],
    );
}

#[test]
fn case12_licence_denied_in_billing() {
    // Denied → 4. Billing 5. 4 × 5 = 20 → critical.
    let f = finding(
        "c12",
        Family::Licence,
        "AGPL-3.0-only",
        "denied",
        &[BILLING],
    );
    check(
        &f,
        4,
        5,
        20,
        Level::Critical,
        &["licence denied by the policy"],
        &["licence refusée par la politique"],
    );
}

#[test]
fn case13_licence_low_confidence_in_lab() {
    // Low confidence → 1. Lab 1. 1 × 1 = 1 → low, the smallest score.
    let f = finding("c13", Family::Licence, "MIT", "low-confidence", &[LAB]);
    check(
        &f,
        1,
        1,
        1,
        Level::Low,
        &["Score 1/25 (1 × 1): low."],
        &["licence identifiée avec un faible degré de confiance"],
    );
}

#[test]
fn case14_criticality_off_the_scale() {
    // Rating medium → 2. Odd: criticality 9 is off 1–5 → 3, nothing added. 2 × 3 = 6.
    let mut f = vuln(
        "c14",
        "CVE-2023-1",
        Ecosystem::Npm,
        "x",
        "1.0.0",
        "p14",
        &[ODD],
    );
    f.rating = Some(Rating::Medium);
    check(
        &f,
        2,
        3,
        6,
        Level::Medium,
        &["criticality 9 of Odd off the 1–5 scale, assumed 3/5"],
        &["hors de l’échelle 1–5"],
    );
}

#[test]
fn case15_unknown_lifecycle_kind() {
    // A kind the model does not know → 2. Intranet 2. 2 × 2 = 4 → low.
    let f = lifecycle(
        "c15",
        "frobnicated",
        "nginx",
        "1.24",
        None,
        "p15",
        &[INTRANET],
    );
    check(
        &f,
        2,
        2,
        4,
        Level::Low,
        &["kind “frobnicated” unknown to the model"],
        &["inconnu du modèle"],
    );
}

#[test]
fn case16_two_systems_take_the_highest_impact() {
    // Rating low → 1. In Lab (1) and Billing (5): the highest, 5. 1 × 5 = 5 → medium.
    let mut f = vuln(
        "c16",
        "CVE-2023-2",
        Ecosystem::Npm,
        "y",
        "1.0.0",
        "p16",
        &[LAB, BILLING],
    );
    f.rating = Some(Rating::Low);
    check(
        &f,
        1,
        5,
        5,
        Level::Medium,
        &["low severity", "(Billing)"],
        &["gravité faible"],
    );
}

#[test]
fn case17_rating_wins_over_score() {
    // Rating medium, CVSS 9.8: the advisory's rating wins → 2. Billing 5. 2 × 5 = 10 → high
    // (the lowest high score).
    let mut f = vuln(
        "c17",
        "CVE-2023-3",
        Ecosystem::Npm,
        "z",
        "1.0.0",
        "p17",
        &[BILLING],
    );
    f.rating = Some(Rating::Medium);
    f.cvss_score = Some(9.8);
    check(
        &f,
        2,
        5,
        10,
        Level::High,
        &["medium severity (CVSS 9.8)"],
        &["gravité moyenne (CVSS 9,8)"],
    );
}

#[test]
fn case18_system_not_in_the_catalog() {
    // Rating critical → 4. The ref is not in the catalog → 3. 4 × 3 = 12 → high.
    let mut f = vuln(
        "c18",
        "CVE-2023-4",
        Ecosystem::Npm,
        "w",
        "1.0.0",
        "p18",
        &["system:default/ghost"],
    );
    f.rating = Some(Rating::Critical);
    check(
        &f,
        4,
        3,
        12,
        Level::High,
        &["system system:default/ghost not described in the catalog"],
        &["absent du catalogue"],
    );
}

#[test]
fn case19_behind_latest_in_hr() {
    // Behind latest → 2. HR 5. 2 × 5 = 10 → high.
    let f = lifecycle(
        "c19",
        "behind-latest",
        "nodejs",
        "18",
        Some("18.20.4"),
        "p19",
        &[HR],
    );
    check(
        &f,
        2,
        5,
        10,
        Level::High,
        &["behind the latest patch release of its cycle (18.20.4)"],
        &["en retard sur la dernière version corrective de son cycle (18.20.4)"],
    );
}

#[test]
fn case20_critical_in_a_critical_system_is_16() {
    // Rating critical → 4. A system of criticality 4, not exposed, no data → 4. 4 × 4 = 16 →
    // critical (the lowest critical score).
    let mut f = vuln(
        "c20",
        "CVE-2023-5",
        Ecosystem::Npm,
        "v",
        "1.0.0",
        "p20",
        &["system:default/core"],
    );
    f.rating = Some(Rating::Critical);
    let mut systems = systems();
    systems.push(system(
        "system:default/core",
        "Core",
        Some(4),
        Some(false),
        false,
        false,
    ));
    let s = finding_score(&f, &Catalog::new(&systems), TODAY);
    assert_eq!(
        (s.likelihood, s.impact, s.score, s.level),
        (4, 4, 16, Level::Critical)
    );
}

#[test]
fn level_boundaries() {
    // From the stated thresholds: 1–4 low, 5–9 medium, 10–15 high, 16–25 critical.
    let expected = [
        (1, Level::Low),
        (4, Level::Low),
        (5, Level::Medium),
        (9, Level::Medium),
        (10, Level::High),
        (15, Level::High),
        (16, Level::Critical),
        (25, Level::Critical),
    ];
    for (score, level) in expected {
        assert_eq!(Level::of(score), level, "{score}");
    }
}
