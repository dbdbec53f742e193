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
///
/// A gzip body is parsed as it is inflated (`serde_json::from_reader`), never inflated whole
/// first: only the document is held, so a small body of compressed white space (249 KiB that
/// inflate to 250 MB) costs nothing, and the inflated text is refused past [`MAX_DECODED`].
pub fn decode(body: &[u8], gzip: bool) -> Result<PushDocument, Invalid> {
    decode_capped(body, gzip, MAX_DECODED)
}

/// [`decode`], a gzip body refused past `cap` bytes once decompressed.
fn decode_capped(body: &[u8], gzip: bool, cap: u64) -> Result<PushDocument, Invalid> {
    let refuse = |m: String| Invalid {
        at: "body".into(),
        message: m,
    };
    let doc: PushDocument = if gzip {
        let mut inflated = Capped {
            inner: flate2::bufread::GzDecoder::new(body),
            left: cap,
            over: false,
        };
        let read = serde_json::from_reader(std::io::BufReader::new(&mut inflated));
        if inflated.over {
            return Err(refuse(format!("larger than {cap} bytes once decompressed")));
        }
        read.map_err(|e| match e.classify() {
            serde_json::error::Category::Io => refuse(format!("not gzip: {e}")),
            _ => refuse(format!("not a push document: {e}")),
        })?
    } else {
        serde_json::from_slice(body).map_err(|e| refuse(format!("not a push document: {e}")))?
    };
    doc.validate()?;
    Ok(doc)
}

/// A reader that fails once more than `left` bytes were asked of it, and says so in `over`.
struct Capped<R> {
    inner: R,
    left: u64,
    over: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        // One byte more than the cap may be read, to tell "exactly the cap" from "over it".
        let want = buf
            .len()
            .min(usize::try_from(self.left + 1).unwrap_or(usize::MAX));
        let n = self.inner.read(&mut buf[..want])?;
        if n as u64 > self.left {
            self.over = true;
            return Err(std::io::Error::other("over the decompressed size limit"));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    const DOC: &str = r#"{"format": "vigie-push", "version": 1, "tool_version": "0.1.0",
        "projects": [{"path": "app", "name": "app", "files": [], "components": []}]}"#;

    /// `text` then `spaces` spaces, gzipped a MiB at a time (never held whole).
    fn gzip(text: &[u8], spaces: usize) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(text).unwrap();
        let mib = vec![b' '; 1 << 20];
        let mut left = spaces;
        while left > 0 {
            let n = left.min(mib.len());
            gz.write_all(&mib[..n]).unwrap();
            left -= n;
        }
        gz.finish().unwrap()
    }

    /// The peak resident set of this process so far, in bytes.
    fn peak_rss() -> u64 {
        std::fs::read_to_string("/proc/self/status")
            .unwrap()
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap()
            * 1024
    }

    /// Found by fuzzing (`push`, 22 M executions): a file's count of components of
    /// 4,888,888,888 made the licence evidence reserve 78 GB.
    #[test]
    fn a_file_giving_more_components_than_its_project_is_refused() {
        let doc = r#"{"format": "vigie-push", "version": 1, "tool_version": "0.1.0",
            "projects": [{"path": "app", "name": "app",
              "files": [{"path": "app/package-lock.json", "format": "package-lock",
                         "components": 4888888888}],
              "components": []}]}"#;
        let e = decode(doc.as_bytes(), false).unwrap_err();
        assert!(e.to_string().contains("files[0].components"), "{e}");
        // A count that fits is accepted.
        let fits = doc.replace("4888888888", "0");
        decode(fits.as_bytes(), false).unwrap();
    }

    #[test]
    fn a_gzip_body_reads_as_the_plain_one() {
        let plain = decode(DOC.as_bytes(), false).unwrap();
        assert_eq!(decode(&gzip(DOC.as_bytes(), 0), true).unwrap(), plain);
        // Trailing white space is JSON's, however much of it.
        assert_eq!(decode(&gzip(DOC.as_bytes(), 3 << 20), true).unwrap(), plain);
        let e = decode(b"not gzip", true).unwrap_err();
        assert!(e.message.starts_with("not gzip"), "{e}");
        let e = decode(&gzip(b"{\"format\": 1}", 0), true).unwrap_err();
        assert!(e.message.starts_with("not a push document"), "{e}");
    }

    #[test]
    fn a_gzip_body_is_refused_past_the_cap() {
        let body = gzip(DOC.as_bytes(), 0);
        assert!(decode_capped(&body, true, DOC.len() as u64).is_ok());
        let e = decode_capped(&body, true, DOC.len() as u64 - 1).unwrap_err();
        assert_eq!(
            e.message,
            format!("larger than {} bytes once decompressed", DOC.len() - 1)
        );
        // Trailing white space counts.
        let body = gzip(DOC.as_bytes(), 1 << 20);
        assert!(decode_capped(&body, true, 1 << 20).is_err());
    }

    /// Found by fuzzing (FUZZING.md): 249 KiB of gzipped spaces inflate to 250 MiB, which
    /// `decode` held whole before parsing, a thousand times the body. Parsed as it is
    /// inflated, it is refused (not a document) holding next to nothing.
    #[test]
    fn a_gzip_bomb_of_white_space_is_refused_without_being_held() {
        let body = gzip(b"", 250 << 20);
        assert!(body.len() < 300 << 10, "{}", body.len());
        let before = peak_rss();
        let e = decode(&body, true).unwrap_err();
        let grew = peak_rss().saturating_sub(before);
        assert!(e.message.starts_with("not a push document"), "{e}");
        // The inflated text was 250 MiB; other tests of this process may allocate a little
        // meanwhile.
        assert!(grew < 64 << 20, "peak resident set grew by {grew} bytes");
    }
}
