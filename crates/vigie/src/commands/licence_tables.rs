//! The human tables of the licence check: the inventory of `vigie
//! licences` and the findings rows of `vigie audit`.

use std::io::Write;

use vigie_audit::licences::{Check, ProjectLicences};
use vigie_findings::Rating;
use vigie_licence::{DistributionModel, Lang};
use vigie_model::Project;

use crate::render::{Style, Table, clean, paint, stdout_colour};

pub fn write_table(
    w: &mut dyn Write,
    p: &Project,
    r: &ProjectLicences,
    lang: Lang,
) -> anyhow::Result<()> {
    if r.components.is_empty() {
        return Ok(());
    }
    let colour = stdout_colour();
    let model = DistributionModel::from_id(r.model).map_or(r.model, |m| m.label(lang));
    writeln!(
        w,
        "{} ({}) — {}: {model}; {}: {}/{} ({:.0} %)",
        paint(colour, Style::Bold, &clean(&p.name)),
        clean(&p.path),
        lang.pick("model", "mode"),
        lang.pick("licence known", "licence connue"),
        r.components_known,
        r.components_total,
        r.coverage() * 100.0
    )?;
    if let Some(a) = &r.assumption {
        writeln!(w, "  {}", a[usize::from(lang == Lang::Fr)])?;
    }
    let cats: Vec<String> = r
        .categories
        .iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect();
    writeln!(w, "  {}", cats.join(", "))?;
    let mut t = Table::new([
        "PACKAGE",
        "VERSION",
        "LICENCE",
        "CATEGORY",
        "VERDICT",
        "OBLIGATIONS",
        "SOURCE",
    ]);
    for c in &r.components {
        let verdict = match c.verdict.as_str() {
            "denied" => paint(colour, Style::Red, &c.verdict),
            "needs-review" => paint(colour, Style::Yellow, &c.verdict),
            _ => c.verdict.clone(),
        };
        t.row([
            c.name.clone(),
            c.version.clone().unwrap_or_else(|| "-".into()),
            c.expression.clone(),
            c.category.label(lang).to_owned(),
            verdict,
            c.obligations.join(" "),
            c.statements
                .first()
                .map_or_else(|| "-".into(), |s| s.kind.clone()),
        ]);
    }
    t.write(&mut &mut *w)?;
    writeln!(w)?;
    Ok(())
}

/// The licence findings of one project, for `vigie audit`'s table.
pub fn write_audit_table(w: &mut impl Write, l: &ProjectLicences) -> anyhow::Result<()> {
    let colour = stdout_colour();
    let mut t = Table::new(["LICENCE", "PACKAGE", "VERSION", "EXPRESSION", "WHY"]);
    let (unknown, mut rows): (Vec<_>, Vec<_>) = l
        .findings_with_components()
        .partition(|(f, _)| f.check == Check::Unknown);
    rows.sort_by_key(|(f, c)| (f.check, c.name.as_str()));
    if !unknown.is_empty() {
        t.row([
            paint(colour, Style::Yellow, Check::Unknown.title(Lang::En)),
            unknown.len().to_string(),
            String::new(),
            String::new(),
            vigie_export::licences::unknown_names(unknown.iter().map(|(_, c)| c.name.as_str())),
        ]);
    }
    for (f, c) in rows {
        let label = f.check.title(Lang::En);
        let label = match f.check.rating() {
            Rating::High | Rating::Critical => paint(colour, Style::Red, label),
            Rating::Medium => paint(colour, Style::Yellow, label),
            Rating::Low | Rating::None => label.to_owned(),
        };
        t.row([
            label,
            c.name.clone(),
            c.version.clone().unwrap_or_else(|| "-".into()),
            c.expression.clone(),
            f.message[0].chars().take(90).collect(),
        ]);
    }
    t.write(w)?;
    writeln!(w)?;
    Ok(())
}
