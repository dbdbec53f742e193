//! The streaming snapshot writer of the SQLite store: one transaction per snapshot, cached
//! prepared statements, each distinct package looked up once, each project's components one
//! list blob stored once per content (`lists.rs`). Projects are linked to catalog elements,
//! and the postings of the new lists and the snapshot's directory (`directory.rs`) written,
//! at commit.

use crate::sqlite::Db;
use rusqlite::{Connection, Transaction, params};
use vigie_model::Component;

use super::lists::ListWriter;
use crate::links::links;
use crate::lists::{self, Entry};
use crate::storage::short_name;
use crate::{
    EntityRecord, Error, FindingRecord, ProjectRecord, RelationRecord, Result, SnapshotId,
    SnapshotMeta, SnapshotWriter,
};

/// The SQLite [`SnapshotWriter`]; dropping it without [`SnapshotWriter::commit`] rolls back.
pub(crate) struct SqliteWriter<'a> {
    pub(super) tx: Transaction<'a>,
    pub(super) fill: Fill,
}

impl<'a> SqliteWriter<'a> {
    pub(crate) fn begin(tx: Transaction<'a>, meta: &SnapshotMeta) -> Result<SqliteWriter<'a>> {
        tx.execute(
            "INSERT INTO snapshots(taken_at, tool_version, roots, label) VALUES (?1, ?2, ?3, ?4)",
            params![
                meta.taken_at,
                meta.tool_version,
                serde_json::to_string(&meta.roots)?,
                meta.label
            ],
        )
        .db()?;
        let id = tx.last_insert_rowid();
        Ok(SqliteWriter {
            tx,
            fill: Fill::new(id),
        })
    }
}

/// The state of a snapshot being filled, over a connection in a transaction it does not own
/// (the writer's, or the import's).
pub(crate) struct Fill {
    pub(super) id: SnapshotId,
    packages: crate::FastMap<String, PackageRow>,
    pub(super) projects: Vec<(i64, String)>,
    pub(super) repositories: Vec<(String, Vec<String>)>,
    pub(super) entity_seq: i64,
    pub(super) relation_seq: i64,
    lists: ListWriter,
    /// The list blob being built, reused.
    blob: Vec<u8>,
    /// Each component's package id and `identity` column, reused.
    rows: Vec<(i64, Option<String>)>,
}

/// A package row as stored: its id and the identity it gives back.
pub(crate) struct PackageRow {
    id: i64,
    ecosystem: String,
    name: String,
    version: Option<String>,
}

/// The package row of `c`'s purl (inserted from `c` when new) and the component's `identity`
/// column: NULL when the row gives back `c`'s ecosystem, name and version.
fn package_id(
    tx: &Connection,
    cache: &mut crate::FastMap<String, PackageRow>,
    c: &Component,
) -> Result<(i64, Option<String>)> {
    let row =
        match cache.get(&c.purl) {
            Some(row) => row,
            None => {
                let norm = vigie_versions::normalize_name(c.ecosystem, &c.name).into_owned();
                let short = short_name(c.ecosystem, &norm);
                // Not `RETURNING`: SQLite re-prepares such a statement at every run.
                let changed = tx
                .prepare_cached(
                    "INSERT INTO packages(purl, ecosystem, name, version, norm_name, short_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(purl) DO NOTHING",
                ).db()?
                .execute(params![
                    c.purl,
                    c.ecosystem.as_str(),
                    c.name,
                    c.version,
                    norm,
                    short
                ]).db()?;
                let inserted = (changed == 1).then(|| tx.last_insert_rowid());
                let row = match inserted {
                    Some(id) => PackageRow {
                        id,
                        ecosystem: c.ecosystem.as_str().to_owned(),
                        name: c.name.clone(),
                        version: c.version.clone(),
                    },
                    None => tx
                        .prepare_cached(
                            "SELECT id, ecosystem, name, version FROM packages WHERE purl = ?1",
                        )
                        .db()?
                        .query_row([&c.purl], |r| {
                            Ok(PackageRow {
                                id: r.get(0)?,
                                ecosystem: r.get(1)?,
                                name: r.get(2)?,
                                version: r.get(3)?,
                            })
                        })
                        .db()?,
                };
                cache.entry(c.purl.clone()).or_insert(row)
            }
        };
    let identity = crate::lists::identity(c, &row.ecosystem, &row.name, row.version.as_deref())?;
    Ok((row.id, identity))
}

impl Fill {
    pub(crate) fn new(id: SnapshotId) -> Fill {
        Fill {
            id,
            packages: crate::FastMap::default(),
            projects: Vec::new(),
            repositories: Vec::new(),
            entity_seq: 0,
            relation_seq: 0,
            lists: ListWriter::default(),
            blob: Vec::new(),
            rows: Vec::new(),
        }
    }

    pub(crate) fn add_project(
        &mut self,
        tx: &Connection,
        project: &ProjectRecord,
        components: &[Component],
        findings: &[FindingRecord],
    ) -> Result<()> {
        crate::finding_sets::check_of_project(project, findings)?;
        self.rows.clear();
        for c in components {
            let row = package_id(tx, &mut self.packages, c)?;
            self.rows.push(row);
        }
        lists::begin(&mut self.blob);
        for (c, (package, identity)) in components.iter().zip(&self.rows) {
            lists::push(&mut self.blob, &Entry::of(c, *package, identity.as_deref()));
        }
        let list_id = self.lists.store(
            tx,
            &self.blob,
            components
                .iter()
                .zip(&self.rows)
                .map(|(c, (package, _))| (*package, Entry::of(c, *package, None).how())),
            components.len(),
        )?;
        let raw = findings
            .iter()
            .map(crate::finding_sets::Raw::of)
            .collect::<Result<Vec<_>>>()?;
        let finding_set = super::finding_sets::store(tx, raw)?;
        let project_id = tx
            .prepare_cached(
                "INSERT INTO projects(snapshot_id, path, name, files, list_id, licence_categories,
                 file_components, finding_set, fingerprint, uncovered)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            )
            .db()?
            .insert(params![
                self.id,
                project.path,
                project.name,
                serde_json::to_string(&project.files)?,
                list_id,
                (!project.licence_categories.is_empty())
                    .then(|| serde_json::to_string(&project.licence_categories))
                    .transpose()?,
                (!project.file_components.is_empty())
                    .then(|| serde_json::to_string(&project.file_components))
                    .transpose()?,
                finding_set,
                project.fingerprint,
                (!project.uncovered.is_empty())
                    .then(|| serde_json::to_string(&project.uncovered))
                    .transpose()?,
            ])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::Invalid(format!("project {:?} given twice", project.path))
                }
                e => Error::Backend(crate::BackendError::new(e)),
            })?;
        self.projects.push((project_id, project.path.clone()));
        Ok(())
    }

    /// Replaces the findings of family `family` of project row `project_id` (of this
    /// snapshot) by `findings`: the project then points at the set of its other findings
    /// and these.
    pub(crate) fn replace_findings(
        &mut self,
        tx: &Connection,
        project_id: i64,
        family: vigie_findings::Family,
        findings: &[FindingRecord],
    ) -> Result<()> {
        let current: Option<i64> = tx
            .prepare_cached("SELECT finding_set FROM projects WHERE id = ?1 AND snapshot_id = ?2")
            .db()?
            .query_row(params![project_id, self.id], |r| r.get(0))
            .db()?;
        let raw = match current {
            Some(set) => super::finding_sets::read(tx, set)?,
            None => Vec::new(),
        };
        let raw = crate::finding_sets::replace_family(raw, family, findings)?;
        let set = super::finding_sets::store(tx, raw)?;
        if set != current {
            tx.prepare_cached("UPDATE projects SET finding_set = ?1 WHERE id = ?2")
                .db()?
                .execute(params![set, project_id])
                .db()?;
        }
        Ok(())
    }

    pub(crate) fn add_entities(
        &mut self,
        tx: &Connection,
        entities: &[EntityRecord],
        relations: &[RelationRecord],
    ) -> Result<()> {
        let mut insert = tx.prepare_cached(
            "INSERT INTO entities(snapshot_id, seq, entity_ref, kind, name, title, owners, system,
             criticality, internet_exposed, personal_data, repositories, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
             ON CONFLICT DO NOTHING",
        ).db()?;
        for e in entities {
            self.entity_seq += 1;
            let n = insert
                .execute(params![
                    self.id,
                    self.entity_seq,
                    e.entity_ref,
                    e.kind,
                    e.name,
                    e.title,
                    serde_json::to_string(&e.owners)?,
                    e.system,
                    e.criticality,
                    e.internet_exposed,
                    e.personal_data,
                    serde_json::to_string(&e.repositories)?,
                    serde_json::to_string(&e.json)?,
                ])
                .db()?;
            if n > 0 && !e.repositories.is_empty() {
                self.repositories
                    .push((e.entity_ref.clone(), e.repositories.clone()));
            }
        }
        let mut insert = tx
            .prepare_cached(
                "INSERT INTO relations(snapshot_id, seq, source, relation, target)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .db()?;
        for r in relations {
            self.relation_seq += 1;
            insert
                .execute(params![
                    self.id,
                    self.relation_seq,
                    r.source,
                    r.relation,
                    r.target
                ])
                .db()?;
        }
        Ok(())
    }

    /// Writes the postings, the project links (see the module doc) and the snapshot's
    /// directory; the caller commits.
    pub(crate) fn finish(&mut self, tx: &Connection) -> Result<()> {
        self.lists.finish(tx)?;
        super::store_directory(tx, self.id)?;
        let mut insert = tx
            .prepare_cached(
                "INSERT OR IGNORE INTO project_links(project_id, entity_ref) VALUES (?1, ?2)",
            )
            .db()?;
        for (project_id, entity_ref) in links(&self.projects, &self.repositories) {
            insert.execute(params![project_id, entity_ref]).db()?;
        }
        Ok(())
    }
}

impl SqliteWriter<'_> {
    /// The latest snapshot before this one, read in this snapshot's transaction.
    pub(super) fn previous(&self) -> Result<Option<SnapshotId>> {
        self.tx
            .query_row(
                "SELECT max(id) FROM snapshots WHERE id < ?1",
                [self.fill.id],
                |r| r.get(0),
            )
            .db()
    }
}

impl SnapshotWriter for SqliteWriter<'_> {
    fn add_project(
        &mut self,
        project: &ProjectRecord,
        components: &[Component],
        findings: &[FindingRecord],
    ) -> Result<()> {
        self.fill
            .add_project(&self.tx, project, components, findings)
    }

    fn add_entities(
        &mut self,
        entities: &[EntityRecord],
        relations: &[RelationRecord],
    ) -> Result<()> {
        self.fill.add_entities(&self.tx, entities, relations)
    }

    fn carry_pushed(&mut self) -> Result<u64> {
        // The write lock is held since `begin` wrote the snapshot's row: no other writer can
        // commit a snapshot between this read and the commit.
        let Some(from) = self.previous()? else {
            return Ok(0);
        };
        let copied =
            super::ingest::carry(&self.tx, from, self.fill.id, super::ingest::Carried::Pushed)?;
        let n = copied.len() as u64;
        self.fill.projects.extend(copied);
        Ok(n)
    }

    fn carry_unchanged(&mut self, from: SnapshotId, paths: &[String]) -> Result<u64> {
        if paths.is_empty() {
            return Ok(0);
        }
        let paths = serde_json::to_string(paths)?;
        let copied = super::ingest::carry(
            &self.tx,
            from,
            self.fill.id,
            super::ingest::Carried::Only(&paths),
        )?;
        let n = copied.len() as u64;
        self.fill.projects.extend(copied);
        Ok(n)
    }

    fn commit(self: Box<Self>) -> Result<SnapshotId> {
        let mut this = *self;
        this.fill.finish(&this.tx)?;
        this.tx.commit().db()?;
        Ok(this.fill.id)
    }
}
