//! The storage primitives of the PostgreSQL store: each one statement (or a few), each row
//! decoded here; the logic on top of them is the backend-neutral modules'.

use postgres::Row;
use vigie_findings::{Detail, Family, Rating};

use super::writer::{PgImport, PgWriter};
use super::{PgStore, count, get, json, json_or_default};
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
fn finding_from_row(r: &Row) -> Result<FindingRecord> {
    let bad = |what: String| Error::Corrupt(format!("finding: {what}"));
    let family: &str = get(r, 1)?;
    let family = Family::from_id(family).ok_or_else(|| bad(format!("family {family:?}")))?;
    let rating: &str = get(r, 4)?;
    let rating = Rating::parse(rating).ok_or_else(|| bad(format!("rating {rating:?}")))?;
    let detail: &str = get(r, 10)?;
    let detail = Detail::from_json_str(family, detail).map_err(|e| bad(e.to_string()))?;
    Ok(FindingRecord {
        key: get(r, 0)?,
        family,
        id: get(r, 2)?,
        aliases: json(r, 3)?,
        rating,
        project_path: get(r, 5)?,
        purl: get(r, 6)?,
        title: get(r, 7)?,
        fixed: get(r, 8)?,
        known_exploited: get(r, 9)?,
        detail,
    })
}

/// The column list [`entity_from_row`] reads.
const ENTITY_COLUMNS: &str = "entity_ref, kind, name, title, owners, system, \
     criticality, internet_exposed, personal_data, repositories, json";

fn entity_from_row(r: &Row) -> Result<EntityRecord> {
    let criticality: Option<i32> = get(r, 6)?;
    Ok(EntityRecord {
        entity_ref: get(r, 0)?,
        kind: get(r, 1)?,
        name: get(r, 2)?,
        title: get(r, 3)?,
        owners: json(r, 4)?,
        system: get(r, 5)?,
        criticality: criticality
            .map(|c| u8::try_from(c).map_err(|_| Error::Corrupt(format!("criticality {c}"))))
            .transpose()?,
        internet_exposed: get(r, 7)?,
        personal_data: get(r, 8)?,
        repositories: json(r, 9)?,
        json: json(r, 10)?,
    })
}

const PACKAGE_COLUMNS: &str = "id, purl, ecosystem, name, version, norm_name, short_name";

fn package_from_row(r: &Row) -> Result<PackageInfo> {
    Ok(PackageInfo {
        id: get(r, 0)?,
        purl: get(r, 1)?,
        ecosystem: get(r, 2)?,
        name: get(r, 3)?,
        version: get(r, 4)?,
        norm_name: get(r, 5)?,
        short_name: get(r, 6)?,
    })
}

const TRIAGE_COLUMNS: &str =
    "t.id, t.finding_key, t.state, t.justification, t.until, t.reason, t.by_whom, t.at";

fn triage_from_row(r: &Row) -> Result<TriageRecord> {
    let state: &str = get(r, 2)?;
    let justification: Option<&str> = get(r, 3)?;
    let bad = |what: &str| Error::Corrupt(format!("triage: {what:?}"));
    Ok(TriageRecord {
        id: get(r, 0)?,
        input: TriageInput {
            finding_key: get(r, 1)?,
            state: TriageState::parse(state).ok_or_else(|| bad(state))?,
            justification: match justification {
                None => None,
                Some(j) => Some(Justification::parse(j).ok_or_else(|| bad(j))?),
            },
            until: get(r, 4)?,
            reason: get(r, 5)?,
            by: get(r, 6)?,
            at: get(r, 7)?,
        },
    })
}

/// The columns `project_id, entity_ref, kind, name, system, owners` as a linked element.
fn linked_from_row(r: &Row) -> Result<(i64, LinkedEntity)> {
    Ok((
        get(r, 0)?,
        LinkedEntity::new(get(r, 1)?, get(r, 2)?, get(r, 3)?, get(r, 4)?, json(r, 5)?),
    ))
}

impl PgStore {
    /// The findings of `where_` (over `f` and `p`), by key.
    fn findings_where(
        &self,
        where_: &str,
        params: super::Params<'_>,
    ) -> Result<Vec<FindingRecord>> {
        self.rows(
            &format!(
                "SELECT {FINDING_COLUMNS} FROM findings f JOIN projects p ON p.finding_set = f.set_id
                 WHERE {where_} ORDER BY f.key"
            ),
            params,
            finding_from_row,
        )
    }

    /// A count of `sql`.
    fn count_of(&self, sql: &str) -> Result<u64> {
        count(&self.c().query_one(sql, &[])?, 0)
    }
}

impl Storage for PgStore {
    fn begin_snapshot(&mut self, meta: &SnapshotMeta) -> Result<Box<dyn SnapshotWriter + '_>> {
        self.writable()?;
        Ok(Box::new(PgWriter::begin(self, meta)?))
    }

    fn begin_ingest(
        &mut self,
        meta: &SnapshotMeta,
    ) -> Result<Box<dyn crate::ingest::IngestWriter + '_>> {
        self.writable()?;
        Ok(Box::new(PgWriter::begin(self, meta)?))
    }

    fn project_keys(&self, snapshot: SnapshotId) -> Result<Vec<(String, String, SnapshotId)>> {
        keys_of(self, snapshot)
    }

    fn latest(&self) -> Result<SnapshotId> {
        let id: Option<i64> = get(
            &self.c().query_one("SELECT max(id) FROM snapshots", &[])?,
            0,
        )?;
        id.ok_or(Error::Empty)
    }

    fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        let at = {
            let row = self
                .c()
                .query_one("SELECT count(*), max(id) FROM snapshots", &[])?;
            (get::<i64>(&row, 0)?, get::<Option<i64>>(&row, 1)?)
        };
        if let Some((read_at, list)) = self.snapshot_list.borrow().as_ref()
            && *read_at == at
        {
            return Ok(list.clone());
        }
        let list = self.rows(
            "SELECT s.id, s.taken_at, s.tool_version, s.roots, s.label,
                    coalesce(p.projects, 0), coalesce(p.components, 0), coalesce(p.findings, 0),
                    coalesce(e.entities, 0)
             FROM snapshots s
             LEFT JOIN (SELECT p.snapshot_id, count(*) AS projects,
                               sum(coalesce(l.count, 0))::bigint AS components,
                               sum(coalesce(fs.count, 0))::bigint AS findings
                        FROM projects p LEFT JOIN lists l ON l.id = p.list_id
                        LEFT JOIN finding_sets fs ON fs.id = p.finding_set
                        GROUP BY p.snapshot_id) p ON p.snapshot_id = s.id
             LEFT JOIN (SELECT snapshot_id, count(*) AS entities FROM entities
                        GROUP BY snapshot_id) e ON e.snapshot_id = s.id
             ORDER BY s.id",
            &[],
            |r| {
                Ok(SnapshotInfo {
                    id: get(r, 0)?,
                    meta: SnapshotMeta {
                        taken_at: get(r, 1)?,
                        tool_version: get(r, 2)?,
                        roots: json(r, 3)?,
                        label: get(r, 4)?,
                    },
                    projects: count(r, 5)?,
                    components: count(r, 6)?,
                    findings: count(r, 7)?,
                    entities: count(r, 8)?,
                })
            },
        )?;
        *self.snapshot_list.borrow_mut() = Some((at, list.clone()));
        Ok(list)
    }

    fn retain(&mut self, keep: usize) -> Result<Pruned> {
        self.writable()?;
        let keep = i64::try_from(keep).unwrap_or(i64::MAX);
        self.c().transaction(|c| {
            c.lock_writes()?;
            // The lists and finding sets of the snapshots deleted: the only ones that may be
            // left unused (each checked by the index on projects, not by a scan of them all,
            // so that retention after every CI push costs what the push deleted).
            let row = c.query_one(
                "SELECT coalesce(array_agg(DISTINCT p.list_id)
                                 FILTER (WHERE p.list_id IS NOT NULL), '{}'),
                        coalesce(array_agg(DISTINCT p.finding_set)
                                 FILTER (WHERE p.finding_set IS NOT NULL), '{}')
                 FROM projects p WHERE p.snapshot_id IN
                   (SELECT id FROM snapshots WHERE id NOT IN
                      (SELECT id FROM snapshots ORDER BY id DESC LIMIT $1))",
                &[&keep],
            )?;
            let (lists, sets): (Vec<i64>, Vec<i64>) = (get(&row, 0)?, get(&row, 1)?);
            let snapshots = c.execute(
                "DELETE FROM snapshots WHERE id NOT IN
                   (SELECT id FROM snapshots ORDER BY id DESC LIMIT $1)",
                &[&keep],
            )?;
            let mut packages = 0;
            if snapshots > 0 {
                // As SQLite's: dead postings stay until they outnumber half the live ones.
                let freed: i64 = get(
                    &c.query_one(
                        "WITH dead AS (DELETE FROM lists WHERE id = ANY($1) AND NOT EXISTS
                           (SELECT 1 FROM projects p WHERE p.list_id = lists.id) RETURNING count)
                         SELECT coalesce(sum(count), 0)::bigint FROM dead",
                        &[&lists],
                    )?,
                    0,
                )?;
                let row = c.query_one(
                    "UPDATE store_meta SET value = value + $1 WHERE key = 'dead_postings'
                     RETURNING value, (SELECT coalesce(sum(count), 0)::bigint FROM lists)",
                    &[&freed],
                )?;
                let (dead, live): (i64, i64) = (get(&row, 0)?, get(&row, 1)?);
                if dead > 0 && dead.saturating_mul(2) >= live {
                    super::writer::rebuild_postings(c)?;
                    c.execute(
                        "UPDATE store_meta SET value = 0 WHERE key = 'dead_postings'",
                        &[],
                    )?;
                    // Only a rebuild drops postings, so only then can a package lose its last.
                    packages = c.execute(
                        "DELETE FROM packages WHERE NOT EXISTS
                           (SELECT 1 FROM postings x WHERE x.package_id = packages.id)",
                        &[],
                    )?;
                }
                c.execute(
                    "DELETE FROM finding_sets WHERE id = ANY($1) AND NOT EXISTS
                     (SELECT 1 FROM projects p WHERE p.finding_set = finding_sets.id)",
                    &[&sets],
                )?;
            }
            Ok(Pruned {
                snapshots,
                packages,
            })
        })
    }

    fn begin_import(&mut self) -> Result<Box<dyn ImportSink + '_>> {
        self.writable()?;
        Ok(Box::new(PgImport::begin(self)?))
    }

    /// Nothing to settle: the server checkpoints on its own.
    fn checkpoint(&self) -> Result<()> {
        Ok(())
    }

    /// A read-only store ends its read transaction and starts another; a writable one has
    /// nothing to do.
    fn refresh(&mut self) -> Result<()> {
        if self.read_only {
            self.c().refresh()?;
        }
        Ok(())
    }

    fn claim_job(&mut self, job: &crate::JobClaim<'_>) -> Result<bool> {
        self.writable()?;
        self.c().transaction(|c| {
            c.execute(
                "INSERT INTO jobs(name, due_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
                &[&job.name, &job.first_due],
            )?;
            // Under the row's lock: of servers claiming at once, one changes it.
            let taken = c.execute(
                "UPDATE jobs SET holder = $2, lease_until = $4
                 WHERE name = $1 AND due_at <= $3 AND (holder IS NULL OR lease_until < $3)",
                &[&job.name, &job.holder, &job.now, &job.lease_until],
            )?;
            Ok(taken == 1)
        })
    }

    fn finish_job(&mut self, name: &str, holder: &str, next_due: &str) -> Result<bool> {
        self.writable()?;
        let n = self.c().execute(
            "UPDATE jobs SET due_at = $3, holder = NULL, lease_until = NULL
             WHERE name = $1 AND holder = $2",
            &[&name, &holder, &next_due],
        )?;
        Ok(n == 1)
    }

    /// PostgreSQL keeps its own storage sound (checksums, WAL); what is checked here is the
    /// store's own consistency: every project's list, set and snapshot directory there.
    fn integrity_check(&self) -> Result<Vec<String>> {
        let mut complaints = Vec::new();
        let missing_directories = self.count_of(
            "SELECT count(*) FROM snapshots s WHERE NOT EXISTS
               (SELECT 1 FROM snapshot_directory d WHERE d.snapshot_id = s.id)
             AND EXISTS (SELECT 1 FROM projects p WHERE p.snapshot_id = s.id
                         AND p.list_id IS NOT NULL)",
        )?;
        if missing_directories > 0 {
            complaints.push(format!(
                "{missing_directories} snapshot(s) without their directory"
            ));
        }
        let bad_sets = self.count_of(
            "SELECT count(*) FROM finding_sets fs WHERE fs.count !=
               (SELECT count(*) FROM findings f WHERE f.set_id = fs.id)",
        )?;
        if bad_sets > 0 {
            complaints.push(format!("{bad_sets} finding set(s) whose count is wrong"));
        }
        if complaints.is_empty() {
            complaints.push("ok".into());
        }
        Ok(complaints)
    }

    /// The schema's version readable and its tables there.
    fn quick_check(&self) -> Result<Vec<String>> {
        let found = super::schema::stored_version(&mut self.c())?;
        Ok(vec![if found == super::schema::current_version() {
            "ok".into()
        } else {
            format!("schema version {found}")
        }])
    }

    fn stats(&self) -> Result<StoreStats> {
        let schema_version = super::schema::stored_version(&mut self.c())?;
        Ok(StoreStats {
            schema_version,
            snapshots: self.count_of("SELECT count(*) FROM snapshots")?,
            packages: self.count_of("SELECT count(*) FROM packages")?,
            components: self.count_of(
                "SELECT coalesce(sum(l.count), 0)::bigint FROM projects p
                 JOIN lists l ON l.id = p.list_id",
            )?,
            component_lists: self.count_of("SELECT count(*) FROM lists")?,
            findings: self.count_of(
                "SELECT coalesce(sum(fs.count), 0)::bigint FROM projects p
                 JOIN finding_sets fs ON fs.id = p.finding_set",
            )?,
            findings_stored: self.count_of("SELECT count(*) FROM findings")?,
            triage_records: self.count_of("SELECT count(*) FROM triage")?,
            // The tables and indexes of the store's schema, as the server counts them.
            bytes: self.count_of(
                "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint
                 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')",
            )?,
        })
    }

    fn check_snapshot(&self, id: SnapshotId) -> Result<()> {
        self.one("SELECT id FROM snapshots WHERE id = $1", &[&id], |_| Ok(()))?
            .ok_or(Error::NoSnapshot(id))
    }

    fn projects(&self, snapshot: SnapshotId) -> Result<Vec<ProjectRow>> {
        self.rows(
            "SELECT id, path, name, list_id, licence_categories FROM projects
             WHERE snapshot_id = $1 ORDER BY path",
            &[&snapshot],
            |r| {
                Ok(ProjectRow {
                    id: get(r, 0)?,
                    path: get(r, 1)?,
                    name: get(r, 2)?,
                    list: get(r, 3)?,
                    licence_categories: get(r, 4)?,
                })
            },
        )
    }

    fn project_id(&self, snapshot: SnapshotId, path: &str) -> Result<Option<i64>> {
        self.one(
            "SELECT id FROM projects WHERE snapshot_id = $1 AND path = $2",
            &[&snapshot, &path],
            |r| get(r, 0),
        )
    }

    fn projects_with_list(
        &self,
        snapshot: SnapshotId,
        list: i64,
    ) -> Result<Vec<(i64, String, String)>> {
        self.rows(
            "SELECT id, path, name FROM projects WHERE list_id = $1 AND snapshot_id = $2",
            &[&list, &snapshot],
            |r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)),
        )
    }

    fn project(&self, id: i64) -> Result<(ProjectRecord, Option<i64>)> {
        self.one(
            "SELECT path, name, files, list_id, licence_categories, file_components,
             fingerprint, uncovered FROM projects WHERE id = $1",
            &[&id],
            |r| {
                Ok((
                    ProjectRecord {
                        path: get(r, 0)?,
                        name: get(r, 1)?,
                        files: json(r, 2)?,
                        licence_categories: json_or_default(r, 4)?,
                        file_components: json_or_default(r, 5)?,
                        fingerprint: get(r, 6)?,
                        uncovered: json_or_default(r, 7)?,
                    },
                    get(r, 3)?,
                ))
            },
        )?
        .ok_or_else(|| Error::Corrupt(format!("project {id} missing")))
    }

    fn project_findings(&self, id: i64) -> Result<Vec<FindingRecord>> {
        self.findings_where("p.id = $1", &[&id])
    }

    fn list(&self, id: i64) -> Result<Vec<u8>> {
        self.one("SELECT data FROM lists WHERE id = $1", &[&id], |r| {
            get(r, 0)
        })?
        .ok_or_else(|| Error::Corrupt(format!("component list: list {id} missing")))
    }

    fn package(&self, id: i64) -> Result<PackageInfo> {
        self.one(
            &format!("SELECT {PACKAGE_COLUMNS} FROM packages WHERE id = $1"),
            &[&id],
            package_from_row,
        )?
        .ok_or_else(|| Error::Corrupt(format!("package {id} missing")))
    }

    fn packages_by_id(&self, ids: &[i64]) -> Result<Vec<PackageInfo>> {
        let found = self.rows(
            &format!("SELECT {PACKAGE_COLUMNS} FROM packages WHERE id = ANY($1)"),
            &[&ids],
            package_from_row,
        )?;
        if found.len() != ids.len() {
            return Err(Error::Corrupt(format!(
                "{} of {} packages missing",
                ids.len() - found.len(),
                ids.len()
            )));
        }
        Ok(found)
    }

    fn packages_named(&self, name: &str) -> Result<Vec<PackageInfo>> {
        self.rows(
            &format!(
                "SELECT {PACKAGE_COLUMNS} FROM packages WHERE norm_name = $1 OR short_name = $1"
            ),
            &[&name],
            package_from_row,
        )
    }

    fn postings(&self, package: i64, f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()> {
        // Read whole before `f` runs: `f` may ask the store again.
        let rows = self.c().query(
            "SELECT data FROM postings WHERE package_id = $1 ORDER BY first_list",
            &[&package],
        )?;
        for r in &rows {
            f(get(r, 0)?)?;
        }
        Ok(())
    }

    fn directory(
        &self,
        snapshot: SnapshotId,
        f: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<bool> {
        let row = self.c().query_opt(
            "SELECT data FROM snapshot_directory WHERE snapshot_id = $1",
            &[&snapshot],
        )?;
        match row {
            Some(r) => f(get(&r, 0)?).map(|()| true),
            None => Ok(false),
        }
    }

    fn findings(&self, snapshot: SnapshotId) -> Result<Vec<FindingRecord>> {
        self.findings_where("p.snapshot_id = $1", &[&snapshot])
    }

    fn finding_heads(&self, snapshot: SnapshotId) -> Result<Vec<FindingHead>> {
        self.rows(
            "SELECT f.key, f.rating, f.fixed, f.known_exploited FROM findings f
             JOIN projects p ON p.finding_set = f.set_id WHERE p.snapshot_id = $1
             ORDER BY f.key",
            &[&snapshot],
            |r| {
                Ok(FindingHead {
                    key: get(r, 0)?,
                    rating: get(r, 1)?,
                    fixed: get(r, 2)?,
                    known_exploited: get(r, 3)?,
                })
            },
        )
    }

    fn findings_by_key(&self, snapshot: SnapshotId, key: &str) -> Result<Vec<FindingRecord>> {
        self.findings_where("p.snapshot_id = $1 AND f.key = $2", &[&snapshot, &key])
    }

    fn project_counts(&self, snapshot: SnapshotId, path: &str) -> Result<Option<(u64, u64)>> {
        // A project without components has no list: 0.
        self.one(
            "SELECT coalesce(l.count, 0), coalesce(fs.count, 0)
             FROM projects p LEFT JOIN lists l ON l.id = p.list_id
             LEFT JOIN finding_sets fs ON fs.id = p.finding_set
             WHERE p.snapshot_id = $1 AND p.path = $2",
            &[&snapshot, &path],
            |r| Ok((count(r, 0)?, count(r, 1)?)),
        )
    }

    fn finding_details(
        &self,
        snapshot: SnapshotId,
        keys: &[String],
    ) -> Result<Vec<Option<String>>> {
        let found = self.rows(
            "SELECT f.key, f.json FROM findings f JOIN projects p ON p.finding_set = f.set_id
             WHERE p.snapshot_id = $1 AND f.key = ANY($2)",
            &[&snapshot, &keys],
            |r| Ok((get::<String>(r, 0)?, get::<String>(r, 1)?)),
        )?;
        let mut by_key: std::collections::HashMap<String, String> = found.into_iter().collect();
        Ok(keys.iter().map(|k| by_key.remove(k)).collect())
    }

    fn findings_by_advisory(&self, snapshot: SnapshotId, id: &str) -> Result<Vec<FindingRecord>> {
        // ASCII letters compared without case, as SQLite's NOCASE does.
        let ident = id.to_ascii_lowercase();
        self.findings_where(
            "p.snapshot_id = $1 AND f.idents @> ARRAY[$2::text]",
            &[&snapshot, &ident],
        )
    }

    fn catalog(&self, snapshot: SnapshotId) -> Result<CatalogData> {
        Ok(CatalogData {
            entities: self.rows(
                &format!(
                    "SELECT {ENTITY_COLUMNS} FROM entities WHERE snapshot_id = $1 ORDER BY seq"
                ),
                &[&snapshot],
                entity_from_row,
            )?,
            relations: self.rows(
                "SELECT source, relation, target FROM relations WHERE snapshot_id = $1
                 ORDER BY seq",
                &[&snapshot],
                |r| {
                    Ok(RelationRecord {
                        source: get(r, 0)?,
                        relation: get(r, 1)?,
                        target: get(r, 2)?,
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
                 JOIN entities e ON e.entity_ref = l.entity_ref AND e.snapshot_id = $1
                 WHERE l.project_id = $2 ORDER BY e.entity_ref",
                &[&snapshot, &id],
                linked_from_row,
            ),
            None => self.rows(
                "SELECT l.project_id, e.entity_ref, e.kind, e.name, e.system, e.owners
                 FROM projects p JOIN project_links l ON l.project_id = p.id
                 JOIN entities e ON e.entity_ref = l.entity_ref AND e.snapshot_id = $1
                 WHERE p.snapshot_id = $1 ORDER BY l.project_id, e.entity_ref",
                &[&snapshot],
                linked_from_row,
            ),
        }
    }

    fn triage(&self, key: Option<&str>) -> Result<Vec<TriageRecord>> {
        self.rows(
            &format!(
                "SELECT {TRIAGE_COLUMNS} FROM triage t
                 WHERE $1::text IS NULL OR t.finding_key = $1 ORDER BY t.id"
            ),
            &[&key],
            triage_from_row,
        )
    }

    fn insert_triage(&mut self, id: Option<i64>, t: &TriageInput) -> Result<i64> {
        self.writable()?;
        super::writer::insert_triage(&mut self.c(), id, t)
    }

    fn project_states(&self, snapshot: SnapshotId) -> Result<Vec<ProjectState>> {
        self.rows(
            "SELECT path, fingerprint, uncovered FROM projects
             WHERE snapshot_id = $1 AND fingerprint IS NOT NULL ORDER BY path",
            &[&snapshot],
            |r| {
                Ok(ProjectState {
                    path: get(r, 0)?,
                    fingerprint: get(r, 1)?,
                    uncovered: json_or_default(r, 2)?,
                })
            },
        )
    }

    fn finding_counts(&self, snapshot: SnapshotId) -> Result<Vec<(i64, u64, bool)>> {
        self.rows(
            "SELECT p.id, fs.count, fs.known_exploited FROM projects p
             JOIN finding_sets fs ON fs.id = p.finding_set WHERE p.snapshot_id = $1",
            &[&snapshot],
            |r| Ok((get(r, 0)?, count(r, 1)?, get(r, 2)?)),
        )
    }

    fn triage_mark(&self) -> Result<(u64, i64)> {
        let row = self
            .c()
            .query_one("SELECT count(*), coalesce(max(id), 0) FROM triage", &[])?;
        Ok((count(&row, 0)?, get(&row, 1)?))
    }
}

/// `(path, key, since)` of the projects of `snapshot` that have an ingest key.
pub(super) fn keys_of(
    store: &PgStore,
    snapshot: SnapshotId,
) -> Result<Vec<(String, String, SnapshotId)>> {
    store.rows(
        "SELECT p.path, k.key, k.since FROM project_keys k
         JOIN projects p ON p.id = k.project_id
         WHERE p.snapshot_id = $1 ORDER BY p.path",
        &[&snapshot],
        |r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?)),
    )
}
