//! The store from async handlers. The store is synchronous (SQLite), so every call runs on
//! tokio's blocking pool (`spawn_blocking`), never on a runtime thread: reads on a small pool
//! of read-only handles (each refreshed when taken, so it sees the latest commits), writes on
//! the one writable handle behind a mutex (SQLite writes are serial anyway).

use std::path::PathBuf;
use std::sync::Mutex;

use anyhow::Context;
use vigie_store::{Location, Mode, Store};

/// Read-only handles kept for reuse; more are opened under load and dropped after.
const KEPT_READERS: usize = 4;

/// The store's handles.
pub(crate) struct Stores {
    path: PathBuf,
    readers: Mutex<Vec<Box<dyn Store>>>,
    writer: Mutex<Box<dyn Store>>,
    /// Writes made through [`Stores::write`]: what is derived from the store (the analysis)
    /// is stale when this has moved.
    writes: std::sync::atomic::AtomicU64,
}

impl Stores {
    /// Opens (creating and migrating) the store at `path`. Blocking.
    pub(crate) fn open(path: PathBuf) -> anyhow::Result<Stores> {
        let writer = vigie_store::open(&Location::path(&path), Mode::ReadWrite)
            .with_context(|| format!("store {}", path.display()))?;
        Ok(Stores {
            path,
            readers: Mutex::new(Vec::new()),
            writer: Mutex::new(writer),
            writes: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn take_reader(&self) -> anyhow::Result<Box<dyn Store>> {
        let pooled = self.readers.lock().map_err(|_| poisoned())?.pop();
        let mut reader = match pooled {
            Some(r) => r,
            None => vigie_store::open(&Location::path(&self.path), Mode::ReadOnly)
                .with_context(|| format!("store {}", self.path.display()))?,
        };
        reader.refresh()?;
        Ok(reader)
    }

    fn give_back(&self, reader: Box<dyn Store>) {
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < KEPT_READERS
        {
            pool.push(reader);
        }
    }

    /// Runs `f` on a read-only handle, off the runtime.
    pub(crate) async fn read<T, F>(self: &std::sync::Arc<Self>, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&dyn Store) -> anyhow::Result<T> + Send + 'static,
    {
        let stores = self.clone();
        tokio::task::spawn_blocking(move || {
            let reader = stores.take_reader()?;
            let out = f(&*reader);
            stores.give_back(reader);
            out
        })
        .await
        .context("a store read panicked")?
    }

    /// Runs `f` on the writable handle, off the runtime.
    pub(crate) async fn write<T, F>(self: &std::sync::Arc<Self>, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> anyhow::Result<T> + Send + 'static,
    {
        let stores = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut writer = stores.writer.lock().map_err(|_| poisoned())?;
            let out = f(&mut **writer);
            stores
                .writes
                .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            out
        })
        .await
        .context("a store write panicked")?
    }
}

impl Stores {
    /// How many writes went through [`Stores::write`] so far.
    pub(crate) fn writes(&self) -> u64 {
        self.writes.load(std::sync::atomic::Ordering::Acquire)
    }
}

fn poisoned() -> anyhow::Error {
    anyhow::anyhow!("a store handle's lock was poisoned by a panic")
}
