//! The SQLite side of component lists and postings (formats in `crate::lists`): lists stored
//! once per content, the postings of the new lists written at commit, and their rebuild.

use rusqlite::{Connection, OptionalExtension, params};

use super::Db;
use crate::lists::{decode, put_varint};
use crate::{Error, Result};

/// A stable 64-bit FNV-1a of a blob (stored: it must not change between vigie versions).
fn fnv1a(data: &[u8]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// Stores lists (once per content) and gathers the postings of the new ones, written by
/// [`ListWriter::finish`] in the same transaction.
#[derive(Default)]
pub(crate) struct ListWriter {
    /// Per package: first new list id, last list id, the posting blob so far.
    postings: crate::FastMap<i64, (i64, i64, Vec<u8>)>,
    /// The (package, how) pairs of the list being added, reused.
    pairs: Vec<(i64, u8)>,
}

impl ListWriter {
    /// The id of the list whose blob is `data` (with `count` entries `entries`), inserted
    /// when no list has that content yet.
    pub(crate) fn store(
        &mut self,
        tx: &Connection,
        data: &[u8],
        entries: impl Iterator<Item = (i64, u8)>,
        count: usize,
    ) -> Result<i64> {
        let hash = fnv1a(data);
        let found: Option<i64> = {
            let mut st = tx
                .prepare_cached("SELECT id, data FROM lists WHERE hash = ?1")
                .db()?;
            let mut rows = st.query([hash]).db()?;
            let mut found = None;
            while let Some(r) = rows.next().db()? {
                if r.get_ref(1).db()?.as_blob().ok() == Some(data) {
                    found = Some(r.get(0).db()?);
                    break;
                }
            }
            found
        };
        if let Some(id) = found {
            return Ok(id);
        }
        tx.prepare_cached("INSERT INTO lists(hash, count, data) VALUES (?1, ?2, ?3)")
            .db()?
            .execute(params![hash, count as i64, data])
            .db()?;
        let id = tx.last_insert_rowid();
        self.index(id, entries);
        Ok(id)
    }

    /// Adds list `id` (with ids increasing from call to call) to the postings of its packages.
    fn index(&mut self, id: i64, entries: impl Iterator<Item = (i64, u8)>) {
        self.pairs.clear();
        self.pairs.extend(entries);
        // The lowest scope and relation code first: one posting per package and list.
        self.pairs.sort_unstable();
        self.pairs.dedup_by_key(|p| p.0);
        for &(package, how) in &self.pairs {
            let (_, last, blob) = self
                .postings
                .entry(package)
                .or_insert_with(|| (id, 0, Vec::new()));
            put_varint(blob, id.saturating_sub(*last) as u64);
            blob.push(how);
            *last = id;
        }
    }

    /// Writes the postings of the lists stored since the writer was made.
    pub(crate) fn finish(&mut self, tx: &Connection) -> Result<()> {
        let mut packages: Vec<_> = self.postings.drain().collect();
        packages.sort_unstable_by_key(|p| p.0);
        let mut st = tx
            .prepare_cached(
                "INSERT INTO postings(package_id, first_list, data) VALUES (?1, ?2, ?3)",
            )
            .db()?;
        for (package, (first, _, blob)) in packages {
            st.execute(params![package, first, blob]).db()?;
        }
        Ok(())
    }
}

/// A list's blob.
pub(crate) fn list_data(conn: &Connection, list: i64) -> Result<Vec<u8>> {
    conn.prepare_cached("SELECT data FROM lists WHERE id = ?1")
        .db()?
        .query_row([list], |r| r.get(0))
        .optional()
        .db()?
        .ok_or_else(|| Error::Corrupt(format!("component list: list {list} missing")))
}

/// Rebuilds every posting from the live lists (after retention deleted many lists).
pub(crate) fn rebuild_postings(tx: &Connection) -> Result<()> {
    tx.execute("DELETE FROM postings", []).db()?;
    let mut writer = ListWriter::default();
    let mut st = tx.prepare("SELECT id, data FROM lists ORDER BY id").db()?;
    let mut rows = st.query([]).db()?;
    while let Some(r) = rows.next().db()? {
        let id: i64 = r.get(0).db()?;
        let entries = decode(super::blob(r, 1)?)?;
        writer.index(id, entries.iter().map(|e| (e.package, e.how())));
    }
    drop(rows);
    drop(st);
    writer.finish(tx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lists::decode_postings;

    #[test]
    fn postings_keep_one_entry_per_list_with_the_lowest_scope() {
        // List 5 holds package 1 twice (dev = scope 1, then runtime = scope 0); list 9 once.
        let mut w = ListWriter::default();
        w.index(5, [(1, 1 << 2), (1, 0), (2, 3)].into_iter());
        w.index(9, [(1, (1 << 2) | 1)].into_iter());
        let (first, last, blob) = w.postings.get(&1).unwrap().clone();
        assert_eq!((first, last), (5, 9));
        let mut out = Vec::new();
        decode_postings(&blob, &mut out).unwrap();
        assert_eq!(out, [(5, 0), (9, 5)]);
    }
}
