//! Walking a tree to find the files vigie reads, grouped by folder.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};
use vigie_model::{Code, Diagnostic};

use crate::{Reader, registry};

/// Folders never entered: installed dependencies, build output, VCS data.
const SKIPPED_DIRS: [&str; 4] = ["node_modules", "target", "vendor", ".git"];

/// How many bytes of a generic `.json`/`.xml` file are read to recognise it.
const SNIFF_BYTES: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("`{0}` does not exist or cannot be read")]
    MissingRoot(String),
}

/// One file that a reader will read.
#[derive(Clone)]
pub struct FoundFile {
    /// Display path: the root as given, joined with the path below it.
    pub path: String,
    pub reader: &'static Reader,
}

/// A folder holding at least one supported file: one project.
#[derive(Clone)]
pub struct ProjectDir {
    /// Display path of the folder.
    pub path: String,
    pub files: Vec<FoundFile>,
    /// Other files of the folder that the caller asked for ([`walk_with`]):
    /// display paths, sorted.
    pub extras: Vec<String>,
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy();
    let s = s.strip_prefix("./").unwrap_or(&s);
    if std::path::MAIN_SEPARATOR == '\\' {
        s.replace('\\', "/")
    } else {
        s.to_owned()
    }
}

/// Only files with these endings or names are opened to sniff their content,
/// so that a tree of source code costs one name check per file, not one open.
fn worth_sniffing(name: &str) -> bool {
    const ENDINGS: [&str; 7] = [".json", ".xml", ".spdx", ".sbom", ".yaml", ".yml", ".lock"];
    const NAMES: [&str; 2] = ["status", "installed"];
    let lower = name.to_ascii_lowercase();
    NAMES.contains(&lower.as_str()) || ENDINGS.iter().any(|e| lower.ends_with(e))
}

fn sniff(path: &Path, name: &str) -> Option<&'static Reader> {
    if !worth_sniffing(name) {
        return None;
    }
    let candidates: Vec<&'static Reader> = registry::READERS
        .iter()
        .copied()
        .filter(|r| r.sniff.is_some())
        .collect();
    if candidates.is_empty() {
        return None;
    }
    let mut head = Vec::with_capacity(SNIFF_BYTES);
    let file = vigie_fs::open_regular(path).ok()?;
    file.take(SNIFF_BYTES as u64).read_to_end(&mut head).ok()?;
    candidates
        .into_iter()
        .find(|r| r.sniff.is_some_and(|f| f(name, &head)))
}

/// Finds every supported file below `roots`, grouped by folder and sorted.
///
/// `.gitignore` files are honoured (in a git repository or not), hidden
/// files are looked at, `node_modules`, `target`, `vendor` and `.git` are
/// skipped, and links are never followed. Problems (unreadable folders, a
/// root that does not exist) come back as diagnostics; the walk goes on.
pub fn walk(roots: &[PathBuf]) -> (Vec<ProjectDir>, Vec<Diagnostic>) {
    walk_with(roots, None)
}

/// [`walk`], also collecting the files whose name `extra` accepts (the
/// lifecycle checks' `.nvmrc`, `Dockerfile`, ...) into
/// [`ProjectDir::extras`]; a folder with only such files is a project too.
pub fn walk_with(
    roots: &[PathBuf],
    extra: Option<fn(&str) -> bool>,
) -> (Vec<ProjectDir>, Vec<Diagnostic>) {
    let found: Mutex<Vec<FoundFile>> = Mutex::new(Vec::new());
    let extras: Mutex<Vec<String>> = Mutex::new(Vec::new());
    let diags: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    for root in roots {
        if std::fs::symlink_metadata(root).is_err() {
            diags
                .lock()
                .expect("no panic while locked")
                .push(Diagnostic::error(
                    display(root),
                    Code::MissingRoot,
                    WalkError::MissingRoot(display(root)).to_string(),
                ));
            continue;
        }
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .follow_links(false)
            .require_git(false)
            .git_global(false)
            .ignore(true)
            .git_ignore(true)
            .git_exclude(true)
            .parents(false)
            .filter_entry(|e| {
                !(e.file_type().is_some_and(|t| t.is_dir())
                    && e.depth() > 0
                    && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()))
            })
            .build_parallel();
        walker.run(|| {
            let found = &found;
            let diags = &diags;
            let extras = &extras;
            Box::new(move |entry| {
                let entry = match entry {
                    Ok(e) => e,
                    Err(err) => {
                        diags
                            .lock()
                            .expect("no panic while locked")
                            .push(Diagnostic::error("", Code::WalkError, err.to_string()));
                        return WalkState::Continue;
                    }
                };
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let name = entry.file_name().to_string_lossy();
                let reader = registry::reader_for(&name).or_else(|| sniff(entry.path(), &name));
                if let Some(reader) = reader {
                    found
                        .lock()
                        .expect("no panic while locked")
                        .push(FoundFile {
                            path: display(entry.path()),
                            reader,
                        });
                }
                // A file may be both (go.mod, pom.xml, Gemfile.lock).
                if extra.is_some_and(|f| f(&name)) {
                    extras
                        .lock()
                        .expect("no panic while locked")
                        .push(display(entry.path()));
                }
                WalkState::Continue
            })
        });
    }
    let dir_of = |path: &str| match path.rsplit_once('/') {
        Some((d, _)) => d.to_owned(),
        None => ".".to_owned(),
    };
    let mut by_dir: BTreeMap<String, (Vec<FoundFile>, Vec<String>)> = BTreeMap::new();
    for f in found.into_inner().expect("no panic while locked") {
        by_dir.entry(dir_of(&f.path)).or_default().0.push(f);
    }
    for e in extras.into_inner().expect("no panic while locked") {
        by_dir.entry(dir_of(&e)).or_default().1.push(e);
    }
    let projects = by_dir
        .into_iter()
        .map(|(path, (mut files, mut extras))| {
            files.sort_by(|a, b| a.path.cmp(&b.path));
            extras.sort();
            ProjectDir {
                path,
                files,
                extras,
            }
        })
        .collect();
    (projects, diags.into_inner().expect("no panic while locked"))
}
