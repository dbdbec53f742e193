//! vigie's memory: snapshots of an estate (inventory, findings, catalog), their differences,
//! triage decisions that outlive snapshots, and the estate-wide questions ("who uses log4j?").
//!
//! Everything a front (the command line, a web server) needs is the [`Store`] trait, opened
//! with [`open`] at a [`Location`] in a [`Mode`]; no engine is named in this API. Today the
//! one backend is an embedded SQLite file (`sqlite/`, private); no SQL leaves this crate, so
//! another engine (PostgreSQL) is one more backend behind [`open`].
//!
//! Users, sessions, API tokens and the append-only audit log of a server are the [`Access`]
//! trait, which every [`Store`] is.
//!
//! A snapshot is written through a streaming [`SnapshotWriter`], project by project, inside
//! one transaction: it is stored whole on [`SnapshotWriter::commit`] or not at all.
//!
//! ```no_run
//! use vigie_store::{Location, Mode, PackageQuery};
//!
//! let store = vigie_store::open(&Location::path("vigie.db"), Mode::ReadOnly)?;
//! let snapshot = store.latest()?;
//! for usage in store.who_uses(snapshot, &PackageQuery::parse("log4j-core@<2.17.1")?)? {
//!     println!("{} uses {}", usage.project_path, usage.purl);
//! }
//! # Ok::<(), vigie_store::Error>(())
//! ```

#![deny(missing_docs)]

mod access;
mod diff;
mod directory;
mod error;
mod exchange;
mod finding_sets;
mod import;
mod ingest;
mod links;
mod lists;
mod location;
mod postgres;
mod query;
mod rematch;
mod report;
mod show;
mod sqlite;
mod storage;
mod triage;
mod types;

/// The maps of the writer's hot loop (millions of lookups by purl and package id) hash with
/// `foldhash`, seeded per map: SipHash cost more than the rest of the lookup. Keys come from
/// scanned files, so the seed matters (no colliding keys computed ahead of time).
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;

use std::io::{Read, Write};

pub use access::{
    Access, AuditEntry, AuditRecord, ExternalIdentity, NewToken, NewUser, Role, SessionRecord,
    TokenRecord, TokenScope, UserChange, UserRecord,
};
pub use diff::{ComponentChange, FindingChange, PackageRef, ProjectDiff, SnapshotDiff};
pub use error::{BackendError, Error, Result};
pub use exchange::EXPORT_FORMAT_VERSION;
pub use ingest::{Ingested, MAX_KEY_LEN, PushedProject};
pub use location::{Location, Mode, open};
pub use query::{AdvisoryUse, LinkedEntity, PackageQuery, Usage, UsageRef, VersionMatch};
pub use rematch::{AddFindings, Rematched};
pub use report::{
    CatalogData, ComponentRow, PackageUse, PackageUses, ProjectCounts, ProjectLink, ProjectSummary,
};
pub use show::{EntityView, MAX_GRAPH_NODES, ProjectView, Shown};
pub use triage::{
    EffectiveState, FindingStatus, Justification, TriageInput, TriageRecord, TriageState,
};
pub use types::{
    EntityRecord, FindingRecord, ProjectData, ProjectRecord, ProjectState, Pruned, RelationRecord,
    SnapshotId, SnapshotInfo, SnapshotMeta, StoreStats,
};

use vigie_model::Component;

/// Writes one snapshot, a project at a time. Dropping it without [`commit`](Self::commit)
/// discards everything it wrote.
pub trait SnapshotWriter {
    /// Adds a project with its components and its findings (each finding's `project_path`
    /// must be the project's path). A project path may be given once per snapshot.
    fn add_project(
        &mut self,
        project: &ProjectRecord,
        components: &[Component],
        findings: &[FindingRecord],
    ) -> Result<()>;

    /// Adds catalog elements and relations (may be called several times).
    fn add_entities(
        &mut self,
        entities: &[EntityRecord],
        relations: &[RelationRecord],
    ) -> Result<()>;

    /// Carries forward, from the latest snapshot before this one, the projects pushed by CI
    /// (those stored with a key, see [`Store::ingest`]) whose path this snapshot does not
    /// hold, with their findings and keys: a scan of the folders a server watches does not
    /// drop what CI pushed. Called after the last project, before [`commit`](Self::commit);
    /// returns the projects carried.
    fn carry_pushed(&mut self) -> Result<u64>;

    /// Copies from snapshot `from` the projects at `paths` (a scan's projects whose
    /// fingerprint it saw again), as they are, without reading them: their components,
    /// findings and fingerprint are shared, not written again. Returns the projects copied.
    fn carry_unchanged(&mut self, from: SnapshotId, paths: &[String]) -> Result<u64>;

    /// Makes the snapshot visible, whole, and returns its id.
    fn commit(self: Box<Self>) -> Result<SnapshotId>;
}

/// A claim of a scheduled job (see [`Store::claim_job`]); times are RFC 3339 UTC texts of
/// one length.
#[derive(Clone, Copy, Debug)]
pub struct JobClaim<'a> {
    /// The job (`sync`, `scan`).
    pub name: &'a str,
    /// Who claims it (a server's own name).
    pub holder: &'a str,
    /// The time of the claim.
    pub now: &'a str,
    /// Until when the holder keeps it if it never finishes (it died).
    pub lease_until: &'a str,
    /// When a job never seen is first due.
    pub first_due: &'a str,
}

/// Everything vigie asks of its storage, whatever the engine behind it.
pub trait Store: Access + Send {
    /// Starts a snapshot.
    fn begin_snapshot(&mut self, meta: &SnapshotMeta) -> Result<Box<dyn SnapshotWriter + '_>>;

    /// The snapshots, oldest first.
    fn snapshots(&self) -> Result<Vec<SnapshotInfo>>;

    /// Stores projects pushed by CI as a new snapshot of the whole estate: they replace the
    /// projects of the same path of the latest snapshot, whose other projects, findings and
    /// catalog are carried forward. Idempotent on each project's key: when every pushed
    /// project stands in the latest snapshot with the same key, nothing is stored and the
    /// snapshot that first stored them is answered (`created: false`). One transaction.
    fn ingest(&mut self, meta: &SnapshotMeta, projects: &[PushedProject]) -> Result<Ingested>;

    /// The latest snapshot's id, or [`Error::Empty`].
    fn latest(&self) -> Result<SnapshotId> {
        self.snapshots()?.last().map(|s| s.id).ok_or(Error::Empty)
    }

    /// The latest snapshot's id, `None` when the store holds none (other errors stay errors).
    fn latest_if_any(&self) -> Result<Option<SnapshotId>> {
        match self.latest() {
            Ok(id) => Ok(Some(id)),
            Err(Error::Empty) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Keeps the last `keep` snapshots, deletes the older ones with their rows and the
    /// packages no snapshot uses any more. Triage is never deleted.
    fn retain(&mut self, keep: usize) -> Result<Pruned>;

    /// What changed from snapshot `a` to snapshot `b`.
    fn diff(&self, a: SnapshotId, b: SnapshotId) -> Result<SnapshotDiff>;

    /// The projects of `snapshot` that contain a package matching `query`, by project path
    /// and purl.
    fn who_uses(&self, snapshot: SnapshotId, query: &PackageQuery) -> Result<Vec<Usage>> {
        let mut out = Vec::new();
        self.who_uses_each(snapshot, query, &mut |u| {
            out.push(u.to_usage());
            Ok(())
        })?;
        Ok(out)
    }

    /// [`who_uses`](Self::who_uses), each usage given to `f` in the same order as it is read,
    /// without building the list (a package in thousands of projects answers in a few
    /// milliseconds); an error of `f` stops the walk and is returned.
    fn who_uses_each(
        &self,
        snapshot: SnapshotId,
        query: &PackageQuery,
        f: &mut dyn FnMut(&UsageRef<'_>) -> Result<()>,
    ) -> Result<()>;

    /// The findings of `snapshot` whose id or one of whose aliases is `id` (case-insensitive).
    fn who_uses_advisory(&self, snapshot: SnapshotId, id: &str) -> Result<Vec<AdvisoryUse>>;

    /// The projects (by path or name) and catalog elements (by reference or name) called `name`.
    fn show(&self, snapshot: SnapshotId, name: &str) -> Result<Vec<Shown>>;

    /// The project at exactly `path` in `snapshot` (what [`show`](Self::show) gives of it),
    /// found by its path alone, without reading the other projects.
    fn project_view(&self, snapshot: SnapshotId, path: &str) -> Result<Option<ProjectView>>;

    /// The project at `path` in each snapshot that has it, newest first, at most `limit`, with
    /// its components and findings counted (a project's history, without reading it whole).
    fn project_history(&self, path: &str, limit: usize) -> Result<Vec<ProjectCounts>>;

    /// The findings of `snapshot` with this key, or else with this id or alias.
    fn find_findings(&self, snapshot: SnapshotId, key_or_id: &str) -> Result<Vec<FindingRecord>>;

    /// The details of the findings of `snapshot` with these keys, in their order, each as the
    /// JSON text the store keeps (`None` for a key it does not hold): what a page of
    /// findings shows without reading and parsing the findings whole.
    fn finding_details(&self, snapshot: SnapshotId, keys: &[String])
    -> Result<Vec<Option<String>>>;

    /// Records a triage decision (history is kept; the latest decision of a key is current).
    fn record_triage(&mut self, input: &TriageInput) -> Result<TriageRecord>;

    /// The triage history, oldest first, of one finding key or of all.
    fn triage_history(&self, key: Option<&str>) -> Result<Vec<TriageRecord>>;

    /// How many triage decisions the store holds and the last one's id: it moves with every
    /// decision, whichever process records it (the history is append-only), so what is
    /// derived from the decisions can be kept until it moves.
    fn triage_mark(&self) -> Result<(u64, i64)>;

    /// Each finding of `snapshot` with its current triage as of `today` (`YYYY-MM-DD`): the
    /// latest decision recorded under its key or under the key's former spelling
    /// ([`vigie_findings::former_key`]), which keeps the key it was recorded under.
    fn effective_triage(&self, snapshot: SnapshotId, today: &str) -> Result<Vec<FindingStatus>>;

    /// Every finding of `snapshot`, ordered by key.
    fn findings(&self, snapshot: SnapshotId) -> Result<Vec<FindingRecord>>;

    /// The catalog elements and relations of `snapshot`, in the catalog's order.
    fn catalog(&self, snapshot: SnapshotId) -> Result<CatalogData>;

    /// Which catalog element holds each project's code (computed when the snapshot was
    /// written), ordered by project path.
    fn project_links(&self, snapshot: SnapshotId) -> Result<Vec<ProjectLink>>;

    /// The paths of the projects of `snapshot`, sorted.
    fn project_paths(&self, snapshot: SnapshotId) -> Result<Vec<String>>;

    /// The projects of `snapshot`, sorted by path, with their name and licence categories
    /// (what a list of projects filters on, without their components).
    fn project_summaries(&self, snapshot: SnapshotId) -> Result<Vec<ProjectSummary>>;

    /// Streams every component of `snapshot` to `each` (project path order, then input
    /// order), in bounded memory.
    fn for_each_component(
        &self,
        snapshot: SnapshotId,
        each: &mut dyn FnMut(&ComponentRow<'_>),
    ) -> Result<()>;

    /// The components of `snapshot` aggregated by package: the projects using each, counts
    /// and licence texts (what version sprawl and the licence posture need).
    fn package_uses(&self, snapshot: SnapshotId) -> Result<PackageUses>;

    /// The projects of `snapshot` stored with a fingerprint, by path: what a scan compares
    /// with what it sees to carry the unchanged ones.
    fn project_states(&self, snapshot: SnapshotId) -> Result<Vec<ProjectState>>;

    /// Streams every project of `snapshot` (path order) with its components in input order,
    /// not its findings, one project in memory at a time (what is checked again without
    /// reading the files).
    fn for_each_project(
        &self,
        snapshot: SnapshotId,
        each: &mut dyn FnMut(ProjectRecord, Vec<Component>) -> Result<()>,
    ) -> Result<()>;

    /// Stores a new snapshot that is `from`, which must be the latest, checked again for
    /// the findings of `family`: every project, its components and key, the catalog and
    /// the findings of the other families are carried forward, and `fill` gives, through
    /// the function it is handed, the new findings of `family` of each project (by path).
    /// One transaction: an error of `fill` stores nothing. When another snapshot was
    /// stored after `from`, nothing is stored and [`Error::Superseded`] says so.
    fn rematch(
        &mut self,
        meta: &SnapshotMeta,
        from: SnapshotId,
        family: vigie_findings::Family,
        fill: &mut dyn FnMut(&mut AddFindings<'_>) -> Result<()>,
    ) -> Result<Rematched>;

    /// Writes the whole store as one JSON document (format [`EXPORT_FORMAT_VERSION`]).
    fn export(&self, out: &mut dyn Write) -> Result<()>;

    /// Reads a document written by [`export`](Self::export) into this store, which must be
    /// empty; ids are kept, so export → import → export gives the same document.
    fn import(&mut self, input: &mut dyn Read) -> Result<()>;

    /// Counts and size.
    fn stats(&self) -> Result<StoreStats>;

    /// Settles what the engine keeps aside after a big write (SQLite copies its write-ahead
    /// log into the file and truncates it, so that the file size is the store's size). A
    /// no-op for engines that need nothing.
    fn checkpoint(&self) -> Result<()> {
        Ok(())
    }

    /// The engine's own check of its storage: `["ok"]` when sound, else its complaints.
    fn integrity_check(&self) -> Result<Vec<String>>;

    /// The engine's quicker check of its storage, as [`Store::integrity_check`] answers, in
    /// time linear in the store's size (SQLite's `quick_check`: every page and record read,
    /// indexes not compared with their tables). `vigie scan` runs it before writing, so that a
    /// damaged store is refused rather than written into.
    fn quick_check(&self) -> Result<Vec<String>>;

    /// Brings a read-only store's view up to date: it ends its read transaction and starts
    /// another, so it sees what was committed since (a server's pooled readers call it when
    /// a request takes one). A no-op for a store opened to write, which always sees its own
    /// and others' commits.
    fn refresh(&mut self) -> Result<()> {
        Ok(())
    }

    /// Takes the scheduled job `name` (a sync, a re-audit, a scan) for `holder` when it is
    /// due at `now` and no one holds it, or its holder's lease ended (a server killed in the
    /// middle of the job): true when taken, held until `lease_until` or [`finish_job`]. A
    /// job never seen is first due at `first_due`. Several servers on one store run each job once: one
    /// of them takes it. Times are RFC 3339 UTC texts of one length (compared as text).
    ///
    /// [`finish_job`]: Self::finish_job
    fn claim_job(&mut self, job: &JobClaim<'_>) -> Result<bool>;

    /// Ends `holder`'s run of job `name`, next due at `next_due`; false when `holder` no
    /// longer held it (its lease ended and another took it).
    fn finish_job(&mut self, name: &str, holder: &str, next_due: &str) -> Result<bool>;
}
