//! The SQLite primitives of an ingest (`crate::ingest`): a snapshot writer begun with the
//! write lock held (`BEGIN IMMEDIATE`), which carries the projects of the previous snapshot
//! forward in a few `INSERT … SELECT` statements (their component lists are shared, not
//! copied) and records each pushed project's key in `project_keys`.

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use vigie_findings::Family;
use vigie_model::Component;

use super::{Db, SqliteStore, SqliteWriter};
use crate::ingest::IngestWriter;
use crate::{
    EntityRecord, FindingRecord, ProjectRecord, RelationRecord, Result, SnapshotId, SnapshotMeta,
    SnapshotWriter,
};

/// The writer of an ingest's snapshot.
pub(crate) struct SqliteIngest<'a> {
    writer: SqliteWriter<'a>,
    previous: Option<SnapshotId>,
}

impl SqliteStore {
    pub(crate) fn ingest_writer(&mut self, meta: &SnapshotMeta) -> Result<SqliteIngest<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .db()?;
        let writer = SqliteWriter::begin(tx, meta)?;
        let previous = writer.previous()?;
        Ok(SqliteIngest { writer, previous })
    }

    pub(crate) fn keys_of(
        &self,
        snapshot: SnapshotId,
    ) -> Result<Vec<(String, String, SnapshotId)>> {
        keys_in(&self.conn, snapshot)
    }
}

/// `(path, key, since)` of the projects of `snapshot` that have a key.
fn keys_in(conn: &Connection, snapshot: SnapshotId) -> Result<Vec<(String, String, SnapshotId)>> {
    let mut st = conn
        .prepare_cached(
            "SELECT p.path, k.key, k.since FROM project_keys k
             JOIN projects p ON p.id = k.project_id
             WHERE p.snapshot_id = ?1 ORDER BY p.path",
        )
        .db()?;
    st.query_map([snapshot], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()
}

/// Which projects of the previous snapshot [`carry`] copies.
pub(super) enum Carried<'a> {
    /// Every project whose path is not in this JSON array (an ingest), with the catalog.
    AllBut(&'a str),
    /// The projects whose path is in this JSON array (a scan's unchanged projects), without
    /// the catalog.
    Only(&'a str),
    /// The projects pushed by CI (those with a key) whose path the new snapshot does not
    /// hold yet (a scan, after its last project); not the catalog, which the scan brings.
    Pushed,
}

/// Copies projects of `from` into `to` (see [`Carried`]) with their findings (the same
/// sets) and keys; returns the projects copied, as `(new id, path)`.
pub(super) fn carry(
    tx: &Connection,
    from: SnapshotId,
    to: SnapshotId,
    which: Carried<'_>,
) -> Result<Vec<(i64, String)>> {
    // Rows inserted from here on have greater ids: they are the copies.
    let before: i64 = tx
        .query_row("SELECT coalesce(max(id), 0) FROM projects", [], |r| {
            r.get(0)
        })
        .db()?;
    let insert = "INSERT INTO projects(snapshot_id, path, name, files, list_id, licence_categories,
         file_components, finding_set, fingerprint, uncovered)
         SELECT ?2, path, name, files, list_id, licence_categories, file_components, finding_set,
         fingerprint, uncovered
         FROM projects WHERE snapshot_id = ?1";
    match which {
        Carried::AllBut(except) => tx.execute(
            &format!("{insert} AND path NOT IN (SELECT value FROM json_each(?3)) ORDER BY id"),
            params![from, to, except],
        ),
        Carried::Only(paths) => tx.execute(
            &format!("{insert} AND path IN (SELECT value FROM json_each(?3)) ORDER BY id"),
            params![from, to, paths],
        ),
        Carried::Pushed => tx.execute(
            &format!(
                "{insert} AND id IN (SELECT project_id FROM project_keys)
                 AND path NOT IN (SELECT path FROM projects WHERE snapshot_id = ?2) ORDER BY id"
            ),
            params![from, to],
        ),
    }
    .db()?;
    // The copies joined by path to their originals.
    let joined = "FROM projects op JOIN projects np
                  ON np.snapshot_id = ?2 AND np.id > ?3 AND np.path = op.path
                  WHERE op.snapshot_id = ?1";
    tx.execute(
        &format!(
            "INSERT INTO project_keys(project_id, key, since)
             SELECT np.id, k.key, k.since {joined_k}",
            joined_k = joined.replace(
                "FROM projects op",
                "FROM project_keys k JOIN projects op ON op.id = k.project_id"
            )
        ),
        params![from, to, before],
    )
    .db()?;
    if let Carried::AllBut(_) = which {
        tx.execute(
            "INSERT INTO entities(snapshot_id, seq, entity_ref, kind, name, title, owners, system,
             criticality, internet_exposed, personal_data, repositories, json)
             SELECT ?2, seq, entity_ref, kind, name, title, owners, system, criticality,
             internet_exposed, personal_data, repositories, json FROM entities
             WHERE snapshot_id = ?1",
            params![from, to],
        )
        .db()?;
        tx.execute(
            "INSERT INTO relations(snapshot_id, seq, source, relation, target)
             SELECT ?2, seq, source, relation, target FROM relations WHERE snapshot_id = ?1",
            params![from, to],
        )
        .db()?;
    }
    let mut st = tx
        .prepare("SELECT id, path FROM projects WHERE snapshot_id = ?1 AND id > ?2 ORDER BY id")
        .db()?;
    st.query_map(params![to, before], |r| Ok((r.get(0)?, r.get(1)?)))
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()
}

impl IngestWriter for SqliteIngest<'_> {
    fn id(&self) -> SnapshotId {
        self.writer.fill.id
    }

    fn keys(&self, snapshot: SnapshotId) -> Result<Vec<(String, String, SnapshotId)>> {
        keys_in(&self.writer.tx, snapshot)
    }

    fn previous(&self) -> Option<SnapshotId> {
        self.previous
    }

    fn carry_forward(&mut self, from: SnapshotId, except: &[&str]) -> Result<u64> {
        let tx = &self.writer.tx;
        let fill = &mut self.writer.fill;
        let except = serde_json::to_string(except)?;
        let copied = carry(tx, from, fill.id, Carried::AllBut(&except))?;
        let n = copied.len() as u64;
        fill.projects.extend(copied);
        // The catalog's repositories, so that links are computed for every project at commit.
        let mut st = tx
            .prepare(
                "SELECT entity_ref, repositories FROM entities
                 WHERE snapshot_id = ?1 AND repositories != '[]'",
            )
            .db()?;
        let rows = st
            .query_map([fill.id], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })
            .db()?
            .collect::<rusqlite::Result<Vec<_>>>()
            .db()?;
        for (entity, repositories) in rows {
            fill.repositories
                .push((entity, serde_json::from_str(&repositories)?));
        }
        let (entities, relations): (i64, i64) = tx
            .query_row(
                "SELECT (SELECT coalesce(max(seq), 0) FROM entities WHERE snapshot_id = ?1),
                        (SELECT coalesce(max(seq), 0) FROM relations WHERE snapshot_id = ?1)",
                [fill.id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .db()?;
        fill.entity_seq = entities;
        fill.relation_seq = relations;
        Ok(n)
    }

    fn replace_findings(
        &mut self,
        path: &str,
        family: Family,
        findings: &[FindingRecord],
    ) -> Result<()> {
        let tx = &self.writer.tx;
        let id: Option<i64> = tx
            .prepare_cached("SELECT id FROM projects WHERE snapshot_id = ?1 AND path = ?2")
            .db()?
            .query_row(params![self.writer.fill.id, path], |r| r.get(0))
            .optional()
            .db()?;
        let id = id.ok_or_else(|| {
            crate::Error::Invalid(format!("project {path:?} is not in the snapshot"))
        })?;
        self.writer.fill.replace_findings(tx, id, family, findings)
    }

    fn set_key(&mut self, path: &str, key: &str, since: SnapshotId) -> Result<()> {
        self.writer
            .tx
            .prepare_cached(
                "INSERT INTO project_keys(project_id, key, since)
                 SELECT id, ?3, ?4 FROM projects WHERE snapshot_id = ?1 AND path = ?2",
            )
            .db()?
            .execute(params![self.writer.fill.id, path, key, since])
            .db()?;
        Ok(())
    }
}

impl SnapshotWriter for SqliteIngest<'_> {
    fn add_project(
        &mut self,
        project: &ProjectRecord,
        components: &[Component],
        findings: &[FindingRecord],
    ) -> Result<()> {
        self.writer.add_project(project, components, findings)
    }

    fn add_entities(
        &mut self,
        entities: &[EntityRecord],
        relations: &[RelationRecord],
    ) -> Result<()> {
        self.writer.add_entities(entities, relations)
    }

    fn carry_pushed(&mut self) -> Result<u64> {
        self.writer.carry_pushed()
    }

    fn carry_unchanged(&mut self, from: SnapshotId, paths: &[String]) -> Result<u64> {
        self.writer.carry_unchanged(from, paths)
    }

    fn commit(self: Box<Self>) -> Result<SnapshotId> {
        Box::new(self.writer).commit()
    }
}
