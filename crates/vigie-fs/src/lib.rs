//! The one way vigie reads a file it did not write itself.
//!
//! A path met in a scanned tree, a configuration, a mirror or an index may name a named pipe,
//! a device (`/dev/zero`), a socket, or a file that grows while it is read. [`open_regular`]
//! opens without blocking (a FIFO with no writer would hang a plain `open`), then looks at the
//! *opened* handle, so nothing can be swapped in between, and refuses whatever is not a
//! regular file. [`read_bounded`] reads at most the limit plus one byte, so the limit holds
//! while reading, whatever the metadata said.
//!
//! ```
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("a.txt");
//! std::fs::write(&path, "hello").unwrap();
//! assert_eq!(vigie_fs::read_text_bounded(&path, 16).unwrap(), "hello");
//! assert!(matches!(
//!     vigie_fs::read_bounded(&path, 4),
//!     Err(vigie_fs::ReadError::TooLarge { limit: 4 })
//! ));
//! ```
//!
//! Links are followed (a checked-out tree may hold them; the caller decides whether the place
//! they lead to is acceptable); what they lead to must still be a regular file.

#![deny(missing_docs)]

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

/// Why a file was not read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Nothing at that path.
    #[error("no such file")]
    NotFound,
    /// A folder, named pipe, socket or device: never read.
    #[error("not a regular file ({0})")]
    NotRegular(&'static str),
    /// The file holds more than the limit, found before or while reading.
    #[error("larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
    },
    /// The bytes are not UTF-8 ([`read_text_bounded`] only).
    #[error("not UTF-8 text")]
    NotText,
    /// Any other failure of the system.
    #[error("{0}")]
    Io(io::Error),
}

impl ReadError {
    fn from_io(e: io::Error) -> ReadError {
        match e.kind() {
            io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e),
        }
    }
}

impl From<ReadError> for io::Error {
    /// For callers whose errors hold an `io::Error`: a missing file stays `NotFound`.
    fn from(e: ReadError) -> io::Error {
        match e {
            ReadError::Io(e) => e,
            ReadError::NotFound => io::Error::from(io::ErrorKind::NotFound),
            ReadError::TooLarge { .. } => io::Error::new(io::ErrorKind::FileTooLarge, e),
            ReadError::NotText => io::Error::new(io::ErrorKind::InvalidData, e),
            ReadError::NotRegular(_) => io::Error::new(io::ErrorKind::InvalidInput, e),
        }
    }
}

/// Opens `path` for reading without ever blocking (no wait for a pipe's writer), and refuses
/// it unless the opened handle is a regular file.
pub fn open_regular(path: &Path) -> Result<File, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking open: a FIFO opens at once instead of waiting for a writer. It has no
        // effect on a regular file's reads, the only ones that follow.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(ReadError::from_io)?;
    let kind = file.metadata().map_err(ReadError::Io)?.file_type();
    if kind.is_file() {
        return Ok(file);
    }
    Err(ReadError::NotRegular(describe(kind)))
}

fn describe(kind: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "a named pipe";
        }
        if kind.is_socket() {
            return "a socket";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
    }
    if kind.is_dir() { "a folder" } else { "special" }
}

/// The bytes of the regular file at `path`, at most `max` of them.
pub fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let file = open_regular(path)?;
    let len = file.metadata().map_err(ReadError::Io)?.len();
    if len > max {
        return Err(ReadError::TooLarge { limit: max });
    }
    // The length is a hint only: the file may grow or shrink meanwhile.
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge { limit: max });
    }
    Ok(bytes)
}

/// The text of the regular file at `path`, at most `max` bytes of UTF-8, a leading byte order
/// mark dropped.
pub fn read_text_bounded(path: &Path, max: u64) -> Result<String, ReadError> {
    let mut bytes = read_bounded(path, max)?;
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).map_err(|_| ReadError::NotText)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[cfg(unix)]
    #[test]
    fn a_named_pipe_is_refused_at_once() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let start = Instant::now();
        let err = read_bounded(&fifo, 1024).unwrap_err();
        assert!(
            matches!(err, ReadError::NotRegular("a named pipe")),
            "{err}"
        );
        assert!(start.elapsed() < Duration::from_secs(5));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_device_is_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("zero");
        std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
        let err = read_bounded(&link, 1 << 30).unwrap_err();
        assert!(matches!(err, ReadError::NotRegular("a device")), "{err}");
    }

    #[test]
    fn folders_missing_files_and_limits() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(
            read_bounded(dir.path(), 10),
            Err(ReadError::NotRegular("a folder"))
        ));
        assert!(matches!(
            read_bounded(&dir.path().join("none"), 10),
            Err(ReadError::NotFound)
        ));
        let file = dir.path().join("f");
        std::fs::write(&file, b"\xEF\xBB\xBFabc").unwrap();
        assert_eq!(read_text_bounded(&file, 6).unwrap(), "abc");
        assert!(matches!(
            read_bounded(&file, 5),
            Err(ReadError::TooLarge { limit: 5 })
        ));
        std::fs::write(&file, b"\xFF").unwrap();
        assert!(matches!(
            read_text_bounded(&file, 5),
            Err(ReadError::NotText)
        ));
    }
}
