//! The storage primitives of the SQLite store: each one statement (or a few), each row
//! decoded here; the logic on top of them is the backend-neutral modules'.

use rusqlite::{Connection, OptionalExtension, Row, params};
use vigie_findings::{Detail, Family, Rating};

use super::{Db, SqliteStore, SqliteWriter, count_at, json_column};
use crate::import::ImportSink;
use crate::query::LinkedEntity;
use crate::storage::{FindingHead, PackageInfo, ProjectRow, Storage};
use crate::triage::{Justification, TriageInput, TriageRecord, TriageState};
use crate::{
    CatalogData, EntityRecord, Error, FindingRecord, ProjectRecord, ProjectState, Pruned,
    RelationRecord, Result, SnapshotId, SnapshotInfo, SnapshotMeta, SnapshotWriter, StoreStats,
};

/// The select list that [`finding_from_row`] reads (the findings table as `f`, projects `p`).
const FINDING_COLUMNS: &str = "f.key, f.family, f.id, f.aliases, f.rating, p.path, \
     f.purl, f.title, f.fixed, f.known_exploited, f.json";

/// A finding from the columns of [`FINDING_COLUMNS`].
fn finding_from_row(r: &Row<'_>) -> rusqlite::Result<FindingRecord> {
    let bad = |i: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, what.into())
    };
    let family: String = r.get(1)?;
    let family = Family::from_id(&family).ok_or_else(|| bad(1, format!("family {family:?}")))?;
    let rating: String = r.get(4)?;
    let rating = Rating::parse(&rating).ok_or_else(|| bad(4, format!("rating {rating:?}")))?;
    let detail: String = r.get(10)?;
    let detail = Detail::from_json_str(family, &detail).map_err(|e| bad(10, e.to_string()))?;
    Ok(FindingRecord {
        key: r.get(0)?,
        family,
        id: r.get(2)?,
        aliases: json_column(r, 3)?,
        rating,
        project_path: r.get(5)?,
        purl: r.get(6)?,
        title: r.get(7)?,
        fixed: r.get(8)?,
        known_exploited: r.get(9)?,
        detail,
    })
}

/// The column list [`entity_from_row`] reads.
const ENTITY_COLUMNS: &str = "entity_ref, kind, name, title, owners, system, \
     criticality, internet_exposed, personal_data, repositories, json";

fn entity_from_row(r: &Row<'_>) -> rusqlite::Result<EntityRecord> {
    Ok(EntityRecord {
        entity_ref: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        title: r.get(3)?,
        owners: json_column(r, 4)?,
        system: r.get(5)?,
        criticality: r.get(6)?,
        internet_exposed: r.get(7)?,
        personal_data: r.get(8)?,
        repositories: json_column(r, 9)?,
        json: json_column(r, 10)?,
    })
}

const PACKAGE_COLUMNS: &str = "id, purl, ecosystem, name, version, norm_name, short_name";

fn package_from_row(r: &Row<'_>) -> rusqlite::Result<PackageInfo> {
    Ok(PackageInfo {
        id: r.get(0)?,
        purl: r.get(1)?,
        ecosystem: r.get(2)?,
        name: r.get(3)?,
        version: r.get(4)?,
        norm_name: r.get(5)?,
        short_name: r.get(6)?,
    })
}

const TRIAGE_COLUMNS: &str =
    "t.id, t.finding_key, t.state, t.justification, t.until, t.reason, t.by_whom, t.at";

fn triage_from_row(r: &Row<'_>) -> rusqlite::Result<TriageRecord> {
    let state: String = r.get(2)?;
    let justification: Option<String> = r.get(3)?;
    let bad = |i: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, what.into())
    };
    Ok(TriageRecord {
        id: r.get(0)?,
        input: TriageInput {
            finding_key: r.get(1)?,
            state: TriageState::parse(&state).ok_or_else(|| bad(2, state.clone()))?,
            justification: match justification {
                None => None,
                Some(j) => Some(Justification::parse(&j).ok_or_else(|| bad(3, j.clone()))?),
            },
            until: r.get(4)?,
            reason: r.get(5)?,
            by: r.get(6)?,
            at: r.get(7)?,
        },
    })
}

/// The columns `project_id, entity_ref, kind, name, system, owners` as a linked element.
fn linked_from_row(r: &Row<'_>) -> rusqlite::Result<(i64, LinkedEntity)> {
    Ok((
        r.get(0)?,
        LinkedEntity::new(
            r.get(1)?,
            r.get(2)?,
            r.get(3)?,
            r.get(4)?,
            json_column(r, 5)?,
        ),
    ))
}

impl SqliteStore {
    /// The rows of `sql` (bound to `p`) decoded by `row`.
    fn rows<T, P: rusqlite::Params>(
        &self,
        sql: &str,
        p: P,
        row: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> Result<Vec<T>> {
        let mut st = self.conn.prepare_cached(sql).db()?;
        let rows = st.query_map(p, row).db()?;
        rows.collect::<rusqlite::Result<Vec<_>>>().db()
    }

    /// The findings of `where_` (over `f` and `p`), by key.
    fn findings_where<P: rusqlite::Params>(
        &self,
        where_: &str,
        p: P,
    ) -> Result<Vec<FindingRecord>> {
        self.rows(
            &format!(
                "SELECT {FINDING_COLUMNS} FROM findings f JOIN projects p ON p.finding_set = f.set_id
                 WHERE {where_} ORDER BY f.key"
            ),
            p,
            finding_from_row,
        )
    }
}

impl Storage for SqliteStore {
    fn begin_snapshot(&mut self, meta: &SnapshotMeta) -> Result<Box<dyn SnapshotWriter + '_>> {
        let tx = self.conn.transaction().db()?;
        Ok(Box::new(SqliteWriter::begin(tx, meta)?))
    }

    fn begin_ingest(
        &mut self,
        meta: &SnapshotMeta,
    ) -> Result<Box<dyn crate::ingest::IngestWriter + '_>> {
        Ok(Box::new(self.ingest_writer(meta)?))
    }

    fn project_keys(&self, snapshot: SnapshotId) -> Result<Vec<(String, String, SnapshotId)>> {
        self.keys_of(snapshot)
    }

    fn latest(&self) -> Result<SnapshotId> {
        let id: Option<SnapshotId> = self
            .conn
            .query_row("SELECT max(id) FROM snapshots", [], |r| r.get(0))
            .db()?;
        id.ok_or(Error::Empty)
    }

    fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        // What the list depends on: the snapshots there, and this connection's own writes
        // (a snapshot being written changes its counts).
        let at: (i64, Option<i64>, u64) = self
            .conn
            .query_row("SELECT count(*), max(id) FROM snapshots", [], |r| {
                Ok((r.get(0)?, r.get(1)?, self.conn.total_changes()))
            })
            .db()?;
        if let Some((read_at, list)) = self.snapshot_list.borrow().as_ref()
            && *read_at == at
        {
            return Ok(list.clone());
        }
        let mut st = self
            .conn
            .prepare(
                "SELECT s.id, s.taken_at, s.tool_version, s.roots, s.label,
               (SELECT count(*) FROM projects p WHERE p.snapshot_id = s.id),
               (SELECT coalesce(sum(l.count), 0) FROM projects p JOIN lists l ON l.id = p.list_id
                  WHERE p.snapshot_id = s.id),
               (SELECT coalesce(sum(fs.count), 0) FROM projects p
                  JOIN finding_sets fs ON fs.id = p.finding_set WHERE p.snapshot_id = s.id),
               (SELECT count(*) FROM entities e WHERE e.snapshot_id = s.id)
             FROM snapshots s ORDER BY s.id",
            )
            .db()?;
        let rows = st
            .query_map([], |r| {
                Ok(SnapshotInfo {
                    id: r.get(0)?,
                    meta: SnapshotMeta {
                        taken_at: r.get(1)?,
                        tool_version: r.get(2)?,
                        roots: json_column(r, 3)?,
                        label: r.get(4)?,
                    },
                    projects: count_at(r, 5)?,
                    components: count_at(r, 6)?,
                    findings: count_at(r, 7)?,
                    entities: count_at(r, 8)?,
                })
            })
            .db()?;
        let list = rows.collect::<rusqlite::Result<Vec<_>>>().db()?;
        *self.snapshot_list.borrow_mut() = Some((at, list.clone()));
        Ok(list)
    }

    fn retain(&mut self, keep: usize) -> Result<Pruned> {
        let tx = self.conn.transaction().db()?;
        let keep = i64::try_from(keep).unwrap_or(i64::MAX);
        let snapshots = tx
            .execute(
                "DELETE FROM snapshots WHERE id NOT IN
               (SELECT id FROM snapshots ORDER BY id DESC LIMIT ?1)",
                [keep],
            )
            .db()?;
        let mut packages = 0;
        if snapshots > 0 {
            // Lists no project refers to any more; their postings stay (readers join with live
            // projects) until they outnumber half the live ones, then all are rebuilt.
            let dead = "SELECT id FROM lists WHERE NOT EXISTS
                (SELECT 1 FROM projects p WHERE p.list_id = lists.id)";
            let freed: i64 = tx
                .query_row(
                    &format!("SELECT coalesce(sum(count), 0) FROM lists WHERE id IN ({dead})"),
                    [],
                    |r| r.get(0),
                )
                .db()?;
            tx.execute(&format!("DELETE FROM lists WHERE id IN ({dead})"), [])
                .db()?;
            tx.execute(
                "UPDATE store_meta SET value = value + ?1 WHERE key = 'dead_postings'",
                [freed],
            )
            .db()?;
            let (dead_postings, live): (i64, i64) = tx
                .query_row(
                    "SELECT (SELECT value FROM store_meta WHERE key = 'dead_postings'),
                        (SELECT coalesce(sum(count), 0) FROM lists)",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .db()?;
            if dead_postings > 0 && dead_postings.saturating_mul(2) >= live {
                super::lists::rebuild_postings(&tx)?;
                tx.execute(
                    "UPDATE store_meta SET value = 0 WHERE key = 'dead_postings'",
                    [],
                )
                .db()?;
            }
            super::finding_sets::delete_unused(&tx)?;
            packages = tx
                .execute(
                    "DELETE FROM packages WHERE NOT EXISTS
                   (SELECT 1 FROM postings x WHERE x.package_id = packages.id)",
                    [],
                )
                .db()?;
        }
        tx.commit().db()?;
        Ok(Pruned {
            snapshots: snapshots as u64,
            packages: packages as u64,
        })
    }

    fn begin_import(&mut self) -> Result<Box<dyn ImportSink + '_>> {
        super::import::begin(self)
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`.
    fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .db()?;
        Ok(())
    }

    /// A read-only connection ends its read transaction and starts another; a writable one
    /// has nothing to do.
    fn refresh(&mut self) -> Result<()> {
        if self.conn.is_autocommit() {
            return Ok(());
        }
        self.conn.execute_batch("COMMIT; BEGIN").db()
    }

    fn claim_job(&mut self, job: &crate::JobClaim<'_>) -> Result<bool> {
        let tx = self.conn.transaction().db()?;
        tx.execute(
            "INSERT INTO jobs(name, due_at) VALUES (?1, ?2) ON CONFLICT(name) DO NOTHING",
            params![job.name, job.first_due],
        )
        .db()?;
        let taken = tx
            .execute(
                "UPDATE jobs SET holder = ?2, lease_until = ?4
                 WHERE name = ?1 AND due_at <= ?3 AND (holder IS NULL OR lease_until < ?3)",
                params![job.name, job.holder, job.now, job.lease_until],
            )
            .db()?;
        tx.commit().db()?;
        Ok(taken == 1)
    }

    fn finish_job(&mut self, name: &str, holder: &str, next_due: &str) -> Result<bool> {
        let n = self
            .conn
            .execute(
                "UPDATE jobs SET due_at = ?3, holder = NULL, lease_until = NULL
                 WHERE name = ?1 AND holder = ?2",
                params![name, holder, next_due],
            )
            .db()?;
        Ok(n == 1)
    }

    /// `PRAGMA integrity_check`.
    fn integrity_check(&self) -> Result<Vec<String>> {
        self.rows("PRAGMA integrity_check", [], |r| r.get(0))
    }

    /// `PRAGMA quick_check`.
    fn quick_check(&self) -> Result<Vec<String>> {
        self.rows("PRAGMA quick_check", [], |r| r.get(0))
    }

    fn stats(&self) -> Result<StoreStats> {
        let count = |table: &str| -> Result<u64> {
            self.conn
                .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| {
                    count_at(r, 0)
                })
                .db()
        };
        let bytes = match &self.path {
            Some(p) => ["", "-wal"]
                .iter()
                .filter_map(|s| {
                    let mut f = p.clone().into_os_string();
                    f.push(s);
                    std::fs::metadata(f).ok()
                })
                .map(|m| m.len())
                .sum(),
            None => 0,
        };
        Ok(StoreStats {
            schema_version: self
                .conn
                .pragma_query_value(None, "user_version", |r| r.get(0)).db()?,
            snapshots: count("snapshots")?,
            packages: count("packages")?,
            components: self.conn.query_row(
                "SELECT coalesce(sum(l.count), 0) FROM projects p JOIN lists l ON l.id = p.list_id",
                [],
                |r| count_at(r, 0),
            ).db()?,
            component_lists: count("lists")?,
            findings: self.conn.query_row(
                "SELECT coalesce(sum(fs.count), 0) FROM projects p
                 JOIN finding_sets fs ON fs.id = p.finding_set",
                [],
                |r| count_at(r, 0),
            ).db()?,
            findings_stored: count("findings")?,
            triage_records: count("triage")?,
            bytes,
        })
    }

    fn check_snapshot(&self, id: SnapshotId) -> Result<()> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT id FROM snapshots WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .db()?;
        found.map(|_| ()).ok_or(Error::NoSnapshot(id))
    }

    fn projects(&self, snapshot: SnapshotId) -> Result<Vec<ProjectRow>> {
        self.rows(
            "SELECT id, path, name, list_id, licence_categories FROM projects
             WHERE snapshot_id = ?1 ORDER BY path",
            [snapshot],
            |r| {
                Ok(ProjectRow {
                    id: r.get(0)?,
                    path: r.get(1)?,
                    name: r.get(2)?,
                    list: r.get(3)?,
                    licence_categories: r.get(4)?,
                })
            },
        )
    }

    fn project_id(&self, snapshot: SnapshotId, path: &str) -> Result<Option<i64>> {
        self.conn
            .query_row(
                "SELECT id FROM projects WHERE snapshot_id = ?1 AND path = ?2",
                params![snapshot, path],
                |r| r.get(0),
            )
            .optional()
            .db()
    }

    fn projects_with_list(
        &self,
        snapshot: SnapshotId,
        list: i64,
    ) -> Result<Vec<(i64, String, String)>> {
        self.rows(
            "SELECT id, path, name FROM projects WHERE list_id = ?1 AND snapshot_id = ?2",
            params![list, snapshot],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    fn project(&self, id: i64) -> Result<(ProjectRecord, Option<i64>)> {
        self.conn
            .prepare_cached(
                "SELECT path, name, files, list_id, licence_categories, file_components,
                 fingerprint, uncovered FROM projects WHERE id = ?1",
            )
            .db()?
            .query_row([id], |r| {
                let categories: Option<String> = r.get(4)?;
                Ok((
                    ProjectRecord {
                        path: r.get(0)?,
                        name: r.get(1)?,
                        files: json_column(r, 2)?,
                        licence_categories: categories
                            .and_then(|j| serde_json::from_str(&j).ok())
                            .unwrap_or_default(),
                        file_components: r
                            .get::<_, Option<String>>(5)?
                            .and_then(|j| serde_json::from_str(&j).ok())
                            .unwrap_or_default(),
                        fingerprint: r.get(6)?,
                        uncovered: r
                            .get::<_, Option<String>>(7)?
                            .and_then(|j| serde_json::from_str(&j).ok())
                            .unwrap_or_default(),
                    },
                    r.get::<_, Option<i64>>(3)?,
                ))
            })
            .db()
    }

    fn project_findings(&self, id: i64) -> Result<Vec<FindingRecord>> {
        self.rows(
            &format!(
                "SELECT {FINDING_COLUMNS} FROM findings f JOIN projects p ON p.finding_set = f.set_id
                 WHERE p.id = ?1 ORDER BY f.key"
            ),
            [id],
            finding_from_row,
        )
    }

    fn list(&self, id: i64) -> Result<Vec<u8>> {
        super::lists::list_data(&self.conn, id)
    }

    fn package(&self, id: i64) -> Result<PackageInfo> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {PACKAGE_COLUMNS} FROM packages WHERE id = ?1"
            ))
            .db()?
            .query_row([id], package_from_row)
            .optional()
            .db()?
            .ok_or_else(|| Error::Corrupt(format!("package {id} missing")))
    }

    fn packages_named(&self, name: &str) -> Result<Vec<PackageInfo>> {
        self.rows(
            &format!(
                "SELECT {PACKAGE_COLUMNS} FROM packages WHERE norm_name = ?1 OR short_name = ?1"
            ),
            [name],
            package_from_row,
        )
    }

    fn postings(&self, package: i64, f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        let mut st = self
            .conn
            .prepare_cached("SELECT data FROM postings WHERE package_id = ?1 ORDER BY first_list")
            .db()?;
        let mut rows = st.query([package]).db()?;
        while let Some(r) = rows.next().db()? {
            f(super::blob(r, 0)?)?;
        }
        Ok(())
    }

    fn directory(
        &self,
        snapshot: SnapshotId,
        f: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<bool> {
        let mut st = self
            .conn
            .prepare_cached("SELECT data FROM snapshot_directory WHERE snapshot_id = ?1")
            .db()?;
        let mut rows = st.query([snapshot]).db()?;
        match rows.next().db()? {
            Some(row) => f(super::blob(row, 0)?).map(|()| true),
            None => Ok(false),
        }
    }

    fn findings(&self, snapshot: SnapshotId) -> Result<Vec<FindingRecord>> {
        self.findings_where("p.snapshot_id = ?1", [snapshot])
    }

    fn finding_heads(&self, snapshot: SnapshotId) -> Result<Vec<FindingHead>> {
        self.rows(
            "SELECT f.key, f.rating, f.fixed, f.known_exploited FROM findings f
             JOIN projects p ON p.finding_set = f.set_id WHERE p.snapshot_id = ?1
             ORDER BY f.key",
            [snapshot],
            |r| {
                Ok(FindingHead {
                    key: r.get(0)?,
                    rating: r.get(1)?,
                    fixed: r.get(2)?,
                    known_exploited: r.get(3)?,
                })
            },
        )
    }

    fn findings_by_key(&self, snapshot: SnapshotId, key: &str) -> Result<Vec<FindingRecord>> {
        self.findings_where("p.snapshot_id = ?1 AND f.key = ?2", params![snapshot, key])
    }

    fn project_counts(&self, snapshot: SnapshotId, path: &str) -> Result<Option<(u64, u64)>> {
        // A project without components has no list: 0.
        self.conn
            .prepare_cached(
                "SELECT coalesce(l.count, 0),
                        coalesce((SELECT fs.count FROM finding_sets fs WHERE fs.id = p.finding_set), 0)
                 FROM projects p LEFT JOIN lists l ON l.id = p.list_id
                 WHERE p.snapshot_id = ?1 AND p.path = ?2",
            )
            .db()?
            .query_row(params![snapshot, path], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?))
            })
            .optional()
            .db()
            .map(|found| {
                found.map(|(c, f)| {
                    (
                        u64::try_from(c).unwrap_or_default(),
                        u64::try_from(f).unwrap_or_default(),
                    )
                })
            })
    }

    fn finding_details(
        &self,
        snapshot: SnapshotId,
        keys: &[String],
    ) -> Result<Vec<Option<String>>> {
        let mut st = self
            .conn
            .prepare_cached(
                "SELECT f.json FROM findings f JOIN projects p ON p.finding_set = f.set_id
                 WHERE p.snapshot_id = ?1 AND f.key = ?2",
            )
            .db()?;
        keys.iter()
            .map(|k| {
                st.query_row(params![snapshot, k], |r| r.get(0))
                    .optional()
                    .db()
            })
            .collect()
    }

    fn findings_by_advisory(&self, snapshot: SnapshotId, id: &str) -> Result<Vec<FindingRecord>> {
        self.findings_where(
            // Found in the index of ids and aliases (version 6), not in the rows; `LIKE`
            // (case-insensitive, and `_` or `%` in an id only widen it) keeps the aliases
            // that may hold the id before their JSON is read.
            "p.snapshot_id = ?1 AND f.rowid IN (SELECT rowid FROM findings
               INDEXED BY findings_advisory
               WHERE id = ?2 COLLATE NOCASE OR (
                 aliases LIKE '%' || ?2 || '%' AND EXISTS
                 (SELECT 1 FROM json_each(aliases) a WHERE a.value = ?2 COLLATE NOCASE)))",
            params![snapshot, id],
        )
    }

    fn catalog(&self, snapshot: SnapshotId) -> Result<CatalogData> {
        Ok(CatalogData {
            entities: self.rows(
                &format!("SELECT {ENTITY_COLUMNS} FROM entities WHERE snapshot_id = ?1 ORDER BY seq"),
                [snapshot],
                entity_from_row,
            )?,
            relations: self.rows(
                "SELECT source, relation, target FROM relations WHERE snapshot_id = ?1 ORDER BY seq",
                [snapshot],
                |r| {
                    Ok(RelationRecord {
                        source: r.get(0)?,
                        relation: r.get(1)?,
                        target: r.get(2)?,
                    })
                },
            )?,
        })
    }

    fn linked_entities(
        &self,
        snapshot: SnapshotId,
        project: Option<i64>,
    ) -> Result<Vec<(i64, LinkedEntity)>> {
        match project {
            Some(id) => self.rows(
                "SELECT l.project_id, e.entity_ref, e.kind, e.name, e.system, e.owners
                 FROM project_links l
                 JOIN entities e ON e.entity_ref = l.entity_ref AND e.snapshot_id = ?1
                 WHERE l.project_id = ?2 ORDER BY e.entity_ref",
                params![snapshot, id],
                linked_from_row,
            ),
            None => self.rows(
                "SELECT l.project_id, e.entity_ref, e.kind, e.name, e.system, e.owners
                 FROM projects p JOIN project_links l ON l.project_id = p.id
                 JOIN entities e ON e.entity_ref = l.entity_ref AND e.snapshot_id = ?1
                 WHERE p.snapshot_id = ?1 ORDER BY l.project_id, e.entity_ref",
                [snapshot],
                linked_from_row,
            ),
        }
    }

    fn triage(&self, key: Option<&str>) -> Result<Vec<TriageRecord>> {
        self.rows(
            &format!(
                "SELECT {TRIAGE_COLUMNS} FROM triage t WHERE ?1 IS NULL OR t.finding_key = ?1
                 ORDER BY t.id"
            ),
            [key],
            triage_from_row,
        )
    }

    fn insert_triage(&mut self, id: Option<i64>, t: &TriageInput) -> Result<i64> {
        insert_triage(&self.conn, id, t)
    }

    fn project_states(&self, snapshot: SnapshotId) -> Result<Vec<ProjectState>> {
        self.rows(
            "SELECT path, fingerprint, uncovered FROM projects
             WHERE snapshot_id = ?1 AND fingerprint IS NOT NULL ORDER BY path",
            [snapshot],
            |r| {
                Ok(ProjectState {
                    path: r.get(0)?,
                    fingerprint: r.get(1)?,
                    uncovered: r
                        .get::<_, Option<String>>(2)?
                        .and_then(|j| serde_json::from_str(&j).ok())
                        .unwrap_or_default(),
                })
            },
        )
    }

    fn finding_counts(&self, snapshot: SnapshotId) -> Result<Vec<(i64, u64, bool)>> {
        self.rows(
            "SELECT p.id, fs.count, fs.known_exploited FROM projects p
             JOIN finding_sets fs ON fs.id = p.finding_set WHERE p.snapshot_id = ?1",
            [snapshot],
            |r| {
                Ok((
                    r.get(0)?,
                    u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                    r.get::<_, i64>(2)? != 0,
                ))
            },
        )
    }

    fn triage_mark(&self) -> Result<(u64, i64)> {
        self.conn
            .query_row(
                "SELECT count(*), coalesce(max(id), 0) FROM triage",
                [],
                |r| Ok((u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0), r.get(1)?)),
            )
            .db()
    }
}

/// Inserts a decision, with its id when given (import); the caller validated it.
pub(super) fn insert_triage(conn: &Connection, id: Option<i64>, t: &TriageInput) -> Result<i64> {
    conn.execute(
        "INSERT INTO triage(id, finding_key, state, justification, until, reason, by_whom, at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            t.finding_key,
            t.state.as_str(),
            t.justification.map(Justification::as_str),
            t.until,
            t.reason,
            t.by,
            t.at
        ],
    )
    .db()?;
    Ok(conn.last_insert_rowid())
}
