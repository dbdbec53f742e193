//! `vigie catalog check` and `vigie catalog show`: find the catalog files
//! (in the scanned folders and `[catalog] files` of vigie.toml), read them,
//! and print the diagnostics or the resolved catalog.

use std::io::Write;
use std::process::ExitCode;

use vigie_catalog::{CheckOptions, Code, Diagnostic, Severity};

use crate::cli::{CatalogArgs, CatalogCommand, ListFormat};
use crate::render::{Style, Table, paint, stderr_colour, stdout_colour};
use vigie_app::catalog::{Found, load};

pub fn run(cmd: CatalogCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CatalogCommand::Check(args) => check(args),
        CatalogCommand::Show(args) => show(args),
    }
}

fn find(args: &CatalogArgs) -> anyhow::Result<Found> {
    vigie_app::catalog::find(&args.paths, args.config.as_deref())
}

fn check(args: CatalogArgs) -> anyhow::Result<ExitCode> {
    let today = vigie_app::config::today(args.today.as_deref())?;
    let found = find(&args)?;
    let catalog = load(&found);
    let mut opts = CheckOptions::new(today);
    opts.projects = found.projects.clone();
    let mut diags = found.problems.clone();
    if found.files.is_empty() {
        let msg = "no catalog files found (catalog-info.yaml, *.catalog.yaml, catalog/*.yaml, or [catalog] files in vigie.toml)";
        diags.push(Diagnostic::error(Code::NoCatalog, "", 0, msg));
    } else {
        let mut checked = catalog.check(&opts);
        // Errors first, then by file and line.
        checked.sort_by(|a, b| (a.severity, &a.file, a.line).cmp(&(b.severity, &b.file, b.line)));
        diags.extend(checked);
    }
    let errors = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let warnings = diags.len() - errors;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            let doc = serde_json::json!({
                "files": found.files.iter().map(|(p, _)| p).collect::<Vec<_>>(),
                "entities": catalog.entities.len(),
                "errors": errors,
                "warnings": warnings,
                "diagnostics": diags,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            let colour = stdout_colour();
            for d in &diags {
                let style = match d.severity {
                    Severity::Error => Style::Red,
                    Severity::Warning => Style::Yellow,
                };
                let text = crate::render::clean(&d.to_string()).into_owned();
                writeln!(out, "{}", paint(colour, style, &text))?;
            }
            writeln!(
                out,
                "{} entities in {} files: {errors} errors, {warnings} warnings",
                catalog.entities.len(),
                found.files.len()
            )?;
        }
    }
    out.flush()?;
    Ok(if errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn show(args: CatalogArgs) -> anyhow::Result<ExitCode> {
    let found = find(&args)?;
    let catalog = load(&found);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            let doc = serde_json::json!({
                "entities": catalog.entities,
                "relations": catalog.relations,
                "recordOfProcessing": catalog.record_of_processing(),
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            let mut t = Table::new([
                "ENTITY", "TITLE", "OWNERS", "SYSTEM", "CRIT", "EXPOSURE", "PD", "REPOS",
            ]);
            let clean = |s: String| crate::render::clean(&s).into_owned();
            for s in catalog.summaries() {
                let owners: Vec<String> = s.owners.iter().map(|o| o.to_string()).collect();
                t.row([
                    s.entity_ref.to_string(),
                    clean(s.title.unwrap_or_default()),
                    owners.join(", "),
                    s.system.map(|x| x.to_string()).unwrap_or_default(),
                    s.criticality.map(|c| c.0.to_string()).unwrap_or_default(),
                    s.exposure
                        .and_then(|e| serde_json::to_value(e).ok())
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    if s.personal_data { "yes" } else { "" }.to_owned(),
                    clean(s.repositories.join(", ")),
                ]);
            }
            t.write(&mut out)?;
        }
    }
    out.flush()?;
    let errors: Vec<&Diagnostic> = found
        .problems
        .iter()
        .chain(&catalog.diagnostics)
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !args.quiet {
        let colour = stderr_colour();
        for d in &errors {
            let text = crate::render::clean(&d.to_string()).into_owned();
            eprintln!("{}", paint(colour, Style::Red, &text));
        }
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
