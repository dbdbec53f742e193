//! The store's errors.
//!
//! No engine's error type appears here: an engine failure is [`Error::Backend`], holding a
//! [`BackendError`] that keeps the engine's message (and its causes) without naming its type,
//! so that a second backend changes nothing for the callers.

use crate::SnapshotId;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The storage engine failed (IO, corruption, constraint).
    #[error("database: {0}")]
    Backend(#[source] BackendError),
    /// The database was written by a newer vigie.
    #[error(
        "the database has schema version {found}, newer than this vigie knows ({known}): use a newer vigie"
    )]
    FutureSchema {
        /// The version found in the database.
        found: i64,
        /// The newest version this vigie knows.
        known: i64,
    },
    /// No such snapshot.
    #[error("no snapshot {0}")]
    NoSnapshot(SnapshotId),
    /// A snapshot to be written after this one, which is no longer the latest: another
    /// snapshot was stored meanwhile (read the new latest and try again).
    #[error("snapshot {0} is no longer the latest: another snapshot was stored meanwhile")]
    Superseded(SnapshotId),
    /// The store holds no snapshot yet.
    #[error("the store holds no snapshot: run `vigie scan` first")]
    Empty,
    /// An input that the store refuses (bad value, inconsistent record).
    #[error("invalid input: {0}")]
    Invalid(String),
    /// A stored or imported JSON value that does not parse.
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// Import into a store that already holds data.
    #[error("import needs an empty store (this one holds {0} snapshot(s) or triage records)")]
    NotEmpty(u64),
    /// Stored data that does not decode (a damaged or foreign database).
    #[error("corrupt store: {0}")]
    Corrupt(String),
    /// Reading or writing an export.
    #[error("IO: {0}")]
    Io(#[from] std::io::Error),
}

/// The store's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// An error of the storage engine, opaque: its message is the engine's, and its causes are
/// the engine's error's causes (so an error chain prints exactly as the engine's would).
#[derive(Debug)]
pub struct BackendError(Box<dyn std::error::Error + Send + Sync>);

impl BackendError {
    /// Wraps an engine's error (backends only).
    pub(crate) fn new(e: impl std::error::Error + Send + Sync + 'static) -> BackendError {
        BackendError(Box::new(e))
    }

    /// The engine's error, to inspect it (for instance to downcast it in a test).
    pub fn get_ref(&self) -> &(dyn std::error::Error + Send + Sync + 'static) {
        &*self.0
    }
}

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for BackendError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}
