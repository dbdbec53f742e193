//! Downloads the public feeds into a local mirror, one generation at a time, and switches to a
//! new generation atomically.
//!
//! # Data directory layout
//!
//! ```text
//! <data>/generations/<id>/mirror/...   the mirror as downloaded (the layout of shared/data:
//!                                      osv/<Ecosystem>/all.zip, endoflife/*.tar.gz, spdx/*.json,
//!                                      kev/known_exploited_vulnerabilities.json)
//! <data>/generations/<id>/mirror/.sync/<path>.json
//!                                      what was fetched for <path>: url, ETag, Last-Modified,
//!                                      size, SHA-256, when (see [`FileMeta`])
//! <data>/generations/<id>/index/...    written by the caller: the compiled knowledge index
//! <data>/generations/<id>.partial/     a generation being built; never read
//! <data>/CURRENT                       one line: the id of the generation in use
//!                                      (written to a temporary file, then renamed)
//! <data>/sync.lock                     held (advisory lock) while a generation is built or
//!                                      collected, so two syncs never race
//! ```
//!
//! An id is `YYYYMMDDTHHMMSSmmmZ-xxxxxxxx` (UTC time to the millisecond, then 8 random hex
//! digits), so ids sort by time. Readers only ever follow `CURRENT`, which names a complete
//! generation: a sync that fails leaves `CURRENT` and the generation it names untouched.
//! Whether a complete new generation may replace the current one (every source compiled,
//! none that the current one holds dropped) is the caller's decision before
//! [`PartialGeneration::commit`] (`vigie_app::sync`).
//!
//! # A sync
//!
//! ```no_run
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use vigie_sync::{Feeds, Generations, Limits, NoProgress, download_mirror};
//!
//! let generations = Generations::open("/var/lib/vigie")?;
//! let previous = generations.current()?;
//! let partial = generations.begin()?;
//! let sources = Feeds::default().sources()?;
//! download_mirror(
//!     &sources,
//!     previous.as_ref().map(|g| g.mirror_dir()).as_deref(),
//!     &partial.mirror_dir(),
//!     &Limits::default(),
//!     &NoProgress,
//! )?; // on error, `partial` is dropped and removed; the previous generation stays in use
//! // ... compile the index into partial.index_dir() ...
//! let generation = partial.commit()?;
//! generations.gc(2)?;
//! # let _ = generation; Ok(()) }
//! ```
//!
//! Each file is fetched with `If-None-Match` / `If-Modified-Since` taken from the previous
//! generation's metadata; a `304 Not Modified` hard-links the previous file (or copies it where
//! links are impossible). Each new body is streamed to a temporary file, checked (length, zip
//! central directory, gzip stream, JSON syntax) and only then renamed into place.

mod download;
mod error;
mod feeds;
mod fsutil;
mod generations;
mod meta;
mod progress;
mod validate;

pub use download::{DownloadReport, FileReport, Limits, download_mirror};
pub use error::{Failure, GenerationError, SyncError};
pub use feeds::{DEFAULT_OSV_ECOSYSTEMS, Feeds, Format, NATIVE, Source};
pub use generations::{GcReport, Generation, Generations, PartialGeneration};
pub use meta::FileMeta;
pub use progress::{NoProgress, Outcome, Progress};
