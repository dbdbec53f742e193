//! The first pages: the executive summary (one A4 page: posture sentence, the first
//! [`SUMMARY_ROWS`] risks and actions, the trend sentence) and the register behind it (every
//! top risk with its explanation, every action, the trend in detail).

use super::{Doc, coverage_sentence, posture_sentence, trend_sentence};
use crate::escape;
use crate::format::{decimal, int};
use crate::limits::{SUMMARY_ROWS, TOP_ACTIONS, TOP_RISKS, TREND_ITEMS};
use crate::model::ReportModel;

/// The executive summary, sized to fit the first page.
pub(super) fn summary(d: &mut Doc, m: &ReportModel) {
    let t = d.t;
    let lang = d.lang;
    d.raw("<section id=\"summary\">\n");
    d.element("h2", t.summary);
    d.raw("<p class=\"posture\">");
    d.raw(&posture_sentence(m, lang, &|s| {
        escape::html(s).into_owned()
    }));
    d.raw("</p>\n");
    if let Some(c) = coverage_sentence(m, lang, &|s| escape::html(s).into_owned()) {
        d.raw("<p class=\"coverage\">");
        d.raw(&c);
        d.raw("</p>\n");
    }
    d.element("h3", t.top_risks);
    if m.top_risks.is_empty() {
        d.element("p", t.none);
    } else {
        d.raw("<table class=\"risks\">\n");
        d.head_row(&[
            (t.col_rank, "num"),
            (t.col_risk, ""),
            (t.col_level, ""),
            (t.col_score, "num"),
            (t.col_systems, ""),
        ]);
        d.raw("<tbody>\n");
        for (i, r) in m.top_risks.iter().take(SUMMARY_ROWS).enumerate() {
            d.raw(&format!("<tr><td class=\"num\">{}</td><td>", i + 1));
            d.text(r.title.get(lang));
            d.raw("</td><td>");
            d.level_badge(r.level);
            d.raw(&format!(
                "</td><td class=\"num\">{}</td><td>",
                decimal(lang, r.score, 1)
            ));
            d.names(&r.systems);
            d.raw("</td></tr>\n");
        }
        d.raw("</tbody>\n</table>\n");
    }
    d.element("h3", t.top_actions);
    if m.top_actions.is_empty() {
        d.element("p", t.none);
    } else {
        d.raw("<table class=\"actions\">\n");
        d.head_row(&[
            (t.col_rank, "num"),
            (t.col_action, ""),
            (t.col_effort, ""),
            (t.col_findings_fixed, "num"),
            (t.col_kev, "num"),
        ]);
        d.raw("<tbody>\n");
        for (i, a) in m.top_actions.iter().take(SUMMARY_ROWS).enumerate() {
            d.raw(&format!("<tr><td class=\"num\">{}</td><td>", i + 1));
            d.long(a.text.get(lang));
            d.raw("</td><td>");
            d.label(t.effort(a.effort));
            d.raw(&format!(
                "</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                int(lang, a.findings_fixed),
                int(lang, a.known_exploited_fixed)
            ));
        }
        d.raw("</tbody>\n</table>\n");
    }
    d.element("h3", t.trend);
    d.raw("<p class=\"trend\">");
    d.raw(&trend_sentence(m, lang, &|s| escape::html(s).into_owned()));
    d.raw("</p>\n</section>\n");
}

/// The register: top risks with explanations, actions, trend lists.
pub(super) fn register(d: &mut Doc, m: &ReportModel) {
    let t = d.t;
    let lang = d.lang;
    d.raw("<section id=\"register\" class=\"page\">\n");
    d.element("h2", t.register);
    if m.top_risks.is_empty() {
        d.element("p", t.none);
    } else {
        d.raw("<table class=\"risks\">\n");
        d.head_row(&[
            (t.col_rank, "num"),
            (t.col_risk, ""),
            (t.col_level, ""),
            (t.col_likelihood, "num"),
            (t.col_impact, "num"),
            (t.col_score, "num"),
            (t.col_systems, ""),
            (t.col_owners, ""),
        ]);
        d.raw("<tbody>\n");
        for (i, r) in m.top_risks.iter().take(TOP_RISKS).enumerate() {
            d.raw(&format!("<tr><td class=\"num\">{}</td><td><strong>", i + 1));
            d.text(r.title.get(lang));
            d.raw("</strong><br /><span class=\"why\">");
            d.long(r.explanation.get(lang));
            d.raw("</span></td><td>");
            d.level_badge(r.level);
            d.raw(&format!(
                "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>",
                r.likelihood,
                r.impact,
                decimal(lang, r.score, 1)
            ));
            d.names(&r.systems);
            d.raw("</td><td>");
            d.names(&r.owners);
            d.raw("</td></tr>\n");
        }
        d.raw("</tbody>\n</table>\n");
        d.more_rows(m.top_risks.len(), TOP_RISKS);
    }
    d.element("h2", t.actions);
    if m.top_actions.is_empty() {
        d.element("p", t.none);
    } else {
        d.raw("<table class=\"actions\">\n");
        d.head_row(&[
            (t.col_rank, "num"),
            (t.col_action, ""),
            (t.col_effort, ""),
            (t.col_risk_removed, "num"),
            (t.col_findings_fixed, "num"),
            (t.col_kev, "num"),
        ]);
        d.raw("<tbody>\n");
        for (i, a) in m.top_actions.iter().take(TOP_ACTIONS).enumerate() {
            d.raw(&format!("<tr><td class=\"num\">{}</td><td>", i + 1));
            d.long(a.text.get(lang));
            d.raw("</td><td>");
            d.label(t.effort(a.effort));
            d.raw(&format!(
                "</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                decimal(lang, a.risk_removed, 1),
                int(lang, a.findings_fixed),
                int(lang, a.known_exploited_fixed)
            ));
        }
        d.raw("</tbody>\n</table>\n");
        d.more_rows(m.top_actions.len(), TOP_ACTIONS);
        d.raw(&format!(
            "<p class=\"note\">{}</p>\n",
            escape::html(t.effort_note)
        ));
    }
    trend_table(d, m);
    d.raw("</section>\n");
}

fn trend_table(d: &mut Doc, m: &ReportModel) {
    let t = d.t;
    let lang = d.lang;
    d.element("h2", t.trend);
    d.raw("<p>");
    d.raw(&trend_sentence(m, lang, &|s| escape::html(s).into_owned()));
    d.raw("</p>\n");
    let Some(tr) = &m.trend else { return };
    let groups = [
        (t.trend_new, &tr.new),
        (t.trend_worsened, &tr.worsened),
        (t.trend_improved, &tr.improved),
        (t.trend_resolved, &tr.resolved),
    ];
    if groups.iter().all(|(_, g)| g.items.is_empty()) {
        return;
    }
    d.raw("<table class=\"trend\">\n");
    d.head_row(&[
        ("", ""),
        (t.col_risk, ""),
        (t.col_level, ""),
        (t.col_previous, ""),
    ]);
    d.raw("<tbody>\n");
    for (label, g) in groups {
        for item in g.items.iter().take(TREND_ITEMS) {
            d.raw("<tr><td>");
            d.label(label);
            d.raw("</td><td>");
            d.text(item.title.get(lang));
            d.raw("</td><td>");
            d.level_badge(item.level);
            d.raw("</td><td>");
            match item.previous {
                Some(p) => d.level_badge(p),
                None => d.raw("—"),
            }
            d.raw("</td></tr>\n");
        }
    }
    d.raw("</tbody>\n</table>\n");
}
