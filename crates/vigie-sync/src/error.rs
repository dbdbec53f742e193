//! Typed errors: one for a download that failed (naming the URL), one for the generations.

use std::path::PathBuf;

/// A download that failed: which file, from which URL, and what happened.
#[derive(Debug, thiserror::Error)]
#[error("cannot sync {path} from {url}: {failure}")]
pub struct SyncError {
    /// The path of the file in the mirror (`osv/PyPI/all.zip`).
    pub path: String,
    /// The URL that was asked for.
    pub url: String,
    /// What went wrong.
    pub failure: Failure,
}

/// What went wrong with one file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Failure {
    /// The source itself is unusable (a mirror path that escapes the mirror, a bad URL...).
    #[error("bad source: {0}")]
    BadSource(String),
    /// The request could not be made or its answer not read (DNS, connect, TLS, timeout,
    /// too many redirects, malformed HTTP).
    #[error("request failed: {0}")]
    Http(String),
    /// The server answered with a status that is neither 200, 304, nor (for an optional
    /// source) 404.
    #[error("HTTP status {0}")]
    Status(u16),
    /// The server answered 304 to a request that was not conditional.
    #[error("HTTP status 304 to a request that had no validator")]
    UnexpectedNotModified,
    /// The body is encoded (`Content-Encoding`), which vigie never asks for.
    #[error("unexpected Content-Encoding {0:?}")]
    ContentEncoding(String),
    /// The file is over the size limit (announced, or found while reading).
    #[error("larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The body ended before the announced `Content-Length`.
    #[error("body truncated: {received} of {expected} bytes received ({cause})")]
    Truncated {
        /// The announced length.
        expected: u64,
        /// What arrived.
        received: u64,
        /// How the body ended.
        cause: String,
    },
    /// The body was longer than the announced `Content-Length`.
    #[error("body longer than its Content-Length of {expected} bytes")]
    TooLong {
        /// The announced length.
        expected: u64,
    },
    /// The body could not be read to its end (connection reset, timeout).
    #[error("reading the body failed after {received} bytes: {cause}")]
    Read {
        /// What arrived before the failure.
        received: u64,
        /// The transport's message.
        cause: String,
    },
    /// The file arrived whole but is not what its name says (a zip without a complete
    /// central directory, a broken gzip stream, invalid JSON).
    #[error("invalid {format}: {reason}")]
    Invalid {
        /// `zip`, `tar.gz` or `JSON`.
        format: &'static str,
        /// Why it was refused.
        reason: String,
    },
    /// A local file operation failed.
    #[error("{op} {}: {source}", path.display())]
    Io {
        /// What was being done (`create`, `write`, `rename`...).
        op: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
}

impl Failure {
    /// A local IO failure on `path`.
    pub(crate) fn io(op: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Failure::Io {
            op,
            path: path.into(),
            source,
        }
    }
}

/// A failure of the generations store (the data directory).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GenerationError {
    /// A file operation failed.
    #[error("{op} {}: {source}", path.display())]
    Io {
        /// What was being done.
        op: &'static str,
        /// On which path.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// `CURRENT` does not hold one valid generation id.
    #[error("{} does not name a generation: {content:?}", path.display())]
    BadCurrent {
        /// The `CURRENT` file.
        path: PathBuf,
        /// What it holds (cut to 100 characters).
        content: String,
    },
    /// `CURRENT` names a generation whose directory is missing.
    #[error("the current generation {id} is missing from {}", dir.display())]
    MissingCurrent {
        /// The id in `CURRENT`.
        id: String,
        /// Where it was looked for.
        dir: PathBuf,
    },
    /// Another process is building or collecting generations in this data directory.
    #[error("another vigie process holds {}", path.display())]
    Busy {
        /// The lock file.
        path: PathBuf,
    },
}

impl GenerationError {
    /// An IO failure on `path`.
    pub(crate) fn io(op: &'static str, path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        GenerationError::Io {
            op,
            path: path.into(),
            source,
        }
    }
}
