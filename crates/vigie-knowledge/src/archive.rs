//! Zip archives of the mirror (`osv/<Ecosystem>/all.zip`), read as hostile.
//!
//! Only flat `*.json` entries are read. An entry is refused (counted, with
//! the reason, and skipped) when its name holds a path (`/`, `\`, `..`),
//! when it declares or turns out to be larger than
//! [`Limits::max_entry`], or when its compression ratio is above
//! [`Limits::max_ratio`]. The archive as a whole is refused when it has more
//! than [`Limits::max_entries`] entries or would inflate past
//! [`Limits::max_total`]. Nothing is ever written to disk.

use std::io::{Read, Seek};
use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering};

/// Bounds on what an archive may make vigie read.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Largest uncompressed entry (the largest real OSV record is about 2 MB).
    pub max_entry: u64,
    /// Largest total of uncompressed bytes.
    pub max_total: u64,
    /// Largest uncompressed/compressed ratio of one entry.
    pub max_ratio: u64,
    /// Most entries in one archive.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_entry: 32 << 20,
            max_total: 16 << 30,
            max_ratio: 250,
            max_entries: 2_000_000,
        }
    }
}

/// Why an archive could not be read at all.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("not a readable zip archive: {0}")]
    Zip(#[from] zip::result::ZipError),
    #[error("{entries} entries, more than the limit of {limit}")]
    TooManyEntries { entries: usize, limit: usize },
    #[error("inflates past the limit of {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("read error: {0}")]
    Io(#[from] std::io::Error),
}

/// An entry that was skipped, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub name: String,
    pub reason: String,
}

/// Calls `f(name, bytes)` for each acceptable `*.json` entry, in archive order.
/// Returns the refused entries.
pub fn for_each_json<R: Read + Seek>(
    reader: R,
    limits: Limits,
    f: impl FnMut(&str, &[u8]),
) -> Result<Vec<Refused>, ArchiveError> {
    for_each_json_in(reader, limits, None, &AtomicU64::new(0), f)
}

/// The number of entries of an archive (its central directory only).
pub fn entry_count<R: Read + Seek>(reader: R, limits: Limits) -> Result<usize, ArchiveError> {
    let zip = zip::ZipArchive::new(reader)?;
    if zip.len() > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            entries: zip.len(),
            limit: limits.max_entries,
        });
    }
    Ok(zip.len())
}

/// [`for_each_json`] over the entries of `range` only (all when `None`), so
/// that parts of one archive can be read in parallel, each through its own
/// reader. `inflated` counts the bytes inflated by every part, against
/// [`Limits::max_total`].
pub fn for_each_json_in<R: Read + Seek>(
    reader: R,
    limits: Limits,
    range: Option<Range<usize>>,
    inflated: &AtomicU64,
    mut f: impl FnMut(&str, &[u8]),
) -> Result<Vec<Refused>, ArchiveError> {
    let mut zip = zip::ZipArchive::new(reader)?;
    if zip.len() > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            entries: zip.len(),
            limit: limits.max_entries,
        });
    }
    let range = range.unwrap_or(0..zip.len());
    let mut refused = Vec::new();
    let mut buf = Vec::new();
    for i in range.start..range.end.min(zip.len()) {
        let mut entry = match zip.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                refused.push(Refused {
                    name: format!("#{i}"),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let name = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(e) => {
                refused.push(Refused {
                    name: format!("#{i}"),
                    reason: e.to_string(),
                });
                continue;
            }
        };
        let refuse = |reason: String| Refused {
            name: name.clone(),
            reason,
        };
        if let Some(reason) = bad_name(&name) {
            refused.push(refuse(reason.into()));
            continue;
        }
        if !name.ends_with(".json") {
            continue;
        }
        let size = entry.size();
        if size > limits.max_entry {
            refused.push(refuse(format!(
                "declares {size} bytes, over the limit of {}",
                limits.max_entry
            )));
            continue;
        }
        let compressed = entry.compressed_size().max(1);
        if size / compressed > limits.max_ratio {
            refused.push(refuse(format!(
                "compression ratio {} over the limit of {}",
                size / compressed,
                limits.max_ratio
            )));
            continue;
        }
        buf.clear();
        // The declared size may lie: never read more than the limit.
        let read = (&mut entry)
            .take(limits.max_entry + 1)
            .read_to_end(&mut buf);
        if let Err(e) = read {
            refused.push(refuse(format!("cannot inflate: {e}")));
            continue;
        }
        if buf.len() as u64 > limits.max_entry {
            refused.push(refuse(format!(
                "inflates past the limit of {} bytes",
                limits.max_entry
            )));
            continue;
        }
        let total = inflated.fetch_add(buf.len() as u64, Ordering::Relaxed) + buf.len() as u64;
        if total > limits.max_total {
            return Err(ArchiveError::TooLarge {
                limit: limits.max_total,
            });
        }
        f(&name, &buf);
    }
    Ok(refused)
}

/// Why an entry name is not a plain file name, if it is not.
fn bad_name(name: &str) -> Option<&'static str> {
    if name.contains('\0') {
        Some("name holds a NUL byte")
    } else if name.contains(['/', '\\']) {
        Some("name holds a path")
    } else if name == ".." || name == "." || name.is_empty() {
        Some("name is not a file name")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use std::io::{Cursor, Write};

    use zip::write::SimpleFileOptions;

    use super::*;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut out);
        let opts = SimpleFileOptions::default();
        for (name, data) in entries {
            zip.start_file(*name, opts).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        out.into_inner()
    }

    fn read(bytes: Vec<u8>, limits: Limits) -> (Vec<String>, Result<Vec<Refused>, ArchiveError>) {
        let mut seen = Vec::new();
        let r = for_each_json(Cursor::new(bytes), limits, |name, _| {
            seen.push(name.to_owned())
        });
        (seen, r)
    }

    #[test]
    fn refuses_paths_and_bombs_and_keeps_the_rest() {
        let bomb = vec![b' '; 1 << 20];
        let bytes = archive(&[
            ("A-1.json", b"{}"),
            ("../evil.json", b"{}"),
            ("dir/b.json", b"{}"),
            ("ALSA-2025:10873.json", b"{}"),
            ("bomb.json", &bomb),
            ("README.txt", b"hello"),
            ("B-2.json", b"{}"),
        ]);
        let (seen, refused) = read(bytes, Limits::default());
        // Ids with `:` are real (AlmaLinux); nothing is written to disk.
        assert_eq!(seen, ["A-1.json", "ALSA-2025:10873.json", "B-2.json"]);
        let refused = refused.unwrap();
        let names: Vec<_> = refused.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["../evil.json", "dir/b.json", "bomb.json"]);
        assert!(refused[2].reason.contains("ratio"), "{:?}", refused[2]);
    }

    #[test]
    fn entry_and_archive_limits() {
        let big = vec![b'x'; 4096];
        let bytes = archive(&[("a.json", &big), ("b.json", b"{}")]);
        let limits = Limits {
            max_entry: 1000,
            max_ratio: u64::MAX,
            ..Limits::default()
        };
        let (seen, refused) = read(bytes.clone(), limits);
        assert_eq!(seen, ["b.json"]);
        assert!(refused.unwrap()[0].reason.contains("limit"));

        let limits = Limits {
            max_entries: 1,
            ..Limits::default()
        };
        assert!(matches!(
            read(bytes, limits).1,
            Err(ArchiveError::TooManyEntries { .. })
        ));
    }

    #[test]
    fn truncated_and_garbage_archives_are_errors() {
        let bytes = archive(&[("a.json", b"{}"), ("b.json", b"{}")]);
        let half = bytes[..bytes.len() / 2].to_vec();
        assert!(read(half, Limits::default()).1.is_err());
        assert!(read(b"not a zip".to_vec(), Limits::default()).1.is_err());
    }
}
