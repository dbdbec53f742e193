//! A whole store copied into an empty one, whatever the backend of each (`vigie store copy`:
//! SQLite to PostgreSQL, back, or file to file): the source, opened to read, exports into one
//! end of a pipe on its own thread while the destination imports from the other end, so the
//! document is never held whole. What is copied is what an export holds: the snapshots and
//! the triage decisions (users, tokens, sessions and the audit log are not).
//!
//! The destination must be empty (the import refuses any other, untouched) and is filled in
//! one transaction: a copy that fails, on either side, leaves it empty.

use std::io::{BufReader, BufWriter, ErrorKind, Read, Write};

use anyhow::Context;
use serde::Serialize;
use vigie_store::{Location, Mode, Store, StoreStats};

use crate::Progress;

/// Bytes buffered on each side of the pipe.
const BUFFER: usize = 1 << 16;

/// What a copy stored.
#[derive(Clone, Debug, Serialize)]
pub struct CopySummary {
    /// The store copied, as it may be printed (a URL without its password).
    pub from: String,
    /// Its backend (`sqlite`, `postgresql`).
    pub from_backend: &'static str,
    /// The store written, as it may be printed.
    pub to: String,
    /// Its backend.
    pub to_backend: &'static str,
    /// Snapshots copied.
    pub snapshots: u64,
    /// Components of every project of every snapshot copied.
    pub components: u64,
    /// Findings of every project of every snapshot copied.
    pub findings: u64,
    /// Triage decisions copied.
    pub triage_records: u64,
    /// Size of the export streamed from one store to the other, in bytes.
    pub streamed_bytes: u64,
    /// Size of the copy, in bytes (as `stats` counts it).
    pub bytes: u64,
}

/// Copies the whole store at `from` into the empty store at `to` (created when it is a file
/// that does not exist), then checks that the copy holds as many snapshots, components,
/// findings and triage decisions as the source.
pub fn copy(
    from: &Location,
    to: &Location,
    progress: &dyn Progress,
) -> anyhow::Result<CopySummary> {
    let source = super::open_at(from, Mode::ReadOnly)?;
    // Counted in the source's one read transaction: what the export writes.
    let held = source.stats().with_context(|| format!("store {from}"))?;
    let mut dest = super::open_at(to, Mode::ReadWrite)?;
    progress.start("copy", None);
    let streamed = stream(source, &mut *dest, progress);
    progress.finish();
    // Messages, not error chains: an error of the pipe itself must not pass for a closed
    // standard output, which the front treats as success.
    let streamed_bytes = match streamed {
        Ok(bytes) => bytes,
        Err(Failure::Read(e)) => anyhow::bail!(
            "cannot read {from}: {:#}; nothing was copied into {to}",
            anyhow::Error::new(e)
        ),
        Err(Failure::Write(vigie_store::Error::NotEmpty(n))) => anyhow::bail!(
            "{to} is not empty (it holds {n} snapshot(s) or triage records): a store is copied \
             into an empty one only; nothing was written into it"
        ),
        Err(Failure::Write(e)) => anyhow::bail!(
            "cannot copy into {to}: {:#}; nothing was copied into it",
            anyhow::Error::new(e)
        ),
        Err(Failure::Panicked) => {
            anyhow::bail!("the export of {from} stopped on a panic; nothing was copied into {to}")
        }
    };
    dest.checkpoint().with_context(|| format!("store {to}"))?;
    let copied = dest.stats().with_context(|| format!("store {to}"))?;
    let counts = |s: &StoreStats| (s.snapshots, s.components, s.findings, s.triage_records);
    if counts(&copied) != counts(&held) {
        anyhow::bail!(
            "the copy in {to} does not hold what {from} holds (snapshots, components, findings, \
             triage decisions): {:?} against {:?}",
            counts(&copied),
            counts(&held)
        );
    }
    Ok(CopySummary {
        from: from.to_string(),
        from_backend: from.backend(),
        to: to.to_string(),
        to_backend: to.backend(),
        snapshots: copied.snapshots,
        components: copied.components,
        findings: copied.findings,
        triage_records: copied.triage_records,
        streamed_bytes,
        bytes: copied.bytes,
    })
}

/// Why the stream stopped.
enum Failure {
    /// The source's export failed (not because the destination stopped reading).
    Read(vigie_store::Error),
    /// The destination's import failed or refused.
    Write(vigie_store::Error),
    /// The export's thread panicked (a bug).
    Panicked,
}

/// The export of `source` (moved to its own thread, which drops it when done) imported into
/// `dest` through a pipe; the bytes streamed.
fn stream(
    source: Box<dyn Store>,
    dest: &mut dyn Store,
    progress: &dyn Progress,
) -> Result<u64, Failure> {
    let (reader, writer) = std::io::pipe().map_err(|e| Failure::Write(e.into()))?;
    std::thread::scope(|scope| {
        let exporter = scope.spawn(move || -> vigie_store::Result<()> {
            let mut out = BufWriter::with_capacity(BUFFER, writer);
            source.export(&mut out)?;
            out.flush()?;
            Ok(())
        });
        let mut input = BufReader::with_capacity(
            BUFFER,
            Counted {
                inner: reader,
                bytes: 0,
                progress,
            },
        );
        let imported = dest.import(&mut input);
        let bytes = input.get_ref().bytes;
        // The reading end is closed before the exporter is waited for: an export still
        // writing (the import refused or failed) then stops on the closed pipe instead of
        // waiting forever for room in it.
        drop(input);
        let exported = exporter.join().map_err(|_| Failure::Panicked)?;
        match (exported, imported) {
            (Ok(()), Ok(())) => Ok(bytes),
            (Err(e), _) if !closed_pipe(&e) => Err(Failure::Read(e)),
            (_, Err(e)) => Err(Failure::Write(e)),
            (Err(e), Ok(())) => Err(Failure::Read(e)),
        }
    })
}

/// True when the export failed only because the import stopped reading.
fn closed_pipe(e: &vigie_store::Error) -> bool {
    match e {
        vigie_store::Error::Io(io) => io.kind() == ErrorKind::BrokenPipe,
        vigie_store::Error::Json(j) => j.io_error_kind() == Some(ErrorKind::BrokenPipe),
        _ => false,
    }
}

/// The pipe's reading end, counting the bytes through it for the progress and the summary.
struct Counted<'a, R> {
    inner: R,
    bytes: u64,
    progress: &'a dyn Progress,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        self.progress.advance(n as u64);
        Ok(n)
    }
}
