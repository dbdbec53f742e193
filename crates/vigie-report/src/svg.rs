//! Inline SVG charts: the 5×5 heat map, the end-of-life timeline (Gantt-like, 24 months) and
//! horizontal bar charts. Each chart has a `<title>`, and each mark its own `<title>` as a
//! tooltip; labels from the input are clipped and escaped like any other text.
//!
//! Heat map zones (cell colours) are the model's `HeatMap::levels` when given, else by score =
//! likelihood × impact: 1–3 low, 4–7 medium, 8–14 high, 15–25 critical.

use jiff::ToSpan;
use jiff::civil::Date;

use crate::escape;
use crate::format::{count, date, int, month};
use crate::html::Doc;
use crate::limits::EOL_ROWS;
use crate::model::{
    CategoryCount, EolEntry, FamilyCounts, HeatMap, Level, LevelCounts, ReportModel,
};
use crate::text::fill;

const NS: &str = "xmlns=\"http://www.w3.org/2000/svg\"";
const BAR: &str = "#4a6fa5";

fn level_colour(level: Level) -> &'static str {
    match level {
        Level::Critical => "#b3261e",
        Level::High => "#e8710a",
        Level::Medium => "#f2c12e",
        Level::Low => "#3c8d40",
    }
}

/// The zone of a heat-map cell, by score = likelihood × impact.
pub(crate) fn zone(likelihood: u64, impact: u64) -> Level {
    match likelihood * impact {
        15.. => Level::Critical,
        8..=14 => Level::High,
        4..=7 => Level::Medium,
        _ => Level::Low,
    }
}

fn tint(level: Level) -> &'static str {
    match level {
        Level::Critical => "#eba39e",
        Level::High => "#f7c594",
        Level::Medium => "#fbe7a6",
        Level::Low => "#c3e2c5",
    }
}

/// The 5×5 heat map: impact across, likelihood up.
pub(crate) fn heat_map(d: &mut Doc, h: &HeatMap) {
    let t = d.t;
    let (cell, x0, y0) = (56u32, 70u32, 10u32);
    let grid = 5 * cell;
    d.raw(&format!(
        "<svg {NS} class=\"heat-map\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" role=\"img\">\n<title>",
        w = x0 + grid + 10,
        h = y0 + grid + 50
    ));
    d.raw(&escape::html(t.heat_map));
    d.raw("</title>\n");
    for (li, row) in h.counts.iter().enumerate() {
        let likelihood = li as u64 + 1;
        for (ii, n) in row.iter().enumerate() {
            let impact = ii as u64 + 1;
            let x = x0 + ii as u32 * cell;
            let y = y0 + (4 - li as u32) * cell;
            let tip = fill(
                t.cell_title,
                &[
                    ("likelihood", &likelihood.to_string()),
                    ("impact", &impact.to_string()),
                    ("risks", &count(d.lang, *n, t.n_risks)),
                ],
            );
            d.raw(&format!(
                "<g><title>{}</title><rect x=\"{x}\" y=\"{y}\" width=\"{cell}\" height=\"{cell}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"2\" />",
                escape::html(&tip),
                tint(
                    h.levels
                        .and_then(|l| l.get(li).and_then(|r| r.get(ii)).copied())
                        .unwrap_or_else(|| zone(likelihood, impact))
                )
            ));
            if *n > 0 {
                d.raw(&format!(
                    "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"16\" font-weight=\"700\">{}</text>",
                    x + cell / 2,
                    y + cell / 2 + 6,
                    int(d.lang, *n)
                ));
            }
            d.raw("</g>\n");
        }
    }
    for k in 1..=5u32 {
        d.raw(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\">{k}</text>\n",
            x0 + (k - 1) * cell + cell / 2,
            y0 + grid + 16
        ));
        d.raw(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{k}</text>\n",
            x0 - 8,
            y0 + (5 - k) * cell + cell / 2 + 4
        ));
    }
    d.raw(&format!(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\">{} →</text>\n",
        x0 + grid / 2,
        y0 + grid + 38,
        escape::html(t.axis_impact)
    ));
    d.raw(&format!(
        "<text x=\"24\" y=\"{y}\" text-anchor=\"middle\" font-size=\"12\" font-weight=\"600\" transform=\"rotate(-90 24 {y})\">{} →</text>\n</svg>\n",
        escape::html(t.axis_likelihood),
        y = y0 + grid / 2
    ));
}

/// One horizontal bar chart: `(label, value, colour)`; labels are trusted texts.
fn bars(d: &mut Doc, title: &str, items: &[(&str, u64, &str)]) {
    let (label_w, bar_w, row) = (120u32, 140u32, 20u32);
    let max = items.iter().map(|i| i.1).max().unwrap_or(0).max(1);
    let height = 24 + items.len() as u32 * row;
    d.raw(&format!(
        "<svg {NS} class=\"bars\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\">\n<title>",
        w = label_w + bar_w + 60
    ));
    d.raw(&escape::html(title));
    d.raw(&format!(
        "</title>\n<text x=\"0\" y=\"14\" font-size=\"12\" font-weight=\"600\">{}</text>\n",
        escape::html(title)
    ));
    for (i, (label, value, colour)) in items.iter().enumerate() {
        let y = 22 + i as u32 * row;
        let w = ((*value as f64 / max as f64) * bar_w as f64).round() as u32;
        let shown = int(d.lang, *value);
        d.raw(&format!(
            "<g><title>{label}: {shown}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{label}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{w}\" height=\"{}\" fill=\"{colour}\" /><text x=\"{}\" y=\"{}\" font-size=\"11\">{shown}</text></g>\n",
            label_w - 6,
            y + 12,
            row - 6,
            label_w + w + 4,
            y + 12,
            label = escape::html(&escape::clip(label, 40)),
        ));
    }
    d.raw("</svg>\n");
}

/// Risks per level.
pub(crate) fn level_bars(d: &mut Doc, counts: &LevelCounts) {
    let t = d.t;
    let items: Vec<_> = Level::ALL
        .iter()
        .map(|l| (t.level(*l), counts.get(*l), level_colour(*l)))
        .collect();
    bars(d, t.risks_by_level, &items);
}

/// Findings per family.
pub(crate) fn family_bars(d: &mut Doc, counts: &FamilyCounts) {
    let t = d.t;
    let items: Vec<_> = crate::model::Family::ALL
        .iter()
        .map(|f| (t.family(*f), counts.get(*f), BAR))
        .collect();
    bars(d, t.findings_by_family, &items);
}

/// Components per licence category.
pub(crate) fn category_bars(d: &mut Doc, cats: &[CategoryCount]) {
    let t = d.t;
    let items: Vec<_> = cats
        .iter()
        .take(16)
        .map(|c| (t.category(c.category), c.components, BAR))
        .collect();
    bars(d, t.licences, &items);
}

/// The end of the 24-month window (saturating at the last representable date).
pub(crate) fn window_end(start: Date) -> Date {
    start.checked_add(24.months()).unwrap_or(Date::MAX)
}

/// The entries that end before the window's end (including those already ended), soonest
/// first.
pub(crate) fn eol_rows(m: &ReportModel) -> Vec<&EolEntry> {
    let end = window_end(m.generated_at);
    let mut rows: Vec<&EolEntry> = m.eol.iter().filter(|e| e.eol <= end).collect();
    rows.sort_by_key(|e| e.eol);
    rows
}

/// The Gantt-like timeline: one row per release cycle, a bar from today to its end of life.
pub(crate) fn eol_chart(d: &mut Doc, start: Date, rows: &[&EolEntry]) {
    let t = d.t;
    let lang = d.lang;
    let end = window_end(start);
    let days = |to: Date| start.until(to).map(|s| s.get_days()).unwrap_or(0).max(0) as f64;
    let total = days(end).max(1.0);
    let (x0, w, top, row) = (200.0f64, 520.0f64, 34u32, 20u32);
    let pos = |to: Date| x0 + (days(to) / total).min(1.0) * w;
    let shown = rows.len().min(EOL_ROWS) as u32;
    let height = top + shown * row + 8;
    d.raw(&format!(
        "<svg {NS} class=\"eol\" width=\"760\" height=\"{height}\" viewBox=\"0 0 760 {height}\" role=\"img\">\n<title>"
    ));
    d.raw(&escape::html(t.eol));
    d.raw("</title>\n");
    for k in (0..=24).step_by(3) {
        let Ok(tick) = start.checked_add(k.months()) else {
            break;
        };
        let x = pos(tick);
        d.raw(&format!(
            "<line x1=\"{x:.1}\" y1=\"{}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#d1d9e0\" />\
             <text x=\"{x:.1}\" y=\"{}\" text-anchor=\"middle\" font-size=\"10\">{}</text>\n",
            top - 6,
            height - 4,
            top - 10,
            escape::html(&month(lang, tick))
        ));
    }
    d.raw(&format!(
        "<text x=\"{x0}\" y=\"10\" text-anchor=\"middle\" font-size=\"10\" font-weight=\"600\">{}</text>\n",
        escape::html(t.today)
    ));
    for (i, e) in rows.iter().take(EOL_ROWS).enumerate() {
        let y = top + i as u32 * row;
        let label = format!(
            "{} {}",
            escape::clip(&e.product, 24),
            escape::clip(&e.cycle, 12)
        );
        let tip = fill(
            t.eol_bar_title,
            &[
                ("product", &escape::clip(&e.product, 120)),
                ("cycle", &escape::clip(&e.cycle, 40)),
                ("date", &date(lang, e.eol)),
            ],
        );
        d.raw(&format!(
            "<g><title>{}</title><text x=\"{}\" y=\"{}\" text-anchor=\"end\" font-size=\"11\">{}</text>",
            escape::html(&tip),
            x0 - 6.0,
            y + 13,
            escape::html(&label)
        ));
        if e.eol < start {
            d.raw(&format!(
                "<rect x=\"{x0}\" y=\"{}\" width=\"8\" height=\"14\" fill=\"{}\" /><text x=\"{}\" y=\"{}\" font-size=\"10\">{}</text>",
                y + 2,
                level_colour(Level::Critical),
                x0 + 12.0,
                y + 13,
                escape::html(t.already_ended)
            ));
        } else {
            let left = days(e.eol);
            let colour = level_colour(match left {
                l if l < 183.0 => Level::Critical,
                l if l < 366.0 => Level::High,
                _ => Level::Medium,
            });
            let x = pos(e.eol);
            d.raw(&format!(
                "<rect x=\"{x0}\" y=\"{}\" width=\"{:.1}\" height=\"14\" fill=\"{colour}\" opacity=\"0.8\" />\
                 <polygon points=\"{x:.1},{} {:.1},{} {x:.1},{} {:.1},{}\" fill=\"#1f2328\" />",
                y + 2,
                (x - x0).max(1.0),
                y + 1,
                x + 5.0,
                y + 9,
                y + 17,
                x - 5.0,
                y + 9
            ));
        }
        d.raw("</g>\n");
    }
    d.raw("</svg>\n");
}
