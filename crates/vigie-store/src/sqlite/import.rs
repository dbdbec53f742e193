//! The SQLite [`ImportSink`]: an import in one transaction, each snapshot filled as the writer
//! fills one ([`Fill`]), with the ids of the document.

use rusqlite::Transaction;

use super::storage::insert_triage;
use super::{Db, Fill, SqliteStore, count_at, insert_snapshot};
use crate::import::ImportSink;
use crate::triage::TriageInput;
use crate::{EntityRecord, Error, ProjectData, RelationRecord, Result, SnapshotId, SnapshotMeta};

/// An import under way: its transaction and the snapshot being filled.
struct SqliteImport<'a> {
    tx: Transaction<'a>,
    fill: Option<Fill>,
}

/// The snapshot being filled (the neutral reader starts one before its content).
fn started(fill: &mut Option<Fill>) -> Result<&mut Fill> {
    fill.as_mut()
        .ok_or_else(|| Error::Invalid("no snapshot started".into()))
}

/// Starts an import into the store, refused unless it is empty.
pub(super) fn begin(store: &mut SqliteStore) -> Result<Box<dyn ImportSink + '_>> {
    let held: u64 = store
        .conn
        .query_row(
            "SELECT (SELECT count(*) FROM snapshots) + (SELECT count(*) FROM triage)",
            [],
            |r| count_at(r, 0),
        )
        .db()?;
    if held > 0 {
        return Err(Error::NotEmpty(held));
    }
    Ok(Box::new(SqliteImport {
        tx: store.conn.transaction().db()?,
        fill: None,
    }))
}

impl ImportSink for SqliteImport<'_> {
    fn snapshot(&mut self, id: SnapshotId, meta: &SnapshotMeta) -> Result<()> {
        insert_snapshot(&self.tx, id, meta)?;
        self.fill = Some(Fill::new(id));
        Ok(())
    }

    fn entities(&mut self, entities: &[EntityRecord], relations: &[RelationRecord]) -> Result<()> {
        started(&mut self.fill)?.add_entities(&self.tx, entities, relations)
    }

    fn project(&mut self, p: &ProjectData) -> Result<()> {
        started(&mut self.fill)?.add_project(&self.tx, &p.project, &p.components, &p.findings)
    }

    fn end_snapshot(&mut self) -> Result<()> {
        started(&mut self.fill)?.finish(&self.tx)?;
        self.fill = None;
        Ok(())
    }

    fn triage(&mut self, id: i64, input: &TriageInput) -> Result<()> {
        insert_triage(&self.tx, Some(id), input).map(|_| ())
    }

    fn commit(self: Box<Self>) -> Result<()> {
        self.tx.commit().db()
    }
}
