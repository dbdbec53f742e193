//! Refreshing the knowledge: the feeds downloaded (or a local mirror taken as it is) and
//! compiled into a new generation of the data directory, then switched to atomically.
//!
//! A sync never makes the knowledge poorer without saying so and refusing to switch. The new
//! generation becomes current only when
//! - every source it holds compiled: a file of the mirror (or a download) that cannot be read
//!   at all is a *failed* source. Records that do not parse and archive entries refused are
//!   counted in the manifest, as ever: they do not fail their source;
//! - it holds every source that the generation in use holds: a source compiled there and
//!   absent here (a mirror without `kev/`, `--ecosystem` narrowing the feeds, an optional
//!   feed gone) is a *dropped* source. A source absent from both is no loss.
//!
//! Otherwise the sync fails with [`SyncRefused`], naming each source, its file and why; the
//! generation in use stays current, untouched, and the new one is removed.
//! [`SyncRequest::allow_partial`] (`vigie sync --allow-partial`) switches anyway and gives
//! the same list in [`SyncOutcome::shortfall`]; an interrupted sync switches nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use vigie_knowledge::compile::{Manifest, compile_mirror, read_manifest, source_name};
use vigie_sync::{Feeds, Generation, Generations, Limits, SyncError, download_mirror};

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
    /// Switch to the new generation even when it lacks sources (failed, or held by the
    /// generation in use and absent here); they are listed in [`SyncOutcome::shortfall`].
    pub allow_partial: bool,
}

/// What a sync made.
pub struct SyncOutcome {
    /// The new current generation.
    pub generation: Generation,
    /// What its index holds, and what could not be read.
    pub manifest: Manifest,
    /// How long the sync took.
    pub elapsed: Duration,
    /// The sources it lacks, accepted by [`SyncRequest::allow_partial`] (else empty).
    pub shortfall: Shortfall,
}

/// The sources of knowledge a new generation lacks.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shortfall {
    /// Sources that could not be downloaded or compiled.
    pub failed: Vec<FailedSource>,
    /// Sources the generation in use holds and this sync did not find at all.
    pub dropped: Vec<DroppedSource>,
}

impl Shortfall {
    /// Whether nothing is lacking.
    pub fn is_empty(&self) -> bool {
        self.failed.is_empty() && self.dropped.is_empty()
    }
}

/// A source that could not be downloaded or compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedSource {
    /// The knowledge it holds (`OSV crates.io`, `CISA KEV`, see
    /// [`vigie_knowledge::compile::source_name`]).
    pub source: String,
    /// The file: its path in a local mirror, or its mirror path and URL when downloaded.
    pub file: String,
    /// Why it failed.
    pub reason: String,
}

/// A source that the generation in use holds and the new one does not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DroppedSource {
    /// The knowledge (as [`FailedSource::source`]).
    pub source: String,
    /// The file it came from in the generation in use (its path in that mirror).
    pub file: String,
}

/// A sync refused because its new generation would lack sources: the generation in use
/// (if any) stays current and the new one is removed.
#[derive(Debug)]
pub struct SyncRefused {
    /// What the new generation lacks.
    pub shortfall: Shortfall,
    /// The id of the generation that stays in use, if there is one.
    pub kept: Option<String>,
}

impl fmt::Display for SyncRefused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let clean = |s: &str| vigie_model::text::printable(s).into_owned();
        let n = self.shortfall.failed.len() + self.shortfall.dropped.len();
        write!(
            f,
            "sync refused: the new knowledge index would lack {n} source{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for s in &self.shortfall.failed {
            write!(
                f,
                "\n  {}: {}: {}",
                s.source,
                clean(&s.file),
                clean(&s.reason)
            )?;
        }
        for s in &self.shortfall.dropped {
            write!(
                f,
                "\n  {}: held by the index in use ({}), absent from this sync",
                s.source,
                clean(&s.file)
            )?;
        }
        match &self.kept {
            Some(id) => write!(
                f,
                "\nthe knowledge index {id} stays in use and the new one is removed"
            )?,
            None => write!(f, "\nno knowledge index was made")?,
        }
        write!(
            f,
            "; `vigie sync --allow-partial` accepts an index without these sources"
        )
    }
}

impl std::error::Error for SyncRefused {}

/// Downloads (or takes the mirror), compiles, and switches to the new generation when it
/// lacks no source (see the module's documentation). Downloads report to `download` file by
/// file; the compile is a stage of `progress`.
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
    // Dropped on any early return: the new generation is then removed, CURRENT untouched.
    let partial = generations.begin()?;
    let started = std::time::Instant::now();
    let kept = previous.as_ref().map(|g| g.id().to_owned());
    let refuse = |shortfall: Shortfall| SyncRefused {
        shortfall,
        kept: kept.clone(),
    };

    let mut failed = Vec::new();
    // Where each mirror file was named from: its path in a local mirror, or its URL.
    let (mirror, urls) = match &req.mirror {
        Some(dir) => {
            if !dir.join("osv").is_dir() {
                anyhow::bail!(
                    "{}: not a mirror (no osv/ folder; see PRODUCT.md, \"The offline mirror\")",
                    dir.display()
                );
            }
            (dir.clone(), None)
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
            let previous_mirror = previous.as_ref().map(|g| g.mirror_dir());
            let limits = Limits::default();
            if req.allow_partial {
                // One source at a time, so that one failure does not stop the others.
                for source in sources.chunks(1) {
                    let got = download_mirror(
                        source,
                        previous_mirror.as_deref(),
                        &partial.mirror_dir(),
                        &limits,
                        download,
                    );
                    if let Err(e) = got {
                        failed.push(download_failure(&e));
                    }
                }
            } else {
                // The first failure stops the download: the sync is refused anyway.
                let got = download_mirror(
                    &sources,
                    previous_mirror.as_deref(),
                    &partial.mirror_dir(),
                    &limits,
                    download,
                );
                if let Err(e) = got {
                    return Err(refuse(Shortfall {
                        failed: vec![download_failure(&e)],
                        dropped: Vec::new(),
                    })
                    .into());
                }
            }
            let urls: BTreeMap<String, String> = sources
                .iter()
                .map(|s| (s.path().to_owned(), s.url().to_owned()))
                .collect();
            (partial.mirror_dir(), Some(urls))
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

    for s in &manifest.sources {
        if let Some(reason) = &s.error {
            let file = match &urls {
                Some(urls) => match urls.get(&s.path) {
                    Some(url) => format!("{} ({url})", s.path),
                    None => s.path.clone(),
                },
                None => mirror.join(&s.path).display().to_string(),
            };
            failed.push(FailedSource {
                source: s.source(),
                file,
                reason: reason.clone(),
            });
        }
    }
    let dropped = match &previous {
        Some(g) => match dropped_sources(&g.index_dir(), &manifest, &failed) {
            Some(dropped) => dropped,
            None if req.allow_partial => Vec::new(),
            None => anyhow::bail!(
                "cannot read {}: what the knowledge index in use holds is unknown, so it \
                 stays in use (`vigie sync --allow-partial` replaces it)",
                g.index_dir()
                    .join(vigie_knowledge::compile::MANIFEST_FILE)
                    .display()
            ),
        },
        None => Vec::new(),
    };
    let shortfall = Shortfall { failed, dropped };
    if !shortfall.is_empty() && !req.allow_partial {
        return Err(refuse(shortfall).into());
    }
    let generation = partial.commit()?;
    let _ = generations.gc(2);
    Ok(SyncOutcome {
        generation,
        manifest,
        elapsed: started.elapsed(),
        shortfall,
    })
}

/// A download that failed, as a failed source.
fn download_failure(e: &SyncError) -> FailedSource {
    FailedSource {
        source: source_name(&e.path),
        file: format!("{} ({})", e.path, e.url),
        reason: e.failure.to_string(),
    }
}

/// The sources the index in `previous_index` compiled that `manifest` does not hold at all
/// (neither compiled nor `failed`); `None` when its manifest cannot be read (what it holds
/// is then unknown, and nothing may replace it silently).
fn dropped_sources(
    previous_index: &Path,
    manifest: &Manifest,
    failed: &[FailedSource],
) -> Option<Vec<DroppedSource>> {
    let held = read_manifest(previous_index)?;
    let now: BTreeSet<String> = manifest
        .sources
        .iter()
        .map(|s| s.source())
        .chain(failed.iter().map(|f| f.source.clone()))
        .collect();
    let mut dropped: Vec<DroppedSource> = Vec::new();
    for s in held.sources.iter().filter(|s| s.error.is_none()) {
        let source = s.source();
        if !now.contains(&source) && !dropped.iter().any(|d| d.source == source) {
            dropped.push(DroppedSource {
                source,
                file: s.path.clone(),
            });
        }
    }
    Some(dropped)
}

fn compile(mirror: &Path, index_dir: &Path, now: &str) -> anyhow::Result<Manifest> {
    compile_mirror(mirror, index_dir, now)
        .with_context(|| format!("cannot compile the mirror {}", mirror.display()))
}
