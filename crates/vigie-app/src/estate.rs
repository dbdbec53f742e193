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

/// How many chunks are being read while the caller handles one.
const AHEAD: usize = 2;

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
    let source = DiskSource::new(paths, max_file_size);
    let opts = ScanOptions { max_file_size };
    progress.start("reading projects", Some(dirs.len() as u64));
    // A pipeline: while the caller handles one chunk (writing it out, on
    // this thread), the pool already reads the next one, and the one after
    // is queued so that no core waits at a chunk boundary. At most
    // `AHEAD + 1` chunks are held at once.
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
        let mut chunks = dirs.chunks(CHUNK);
        let mut queue = std::collections::VecDeque::with_capacity(AHEAD);
        for chunk in chunks.by_ref().take(AHEAD) {
            queue.push_back(s.spawn(move || read_chunk(chunk)));
        }
        while let Some(next) = queue.pop_front() {
            let projects = match next.join() {
                Ok(p) => p,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            if progress.cancelled() {
                anyhow::bail!("cancelled");
            }
            if let Some(chunk) = chunks.next() {
                queue.push_back(s.spawn(move || read_chunk(chunk)));
            }
            scanned.errors += projects
                .iter()
                .flat_map(|p| &p.project.diagnostics)
                .filter(|d| d.severity == Severity::Error)
                .count();
            each(projects)?;
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
