//! The streaming snapshot writer of the SQLite store: one transaction per snapshot, cached
//! prepared statements, multi-row inserts, each distinct package looked up once. Projects are
//! linked to catalog elements at commit (`links.rs`).

use std::collections::HashMap;
use std::sync::LazyLock;

use rusqlite::{Connection, Transaction, params};
use vigie_model::Component;

use crate::links::links;
use crate::sqlite::{relation_code, scope_code, short_name};
use crate::{
    EntityRecord, Error, FindingRecord, ProjectRecord, RelationRecord, Result, SnapshotId,
    SnapshotMeta, SnapshotWriter,
};

/// The SQLite [`SnapshotWriter`]; dropping it without [`SnapshotWriter::commit`] rolls back.
pub struct SqliteWriter<'a> {
    tx: Transaction<'a>,
    fill: Fill,
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
        )?;
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
    id: SnapshotId,
    packages: HashMap<String, PackageRow>,
    projects: Vec<(i64, String)>,
    repositories: Vec<(String, Vec<String>)>,
    entity_seq: i64,
    relation_seq: i64,
}

/// Components inserted by one statement: a multi-row `INSERT` costs far less per row than
/// one statement per row (9 × 64 parameters, well under SQLite's limit of 32766).
const CHUNK: usize = 64;
const COLUMNS: usize = 9;

fn insert_sql(rows: usize) -> String {
    let tuple = "(?, ?, ?, ?, ?, ?, ?, ?, ?)";
    let values = vec![tuple; rows].join(", ");
    format!(
        "INSERT INTO components(project_id, seq, package_id, scope, relation, licence, line, \
         note, identity) VALUES {values}"
    )
}

static BATCH_SQL: LazyLock<String> = LazyLock::new(|| insert_sql(CHUNK));
static ONE_SQL: LazyLock<String> = LazyLock::new(|| insert_sql(1));

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
    cache: &mut HashMap<String, PackageRow>,
    c: &Component,
) -> Result<(i64, Option<String>)> {
    let row = match cache.get(&c.purl) {
        Some(row) => row,
        None => {
            let norm = vigie_versions::normalize_name(c.ecosystem, &c.name).into_owned();
            let short = short_name(c.ecosystem, &norm);
            // Not `RETURNING`: SQLite re-prepares such a statement at every run.
            let changed = tx
                .prepare_cached(
                    "INSERT INTO packages(purl, ecosystem, name, version, norm_name, short_name)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(purl) DO NOTHING",
                )?
                .execute(params![
                    c.purl,
                    c.ecosystem.as_str(),
                    c.name,
                    c.version,
                    norm,
                    short
                ])?;
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
                    )?
                    .query_row([&c.purl], |r| {
                        Ok(PackageRow {
                            id: r.get(0)?,
                            ecosystem: r.get(1)?,
                            name: r.get(2)?,
                            version: r.get(3)?,
                        })
                    })?,
            };
            cache.entry(c.purl.clone()).or_insert(row)
        }
    };
    let same =
        row.ecosystem == c.ecosystem.as_str() && row.name == c.name && row.version == c.version;
    let identity = if same {
        None
    } else {
        Some(serde_json::to_string(&(c.ecosystem, &c.name, &c.version))?)
    };
    Ok((row.id, identity))
}

impl Fill {
    pub(crate) fn new(id: SnapshotId) -> Fill {
        Fill {
            id,
            packages: HashMap::new(),
            projects: Vec::new(),
            repositories: Vec::new(),
            entity_seq: 0,
            relation_seq: 0,
        }
    }

    pub(crate) fn add_project(
        &mut self,
        tx: &Connection,
        project: &ProjectRecord,
        components: &[Component],
        findings: &[FindingRecord],
    ) -> Result<()> {
        if let Some(f) = findings.iter().find(|f| f.project_path != project.path) {
            return Err(Error::Invalid(format!(
                "finding {} is of project {:?}, given with project {:?}",
                f.key, f.project_path, project.path
            )));
        }
        let project_id = tx
            .prepare_cached(
                "INSERT INTO projects(snapshot_id, path, name, files) VALUES (?1, ?2, ?3, ?4)",
            )?
            .insert(params![
                self.id,
                project.path,
                project.name,
                serde_json::to_string(&project.files)?
            ])
            .map_err(|e| match e {
                rusqlite::Error::SqliteFailure(f, _)
                    if f.code == rusqlite::ErrorCode::ConstraintViolation =>
                {
                    Error::Invalid(format!("project {:?} given twice", project.path))
                }
                e => Error::Database(e),
            })?;
        self.projects.push((project_id, project.path.clone()));
        let mut rows = Vec::with_capacity(components.len());
        for c in components {
            rows.push(package_id(tx, &mut self.packages, c)?);
        }
        let mut chunks = components.chunks_exact(CHUNK);
        let mut seq = 0i64;
        let mut batch = tx.prepare_cached(&BATCH_SQL)?;
        for chunk in &mut chunks {
            let mut at = 1;
            for c in chunk {
                let (pkg, identity) = rows.get(seq as usize).cloned().unwrap_or_default();
                batch.raw_bind_parameter(at, project_id)?;
                batch.raw_bind_parameter(at + 1, seq)?;
                batch.raw_bind_parameter(at + 2, pkg)?;
                batch.raw_bind_parameter(at + 3, scope_code(c.scope))?;
                batch.raw_bind_parameter(at + 4, relation_code(c.relation))?;
                batch.raw_bind_parameter(at + 5, &c.licence)?;
                batch.raw_bind_parameter(at + 6, c.line)?;
                batch.raw_bind_parameter(at + 7, &c.note)?;
                batch.raw_bind_parameter(at + 8, identity)?;
                at += COLUMNS;
                seq += 1;
            }
            batch.raw_execute()?;
        }
        let mut insert = tx.prepare_cached(&ONE_SQL)?;
        for c in chunks.remainder() {
            let (pkg, identity) = rows.get(seq as usize).cloned().unwrap_or_default();
            insert.execute(params![
                project_id,
                seq,
                pkg,
                scope_code(c.scope),
                relation_code(c.relation),
                c.licence,
                c.line,
                c.note,
                identity,
            ])?;
            seq += 1;
        }
        let mut insert = tx.prepare_cached(
            "INSERT INTO findings(snapshot_id, key, project_id, family, id, aliases, rating, purl,
             title, fixed, known_exploited, json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
             ON CONFLICT(snapshot_id, key) DO NOTHING",
        )?;
        for f in findings {
            insert.execute(params![
                self.id,
                f.key,
                project_id,
                f.family,
                f.id,
                serde_json::to_string(&f.aliases)?,
                f.rating,
                f.purl,
                f.title,
                f.fixed,
                f.known_exploited,
                serde_json::to_string(&f.json)?,
            ])?;
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
        )?;
        for e in entities {
            self.entity_seq += 1;
            let n = insert.execute(params![
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
            ])?;
            if n > 0 && !e.repositories.is_empty() {
                self.repositories
                    .push((e.entity_ref.clone(), e.repositories.clone()));
            }
        }
        let mut insert = tx.prepare_cached(
            "INSERT INTO relations(snapshot_id, seq, source, relation, target)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for r in relations {
            self.relation_seq += 1;
            insert.execute(params![
                self.id,
                self.relation_seq,
                r.source,
                r.relation,
                r.target
            ])?;
        }
        Ok(())
    }

    /// Writes the project links (see the module doc); the caller commits.
    pub(crate) fn finish(&self, tx: &Connection) -> Result<()> {
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO project_links(project_id, entity_ref) VALUES (?1, ?2)",
        )?;
        for (project_id, entity_ref) in links(&self.projects, &self.repositories) {
            insert.execute(params![project_id, entity_ref])?;
        }
        Ok(())
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

    fn commit(self: Box<Self>) -> Result<SnapshotId> {
        let this = *self;
        this.fill.finish(&this.tx)?;
        this.tx.commit()?;
        Ok(this.fill.id)
    }
}
