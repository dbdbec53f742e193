//! Finding sets: a project's findings stored once per distinct content and shared by every
//! project row, in every snapshot, whose findings are the same (schema version 8). A rescan
//! or a re-audit of an unchanged estate writes no finding at all, only project rows that
//! point at the sets already there, as component lists already were.
//!
//! A set is named as `crate::finding_sets` says. Its rows are the findings table's, keyed by
//! `(key, set_id)`; the set
//! keeps its count and whether one of them is known exploited, so that counting the findings
//! of a snapshot reads one row per project.

use rusqlite::{Connection, OptionalExtension, params};

use super::Db;
use crate::Result;
use crate::finding_sets::{Raw, name};

/// The set holding exactly `findings` (any order; of one key, the first is kept), inserted
/// with its rows when no set has that content yet; `None` when there is no finding.
pub(super) fn store(tx: &Connection, mut findings: Vec<Raw>) -> Result<Option<i64>> {
    if findings.is_empty() {
        return Ok(None);
    }
    crate::finding_sets::normalize(&mut findings);
    let hash = name(&findings);
    let found: Option<i64> = tx
        .prepare_cached("SELECT id FROM finding_sets WHERE hash = ?1")
        .db()?
        .query_row([&hash], |r| r.get(0))
        .optional()
        .db()?;
    if let Some(id) = found {
        return Ok(Some(id));
    }
    let set = tx
        .prepare_cached(
            "INSERT INTO finding_sets(hash, count, known_exploited) VALUES (?1, ?2, ?3)",
        )
        .db()?
        .insert(params![
            hash,
            findings.len() as i64,
            findings.iter().any(|f| f.known_exploited)
        ])
        .db()?;
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO findings(set_id, key, family, id, aliases, rating, purl, title, fixed,
             known_exploited, json) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )
        .db()?;
    for f in &findings {
        insert
            .execute(params![
                set,
                f.key,
                f.family,
                f.id,
                f.aliases,
                f.rating,
                f.purl,
                f.title,
                f.fixed,
                f.known_exploited,
                f.json
            ])
            .db()?;
    }
    Ok(Some(set))
}

/// The columns [`raw_from_row`] reads, in its order.
const RAW_COLUMNS: &str =
    "key, family, id, aliases, rating, purl, title, fixed, known_exploited, json";

fn raw_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Raw> {
    Ok(Raw {
        key: r.get(0)?,
        family: r.get(1)?,
        id: r.get(2)?,
        aliases: r.get(3)?,
        rating: r.get(4)?,
        purl: r.get(5)?,
        title: r.get(6)?,
        fixed: r.get(7)?,
        known_exploited: r.get(8)?,
        json: r.get(9)?,
    })
}

/// The findings of set `set`, in key order.
pub(super) fn read(tx: &Connection, set: i64) -> Result<Vec<Raw>> {
    let mut st = tx
        .prepare_cached(&format!(
            "SELECT {RAW_COLUMNS} FROM findings WHERE set_id = ?1 ORDER BY key"
        ))
        .db()?;
    st.query_map([set], raw_from_row)
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()
}

/// Deletes the sets no project refers to any more (their rows go with them); returns how
/// many.
pub(super) fn delete_unused(tx: &Connection) -> Result<usize> {
    tx.execute(
        "DELETE FROM finding_sets WHERE NOT EXISTS
         (SELECT 1 FROM projects p WHERE p.finding_set = finding_sets.id)",
        [],
    )
    .db()
}

/// Schema version 8: every project's findings of the version-7 table (`findings_v7`, by
/// project) moved into sets, then that table dropped.
pub(super) fn v8_migrate(tx: &Connection) -> Result<()> {
    let projects: Vec<i64> = tx
        .prepare("SELECT DISTINCT project_id FROM findings_v7 ORDER BY project_id")
        .db()?
        .query_map([], |r| r.get(0))
        .db()?
        .collect::<rusqlite::Result<_>>()
        .db()?;
    let mut st = tx
        .prepare(&format!(
            "SELECT {RAW_COLUMNS} FROM findings_v7 WHERE project_id = ?1 ORDER BY key"
        ))
        .db()?;
    for project in projects {
        let rows = st
            .query_map([project], raw_from_row)
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let set = store(tx, rows)?;
        tx.execute(
            "UPDATE projects SET finding_set = ?1 WHERE id = ?2",
            params![set, project],
        )
        .db()?;
    }
    tx.execute_batch("DROP TABLE findings_v7;").db()?;
    Ok(())
}
