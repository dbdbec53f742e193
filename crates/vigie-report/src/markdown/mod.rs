//! The Markdown report: the same sections as the HTML, charts as tables, for a wiki.
//!
//! Input strings reach it only through [`cell`] and [`long`] (clip, then
//! [`crate::escape::markdown`]).

use crate::format::{count, date, int, percent};
use crate::html::licence_sentence;
use crate::limits::{
    APPENDIX_PER_FAMILY, EOL_ROWS, NAME_CHARS, NAMES_PER_CELL, TABLE_ROWS, TEXT_CHARS,
};
use crate::model::{Family, Level, ReportModel, RiskRow};
use crate::text::{Texts, fill, texts};
use crate::{Lang, escape, svg};

mod summary;

pub(super) fn cell(s: &str) -> String {
    escape::markdown(&escape::clip(s, NAME_CHARS))
}

pub(super) fn long(s: &str) -> String {
    escape::markdown(&escape::clip(s, TEXT_CHARS))
}

pub(super) fn esc(s: &str) -> String {
    escape::markdown(s)
}

pub(super) fn table(out: &mut String, head: &[&str], right: &[bool], rows: &[Vec<String>]) {
    out.push('|');
    for h in head {
        out.push(' ');
        out.push_str(&esc(h));
        out.push_str(" |");
    }
    out.push_str("\n|");
    for (i, _) in head.iter().enumerate() {
        out.push_str(if right.get(i).copied().unwrap_or(false) {
            "---:|"
        } else {
            "---|"
        });
    }
    out.push('\n');
    for r in rows {
        out.push('|');
        for c in r {
            out.push(' ');
            out.push_str(c);
            out.push_str(" |");
        }
        out.push('\n');
    }
    out.push('\n');
}

pub(super) fn names(lang: Lang, t: &Texts, names: &[String]) -> String {
    let mut s = names
        .iter()
        .take(NAMES_PER_CELL)
        .map(|n| cell(n))
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > NAMES_PER_CELL {
        let more = count(lang, (names.len() - NAMES_PER_CELL) as u64, t.n_more);
        s.push(' ');
        s.push_str(&esc(&fill(t.and_more, &[("n", &more)])));
    }
    s
}

pub(super) fn more_rows(out: &mut String, lang: Lang, t: &Texts, total: usize, shown: usize) {
    if total > shown {
        let n = count(lang, (total - shown) as u64, t.n_more_rows);
        out.push_str(&format!("*{}.*\n\n", esc(&n)));
    }
}

/// The whole document.
pub(crate) fn document(m: &ReportModel, lang: Lang) -> String {
    let t = texts(lang);
    let mut o = String::with_capacity(32 * 1024);
    o.push_str(&format!("# {} — {}\n\n", esc(t.title), cell(&m.estate)));
    let mut subtitle = fill(
        t.subtitle,
        &[
            ("estate", &cell(&m.estate)),
            ("current", &cell(&m.snapshots.current)),
        ],
    );
    if let Some(previous) = &m.snapshots.previous {
        subtitle.push_str(&fill(t.compared_with, &[("previous", &cell(previous))]));
    }
    let when = fill(t.generated_on, &[("date", &date(lang, m.generated_at))]);
    // In italics, so that no line starts with an input value (`- x` would open a list).
    o.push_str(&format!("*{subtitle}. {}.*\n\n", esc(&when)));

    summary::summary(&mut o, m, lang);
    summary::register(&mut o, m, lang);

    o.push_str(&format!("## {}\n\n", esc(t.heat_map)));
    let mut head = vec![format!("{} ↓ / {} →", t.axis_likelihood, t.axis_impact)];
    head.extend((1..=5).map(|i| i.to_string()));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let rows: Vec<Vec<String>> = (0..5)
        .rev()
        .map(|li| {
            let mut r = vec![format!("**{}**", li + 1)];
            r.extend(
                m.heat_map
                    .counts
                    .get(li)
                    .into_iter()
                    .flatten()
                    .map(|n| int(lang, *n)),
            );
            r
        })
        .collect();
    table(&mut o, &head, &[false, true, true, true, true, true], &rows);
    let level_rows: Vec<Vec<String>> = Level::ALL
        .iter()
        .map(|l| vec![esc(t.level(*l)), int(lang, m.posture.risks.get(*l))])
        .collect();
    o.push_str(&format!("### {}\n\n", esc(t.risks_by_level)));
    table(
        &mut o,
        &[t.col_level, t.col_risk],
        &[false, true],
        &level_rows,
    );
    let family_rows: Vec<Vec<String>> = Family::ALL
        .iter()
        .map(|f| vec![esc(t.family(*f)), int(lang, m.posture.findings.get(*f))])
        .collect();
    o.push_str(&format!("### {}\n\n", esc(t.findings_by_family)));
    table(
        &mut o,
        &[t.col_family, t.col_findings],
        &[false, true],
        &family_rows,
    );

    o.push_str(&format!("## {}\n\n", esc(t.eol)));
    let eol = svg::eol_rows(m);
    if eol.is_empty() {
        o.push_str(&format!("{}\n\n", esc(t.no_eol)));
    } else {
        let rows: Vec<Vec<String>> = eol
            .iter()
            .take(EOL_ROWS)
            .map(|e| {
                let mut when = date(lang, e.eol);
                if e.eol < m.generated_at {
                    when = format!("{when} (**{}**)", t.already_ended);
                }
                vec![
                    cell(&e.product),
                    cell(&e.cycle),
                    when,
                    int(lang, e.projects),
                    names(lang, t, &e.systems),
                ]
            })
            .collect();
        let head = [
            t.col_product,
            t.col_cycle,
            t.col_eol,
            t.col_projects,
            t.col_systems,
        ];
        table(&mut o, &head, &[false, false, false, true, false], &rows);
        more_rows(&mut o, lang, t, eol.len(), EOL_ROWS);
    }

    o.push_str(&format!(
        "## {}\n\n{}\n\n",
        esc(t.licences),
        licence_sentence(m, lang, &esc)
    ));
    let l = &m.licences;
    let rows: Vec<Vec<String>> = l
        .categories
        .iter()
        .map(|c| {
            vec![
                esc(t.category(c.category)),
                int(lang, c.components),
                esc(&percent(lang, c.components, l.components)),
            ]
        })
        .collect();
    table(
        &mut o,
        &[t.col_category, t.col_components, "%"],
        &[false, true, true],
        &rows,
    );

    risk_table(&mut o, lang, t, t.by_system, t.col_system, &m.by_system);
    risk_table(&mut o, lang, t, t.by_owner, t.col_owner, &m.by_owner);
    appendix(&mut o, lang, t, m);
    o.push_str(&format!(
        "---\n\n*{}*\n",
        fill(t.footer, &[("current", &cell(&m.snapshots.current))])
    ));
    o
}

fn risk_table(o: &mut String, lang: Lang, t: &Texts, title: &str, col: &str, rows: &[RiskRow]) {
    o.push_str(&format!("## {}\n\n", esc(title)));
    if rows.is_empty() {
        o.push_str(&format!("{}\n\n", esc(t.none)));
        return;
    }
    let mut head = vec![col];
    head.extend(Level::ALL.iter().map(|l| t.level(*l)));
    head.extend([t.col_total, t.col_findings]);
    let body: Vec<Vec<String>> = rows
        .iter()
        .take(TABLE_ROWS)
        .map(|r| {
            let mut c = vec![cell(&r.name)];
            c.extend(Level::ALL.iter().map(|l| int(lang, r.risks.get(*l))));
            c.extend([int(lang, r.risks.total()), int(lang, r.findings)]);
            c
        })
        .collect();
    table(
        o,
        &head,
        &[false, true, true, true, true, true, true],
        &body,
    );
    more_rows(o, lang, t, rows.len(), TABLE_ROWS);
}

fn appendix(o: &mut String, lang: Lang, t: &Texts, m: &ReportModel) {
    o.push_str(&format!(
        "## {}\n\n{}\n\n",
        esc(t.appendix),
        esc(t.appendix_intro)
    ));
    if m.findings.is_empty() {
        o.push_str(&format!("{}\n\n", esc(t.none)));
    }
    for family in Family::ALL {
        let total = m.findings.iter().filter(|f| f.family == family).count();
        if total == 0 {
            continue;
        }
        o.push_str(&format!(
            "### {} ({})\n\n",
            esc(t.family(family)),
            int(lang, total as u64)
        ));
        if total > APPENDIX_PER_FAMILY {
            let note = fill(
                t.appendix_note,
                &[
                    ("shown", &int(lang, APPENDIX_PER_FAMILY as u64)),
                    ("total", &int(lang, total as u64)),
                ],
            );
            o.push_str(&format!("*{}*\n\n", esc(&note)));
        }
        let rows: Vec<Vec<String>> = m
            .findings
            .iter()
            .filter(|f| f.family == family)
            .take(APPENDIX_PER_FAMILY)
            .map(|f| {
                vec![
                    cell(&f.id),
                    esc(t.rating(f.rating)),
                    cell(&f.component),
                    cell(&f.project),
                    cell(&f.title),
                ]
            })
            .collect();
        let head = [
            t.col_id,
            t.col_rating,
            t.col_component,
            t.col_project,
            t.col_title,
        ];
        table(o, &head, &[], &rows);
    }
}
