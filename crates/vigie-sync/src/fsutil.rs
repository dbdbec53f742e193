//! File-system helpers: atomic writes (temporary file, fsync, rename, fsync of the folder),
//! hard link with a copy fallback, recursive fsync, random suffixes.

use std::collections::hash_map::RandomState;
use std::fs::{self, File};
use std::hash::{BuildHasher, Hasher};
use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Failure, GenerationError};

/// Deepest folder nesting that [`sync_tree`] descends into.
const MAX_DEPTH: usize = 32;

/// A failed file operation: what, where, why.
#[derive(Debug)]
pub(crate) struct IoFail {
    pub op: &'static str,
    pub path: PathBuf,
    pub source: std::io::Error,
}

impl IoFail {
    /// Wraps `source` with the operation and the path.
    pub(crate) fn new(op: &'static str, path: &Path, source: std::io::Error) -> Self {
        IoFail {
            op,
            path: path.to_path_buf(),
            source,
        }
    }
}

impl From<IoFail> for Failure {
    fn from(e: IoFail) -> Self {
        Failure::io(e.op, e.path, e.source)
    }
}

impl From<IoFail> for GenerationError {
    fn from(e: IoFail) -> Self {
        GenerationError::io(e.op, e.path, e.source)
    }
}

/// Eight random lowercase hex digits, from the standard library's randomly keyed hasher
/// mixed with the time and the process id (enough to tell apart two runs, not a secret).
pub(crate) fn random_hex8() -> String {
    let mut h = RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(d) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(d.as_nanos());
    }
    format!("{:08x}", h.finish() as u32)
}

/// Makes the entries of folder `dir` durable.
pub(crate) fn sync_dir(dir: &Path) -> Result<(), IoFail> {
    File::open(dir)
        .and_then(|f| f.sync_all())
        .map_err(|e| IoFail::new("fsync", dir, e))
}

/// Creates the parent folders of `path`.
pub(crate) fn create_parent(path: &Path) -> Result<(), IoFail> {
    match path.parent() {
        Some(parent) => fs::create_dir_all(parent).map_err(|e| IoFail::new("create", parent, e)),
        None => Ok(()),
    }
}

/// Writes `bytes` to `target` atomically: a temporary file beside it, fsync, rename, fsync of
/// the folder. A reader sees the old content or the new one, never a part.
pub(crate) fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), IoFail> {
    create_parent(target)?;
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".tmp-{}", random_hex8()));
    let tmp = target.with_file_name(name);
    let written = File::create_new(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .map_err(|e| IoFail::new("write", &tmp, e));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    if let Err(e) = fs::rename(&tmp, target) {
        let _ = fs::remove_file(&tmp);
        return Err(IoFail::new("rename", target, e));
    }
    match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => sync_dir(parent),
        _ => Ok(()),
    }
}

/// Puts the file `from` at `to` as a hard link, or as a copy when a link is impossible (another
/// file system, a file system without links). `to` must not exist.
pub(crate) fn link_or_copy(from: &Path, to: &Path) -> Result<(), IoFail> {
    create_parent(to)?;
    match fs::hard_link(from, to) {
        Ok(()) => return Ok(()),
        // Never copy onto an existing file: it may be `from` itself, which a copy would empty.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(IoFail::new("link to", to, e));
        }
        Err(_) => {}
    }
    let copied = fs::copy(from, to)
        .and_then(|_| File::open(to))
        .and_then(|f| f.sync_all());
    copied.map_err(|e| {
        let _ = fs::remove_file(to);
        IoFail::new("copy to", to, e)
    })
}

/// Makes every file and folder below `dir` durable (links are not followed).
pub(crate) fn sync_tree(dir: &Path) -> Result<(), IoFail> {
    sync_tree_at(dir, 0)
}

fn sync_tree_at(dir: &Path, depth: usize) -> Result<(), IoFail> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|e| IoFail::new("list", dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| IoFail::new("list", dir, e))?;
        let path = entry.path();
        let kind = entry
            .file_type()
            .map_err(|e| IoFail::new("stat", &path, e))?;
        if kind.is_dir() {
            sync_tree_at(&path, depth + 1)?;
        } else if kind.is_file() {
            File::open(&path)
                .and_then(|f| f.sync_all())
                .map_err(|e| IoFail::new("fsync", &path, e))?;
        }
    }
    sync_dir(dir)
}
