//! The storage primitives: what a backend implements. Everything the [`Store`] answers
//! (diff, triage, show and its blast radius, who-uses, the report's aggregates, export) is
//! written once in the other modules on top of [`Storage`]; a backend implements only this
//! trait (SQLite: `sqlite/`), and `impl<S: Storage> Store for S` gives it the rest.
//!
//! The primitives are coarse where the hot paths need it: a list is one blob (`lists.rs`),
//! a package's postings blobs, a snapshot's directory one blob (`directory.rs`), each given
//! to a callback in place, so who-uses over thousands of projects reads a few blobs.

use std::collections::hash_map::Entry;
use std::io::{Read, Write};

use vigie_model::{Component, Ecosystem, Relation, Scope};

use crate::import::ImportSink;
use crate::ingest::{IngestWriter, Ingested, PushedProject};
use crate::query::{AdvisoryUse, LinkedEntity, PackageQuery, UsageRef};
use crate::show::Shown;
use crate::triage::{FindingStatus, TriageInput, TriageRecord};
use crate::{
    CatalogData, ComponentRow, FindingRecord, PackageUses, ProjectData, ProjectLink, ProjectRecord,
    Pruned, Result, SnapshotDiff, SnapshotId, SnapshotInfo, SnapshotMeta, SnapshotWriter, Store,
    StoreStats,
};

/// A project row of a snapshot, without its files.
#[derive(Clone, Debug)]
pub(crate) struct ProjectRow {
    pub id: i64,
    pub path: String,
    pub name: String,
    /// Its component list (`None`: no components).
    pub list: Option<i64>,
    /// `licence_categories` as stored (JSON), `None` when the licence check did not run.
    pub licence_categories: Option<String>,
}

/// A package as stored: what a list entry's package id stands for.
#[derive(Clone, Debug)]
pub(crate) struct PackageInfo {
    pub id: i64,
    pub purl: String,
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
    /// `vigie_versions::normalize_name` of the name.
    pub norm_name: String,
    /// [`short_name`] of `norm_name`.
    pub short_name: String,
}

/// What a finding compares on in a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FindingHead {
    pub key: String,
    pub rating: String,
    pub fixed: Option<String>,
    pub known_exploited: bool,
}

/// Everything a backend provides. Ids of projects, lists and packages are the backend's;
/// orders are stated per primitive (paths and keys compare as bytes).
pub(crate) trait Storage: crate::access::AccessStorage + Send {
    /// Starts a snapshot (one transaction).
    fn begin_snapshot(&mut self, meta: &SnapshotMeta) -> Result<Box<dyn SnapshotWriter + '_>>;
    /// Starts the snapshot of an ingest (one transaction), holding the store's write lock
    /// from the start, so that [`IngestWriter::previous`] is the latest until it commits.
    fn begin_ingest(&mut self, meta: &SnapshotMeta) -> Result<Box<dyn IngestWriter + '_>>;
    /// `(path, key, since)` of the projects of `snapshot` that have an ingest key.
    fn project_keys(&self, snapshot: SnapshotId) -> Result<Vec<(String, String, SnapshotId)>>;
    /// The snapshots with their counts, oldest first.
    fn snapshots(&self) -> Result<Vec<SnapshotInfo>>;
    /// The latest snapshot's id, or [`Error::Empty`](crate::Error::Empty).
    fn latest(&self) -> Result<SnapshotId>;
    /// [`Error::NoSnapshot`](crate::Error::NoSnapshot) unless `id` exists.
    fn check_snapshot(&self, id: SnapshotId) -> Result<()>;
    /// See [`Store::retain`].
    fn retain(&mut self, keep: usize) -> Result<Pruned>;
    /// Starts an import into this store, which must be empty ([`Error::NotEmpty`](crate::Error::NotEmpty)).
    fn begin_import(&mut self) -> Result<Box<dyn ImportSink + '_>>;
    /// See [`Store::stats`].
    fn stats(&self) -> Result<StoreStats>;
    /// See [`Store::checkpoint`].
    fn checkpoint(&self) -> Result<()>;
    /// See [`Store::integrity_check`].
    fn integrity_check(&self) -> Result<Vec<String>>;
    /// See [`Store::quick_check`].
    fn quick_check(&self) -> Result<Vec<String>>;
    /// See [`Store::refresh`].
    fn refresh(&mut self) -> Result<()>;
    /// See [`Store::claim_job`].
    fn claim_job(&mut self, job: &crate::JobClaim<'_>) -> Result<bool>;
    /// See [`Store::finish_job`].
    fn finish_job(&mut self, name: &str, holder: &str, next_due: &str) -> Result<bool>;

    /// The projects of `snapshot`, by path.
    fn projects(&self, snapshot: SnapshotId) -> Result<Vec<ProjectRow>>;
    /// `(id, path, name)` of the projects of `snapshot` whose list is `list`.
    fn projects_with_list(
        &self,
        snapshot: SnapshotId,
        list: i64,
    ) -> Result<Vec<(i64, String, String)>>;
    /// One project (any snapshot) and its list.
    fn project(&self, id: i64) -> Result<(ProjectRecord, Option<i64>)>;
    /// A project's findings, in the order they were written.
    fn project_findings(&self, id: i64) -> Result<Vec<FindingRecord>>;
    /// A list's blob (format in `lists.rs`).
    fn list(&self, id: i64) -> Result<Vec<u8>>;
    /// A package by id ([`Error::Corrupt`](crate::Error::Corrupt) when missing).
    fn package(&self, id: i64) -> Result<PackageInfo>;
    /// The packages with these ids, in any order ([`Error::Corrupt`](crate::Error::Corrupt)
    /// when one is missing): what a list's components need, read at once where a round
    /// trip costs (a database server), one by one by default.
    fn packages_by_id(&self, ids: &[i64]) -> Result<Vec<PackageInfo>> {
        ids.iter().map(|&id| self.package(id)).collect()
    }
    /// The packages whose `norm_name` or `short_name` is `name`.
    fn packages_named(&self, name: &str) -> Result<Vec<PackageInfo>>;
    /// Gives each posting blob of `package` to `f`, in list order (format in `lists.rs`).
    fn postings(&self, package: i64, f: &mut dyn FnMut(&[u8]) -> Result<()>) -> Result<()>;
    /// Gives the stored directory blob of `snapshot` to `f` (format in `directory.rs`);
    /// `false`, without calling `f`, when none is stored.
    fn directory(
        &self,
        snapshot: SnapshotId,
        f: &mut dyn FnMut(&[u8]) -> Result<()>,
    ) -> Result<bool>;

    /// The findings of `snapshot`, by key.
    fn findings(&self, snapshot: SnapshotId) -> Result<Vec<FindingRecord>>;
    /// What each finding of `snapshot` compares on, by key.
    fn finding_heads(&self, snapshot: SnapshotId) -> Result<Vec<FindingHead>>;
    /// The finding of `snapshot` with this key (none or one).
    fn findings_by_key(&self, snapshot: SnapshotId, key: &str) -> Result<Vec<FindingRecord>>;
    /// The components and findings of the project at `path` in `snapshot`, counted, if the
    /// snapshot has it.
    fn project_counts(&self, snapshot: SnapshotId, path: &str) -> Result<Option<(u64, u64)>>;
    /// See [`Store::finding_details`].
    fn finding_details(&self, snapshot: SnapshotId, keys: &[String])
    -> Result<Vec<Option<String>>>;
    /// The findings of `snapshot` whose id or one of whose aliases is `id` (ASCII letters
    /// compared without case), by key.
    fn findings_by_advisory(&self, snapshot: SnapshotId, id: &str) -> Result<Vec<FindingRecord>>;

    /// The catalog of `snapshot`, in its order.
    fn catalog(&self, snapshot: SnapshotId) -> Result<CatalogData>;
    /// `(project id, entity ref)` of every link of `snapshot` (`project: None`) or of one
    /// project, each with the linked element, by project id then reference.
    fn linked_entities(
        &self,
        snapshot: SnapshotId,
        project: Option<i64>,
    ) -> Result<Vec<(i64, LinkedEntity)>>;

    /// Records a triage decision, with its id when given (import); returns its id.
    fn insert_triage(&mut self, id: Option<i64>, input: &TriageInput) -> Result<i64>;
    /// The triage history, oldest first, of one key or of all.
    fn triage(&self, key: Option<&str>) -> Result<Vec<TriageRecord>>;
    /// See [`Store::triage_mark`].
    fn triage_mark(&self) -> Result<(u64, i64)>;
    /// The id of the project at `path` in `snapshot`, if there is one.
    fn project_id(&self, snapshot: SnapshotId, path: &str) -> Result<Option<i64>>;
    /// See [`Store::project_states`].
    fn project_states(&self, snapshot: SnapshotId) -> Result<Vec<crate::ProjectState>>;
    /// Per project id of `snapshot` with findings: how many, and whether one is known
    /// exploited.
    fn finding_counts(&self, snapshot: SnapshotId) -> Result<Vec<(i64, u64, bool)>>;
}

impl<S: Storage> Store for S {
    fn begin_snapshot(&mut self, meta: &SnapshotMeta) -> Result<Box<dyn SnapshotWriter + '_>> {
        Storage::begin_snapshot(self, meta)
    }

    fn snapshots(&self) -> Result<Vec<SnapshotInfo>> {
        Storage::snapshots(self)
    }

    fn ingest(&mut self, meta: &SnapshotMeta, projects: &[PushedProject]) -> Result<Ingested> {
        crate::ingest::ingest(self, meta, projects)
    }

    fn latest(&self) -> Result<SnapshotId> {
        Storage::latest(self)
    }

    fn retain(&mut self, keep: usize) -> Result<Pruned> {
        Storage::retain(self, keep)
    }

    fn diff(&self, a: SnapshotId, b: SnapshotId) -> Result<SnapshotDiff> {
        self.check_snapshot(a)?;
        self.check_snapshot(b)?;
        crate::diff::diff(self, a, b)
    }

    fn who_uses_each(
        &self,
        snapshot: SnapshotId,
        query: &PackageQuery,
        f: &mut dyn FnMut(&UsageRef<'_>) -> Result<()>,
    ) -> Result<()> {
        self.check_snapshot(snapshot)?;
        crate::query::who_uses_each(self, snapshot, query, f)
    }

    fn who_uses_advisory(&self, snapshot: SnapshotId, id: &str) -> Result<Vec<AdvisoryUse>> {
        self.check_snapshot(snapshot)?;
        crate::query::who_uses_advisory(self, snapshot, id)
    }

    fn project_history(&self, path: &str, limit: usize) -> Result<Vec<crate::ProjectCounts>> {
        let mut out = Vec::new();
        for info in self.snapshots()?.iter().rev() {
            if out.len() >= limit {
                break;
            }
            if let Some((components, findings)) = self.project_counts(info.id, path)? {
                out.push(crate::ProjectCounts {
                    snapshot: info.id,
                    taken_at: info.meta.taken_at.clone(),
                    components,
                    findings,
                });
            }
        }
        Ok(out)
    }

    fn project_view(&self, snapshot: SnapshotId, path: &str) -> Result<Option<crate::ProjectView>> {
        self.check_snapshot(snapshot)?;
        crate::show::project_view(self, snapshot, path)
    }

    fn show(&self, snapshot: SnapshotId, name: &str) -> Result<Vec<Shown>> {
        self.check_snapshot(snapshot)?;
        crate::show::show(self, snapshot, name)
    }

    fn finding_details(
        &self,
        snapshot: SnapshotId,
        keys: &[String],
    ) -> Result<Vec<Option<String>>> {
        Storage::finding_details(self, snapshot, keys)
    }

    fn find_findings(&self, snapshot: SnapshotId, key_or_id: &str) -> Result<Vec<FindingRecord>> {
        self.check_snapshot(snapshot)?;
        crate::triage::find_findings(self, snapshot, key_or_id)
    }

    fn record_triage(&mut self, input: &TriageInput) -> Result<TriageRecord> {
        crate::triage::record(self, input)
    }

    fn triage_history(&self, key: Option<&str>) -> Result<Vec<TriageRecord>> {
        self.triage(key)
    }

    fn triage_mark(&self) -> Result<(u64, i64)> {
        Storage::triage_mark(self)
    }

    fn effective_triage(&self, snapshot: SnapshotId, today: &str) -> Result<Vec<FindingStatus>> {
        self.check_snapshot(snapshot)?;
        crate::triage::effective(self, snapshot, today)
    }

    fn findings(&self, snapshot: SnapshotId) -> Result<Vec<FindingRecord>> {
        self.check_snapshot(snapshot)?;
        Storage::findings(self, snapshot)
    }

    fn catalog(&self, snapshot: SnapshotId) -> Result<CatalogData> {
        self.check_snapshot(snapshot)?;
        Storage::catalog(self, snapshot)
    }

    fn project_links(&self, snapshot: SnapshotId) -> Result<Vec<ProjectLink>> {
        self.check_snapshot(snapshot)?;
        crate::report::project_links(self, snapshot)
    }

    fn project_paths(&self, snapshot: SnapshotId) -> Result<Vec<String>> {
        self.check_snapshot(snapshot)?;
        Ok(self
            .projects(snapshot)?
            .into_iter()
            .map(|p| p.path)
            .collect())
    }

    fn project_summaries(&self, snapshot: SnapshotId) -> Result<Vec<crate::ProjectSummary>> {
        self.check_snapshot(snapshot)?;
        let counts: std::collections::HashMap<i64, (u64, bool)> = self
            .finding_counts(snapshot)?
            .into_iter()
            .map(|(id, n, kev)| (id, (n, kev)))
            .collect();
        Ok(self
            .projects(snapshot)?
            .into_iter()
            .map(|p| {
                let (findings, known_exploited) = counts.get(&p.id).copied().unwrap_or_default();
                crate::ProjectSummary {
                    path: p.path,
                    name: p.name,
                    licence_categories: p
                        .licence_categories
                        .and_then(|j| serde_json::from_str(&j).ok())
                        .unwrap_or_default(),
                    findings,
                    known_exploited,
                }
            })
            .collect())
    }

    fn for_each_component(
        &self,
        snapshot: SnapshotId,
        each: &mut dyn FnMut(&ComponentRow<'_>),
    ) -> Result<()> {
        self.check_snapshot(snapshot)?;
        crate::report::for_each_component(self, snapshot, each)
    }

    fn package_uses(&self, snapshot: SnapshotId) -> Result<PackageUses> {
        self.check_snapshot(snapshot)?;
        crate::report::package_uses(self, snapshot)
    }

    fn project_states(&self, snapshot: SnapshotId) -> Result<Vec<crate::ProjectState>> {
        self.check_snapshot(snapshot)?;
        Storage::project_states(self, snapshot)
    }

    fn for_each_project(
        &self,
        snapshot: SnapshotId,
        each: &mut dyn FnMut(ProjectRecord, Vec<Component>) -> Result<()>,
    ) -> Result<()> {
        self.check_snapshot(snapshot)?;
        let mut packages = Packages::default();
        for p in Storage::projects(self, snapshot)? {
            let (record, list) = self.project(p.id)?;
            let components = list_components(self, &mut packages, list)?;
            each(record, components)?;
        }
        Ok(())
    }

    fn rematch(
        &mut self,
        meta: &SnapshotMeta,
        from: SnapshotId,
        family: vigie_findings::Family,
        fill: &mut dyn FnMut(&mut crate::rematch::AddFindings<'_>) -> Result<()>,
    ) -> Result<crate::Rematched> {
        crate::rematch::rematch(self, meta, from, family, fill)
    }

    fn export(&self, out: &mut dyn Write) -> Result<()> {
        crate::exchange::export(self, out)
    }

    fn import(&mut self, input: &mut dyn Read) -> Result<()> {
        crate::import::import(self, input)
    }

    fn stats(&self) -> Result<StoreStats> {
        Storage::stats(self)
    }

    fn checkpoint(&self) -> Result<()> {
        Storage::checkpoint(self)
    }

    fn integrity_check(&self) -> Result<Vec<String>> {
        Storage::integrity_check(self)
    }

    fn quick_check(&self) -> Result<Vec<String>> {
        Storage::quick_check(self)
    }

    fn refresh(&mut self) -> Result<()> {
        Storage::refresh(self)
    }

    fn claim_job(&mut self, job: &crate::JobClaim<'_>) -> Result<bool> {
        Storage::claim_job(self, job)
    }

    fn finish_job(&mut self, name: &str, holder: &str, next_due: &str) -> Result<bool> {
        Storage::finish_job(self, name, holder, next_due)
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

/// The packages read so far, each from the storage once.
#[derive(Default)]
pub(crate) struct Packages(crate::FastMap<i64, PackageInfo>);

impl Packages {
    /// Reads at once the packages of `ids` not read yet.
    pub(crate) fn load(&mut self, s: &dyn Storage, ids: impl Iterator<Item = i64>) -> Result<()> {
        let mut missing: Vec<i64> = ids.filter(|id| !self.0.contains_key(id)).collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.len() > 1 {
            for k in s.packages_by_id(&missing)? {
                self.0.insert(k.id, k);
            }
        }
        Ok(())
    }

    pub(crate) fn get(&mut self, s: &dyn Storage, id: i64) -> Result<&PackageInfo> {
        match self.0.entry(id) {
            Entry::Occupied(o) => Ok(o.into_mut()),
            Entry::Vacant(v) => Ok(v.insert(s.package(id)?)),
        }
    }
}

/// A list's blob, an empty list when the project has none.
pub(crate) fn list_data(s: &dyn Storage, list: Option<i64>) -> Result<Vec<u8>> {
    match list {
        Some(id) => s.list(id),
        None => Ok(crate::lists::empty()),
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
    s: &dyn Storage,
    packages: &mut Packages,
    list: Option<i64>,
) -> Result<Vec<Component>> {
    let data = list_data(s, list)?;
    let entries = crate::lists::decode(&data)?;
    packages.load(s, entries.iter().map(|e| e.package))?;
    let mut out = Vec::with_capacity(entries.len());
    for e in &entries {
        let k = packages.get(s, e.package)?;
        out.push(component_of(e, k));
    }
    Ok(out)
}

/// A project's whole data in a snapshot.
pub(crate) fn project_data(
    s: &dyn Storage,
    packages: &mut Packages,
    project_id: i64,
) -> Result<ProjectData> {
    let (project, list) = s.project(project_id)?;
    Ok(ProjectData {
        project,
        components: list_components(s, packages, list)?,
        findings: s.project_findings(project_id)?,
    })
}
