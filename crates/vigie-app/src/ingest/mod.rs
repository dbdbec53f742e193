//! Ingest from CI: an inventory read on another machine stored as a snapshot here.
//!
//! - `document.rs`: the push document (format `vigie-push` 1, `docs/ingest.md`) and its
//!   validation against hostile input.
//! - `push.rs`: the client side of `vigie scan --push URL` (read the folders, send them).
//! - `receive.rs`: the server side (decode, audit with the server's knowledge, the keys the
//!   store is idempotent on).
//! - `sbom.rs`: a CycloneDX SBOM (vigie's endpoint or Dependency-Track's) as a push.

pub mod document;
pub mod push;
pub mod receive;
pub mod sbom;

use std::io::Read;

pub use document::{Invalid, PushDocument};

/// Largest push once decompressed (a gzip body is read no further).
pub const MAX_DECODED: u64 = 512 * 1024 * 1024;

/// The document of a request body (`gzip`: `Content-Encoding: gzip`), validated.
pub fn decode(body: &[u8], gzip: bool) -> Result<PushDocument, Invalid> {
    let refuse = |m: String| Invalid {
        at: "body".into(),
        message: m,
    };
    let doc: PushDocument = if gzip {
        let mut text = Vec::new();
        flate2::read::GzDecoder::new(body)
            .take(MAX_DECODED + 1)
            .read_to_end(&mut text)
            .map_err(|e| refuse(format!("not gzip: {e}")))?;
        if text.len() as u64 > MAX_DECODED {
            return Err(refuse(format!(
                "larger than {MAX_DECODED} bytes once decompressed"
            )));
        }
        serde_json::from_slice(&text)
    } else {
        serde_json::from_slice(body)
    }
    .map_err(|e| refuse(format!("not a push document: {e}")))?;
    doc.validate()?;
    Ok(doc)
}
