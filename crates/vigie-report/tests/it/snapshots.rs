//! Snapshots of the example estate's report: HTML structure and text, Markdown, in both
//! languages. The stylesheet is masked (it is not content); review a changed snapshot with
//! `cargo insta review`, and read it as a person would (the figures are checked by hand in
//! `texts.rs`).

use crate::common;

use vigie_report::Lang;

fn without_css(doc: &str) -> String {
    match (doc.find("<style>"), doc.find("</style>")) {
        (Some(a), Some(b)) => format!("{}<style>[css]{}", &doc[..a], &doc[b..]),
        _ => doc.to_owned(),
    }
}

#[test]
fn acme_html_en() {
    insta::assert_snapshot!(without_css(&common::html(&common::acme(), Lang::En)));
}

#[test]
fn acme_html_fr() {
    insta::assert_snapshot!(without_css(&common::html(&common::acme(), Lang::Fr)));
}

#[test]
fn acme_markdown_en() {
    insta::assert_snapshot!(common::markdown(&common::acme(), Lang::En));
}

#[test]
fn acme_markdown_fr() {
    insta::assert_snapshot!(common::markdown(&common::acme(), Lang::Fr));
}
