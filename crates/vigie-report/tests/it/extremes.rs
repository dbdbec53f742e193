//! Hostile numbers and dates never panic and still give a well-formed report; the model's
//! JSON form round-trips and accepts both shapes of `LocalText`.

use crate::common;

use jiff::civil::Date;
use vigie_report::*;

#[test]
fn extreme_numbers_and_dates_render() {
    let mut m = common::acme();
    m.generated_at = Date::MAX;
    m.posture.risks = LevelCounts {
        critical: u64::MAX,
        high: u64::MAX,
        medium: 1,
        low: 0,
    };
    m.posture.findings.vulnerability = u64::MAX;
    m.heat_map.counts = [[u64::MAX; 5]; 5];
    for r in &mut m.top_risks {
        r.likelihood = 0;
        r.impact = 255;
        r.score = f64::NAN;
    }
    m.top_actions[0].risk_removed = f64::INFINITY;
    m.top_actions[1].risk_removed = -3.0;
    m.eol[0].eol = Date::MIN;
    m.eol[1].eol = Date::MAX;
    m.licences.known = u64::MAX;
    m.licences.components = 1;
    m.licences.categories.push(CategoryCount {
        category: LicenceCategory::Proprietary,
        components: u64::MAX,
    });
    for lang in [Lang::En, Lang::Fr] {
        let doc = common::html(&m, lang);
        common::check_well_formed(&doc).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
        // NaN, infinite and negative scores show as a dash, never "NaN" or "inf".
        assert!(!doc.contains("NaN") && !doc.contains(">inf<"));
        // u64::MAX + u64::MAX + 1 saturates to u64::MAX = 18,446,744,073,709,551,615.
        if lang == Lang::En {
            assert!(doc.contains("18,446,744,073,709,551,615 risks"));
        }
        common::markdown(&m, lang);
    }
}

#[test]
fn the_model_round_trips_through_json() {
    let m = common::acme();
    let json = serde_json::to_string(&m).unwrap();
    let back: ReportModel = serde_json::from_str(&json).unwrap();
    assert_eq!(m, back);
    // Field and enum spellings of the documented JSON form.
    for key in [
        "\"generated_at\":\"2026-11-26\"",
        "\"end_of_life\":7",
        "\"category\":\"weak-copyleft\"",
        "\"family\":\"end-of-life\"",
        "\"effort\":\"migration\"",
        "\"level\":\"critical\"",
        "\"needs_review\":2",
    ] {
        assert!(json.contains(key), "{key}");
    }
}

#[test]
fn local_text_is_a_string_or_one_per_language() {
    let same: LocalText = serde_json::from_str("\"Log4Shell\"").unwrap();
    assert_eq!(same.get(Lang::Fr), "Log4Shell");
    let both: LocalText = serde_json::from_str(r#"{"en": "Trend", "fr": "Évolution"}"#).unwrap();
    assert_eq!(both.get(Lang::En), "Trend");
    assert_eq!(both.get(Lang::Fr), "Évolution");
    assert!("de".parse::<Lang>().is_err());
    assert_eq!("fr".parse::<Lang>().unwrap(), Lang::Fr);
}
