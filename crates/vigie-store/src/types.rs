//! The plain values that go into a snapshot and come out of the store's queries.

use serde::{Deserialize, Serialize};
use vigie_model::Component;

/// A snapshot's number: increasing, never reused within one database.
pub type SnapshotId = i64;

/// What a snapshot is: when, by which vigie, of which roots.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotMeta {
    /// RFC 3339 timestamp (the caller's clock; the store reads none).
    pub taken_at: String,
    /// The version of vigie that took it.
    pub tool_version: String,
    /// The scanned folders, as given.
    pub roots: Vec<String>,
    /// A free label given by the user.
    pub label: Option<String>,
}

/// A stored snapshot and its sizes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    /// The snapshot's id.
    pub id: SnapshotId,
    #[serde(flatten)]
    /// What it is.
    pub meta: SnapshotMeta,
    /// Number of projects.
    pub projects: u64,
    /// Number of components, over its projects.
    pub components: u64,
    /// Number of findings.
    pub findings: u64,
    /// Number of catalog elements.
    pub entities: u64,
}

/// One project of a snapshot (its components and findings are passed beside it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRecord {
    /// Folder relative to the scan root; unique within a snapshot.
    pub path: String,
    /// Its name (the manifest's, else the folder's).
    pub name: String,
    /// The files the project was read from.
    pub files: Vec<String>,
    /// Components per licence category id (`permissive`, `weak-copyleft`...), over all of
    /// the project's components, when the licence check ran.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub licence_categories: std::collections::BTreeMap<String, u64>,
    /// How many components each of `files` gave, in the same order (components are kept in
    /// input order, so this places each in its file when they are checked again without
    /// reading the files); empty when unknown (snapshots of an older vigie).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub file_components: Vec<u64>,
    /// What the project was read from, as the scan saw it (its files' sizes, times and
    /// identities, the knowledge, the day and the settings, hashed): a later scan that sees
    /// the same does not read the project again but carries it. `None`: always read again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fingerprint: Option<String>,
    /// Components (distinct) not checked for vulnerabilities, per ecosystem the index holds
    /// no advisory for, when the scan stored the project (what a scan that carries it counts).
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub uncovered: std::collections::BTreeMap<String, u64>,
}

/// What a scan needs of a stored project to tell whether it changed (see
/// [`Store::project_states`](crate::Store::project_states)).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProjectState {
    /// The project's path.
    pub path: String,
    /// Its fingerprint.
    pub fingerprint: String,
    /// Its components not checked, per ecosystem.
    pub uncovered: std::collections::BTreeMap<String, u64>,
}

/// One finding of an audit, as the store keeps it: the typed [`vigie_findings::Finding`]
/// (its detail stored as the JSON layout documented there).
pub use vigie_findings::Finding as FindingRecord;

/// One catalog element (system, component, resource, group, ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// `kind:namespace/name`, unique within a snapshot.
    pub entity_ref: String,
    /// `system`, `component`, `resource`, ...
    pub kind: String,
    /// Its name.
    pub name: String,
    /// A display title.
    pub title: Option<String>,
    /// Entity references of the owners.
    pub owners: Vec<String>,
    /// The system it belongs to (an entity reference).
    pub system: Option<String>,
    /// The criticality level the catalog gives it (`vigie.criticality`).
    pub criticality: Option<u8>,
    /// Whether it is reachable from the internet (`None` when not said).
    pub internet_exposed: Option<bool>,
    /// Whether it handles personal data.
    pub personal_data: bool,
    /// The repositories that hold its code (URLs or paths): they link projects to it.
    pub repositories: Vec<String>,
    /// The whole element as the catalog gave it.
    pub json: serde_json::Value,
}

/// A relation between two catalog elements (`dependsOn`, `consumesApi`, `partOf`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RelationRecord {
    /// The source element's reference.
    pub source: String,
    /// The relation's name as the catalog spells it.
    pub relation: String,
    /// The target element's reference.
    pub target: String,
}

/// What retention removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pruned {
    /// Snapshots deleted.
    pub snapshots: u64,
    /// Packages deleted.
    pub packages: u64,
}

/// Sizes of the whole store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    /// The schema version of the store.
    pub schema_version: i64,
    /// Snapshots stored.
    pub snapshots: u64,
    /// Distinct packages stored.
    pub packages: u64,
    /// Components of every stored project, across snapshots (a list shared by several
    /// project rows counts for each).
    pub components: u64,
    /// Distinct component lists actually stored.
    pub component_lists: u64,
    /// Findings of every stored project, across snapshots (a finding set shared by several
    /// project rows counts for each).
    pub findings: u64,
    /// Distinct findings actually stored (a project's findings are stored once per distinct
    /// content, shared by the snapshots where they are the same).
    #[serde(default)]
    pub findings_stored: u64,
    /// Triage decisions recorded.
    pub triage_records: u64,
    /// Size of the database file (and its write-ahead log) in bytes.
    pub bytes: u64,
}

/// A project with everything stored about it in one snapshot (export and `show`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectData {
    #[serde(flatten)]
    /// The project.
    pub project: ProjectRecord,
    /// Its components, in input order.
    pub components: Vec<Component>,
    /// Its findings.
    pub findings: Vec<FindingRecord>,
}
