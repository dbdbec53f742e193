//! `vigie scan`: one snapshot of the estate into the store (`vigie_app::scan`), its
//! diagnostics on standard error and its summary on standard output.

use std::io::Write;
use std::process::ExitCode;

use vigie_app::scan::{ScanRequest, scan};
use vigie_app::store::StoreLocation;

use crate::cli::{ListFormat, ScanArgs};
use crate::progress::Bars;
use crate::render::print_diagnostics;

pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let store = StoreLocation {
        db: args.db.clone(),
        data_dir: args.input.data.data_dir.clone(),
    };
    let bars = Bars::new(args.input.quiet);
    let outcome = scan(
        &ScanRequest {
            estate: args.checks.estate(&args.paths, &args.input),
            store: &store,
            label: args.label.clone(),
            keep: args.keep,
        },
        &bars,
    )?;
    if !args.input.quiet {
        for d in &outcome.catalog_diagnostics {
            eprintln!("{}", d.to_string().replace(|c: char| c.is_control(), "?"));
        }
    }
    let Some(summary) = &outcome.summary else {
        print_diagnostics(&outcome.walk_diagnostics);
        return Ok(ExitCode::from(2));
    };
    if !args.input.quiet {
        print_diagnostics(outcome.walk_diagnostics.iter().chain(&outcome.diagnostics));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, summary)?;
            writeln!(out)?;
        }
        ListFormat::Table => writeln!(
            out,
            "snapshot {} in {} ({:.1} MB): {} projects, {} components, {} findings, \
             {} catalog entities{}",
            summary.snapshot,
            summary.db,
            summary.db_bytes as f64 / 1e6,
            summary.projects,
            summary.components,
            summary.findings,
            summary.entities,
            if summary.pruned_snapshots > 0 {
                format!("; {} old snapshots deleted", summary.pruned_snapshots)
            } else {
                String::new()
            }
        )?,
    }
    out.flush()?;
    Ok(if outcome.partial() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
