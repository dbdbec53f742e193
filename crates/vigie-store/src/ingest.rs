//! Projects pushed by CI, stored as a new snapshot of the whole estate: the pushed projects
//! replace the projects of the same path in the latest snapshot, and every other project
//! (with its findings), the catalog and the links are carried forward unchanged, so "the
//! latest snapshot" stays the whole estate for who-uses, the report and the diff.
//!
//! Each pushed project carries a key (its commit, else the hash of its content). A push
//! whose projects all stand in the latest snapshot with the same keys stores nothing and
//! answers the snapshot that first stored them: pushing twice is pushing once.
//!
//! Written once here over the storage primitives ([`IngestWriter`], `project_keys`): the
//! latest snapshot's keys are read (a push already there is answered without a write), then
//! the new snapshot begun with the store's write lock held; the backend says which snapshot
//! is the latest inside that transaction, and the push is built on it (checked again for
//! keys already there when another writer committed in between), so nothing is ever lost
//! and no writer starves behind others.

use std::collections::{HashMap, HashSet};

use vigie_model::Component;

use crate::storage::Storage;
use crate::{
    Error, FindingRecord, ProjectRecord, Result, SnapshotId, SnapshotMeta, SnapshotWriter,
};

/// Longest key of a pushed project.
pub const MAX_KEY_LEN: usize = 200;

/// One project pushed to the store.
#[derive(Clone, Debug, PartialEq)]
pub struct PushedProject {
    /// The project (its path is its identity in the estate).
    pub record: ProjectRecord,
    /// Its components, in input order.
    pub components: Vec<Component>,
    /// Its findings (each with the project's path).
    pub findings: Vec<FindingRecord>,
    /// What the push is idempotent on: the commit, else a hash of the content.
    pub key: String,
}

/// What an ingest did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ingested {
    /// The snapshot holding the pushed projects: the new one, or the one that first stored
    /// the same keys.
    pub snapshot: SnapshotId,
    /// True when a snapshot was stored, false when the push was already there.
    pub created: bool,
    /// Projects carried forward from the previous latest snapshot.
    pub carried: u64,
}

/// The snapshot writer of an ingest: a [`SnapshotWriter`] that can also carry projects
/// forward and record keys. Dropped without commit, it stores nothing.
pub(crate) trait IngestWriter: SnapshotWriter {
    /// This snapshot's id.
    fn id(&self) -> SnapshotId;
    /// The latest snapshot before this one, as seen inside this snapshot's transaction
    /// once no other writer can commit (`None`: the store held none).
    fn previous(&self) -> Option<SnapshotId>;
    /// `(path, key, since)` of the projects of `snapshot` that have an ingest key, read in
    /// this snapshot's transaction.
    fn keys(&self, snapshot: SnapshotId) -> Result<Vec<(String, String, SnapshotId)>>;
    /// Copies into this snapshot every project of `from` whose path is not in `except`,
    /// with its findings and key, and the catalog of `from`; returns the projects copied.
    /// Called once, before any project is added.
    fn carry_forward(&mut self, from: SnapshotId, except: &[&str]) -> Result<u64>;
    /// Replaces the findings of family `family` of project `path`, already in this
    /// snapshot (carried forward), by `findings`.
    fn replace_findings(
        &mut self,
        path: &str,
        family: vigie_findings::Family,
        findings: &[FindingRecord],
    ) -> Result<()>;
    /// Records the key of project `path` (added to this snapshot), first stored in `since`.
    fn set_key(&mut self, path: &str, key: &str, since: SnapshotId) -> Result<()>;
}

/// See [`Store::ingest`](crate::Store::ingest).
pub(crate) fn ingest(
    s: &mut dyn Storage,
    meta: &SnapshotMeta,
    projects: &[PushedProject],
) -> Result<Ingested> {
    validate(projects)?;
    let paths: Vec<&str> = projects.iter().map(|p| p.record.path.as_str()).collect();
    let latest = match s.latest() {
        Ok(id) => Some(id),
        Err(Error::Empty) => None,
        Err(e) => return Err(e),
    };
    // A push already stored is answered without taking the write lock.
    if let Some(latest) = latest
        && let Some(since) = already_there(s.project_keys(latest)?, projects)
    {
        return Ok(Ingested {
            snapshot: since,
            created: false,
            carried: 0,
        });
    }
    let mut writer = s.begin_ingest(meta)?;
    // The write lock is held: `previous` stays the latest until the commit. When another
    // writer committed since the read above, its snapshot is the one built on (and the
    // push may be there now).
    let previous = writer.previous();
    if previous != latest
        && let Some(previous) = previous
        && let Some(since) = already_there(writer.keys(previous)?, projects)
    {
        return Ok(Ingested {
            snapshot: since,
            created: false,
            carried: 0,
        });
    }
    let id = writer.id();
    let carried = match previous {
        Some(from) => writer.carry_forward(from, &paths)?,
        None => 0,
    };
    for p in projects {
        writer.add_project(&p.record, &p.components, &p.findings)?;
        writer.set_key(&p.record.path, &p.key, id)?;
    }
    let snapshot = writer.commit()?;
    Ok(Ingested {
        snapshot,
        created: true,
        carried,
    })
}

/// The snapshot that first stored every pushed project with its key, when all stand so in
/// `latest`.
fn already_there(
    keys: Vec<(String, String, SnapshotId)>,
    projects: &[PushedProject],
) -> Option<SnapshotId> {
    let keys: HashMap<String, (String, SnapshotId)> = keys
        .into_iter()
        .map(|(path, key, since)| (path, (key, since)))
        .collect();
    let mut first = None;
    for p in projects {
        match keys.get(&p.record.path) {
            Some((key, since)) if *key == p.key => {
                first = Some(first.map_or(*since, |f: SnapshotId| f.max(*since)));
            }
            _ => return None,
        }
    }
    first
}

fn validate(projects: &[PushedProject]) -> Result<()> {
    if projects.is_empty() {
        return Err(Error::Invalid("a push needs at least one project".into()));
    }
    let mut seen = HashSet::new();
    for p in projects {
        if !seen.insert(p.record.path.as_str()) {
            return Err(Error::Invalid(format!(
                "project {:?} pushed twice",
                p.record.path
            )));
        }
        if p.key.is_empty() || p.key.len() > MAX_KEY_LEN {
            return Err(Error::Invalid(format!(
                "project {:?}: a key of 1 to {MAX_KEY_LEN} bytes is needed",
                p.record.path
            )));
        }
    }
    Ok(())
}
