//! The store's errors.

use crate::SnapshotId;

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The database engine failed (IO, corruption, constraint).
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    /// The database was written by a newer vigie.
    #[error(
        "the database has schema version {found}, newer than this vigie knows ({known}): use a newer vigie"
    )]
    FutureSchema { found: i64, known: i64 },
    /// No such snapshot.
    #[error("no snapshot {0}")]
    NoSnapshot(SnapshotId),
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
