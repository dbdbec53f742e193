//! `vigie catalog check` and `vigie catalog show`: find the catalog files
//! (in the scanned folders and `[catalog] files` of vigie.toml), read them,
//! and print the diagnostics or the resolved catalog.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use vigie_catalog::{Catalog, CheckOptions, Diagnostic, Severity, is_catalog_file};

use crate::cli::{CatalogArgs, CatalogCommand, ListFormat};
use crate::render::{Style, Table, paint, stderr_colour, stdout_colour};
use crate::settings::Config;

/// The catalog files and projects found, read.
pub(crate) struct Found {
    /// (display path, text) of every catalog file read.
    pub files: Vec<(String, String)>,
    /// Inventory project folders (display paths).
    pub projects: Vec<String>,
    /// Files that could not be read, and missing roots.
    pub problems: Vec<Diagnostic>,
}

pub fn run(cmd: CatalogCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        CatalogCommand::Check(args) => check(args),
        CatalogCommand::Show(args) => show(args),
    }
}

fn yaml_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".yaml") || n.ends_with(".yml")
}

pub(crate) fn find(args: &CatalogArgs) -> anyhow::Result<Found> {
    let first_dir = args.paths.first().filter(|p| p.is_dir());
    let config = Config::load(args.config.as_deref(), first_dir.map(|p| p.as_path()))?;
    let (dirs, walk_diags) = vigie_discovery::walk_with(&args.paths, Some(yaml_name));
    let mut found = Found {
        files: Vec::new(),
        projects: Vec::new(),
        problems: Vec::new(),
    };
    for d in walk_diags {
        let code = match d.code.as_str() {
            "missing-root" => "missing-root",
            _ => "walk-error",
        };
        let line = d.line.unwrap_or(0);
        found
            .problems
            .push(Diagnostic::error(code, &d.file, line, d.message));
    }
    let mut paths: Vec<String> = Vec::new();
    for d in &dirs {
        if !d.files.is_empty() {
            found.projects.push(d.path.clone());
        }
        paths.extend(d.extras.iter().filter(|p| is_catalog_file(p)).cloned());
    }
    let base: PathBuf = match &args.config {
        Some(c) => c.parent().map(Path::to_path_buf).unwrap_or_default(),
        None => first_dir.cloned().unwrap_or_default(),
    };
    let walked = paths.len();
    for f in &config.catalog.files {
        let p = base.join(f).to_string_lossy().into_owned();
        let p = p.strip_prefix("./").unwrap_or(&p).to_owned();
        if !paths.contains(&p) {
            paths.push(p);
        }
    }
    for (i, p) in paths.into_iter().enumerate() {
        match read(&p) {
            // A YAML file of a `catalog/` folder that names no catalog
            // apiVersion is someone else's data; files listed in vigie.toml
            // are always read.
            Ok(text) if i < walked && !vigie_catalog::looks_like_catalog(&p, &text) => {}
            Ok(text) => found.files.push((p, text)),
            Err(e) => found.problems.push(Diagnostic::error(
                "unreadable-file",
                &p,
                0,
                format!("{e:#}"),
            )),
        }
    }
    Ok(found)
}

fn read(path: &str) -> anyhow::Result<String> {
    let meta = std::fs::metadata(path).context("cannot read")?;
    let max = vigie_catalog::node::MAX_FILE_BYTES as u64;
    if meta.len() > max {
        anyhow::bail!("file of {} bytes is over the {max}-byte limit", meta.len());
    }
    let bytes = std::fs::read(path).context("cannot read")?;
    String::from_utf8(bytes).context("not UTF-8")
}

pub(crate) fn load(found: &Found) -> Catalog {
    vigie_catalog::load(found.files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

fn check(args: CatalogArgs) -> anyhow::Result<ExitCode> {
    let today = crate::settings::today(args.today.as_deref())?;
    let found = find(&args)?;
    let catalog = load(&found);
    let mut opts = CheckOptions::new(today);
    opts.projects = found.projects.clone();
    let mut diags = found.problems.clone();
    if found.files.is_empty() {
        let msg = "no catalog files found (catalog-info.yaml, *.catalog.yaml, catalog/*.yaml, or [catalog] files in vigie.toml)";
        diags.push(Diagnostic::error("no-catalog", "", 0, msg));
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
                let text = d.to_string().replace(|c: char| c.is_control(), "?");
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
            let clean = |s: String| s.replace(|c: char| c.is_control(), "?");
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
            let text = d.to_string().replace(|c: char| c.is_control(), "?");
            eprintln!("{}", paint(colour, Style::Red, &text));
        }
    }
    Ok(if errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}
