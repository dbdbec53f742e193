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
    pub tool_version: String,
    /// The scanned folders, as given.
    pub roots: Vec<String>,
    pub label: Option<String>,
}

/// A stored snapshot and its sizes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnapshotInfo {
    pub id: SnapshotId,
    #[serde(flatten)]
    pub meta: SnapshotMeta,
    pub projects: u64,
    pub components: u64,
    pub findings: u64,
    pub entities: u64,
}

/// One project of a snapshot (its components and findings are passed beside it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectRecord {
    /// Folder relative to the scan root; unique within a snapshot.
    pub path: String,
    pub name: String,
    /// The files the project was read from.
    pub files: Vec<String>,
    /// Components per licence category id (`permissive`, `weak-copyleft`...), over all of
    /// the project's components, when the licence check ran.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub licence_categories: std::collections::BTreeMap<String, u64>,
}

/// One finding of an audit, as the store keeps it: the typed [`vigie_findings::Finding`]
/// (its detail stored as the JSON layout documented there).
pub use vigie_findings::Finding as FindingRecord;

/// One catalog element (system, component, resource, group, ...).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// `kind:namespace/name`, unique within a snapshot.
    pub entity_ref: String,
    pub kind: String,
    pub name: String,
    pub title: Option<String>,
    /// Entity references of the owners.
    pub owners: Vec<String>,
    /// The system it belongs to (an entity reference).
    pub system: Option<String>,
    pub criticality: Option<u8>,
    pub internet_exposed: Option<bool>,
    pub personal_data: bool,
    /// The repositories that hold its code (URLs or paths): they link projects to it.
    pub repositories: Vec<String>,
    /// The whole element as the catalog gave it.
    pub json: serde_json::Value,
}

/// A relation between two catalog elements (`dependsOn`, `consumesApi`, `partOf`, ...).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct RelationRecord {
    pub source: String,
    pub relation: String,
    pub target: String,
}

/// What retention removed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pruned {
    pub snapshots: u64,
    pub packages: u64,
}

/// Sizes of the whole store.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoreStats {
    pub schema_version: i64,
    pub snapshots: u64,
    pub packages: u64,
    /// Components of every stored project, across snapshots (a list shared by several
    /// project rows counts for each).
    pub components: u64,
    /// Distinct component lists actually stored.
    pub component_lists: u64,
    pub findings: u64,
    pub triage_records: u64,
    /// Size of the database file (and its write-ahead log) in bytes.
    pub bytes: u64,
}

/// A project with everything stored about it in one snapshot (export and `show`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectData {
    #[serde(flatten)]
    pub project: ProjectRecord,
    pub components: Vec<Component>,
    pub findings: Vec<FindingRecord>,
}
