//! The SQLite side of component lists and postings (formats in `crate::lists`): lists stored
//! once per content, the postings of the new lists written at commit, and their rebuild.

use rusqlite::{Connection, OptionalExtension, params};

use super::Db;
use crate::lists::{Postings, decode, fnv1a};
use crate::{Error, Result};

/// Stores lists (once per content) and gathers the postings of the new ones, written by
/// [`ListWriter::finish`] in the same transaction.
#[derive(Default)]
pub(crate) struct ListWriter {
    postings: Postings,
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
        self.postings.index(id, entries);
        Ok(id)
    }

    /// Writes the postings of the lists stored since the writer was made.
    pub(crate) fn finish(&mut self, tx: &Connection) -> Result<()> {
        let packages = self.postings.drain();
        let mut st = tx
            .prepare_cached(
                "INSERT INTO postings(package_id, first_list, data) VALUES (?1, ?2, ?3)",
            )
            .db()?;
        for (package, first, blob) in packages {
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
        writer
            .postings
            .index(id, entries.iter().map(|e| (e.package, e.how())));
    }
    drop(rows);
    drop(st);
    writer.finish(tx)
}
