//! Shared test support: the hand-built model of the example estate, rendering to strings,
//! and a strict well-formedness check of the HTML.
//!
//! `acme.json` mirrors `examples/acme` (storefront on Node.js 14 and nginx 1.18, billing-api
//! on Python 3.8, payments-gateway with log4j-core 2.14.1 and jackson-databind 2.9.8, the
//! platform's PostgreSQL 11 and Redis 5, …); the end-of-life dates are endoflife.date's. It
//! needs no reference data, so there is no `VIGIE_DATA` lookup here.

#![allow(dead_code)]

use vigie_report::{Lang, ReportModel, render_html, render_markdown};

/// The example estate's model.
pub fn acme() -> ReportModel {
    serde_json::from_str(include_str!("../acme.json")).expect("acme.json is a valid model")
}

/// The HTML report as a string.
pub fn html(m: &ReportModel, lang: Lang) -> String {
    let mut out = Vec::new();
    render_html(m, lang, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// The Markdown report as a string.
pub fn markdown(m: &ReportModel, lang: Lang) -> String {
    let mut out = Vec::new();
    render_markdown(m, lang, &mut out).expect("writing to a Vec cannot fail");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// Parses `doc` as XML with quick-xml: every start tag closed by the same name, only the
/// five XML entities and character references, nothing left open at the end. Returns the
/// number of elements.
pub fn check_well_formed(doc: &str) -> Result<usize, String> {
    use quick_xml::Reader;
    use quick_xml::events::Event;
    let mut reader = Reader::from_str(doc);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<String> = Vec::new();
    let mut elements = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Start(e) => {
                elements += 1;
                stack.push(AsRef::<str>::as_ref(&e.name()).to_owned());
            }
            Event::End(e) => {
                let name = AsRef::<str>::as_ref(&e.name()).to_owned();
                if stack.pop().as_deref() != Some(name.as_str()) {
                    return Err(format!("unbalanced </{name}>"));
                }
            }
            Event::Empty(_) => elements += 1,
            Event::GeneralRef(r) => {
                let name = AsRef::<str>::as_ref(&r).to_owned();
                if !matches!(name.as_str(), "amp" | "lt" | "gt" | "quot" | "apos")
                    && !name.starts_with('#')
                {
                    return Err(format!("entity &{name}; is not XML"));
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if stack.is_empty() {
        Ok(elements)
    } else {
        Err(format!("left open: {stack:?}"))
    }
}

/// The example model with every input string (names, titles, explanations, identifiers,
/// snapshot labels, products, systems, owners, findings) replaced by `s`.
pub fn hostile(s: &str) -> ReportModel {
    use vigie_report::LocalText;
    let mut m = acme();
    let text = || LocalText::Both {
        en: s.to_owned(),
        fr: s.to_owned(),
    };
    m.estate = s.to_owned();
    m.snapshots.current = s.to_owned();
    m.snapshots.previous = Some(s.to_owned());
    for r in &mut m.top_risks {
        r.title = text();
        r.explanation = text();
        r.systems = vec![s.to_owned(); 7];
        r.owners = vec![s.to_owned(); 2];
    }
    for a in &mut m.top_actions {
        a.text = text();
    }
    if let Some(t) = &mut m.trend {
        for g in [
            &mut t.new,
            &mut t.worsened,
            &mut t.improved,
            &mut t.resolved,
        ] {
            for i in &mut g.items {
                i.title = text();
            }
        }
    }
    for e in &mut m.eol {
        e.product = s.to_owned();
        e.cycle = s.to_owned();
        e.systems = vec![s.to_owned(); 3];
    }
    for r in m.by_system.iter_mut().chain(m.by_owner.iter_mut()) {
        r.name = s.to_owned();
    }
    for f in &mut m.findings {
        f.id = s.to_owned();
        f.component = s.to_owned();
        f.project = s.to_owned();
        f.title = s.to_owned();
    }
    m.coverage = Some(vigie_report::Coverage {
        gaps: vec![vigie_report::CoverageGap {
            ecosystem: s.to_owned(),
            components: 3,
        }],
    });
    m
}
