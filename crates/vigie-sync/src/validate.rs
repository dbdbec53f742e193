//! Checks that a downloaded file is whole before it is accepted: a zip's central directory
//! opens, a gzip stream decompresses to its end into a whole number of tar blocks, a JSON
//! document parses. Memory stays bounded: nothing is kept but the zip directory.

use std::io::{self, BufReader, Read};
use std::path::Path;

use crate::error::Failure;
use crate::feeds::Format;

/// A tar archive is a sequence of 512-byte blocks.
const TAR_BLOCK: u64 = 512;

/// Checks the file at `path` as `format`. `max_unpacked` bounds what a compressed stream may
/// expand to.
pub(crate) fn check(path: &Path, format: Format, max_unpacked: u64) -> Result<(), Failure> {
    let file = vigie_fs::open_regular(path).map_err(|e| Failure::io("open", path, e.into()))?;
    let invalid = |reason: String| Failure::Invalid {
        format: format.name(),
        reason,
    };
    match format {
        Format::Zip => check_zip(file).map_err(invalid),
        Format::TarGz => check_tar_gz(BufReader::new(file), max_unpacked).map_err(invalid),
        Format::Json => check_json(BufReader::new(file)).map_err(invalid),
    }
}

/// Opens the zip's central directory (end record, then every entry header); no entry is
/// decompressed.
fn check_zip<R: Read + io::Seek>(reader: R) -> Result<(), String> {
    let archive = zip::ZipArchive::new(reader).map_err(|e| e.to_string())?;
    // `ZipArchive::new` has read every central directory record; this only names the count.
    let _entries = archive.len();
    Ok(())
}

/// Decompresses every gzip member to its end (CRC and length checked by the decoder) and
/// checks that the result is a whole number of tar blocks, at most `max_unpacked` bytes.
fn check_tar_gz<R: io::BufRead>(reader: R, max_unpacked: u64) -> Result<(), String> {
    let mut decoder = flate2::bufread::MultiGzDecoder::new(reader);
    let mut buf = vec![0u8; 64 * 1024];
    let mut total: u64 = 0;
    loop {
        let n = match decoder.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(format!("gzip stream broken after {total} bytes: {e}")),
        };
        total = total.saturating_add(n as u64);
        if total > max_unpacked {
            return Err(format!("expands to more than {max_unpacked} bytes"));
        }
    }
    if total == 0 {
        return Err("empty archive".to_string());
    }
    if !total.is_multiple_of(TAR_BLOCK) {
        return Err(format!(
            "{total} bytes once decompressed, not a whole number of {TAR_BLOCK}-byte tar blocks"
        ));
    }
    Ok(())
}

/// Parses one JSON document to its end without keeping it (an ignored value is skipped with
/// a heap stack, so deep nesting cannot overflow the thread's stack).
fn check_json<R: Read>(reader: R) -> Result<(), String> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    <serde::de::IgnoredAny as serde::Deserialize>::deserialize(&mut de)
        .map_err(|e| e.to_string())?;
    de.end().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    #[test]
    fn empty_zip_is_just_an_end_record() {
        // The smallest valid zip, worked from APPNOTE 4.3.16: the end of central directory
        // signature PK\x05\x06 followed by 18 zero bytes (no entries, no comment).
        let mut eocd = vec![0x50, 0x4b, 0x05, 0x06];
        eocd.extend_from_slice(&[0; 18]);
        assert!(check_zip(Cursor::new(eocd.clone())).is_ok());
        eocd.truncate(21);
        assert!(check_zip(Cursor::new(eocd)).is_err());
        assert!(check_zip(Cursor::new(b"not a zip".to_vec())).is_err());
    }

    #[test]
    fn tar_gz_must_decompress_whole_blocks() {
        let gz = |data: &[u8]| {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            e.write_all(data)
                .map(|()| e.finish())
                .ok()
                .and_then(Result::ok)
        };
        // An empty tar archive is two zero blocks (POSIX ustar end-of-archive marker).
        let Some(ok) = gz(&[0u8; 1024]) else {
            panic!("gzip encoder failed")
        };
        assert!(check_tar_gz(Cursor::new(&ok), 1 << 20).is_ok());
        assert!(
            check_tar_gz(Cursor::new(&ok), 512).is_err(),
            "over the limit"
        );
        assert!(check_tar_gz(Cursor::new(&ok[..ok.len() - 4]), 1 << 20).is_err());
        let Some(odd) = gz(&[0u8; 1000]) else {
            panic!("gzip encoder failed")
        };
        assert!(check_tar_gz(Cursor::new(&odd), 1 << 20).is_err());
        assert!(check_tar_gz(Cursor::new(b"plain text"), 1 << 20).is_err());
    }

    #[test]
    fn json_must_parse_to_the_end() {
        assert!(check_json(Cursor::new(b"{\"a\": [1, 2, {\"b\": null}]}\n")).is_ok());
        assert!(check_json(Cursor::new(b"{\"a\": [1, 2")).is_err());
        assert!(check_json(Cursor::new(b"{} {}")).is_err());
        assert!(check_json(Cursor::new(b"")).is_err());
        // serde_json skips an ignored value with its own stack, not the thread's: deep but
        // valid nesting passes without overflowing, unbalanced nesting fails.
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(check_json(Cursor::new(deep.as_bytes())).is_ok());
        assert!(check_json(Cursor::new(&deep.as_bytes()[1..])).is_err());
    }
}
