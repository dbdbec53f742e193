//! The advisory index: two files written by `vigie sync`, read by `vigie audit`.
//!
//! ```text
//! osv.idx  "VIGIEOSV" | u32 format | u32 n_ecosystems | { u16 len, utf-8 name }*
//!          | u32 n_packages | { u16 ecosystem, u16 len, utf-8 key, u64 offset, u32 length }*
//! osv.dat  the blobs: for each package, a JSON array of PackageAdvisory
//! ```
//!
//! Integers are little-endian. Ecosystems are OSV base names (`AlmaLinux`,
//! not `AlmaLinux:9`); a package key is the name normalised for its
//! ecosystem ([`crate::package_key`]). Packages are sorted by (ecosystem
//! index, key), so a lookup is a binary search over a table of about 40,000
//! entries parsed at open time (well under a millisecond), followed by one
//! positioned read and the JSON decoding of that one package's advisories.
//! An advisory that affects several packages is written once per package:
//! the index trades a few megabytes for never touching unrelated data.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::osv::{Advisory, AffectedPackage};

const MAGIC: &[u8; 8] = b"VIGIEOSV";
/// Bumped whenever the layout or the blob schema changes; an index of another
/// format is refused (the user runs `vigie sync` again).
pub const FORMAT: u32 = 1;

pub const IDX_FILE: &str = "osv.idx";
pub const DAT_FILE: &str = "osv.dat";

/// One advisory of one package: the advisory and its `affected[]` entries
/// for that package (there may be several, e.g. one per `AlmaLinux:N`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PackageAdvisory {
    pub advisory: Advisory,
    pub affected: Vec<AffectedPackage>,
}

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
    #[error("{path}: not a vigie advisory index (run `vigie sync`)")]
    Magic { path: String },
    #[error("{path}: index format {found}, this vigie reads format {FORMAT} (run `vigie sync`)")]
    Format { path: String, found: u32 },
    #[error("{path}: corrupt index at byte {at}")]
    Corrupt { path: String, at: usize },
    #[error("{path}: corrupt entry for {key}: {source}")]
    Blob {
        path: String,
        key: String,
        source: serde_json::Error,
    },
}

/// The serialised form of [`PackageAdvisory`], borrowing: the writer keeps
/// each advisory once however many packages it affects.
#[derive(Serialize)]
struct PackageAdvisoryRef<'a> {
    advisory: &'a Advisory,
    affected: &'a [AffectedPackage],
}

/// (ecosystem, key) → (index of the advisory, its affected entries for that package).
type PackageTable = BTreeMap<(String, String), Vec<(u32, Vec<AffectedPackage>)>>;

/// Builds an index in memory, then writes it.
#[derive(Default)]
pub struct IndexWriter {
    advisories: Vec<Advisory>,
    packages: PackageTable,
}

impl IndexWriter {
    pub fn new() -> IndexWriter {
        IndexWriter::default()
    }

    /// Adds an advisory under each (ecosystem, key) its affected entries name.
    pub fn add(&mut self, advisory: Advisory, affected: Vec<AffectedPackage>) {
        let index = self.advisories.len() as u32;
        self.advisories.push(advisory);
        let mut by_key: BTreeMap<(String, String), Vec<AffectedPackage>> = BTreeMap::new();
        for a in affected {
            let base = crate::ecosystem_base(&a.ecosystem).to_owned();
            let key = crate::package_key(&base, &a.name).into_owned();
            by_key.entry((base, key)).or_default().push(a);
        }
        for (k, affected) in by_key {
            self.packages.entry(k).or_default().push((index, affected));
        }
    }

    /// Number of distinct packages.
    pub fn len(&self) -> usize {
        self.packages.len()
    }

    pub fn is_empty(&self) -> bool {
        self.packages.is_empty()
    }

    /// Writes `osv.idx` and `osv.dat` into `dir`.
    pub fn write(&self, dir: &Path) -> Result<(), IndexError> {
        let io_err = |path: &Path| {
            let path = path.display().to_string();
            move |source| IndexError::Io { path, source }
        };
        let dat_path = dir.join(DAT_FILE);
        let mut dat = BufWriter::new(File::create(&dat_path).map_err(io_err(&dat_path))?);
        let mut ecosystems: Vec<&str> = Vec::new();
        let mut table = Vec::with_capacity(self.packages.len() * 32);
        let mut offset: u64 = 0;
        let n = u32::try_from(self.packages.len()).unwrap_or(u32::MAX);
        for ((eco, key), advisories) in &self.packages {
            let eco_index = match ecosystems.iter().position(|e| e == eco) {
                Some(i) => i,
                None => {
                    ecosystems.push(eco);
                    ecosystems.len() - 1
                }
            };
            let refs: Vec<PackageAdvisoryRef<'_>> = advisories
                .iter()
                .map(|(i, affected)| PackageAdvisoryRef {
                    advisory: &self.advisories[*i as usize],
                    affected,
                })
                .collect();
            let blob = serde_json::to_vec(&refs).map_err(|e| IndexError::Blob {
                path: dat_path.display().to_string(),
                key: key.clone(),
                source: e,
            })?;
            dat.write_all(&blob).map_err(io_err(&dat_path))?;
            table.extend_from_slice(&(eco_index as u16).to_le_bytes());
            let key_bytes = &key.as_bytes()[..key.len().min(u16::MAX as usize)];
            table.extend_from_slice(&(key_bytes.len() as u16).to_le_bytes());
            table.extend_from_slice(key_bytes);
            table.extend_from_slice(&offset.to_le_bytes());
            table.extend_from_slice(&(blob.len() as u32).to_le_bytes());
            offset += blob.len() as u64;
        }
        dat.flush().map_err(io_err(&dat_path))?;

        let idx_path = dir.join(IDX_FILE);
        let mut idx = Vec::with_capacity(table.len() + 1024);
        idx.extend_from_slice(MAGIC);
        idx.extend_from_slice(&FORMAT.to_le_bytes());
        idx.extend_from_slice(&(ecosystems.len() as u32).to_le_bytes());
        for e in &ecosystems {
            idx.extend_from_slice(&(e.len() as u16).to_le_bytes());
            idx.extend_from_slice(e.as_bytes());
        }
        idx.extend_from_slice(&n.to_le_bytes());
        idx.extend_from_slice(&table);
        std::fs::write(&idx_path, idx).map_err(io_err(&idx_path))?;

        // The advisory names, pointing at the package positions just written.
        let mut of_advisory: Vec<Vec<u32>> = vec![Vec::new(); self.advisories.len()];
        for (position, advisories) in self.packages.values().enumerate() {
            for (i, _) in advisories {
                of_advisory[*i as usize].push(position as u32);
            }
        }
        let ids = crate::ids::encode(self.advisories.iter().zip(of_advisory).map(|(a, p)| {
            let names = std::iter::once(a.id.as_str())
                .chain(a.aliases.iter().map(String::as_str))
                .collect();
            (names, p)
        }));
        let ids_path = dir.join(crate::ids::IDS_FILE);
        std::fs::write(&ids_path, ids).map_err(io_err(&ids_path))?;
        Ok(())
    }
}

struct Entry {
    ecosystem: u16,
    key: (u32, u32),
    offset: u64,
    len: u32,
}

/// An open index: the package table in memory, the blobs on disk.
pub struct Index {
    ecosystems: Vec<String>,
    keys: String,
    entries: Vec<Entry>,
    dat: File,
    dat_path: String,
}

impl Index {
    /// Opens the index in `dir`.
    pub fn open(dir: &Path) -> Result<Index, IndexError> {
        let idx_path = dir.join(IDX_FILE);
        let dat_path = dir.join(DAT_FILE);
        let idx = read_bounded(&idx_path, MAX_IDX_BYTES)?;
        let dat = vigie_fs::open_regular(&dat_path).map_err(|e| IndexError::Io {
            path: dat_path.display().to_string(),
            source: e.into(),
        })?;
        let dat_len = dat.metadata().map(|m| m.len()).unwrap_or(0);
        let path = idx_path.display().to_string();
        let mut r = Cursor::new(&idx);
        let corrupt = |at| IndexError::Corrupt {
            path: path.clone(),
            at,
        };
        if r.take(8).ok_or_else(|| corrupt(0))? != MAGIC {
            return Err(IndexError::Magic { path });
        }
        let format = r.u32().ok_or_else(|| corrupt(r.at))?;
        if format != FORMAT {
            return Err(IndexError::Format {
                path,
                found: format,
            });
        }
        let n_eco = r.u32().ok_or_else(|| corrupt(r.at))? as usize;
        let mut ecosystems = Vec::with_capacity(n_eco.min(1024));
        for _ in 0..n_eco {
            let len = r.u16().ok_or_else(|| corrupt(r.at))? as usize;
            let name = r.take(len).ok_or_else(|| corrupt(r.at))?;
            ecosystems.push(String::from_utf8_lossy(name).into_owned());
        }
        let n = r.u32().ok_or_else(|| corrupt(r.at))? as usize;
        // Each entry takes at least 16 bytes: a count larger than the file is corrupt.
        if n > idx.len() / 16 {
            return Err(corrupt(r.at));
        }
        let mut keys = String::with_capacity(idx.len().saturating_sub(r.at));
        let mut entries = Vec::with_capacity(n);
        for _ in 0..n {
            let at = r.at;
            let ecosystem = r.u16().ok_or_else(|| corrupt(at))?;
            let len = r.u16().ok_or_else(|| corrupt(at))? as usize;
            let key = std::str::from_utf8(r.take(len).ok_or_else(|| corrupt(at))?)
                .map_err(|_| corrupt(at))?;
            let offset = r.u64().ok_or_else(|| corrupt(at))?;
            let blob_len = r.u32().ok_or_else(|| corrupt(at))?;
            if usize::from(ecosystem) >= ecosystems.len()
                || offset.saturating_add(u64::from(blob_len)) > dat_len
            {
                return Err(corrupt(at));
            }
            let start = keys.len() as u32;
            keys.push_str(key);
            entries.push(Entry {
                ecosystem,
                key: (start, keys.len() as u32),
                offset,
                len: blob_len,
            });
        }
        Ok(Index {
            ecosystems,
            keys,
            entries,
            dat,
            dat_path: dat_path.display().to_string(),
        })
    }

    /// Number of packages with at least one advisory.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The OSV base names of the ecosystems in the index.
    pub fn ecosystems(&self) -> &[String] {
        &self.ecosystems
    }

    fn key(&self, e: &Entry) -> &str {
        &self.keys[e.key.0 as usize..e.key.1 as usize]
    }

    /// The advisories of a package, the name already normalised with
    /// [`crate::package_key`]. Empty when the package has none.
    pub fn lookup(&self, ecosystem: &str, key: &str) -> Result<Vec<PackageAdvisory>, IndexError> {
        let Some(eco) = self.ecosystems.iter().position(|e| e == ecosystem) else {
            return Ok(Vec::new());
        };
        let eco = eco as u16;
        let found = self
            .entries
            .binary_search_by(|e| e.ecosystem.cmp(&eco).then_with(|| self.key(e).cmp(key)));
        let Ok(i) = found else {
            return Ok(Vec::new());
        };
        let entry = &self.entries[i];
        let mut buf = vec![0; entry.len as usize];
        read_at(&self.dat, &mut buf, entry.offset).map_err(|source| IndexError::Io {
            path: self.dat_path.clone(),
            source,
        })?;
        serde_json::from_slice(&buf).map_err(|source| IndexError::Blob {
            path: self.dat_path.clone(),
            key: key.to_owned(),
            source,
        })
    }

    /// The (ecosystem, key) at a position of the index (as [`crate::ids::AdvisoryNames`]
    /// gives them).
    pub fn package(&self, position: u32) -> Option<(&str, &str)> {
        let e = self.entries.get(position as usize)?;
        Some((
            self.ecosystems.get(e.ecosystem as usize)?.as_str(),
            self.key(e),
        ))
    }

    /// Every (ecosystem, key) of the index, in index order.
    pub fn packages(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .map(|e| (self.ecosystems[e.ecosystem as usize].as_str(), self.key(e)))
    }
}

/// The largest package table read (the whole of OSV takes about 2 MB).
const MAX_IDX_BYTES: u64 = 256 << 20;

/// Reads a whole regular file of at most `max` bytes (through `vigie_fs`).
pub(crate) fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, IndexError> {
    vigie_fs::read_bounded(path, max).map_err(|e| IndexError::Io {
        path: path.display().to_string(),
        source: e.into(),
    })
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

/// A reader of little-endian integers and byte strings over a buffer; `None` past its end.
pub(crate) struct Cursor<'a> {
    buf: &'a [u8],
    pub(crate) at: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Cursor<'a> {
        Cursor { buf, at: 0 }
    }
    pub(crate) fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.buf.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    pub(crate) fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take(2)?.try_into().ok()?))
    }
    pub(crate) fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub(crate) fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
}
