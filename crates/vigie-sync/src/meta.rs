//! What was fetched for each mirror file, kept beside the mirror in `.sync/<path>.json`: the
//! validators for the next conditional request, and the size and SHA-256 of the bytes.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::Failure;
use crate::fsutil;

/// The folder of the metadata, at the root of a mirror.
pub(crate) const META_DIR: &str = ".sync";

/// A metadata file larger than this is ignored (it is a few hundred bytes).
const MAX_META_SIZE: u64 = 64 * 1024;

/// The metadata of one mirror file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    /// The URL the bytes came from.
    pub url: String,
    /// The server's `ETag`, sent back as `If-None-Match`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// The server's `Last-Modified`, sent back as `If-Modified-Since`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// The size of the file, in bytes.
    pub size: u64,
    /// The SHA-256 of the file, lowercase hex.
    pub sha256: String,
    /// When the bytes were downloaded (RFC 3339, UTC).
    pub fetched_at: String,
    /// When the server last confirmed them (a `200` or a `304`; RFC 3339, UTC).
    pub checked_at: String,
}

impl FileMeta {
    /// Where the metadata of mirror file `path` lives in `mirror`.
    pub fn path_in(mirror: &Path, path: &str) -> PathBuf {
        mirror.join(META_DIR).join(format!("{path}.json"))
    }

    /// The metadata of `path` in `mirror`, or `None` when absent, unreadable, oversized or not
    /// valid (it then only costs a full download).
    pub fn load(mirror: &Path, path: &str) -> Option<FileMeta> {
        let text =
            vigie_fs::read_text_bounded(&FileMeta::path_in(mirror, path), MAX_META_SIZE).ok()?;
        serde_json::from_str(&text).ok()
    }

    /// Writes the metadata of `path` into `mirror` (temporary file, fsync, rename).
    pub(crate) fn store(&self, mirror: &Path, path: &str) -> Result<(), Failure> {
        let target = FileMeta::path_in(mirror, path);
        let text = serde_json::to_string_pretty(self)
            .map_err(|e| Failure::io("serialise", &target, std::io::Error::other(e.to_string())))?;
        fsutil::write_atomic(&target, text.as_bytes()).map_err(Failure::from)
    }
}

/// The current time as RFC 3339 UTC, to the second.
pub(crate) fn now_rfc3339() -> String {
    let now = jiff::Timestamp::now();
    now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}
