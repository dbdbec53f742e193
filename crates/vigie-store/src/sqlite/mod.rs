//! [`SqliteStore`]: the [`Store`] on an embedded SQLite file, and the row codecs shared by
//! the query modules. Nothing of this module is public: fronts reach it through
//! [`crate::open`], and rusqlite's errors become [`Error::Backend`] through [`Db::db`].

mod schema;
#[cfg(test)]
mod tests;
mod writer;

pub(crate) use writer::Fill;
use writer::SqliteWriter;

use std::collections::hash_map::Entry;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags, OptionalExtension, Row, params};
use vigie_model::{Component, Ecosystem, Relation, Scope};

use crate::query::{AdvisoryUse, PackageQuery, UsageRef};
use crate::show::Shown;
use crate::triage::{FindingStatus, TriageInput, TriageRecord};
use crate::{
    BackendError, Error, FindingRecord, Pruned, Result, SnapshotDiff, SnapshotId, SnapshotInfo,
    SnapshotMeta, SnapshotWriter, Store, StoreStats,
};

/// rusqlite's results as the store's: the error wrapped opaquely in [`Error::Backend`]. A
/// crate-private conversion rather than a `From` impl, which would put rusqlite in the
/// public API (trait impls are always public).
pub(crate) trait Db<T> {
    /// The value, or the engine's error as [`Error::Backend`].
    fn db(self) -> Result<T>;
}

impl<T> Db<T> for rusqlite::Result<T> {
    fn db(self) -> Result<T> {
        self.map_err(|e| Error::Backend(BackendError::new(e)))
    }
}

/// The store in one SQLite database file.
pub(crate) struct SqliteStore {
    pub(crate) conn: Connection,
    path: Option<PathBuf>,
}

impl SqliteStore {
    /// Opens (creating it and its folder if needed) and migrates the database at `path`.
    pub(crate) fn open(path: &Path) -> Result<SqliteStore> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let mut conn = Connection::open(path).db()?;
        schema::prepare(&mut conn)?;
        Ok(SqliteStore {
            conn,
            path: Some(path.to_path_buf()),
        })
    }

    /// Opens an existing store to read it. Nothing is written (no migration, no setting), and
    /// every read of the connection is in one transaction, so that a command sees one
    /// consistent store even while a scan commits. A missing file is [`Error::Empty`]; a store
    /// of an older schema is migrated first, through [`SqliteStore::open`].
    pub(crate) fn open_read_only(path: &Path) -> Result<SqliteStore> {
        if !path.exists() {
            return Err(Error::Empty);
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(path, flags).db()?;
        if schema::stored_version(&conn)? < schema::current_version() {
            drop(conn);
            drop(SqliteStore::open(path)?);
            conn = Connection::open_with_flags(path, flags).db()?;
        }
        schema::prepare_reader(&conn)?;
        conn.execute_batch("BEGIN").db()?;
        Ok(SqliteStore {
            conn,
            path: Some(path.to_path_buf()),
        })
    }

    /// A store in memory (tests, dry runs).
    pub(crate) fn in_memory() -> Result<SqliteStore> {
        let mut conn = Connection::open_in_memory().db()?;
        schema::prepare(&mut conn)?;
        Ok(SqliteStore { conn, path: None })
    }

    pub(crate) fn check_snapshot(&self, id: SnapshotId) -> Result<()> {
        let found: Option<i64> = self
            .conn
            .query_row("SELECT id FROM snapshots WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .db()?;
        found.map(|_| ()).ok_or(Error::NoSnapshot(id))
    }
}

/// The stored code of a scope.
pub(crate) fn scope_code(s: Scope) -> i64 {
    match s {
        Scope::Runtime => 0,
        Scope::Dev => 1,
        Scope::Optional => 2,
        Scope::Build => 3,
        Scope::Unknown => 4,
    }
}

pub(crate) fn scope_of(code: i64) -> Scope {
    match code {
        0 => Scope::Runtime,
        1 => Scope::Dev,
        2 => Scope::Optional,
        3 => Scope::Build,
        _ => Scope::Unknown,
    }
}

/// The stored code of a relation.
pub(crate) fn relation_code(r: Relation) -> i64 {
    match r {
        Relation::Direct => 0,
        Relation::Transitive => 1,
        Relation::Unknown => 2,
    }
}

pub(crate) fn relation_of(code: i64) -> Relation {
    match code {
        0 => Relation::Direct,
        1 => Relation::Transitive,
        _ => Relation::Unknown,
    }
}

/// The artifact of a Maven `group:artifact`, else the name itself.
pub(crate) fn short_name(e: Ecosystem, norm: &str) -> String {
    match e {
        Ecosystem::Maven => norm.rsplit(':').next().unwrap_or(norm).to_owned(),
        _ => norm.to_owned(),
    }
}

/// A package as stored: what a list entry's package id stands for.
#[derive(Clone, Debug)]
pub(crate) struct PackageInfo {
    pub purl: String,
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
}

/// The packages read so far, each from the database once.
#[derive(Default)]
pub(crate) struct Packages(crate::FastMap<i64, PackageInfo>);

impl Packages {
    pub(crate) fn get(&mut self, conn: &Connection, id: i64) -> Result<&PackageInfo> {
        match self.0.entry(id) {
            Entry::Occupied(o) => Ok(o.into_mut()),
            Entry::Vacant(v) => {
                let info = conn
                    .prepare_cached(
                        "SELECT purl, ecosystem, name, version FROM packages WHERE id = ?1",
                    )
                    .db()?
                    .query_row([id], |r| {
                        Ok(PackageInfo {
                            purl: r.get(0)?,
                            ecosystem: r.get(1)?,
                            name: r.get(2)?,
                            version: r.get(3)?,
                        })
                    })
                    .optional()
                    .db()?
                    .ok_or_else(|| Error::Corrupt(format!("package {id} missing")))?;
                Ok(v.insert(info))
            }
        }
    }
}

/// The component a list entry stands for, its package being `k`.
pub(crate) fn component_of(e: &crate::lists::Entry<'_>, k: &PackageInfo) -> Component {
    let (ecosystem, name, version) = match e
        .identity
        .and_then(|j| serde_json::from_str::<(Ecosystem, String, Option<String>)>(j).ok())
    {
        Some(t) => t,
        None => (
            Ecosystem::from_osv(&k.ecosystem).unwrap_or(Ecosystem::Generic),
            k.name.clone(),
            k.version.clone(),
        ),
    };
    Component {
        ecosystem,
        name,
        version,
        purl: k.purl.clone(),
        scope: scope_of(i64::from(e.scope)),
        relation: relation_of(i64::from(e.relation)),
        licence: e.licence.map(str::to_owned),
        line: e.line,
        note: e.note.map(str::to_owned),
    }
}

/// Every component of list `list` (none when `None`), in the project's input order.
pub(crate) fn list_components(
    conn: &Connection,
    packages: &mut Packages,
    list: Option<i64>,
) -> Result<Vec<Component>> {
    let data = crate::lists::list_data(conn, list)?;
    let entries = crate::lists::decode(&data)?;
    let mut out = Vec::with_capacity(entries.len());
    for e in &entries {
        let k = packages.get(conn, e.package)?;
        out.push(component_of(e, k));
    }
    Ok(out)
}

/// The select list that [`finding_from_row`] reads (the findings table as `f`, projects `p`).
pub(crate) const FINDING_COLUMNS: &str = "f.key, f.family, f.id, f.aliases, f.rating, p.path, \
     f.purl, f.title, f.fixed, f.known_exploited, f.json";

/// A finding from the columns of [`FINDING_COLUMNS`].
pub(crate) fn finding_from_row(r: &Row<'_>) -> rusqlite::Result<FindingRecord> {
    Ok(FindingRecord {
        key: r.get(0)?,
        family: r.get(1)?,
        id: r.get(2)?,
        aliases: json_column(r, 3)?,
        rating: r.get(4)?,
        project_path: r.get(5)?,
        purl: r.get(6)?,
        title: r.get(7)?,
        fixed: r.get(8)?,
        known_exploited: r.get(9)?,
        json: json_column(r, 10)?,
    })
}

/// A count column (never negative) as `u64`.
pub(crate) fn count_at(r: &Row<'_>, i: usize) -> rusqlite::Result<u64> {
    Ok(u64::try_from(r.get::<_, i64>(i)?).unwrap_or(0))
}

/// A JSON text column decoded, the error naming the column.
pub(crate) fn json_column<T: serde::de::DeserializeOwned>(
    r: &Row<'_>,
    i: usize,
) -> rusqlite::Result<T> {
    let text: String = r.get(i)?;
    serde_json::from_str(&text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e))
    })
}

impl Store for SqliteStore {
    fn begin_snapshot(&mut self, meta: &SnapshotMeta) -> Result<Box<dyn SnapshotWriter + '_>> {
        let tx = self.conn.transaction().db()?;
        Ok(Box::new(SqliteWriter::begin(tx, meta)?))
    }

    fn latest(&self) -> Result<SnapshotId> {
        let id: Option<SnapshotId> = self
            .conn
            .query_row("SELECT max(id) FROM snapshots", [], |r| r.get(0))
            .db()?;
        id.ok_or(Error::Empty)
    }

    fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        let mut st = self
            .conn
            .prepare(
                "SELECT s.id, s.taken_at, s.tool_version, s.roots, s.label,
               (SELECT count(*) FROM projects p WHERE p.snapshot_id = s.id),
               (SELECT coalesce(sum(l.count), 0) FROM projects p JOIN lists l ON l.id = p.list_id
                  WHERE p.snapshot_id = s.id),
               (SELECT count(*) FROM findings f WHERE f.snapshot_id = s.id),
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
        rows.collect::<rusqlite::Result<Vec<_>>>().db()
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
                crate::lists::rebuild_postings(&tx)?;
                tx.execute(
                    "UPDATE store_meta SET value = 0 WHERE key = 'dead_postings'",
                    [],
                )
                .db()?;
            }
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

    fn diff(&self, a: SnapshotId, b: SnapshotId) -> Result<SnapshotDiff> {
        self.check_snapshot(a)?;
        self.check_snapshot(b)?;
        crate::diff::diff(&self.conn, a, b)
    }

    fn who_uses_each(
        &self,
        snapshot: SnapshotId,
        query: &PackageQuery,
        f: &mut dyn FnMut(&UsageRef<'_>) -> Result<()>,
    ) -> Result<()> {
        self.check_snapshot(snapshot)?;
        crate::query::who_uses_each(&self.conn, snapshot, query, f)
    }

    fn who_uses_advisory(&self, snapshot: SnapshotId, id: &str) -> Result<Vec<AdvisoryUse>> {
        self.check_snapshot(snapshot)?;
        crate::query::who_uses_advisory(&self.conn, snapshot, id)
    }

    fn show(&self, snapshot: SnapshotId, name: &str) -> Result<Vec<Shown>> {
        self.check_snapshot(snapshot)?;
        crate::query::show(&self.conn, snapshot, name)
    }

    fn find_findings(&self, snapshot: SnapshotId, key_or_id: &str) -> Result<Vec<FindingRecord>> {
        self.check_snapshot(snapshot)?;
        crate::triage::find_findings(&self.conn, snapshot, key_or_id)
    }

    fn record_triage(&mut self, input: &TriageInput) -> Result<TriageRecord> {
        crate::triage::record(&self.conn, input)
    }

    fn triage_history(&self, key: Option<&str>) -> Result<Vec<TriageRecord>> {
        crate::triage::history(&self.conn, key)
    }

    fn effective_triage(&self, snapshot: SnapshotId, today: &str) -> Result<Vec<FindingStatus>> {
        self.check_snapshot(snapshot)?;
        crate::triage::effective(&self.conn, snapshot, today)
    }

    fn findings(&self, snapshot: SnapshotId) -> Result<Vec<FindingRecord>> {
        self.check_snapshot(snapshot)?;
        crate::report::findings(&self.conn, snapshot)
    }

    fn catalog(&self, snapshot: SnapshotId) -> Result<crate::CatalogData> {
        self.check_snapshot(snapshot)?;
        crate::report::catalog(&self.conn, snapshot)
    }

    fn project_links(&self, snapshot: SnapshotId) -> Result<Vec<crate::ProjectLink>> {
        self.check_snapshot(snapshot)?;
        crate::report::project_links(&self.conn, snapshot)
    }

    fn project_paths(&self, snapshot: SnapshotId) -> Result<Vec<String>> {
        self.check_snapshot(snapshot)?;
        crate::report::project_paths(&self.conn, snapshot)
    }

    fn for_each_component(
        &self,
        snapshot: SnapshotId,
        each: &mut dyn FnMut(&crate::ComponentRow<'_>),
    ) -> Result<()> {
        self.check_snapshot(snapshot)?;
        crate::report::for_each_component(&self.conn, snapshot, each)
    }

    fn package_uses(&self, snapshot: SnapshotId) -> Result<crate::PackageUses> {
        self.check_snapshot(snapshot)?;
        crate::report::package_uses(&self.conn, snapshot)
    }

    fn export(&self, out: &mut dyn Write) -> Result<()> {
        crate::exchange::export(&self.conn, out)
    }

    fn import(&mut self, input: &mut dyn Read) -> Result<()> {
        crate::exchange::import(&mut self.conn, input)
    }

    /// `PRAGMA wal_checkpoint(TRUNCATE)`.
    fn checkpoint(&self) -> Result<()> {
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .db()?;
        Ok(())
    }

    /// `PRAGMA integrity_check`.
    fn integrity_check(&self) -> Result<Vec<String>> {
        let mut st = self.conn.prepare("PRAGMA integrity_check").db()?;
        let rows = st.query_map([], |r| r.get::<_, String>(0)).db()?;
        rows.collect::<rusqlite::Result<Vec<_>>>().db()
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
            findings: count("findings")?,
            triage_records: count("triage")?,
            bytes,
        })
    }
}

/// Inserts a snapshot row with a given id (import).
pub(crate) fn insert_snapshot(
    conn: &Connection,
    id: SnapshotId,
    meta: &SnapshotMeta,
) -> Result<()> {
    conn.execute(
        "INSERT INTO snapshots(id, taken_at, tool_version, roots, label) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            id,
            meta.taken_at,
            meta.tool_version,
            serde_json::to_string(&meta.roots)?,
            meta.label
        ],
    ).db()?;
    Ok(())
}
