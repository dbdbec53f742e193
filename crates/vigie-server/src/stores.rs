//! The store from async handlers. The store is synchronous (SQLite), so every call runs on
//! tokio's blocking pool (`spawn_blocking`), never on a runtime thread: reads on a small pool
//! of read-only handles (each refreshed when taken, so it sees the latest commits), at most
//! [`READERS`] at once (more requests wait their turn: a handle is memory, and two cores
//! gain nothing from a hundred concurrent reads), writes on the one writable handle behind a
//! mutex (SQLite writes are serial anyway).

use std::sync::Mutex;

use anyhow::Context;
use vigie_store::{Location, Mode, Store};

/// Reads running at once, each on its own read-only handle, kept for reuse.
pub(crate) static READERS: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, usize::from);
    (2 * cores).clamp(4, 16)
});

/// The store's handles.
pub(crate) struct Stores {
    location: Location,
    readers: Mutex<Vec<Box<dyn Store>>>,
    /// One permit per read running.
    reading: std::sync::Arc<tokio::sync::Semaphore>,
    writer: Mutex<Box<dyn Store>>,
    /// Writes made through [`Stores::write`]: what is derived from the store (the analysis)
    /// is stale when this has moved.
    writes: std::sync::atomic::AtomicU64,
}

impl Stores {
    /// Opens (creating and migrating) the store at `location`. Blocking.
    pub(crate) fn open(location: Location) -> anyhow::Result<Stores> {
        let writer = vigie_app::store::open_at(&location, Mode::ReadWrite)?;
        Ok(Stores {
            location,
            readers: Mutex::new(Vec::new()),
            reading: std::sync::Arc::new(tokio::sync::Semaphore::new(*READERS)),
            writer: Mutex::new(writer),
            writes: std::sync::atomic::AtomicU64::new(0),
        })
    }

    fn take_reader(&self) -> anyhow::Result<Box<dyn Store>> {
        let pooled = self.readers.lock().map_err(|_| poisoned())?.pop();
        let mut reader = match pooled {
            Some(r) => r,
            None => vigie_app::store::open_at(&self.location, Mode::ReadOnly)?,
        };
        reader.refresh()?;
        Ok(reader)
    }

    fn give_back(&self, reader: Box<dyn Store>) {
        if let Ok(mut pool) = self.readers.lock()
            && pool.len() < *READERS
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
        let turn = self
            .reading
            .clone()
            .acquire_owned()
            .await
            .context("the store's readers are closed")?;
        tokio::task::spawn_blocking(move || {
            let reader = stores.take_reader()?;
            let out = f(&*reader);
            stores.give_back(reader);
            drop(turn);
            out
        })
        .await
        .context("a store read panicked")?
    }

    /// Runs `f` on the writable handle, off the runtime: a write that changes what is
    /// derived from the store (triage, a snapshot), so [`Stores::writes`] moves.
    pub(crate) async fn write<T, F>(self: &std::sync::Arc<Self>, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> anyhow::Result<T> + Send + 'static,
    {
        self.write_as(true, f).await
    }

    /// [`Stores::write`] of bookkeeping that changes nothing derived from the store
    /// (sessions, a token's last use, audit entries, users and tokens): the analysis kept
    /// stays valid.
    pub(crate) async fn bookkeep<T, F>(self: &std::sync::Arc<Self>, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> anyhow::Result<T> + Send + 'static,
    {
        self.write_as(false, f).await
    }

    async fn write_as<T, F>(self: &std::sync::Arc<Self>, counted: bool, f: F) -> anyhow::Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut dyn Store) -> anyhow::Result<T> + Send + 'static,
    {
        let stores = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut writer = stores.writer.lock().map_err(|_| poisoned())?;
            let out = f(&mut **writer);
            if counted {
                stores
                    .writes
                    .fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            }
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
