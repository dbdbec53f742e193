//! `vigie sync`: the core's sync (`vigie_app::sync`: the feeds downloaded, or a local mirror
//! taken, compiled into a new generation), with a bar per downloaded file and the table of
//! what the index holds.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use vigie_app::admin::knowledge::KnowledgeStatus;
use vigie_app::sync::{SyncOutcome, SyncRequest};
use vigie_knowledge::compile::Manifest;
use vigie_sync::{Outcome, Progress};

use crate::cli::{ListFormat, SyncArgs};
use crate::progress::Bars;
use crate::render::{Table, clean};

pub fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    // Resolved first: a store that cannot be named fails before the download.
    let store = args.store.location()?;
    let download = BarProgress::new(args.quiet);
    let outcome = vigie_app::sync::sync(
        &SyncRequest {
            data_dir: args.store.data.data_dir.clone(),
            mirror: args.mirror.clone(),
            base_url: args.base_url.clone(),
            ecosystems: args.ecosystems.clone(),
            allow_partial: args.allow_partial,
        },
        &download,
        &Bars::drawn(!args.quiet),
    );
    download.done();
    let SyncOutcome {
        generation,
        manifest,
        elapsed,
        shortfall,
    } = outcome?;
    let status = coverage_status(&store, args.store.data.dir())?;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let value = serde_json::json!({
                "generation": generation.id(),
                "index": generation.index_dir(),
                "seconds": elapsed.as_secs_f64(),
                "manifest": manifest,
                "failed": shortfall.failed.iter().map(|f| serde_json::json!({
                    "source": f.source, "file": f.file, "reason": f.reason,
                })).collect::<Vec<_>>(),
                "ecosystems": status.index.as_ref().map(|i| &i.ecosystems),
                "coverage": status.coverage,
                "dropped": shortfall.dropped.iter().map(|d| serde_json::json!({
                    "source": d.source, "file": d.file,
                })).collect::<Vec<_>>(),
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            print_table(&mut out, &manifest)?;
            print_coverage(&mut out, &status)?;
        }
    }
    if !args.quiet {
        // Only with --allow-partial: a sync that lacks a source is otherwise refused.
        for f in &shortfall.failed {
            eprintln!(
                "vigie: warning: {}: {}: not read, the index lacks it: {}",
                f.source,
                crate::render::clean(&f.file),
                crate::render::clean(&f.reason)
            );
        }
        for d in &shortfall.dropped {
            eprintln!(
                "vigie: warning: {}: held by the previous index ({}), absent from this sync: \
                 the index lacks it",
                d.source,
                crate::render::clean(&d.file)
            );
        }
        for s in &manifest.sources {
            for p in &s.problems {
                eprintln!("vigie: warning: {}: {}", s.path, crate::render::clean(p));
            }
        }
        eprintln!(
            "knowledge index {} ready in {:.1} s ({})",
            generation.id(),
            elapsed.as_secs_f64(),
            generation.index_dir().display()
        );
    }
    Ok(if !shortfall.failed.is_empty() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_table(out: &mut impl Write, m: &Manifest) -> anyhow::Result<()> {
    let mut t = Table::new(["SOURCE", "RECORDS", "INVALID", "REFUSED", "STATUS"]);
    for s in &m.sources {
        t.row([
            s.path.clone(),
            s.records.to_string(),
            s.invalid.to_string(),
            s.refused.to_string(),
            s.error.clone().unwrap_or_else(|| "ok".to_owned()),
        ]);
    }
    t.write(out)?;
    writeln!(
        out,
        "\n{} advisories ({} withdrawn, {} merged duplicates) on {} packages; \
         {} known exploited (CISA KEV, {} entries)",
        m.advisories, m.withdrawn, m.duplicates, m.packages, m.known_exploited, m.kev_entries
    )?;
    Ok(())
}

/// The ecosystems the new index holds advisories for, and those the store's latest snapshot
/// uses that it holds none for (nothing about the store when there is none).
fn print_coverage(out: &mut impl Write, status: &KnowledgeStatus) -> anyhow::Result<()> {
    let Some(index) = &status.index else {
        return Ok(());
    };
    let found: Vec<String> = index
        .ecosystems
        .iter()
        .map(|e| format!("{} ({})", clean(&e.ecosystem), e.advisories))
        .collect();
    writeln!(out, "advisories per ecosystem: {}", found.join(", "))?;
    if let Some(lacking) = crate::render::coverage_gaps(&status.coverage) {
        writeln!(
            out,
            "the estate's latest snapshot also uses, with no advisory source in this index: \
             {lacking}"
        )?;
    }
    Ok(())
}

/// The new index, and the coverage of the store's latest snapshot when there is a store.
fn coverage_status(
    store: &vigie_app::store::StoreLocation,
    data_dir: Option<&std::path::Path>,
) -> anyhow::Result<KnowledgeStatus> {
    Ok(match store.open_read_only_if_any()? {
        Some(store) => vigie_app::admin::knowledge::status(&*store, data_dir)?,
        None => KnowledgeStatus {
            index: vigie_app::admin::knowledge::index_status(data_dir)?,
            coverage: Vec::new(),
        },
    })
}

/// Download progress: one bar per file on a terminal, nothing when piped.
struct BarProgress {
    bar: Mutex<Option<ProgressBar>>,
    quiet: bool,
}

impl BarProgress {
    fn new(quiet: bool) -> BarProgress {
        BarProgress {
            bar: Mutex::new(None),
            quiet,
        }
    }

    fn done(&self) {
        if let Ok(mut b) = self.bar.lock()
            && let Some(bar) = b.take()
        {
            bar.finish_and_clear();
        }
    }
}

impl Progress for BarProgress {
    fn start(&self, path: &str, total: Option<u64>) {
        if self.quiet {
            return;
        }
        let bar = match total {
            Some(n) => ProgressBar::new(n).with_style(
                ProgressStyle::with_template(
                    "{msg:40} {bar:30} {bytes}/{total_bytes} {bytes_per_sec}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
            ),
            None => ProgressBar::new_spinner(),
        };
        bar.set_message(path.to_owned());
        if let Ok(mut b) = self.bar.lock() {
            *b = Some(bar);
        }
    }

    fn advance(&self, bytes: u64) {
        if let Ok(b) = self.bar.lock()
            && let Some(bar) = b.as_ref()
        {
            bar.inc(bytes);
        }
    }

    fn finish(&self, path: &str, outcome: Outcome) {
        self.done();
        if !self.quiet && outcome == Outcome::Failed {
            eprintln!("vigie: {path}: download failed");
        }
    }
}
