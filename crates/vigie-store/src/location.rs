//! Where a store lives and how it is opened: the one place that picks a backend.

use std::path::{Path, PathBuf};

use crate::{Result, Store};

/// Where a store lives. Today a file (SQLite) or memory; a server URL later.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Location {
    /// A database file, created (with its folder) when missing and opened to write.
    Path(PathBuf),
    /// A fresh, empty store in memory, gone when dropped (tests, dry runs).
    Memory,
}

impl Location {
    /// A store in the file at `path`.
    pub fn path(path: impl Into<PathBuf>) -> Location {
        Location::Path(path.into())
    }
}

impl From<&Path> for Location {
    fn from(path: &Path) -> Location {
        Location::Path(path.to_path_buf())
    }
}

/// How a store is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// To read and write: created when missing, its schema brought up to date.
    ReadWrite,
    /// To read only: nothing is written, and every read is in one transaction, so that a
    /// command sees one consistent store even while a scan commits. A missing file, an empty
    /// one, or a database without vigie's schema is [`Error::Empty`](crate::Error::Empty),
    /// left untouched; a store of an older schema is migrated first. A store in a folder the
    /// process cannot write is still read (opened immutable: no writer can change it there).
    /// Writes ([`Store::begin_snapshot`], [`Store::retain`], ...) fail.
    ReadOnly,
}

/// Opens the store at `location` in `mode`.
pub fn open(location: &Location, mode: Mode) -> Result<Box<dyn Store>> {
    let store = match (location, mode) {
        (Location::Path(p), Mode::ReadWrite) => crate::sqlite::SqliteStore::open(p)?,
        (Location::Path(p), Mode::ReadOnly) => crate::sqlite::SqliteStore::open_read_only(p)?,
        (Location::Memory, Mode::ReadWrite) => crate::sqlite::SqliteStore::in_memory()?,
        // A fresh memory store holds nothing to read.
        (Location::Memory, Mode::ReadOnly) => return Err(crate::Error::Empty),
    };
    Ok(Box::new(store))
}
