//! `vigie scan`: one snapshot of the estate into the store (`vigie_app::scan`), its
//! diagnostics on standard error and its summary on standard output; with `--push URL`, the
//! inventory sent to a vigie server instead (`vigie_app::ingest::push`).

use std::io::Write;
use std::process::ExitCode;

use vigie_app::scan::{ScanRequest, scan};
use vigie_app::store::StoreLocation;

use crate::cli::{ListFormat, ScanArgs};
use crate::progress::Bars;
use crate::render::print_diagnostics;

pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    if let Some(url) = &args.push {
        return push(&args, url);
    }
    let bars = Bars::new(args.input.quiet);
    // Named as the catalog names them (`a/../a` is `a`); a folder that does not exist is
    // left as given, for the walk to report it and scan the others.
    let paths: Vec<_> = args
        .paths
        .iter()
        .map(|p| vigie_app::estate::scan_root(p).unwrap_or_else(|_| p.clone()))
        .collect();
    let estate = args.checks.estate(&paths, &args.input);
    let store = StoreLocation::new(
        args.db.given()?,
        &estate.config()?,
        args.input.data.data_dir.clone(),
    )?;
    let outcome = scan(
        &ScanRequest {
            estate,
            store: &store,
            label: args.label.clone(),
            keep: args.keep,
        },
        &bars,
    )?;
    if !args.input.quiet {
        for d in &outcome.catalog_diagnostics {
            eprintln!("{}", crate::render::clean(&d.to_string()));
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
             {} catalog entities{}{}",
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
            },
            if summary.pushed_kept > 0 {
                format!("; {} projects pushed by CI kept", summary.pushed_kept)
            } else {
                String::new()
            }
        )?,
    }
    if args.format == ListFormat::Table
        && let Some(gaps) =
            vigie_export::audit::uncovered_sentence(&summary.uncovered, &Default::default())
    {
        writeln!(out, "{gaps}")?;
    }
    out.flush()?;
    Ok(if outcome.partial() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

/// `vigie scan --push URL`: read, send, print the server's answer. Nothing is stored here.
fn push(args: &ScanArgs, url: &str) -> anyhow::Result<ExitCode> {
    use vigie_app::ingest::push::{PushRequest, document, send};
    let token = std::env::var("VIGIE_TOKEN")
        .ok()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| {
            anyhow::anyhow!("--push needs a token with the ingest scope in VIGIE_TOKEN")
        })?;
    let commit = args.commit.clone().or_else(|| {
        ["GITHUB_SHA", "CI_COMMIT_SHA", "BUILD_SOURCEVERSION"]
            .iter()
            .find_map(|v| std::env::var(v).ok().filter(|s| !s.is_empty()))
    });
    let bars = Bars::new(args.input.quiet);
    let (doc, scanned) = document(
        &PushRequest {
            paths: &args.paths,
            project: args.project.as_deref(),
            commit,
            max_file_size: args.input.max_file_size,
        },
        &bars,
    )?;
    if !args.input.quiet {
        print_diagnostics(&scanned.walk_diagnostics);
    }
    if doc.projects.is_empty() {
        anyhow::bail!("nothing to push: no project found under the folders given");
    }
    let answer = send(url, token.trim(), &doc)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &answer)?;
            writeln!(out)?;
        }
        ListFormat::Table => writeln!(
            out,
            "{} snapshot {} on {}: {} projects, {} components, {}",
            if answer.created {
                "stored as"
            } else {
                "already stored in"
            },
            answer.snapshot,
            vigie_app::ingest::push::endpoint(url),
            answer.projects,
            answer.components,
            if answer.checked {
                format!("{} findings", answer.findings)
            } else {
                "no checks ran (the server has no knowledge index yet)".to_owned()
            }
        )?,
    }
    out.flush()?;
    Ok(if scanned.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
