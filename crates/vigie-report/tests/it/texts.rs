//! The report's words and figures on the example estate, each expected string written by
//! hand from `acme.json` (counts added up by hand in the comments), in both languages.

use crate::common;

use vigie_report::Lang;

const NNBSP: char = '\u{202f}';

#[test]
fn posture_sentence() {
    // Risks 4 + 3 + 2 + 1 = 10; findings 10 + 7 + 2 + 0 = 19; 8 systems, 8 projects,
    // 64 components.
    let m = common::acme();
    let en = common::html(&m, Lang::En);
    assert!(en.contains(
        "ACME Corp: 10 risks, including 4 critical and 3 high, across 8 systems. \
         The audit of 8 projects and 64 components raised 19 findings."
    ));
    let fr = common::html(&m, Lang::Fr);
    let expected = format!(
        "ACME Corp{NNBSP}: 10 risques, dont 4 critiques et 3 élevés, sur 8 systèmes. \
         L’audit de 8 projets et de 64 composants a relevé 19 constats."
    );
    assert!(fr.contains(&expected));
    let md = common::markdown(&m, Lang::Fr);
    assert!(md.contains(&format!("**{expected}**")));
}

#[test]
fn trend_and_licence_sentences() {
    // Trend counts 1, 1, 1, 2; licences known 59 of 64 = 92.1875 % → 92.2; 0 denied
    // (French singular for 0), 2 to review.
    let m = common::acme();
    let en = common::html(&m, Lang::En);
    assert!(en.contains("Since 2026-10: 1 new, 1 worsened, 1 improved and 2 resolved."));
    assert!(en.contains(
        "Licence known for 92.2% of the components (64); 0 denied by the policy, 2 to review."
    ));
    let fr = common::html(&m, Lang::Fr);
    assert!(fr.contains(&format!(
        "Depuis 2026-10{NNBSP}: 1 nouveau, 1 aggravé, 1 amélioré et 2 résolus."
    )));
    assert!(fr.contains(&format!(
        "Licence connue pour 92,2{NNBSP}% des composants (64){NNBSP}; \
         0 refusé par la politique, 2 à examiner."
    )));
    // Category shares: 55/64 = 85.9375 → 85.9; 3/64 = 4.6875 → 4.7.
    assert!(en.contains(">85.9%<") && en.contains(">4.7%<"));
    assert!(fr.contains(&format!(">85,9{NNBSP}%<")) && fr.contains(&format!(">4,7{NNBSP}%<")));
}

#[test]
fn dates_scores_and_headings() {
    let m = common::acme();
    let en = common::html(&m, Lang::En);
    let fr = common::html(&m, Lang::Fr);
    assert!(en.contains("Generated on 26 November 2026"));
    assert!(fr.contains("Établi le 26 novembre 2026"));
    assert!(en.contains("<html lang=\"en\">") && fr.contains("<html lang=\"fr\">"));
    // The sixth action removes 12.5.
    assert!(en.contains(">12.5<") && fr.contains(">12,5<"));
    // End-of-life dates of the table.
    assert!(en.contains("30 April 2023") && fr.contains("30 avril 2023"));
    assert!(fr.contains("7 octobre 2024") && fr.contains("11 novembre 2027"));
    // Section order: summary first, appendix last.
    let order_en = [
        "Executive summary",
        "Top risks",
        "Priority actions",
        "Trend",
        "Risk register",
        "Recommended actions",
        "Heat map",
        "End-of-life timeline",
        "Licence posture",
        "Risks per system",
        "Risks per owner",
        "Appendix: every finding",
    ];
    let order_fr = [
        "Synthèse",
        "Risques principaux",
        "Actions prioritaires",
        "Évolution",
        "Registre des risques",
        "Actions recommandées",
        "Cartographie des risques",
        "Calendrier des fins de vie",
        "Situation des licences",
        "Risques par système",
        "Risques par responsable",
        "Annexe\u{202f}: liste des constats",
    ];
    for (doc, order) in [(&en, order_en), (&fr, order_fr)] {
        let mut at = 0;
        for h in order {
            let found = doc[at..]
                .find(&format!(">{h}"))
                .unwrap_or_else(|| panic!("{h} missing or out of order"));
            at += found;
        }
    }
}

#[test]
fn summary_holds_five_rows_and_register_all_eight() {
    let en = common::html(&common::acme(), Lang::En);
    let summary = &en[en.find("id=\"summary\"").unwrap()..en.find("id=\"register\"").unwrap()];
    // 5 risks + 5 actions in the summary; 8 risks + 6 actions + 5 trend rows in the register.
    assert_eq!(summary.matches("<tr><td class=\"num\">").count(), 10);
    let register = &en[en.find("id=\"register\"").unwrap()..en.find("id=\"heat-map\"").unwrap()];
    assert_eq!(register.matches("<tr><td class=\"num\">").count(), 8 + 6);
    assert_eq!(
        register.matches("<tr><td>").count(),
        4,
        "one item per trend group"
    );
}

#[test]
fn heat_map_cells_and_eol_window() {
    let m = common::acme();
    let en = common::html(&m, Lang::En);
    // Cells as laid out in acme.json: (5,5) 1, (4,5) 1, (4,4) 2, (3,4) 2, (3,3) 1, (2,3) 1,
    // (3,2) 1, (1,3) 1; the other 17 cells are empty.
    assert!(en.contains("Likelihood 4, impact 4: 2 risks"));
    assert!(en.contains("Likelihood 1, impact 3: 1 risk<"));
    assert_eq!(en.matches(": 0 risks</title>").count(), 17);
    let fr = common::html(&m, Lang::Fr);
    assert!(fr.contains(&format!("Vraisemblance 5, impact 5{NNBSP}: 1 risque<")));
    assert_eq!(
        fr.matches(&format!("{NNBSP}: 0 risque</title>")).count(),
        17
    );
    // 9 cycles in the model; PostgreSQL 18 (2030) is beyond 26 November 2028: 8 rows, 6 of
    // them already ended.
    let eol = &en[en.find("<table class=\"eol\">").unwrap()..];
    let eol = &eol[..eol.find("</table>").unwrap()];
    assert_eq!(eol.matches("<tr><td>").count(), 8);
    assert_eq!(eol.matches("already ended").count(), 6);
    assert!(!en.contains("14 November 2030"));
    // The axis runs from Nov 2026 to Nov 2028 every three months: 9 ticks.
    assert!(en.contains(">Nov 2026<") && en.contains(">Nov 2028<") && en.contains(">Feb 2027<"));
    assert!(
        fr.contains(">nov. 2026<") && fr.contains(">févr. 2027<") && fr.contains(">août 2027<")
    );
}

#[test]
fn names_beyond_five_are_counted() {
    // The PostgreSQL risk has 6 systems: 5 listed, "and 1 more".
    let en = common::html(&common::acme(), Lang::En);
    assert!(en.contains("Inventory and 1 more"));
    let fr = common::html(&common::acme(), Lang::Fr);
    assert!(
        fr.contains("Inventory et 1 autre<"),
        "French singular for 1"
    );
}

#[test]
fn heat_map_zones_default_and_given() {
    // Default zones by score, counted by hand over the 25 cells: critical (≥ 15) 3×5, 5×3,
    // 4×4, 4×5, 5×4, 5×5 = 6; high (8–14) 2×4, 4×2, 2×5, 5×2, 3×3, 3×4, 4×3 = 7; medium
    // (4–7) 1×4, 4×1, 1×5, 5×1, 2×2, 2×3, 3×2 = 7; low (1–3) 1×1, 1×2, 2×1, 1×3, 3×1 = 5.
    let mut m = common::acme();
    let en = common::html(&m, Lang::En);
    let tints = [
        ("#eba39e", 6),
        ("#f7c594", 7),
        ("#fbe7a6", 7),
        ("#c3e2c5", 5),
    ];
    for (tint, n) in tints {
        assert_eq!(en.matches(&format!("fill=\"{tint}\"")).count(), n, "{tint}");
    }
    // The risk model's own levels win.
    m.heat_map.levels = Some([[vigie_report::Level::Critical; 5]; 5]);
    let en = common::html(&m, Lang::En);
    assert_eq!(en.matches("fill=\"#eba39e\"").count(), 25);
}

#[test]
fn coverage_sentence() {
    use vigie_report::{Coverage, CoverageGap};
    let mut m = common::acme();
    // Not known: nothing said.
    m.coverage = None;
    assert!(!common::html(&m, Lang::En).contains("class=\"coverage\""));
    // Every ecosystem covered.
    m.coverage = Some(Coverage::default());
    assert!(common::html(&m, Lang::En).contains(
        "<p class=\"coverage\">Every ecosystem of the estate has an advisory source in the \
         knowledge index.</p>"
    ));
    m.coverage = Some(Coverage {
        gaps: vec![
            CoverageGap {
                ecosystem: "Maven".into(),
                components: 41,
            },
            CoverageGap {
                ecosystem: "npm".into(),
                components: 1,
            },
        ],
    });
    assert!(common::html(&m, Lang::En).contains(
        "Not checked for vulnerabilities, as the knowledge index holds no advisory for their \
         ecosystem: Maven (41 components), npm (1 component)."
    ));
    let fr = format!(
        "Non vérifiés pour les vulnérabilités, faute d’avis de sécurité pour leur écosystème \
         dans la base de connaissances{NNBSP}: Maven (41 composants), npm (1 composant)."
    );
    assert!(common::html(&m, Lang::Fr).contains(&fr));
    assert!(common::markdown(&m, Lang::Fr).contains(&fr));
}
