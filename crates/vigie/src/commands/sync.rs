//! `vigie sync`: download the feeds (or take a local mirror) and compile the
//! knowledge index into a new generation, then switch to it atomically.

use std::io::Write;
use std::process::ExitCode;
use std::sync::Mutex;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use vigie_knowledge::compile::{Manifest, compile_mirror};
use vigie_sync::{Feeds, Generations, Limits, Outcome, Progress, download_mirror};

use crate::cli::{ListFormat, SyncArgs};
use crate::render::Table;
use vigie_app::config::{Config, data_dir};

pub fn run(args: SyncArgs) -> anyhow::Result<ExitCode> {
    let data = data_dir(args.data.dir())?;
    std::fs::create_dir_all(&data)
        .with_context(|| format!("cannot create the data directory {}", data.display()))?;
    let generations = Generations::open(&data)
        .with_context(|| format!("cannot open the data directory {}", data.display()))?;
    let previous = generations.current()?;
    let partial = generations.begin()?;
    let started = std::time::Instant::now();

    let mirror = match &args.mirror {
        Some(dir) => {
            if !dir.join("osv").is_dir() {
                anyhow::bail!(
                    "{}: not a mirror (no osv/ folder; see PRODUCT.md, \"The offline mirror\")",
                    dir.display()
                );
            }
            dir.clone()
        }
        None => {
            let config = Config::load(None, None)?;
            let mut feeds = match &args.base_url {
                Some(base) => Feeds::all_from(base, &[]),
                None => config.sync.unwrap_or_default(),
            };
            if !args.ecosystems.is_empty() {
                feeds.osv_ecosystems = args.ecosystems.clone();
            } else if args.base_url.is_some() {
                feeds.osv_ecosystems = Feeds::default().osv_ecosystems;
            }
            let sources = feeds.sources()?;
            let progress = BarProgress::new(args.quiet);
            let report = download_mirror(
                &sources,
                previous.as_ref().map(|g| g.mirror_dir()).as_deref(),
                &partial.mirror_dir(),
                &Limits::default(),
                &progress,
            );
            progress.done();
            // On error the partial generation is dropped (and removed): the
            // previous index stays in use.
            report.context("download failed; the previous knowledge index stays in use")?;
            partial.mirror_dir()
        }
    };

    let index_dir = partial.index_dir();
    std::fs::create_dir_all(&index_dir)
        .with_context(|| format!("cannot create {}", index_dir.display()))?;
    let spinner = if args.quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new_spinner().with_message("compiling the knowledge index")
    };
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    let now = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let manifest = compile_mirror(&mirror, &index_dir, &now)
        .with_context(|| format!("cannot compile the mirror {}", mirror.display()))?;
    spinner.finish_and_clear();
    let generation = partial.commit()?;
    let _ = generations.gc(2);

    let elapsed = started.elapsed();
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let value = serde_json::json!({
                "generation": generation.id(),
                "index": generation.index_dir(),
                "seconds": elapsed.as_secs_f64(),
                "manifest": manifest,
            });
            serde_json::to_writer_pretty(&mut out, &value)?;
            writeln!(out)?;
        }
        ListFormat::Table => print_table(&mut out, &manifest)?,
    }
    if !args.quiet {
        for s in &manifest.sources {
            if let Some(e) = &s.error {
                eprintln!("vigie: warning: {}: not read: {e}", s.path);
            }
            for p in &s.problems {
                eprintln!(
                    "vigie: warning: {}: {}",
                    s.path,
                    p.replace(char::is_control, "?")
                );
            }
        }
        eprintln!(
            "knowledge index {} ready in {:.1} s ({})",
            generation.id(),
            elapsed.as_secs_f64(),
            generation.index_dir().display()
        );
    }
    Ok(if manifest.sources.iter().any(|s| s.error.is_some()) {
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
