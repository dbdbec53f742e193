//! The later sections: end-of-life timeline, licence posture, risks per system and owner,
//! and the appendix of findings (at most [`APPENDIX_PER_FAMILY`] per family).

use super::{Doc, family_id, licence_sentence};
use crate::format::{date, int, percent};
use crate::limits::{APPENDIX_PER_FAMILY, EOL_ROWS, TABLE_ROWS};
use crate::model::{Family, Level, ReportModel, RiskRow};
use crate::text::fill;
use crate::{escape, svg};

/// The end-of-life timeline and its table.
pub(super) fn eol(d: &mut Doc, m: &ReportModel) {
    let t = d.t;
    let lang = d.lang;
    d.raw("<section id=\"eol\" class=\"page\">\n");
    d.element("h2", t.eol);
    let rows = svg::eol_rows(m);
    if rows.is_empty() {
        d.element("p", t.no_eol);
        d.raw("</section>\n");
        return;
    }
    svg::eol_chart(d, m.generated_at, &rows);
    d.raw("<table class=\"eol\">\n");
    d.head_row(&[
        (t.col_product, ""),
        (t.col_cycle, ""),
        (t.col_eol, ""),
        (t.col_projects, "num"),
        (t.col_systems, ""),
    ]);
    d.raw("<tbody>\n");
    for e in rows.iter().take(EOL_ROWS) {
        d.raw("<tr><td>");
        d.text(&e.product);
        d.raw("</td><td>");
        d.text(&e.cycle);
        d.raw("</td><td>");
        d.label(&date(lang, e.eol));
        if e.eol < m.generated_at {
            d.raw(" <span class=\"badge critical\">");
            d.label(t.already_ended);
            d.raw("</span>");
        }
        d.raw(&format!(
            "</td><td class=\"num\">{}</td><td>",
            int(lang, e.projects)
        ));
        d.names(&e.systems);
        d.raw("</td></tr>\n");
    }
    d.raw("</tbody>\n</table>\n");
    d.more_rows(rows.len(), EOL_ROWS);
    d.raw("</section>\n");
}

/// The licence posture: sentence, bars, table.
pub(super) fn licences(d: &mut Doc, m: &ReportModel) {
    let t = d.t;
    let lang = d.lang;
    let l = &m.licences;
    d.raw("<section id=\"licences\">\n");
    d.element("h2", t.licences);
    d.raw("<p>");
    d.raw(&licence_sentence(m, lang, &|s| {
        escape::html(s).into_owned()
    }));
    d.raw("</p>\n");
    svg::category_bars(d, &l.categories);
    d.raw("<table class=\"licences\">\n");
    d.head_row(&[
        (t.col_category, ""),
        (t.col_components, "num"),
        ("%", "num"),
    ]);
    d.raw("<tbody>\n");
    for c in l.categories.iter().take(TABLE_ROWS) {
        d.raw("<tr><td>");
        d.label(t.category(c.category));
        d.raw(&format!(
            "</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            int(lang, c.components),
            escape::html(&percent(lang, c.components, l.components))
        ));
    }
    d.raw("</tbody>\n</table>\n</section>\n");
}

/// Risks per system or per owner.
pub(super) fn risk_table(d: &mut Doc, title: &str, col_name: &str, rows: &[RiskRow]) {
    let t = d.t;
    let lang = d.lang;
    d.element("h2", title);
    if rows.is_empty() {
        d.element("p", t.none);
        return;
    }
    d.raw("<table class=\"per\">\n");
    let mut cols = vec![(col_name, "")];
    cols.extend(Level::ALL.iter().map(|l| (t.level(*l), "num")));
    cols.push((t.col_total, "num"));
    cols.push((t.col_findings, "num"));
    d.head_row(&cols);
    d.raw("<tbody>\n");
    for r in rows.iter().take(TABLE_ROWS) {
        d.raw("<tr><td>");
        d.text(&r.name);
        d.raw("</td>");
        for l in Level::ALL {
            d.raw(&format!(
                "<td class=\"num\">{}</td>",
                int(lang, r.risks.get(l))
            ));
        }
        d.raw(&format!(
            "<td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
            int(lang, r.risks.total()),
            int(lang, r.findings)
        ));
    }
    d.raw("</tbody>\n</table>\n");
    d.more_rows(rows.len(), TABLE_ROWS);
}

/// Every finding by family, the first [`APPENDIX_PER_FAMILY`] of each.
pub(super) fn appendix(d: &mut Doc, m: &ReportModel) {
    let t = d.t;
    let lang = d.lang;
    d.raw("<section id=\"appendix\" class=\"page\">\n");
    d.element("h2", t.appendix);
    d.element("p", t.appendix_intro);
    if m.findings.is_empty() {
        d.element("p", t.none);
    }
    for family in Family::ALL {
        let total = m.findings.iter().filter(|f| f.family == family).count();
        if total == 0 {
            continue;
        }
        d.raw(&format!("<h3 id=\"appendix-{}\">", family_id(family)));
        d.label(t.family(family));
        d.raw(&format!(" ({})</h3>\n", int(lang, total as u64)));
        if total > APPENDIX_PER_FAMILY {
            let note = fill(
                t.appendix_note,
                &[
                    ("shown", &int(lang, APPENDIX_PER_FAMILY as u64)),
                    ("total", &int(lang, total as u64)),
                ],
            );
            d.raw(&format!("<p class=\"note\">{}</p>\n", escape::html(&note)));
        }
        d.raw("<table class=\"findings\">\n");
        d.head_row(&[
            (t.col_id, ""),
            (t.col_rating, ""),
            (t.col_component, ""),
            (t.col_project, ""),
            (t.col_title, ""),
        ]);
        d.raw("<tbody>\n");
        let rows = m.findings.iter().filter(|f| f.family == family);
        for f in rows.take(APPENDIX_PER_FAMILY) {
            d.raw("<tr><td class=\"id\">");
            d.text(&f.id);
            d.raw("</td><td>");
            d.label(t.rating(f.rating));
            d.raw("</td><td>");
            d.text(&f.component);
            d.raw("</td><td>");
            d.text(&f.project);
            d.raw("</td><td>");
            d.text(&f.title);
            d.raw("</td></tr>\n");
        }
        d.raw("</tbody>\n</table>\n");
    }
    d.raw("</section>\n");
}
