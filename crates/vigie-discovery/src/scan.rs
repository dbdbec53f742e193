//! Reading the files of one project folder into a [`Project`].

use vigie_model::{Code, Component, Diagnostic, FileReport, Project};

use crate::source::read_limited;
use crate::{DiskSource, FileSource, Input, Output, ProjectDir, Reader, SourceError};

/// Knobs of a scan.
#[derive(Clone, Debug)]
pub struct ScanOptions {
    /// Files over this size are refused with a `file-too-large` diagnostic.
    pub max_file_size: u64,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions {
            max_file_size: crate::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// Runs one reader on one text. Never panics: a reader that panics (a bug)
/// is turned into an `internal-error` diagnostic on that file.
pub fn read_file_as(reader: &Reader, path: &str, text: &str, files: &dyn FileSource) -> Output {
    let input = Input { path, text, files };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = Output::new(path);
        (reader.read)(&input, &mut out);
        out
    }));
    match run {
        Ok(out) => refuse_bad_names(out),
        Err(_) => {
            let mut out = Output::new(path);
            out.error(
                Code::InternalError,
                format!(
                    "the {} reader failed on this file; please report it",
                    reader.id
                ),
            );
            out
        }
    }
}

/// Drops, with an error each, the components whose name or version holds a control character
/// (a NUL, an escape): no package is named so, and such a name would reach every output; and
/// those whose name leaves their purl without a name (empty, `/`, an npm scope alone:
/// `@scope/`): such a purl is not a Package URL at all, and would read back as another
/// package. The edges of what is kept are kept.
fn refuse_bad_names(mut out: Output) -> Output {
    let control = |s: &str| s.chars().any(char::is_control);
    let why = |c: &Component| {
        if control(&c.name) || c.version.as_deref().is_some_and(control) {
            Some("a control character in a package name or version")
        } else if purl_without_name(&c.purl) {
            Some("no package name once written as a purl")
        } else {
            None
        }
    };
    if !out.components.iter().any(|c| why(c).is_some()) {
        return out;
    }
    let mut new_index: Vec<Option<u32>> = Vec::with_capacity(out.components.len());
    let mut kept = Vec::with_capacity(out.components.len());
    let mut refused = Vec::new();
    for c in std::mem::take(&mut out.components) {
        if let Some(reason) = why(&c) {
            new_index.push(None);
            refused.push((c, reason));
        } else {
            new_index.push(Some(kept.len() as u32));
            kept.push(c);
        }
    }
    out.components = kept;
    let remap = |i: u32| new_index.get(i as usize).copied().flatten();
    out.dependencies = out
        .dependencies
        .iter()
        .filter_map(|&(a, b)| Some((remap(a)?, remap(b)?)))
        .collect();
    for (c, reason) in refused {
        let shown = |s: &str| format!("{:?}", s);
        let what = match &c.version {
            Some(v) => format!("{} {}", shown(&c.name), shown(v)),
            None => shown(&c.name),
        };
        out.error(
            Code::InvalidName,
            format!("{what}: {reason}: not a component"),
        )
        .line = c.line;
    }
    out
}

/// Whether a canonical purl has an empty name: its path (before the version, qualifiers and
/// subpath, whose separators are encoded anywhere else) ends with `/`.
fn purl_without_name(purl: &str) -> bool {
    purl.split(['@', '?', '#'])
        .next()
        .is_some_and(|path| path.ends_with('/'))
}

fn source_diagnostic(path: &str, err: &SourceError) -> Diagnostic {
    let code = match err {
        SourceError::TooLarge { .. } => Code::FileTooLarge,
        SourceError::NotText(_) => Code::NotText,
        SourceError::OutsideTree(_) => Code::OutsideTree,
        SourceError::NotFound(_) | SourceError::NotRegular { .. } | SourceError::Io { .. } => {
            Code::Unreadable
        }
    };
    Diagnostic::error(path, code, err.to_string())
}

/// The disk, as a project's readers see it: whether a file of the project's own folder
/// exists is what the walk found there (a file the ignore rules leave out is not read, so a
/// manifest must not count on it), the rest is the disk's.
struct Walked<'a> {
    disk: &'a DiskSource,
    dir: &'a ProjectDir,
}

impl FileSource for Walked<'_> {
    fn read_relative(&self, from: &str, rel: &str) -> Result<(String, String), SourceError> {
        self.disk.read_relative(from, rel)
    }

    fn exists(&self, from: &str, rel: &str) -> bool {
        let name = |p: &'_ str| p.rsplit('/').next() == Some(rel);
        let beside = !rel.contains(['/', '\\']) && rel != "." && rel != "..";
        if beside && self.dir.files.iter().any(|f| f.path == from) {
            self.dir.files.iter().any(|f| name(&f.path))
        } else {
            self.disk.exists(from, rel)
        }
    }
}

/// Reads every file of a project folder. Files are read in path order, and
/// components keep that order, so the result is deterministic.
pub fn scan_project(dir: &ProjectDir, source: &DiskSource, opts: &ScanOptions) -> Project {
    let source = Walked { disk: source, dir };
    let mut project = Project {
        path: dir.path.clone(),
        ..Project::default()
    };
    // The name comes from the reader listed first in the registry (manifests
    // before lockfiles), whatever the order of the files.
    let mut name: Option<(usize, String)> = None;
    for file in &dir.files {
        let text = match read_limited(
            &file.path,
            std::path::Path::new(&file.path),
            opts.max_file_size,
        ) {
            Ok(t) => t,
            Err(e) => {
                project.diagnostics.push(source_diagnostic(&file.path, &e));
                continue;
            }
        };
        let out = read_file_as(file.reader, &file.path, &text, &source);
        drop(text);
        let base = project.components.len() as u32;
        project.files.push(FileReport {
            path: file.path.clone(),
            format: file.reader.id.to_owned(),
            components: out.components.len(),
        });
        if let Some(n) = out.project_name.filter(|n| !n.trim().is_empty()) {
            let rank = crate::registry::rank(file.reader);
            if name.as_ref().is_none_or(|(r, _)| rank < *r) {
                name = Some((rank, n));
            }
        }
        // The first file's lists are taken as they are, not copied (a lock may hold a
        // million components).
        if project.components.is_empty() {
            project.components = out.components;
        } else {
            project.components.extend(out.components);
        }
        if project.dependencies.is_empty() && base == 0 {
            project.dependencies = out.dependencies;
        } else {
            project.dependencies.extend(
                out.dependencies
                    .into_iter()
                    .map(|(a, b)| (a + base, b + base)),
            );
        }
        project.diagnostics.extend(out.diagnostics);
    }
    project.name = name.map_or_else(|| folder_name(&dir.path), |(_, n)| n);
    project
}

fn folder_name(path: &str) -> String {
    let last = path
        .rsplit('/')
        .find(|s| !s.is_empty() && *s != "." && *s != "..");
    match last {
        Some(s) => s.to_owned(),
        None => std::env::current_dir()
            .ok()
            .and_then(|d| {
                std::path::Path::new(path)
                    .canonicalize()
                    .ok()
                    .or(Some(d))
                    .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            })
            .unwrap_or_else(|| path.to_owned()),
    }
}
