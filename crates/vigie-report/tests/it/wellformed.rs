//! The HTML report is well-formed XML (hence balanced HTML), in both languages, for the
//! example estate, an empty estate, and a hostile one.

use crate::common;

use vigie_report::*;

#[test]
fn acme_html_is_well_formed_in_both_languages() {
    for lang in [Lang::En, Lang::Fr] {
        let doc = common::html(&common::acme(), lang);
        let elements = common::check_well_formed(&doc).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
        assert!(elements > 500, "{lang:?}: only {elements} elements");
    }
}

#[test]
fn the_checker_rejects_broken_markup() {
    // The checker itself must fail on what it is meant to catch.
    assert!(common::check_well_formed("<p><b>x</p></b>").is_err());
    assert!(common::check_well_formed("<div><p>x</p>").is_err());
    assert!(common::check_well_formed("<p>a&nbsp;b</p>").is_err());
    assert!(common::check_well_formed("<p>a&amp;b&#39;</p>").is_ok());
}

#[test]
fn an_empty_estate_renders_well_formed() {
    let mut m = common::acme();
    m.top_risks.clear();
    m.top_actions.clear();
    m.trend = None;
    m.snapshots.previous = None;
    m.eol.clear();
    m.licences = LicencePosture::default();
    m.by_system.clear();
    m.by_owner.clear();
    m.findings.clear();
    m.heat_map = HeatMap::default();
    m.posture = Posture::default();
    for lang in [Lang::En, Lang::Fr] {
        let doc = common::html(&m, lang);
        common::check_well_formed(&doc).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
        let md = common::markdown(&m, lang);
        assert!(md.contains(match lang {
            Lang::En => "No previous snapshot",
            Lang::Fr => "Pas d’instantané précédent",
        }));
    }
}
