//! The Markdown summary (posture sentence, the first risks and actions, the trend sentence)
//! and the register behind it.

use super::{cell, esc, long, more_rows, names, table};
use crate::Lang;
use crate::format::{decimal, int};
use crate::html::{coverage_sentence, posture_sentence, trend_sentence};
use crate::limits::{SUMMARY_ROWS, TOP_ACTIONS, TOP_RISKS, TREND_ITEMS};
use crate::model::ReportModel;
use crate::text::texts;

/// The executive summary.
pub(super) fn summary(o: &mut String, m: &ReportModel, lang: Lang) {
    let t = texts(lang);
    o.push_str(&format!(
        "## {}\n\n**{}**\n\n",
        esc(t.summary),
        posture_sentence(m, lang, &esc),
    ));
    if let Some(c) = coverage_sentence(m, lang, &esc) {
        o.push_str(&format!("{c}\n\n"));
    }
    o.push_str(&format!("### {}\n\n", esc(t.top_risks)));
    let rows: Vec<Vec<String>> = m
        .top_risks
        .iter()
        .take(SUMMARY_ROWS)
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                cell(r.title.get(lang)),
                esc(t.level(r.level)),
                decimal(lang, r.score, 1),
                names(lang, t, &r.systems),
            ]
        })
        .collect();
    if rows.is_empty() {
        o.push_str(&format!("{}\n\n", esc(t.none)));
    } else {
        let head = [
            t.col_rank,
            t.col_risk,
            t.col_level,
            t.col_score,
            t.col_systems,
        ];
        table(o, &head, &[true, false, false, true, false], &rows);
    }
    o.push_str(&format!("### {}\n\n", esc(t.top_actions)));
    let rows: Vec<Vec<String>> = m
        .top_actions
        .iter()
        .take(SUMMARY_ROWS)
        .enumerate()
        .map(|(i, a)| {
            vec![
                (i + 1).to_string(),
                long(a.text.get(lang)),
                esc(t.effort(a.effort)),
                int(lang, a.findings_fixed),
                int(lang, a.known_exploited_fixed),
            ]
        })
        .collect();
    if rows.is_empty() {
        o.push_str(&format!("{}\n\n", esc(t.none)));
    } else {
        let head = [
            t.col_rank,
            t.col_action,
            t.col_effort,
            t.col_findings_fixed,
            t.col_kev,
        ];
        table(o, &head, &[true, false, false, true, true], &rows);
    }
    o.push_str(&format!(
        "### {}\n\n{}\n\n",
        esc(t.trend),
        trend_sentence(m, lang, &esc)
    ));
}

/// The register: risks with explanations, actions, trend lists.
pub(super) fn register(o: &mut String, m: &ReportModel, lang: Lang) {
    let t = texts(lang);
    o.push_str(&format!("## {}\n\n", esc(t.register)));
    let rows: Vec<Vec<String>> = m
        .top_risks
        .iter()
        .take(TOP_RISKS)
        .enumerate()
        .map(|(i, r)| {
            vec![
                (i + 1).to_string(),
                format!(
                    "**{}** — {}",
                    cell(r.title.get(lang)),
                    long(r.explanation.get(lang))
                ),
                esc(t.level(r.level)),
                r.likelihood.to_string(),
                r.impact.to_string(),
                decimal(lang, r.score, 1),
                names(lang, t, &r.systems),
                names(lang, t, &r.owners),
            ]
        })
        .collect();
    if rows.is_empty() {
        o.push_str(&format!("{}\n\n", esc(t.none)));
    } else {
        let head = [
            t.col_rank,
            t.col_risk,
            t.col_level,
            t.col_likelihood,
            t.col_impact,
            t.col_score,
            t.col_systems,
            t.col_owners,
        ];
        let right = [true, false, false, true, true, true, false, false];
        table(o, &head, &right, &rows);
        more_rows(o, lang, t, m.top_risks.len(), TOP_RISKS);
    }
    o.push_str(&format!("## {}\n\n", esc(t.actions)));
    let rows: Vec<Vec<String>> = m
        .top_actions
        .iter()
        .take(TOP_ACTIONS)
        .enumerate()
        .map(|(i, a)| {
            vec![
                (i + 1).to_string(),
                long(a.text.get(lang)),
                esc(t.effort(a.effort)),
                decimal(lang, a.risk_removed, 1),
                int(lang, a.findings_fixed),
                int(lang, a.known_exploited_fixed),
            ]
        })
        .collect();
    if rows.is_empty() {
        o.push_str(&format!("{}\n\n", esc(t.none)));
    } else {
        let head = [
            t.col_rank,
            t.col_action,
            t.col_effort,
            t.col_risk_removed,
            t.col_findings_fixed,
            t.col_kev,
        ];
        table(o, &head, &[true, false, false, true, true, true], &rows);
        more_rows(o, lang, t, m.top_actions.len(), TOP_ACTIONS);
        o.push_str(&format!("*{}*\n\n", esc(t.effort_note)));
    }
    o.push_str(&format!(
        "## {}\n\n{}\n\n",
        esc(t.trend),
        trend_sentence(m, lang, &esc)
    ));
    let Some(tr) = &m.trend else { return };
    let groups = [
        (t.trend_new, &tr.new),
        (t.trend_worsened, &tr.worsened),
        (t.trend_improved, &tr.improved),
        (t.trend_resolved, &tr.resolved),
    ];
    let rows: Vec<Vec<String>> = groups
        .iter()
        .flat_map(|(label, g)| {
            g.items.iter().take(TREND_ITEMS).map(move |item| {
                vec![
                    esc(label),
                    cell(item.title.get(lang)),
                    esc(t.level(item.level)),
                    item.previous.map_or("—".to_owned(), |p| esc(t.level(p))),
                ]
            })
        })
        .collect();
    if !rows.is_empty() {
        table(
            o,
            &["", t.col_risk, t.col_level, t.col_previous],
            &[],
            &rows,
        );
    }
}
