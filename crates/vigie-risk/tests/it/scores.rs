//! The model's scores for handwritten cases (vulnerabilities). Each expected likelihood, impact, score, level
//! and key phrase is worked out by hand from the rules in `docs/risk-model.md` (the reasoning
//! is in the comment of each case), never copied from the code's output.

use crate::common;

use common::*;
use vigie_model::Ecosystem;
use vigie_risk::{Level, Rating};

#[test]
fn case01_known_exploited_with_ransomware_in_billing() {
    // KEV → likelihood 5 whatever the rating. Billing: 4 + 1 (internet) + 1 (personal) = 6,
    // capped at 5. 5 × 5 = 25 → critical (16–25).
    let mut f = vuln(
        "c1",
        "CVE-2021-44228",
        Ecosystem::Maven,
        "org.apache.logging.log4j:log4j-core",
        "2.14.1",
        "p1",
        &[BILLING],
    );
    f.rating = Some(Rating::Critical);
    f.cvss_score = Some(10.0);
    f.known_exploited = true;
    f.ransomware = true;
    check(
        &f,
        5,
        5,
        25,
        Level::Critical,
        &[
            "Likelihood 5/5",
            "exploited in the wild (CISA KEV catalogue)",
            "used in ransomware campaigns",
            "business criticality 4/5 (Billing)",
            "exposed to the internet (+1)",
            "holds personal data (+1)",
            "capped at 5",
            "Score 25/25 (5 × 5): critical.",
        ],
        &[
            "Probabilité 5/5\u{a0}:",
            "exploitée activement (catalogue KEV de la CISA)",
            "campagnes de rançongiciels",
            "criticité métier 4/5 (Billing)",
            "exposé sur Internet (+1)",
            "plafonné à 5",
            "Score 25/25 (5 × 5)\u{a0}: critique.",
        ],
    );
}

#[test]
fn case02_high_rating_in_intranet() {
    // Rating high, not exploited → 3. Intranet: criticality 2, nothing added → 2. 3 × 2 = 6
    // → medium (5–9).
    let mut f = vuln(
        "c2",
        "GHSA-aaaa",
        Ecosystem::Npm,
        "lodash",
        "4.17.15",
        "p2",
        &[INTRANET],
    );
    f.rating = Some(Rating::High);
    f.cvss_score = Some(7.5);
    check(
        &f,
        3,
        2,
        6,
        Level::Medium,
        &[
            "high severity (CVSS 7.5)",
            "not known to be exploited",
            "business criticality 2/5 (Intranet)",
            "Score 6/25 (3 × 2): medium.",
        ],
        &[
            "gravité élevée (CVSS 7,5)",
            "pas d’exploitation connue",
            "moyen.",
        ],
    );
}

#[test]
fn case03_no_rating_score_98_gives_critical() {
    // No rating; CVSS 9.8 ≥ 9.0 → critical → 4. Intranet 2. 4 × 2 = 8 → medium.
    let mut f = vuln(
        "c3",
        "CVE-2022-0001",
        Ecosystem::PyPI,
        "django",
        "3.2.0",
        "p3",
        &[INTRANET],
    );
    f.cvss_score = Some(9.8);
    check(
        &f,
        4,
        2,
        8,
        Level::Medium,
        &["critical severity (CVSS 9.8)"],
        &["gravité critique (CVSS 9,8)"],
    );
}

#[test]
fn case04_nothing_known_in_no_system() {
    // No rating, no score → "severity unknown" 2. No system → default impact 3. 2 × 3 = 6.
    let f = vuln(
        "c4",
        "OSV-1",
        Ecosystem::Go,
        "example.com/m",
        "v1.0.0",
        "p4",
        &[],
    );
    check(
        &f,
        2,
        3,
        6,
        Level::Medium,
        &[
            "severity unknown, assumed medium",
            "in no system of the catalog, assumed medium (3/5)",
        ],
        &[
            "gravité inconnue, supposée moyenne",
            "dans aucun système du catalogue",
        ],
    );
}

#[test]
fn case05_unmaintained_in_hr() {
    // Unmaintained → 1. HR: 3 + 2 (sensitive; personal not added on top) = 5. 1 × 5 = 5 →
    // medium (the lowest medium score).
    let mut f = vuln(
        "c5",
        "RUSTSEC-2020-0001",
        Ecosystem::Cargo,
        "old",
        "0.1.0",
        "p5",
        &[HR],
    );
    f.kind = "unmaintained".into();
    check(
        &f,
        1,
        5,
        5,
        Level::Medium,
        &["unmaintained package", "holds sensitive data (+2)"],
        &[
            "paquet abandonné\u{a0}:",
            "détient des données sensibles (+2)",
        ],
    );
}

#[test]
fn case06_unsound_in_lab() {
    // Unsound → 2. Lab: criticality 1. 2 × 1 = 2 → low.
    let mut f = vuln(
        "c6",
        "RUSTSEC-2021-0002",
        Ecosystem::Cargo,
        "fast",
        "1.0.0",
        "p6",
        &[LAB],
    );
    f.kind = "unsound".into();
    check(
        &f,
        2,
        1,
        2,
        Level::Low,
        &["unsound code", "business criticality 1/5 (Lab)", ": low."],
        &[
            "code non sûr\u{a0}: la sûreté mémoire peut être violée",
            "faible.",
        ],
    );
}

#[test]
fn case07_malicious_in_wiki() {
    // Malicious → 5. Wiki: criticality unstated (3) + 1 internet = 4. 5 × 4 = 20 → critical.
    let mut f = vuln(
        "c7",
        "MAL-2024-1",
        Ecosystem::Npm,
        "evil",
        "1.0.0",
        "p7",
        &[WIKI],
    );
    f.kind = "malicious".into();
    check(
        &f,
        5,
        4,
        20,
        Level::Critical,
        &[
            "malicious package",
            "criticality of Wiki not stated, assumed 3/5",
            "exposed to the internet (+1)",
        ],
        &[
            "paquet malveillant",
            "criticité de Wiki non renseignée, supposée 3/5",
        ],
    );
}
