//! Licence outputs: the licence findings of an audit as a Markdown table, and the licence
//! inventory as CSV (their SARIF is [`crate::sarif`]'s, as every finding's).

use std::io::{self, Write};

use vigie_audit::licences::{Check, ProjectLicences};
use vigie_licence::Lang;

/// The licence findings of one project as a Markdown table.
pub fn write_markdown_table(
    w: &mut dyn Write,
    l: &ProjectLicences,
    md: fn(&str) -> String,
) -> io::Result<()> {
    writeln!(
        w,
        "Licences (model: {}): {} of {} components with a known licence.\n",
        l.model, l.components_known, l.components_total
    )?;
    writeln!(w, "| Licence check | Package | Version | Licence | Why |")?;
    writeln!(w, "|---|---|---|---|---|")?;
    let (unknown, mut rows): (Vec<_>, Vec<_>) = l
        .findings_with_components()
        .partition(|(f, _)| f.check == Check::Unknown);
    rows.sort_by_key(|(f, c)| (f.check, c.name.as_str()));
    if !unknown.is_empty() {
        writeln!(
            w,
            "| {} | {} | | | {} |",
            Check::Unknown.title(Lang::En),
            unknown.len(),
            md(&unknown_names(unknown.iter().map(|(_, c)| c.name.as_str())))
        )?;
    }
    for (f, c) in rows {
        writeln!(
            w,
            "| {} | {} | {} | {} | {} |",
            f.check.title(Lang::En),
            md(&c.name),
            md(c.version.as_deref().unwrap_or("-")),
            md(&c.expression),
            md(&f.message[0])
        )?;
    }
    writeln!(w)
}

/// "a, b, c and 12 more": the unknown-licence components of a project,
/// collapsed into one row of the human outputs.
pub fn unknown_names<'a>(names: impl Iterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.collect();
    let shown = names.iter().take(5).copied().collect::<Vec<_>>().join(", ");
    match names.len().saturating_sub(5) {
        0 => format!("components: {shown}"),
        more => format!("components: {shown} and {more} more (see `vigie licences`)"),
    }
}

fn csv_field(s: &str) -> String {
    // A leading =, +, - or @ would be a formula in a spreadsheet.
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// The CSV header of [`write_csv_rows`].
pub const CSV_HEADER: &str = "project,path,ecosystem,name,version,purl,licence,expression,confidence,category,verdict,obligations,source,source_file,findings";

/// The licence inventory of one project as CSV rows (RFC 4180).
pub fn write_csv_rows(
    w: &mut dyn Write,
    name: &str,
    path: &str,
    l: &ProjectLicences,
) -> io::Result<()> {
    for (i, c) in l.components.iter().enumerate() {
        let first = c.statements.first();
        let findings: Vec<&str> = l
            .findings
            .iter()
            .filter(|f| f.component == i)
            .map(|f| f.check.id())
            .collect();
        let fields = [
            name,
            path,
            c.ecosystem.as_str(),
            &c.name,
            c.version.as_deref().unwrap_or(""),
            &c.purl,
            first.map_or("", |s| s.licence.as_str()),
            &c.expression,
            c.confidence.as_deref().unwrap_or(""),
            c.category.id(),
            &c.verdict,
            &c.obligations.join(" "),
            first.map_or("", |s| s.kind.as_str()),
            first.map_or("", |s| s.file.as_str()),
            &findings.join(" "),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        writeln!(w, "{}", line.join(","))?;
    }
    Ok(())
}
