//! The streaming snapshot writer of the PostgreSQL store, which is also its ingest writer
//! and (through [`Fill`]) its import: one transaction per snapshot, under the store's write
//! lock from the start; each distinct package looked up once (a project's new packages in
//! one statement); each project's components one list blob stored once per content; its
//! findings one set stored once per content (one statement for its rows). Projects are
//! linked to catalog elements, and the postings of the new lists and the snapshot's
//! directory written, at commit, in batches.

use vigie_findings::Family;
use vigie_model::Component;

use super::{Conn, PgStore, get, is_unique_violation, json_unless_empty};
use crate::finding_sets::{Raw, name, normalize};
use crate::import::ImportSink;
use crate::ingest::IngestWriter;
use crate::links::links;
use crate::lists::{self, Entry, Postings, fnv1a};
use crate::storage::short_name;
use crate::triage::{Justification, TriageInput};
use crate::{
    EntityRecord, Error, FindingRecord, ProjectData, ProjectRecord, RelationRecord, Result,
    SnapshotId, SnapshotMeta, SnapshotWriter,
};

/// Rows written by one batch statement (postings, links).
const BATCH: usize = 4096;

/// A package row as stored: its id and the identity it gives back.
struct PackageRow {
    id: i64,
    ecosystem: String,
    name: String,
    version: Option<String>,
}

/// The state of a snapshot being filled, over a connection in a transaction it does not own
/// (the writer's, or the import's).
pub(crate) struct Fill {
    id: SnapshotId,
    packages: crate::FastMap<String, PackageRow>,
    projects: Vec<(i64, String)>,
    repositories: Vec<(String, Vec<String>)>,
    entity_seq: i64,
    relation_seq: i64,
    postings: Postings,
    /// The list blob being built, reused.
    blob: Vec<u8>,
    /// Each component's package id and `identity` column, reused.
    rows: Vec<(i64, Option<String>)>,
}

impl Fill {
    fn new(id: SnapshotId) -> Fill {
        Fill {
            id,
            packages: crate::FastMap::default(),
            projects: Vec::new(),
            repositories: Vec::new(),
            entity_seq: 0,
            relation_seq: 0,
            postings: Postings::default(),
            blob: Vec::new(),
            rows: Vec::new(),
        }
    }

    /// Looks up (inserting the new ones) the packages of `components` not yet known to
    /// this fill: at most two statements, whatever their number.
    fn resolve_packages(&mut self, c: &mut Conn, components: &[Component]) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        let new: Vec<&Component> = components
            .iter()
            .filter(|x| !self.packages.contains_key(&x.purl) && seen.insert(x.purl.as_str()))
            .collect();
        if new.is_empty() {
            return Ok(());
        }
        let purls: Vec<&str> = new.iter().map(|x| x.purl.as_str()).collect();
        let ecosystems: Vec<&str> = new.iter().map(|x| x.ecosystem.as_str()).collect();
        let names: Vec<&str> = new.iter().map(|x| x.name.as_str()).collect();
        let versions: Vec<Option<&str>> = new.iter().map(|x| x.version.as_deref()).collect();
        let norms: Vec<String> = new
            .iter()
            .map(|x| vigie_versions::normalize_name(x.ecosystem, &x.name).into_owned())
            .collect();
        let shorts: Vec<String> = new
            .iter()
            .zip(&norms)
            .map(|(x, n)| short_name(x.ecosystem, n))
            .collect();
        let inserted = c.query(
            "INSERT INTO packages(purl, ecosystem, name, version, norm_name, short_name)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                                  $6::text[])
             ON CONFLICT (purl) DO NOTHING RETURNING id, purl",
            &[&purls, &ecosystems, &names, &versions, &norms, &shorts],
        )?;
        let mut ids: crate::FastMap<String, i64> = crate::FastMap::default();
        for r in &inserted {
            ids.insert(get(r, 1)?, get(r, 0)?);
        }
        for x in &new {
            if let Some(&id) = ids.get(&x.purl) {
                self.packages.insert(
                    x.purl.clone(),
                    PackageRow {
                        id,
                        ecosystem: x.ecosystem.as_str().to_owned(),
                        name: x.name.clone(),
                        version: x.version.clone(),
                    },
                );
            }
        }
        if inserted.len() < new.len() {
            let known: Vec<&str> = purls
                .iter()
                .copied()
                .filter(|p| !ids.contains_key(*p))
                .collect();
            let rows = c.query(
                "SELECT id, purl, ecosystem, name, version FROM packages WHERE purl = ANY($1)",
                &[&known],
            )?;
            for r in &rows {
                self.packages.insert(
                    get(r, 1)?,
                    PackageRow {
                        id: get(r, 0)?,
                        ecosystem: get(r, 2)?,
                        name: get(r, 3)?,
                        version: get(r, 4)?,
                    },
                );
            }
        }
        Ok(())
    }

    /// The id of the list whose blob is `self.blob`, inserted (and indexed for the
    /// postings) when no list has that content yet.
    fn store_list(&mut self, c: &mut Conn, components: &[Component]) -> Result<i64> {
        let hash = fnv1a(&self.blob);
        let count = components.len() as i64;
        let row = c.query_one(
            "WITH found AS (SELECT id FROM lists WHERE hash = $1 AND data = $2 LIMIT 1),
                  added AS (INSERT INTO lists(hash, count, data) SELECT $1, $3, $2
                            WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
             SELECT id, false FROM found UNION ALL SELECT id, true FROM added",
            &[&hash, &self.blob, &count],
        )?;
        let (id, added): (i64, bool) = (get(&row, 0)?, get(&row, 1)?);
        if added {
            self.postings.index(
                id,
                components
                    .iter()
                    .zip(&self.rows)
                    .map(|(x, (package, _))| (*package, Entry::of(x, *package, None).how())),
            );
        }
        Ok(id)
    }

    fn add_project(
        &mut self,
        c: &mut Conn,
        project: &ProjectRecord,
        components: &[Component],
        findings: &[FindingRecord],
    ) -> Result<()> {
        crate::finding_sets::check_of_project(project, findings)?;
        self.resolve_packages(c, components)?;
        self.rows.clear();
        for x in components {
            let row = self
                .packages
                .get(&x.purl)
                .ok_or_else(|| Error::Corrupt(format!("package {:?} not stored", x.purl)))?;
            let identity = lists::identity(x, &row.ecosystem, &row.name, row.version.as_deref())?;
            self.rows.push((row.id, identity));
        }
        lists::begin(&mut self.blob);
        for (x, (package, identity)) in components.iter().zip(&self.rows) {
            lists::push(&mut self.blob, &Entry::of(x, *package, identity.as_deref()));
        }
        let list_id = self.store_list(c, components)?;
        let raw = findings.iter().map(Raw::of).collect::<Result<Vec<_>>>()?;
        let finding_set = store_set(c, raw)?;
        let inserted = c.query_one_raw(
            "INSERT INTO projects(snapshot_id, path, name, files, list_id, licence_categories,
             file_components, finding_set, fingerprint, uncovered)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            &[
                &self.id,
                &project.path,
                &project.name,
                &serde_json::to_string(&project.files)?,
                &list_id,
                &json_unless_empty(
                    &project.licence_categories,
                    project.licence_categories.is_empty(),
                )?,
                &json_unless_empty(&project.file_components, project.file_components.is_empty())?,
                &finding_set,
                &project.fingerprint,
                &json_unless_empty(&project.uncovered, project.uncovered.is_empty())?,
            ],
        )?;
        let id: i64 = match inserted {
            Ok(row) => get(&row, 0)?,
            Err(e) if is_unique_violation(&e) => {
                return Err(Error::Invalid(format!(
                    "project {:?} given twice",
                    project.path
                )));
            }
            Err(e) => return Err(super::backend(e)),
        };
        self.projects.push((id, project.path.clone()));
        Ok(())
    }

    /// Replaces the findings of family `family` of project row `project_id` (of this
    /// snapshot) by `findings`.
    fn replace_findings(
        &mut self,
        c: &mut Conn,
        project_id: i64,
        family: Family,
        findings: &[FindingRecord],
    ) -> Result<()> {
        let current: Option<i64> = get(
            &c.query_one(
                "SELECT finding_set FROM projects WHERE id = $1 AND snapshot_id = $2",
                &[&project_id, &self.id],
            )?,
            0,
        )?;
        let raw = match current {
            Some(set) => read_set(c, set)?,
            None => Vec::new(),
        };
        let raw = crate::finding_sets::replace_family(raw, family, findings)?;
        let set = store_set(c, raw)?;
        if set != current {
            c.execute(
                "UPDATE projects SET finding_set = $1 WHERE id = $2",
                &[&set, &project_id],
            )?;
        }
        Ok(())
    }

    fn add_entities(
        &mut self,
        c: &mut Conn,
        entities: &[EntityRecord],
        relations: &[RelationRecord],
    ) -> Result<()> {
        for e in entities {
            self.entity_seq += 1;
            let n = c.execute(
                "INSERT INTO entities(snapshot_id, seq, entity_ref, kind, name, title, owners,
                 system, criticality, internet_exposed, personal_data, repositories, json)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT DO NOTHING",
                &[
                    &self.id,
                    &self.entity_seq,
                    &e.entity_ref,
                    &e.kind,
                    &e.name,
                    &e.title,
                    &serde_json::to_string(&e.owners)?,
                    &e.system,
                    &e.criticality.map(i32::from),
                    &e.internet_exposed,
                    &e.personal_data,
                    &serde_json::to_string(&e.repositories)?,
                    &serde_json::to_string(&e.json)?,
                ],
            )?;
            if n > 0 && !e.repositories.is_empty() {
                self.repositories
                    .push((e.entity_ref.clone(), e.repositories.clone()));
            }
        }
        for r in relations {
            self.relation_seq += 1;
            c.execute(
                "INSERT INTO relations(snapshot_id, seq, source, relation, target)
                 VALUES ($1, $2, $3, $4, $5)",
                &[
                    &self.id,
                    &self.relation_seq,
                    &r.source,
                    &r.relation,
                    &r.target,
                ],
            )?;
        }
        Ok(())
    }

    /// Writes the postings, the project links and the snapshot's directory; the caller
    /// commits.
    fn finish(&mut self, c: &mut Conn) -> Result<()> {
        write_postings(c, &mut self.postings)?;
        let mut rows = c
            .query(
                "SELECT id, list_id, path, name FROM projects
                 WHERE snapshot_id = $1 AND list_id IS NOT NULL",
                &[&self.id],
            )?
            .iter()
            .map(|r| Ok((get(r, 0)?, get(r, 1)?, get(r, 2)?, get(r, 3)?)))
            .collect::<Result<Vec<(i64, i64, String, String)>>>()?;
        let data = crate::directory::encode(&mut rows);
        c.execute(
            "INSERT INTO snapshot_directory(snapshot_id, data) VALUES ($1, $2)
             ON CONFLICT (snapshot_id) DO UPDATE SET data = excluded.data",
            &[&self.id, &data],
        )?;
        let linked = links(&self.projects, &self.repositories);
        for chunk in linked.chunks(BATCH) {
            let ids: Vec<i64> = chunk.iter().map(|l| l.0).collect();
            let refs: Vec<&str> = chunk.iter().map(|l| l.1.as_str()).collect();
            c.execute(
                "INSERT INTO project_links(project_id, entity_ref)
                 SELECT * FROM unnest($1::bigint[], $2::text[]) ON CONFLICT DO NOTHING",
                &[&ids, &refs],
            )?;
        }
        Ok(())
    }
}

/// Writes the postings gathered, in batches.
fn write_postings(c: &mut Conn, postings: &mut Postings) -> Result<()> {
    let all = postings.drain();
    for chunk in all.chunks(BATCH) {
        let packages: Vec<i64> = chunk.iter().map(|p| p.0).collect();
        let firsts: Vec<i64> = chunk.iter().map(|p| p.1).collect();
        let blobs: Vec<&[u8]> = chunk.iter().map(|p| p.2.as_slice()).collect();
        c.execute(
            "INSERT INTO postings(package_id, first_list, data)
             SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])",
            &[&packages, &firsts, &blobs],
        )?;
    }
    Ok(())
}

/// Rebuilds every posting from the live lists (after retention deleted many lists).
pub(super) fn rebuild_postings(c: &mut Conn) -> Result<()> {
    c.execute("DELETE FROM postings", &[])?;
    let mut postings = Postings::default();
    let mut after = 0i64;
    loop {
        // A page of lists at a time: memory holds a page, not the store.
        let rows = c.query(
            "SELECT id, data FROM lists WHERE id > $1 ORDER BY id LIMIT 1000",
            &[&after],
        )?;
        let Some(last) = rows.last() else { break };
        after = get(last, 0)?;
        for r in &rows {
            let id: i64 = get(r, 0)?;
            let entries = lists::decode(get(r, 1)?)?;
            postings.index(id, entries.iter().map(|e| (e.package, e.how())));
        }
    }
    write_postings(c, &mut postings)
}

/// The set holding exactly `findings`, inserted with its rows when no set has that content
/// yet; `None` when there is no finding.
fn store_set(c: &mut Conn, mut findings: Vec<Raw>) -> Result<Option<i64>> {
    if findings.is_empty() {
        return Ok(None);
    }
    normalize(&mut findings);
    let hash = name(&findings);
    let count = findings.len() as i64;
    let exploited = findings.iter().any(|f| f.known_exploited);
    let row = c.query_one(
        "WITH found AS (SELECT id FROM finding_sets WHERE hash = $1),
              added AS (INSERT INTO finding_sets(hash, count, known_exploited)
                        SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM found) RETURNING id)
         SELECT id, false FROM found UNION ALL SELECT id, true FROM added",
        &[&hash, &count, &exploited],
    )?;
    let (set, added): (i64, bool) = (get(&row, 0)?, get(&row, 1)?);
    if added {
        let col = |f: fn(&Raw) -> &str| findings.iter().map(f).collect::<Vec<&str>>();
        let opt = |f: fn(&Raw) -> Option<&str>| findings.iter().map(f).collect::<Vec<_>>();
        // The id and aliases in ASCII lower case, as one array literal per finding (the
        // driver has no two-dimensional arrays): what "are we hit?" looks up.
        let idents = findings
            .iter()
            .map(|f| {
                let aliases: Vec<String> = serde_json::from_str(&f.aliases)?;
                let mut all: Vec<String> = std::iter::once(f.id.to_ascii_lowercase())
                    .chain(aliases.iter().map(|a| a.to_ascii_lowercase()))
                    .collect();
                all.sort();
                all.dedup();
                Ok(array_literal(&all))
            })
            .collect::<Result<Vec<String>>>()?;
        let exploited: Vec<bool> = findings.iter().map(|f| f.known_exploited).collect();
        c.execute(
            "INSERT INTO findings(set_id, key, family, id, aliases, idents, rating, purl, title,
             fixed, known_exploited, json)
             SELECT $1, k, fa, i, a, id::text[], r, pu, t, fx, ke, j
             FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                         $8::text[], $9::text[], $10::text[], $11::bool[], $12::text[])
                  AS x(k, fa, i, a, id, r, pu, t, fx, ke, j)",
            &[
                &set,
                &col(|f| f.key.as_str()),
                &col(|f| f.family.as_str()),
                &col(|f| f.id.as_str()),
                &col(|f| f.aliases.as_str()),
                &idents,
                &col(|f| f.rating.as_str()),
                &opt(|f| f.purl.as_deref()),
                &col(|f| f.title.as_str()),
                &opt(|f| f.fixed.as_deref()),
                &exploited,
                &col(|f| f.json.as_str()),
            ],
        )?;
    }
    Ok(Some(set))
}

/// A PostgreSQL array literal of `items` (each quoted, `"` and `\` escaped).
fn array_literal(items: &[String]) -> String {
    let mut out = String::from("{");
    for (i, s) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for ch in s.chars() {
            if ch == '"' || ch == '\\' {
                out.push('\\');
            }
            out.push(ch);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// The findings of set `set`, in key order.
fn read_set(c: &mut Conn, set: i64) -> Result<Vec<Raw>> {
    c.query(
        "SELECT key, family, id, aliases, rating, purl, title, fixed, known_exploited, json
         FROM findings WHERE set_id = $1 ORDER BY key",
        &[&set],
    )?
    .iter()
    .map(|r| {
        Ok(Raw {
            key: get(r, 0)?,
            family: get(r, 1)?,
            id: get(r, 2)?,
            aliases: get(r, 3)?,
            rating: get(r, 4)?,
            purl: get(r, 5)?,
            title: get(r, 6)?,
            fixed: get(r, 7)?,
            known_exploited: get(r, 8)?,
            json: get(r, 9)?,
        })
    })
    .collect()
}

/// Which projects of the previous snapshot [`carry`] copies.
enum Carried<'a> {
    /// Every project whose path is not among these (an ingest), with the catalog.
    AllBut(&'a [&'a str]),
    /// The projects at these paths (a scan's unchanged projects), without the catalog.
    Only(&'a [String]),
    /// The projects pushed by CI (those with a key) whose path the new snapshot does not
    /// hold yet; not the catalog, which the scan brings.
    Pushed,
}

/// Copies projects of `from` into `to` (see [`Carried`]) with their findings (the same
/// sets) and keys; returns the projects copied, as `(new id, path)`.
fn carry(
    c: &mut Conn,
    from: SnapshotId,
    to: SnapshotId,
    which: Carried<'_>,
) -> Result<Vec<(i64, String)>> {
    let insert = "INSERT INTO projects(snapshot_id, path, name, files, list_id,
         licence_categories, file_components, finding_set, fingerprint, uncovered)
         SELECT $2, path, name, files, list_id, licence_categories, file_components,
         finding_set, fingerprint, uncovered FROM projects WHERE snapshot_id = $1";
    let rows = match which {
        Carried::AllBut(except) => c.query(
            &format!("{insert} AND NOT (path = ANY($3)) ORDER BY id RETURNING id, path"),
            &[&from, &to, &except],
        )?,
        Carried::Only(paths) => c.query(
            &format!("{insert} AND path = ANY($3) ORDER BY id RETURNING id, path"),
            &[&from, &to, &paths],
        )?,
        Carried::Pushed => c.query(
            &format!(
                "{insert} AND id IN (SELECT project_id FROM project_keys)
                 AND path NOT IN (SELECT path FROM projects WHERE snapshot_id = $2)
                 ORDER BY id RETURNING id, path"
            ),
            &[&from, &to],
        )?,
    };
    let mut copied = rows
        .iter()
        .map(|r| Ok((get(r, 0)?, get(r, 1)?)))
        .collect::<Result<Vec<(i64, String)>>>()?;
    copied.sort_unstable_by_key(|p| p.0);
    let ids: Vec<i64> = copied.iter().map(|p| p.0).collect();
    c.execute(
        "INSERT INTO project_keys(project_id, key, since)
         SELECT np.id, k.key, k.since FROM project_keys k
         JOIN projects op ON op.id = k.project_id
         JOIN projects np ON np.snapshot_id = $2 AND np.path = op.path AND np.id = ANY($3)
         WHERE op.snapshot_id = $1",
        &[&from, &to, &ids],
    )?;
    if let Carried::AllBut(_) = which {
        c.execute(
            "INSERT INTO entities(snapshot_id, seq, entity_ref, kind, name, title, owners,
             system, criticality, internet_exposed, personal_data, repositories, json)
             SELECT $2, seq, entity_ref, kind, name, title, owners, system, criticality,
             internet_exposed, personal_data, repositories, json FROM entities
             WHERE snapshot_id = $1",
            &[&from, &to],
        )?;
        c.execute(
            "INSERT INTO relations(snapshot_id, seq, source, relation, target)
             SELECT $2, seq, source, relation, target FROM relations WHERE snapshot_id = $1",
            &[&from, &to],
        )?;
    }
    Ok(copied)
}

/// Inserts a decision, with its id when given (import); the caller validated it.
pub(super) fn insert_triage(c: &mut Conn, id: Option<i64>, t: &TriageInput) -> Result<i64> {
    let row = c.query_one(
        "INSERT INTO triage(id, finding_key, state, justification, until, reason, by_whom, at)
         VALUES (coalesce($1, nextval(pg_get_serial_sequence('triage', 'id'))),
                 $2, $3, $4, $5, $6, $7, $8)
         RETURNING id",
        &[
            &id,
            &t.finding_key,
            &t.state.as_str(),
            &t.justification.map(Justification::as_str),
            &t.until,
            &t.reason,
            &t.by,
            &t.at,
        ],
    )?;
    get(&row, 0)
}

/// Rolls back the transaction of `store` unless `done` (a writer or an import dropped
/// without commit).
fn roll_back_unless(store: &PgStore, done: bool) {
    if !done {
        store.c().rollback();
    }
}

/// Runs `f` in the transaction begun on `store`; on its error, rolls back.
fn begun<T>(store: &PgStore, f: impl FnOnce(&mut Conn) -> Result<T>) -> Result<T> {
    let mut c = store.c();
    c.begin()?;
    match f(&mut c) {
        Ok(v) => Ok(v),
        Err(e) => {
            c.rollback();
            Err(e)
        }
    }
}

/// The PostgreSQL [`SnapshotWriter`] and [`IngestWriter`]: the store's write lock is taken
/// when it begins, so the latest snapshot it reads stays the latest until it commits.
/// Dropped without [`SnapshotWriter::commit`], it rolls back.
pub(crate) struct PgWriter<'a> {
    store: &'a PgStore,
    fill: Fill,
    previous: Option<SnapshotId>,
    done: bool,
}

impl<'a> PgWriter<'a> {
    pub(super) fn begin(store: &'a PgStore, meta: &SnapshotMeta) -> Result<PgWriter<'a>> {
        let (id, previous) = begun(store, |c| {
            c.lock_writes()?;
            let previous: Option<i64> =
                get(&c.query_one("SELECT max(id) FROM snapshots", &[])?, 0)?;
            let id: i64 = get(
                &c.query_one(
                    "INSERT INTO snapshots(taken_at, tool_version, roots, label)
                     VALUES ($1, $2, $3, $4) RETURNING id",
                    &[
                        &meta.taken_at,
                        &meta.tool_version,
                        &serde_json::to_string(&meta.roots)?,
                        &meta.label,
                    ],
                )?,
                0,
            )?;
            Ok((id, previous))
        })?;
        Ok(PgWriter {
            store,
            fill: Fill::new(id),
            previous,
            done: false,
        })
    }
}

impl Drop for PgWriter<'_> {
    fn drop(&mut self) {
        roll_back_unless(self.store, self.done);
    }
}

impl SnapshotWriter for PgWriter<'_> {
    fn add_project(
        &mut self,
        project: &ProjectRecord,
        components: &[Component],
        findings: &[FindingRecord],
    ) -> Result<()> {
        self.fill
            .add_project(&mut self.store.c(), project, components, findings)
    }

    fn add_entities(
        &mut self,
        entities: &[EntityRecord],
        relations: &[RelationRecord],
    ) -> Result<()> {
        self.fill
            .add_entities(&mut self.store.c(), entities, relations)
    }

    fn carry_pushed(&mut self) -> Result<u64> {
        let Some(from) = self.previous else {
            return Ok(0);
        };
        let copied = carry(&mut self.store.c(), from, self.fill.id, Carried::Pushed)?;
        let n = copied.len() as u64;
        self.fill.projects.extend(copied);
        Ok(n)
    }

    fn carry_unchanged(&mut self, from: SnapshotId, paths: &[String]) -> Result<u64> {
        if paths.is_empty() {
            return Ok(0);
        }
        let copied = carry(
            &mut self.store.c(),
            from,
            self.fill.id,
            Carried::Only(paths),
        )?;
        let n = copied.len() as u64;
        self.fill.projects.extend(copied);
        Ok(n)
    }

    fn commit(mut self: Box<Self>) -> Result<SnapshotId> {
        let mut c = self.store.c();
        self.fill.finish(&mut c)?;
        self.done = true;
        c.commit()?;
        Ok(self.fill.id)
    }
}

impl IngestWriter for PgWriter<'_> {
    fn id(&self) -> SnapshotId {
        self.fill.id
    }

    fn keys(&self, snapshot: SnapshotId) -> Result<Vec<(String, String, SnapshotId)>> {
        super::storage::keys_of(self.store, snapshot)
    }

    fn previous(&self) -> Option<SnapshotId> {
        self.previous
    }

    fn carry_forward(&mut self, from: SnapshotId, except: &[&str]) -> Result<u64> {
        let mut c = self.store.c();
        let fill = &mut self.fill;
        let copied = carry(&mut c, from, fill.id, Carried::AllBut(except))?;
        let n = copied.len() as u64;
        fill.projects.extend(copied);
        // The catalog's repositories, so that links are computed for every project at commit.
        let rows = c.query(
            "SELECT entity_ref, repositories FROM entities
             WHERE snapshot_id = $1 AND repositories != '[]'",
            &[&fill.id],
        )?;
        for r in &rows {
            let repositories: &str = get(r, 1)?;
            fill.repositories
                .push((get(r, 0)?, serde_json::from_str(repositories)?));
        }
        let row = c.query_one(
            "SELECT (SELECT coalesce(max(seq), 0) FROM entities WHERE snapshot_id = $1),
                    (SELECT coalesce(max(seq), 0) FROM relations WHERE snapshot_id = $1)",
            &[&fill.id],
        )?;
        fill.entity_seq = get(&row, 0)?;
        fill.relation_seq = get(&row, 1)?;
        Ok(n)
    }

    fn replace_findings(
        &mut self,
        path: &str,
        family: Family,
        findings: &[FindingRecord],
    ) -> Result<()> {
        let mut c = self.store.c();
        let id: i64 = c
            .query_opt(
                "SELECT id FROM projects WHERE snapshot_id = $1 AND path = $2",
                &[&self.fill.id, &path],
            )?
            .map(|r| get(&r, 0))
            .transpose()?
            .ok_or_else(|| Error::Invalid(format!("project {path:?} is not in the snapshot")))?;
        self.fill.replace_findings(&mut c, id, family, findings)
    }

    fn set_key(&mut self, path: &str, key: &str, since: SnapshotId) -> Result<()> {
        self.store.c().execute(
            "INSERT INTO project_keys(project_id, key, since)
             SELECT id, $3, $4 FROM projects WHERE snapshot_id = $1 AND path = $2",
            &[&self.fill.id, &path, &key, &since],
        )?;
        Ok(())
    }
}

/// An import under way: its transaction (under the write lock) and the snapshot being
/// filled, with the ids of the document.
pub(crate) struct PgImport<'a> {
    store: &'a PgStore,
    fill: Option<Fill>,
    done: bool,
}

impl<'a> PgImport<'a> {
    /// Starts an import into the store, refused unless it is empty.
    pub(super) fn begin(store: &'a PgStore) -> Result<PgImport<'a>> {
        begun(store, |c| {
            c.lock_writes()?;
            let held = super::count(
                &c.query_one(
                    "SELECT (SELECT count(*) FROM snapshots) + (SELECT count(*) FROM triage)",
                    &[],
                )?,
                0,
            )?;
            if held > 0 {
                return Err(Error::NotEmpty(held));
            }
            Ok(())
        })?;
        Ok(PgImport {
            store,
            fill: None,
            done: false,
        })
    }

    /// The snapshot being filled (the neutral reader starts one before its content).
    fn started(&mut self) -> Result<&mut Fill> {
        self.fill
            .as_mut()
            .ok_or_else(|| Error::Invalid("no snapshot started".into()))
    }
}

impl Drop for PgImport<'_> {
    fn drop(&mut self) {
        roll_back_unless(self.store, self.done);
    }
}

impl ImportSink for PgImport<'_> {
    fn snapshot(&mut self, id: SnapshotId, meta: &SnapshotMeta) -> Result<()> {
        self.store.c().execute(
            "INSERT INTO snapshots(id, taken_at, tool_version, roots, label)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &id,
                &meta.taken_at,
                &meta.tool_version,
                &serde_json::to_string(&meta.roots)?,
                &meta.label,
            ],
        )?;
        self.fill = Some(Fill::new(id));
        Ok(())
    }

    fn entities(&mut self, entities: &[EntityRecord], relations: &[RelationRecord]) -> Result<()> {
        let store = self.store;
        self.started()?
            .add_entities(&mut store.c(), entities, relations)
    }

    fn project(&mut self, p: &ProjectData) -> Result<()> {
        let store = self.store;
        self.started()?
            .add_project(&mut store.c(), &p.project, &p.components, &p.findings)
    }

    fn end_snapshot(&mut self) -> Result<()> {
        let store = self.store;
        self.started()?.finish(&mut store.c())?;
        self.fill = None;
        Ok(())
    }

    fn triage(&mut self, id: i64, input: &TriageInput) -> Result<()> {
        insert_triage(&mut self.store.c(), Some(id), input).map(|_| ())
    }

    fn commit(mut self: Box<Self>) -> Result<()> {
        let mut c = self.store.c();
        // Ids given by the document: the sequences start after them.
        c.batch(
            "SELECT setval(pg_get_serial_sequence('snapshots', 'id'),
                           coalesce((SELECT max(id) FROM snapshots), 0) + 1, false);
             SELECT setval(pg_get_serial_sequence('triage', 'id'),
                           coalesce((SELECT max(id) FROM triage), 0) + 1, false)",
        )?;
        self.done = true;
        c.commit()
    }
}
