//! The advisory names of the index: every advisory id and alias (`CVE-…`, `GHSA-…`,
//! `RUSTSEC-…`) with the packages its advisory affects, so that "are we hit by CVE-X?" can
//! tell an advisory the index does not know from one that hits nothing.
//!
//! ```text
//! ids.idx  "VIGIEIDS" | u32 format
//!          | u32 n_advisories | { u32 n, u32 package* }*      package: position in osv.idx
//!          | u32 n_names | { u16 len, utf-8 name, u32 advisory }*   sorted by name
//! ```
//!
//! Names are upper-cased (ids are compared without regard to case). The file is written by
//! [`IndexWriter::write`](crate::index::IndexWriter::write) beside `osv.idx`, from the same
//! package order; it is read only by those who ask about advisories by name (the server, `who-uses
//! --advisory`) or count them per ecosystem (the administration's knowledge page), never by
//! the audit.

use std::path::Path;

use crate::index::{Cursor, FORMAT, IndexError};

const MAGIC: &[u8; 8] = b"VIGIEIDS";

/// The file of advisory names, beside `osv.idx`.
pub const IDS_FILE: &str = "ids.idx";

/// The largest names file read (the whole of OSV takes about 20 MB).
const MAX_BYTES: u64 = 512 << 20;

/// Serialises the names table: `advisories[i]` is the (id, aliases) of advisory `i` and the
/// positions of its packages in `osv.idx`.
pub(crate) fn encode<'a>(advisories: impl Iterator<Item = (Vec<&'a str>, Vec<u32>)>) -> Vec<u8> {
    let mut out = Vec::with_capacity(1 << 20);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    let count_at = out.len();
    out.extend_from_slice(&0u32.to_le_bytes());
    let mut names: Vec<(String, u32)> = Vec::new();
    let mut n = 0u32;
    for (i, (ids, packages)) in advisories.enumerate() {
        let i = i as u32;
        out.extend_from_slice(&(packages.len() as u32).to_le_bytes());
        for p in &packages {
            out.extend_from_slice(&p.to_le_bytes());
        }
        let mut own: Vec<String> = ids
            .iter()
            .map(|s| s.trim().to_ascii_uppercase())
            .filter(|s| !s.is_empty() && s.len() <= usize::from(u16::MAX))
            .collect();
        own.sort();
        own.dedup();
        names.extend(own.into_iter().map(|s| (s, i)));
        n += 1;
    }
    out[count_at..count_at + 4].copy_from_slice(&n.to_le_bytes());
    names.sort();
    out.extend_from_slice(&(names.len() as u32).to_le_bytes());
    for (name, adv) in &names {
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&adv.to_le_bytes());
    }
    out
}

/// The advisory names of an index, read whole.
pub struct AdvisoryNames {
    /// Per advisory, its span in `packages`.
    advisories: Vec<(u32, u32)>,
    packages: Vec<u32>,
    /// Every name, concatenated; `names` gives (span in `text`, advisory), sorted by name.
    text: String,
    names: Vec<((u32, u32), u32)>,
}

impl AdvisoryNames {
    /// Reads `ids.idx` in `dir`. An index compiled before this file existed has none:
    /// [`IndexError::Io`] with `NotFound` (the user runs `vigie sync` again).
    pub fn open(dir: &Path) -> Result<AdvisoryNames, IndexError> {
        let path = dir.join(IDS_FILE);
        let shown = path.display().to_string();
        let bytes = crate::index::read_bounded(&path, MAX_BYTES)?;
        let corrupt = |at| IndexError::Corrupt {
            path: shown.clone(),
            at,
        };
        let mut r = Cursor::new(&bytes);
        if r.take(8).ok_or_else(|| corrupt(0))? != MAGIC {
            return Err(IndexError::Magic { path: shown });
        }
        let format = r.u32().ok_or_else(|| corrupt(r.at))?;
        if format != FORMAT {
            return Err(IndexError::Format {
                path: shown,
                found: format,
            });
        }
        let n = r.u32().ok_or_else(|| corrupt(r.at))? as usize;
        // Each advisory takes at least 4 bytes: a count larger than the file is corrupt.
        if n > bytes.len() / 4 {
            return Err(corrupt(r.at));
        }
        let mut advisories = Vec::with_capacity(n);
        let mut packages = Vec::new();
        for _ in 0..n {
            let at = r.at;
            let k = r.u32().ok_or_else(|| corrupt(at))? as usize;
            if k > bytes.len().saturating_sub(r.at) / 4 {
                return Err(corrupt(at));
            }
            let start = packages.len() as u32;
            for _ in 0..k {
                packages.push(r.u32().ok_or_else(|| corrupt(at))?);
            }
            advisories.push((start, packages.len() as u32));
        }
        let m = r.u32().ok_or_else(|| corrupt(r.at))? as usize;
        if m > bytes.len() / 6 {
            return Err(corrupt(r.at));
        }
        let mut text = String::with_capacity(bytes.len().saturating_sub(r.at));
        let mut names = Vec::with_capacity(m);
        for _ in 0..m {
            let at = r.at;
            let len = r.u16().ok_or_else(|| corrupt(at))? as usize;
            let name = std::str::from_utf8(r.take(len).ok_or_else(|| corrupt(at))?)
                .map_err(|_| corrupt(at))?;
            let adv = r.u32().ok_or_else(|| corrupt(at))?;
            if adv as usize >= advisories.len() {
                return Err(corrupt(at));
            }
            let start = text.len() as u32;
            text.push_str(name);
            names.push(((start, text.len() as u32), adv));
        }
        let out = AdvisoryNames {
            advisories,
            packages,
            text,
            names,
        };
        if out
            .names
            .windows(2)
            .any(|w| out.name(w[0].0) > out.name(w[1].0))
        {
            return Err(corrupt(0));
        }
        Ok(out)
    }

    fn name(&self, span: (u32, u32)) -> &str {
        &self.text[span.0 as usize..span.1 as usize]
    }

    /// Number of names (ids and aliases).
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when the index names no advisory.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Every advisory of the index, each as the positions in `osv.idx` of the packages it
    /// affects (in no particular order; an advisory that affects no package gives none).
    pub fn advisories(&self) -> impl Iterator<Item = &[u32]> {
        self.advisories
            .iter()
            .map(|&(a, b)| &self.packages[a as usize..b as usize])
    }

    /// The positions in `osv.idx` of the packages of every advisory that `name` is the id or
    /// an alias of (whatever its case), each once, in index order. `None` when no advisory of
    /// the index has that name.
    pub fn packages(&self, name: &str) -> Option<Vec<u32>> {
        let name = name.trim().to_ascii_uppercase();
        let first = self
            .names
            .partition_point(|(span, _)| self.name(*span) < name.as_str());
        let mut out: Vec<u32> = self.names[first..]
            .iter()
            .take_while(|(span, _)| self.name(*span) == name)
            .flat_map(|(_, adv)| {
                let (a, b) = self.advisories[*adv as usize];
                self.packages[a as usize..b as usize].iter().copied()
            })
            .collect();
        if first == self.names.len() || self.name(self.names[first].0) != name {
            return None;
        }
        out.sort_unstable();
        out.dedup();
        Some(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Vec<u8> {
        encode(
            [
                (vec!["GHSA-aaaa", "CVE-2026-1"], vec![0, 2]),
                (vec!["RUSTSEC-2026-0001", "cve-2026-1"], vec![1]),
                (vec!["PYSEC-1"], vec![]),
            ]
            .into_iter(),
        )
    }

    #[test]
    fn a_shared_alias_gives_the_packages_of_every_advisory_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(IDS_FILE), table()).unwrap();
        let names = AdvisoryNames::open(dir.path()).unwrap();
        assert_eq!(names.len(), 5);
        assert_eq!(names.packages("CVE-2026-1"), Some(vec![0, 1, 2]));
        assert_eq!(names.packages(" ghsa-AAAA "), Some(vec![0, 2]));
        assert_eq!(names.packages("PYSEC-1"), Some(vec![]));
        assert_eq!(names.packages("CVE-2026-2"), None);
        assert_eq!(names.packages(""), None);
        let each: Vec<&[u32]> = names.advisories().collect();
        assert_eq!(each, vec![&[0, 2][..], &[1][..], &[][..]]);
    }

    #[test]
    fn a_truncated_or_damaged_table_is_an_error_never_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(IDS_FILE);
        let whole = table();
        for len in 0..whole.len() {
            std::fs::write(&path, &whole[..len]).unwrap();
            assert!(
                AdvisoryNames::open(dir.path()).is_err(),
                "truncated at {len}"
            );
        }
        for at in 8..whole.len() {
            let mut bytes = whole.clone();
            bytes[at] ^= 0xff;
            std::fs::write(&path, &bytes).unwrap();
            // Damage is refused or gives some table; it never panics.
            if let Ok(names) = AdvisoryNames::open(dir.path()) {
                let _ = names.packages("CVE-2026-1");
            }
        }
    }
}
