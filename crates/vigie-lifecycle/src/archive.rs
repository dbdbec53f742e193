//! Gzipped tar archives of the mirror (`endoflife/products.tar.gz`,
//! `endoflife/release-data.tar.gz`), read as hostile.
//!
//! Nothing is written to disk. Only regular files whose path the caller wants
//! are read into memory; an entry is refused (listed with the reason, and
//! skipped) when its path is absolute, climbs (`..`), holds a backslash or a
//! NUL byte, when it is a link, or when it is larger than
//! [`Limits::max_entry`]. The archive as a whole is refused when it has more
//! than [`Limits::max_entries`] entries or inflates past
//! [`Limits::max_total`] bytes (a gzip bomb), counting the entries skipped.

use std::io::{self, Read};

use crate::Skipped;

/// Bounds on what one archive may make vigie read.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest file read (the largest real product file is 122 kB, the
    /// largest release-data file 921 kB).
    pub max_entry: u64,
    /// Largest total of inflated bytes, whole archive (the real archives
    /// inflate to 2.4 MB and 7.8 MB; GitHub's archive of the whole
    /// repository is larger, but far from this).
    pub max_total: u64,
    /// Most entries in one archive.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_entry: 16 << 20,
            max_total: 256 << 20,
            max_entries: 200_000,
        }
    }
}

/// Why an archive could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// Not gzip, not tar, or cut short.
    #[error("not a readable tar.gz archive: {0}")]
    Unreadable(io::Error),
    /// More entries than [`Limits::max_entries`].
    #[error("more than {limit} entries")]
    TooManyEntries {
        /// The limit.
        limit: usize,
    },
    /// Inflates past [`Limits::max_total`].
    #[error("inflates past the limit of {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
}

/// A reader that fails once more than `left` bytes have been read through it.
struct Capped<R> {
    inner: R,
    left: u64,
    tripped: bool,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        match self.left.checked_sub(n as u64) {
            Some(left) => {
                self.left = left;
                Ok(n)
            }
            None => {
                self.tripped = true;
                Err(io::Error::other("archive inflates past the limit"))
            }
        }
    }
}

/// Calls `f(path, bytes)` for each regular file whose `/`-separated path
/// `want` accepts, in archive order. Returns the refused entries.
pub fn for_each_file(
    gz: &[u8],
    limits: &Limits,
    want: impl Fn(&str) -> bool,
    mut f: impl FnMut(&str, &[u8]),
) -> Result<Vec<Skipped>, ArchiveError> {
    let capped = Capped {
        inner: flate2::read::GzDecoder::new(gz),
        left: limits.max_total,
        tripped: false,
    };
    let mut archive = tar::Archive::new(capped);
    let mut refused = Vec::new();
    let result = read_entries(&mut archive, limits, &want, &mut f, &mut refused);
    if archive.into_inner().tripped {
        return Err(ArchiveError::TooLarge {
            limit: limits.max_total,
        });
    }
    result.map(|()| refused)
}

fn read_entries<R: Read>(
    archive: &mut tar::Archive<R>,
    limits: &Limits,
    want: &impl Fn(&str) -> bool,
    f: &mut impl FnMut(&str, &[u8]),
    refused: &mut Vec<Skipped>,
) -> Result<(), ArchiveError> {
    let entries = archive.entries().map_err(ArchiveError::Unreadable)?;
    let mut buf = Vec::new();
    for (count, entry) in entries.enumerate() {
        if count >= limits.max_entries {
            return Err(ArchiveError::TooManyEntries {
                limit: limits.max_entries,
            });
        }
        let mut entry = entry.map_err(ArchiveError::Unreadable)?;
        let raw = entry.path_bytes();
        let path = String::from_utf8_lossy(&raw).into_owned();
        let kind = entry.header().entry_type();
        if kind.is_dir() || kind.is_pax_global_extensions() {
            continue;
        }
        if let Some(reason) = bad_path(&path) {
            refused.push(Skipped::new(&path, reason));
            continue;
        }
        if !want(&path) {
            continue;
        }
        if !kind.is_file() {
            refused.push(Skipped::new(&path, "not a regular file (a link?)"));
            continue;
        }
        let size = entry.size();
        if size > limits.max_entry {
            refused.push(Skipped::new(
                &path,
                format!("{size} bytes, over the limit of {}", limits.max_entry),
            ));
            continue;
        }
        buf.clear();
        (&mut entry)
            .take(limits.max_entry)
            .read_to_end(&mut buf)
            .map_err(ArchiveError::Unreadable)?;
        f(&path, &buf);
    }
    Ok(())
}

/// Why an entry path is refused, if it is.
fn bad_path(path: &str) -> Option<&'static str> {
    if path.contains('\0') {
        Some("path holds a NUL byte")
    } else if path.contains('\\') {
        Some("path holds a backslash")
    } else if path.starts_with('/') {
        Some("absolute path")
    } else if path.split('/').any(|c| c == "..") {
        Some("path climbs out of the archive (`..`)")
    } else {
        None
    }
}

/// The name of a product file: `products/<name>.md` at any depth (the
/// mirror's archive has it at the top, GitHub's below `<repo>-<branch>/`).
pub fn product_name(path: &str) -> Option<&str> {
    file_in(path, "products", ".md")
}

/// The name of a release-data file: `releases/<name>.json` at any depth.
pub fn release_data_name(path: &str) -> Option<&str> {
    file_in(path, "releases", ".json")
}

fn file_in<'a>(path: &'a str, folder: &str, ext: &str) -> Option<&'a str> {
    let mut parts = path.rsplit('/');
    let file = parts.next()?;
    if parts.next()? != folder {
        return None;
    }
    let name = file.strip_suffix(ext)?;
    let plain = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    plain.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_at_any_depth() {
        assert_eq!(product_name("products/python.md"), Some("python"));
        assert_eq!(
            product_name("endoflife.date-master/products/nodejs.md"),
            Some("nodejs")
        );
        assert_eq!(product_name("products/python.json"), None);
        assert_eq!(product_name("python.md"), None);
        assert_eq!(product_name("products/.md"), None);
        assert_eq!(product_name("other/python.md"), None);
        assert_eq!(
            release_data_name("release-data-main/releases/go.json"),
            Some("go")
        );
    }

    #[test]
    fn bad_paths() {
        assert!(bad_path("../products/x.md").is_some());
        assert!(bad_path("a/../../x.md").is_some());
        assert!(bad_path("/etc/x.md").is_some());
        assert!(bad_path("a\\b.md").is_some());
        assert!(bad_path("a/b..c/x.md").is_none());
    }
}
