//! Refreshing the knowledge: the feeds downloaded (or a local mirror taken as it is) and
//! compiled into a new generation of the data directory, then switched to atomically. A sync
//! that fails or is interrupted leaves the previous generation in use.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use vigie_knowledge::compile::{Manifest, compile_mirror};
use vigie_sync::{Feeds, Generation, Generations, Limits, download_mirror};

use crate::Progress;
use crate::config::{Config, data_dir};

/// Where the knowledge comes from.
#[derive(Clone, Debug, Default)]
pub struct SyncRequest {
    /// The data directory given, if any.
    pub data_dir: Option<PathBuf>,
    /// A mirror already on disk (air-gapped: the layout of the reference data) instead of
    /// downloading.
    pub mirror: Option<PathBuf>,
    /// One base URL for every feed instead of the configured ones.
    pub base_url: Option<String>,
    /// Only these OSV ecosystems (default: the configured ones).
    pub ecosystems: Vec<String>,
}

/// What a sync made.
pub struct SyncOutcome {
    /// The new current generation.
    pub generation: Generation,
    /// What its index holds, and what could not be read.
    pub manifest: Manifest,
    /// How long the sync took.
    pub elapsed: Duration,
}

/// Downloads (or takes the mirror), compiles, and switches to the new generation. Downloads
/// report to `download` file by file; the compile is a stage of `progress`.
pub fn sync(
    req: &SyncRequest,
    download: &dyn vigie_sync::Progress,
    progress: &dyn Progress,
) -> anyhow::Result<SyncOutcome> {
    let data = data_dir(req.data_dir.as_deref())?;
    std::fs::create_dir_all(&data)
        .with_context(|| format!("cannot create the data directory {}", data.display()))?;
    let generations = Generations::open(&data)
        .with_context(|| format!("cannot open the data directory {}", data.display()))?;
    let previous = generations.current()?;
    let partial = generations.begin()?;
    let started = std::time::Instant::now();

    let mirror = match &req.mirror {
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
            let mut feeds = match &req.base_url {
                Some(base) => Feeds::all_from(base, &[]),
                None => config.sync.unwrap_or_default(),
            };
            if !req.ecosystems.is_empty() {
                feeds.osv_ecosystems = req.ecosystems.clone();
            } else if req.base_url.is_some() {
                feeds.osv_ecosystems = Feeds::default().osv_ecosystems;
            }
            let sources = feeds.sources()?;
            let report = download_mirror(
                &sources,
                previous.as_ref().map(|g| g.mirror_dir()).as_deref(),
                &partial.mirror_dir(),
                &Limits::default(),
                download,
            );
            // On error the partial generation is dropped (and removed): the previous index
            // stays in use.
            report.context("download failed; the previous knowledge index stays in use")?;
            partial.mirror_dir()
        }
    };

    let index_dir = partial.index_dir();
    std::fs::create_dir_all(&index_dir)
        .with_context(|| format!("cannot create {}", index_dir.display()))?;
    progress.start("compiling the knowledge index", None);
    let now = jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let manifest = compile(&mirror, &index_dir, &now);
    progress.finish();
    let manifest = manifest?;
    let generation = partial.commit()?;
    let _ = generations.gc(2);
    Ok(SyncOutcome {
        generation,
        manifest,
        elapsed: started.elapsed(),
    })
}

fn compile(mirror: &Path, index_dir: &Path, now: &str) -> anyhow::Result<Manifest> {
    compile_mirror(mirror, index_dir, now)
        .with_context(|| format!("cannot compile the mirror {}", mirror.display()))
}
