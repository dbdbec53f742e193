//! The HTML document: one file, inline CSS, inline SVG, no script, A4 print layout.
//!
//! The output is also well-formed XML (void elements self-closed, only the five XML entities),
//! which the tests check with an XML parser. Input strings reach it only through
//! [`Doc::text`] and [`Doc::long`] (clip, then [`crate::escape::html`]); the sentences with
//! values are filled with values escaped the same way.

mod sections;
mod summary;

use crate::format::{count, date, int, percent};
use crate::limits::{NAME_CHARS, NAMES_PER_CELL, TEXT_CHARS};
use crate::model::{Family, Level, ReportModel, TrendGroup};
use crate::text::{Texts, fill, texts};
use crate::{Lang, escape, svg};

const CSS: &str = include_str!("../report.css");

/// The document being written.
pub(crate) struct Doc {
    pub(crate) s: String,
    pub(crate) lang: Lang,
    pub(crate) t: &'static Texts,
}

impl Doc {
    fn new(lang: Lang) -> Doc {
        Doc {
            s: String::with_capacity(64 * 1024),
            lang,
            t: texts(lang),
        }
    }
    /// Trusted markup (literals of this crate, formatted numbers).
    pub(crate) fn raw(&mut self, s: &str) {
        self.s.push_str(s);
    }
    /// A text of this crate (a label of [`Texts`]), escaped all the same.
    pub(crate) fn label(&mut self, s: &str) {
        self.s.push_str(&escape::html(s));
    }
    /// An input name, identifier or title: clipped and escaped.
    pub(crate) fn text(&mut self, s: &str) {
        let clipped = escape::clip(s, NAME_CHARS);
        self.s.push_str(&escape::html(&clipped));
    }
    /// An input explanation or sentence: clipped longer, escaped.
    pub(crate) fn long(&mut self, s: &str) {
        let clipped = escape::clip(s, TEXT_CHARS);
        self.s.push_str(&escape::html(&clipped));
    }
    /// `<tag>label</tag>` for a heading or paragraph of trusted text.
    pub(crate) fn element(&mut self, tag: &str, label: &str) {
        self.raw(&format!("<{tag}>{}</{tag}>\n", escape::html(label)));
    }
    /// A table head: `(label, class)` per column.
    pub(crate) fn head_row(&mut self, cols: &[(&str, &str)]) {
        self.raw("<thead><tr>");
        for (label, class) in cols {
            let attr = if class.is_empty() {
                String::new()
            } else {
                format!(" class=\"{class}\"")
            };
            self.raw(&format!("<th{attr}>{}</th>", escape::html(label)));
        }
        self.raw("</tr></thead>\n");
    }
    /// A coloured level name.
    pub(crate) fn level_badge(&mut self, level: Level) {
        let name = self.t.level(level);
        self.raw(&format!(
            "<span class=\"badge {}\">{}</span>",
            level_class(level),
            escape::html(name)
        ));
    }
    /// A list of names, at most [`NAMES_PER_CELL`] then "and N more".
    pub(crate) fn names(&mut self, names: &[String]) {
        for (i, n) in names.iter().take(NAMES_PER_CELL).enumerate() {
            if i > 0 {
                self.raw(", ");
            }
            self.text(n);
        }
        if names.len() > NAMES_PER_CELL {
            let more = count(
                self.lang,
                (names.len() - NAMES_PER_CELL) as u64,
                self.t.n_more,
            );
            self.raw(" ");
            self.label(&fill(self.t.and_more, &[("n", &more)]));
        }
    }
    /// "N more rows not shown" under a capped table.
    pub(crate) fn more_rows(&mut self, total: usize, shown: usize) {
        if total > shown {
            let n = count(self.lang, (total - shown) as u64, self.t.n_more_rows);
            self.raw(&format!("<p class=\"more\">{}.</p>\n", escape::html(&n)));
        }
    }
}

/// The CSS class of a level.
pub(crate) fn level_class(level: Level) -> &'static str {
    match level {
        Level::Critical => "critical",
        Level::High => "high",
        Level::Medium => "medium",
        Level::Low => "low",
    }
}

/// An input string clipped and escaped, as a value for [`fill`].
fn value(s: &str) -> String {
    escape::html(&escape::clip(s, NAME_CHARS)).into_owned()
}

/// The whole document.
pub(crate) fn document(m: &ReportModel, lang: Lang) -> String {
    let mut d = Doc::new(lang);
    let t = d.t;
    d.raw(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\" />\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n\
         <meta name=\"generator\" content=\"vigie\" />\n<title>",
        t.code
    ));
    d.label(t.title);
    d.raw(" — ");
    d.text(&m.estate);
    d.raw(&format!(
        "</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n"
    ));
    header(&mut d, m);
    summary::summary(&mut d, m);
    summary::register(&mut d, m);
    d.raw("<section id=\"heat-map\" class=\"page\">\n");
    d.element("h2", t.heat_map);
    d.raw("<div class=\"charts\">\n");
    svg::heat_map(&mut d, &m.heat_map);
    d.raw("<div>\n");
    svg::level_bars(&mut d, &m.posture.risks);
    svg::family_bars(&mut d, &m.posture.findings);
    d.raw("</div>\n</div>\n</section>\n");
    sections::eol(&mut d, m);
    sections::licences(&mut d, m);
    d.raw("<section id=\"risks-per-system\" class=\"page\">\n");
    sections::risk_table(&mut d, t.by_system, t.col_system, &m.by_system);
    d.raw("</section>\n<section id=\"risks-per-owner\">\n");
    sections::risk_table(&mut d, t.by_owner, t.col_owner, &m.by_owner);
    d.raw("</section>\n");
    sections::appendix(&mut d, m);
    d.raw("<footer>");
    d.raw(&fill(
        &escape::html(t.footer),
        &[("current", &value(&m.snapshots.current))],
    ));
    d.raw("</footer>\n</body>\n</html>\n");
    d.s
}

fn header(d: &mut Doc, m: &ReportModel) {
    let t = d.t;
    let mut subtitle = fill(
        &escape::html(t.subtitle),
        &[
            ("estate", &value(&m.estate)),
            ("current", &value(&m.snapshots.current)),
        ],
    );
    if let Some(previous) = &m.snapshots.previous {
        subtitle.push_str(&fill(
            &escape::html(t.compared_with),
            &[("previous", &value(previous))],
        ));
    }
    let when = fill(t.generated_on, &[("date", &date(d.lang, m.generated_at))]);
    d.raw("<header>\n");
    d.element("h1", t.title);
    d.raw(&format!("<p class=\"subtitle\">{subtitle}</p>\n"));
    d.raw(&format!("<p class=\"date\">{}</p>\n", escape::html(&when)));
    d.raw("</header>\n");
}

/// The posture sentence; `esc` escapes the values for the output format (templates are
/// trusted and hold no markup).
pub(crate) fn posture_sentence(
    m: &ReportModel,
    lang: Lang,
    esc: &dyn Fn(&str) -> String,
) -> String {
    let t = texts(lang);
    let p = &m.posture;
    let c = |n: u64, noun| esc(&count(lang, n, noun));
    fill(
        t.posture,
        &[
            ("estate", &esc(&escape::clip(&m.estate, NAME_CHARS))),
            ("risks", &c(p.risks.total(), t.n_risks)),
            ("critical", &c(p.risks.critical, t.n_critical)),
            ("high", &c(p.risks.high, t.n_high)),
            ("systems", &c(p.systems, t.n_systems)),
            ("projects", &c(p.projects, t.n_projects)),
            ("components", &c(p.components, t.n_components)),
            ("findings", &c(p.findings.total(), t.n_findings)),
        ],
    )
}

/// The coverage sentence: the ecosystems the vulnerability check could not see, or that it
/// saw them all; `None` when the model does not say.
pub(crate) fn coverage_sentence(
    m: &ReportModel,
    lang: Lang,
    esc: &dyn Fn(&str) -> String,
) -> Option<String> {
    let t = texts(lang);
    let c = m.coverage.as_ref()?;
    if c.gaps.is_empty() {
        return Some(esc(t.coverage_full));
    }
    let list: Vec<String> = c
        .gaps
        .iter()
        .map(|g| {
            fill(
                t.coverage_item,
                &[
                    ("ecosystem", &esc(&escape::clip(&g.ecosystem, NAME_CHARS))),
                    (
                        "components",
                        &esc(&count(lang, g.components, t.n_components)),
                    ),
                ],
            )
        })
        .collect();
    Some(fill(t.coverage_gaps, &[("list", &list.join(", "))]))
}

/// The trend sentence, or the "no previous snapshot" one.
pub(crate) fn trend_sentence(m: &ReportModel, lang: Lang, esc: &dyn Fn(&str) -> String) -> String {
    let t = texts(lang);
    let Some(tr) = &m.trend else {
        return esc(t.no_trend);
    };
    let prev = m.snapshots.previous.as_deref().unwrap_or("—");
    let c = |g: &TrendGroup, noun| esc(&count(lang, g.count, noun));
    fill(
        t.trend_sentence,
        &[
            ("previous", &esc(&escape::clip(prev, NAME_CHARS))),
            ("new", &c(&tr.new, t.n_new)),
            ("worsened", &c(&tr.worsened, t.n_worsened)),
            ("improved", &c(&tr.improved, t.n_improved)),
            ("resolved", &c(&tr.resolved, t.n_resolved)),
        ],
    )
}

/// The licence sentence.
pub(crate) fn licence_sentence(
    m: &ReportModel,
    lang: Lang,
    esc: &dyn Fn(&str) -> String,
) -> String {
    let t = texts(lang);
    let l = &m.licences;
    fill(
        t.licence_sentence,
        &[
            ("pct", &esc(&percent(lang, l.known, l.components))),
            ("components", &esc(&int(lang, l.components))),
            ("denied", &esc(&count(lang, l.denied, t.n_denied))),
            ("review", &esc(&count(lang, l.needs_review, t.n_review))),
        ],
    )
}

/// A stable anchor name for a family.
pub(crate) fn family_id(f: Family) -> &'static str {
    match f {
        Family::Vulnerability => "vulnerability",
        Family::EndOfLife => "end-of-life",
        Family::Licence => "licence",
        Family::Other => "other",
    }
}
