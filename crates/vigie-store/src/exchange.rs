//! Export and import of the whole store as one JSON document.
//!
//! ```text
//! { "format": "vigie-store", "version": 1,
//!   "snapshots": [ { "id": 1, "meta": {taken_at, tool_version, roots, label},
//!                    "entities": [EntityRecord...], "relations": [RelationRecord...],
//!                    "projects": [ {path, name, files, components: [Component...],
//!                                   findings: [FindingRecord...]} ... ] } ... ],
//!   "triage": [ {id, finding_key, state, justification, until, reason, by, at} ... ] }
//! ```
//!
//! Export streams project by project (bounded memory); rows come in insertion order and ids
//! are kept, so an export imported into an empty store exports identically. Import streams
//! too (`import.rs`), in one transaction.

use crate::sqlite::Db;
use std::io::{Read, Write};

use rusqlite::Connection;
use serde::Serialize;
use serde::de::DeserializeSeed;

use crate::show::{ENTITY_COLUMNS, entity_from_row, project_data};
use crate::{Error, RelationRecord, Result, SnapshotId, SnapshotMeta};

/// The version of the export format.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// The `format` field of an export.
pub(crate) const FORMAT: &str = "vigie-store";

fn json<T: Serialize + ?Sized>(out: &mut dyn Write, v: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    Ok(())
}

pub(crate) fn export(conn: &Connection, out: &mut dyn Write) -> Result<()> {
    write!(
        out,
        "{{\"format\":\"{FORMAT}\",\"version\":{EXPORT_FORMAT_VERSION},\"snapshots\":["
    )?;
    let mut st = conn
        .prepare("SELECT id, taken_at, tool_version, roots, label FROM snapshots ORDER BY id")
        .db()?;
    let snapshots = st
        .query_map([], |r| {
            Ok((
                r.get::<_, SnapshotId>(0)?,
                SnapshotMeta {
                    taken_at: r.get(1)?,
                    tool_version: r.get(2)?,
                    roots: crate::sqlite::json_column(r, 3)?,
                    label: r.get(4)?,
                },
            ))
        })
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()?;
    for (i, (id, meta)) in snapshots.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write!(out, "\n{{\"id\":{id},\"meta\":")?;
        json(out, meta)?;
        out.write_all(b",\"entities\":")?;
        let mut st = conn
            .prepare(&format!(
                "SELECT {ENTITY_COLUMNS} FROM entities WHERE snapshot_id = ?1 ORDER BY seq"
            ))
            .db()?;
        let entities = st
            .query_map([id], entity_from_row)
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        json(out, &entities)?;
        out.write_all(b",\"relations\":")?;
        let mut st = conn.prepare(
            "SELECT source, relation, target FROM relations WHERE snapshot_id = ?1 ORDER BY seq",
        ).db()?;
        let relations = st
            .query_map([id], |r| {
                Ok(RelationRecord {
                    source: r.get(0)?,
                    relation: r.get(1)?,
                    target: r.get(2)?,
                })
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        json(out, &relations)?;
        out.write_all(b",\"projects\":[")?;
        let mut st = conn
            .prepare("SELECT id FROM projects WHERE snapshot_id = ?1 ORDER BY id")
            .db()?;
        let ids = st
            .query_map([id], |r| r.get::<_, i64>(0))
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        let mut packages = crate::sqlite::Packages::default();
        for (j, pid) in ids.into_iter().enumerate() {
            out.write_all(if j > 0 { b",\n" } else { b"\n" })?;
            json(out, &project_data(conn, &mut packages, pid)?)?;
        }
        out.write_all(b"]}")?;
    }
    out.write_all(b"],\n\"triage\":")?;
    json(out, &crate::triage::history(conn, None)?)?;
    out.write_all(b"}\n")?;
    Ok(())
}

pub(crate) fn import(conn: &mut Connection, input: &mut dyn Read) -> Result<()> {
    let held: u64 = conn
        .query_row(
            "SELECT (SELECT count(*) FROM snapshots) + (SELECT count(*) FROM triage)",
            [],
            |r| crate::sqlite::count_at(r, 0),
        )
        .db()?;
    if held > 0 {
        return Err(Error::NotEmpty(held));
    }
    let tx = conn.transaction().db()?;
    let ctx = crate::import::Ctx {
        tx: &tx,
        error: std::cell::RefCell::new(None),
    };
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(input));
    let read =
        DeserializeSeed::deserialize(crate::import::DocSeed(&ctx), &mut de).and_then(|()| de.end());
    if let Err(e) = read {
        return Err(ctx.error.into_inner().unwrap_or(Error::Json(e)));
    }
    tx.commit().db()?;
    Ok(())
}
