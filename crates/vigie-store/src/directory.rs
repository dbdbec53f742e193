//! The snapshot directory: per snapshot, one blob naming every project that has components,
//! with its component list, sorted by path.
//!
//! Who-uses of a package present in thousands of projects matches the package's postings
//! (list ids) against the snapshot's projects. Reading those from the `projects` table costs a
//! row step per project of the snapshot; the directory is the same facts in one blob, read in
//! one go and decoded in a tight loop, and already in the order of the answer (by path). It is
//! derived data: written when a snapshot is committed or imported (and by migration 3 for
//! older snapshots), deleted with its snapshot, and rebuilt from the projects when missing
//! ([`with`], over the storage primitives; the SQLite backend stores it in
//! `snapshot_directory`).
//!
//! # Format 1
//!
//! `[1]` then per project, by path (byte order): `varint zigzag(project_id - previous)`,
//! `varint zigzag(list_id - previous)` (the previous of the first is 0), `varint shared` (the
//! number of leading bytes of the path equal to the previous path's), `varint length` + bytes
//! of the rest of the path, `varint length` + UTF-8 bytes of the name. Sorted paths share long
//! prefixes: the blob is about half the size of the texts.

use crate::lists::{Reader, put_text, put_varint};
use crate::storage::Storage;
use crate::{Result, SnapshotId};

const FORMAT: u8 = 1;

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// One project of a directory; the name is borrowed from the blob (not yet checked as UTF-8),
/// the path is the directory's current one ([`Directory::path`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DirEntry<'a> {
    pub project: i64,
    pub list: i64,
    pub name: &'a [u8],
}

/// Encodes `(project id, list id, path, name)` rows (in any order) as a directory blob.
pub(crate) fn encode(rows: &mut [(i64, i64, String, String)]) -> Vec<u8> {
    rows.sort_unstable_by(|a, b| a.2.cmp(&b.2));
    let mut out = Vec::with_capacity(1 + rows.iter().map(|r| 8 + r.3.len()).sum::<usize>());
    out.push(FORMAT);
    let (mut project, mut list, mut path) = (0i64, 0i64, "");
    for (p, l, new_path, name) in rows.iter() {
        put_varint(&mut out, zigzag(p.wrapping_sub(project)));
        put_varint(&mut out, zigzag(l.wrapping_sub(list)));
        let shared = path
            .bytes()
            .zip(new_path.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        put_varint(&mut out, shared as u64);
        put_varint(&mut out, (new_path.len() - shared) as u64);
        out.extend_from_slice(new_path.as_bytes().get(shared..).unwrap_or_default());
        put_text(&mut out, name);
        (project, list, path) = (*p, *l, new_path);
    }
    out
}

/// The directory of `snapshot` built from its projects (those that have components).
pub(crate) fn build(s: &dyn Storage, snapshot: SnapshotId) -> Result<Vec<u8>> {
    let mut rows: Vec<_> = s
        .projects(snapshot)?
        .into_iter()
        .filter_map(|p| p.list.map(|l| (p.id, l, p.path, p.name)))
        .collect();
    Ok(encode(&mut rows))
}

/// Calls `f` with the directory of `snapshot`: the stored blob, read in place, else one built
/// from its projects.
pub(crate) fn with<T>(
    s: &dyn Storage,
    snapshot: SnapshotId,
    f: impl FnOnce(&[u8]) -> Result<T>,
) -> Result<T> {
    let mut f = Some(f);
    let mut out = None;
    s.directory(snapshot, &mut |data| {
        if let Some(f) = f.take() {
            out = Some(f(data)?);
        }
        Ok(())
    })?;
    match (out, f) {
        (Some(v), _) => Ok(v),
        (None, Some(f)) => f(&build(s, snapshot)?),
        (None, None) => Err(crate::Error::Corrupt(
            "snapshot directory: read twice".into(),
        )),
    }
}

/// A cursor over a directory blob.
pub(crate) struct Directory<'a> {
    r: Reader<'a>,
    project: i64,
    list: i64,
    path: Vec<u8>,
}

impl<'a> Directory<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Result<Directory<'a>> {
        let mut r = Reader::new(data, "snapshot directory");
        if r.byte()? != FORMAT {
            return Err(r.corrupt("unknown format"));
        }
        Ok(Directory {
            r,
            project: 0,
            list: 0,
            path: Vec::new(),
        })
    }

    /// The next project, `None` at the end.
    pub(crate) fn next_entry(&mut self) -> Result<Option<DirEntry<'a>>> {
        if self.r.done() {
            return Ok(None);
        }
        self.project = self.project.wrapping_add(unzigzag(self.r.varint()?));
        self.list = self.list.wrapping_add(unzigzag(self.r.varint()?));
        let shared = usize::try_from(self.r.varint()?).unwrap_or(usize::MAX);
        if shared > self.path.len() {
            return Err(self.r.corrupt("path prefix longer than the previous path"));
        }
        self.path.truncate(shared);
        self.path.extend_from_slice(self.r.bytes()?);
        Ok(Some(DirEntry {
            project: self.project,
            list: self.list,
            name: self.r.bytes()?,
        }))
    }

    /// The path of the entry last returned by [`next_entry`](Self::next_entry).
    pub(crate) fn path(&self) -> Result<&str> {
        self.text(&self.path)
    }

    /// A text of an entry as UTF-8.
    pub(crate) fn text<'b>(&self, bytes: &'b [u8]) -> Result<&'b str> {
        std::str::from_utf8(bytes).map_err(|_| self.r.corrupt("text not UTF-8"))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn all(data: &[u8]) -> Result<Vec<(i64, i64, String, String)>> {
        let mut d = Directory::new(data)?;
        let mut out = Vec::new();
        while let Some(e) = d.next_entry()? {
            out.push((
                e.project,
                e.list,
                d.path()?.to_owned(),
                d.text(e.name)?.to_owned(),
            ));
        }
        Ok(out)
    }

    proptest! {
        #[test]
        fn round_trip_sorted_by_path(
            rows in proptest::collection::vec(
                (any::<i64>(), any::<i64>(), "(/a|/b|é|è|x){0,8}", "\\PC{0,20}"), 0..50)
        ) {
            let mut rows = rows;
            let data = encode(&mut rows.clone());
            rows.sort_by(|a, b| a.2.cmp(&b.2));
            let got = all(&data).unwrap();
            // Paths equal in the input may come back in either order; compare as sets per path.
            let key = |r: &(i64, i64, String, String)| (r.2.clone(), r.0, r.1, r.3.clone());
            let mut want: Vec<_> = rows.iter().map(key).collect();
            let mut have: Vec<_> = got.iter().map(key).collect();
            prop_assert!(got.windows(2).all(|w| w[0].2 <= w[1].2));
            want.sort();
            have.sort();
            prop_assert_eq!(want, have);
        }

        #[test]
        fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = all(&data);
        }
    }

    #[test]
    fn a_truncated_directory_is_an_error_or_a_shorter_one() {
        let data = encode(&mut [
            (1, 7, "/a/b".into(), "b".into()),
            (2, 300, "/a/c".into(), "c".into()),
        ]);
        let whole = all(&data).unwrap();
        assert_eq!(whole.len(), 2);
        for n in 0..data.len() {
            let cut = data.get(..n).unwrap_or_default();
            // Only a cut between entries reads, as the entries before it; any other is corrupt.
            match all(cut) {
                Ok(rows) => assert_eq!(rows, whole[..rows.len()], "cut at {n}"),
                Err(e) => assert!(e.to_string().contains("snapshot directory"), "{e}"),
            }
        }
        let boundaries = (0..data.len())
            .filter(|&n| all(data.get(..n).unwrap_or_default()).is_ok())
            .count();
        assert_eq!(
            boundaries, 2,
            "after the format byte and after the first entry"
        );
        assert!(all(&[2]).is_err(), "unknown format");
    }
}
