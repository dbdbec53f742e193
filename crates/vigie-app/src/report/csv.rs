//! `vigie report --format csv` (the risk register) and `--format csv-findings` (every
//! finding): RFC 4180 CSV, a header line, one row per risk or finding.
//!
//! Cells are quoted when they hold a comma, a quote or a line break; a cell that a
//! spreadsheet would read as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) is
//! prefixed with `'` (OWASP's advice against CSV injection): names come from scanned files.

use std::io::Write;

use vigie_report::Lang;
use vigie_risk::Analysis;
use vigie_store::{EffectiveState, FindingRecord};

/// One cell, escaped.
pub fn cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
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

fn row(out: &mut dyn Write, cells: &[&str]) -> std::io::Result<()> {
    let line: Vec<String> = cells.iter().map(|c| cell(c)).collect();
    out.write_all(line.join(",").as_bytes())?;
    out.write_all(b"\r\n")
}

/// The register: key, level, score, likelihood, impact, family, system, owners, title,
/// known exploited, findings, projects, explanation (in `lang`).
pub fn risks(a: &Analysis, lang: Lang, out: &mut dyn Write) -> std::io::Result<()> {
    row(
        out,
        &[
            "key",
            "level",
            "score",
            "likelihood",
            "impact",
            "family",
            "system",
            "owners",
            "title",
            "known_exploited",
            "findings",
            "projects",
            "explanation",
        ],
    )?;
    for r in &a.register.risks {
        let pick = |t: &vigie_risk::Text| match lang {
            Lang::En => t.en.clone(),
            Lang::Fr => t.fr.clone(),
        };
        row(
            out,
            &[
                &r.key,
                r.level.id(),
                &r.score.to_string(),
                &r.likelihood.to_string(),
                &r.impact.to_string(),
                r.family.id(),
                r.system_name.as_deref().unwrap_or("-"),
                &r.owners.join(" "),
                &pick(&r.title),
                if r.known_exploited { "true" } else { "false" },
                &r.findings.len().to_string(),
                &r.projects.len().to_string(),
                &pick(&r.explanation),
            ],
        )?;
    }
    Ok(())
}

/// Every finding: the active ones (triage `open`, `in_triage`, ...) then those set aside.
pub fn findings(
    active: &[FindingRecord],
    set_aside: &[(FindingRecord, EffectiveState)],
    out: &mut dyn Write,
) -> std::io::Result<()> {
    row(
        out,
        &[
            "key",
            "family",
            "id",
            "rating",
            "project",
            "purl",
            "title",
            "fixed",
            "known_exploited",
            "triage",
        ],
    )?;
    let all = active
        .iter()
        .map(|f| (f, EffectiveState::Open))
        .chain(set_aside.iter().map(|(f, s)| (f, *s)));
    for (f, state) in all {
        row(
            out,
            &[
                &f.key,
                f.family.id(),
                &f.id,
                f.rating.as_str(),
                &f.project_path,
                f.purl.as_deref().unwrap_or(""),
                &f.title,
                f.fixed.as_deref().unwrap_or(""),
                if f.known_exploited { "true" } else { "false" },
                state.as_str(),
            ],
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn cells_are_quoted_and_formulas_defused() {
        // RFC 4180 §2.6-2.7 by hand: quotes doubled inside a quoted field.
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("a,b"), "\"a,b\"");
        assert_eq!(cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(cell("@sum"), "'@sum");
    }
}
