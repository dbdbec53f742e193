//! Reading an estate: the walk, then the projects a chunk at a time, in
//! parallel, handed to the caller and dropped (bounded memory). Shared by
//! the inventory, the audit and the scan.

/// Files over this size are refused unless a front says otherwise.
pub use vigie_discovery::DEFAULT_MAX_FILE_SIZE;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vigie_discovery::{DiskSource, ProjectDir, ScanOptions, scan_project, walk_with};
use vigie_model::{Code, Diagnostic, Project, Severity};

use crate::Progress;

/// A folder to scan, named once and for all: `..`, `.` and links resolved, relative to the
/// current folder when it lies under it (`examples/acme/../acme` is `examples/acme`, `.`
/// stays `.`), else absolute. The project paths stored are made from it, and the catalog's
/// repository paths must meet them, so every front resolves its folders through this before
/// a scan. An error when the folder does not exist.
pub fn scan_root(path: &Path) -> std::io::Result<PathBuf> {
    let real = path.canonicalize()?;
    if path.is_relative()
        && let Ok(here) = std::env::current_dir().and_then(|d| d.canonicalize())
        && let Ok(under) = real.strip_prefix(&here)
    {
        return Ok(if under.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            under.to_path_buf()
        });
    }
    Ok(real)
}

/// Projects are read in parallel this many at a time, then handed over and
/// dropped, so that memory stays bounded on estates of any size.
pub const CHUNK: usize = 512;

/// A chunk also ends before its projects' input files pass this many bytes (a larger
/// project is a chunk alone): what a project holds once read grows with its files, so a
/// chunk of 512 projects of 64 MiB lockfiles would hold gigabytes.
pub const CHUNK_BYTES: u64 = 32 << 20;

/// How many chunks are being read while the caller handles one.
const AHEAD: usize = 2;

/// More chunks are read ahead only while the one handled and those being read have at most
/// this many input bytes; one is always being read.
const AHEAD_BYTES: u64 = 64 << 20;

/// `dirs` cut into chunks of at most [`CHUNK`] projects and [`CHUNK_BYTES`] input bytes,
/// each with its input bytes.
pub fn chunks(dirs: &[ProjectDir]) -> Vec<(&[ProjectDir], u64)> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0u64);
    for (i, d) in dirs.iter().enumerate() {
        if i > start && (i - start == CHUNK || bytes.saturating_add(d.bytes) > CHUNK_BYTES) {
            out.push((&dirs[start..i], bytes));
            (start, bytes) = (i, 0);
        }
        bytes = bytes.saturating_add(d.bytes);
    }
    if start < dirs.len() {
        out.push((&dirs[start..], bytes));
    }
    out
}

/// What the walk and the readers reported.
pub struct Scanned {
    /// What the walk met (a missing root, an unreadable folder).
    pub walk_diagnostics: Vec<Diagnostic>,
    /// Error diagnostics over the walk and every project.
    pub errors: usize,
    /// No root could be read at all.
    pub nothing: bool,
}

/// A project as read, with the extra files the caller asked for (path, text).
pub struct ScannedProject {
    /// The project as its files read.
    pub project: Project,
    /// The extra files (path, text) the caller asked for.
    pub extras: Vec<(String, String)>,
    /// The licence evidence already gathered (a pushed inventory, read on another machine);
    /// `None`: the licence check gathers it from disk.
    pub evidence: Option<vigie_discovery::licence_evidence::ProjectEvidence>,
}

/// Reads every project under `paths`; `each` gets them a chunk at a time.
/// Files whose name `extra` accepts are read too (within the size limit)
/// and handed over with their project. The front hears of each project read through
/// `progress`, and may stop the work between chunks ([`Progress::cancelled`]: an error).
pub fn scan(
    paths: &[PathBuf],
    max_file_size: u64,
    extra: Option<fn(&str) -> bool>,
    progress: &dyn Progress,
    each: impl FnMut(Vec<ScannedProject>) -> anyhow::Result<()>,
) -> anyhow::Result<Scanned> {
    scan_some(paths, max_file_size, extra, &|_| true, progress, each)
}

/// [`scan`] of the projects `read` accepts (asked once per project found, in parallel,
/// before anything of it is read); the others are left to the caller.
pub fn scan_some(
    paths: &[PathBuf],
    max_file_size: u64,
    extra: Option<fn(&str) -> bool>,
    read: &(dyn Fn(&ProjectDir) -> bool + Sync),
    progress: &dyn Progress,
    mut each: impl FnMut(Vec<ScannedProject>) -> anyhow::Result<()>,
) -> anyhow::Result<Scanned> {
    let (dirs, walk_diagnostics) = walk_with(paths, extra);
    let mut scanned = Scanned {
        errors: walk_diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count(),
        nothing: dirs.is_empty() && walk_diagnostics.iter().any(|d| d.code == Code::MissingRoot),
        walk_diagnostics,
    };
    if scanned.nothing {
        return Ok(scanned);
    }
    let dirs: Vec<ProjectDir> = dirs.into_par_iter().filter(|d| read(d)).collect();
    let source = DiskSource::new(paths, max_file_size);
    let opts = ScanOptions { max_file_size };
    progress.start("reading projects", Some(dirs.len() as u64));
    // A pipeline: while the caller handles one chunk (writing it out, on
    // this thread), the pool already reads the next one, and the one after
    // is queued so that no core waits at a chunk boundary. At most
    // `AHEAD + 1` chunks are held at once, and beyond two of them no more
    // than `AHEAD_BYTES` of input.
    let read_chunk = |chunk: &[ProjectDir]| -> Vec<ScannedProject> {
        chunk
            .par_iter()
            .map(|d| {
                let mut project = scan_project(d, &source, &opts);
                let mut extras = Vec::with_capacity(d.extras.len());
                for path in &d.extras {
                    match source.read(path) {
                        Ok(text) => extras.push((path.clone(), text)),
                        Err(e) => project.diagnostics.push(Diagnostic::warning(
                            path.as_str(),
                            Code::UnreadableFile,
                            e.to_string(),
                        )),
                    }
                }
                progress.advance(1);
                ScannedProject {
                    project,
                    extras,
                    evidence: None,
                }
            })
            .collect()
    };
    std::thread::scope(|s| -> anyhow::Result<()> {
        let mut chunks = chunks(&dirs).into_iter().peekable();
        let mut queue = std::collections::VecDeque::with_capacity(AHEAD);
        let mut held = 0u64;
        let mut fill = |queue: &mut std::collections::VecDeque<_>, held: &mut u64| {
            while queue.len() < AHEAD
                && let Some(&(chunk, bytes)) = chunks.peek()
                && (queue.is_empty() || held.saturating_add(bytes) <= AHEAD_BYTES)
            {
                chunks.next();
                *held = held.saturating_add(bytes);
                queue.push_back((s.spawn(move || read_chunk(chunk)), bytes));
            }
        };
        fill(&mut queue, &mut held);
        while let Some((next, bytes)) = queue.pop_front() {
            let projects = match next.join() {
                Ok(p) => p,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            if progress.cancelled() {
                anyhow::bail!("cancelled");
            }
            fill(&mut queue, &mut held);
            scanned.errors += projects
                .iter()
                .flat_map(|p| &p.project.diagnostics)
                .filter(|d| d.severity == Severity::Error)
                .count();
            each(projects)?;
            held -= bytes;
        }
        Ok(())
    })?;
    progress.finish();
    Ok(scanned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_bounded_by_projects_and_by_bytes() {
        let dir = |bytes: u64| ProjectDir {
            path: String::new(),
            files: Vec::new(),
            extras: Vec::new(),
            bytes,
        };
        let mib = 1 << 20;
        // Twelve projects of a 64 MB Cargo.lock: one a chunk, never 512 together.
        let big: Vec<ProjectDir> = (0..12).map(|_| dir(64 * mib)).collect();
        let sizes: Vec<(usize, u64)> = chunks(&big).iter().map(|(c, b)| (c.len(), *b)).collect();
        assert_eq!(sizes, vec![(1, 64 * mib); 12]);
        // Small projects: 512 a chunk.
        let small: Vec<ProjectDir> = (0..1100).map(|_| dir(1000)).collect();
        let lens: Vec<usize> = chunks(&small).iter().map(|(c, _)| c.len()).collect();
        assert_eq!(lens, [512, 512, 76]);
        // Mixed: a chunk stops before it passes CHUNK_BYTES.
        let mixed: Vec<ProjectDir> = [20, 10, 5, 1, 40, 1, 1]
            .iter()
            .map(|m| dir(m * mib))
            .collect();
        let lens: Vec<(usize, u64)> = chunks(&mixed)
            .iter()
            .map(|(c, b)| (c.len(), b / mib))
            .collect();
        assert_eq!(lens, [(2, 30), (2, 6), (1, 40), (2, 2)]);
        assert!(chunks(&[]).is_empty());
    }

    #[test]
    fn a_scan_root_is_named_once() {
        // Tests run in the crate's folder.
        assert_eq!(
            scan_root(Path::new("src/../src")).unwrap(),
            Path::new("src")
        );
        assert_eq!(scan_root(Path::new("./src/.")).unwrap(), Path::new("src"));
        assert_eq!(scan_root(Path::new(".")).unwrap(), Path::new("."));
        let outside = tempfile::tempdir().unwrap();
        let real = outside.path().canonicalize().unwrap();
        std::fs::create_dir(real.join("a")).unwrap();
        assert_eq!(scan_root(&real.join("a/..")).unwrap(), real);
        assert!(scan_root(Path::new("no/such/folder")).is_err());
    }
}
