//! Walking a tree to find the files vigie reads, grouped by folder.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use ignore::{WalkBuilder, WalkState};
use vigie_model::{Code, Diagnostic};

use crate::ignore_rules::{Rules, folder_rules};
use crate::{Reader, registry};

thread_local! {
    /// The folder a walker thread is listing and its ignore rules. The `ignore` crate's
    /// parallel walker visits a folder, then filters each of its entries, on the same thread
    /// and before it takes other work: what the visit sets here, the filter reads.
    static LISTING: RefCell<Option<(PathBuf, Option<Arc<Rules>>)>> = const { RefCell::new(None) };
}

/// The ignore rules of the folders found and not yet listed, set by the filter of their
/// parent's listing and taken by their visit: no more than the walker's own queue.
type Pending = Mutex<HashMap<PathBuf, Option<Arc<Rules>>>>;

/// Whether the walk keeps `e`: not a skipped folder, not ignored by the rules of the folder
/// being listed. A kept folder's rules wait in `pending` for its visit.
fn keep(e: &ignore::DirEntry, pending: &Pending) -> bool {
    if e.depth() == 0 {
        return true;
    }
    let is_dir = e.file_type().is_some_and(|t| t.is_dir());
    if is_dir && SKIPPED_DIRS.contains(&e.file_name().to_string_lossy().as_ref()) {
        return false;
    }
    LISTING.with(|listing| {
        let listing = listing.borrow();
        let rules = match listing.as_ref() {
            Some((dir, rules)) if e.path().parent() == Some(dir.as_path()) => rules.clone(),
            // The walker changed how it orders visits and filters: keep rather than guess.
            _ => {
                debug_assert!(
                    false,
                    "{} filtered outside its folder's listing",
                    e.path().display()
                );
                None
            }
        };
        if rules.as_ref().is_some_and(|r| r.ignored(e.path(), is_dir)) {
            return false;
        }
        if is_dir {
            pending
                .lock()
                .expect("no panic while locked")
                .insert(e.path().to_path_buf(), rules);
        }
        true
    })
}

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
    /// Its size when the walk met it, in bytes.
    pub size: u64,
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
    /// The size of `files` and `extras` when the walk met them, in bytes: what reading the
    /// project holds in memory grows with it (the estate's chunks are bounded by it).
    pub bytes: u64,
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
/// `.gitignore`, `.ignore` and `.git/info/exclude` files are honoured (in a
/// git repository or not; within the limits of [`crate::ignore_rules`], a file
/// over them is skipped with a warning), hidden files are looked at, `node_modules`, `target`, `vendor` and `.git` are
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
    let extras: Mutex<Vec<(String, u64)>> = Mutex::new(Vec::new());
    let diags: Mutex<Vec<Diagnostic>> = Mutex::new(Vec::new());
    let pending: Arc<Pending> = Arc::default();
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
        // The ignore files are read by `ignore_rules`, bounded, not by the walker.
        let filter_pending = Arc::clone(&pending);
        let walker = WalkBuilder::new(root)
            .hidden(false)
            .follow_links(false)
            .git_global(false)
            .ignore(false)
            .git_ignore(false)
            .git_exclude(false)
            .parents(false)
            .filter_entry(move |e| keep(e, &filter_pending))
            .build_parallel();
        walker.run(|| {
            let found = &found;
            let diags = &diags;
            let extras = &extras;
            let pending = &pending;
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
                if entry.file_type().is_some_and(|t| t.is_dir()) {
                    // Its entries are filtered next, on this thread, with these rules.
                    let parent = pending
                        .lock()
                        .expect("no panic while locked")
                        .remove(entry.path())
                        .flatten();
                    let mut found_diags = Vec::new();
                    let rules = folder_rules(entry.path(), parent, &mut found_diags);
                    if !found_diags.is_empty() {
                        diags
                            .lock()
                            .expect("no panic while locked")
                            .extend(found_diags);
                    }
                    LISTING.with(|l| *l.borrow_mut() = Some((entry.path().to_path_buf(), rules)));
                    return WalkState::Continue;
                }
                if !entry.file_type().is_some_and(|t| t.is_file()) {
                    return WalkState::Continue;
                }
                let name = entry.file_name().to_string_lossy();
                let size = || entry.metadata().map_or(0, |m| m.len());
                let reader = registry::reader_for(&name).or_else(|| sniff(entry.path(), &name));
                if let Some(reader) = reader {
                    found
                        .lock()
                        .expect("no panic while locked")
                        .push(FoundFile {
                            path: display(entry.path()),
                            reader,
                            size: size(),
                        });
                }
                // A file may be both (go.mod, pom.xml, Gemfile.lock).
                if extra.is_some_and(|f| f(&name)) {
                    extras
                        .lock()
                        .expect("no panic while locked")
                        .push((display(entry.path()), size()));
                }
                WalkState::Continue
            })
        });
    }
    let dir_of = |path: &str| match path.rsplit_once('/') {
        Some((d, _)) => d.to_owned(),
        None => ".".to_owned(),
    };
    let mut by_dir: BTreeMap<String, (Vec<FoundFile>, Vec<String>, u64)> = BTreeMap::new();
    for f in found.into_inner().expect("no panic while locked") {
        let dir = by_dir.entry(dir_of(&f.path)).or_default();
        dir.2 = dir.2.saturating_add(f.size);
        dir.0.push(f);
    }
    for (e, size) in extras.into_inner().expect("no panic while locked") {
        let dir = by_dir.entry(dir_of(&e)).or_default();
        dir.2 = dir.2.saturating_add(size);
        dir.1.push(e);
    }
    let projects = by_dir
        .into_iter()
        .map(|(path, (mut files, mut extras, bytes))| {
            files.sort_by(|a, b| a.path.cmp(&b.path));
            extras.sort();
            ProjectDir {
                path,
                files,
                extras,
                bytes,
            }
        })
        .collect();
    // The walk is parallel: its diagnostics in the order of their files.
    let mut diags = diags.into_inner().expect("no panic while locked");
    diags.sort_by(|a, b| (&a.file, &a.message).cmp(&(&b.file, &b.message)));
    (projects, diags)
}
