//! Everything from scanned data is shown as text: a component named
//! `<script>alert(1)</script>` in every field of the model, and attribute-breaking quotes.

use crate::common;

use vigie_report::Lang;

const SCRIPT: &str = "<script>alert(1)</script>";

#[test]
fn a_script_tag_in_every_field_shows_as_text_in_html() {
    for lang in [Lang::En, Lang::Fr] {
        let doc = common::html(&common::hostile(SCRIPT), lang);
        // The report has no script of its own, so any `<script` would be injected.
        assert!(!doc.to_lowercase().contains("<script"), "{lang:?}");
        // Escaped by hand: < → &lt;, > → &gt;.
        let shown = "&lt;script&gt;alert(1)&lt;/script&gt;";
        // Estate (title, subtitle, posture), snapshot labels, 8 risks × (title, why, 5
        // systems, 2 owners) twice, actions, trend, EOL, tables, 19 findings × 4 fields:
        // many hundreds of places; at least one per finding field.
        let n = doc.matches(shown).count();
        assert!(n > 19 * 4, "{lang:?}: only {n} escaped occurrences");
        common::check_well_formed(&doc).unwrap_or_else(|e| panic!("{lang:?}: {e}"));
    }
}

#[test]
fn a_script_tag_in_every_field_shows_as_text_in_markdown() {
    for lang in [Lang::En, Lang::Fr] {
        let md = common::markdown(&common::hostile(SCRIPT), lang);
        assert!(!md.to_lowercase().contains("<script"), "{lang:?}");
        assert!(md.contains("&lt;script&gt;alert\\(1\\)&lt;/script&gt;"));
    }
}

#[test]
fn quotes_cannot_leave_an_attribute_or_an_svg_title() {
    let evil = "x\" onmouseover=\"alert(1)' onfocus='y</title><text>z</text>";
    let doc = common::html(&common::hostile(evil), Lang::En);
    assert!(!doc.contains("onmouseover=\""));
    assert!(!doc.contains("onfocus='"));
    assert!(!doc.contains("</title><text>z"));
    assert!(doc.contains("x&quot; onmouseover=&quot;alert(1)&#39; onfocus=&#39;y&lt;/title&gt;"));
    // SVG tooltips of the EOL chart carry the product name, escaped.
    assert!(doc.contains("<g><title>x&quot; onmouseover"));
    common::check_well_formed(&doc).unwrap();
}

#[test]
fn no_url_is_ever_built_and_nothing_is_fetched() {
    let doc = common::html(&common::hostile("http://evil.example/x.js"), Lang::En);
    for needle in [
        "href=", "src=", "url(", "@import", "<link", "<img", "<iframe", "<object",
    ] {
        assert!(!doc.contains(needle), "{needle} found");
    }
    // The only URL-shaped text of our own is the SVG namespace (an identifier, not a fetch).
    let own = doc.matches("http://www.w3.org/2000/svg").count();
    let all_http = doc.matches("http").count();
    // (the chart clips long labels, so count the input's prefix)
    let from_input = doc.matches("http://evil.").count();
    assert_eq!(all_http, own + from_input);
}

#[test]
fn control_characters_and_placeholders_in_input_are_inert() {
    // `{estate}` in a value must not be substituted again; NUL must not reach the output.
    let doc = common::html(&common::hostile("a\u{0}b {estate} {risks}"), Lang::Fr);
    assert!(!doc.contains('\u{0}'));
    assert!(doc.contains("a\u{fffd}b {estate} {risks}"));
    common::check_well_formed(&doc).unwrap();
}

#[test]
fn markdown_values_stay_in_their_cells_and_lines() {
    let md = common::markdown(&common::hostile("- a | b\n# c\n1. d `e` [f](g)"), Lang::En);
    let mut columns: Option<usize> = None;
    for line in md.lines() {
        assert!(
            !line.starts_with("- ") && !line.starts_with("1. "),
            "{line}"
        );
        if line.starts_with('#') {
            assert!(
                line.starts_with("# Software")
                    || line.starts_with("## ")
                    || line.starts_with("### ")
            );
        }
        if line.starts_with('|') {
            // Unescaped pipes: every row of a table has as many as its header.
            let pipes = line
                .match_indices('|')
                .filter(|(i, _)| !line[..*i].ends_with('\\'))
                .count();
            assert_eq!(*columns.get_or_insert(pipes), pipes, "{line}");
        } else {
            columns = None;
        }
    }
}
