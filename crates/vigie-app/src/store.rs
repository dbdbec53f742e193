//! Opening the store a front names: a database file given (`--db`, `$VIGIE_DB`), else
//! `vigie.db` in the data directory.

use std::path::PathBuf;

use anyhow::Context;
use vigie_store::{Location, Mode, SnapshotId, Store};

/// Where the store is, as a front was told.
#[derive(Clone, Debug, Default)]
pub struct StoreLocation {
    /// The database file given, if any.
    pub db: Option<PathBuf>,
    /// The data directory given, if any.
    pub data_dir: Option<PathBuf>,
}

impl StoreLocation {
    /// The store's file: the one given, else `vigie.db` in the data directory.
    pub fn path(&self) -> anyhow::Result<PathBuf> {
        match &self.db {
            Some(p) => Ok(p.clone()),
            None => Ok(crate::config::data_dir(self.data_dir.as_deref())?.join("vigie.db")),
        }
    }

    /// Opens (creating and migrating) the store.
    pub fn open(&self) -> anyhow::Result<Box<dyn Store>> {
        self.open_in(Mode::ReadWrite)
    }

    /// Opens the store to read it only: nothing written, one consistent view. A missing or
    /// empty file is "no store at PATH", and stays missing or empty.
    pub fn open_read_only(&self) -> anyhow::Result<Box<dyn Store>> {
        self.open_in(Mode::ReadOnly)
    }

    fn open_in(&self, mode: Mode) -> anyhow::Result<Box<dyn Store>> {
        let path = self.path()?;
        match vigie_store::open(&Location::path(&path), mode) {
            // Opened to read, a missing or empty file is left as it is.
            Err(vigie_store::Error::Empty) => Err(anyhow::anyhow!(
                "no store at {} (run `vigie scan` first)",
                path.display()
            )),
            opened => opened.with_context(|| format!("store {}", path.display())),
        }
    }
}

/// The snapshot asked for, or the latest one.
pub fn snapshot<S: Store + ?Sized>(
    store: &S,
    asked: Option<SnapshotId>,
) -> anyhow::Result<SnapshotId> {
    match asked {
        Some(id) => Ok(id),
        None => Ok(store.latest()?),
    }
}
