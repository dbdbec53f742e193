//! `vigie audit`: the inventory matched against the knowledge index.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use vigie_audit::ProjectAudit;
use vigie_export::RunInfo;
use vigie_export::audit::{AuditReport, Ignored, KnowledgeInfo};
use vigie_model::Diagnostic;

use crate::checks::{Knowledge, LoadOptions};
use crate::cli::{AuditArgs, AuditFormat, Threshold};
use crate::render::{Style, Table, paint, stdout_colour};
use crate::settings::Config;

pub fn run(args: AuditArgs) -> anyhow::Result<ExitCode> {
    let first_dir = args.paths.first().filter(|p| p.is_dir());
    let config = Config::load(args.config.as_deref(), first_dir.map(|p| p.as_path()))?;
    let knowledge = Knowledge::load(&LoadOptions {
        checks: &args.checks,
        lifecycle: &args.lifecycle,
        data: &args.data,
        config: &config,
        config_file: args.config.as_deref(),
        paths: &args.paths,
        max_file_size: args.max_file_size,
        quiet: args.quiet,
    })?;
    let today = knowledge.policy.today;
    let auditor = knowledge.auditor(&args.checks);
    let mut ignores: Vec<Ignored> = args
        .ignore
        .iter()
        .map(|id| Ignored {
            id: id.clone(),
            reason: "--ignore on the command line".to_owned(),
            until: None,
            matched: 0,
        })
        .collect();
    for i in &config.audit.ignore {
        if i.until.is_some_and(|u| u < today) {
            continue;
        }
        ignores.push(Ignored {
            id: i.id.clone(),
            reason: i.reason.clone(),
            until: i.until.map(|u| u.to_string()),
            matched: 0,
        });
    }

    let mut audits: Vec<ProjectAudit> = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let scanned = crate::estate::scan(
        &args.paths,
        args.max_file_size,
        auditor.extra(),
        |projects| {
            let results: Vec<anyhow::Result<ProjectAudit>> = projects
                .par_iter()
                .filter_map(|s| auditor.audit(s).transpose())
                .collect();
            for r in results {
                let mut a = r?;
                for c in &mut a.components {
                    c.findings.retain(|f| {
                        match ignores.iter_mut().find(|i| f.is_known_as(&i.id)) {
                            Some(i) => {
                                i.matched += 1;
                                false
                            }
                            None => true,
                        }
                    });
                }
                a.components.retain(|c| !c.findings.is_empty());
                if !args.quiet {
                    diagnostics.extend(a.diagnostics.iter().cloned());
                }
                audits.push(a);
            }
            Ok(())
        },
    )?;
    if scanned.nothing {
        crate::estate::print_diagnostics(&scanned.walk_diagnostics);
        return Ok(ExitCode::from(2));
    }

    let run = RunInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        timestamp: jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        roots: args.paths.iter().map(|p| p.display().to_string()).collect(),
    };
    let knowledge = KnowledgeInfo {
        generation: knowledge.generation.id().to_owned(),
        created: knowledge.manifest.as_ref().map(|m| m.created.clone()),
        advisories: knowledge.manifest.as_ref().map_or(0, |m| m.advisories),
    };
    let report = AuditReport::new(&run, knowledge, audits, ignores, &scanned.walk_diagnostics);
    let mut w: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(BufWriter::new(
            File::create(path).with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(BufWriter::new(std::io::stdout().lock())),
    };
    match args.format {
        AuditFormat::Json => {
            serde_json::to_writer_pretty(&mut w, &report)?;
            writeln!(w)?;
        }
        AuditFormat::Sarif => {
            serde_json::to_writer_pretty(&mut w, &vigie_export::sarif::log(&report))?;
            writeln!(w)?;
        }
        AuditFormat::Markdown => vigie_export::audit::write_markdown(&mut w, &report)?,
        AuditFormat::Table => write_table(&mut w, &report)?,
    }
    w.flush()?;
    if !args.quiet {
        crate::estate::print_diagnostics(scanned.walk_diagnostics.iter().chain(&diagnostics));
    }

    let threshold = args.fail_on.or(config.audit.fail_on);
    let over = threshold.is_some_and(|t| {
        report
            .findings()
            .filter(|(_, f)| !f.kind.is_informational())
            .any(|(_, f)| rating_meets(f.effective_rating(), t))
            || report
                .projects
                .iter()
                .flat_map(|p| &p.lifecycle)
                .any(|f| rating_meets(vigie_findings::lifecycle_rating(f), t))
            || report
                .projects
                .iter()
                .filter_map(|p| p.licences.as_ref())
                .flat_map(|l| &l.findings)
                .any(|f| rating_meets(vigie_audit::licences::Check::rating(f.check), t))
    });
    Ok(if over {
        ExitCode::from(1)
    } else if scanned.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn rating_meets(r: vigie_knowledge::cvss::Rating, t: Threshold) -> bool {
    use vigie_knowledge::cvss::Rating;
    let level = match r {
        Rating::None => 0,
        Rating::Low => 1,
        Rating::Medium => 2,
        Rating::High => 3,
        Rating::Critical => 4,
    };
    let min = match t {
        Threshold::Low => 1,
        Threshold::Medium => 2,
        Threshold::High => 3,
        Threshold::Critical => 4,
    };
    level >= min
}

fn write_table(w: &mut impl Write, report: &AuditReport) -> anyhow::Result<()> {
    let colour = stdout_colour();
    for p in &report.projects {
        let licences = p.licences.as_ref().filter(|l| !l.findings.is_empty());
        if p.components.is_empty() && p.lifecycle.is_empty() && licences.is_none() {
            continue;
        }
        writeln!(w, "{} ({})", paint(colour, Style::Bold, &p.name), p.path)?;
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
    Ok(())
}
