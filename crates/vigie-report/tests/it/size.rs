//! The report of a 10,000-repository estate stays under 5 MB (a size assertion, not a
//! timing), and so does a hostile model whose every string is long and needs escaping.

use crate::common;

use vigie_report::*;

const FIVE_MB: usize = 5 * 1024 * 1024;

/// A synthetic estate: 10,000 projects in 2,000 systems and 400 owners, 15 findings per
/// project (150,000, spread evenly over the four families), 3,000 risks, 500 actions, 300
/// end-of-life cycles, 1,000 risks in each trend group.
fn estate(name: impl Fn(&str, usize) -> String) -> ReportModel {
    let mut m = common::acme();
    let risk = m.top_risks[0].clone();
    m.top_risks = (0..3000)
        .map(|i| Risk {
            title: LocalText::Same(name("risk", i)),
            explanation: LocalText::Same(name("explanation", i)),
            systems: (0..20).map(|s| name("system", i + s)).collect(),
            owners: (0..3).map(|s| name("owner", i + s)).collect(),
            ..risk.clone()
        })
        .collect();
    let action = m.top_actions[0].clone();
    m.top_actions = (0..500)
        .map(|i| Action {
            text: LocalText::Same(name("action", i)),
            ..action.clone()
        })
        .collect();
    let item = TrendItem {
        title: "x".into(),
        level: Level::High,
        previous: Some(Level::Low),
    };
    let group = |k: &str| TrendGroup {
        count: 1000,
        items: (0..1000)
            .map(|i| TrendItem {
                title: LocalText::Same(name(k, i)),
                ..item.clone()
            })
            .collect(),
    };
    m.trend = Some(Trend {
        new: group("new"),
        worsened: group("worsened"),
        improved: group("improved"),
        resolved: group("resolved"),
    });
    let start = m.generated_at;
    m.eol = (0..300)
        .map(|i| EolEntry {
            product: name("product", i),
            cycle: name("cycle", i),
            eol: start.saturating_add(jiff::Span::new().days(i as i64 * 3 - 300)),
            projects: 40,
            systems: (0..30).map(|s| name("system", s)).collect(),
        })
        .collect();
    let row = |k: &str, i: usize| RiskRow {
        name: name(k, i),
        risks: LevelCounts {
            critical: 1,
            high: 2,
            medium: 3,
            low: 4,
        },
        findings: 75,
    };
    m.by_system = (0..2000).map(|i| row("system", i)).collect();
    m.by_owner = (0..400).map(|i| row("owner", i)).collect();
    m.findings = (0..150_000)
        .map(|i| Finding {
            family: Family::ALL[i % 4],
            id: name("GHSA", i),
            rating: Rating::High,
            component: name("component", i),
            project: name("project", i / 15),
            title: name("title", i),
        })
        .collect();
    m
}

#[test]
fn ten_thousand_repositories_stay_under_five_megabytes() {
    let m = estate(|k, i| format!("{k}-{i:05} of the synthetic estate"));
    for lang in [Lang::En, Lang::Fr] {
        let html = common::html(&m, lang);
        eprintln!("{lang:?}: {} bytes of HTML", html.len());
        assert!(html.len() < FIVE_MB, "{lang:?}: {} bytes", html.len());
        common::check_well_formed(&html).unwrap();
        let md = common::markdown(&m, lang);
        assert!(
            md.len() < FIVE_MB,
            "{lang:?}: {} bytes of Markdown",
            md.len()
        );
    }
    // 150,000 findings over 4 families = 37,500 each; 250 listed (hand-computed).
    let en = common::html(&m, Lang::En);
    assert!(en.contains("The first 250 of 37,500 are listed"));
    assert_eq!(en.matches("<tr><td class=\"id\">").count(), 4 * 250);
    let fr = common::html(&m, Lang::Fr);
    assert!(fr.contains("Les 250 premiers sur 37\u{202f}500 sont listés"));
    // 2,000 systems, 50 shown: 1,950 more (and 400 owners: 350 more).
    assert!(en.contains("1,950 more rows not shown."));
    assert!(fr.contains("350 lignes de plus non affichées."));
}

#[test]
fn a_hostile_estate_of_long_escaped_strings_stays_under_five_megabytes() {
    // 2,000 double quotes: each is clipped to 120 or 600 characters, then escaped to 6 bytes.
    let m = estate(|_, _| "\"".repeat(2000));
    for lang in [Lang::En, Lang::Fr] {
        let html = common::html(&m, lang);
        eprintln!("{lang:?}: {} bytes of HTML", html.len());
        assert!(html.len() < FIVE_MB, "{lang:?}: {} bytes", html.len());
        let md = common::markdown(&m, lang);
        assert!(
            md.len() < FIVE_MB,
            "{lang:?}: {} bytes of Markdown",
            md.len()
        );
    }
}
