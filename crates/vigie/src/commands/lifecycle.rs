//! `vigie lifecycle`: the end-of-life forecast of every platform in use.

use std::io::Write;
use std::process::ExitCode;

use rayon::prelude::*;
use vigie_lifecycle::{CycleMatch, DateOrBool, Forecast, Platform, Row};
use vigie_model::Diagnostic;

use crate::cli::{LifecycleCmdArgs, ListFormat};
use crate::progress::Bars;
use crate::render::{Style, Table, paint, stdout_colour};
use vigie_app::config::{Config, current_generation, lifecycle_policy, load_lifecycle};

pub fn run(args: LifecycleCmdArgs) -> anyhow::Result<ExitCode> {
    let first_dir = args.paths.first().filter(|p| p.is_dir());
    let config = Config::load(args.config.as_deref(), first_dir.map(|p| p.as_path()))?;
    let generation = current_generation(args.data.dir())?;
    let Some(knowledge) = load_lifecycle(&generation.index_dir())? else {
        anyhow::bail!(
            "the knowledge index has no endoflife.date data: run `vigie sync` \
             (or sync a mirror that has endoflife/products.tar.gz)"
        );
    };
    let policy = lifecycle_policy(&args.lifecycle.options(), &config)?;

    let mut platforms: Vec<Platform> = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let scanned = vigie_app::estate::scan(
        &args.paths,
        args.max_file_size,
        Some(vigie_audit::lifecycle::reads),
        &Bars::new(true),
        |projects| {
            let ctx = vigie_audit::lifecycle::LifecycleContext {
                knowledge: &knowledge,
                policy,
            };
            let results: Vec<_> = projects
                .par_iter()
                .map(|s| {
                    let files = vigie_export::json::component_files(&s.project);
                    vigie_audit::lifecycle::check(&ctx, &s.project, &files, &s.extras)
                })
                .collect();
            for (s, r) in projects.iter().zip(results) {
                platforms.extend(r.platforms);
                diagnostics.extend(s.project.diagnostics.iter().cloned());
                diagnostics.extend(r.diagnostics);
            }
            Ok(())
        },
    )?;
    if scanned.nothing {
        crate::render::print_diagnostics(&scanned.walk_diagnostics);
        return Ok(ExitCode::from(2));
    }
    let forecast = knowledge.forecast(&platforms, &policy, args.months);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &forecast)?;
            writeln!(out)?;
        }
        ListFormat::Table => write_table(&mut out, &forecast)?,
    }
    out.flush()?;
    if !args.quiet {
        crate::render::print_diagnostics(scanned.walk_diagnostics.iter().chain(&diagnostics));
    }
    Ok(if scanned.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn date(d: &Option<DateOrBool>) -> String {
    match d {
        Some(DateOrBool::Date(d)) => d.to_string(),
        Some(DateOrBool::Bool(true)) => "ended".to_owned(),
        Some(DateOrBool::Bool(false)) => "-".to_owned(),
        None => String::new(),
    }
}

fn cycle(r: &Row) -> String {
    match (&r.cycle, &r.cycle_label) {
        (_, Some(label)) => label.clone(),
        (CycleMatch::Cycle { name }, None) => name.clone(),
        (CycleMatch::Unpinned { .. }, None) => "(unpinned)".to_owned(),
        (CycleMatch::Unknown { .. }, None) => "(unknown cycle)".to_owned(),
    }
}

fn write_table(w: &mut impl Write, f: &Forecast) -> anyhow::Result<()> {
    let colour = stdout_colour();
    writeln!(
        w,
        "{}",
        paint(
            colour,
            Style::Bold,
            &format!("End-of-life forecast, {} to {}", f.from, f.until)
        )
    )?;
    let mut t = Table::new([
        "STATUS",
        "PRODUCT",
        "CYCLE",
        "ACTIVE UNTIL",
        "EOL",
        "EXTENDED",
        "PLACES",
        "MOVE TO",
    ]);
    for r in &f.rows {
        let status = serde_json::to_value(r.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let status = match r.status {
            vigie_lifecycle::Status::EndOfLife => paint(colour, Style::Red, &status),
            vigie_lifecycle::Status::ExtendedOnly | vigie_lifecycle::Status::SecurityOnly => {
                paint(colour, Style::Yellow, &status)
            }
            _ => status,
        };
        t.row([
            status,
            r.title.clone(),
            cycle(r),
            date(&r.eoas),
            date(&r.eol),
            date(&r.eoes),
            r.places.to_string(),
            r.target
                .as_ref()
                .map(|t| t.label.clone())
                .unwrap_or_default(),
        ]);
    }
    t.write(w)?;
    Ok(())
}
