//! `vigie audit`: the audit of the application core (`vigie_app::audit`), as a table, JSON,
//! SARIF, Markdown or a CycloneDX BOM with its vulnerabilities, with `--fail-on`'s exit code.

use std::io::Write;
use std::process::ExitCode;

use vigie_app::audit::AuditRequest;
use vigie_export::RunInfo;
use vigie_export::audit::AuditReport;
use vigie_export::triage::Triaged;
use vigie_export::{cyclonedx, sarif};

use crate::cli::{AuditArgs, AuditFormat};
use crate::output::Output;
use crate::progress::Bars;
use crate::render::{Style, Table, paint, print_diagnostics, stdout_colour};

pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let outcome = vigie_app::audit::audit(
        &AuditRequest {
            estate: args.checks.estate(&args.paths, &args.input),
            ignore: &args.ignore,
            fail_on: args.fail_on,
            data_dir: args.input.data.dir(),
            keep_projects: args.format == AuditFormat::Cyclonedx,
        },
        &Bars::new(args.input.quiet),
    )?;
    let Some(report) = &outcome.report else {
        print_diagnostics(&outcome.walk_diagnostics);
        return Ok(ExitCode::from(2));
    };
    let mut w = Output::open(args.output.as_deref())?;
    match args.format {
        AuditFormat::Json => {
            serde_json::to_writer_pretty(&mut w, report)?;
            writeln!(w)?;
        }
        AuditFormat::Sarif => {
            let findings = report.typed_findings();
            let run = sarif::Run {
                tool_version: report.tool.version.clone(),
                src_root: sarif::SrcRoot::Scan,
                properties: None,
            };
            sarif::write(&mut w, &Triaged::untriaged(&findings), &run)?;
        }
        AuditFormat::Cyclonedx => {
            let findings = report.typed_findings();
            let run = RunInfo {
                tool_version: report.tool.version.clone(),
                timestamp: report.timestamp.clone(),
                roots: report.roots.clone(),
            };
            let bom = cyclonedx::bom(
                &outcome.projects,
                &run,
                Some(&Triaged::untriaged(&findings)),
            );
            serde_json::to_writer_pretty(&mut w, &bom)?;
            writeln!(w)?;
        }
        AuditFormat::Markdown => vigie_export::audit::write_markdown(&mut w, report)?,
        AuditFormat::Table => write_table(&mut w, report)?,
    }
    w.finish()?;
    if !args.input.quiet {
        print_diagnostics(outcome.walk_diagnostics.iter().chain(&outcome.diagnostics));
    }
    Ok(if outcome.over_threshold {
        ExitCode::from(1)
    } else if outcome.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn write_table(w: &mut impl Write, report: &AuditReport) -> anyhow::Result<()> {
    let colour = stdout_colour();
    for p in &report.projects {
        let licences = p.licences.as_ref().filter(|l| !l.findings.is_empty());
        if p.components.is_empty() && p.lifecycle.is_empty() && licences.is_none() {
            continue;
        }
        writeln!(
            w,
            "{} ({})",
            paint(colour, Style::Bold, &crate::render::clean(&p.name)),
            crate::render::clean(&p.path)
        )?;
        if let Some(l) = licences {
            super::licence_tables::write_audit_table(w, l)?;
        }
        if !p.lifecycle.is_empty() {
            let mut t = Table::new(["LIFECYCLE", "PLATFORM", "WHERE", "WHAT TO DO"]);
            for f in &p.lifecycle {
                let label = vigie_export::audit::lifecycle_label(f);
                let label = match f.severity {
                    vigie_lifecycle::Severity::High => paint(colour, Style::Red, &label),
                    vigie_lifecycle::Severity::Medium => paint(colour, Style::Yellow, &label),
                    _ => label,
                };
                t.row([
                    label,
                    format!(
                        "{} {}",
                        f.title,
                        f.cycle_label.as_deref().unwrap_or(&f.written)
                    ),
                    vigie_findings::lifecycle_where(f),
                    f.message(vigie_lifecycle::Lang::En),
                ]);
            }
            t.write(w)?;
            writeln!(w)?;
        }
        if p.components.is_empty() {
            continue;
        }
        let mut t = Table::new([
            "SEVERITY", "PACKAGE", "VERSION", "ADVISORY", "FIXED IN", "SUMMARY",
        ]);
        let mut rows: Vec<(&vigie_audit::ComponentAudit, &vigie_audit::VulnFinding)> = p
            .components
            .iter()
            .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
            .collect();
        rows.sort_by(|a, b| {
            vigie_export::audit::finding_order(b.1)
                .cmp(&vigie_export::audit::finding_order(a.1))
                .then_with(|| a.0.name.cmp(&b.0.name))
        });
        for (c, f) in rows {
            let sev = vigie_export::audit::severity_label(f);
            let sev = match f.effective_rating() {
                vigie_knowledge::cvss::Rating::Critical | vigie_knowledge::cvss::Rating::High
                    if !f.kind.is_informational() =>
                {
                    paint(colour, Style::Red, &sev)
                }
                _ => sev,
            };
            let mut id = f.id.clone();
            if let Some(a) = f.aliases.iter().find(|a| a.starts_with("CVE-")) {
                id.push_str(&format!(" ({a})"));
            }
            t.row([
                sev,
                c.name.clone(),
                c.version.clone(),
                id,
                c.upgrade
                    .clone()
                    .or_else(|| f.fixed.first().cloned())
                    .unwrap_or_else(|| "-".to_owned()),
                f.summary.chars().take(70).collect(),
            ]);
        }
        t.write(w)?;
        writeln!(w)?;
    }
    let s = &report.summary;
    writeln!(
        w,
        "{} projects, {} components checked ({} without a version); \
         {} vulnerabilities in {} components ({} critical, {} high, {} known exploited); \
         {} informational; {} lifecycle findings; {} licence findings; {} ignored",
        s.projects,
        s.checked,
        s.unresolved,
        s.vulnerabilities,
        s.vulnerable_components,
        s.by_rating.critical,
        s.by_rating.high,
        s.known_exploited,
        s.informational,
        s.lifecycle,
        s.licences,
        s.ignored
    )?;
    if let Some(gaps) = vigie_export::audit::uncovered_sentence(
        &s.uncovered_by_ecosystem,
        &vigie_export::audit::uncovered_examples(report, 3),
    ) {
        writeln!(w, "{}", paint(colour, Style::Yellow, &gaps))?;
    }
    Ok(())
}
