//! Shared test support: the backends the suite runs on, and small builders of snapshot inputs.

#![allow(dead_code)]

use std::ops::{Deref, DerefMut};
use std::path::Path;

use vigie_model::{Component, Ecosystem};
use vigie_store::{
    EntityRecord, FindingRecord, Location, Mode, ProjectRecord, SnapshotMeta, Store,
};

/// A store backend the behavioural suite runs on: where its stores live.
pub struct Backend {
    /// Its name, as the test modules are named (`sqlite_file`).
    pub name: &'static str,
    /// The location of a fresh store for the temporary folder `dir`.
    pub location: fn(dir: &Path) -> Location,
    /// Whether a store outlives its handle (reopened at the same location, it is the same
    /// store): tests that reopen a store run only on such backends.
    pub persistent: bool,
}

/// SQLite in a file.
pub const SQLITE_FILE: Backend = Backend {
    name: "sqlite_file",
    location: |dir| Location::path(dir.join("vigie.db")),
    persistent: true,
};

/// SQLite in memory.
pub const SQLITE_MEMORY: Backend = Backend {
    name: "sqlite_memory",
    location: |_| Location::Memory,
    persistent: false,
};

/// PostgreSQL: each store in its own schema of the test server's database
/// (`$VIGIE_TEST_POSTGRES`, else the project machine's `postgres://postgres@127.0.0.1:5432/test`),
/// named after the store's temporary folder (so a child process given the folder finds the
/// same store) and dropped with it ([`Scratch`]).
pub const POSTGRES: Backend = Backend {
    name: "postgres",
    location: postgres_location,
    persistent: true,
};

/// Every backend, for a child process to find its own by name.
pub const BACKENDS: &[&Backend] = &[&SQLITE_FILE, &SQLITE_MEMORY, &POSTGRES];

/// The test server's URL.
pub fn postgres_url() -> String {
    std::env::var("VIGIE_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned())
}

/// The schema of the store of the temporary folder `dir`: its name's bytes in hex.
pub fn schema_of(dir: &Path) -> String {
    let base = dir.file_name().unwrap_or_default().as_encoded_bytes();
    let hex: String = base.iter().map(|b| format!("{b:02x}")).collect();
    format!("vigie_t_{hex}")
}

/// A connection to the test server, with what to do when there is none.
fn postgres_admin() -> postgres::Client {
    let url = postgres_url();
    postgres::Client::connect(&url, postgres::NoTls).unwrap_or_else(|e| {
        panic!(
            "the PostgreSQL test server at {url} is not reachable ({e}): start it (`.ci/run` \
             does) or set VIGIE_TEST_POSTGRES"
        )
    })
}

/// The location of the store of `dir` on the test server, its schema created if missing.
fn postgres_location(dir: &Path) -> Location {
    let schema = schema_of(dir);
    postgres_admin()
        .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
        .unwrap();
    let url = postgres_url();
    let sep = if url.contains('?') { '&' } else { '?' };
    Location::Postgres(format!("{url}{sep}options=-csearch_path%3D{schema}"))
}

/// A temporary place for a store: its folder, and on PostgreSQL its schema, both removed
/// when dropped.
pub struct Scratch {
    pub location: Location,
    pub dir: tempfile::TempDir,
}

impl Backend {
    /// A place for a fresh store of this backend (nothing opened yet).
    pub fn scratch(&self) -> Scratch {
        let dir = tempfile::tempdir().unwrap();
        let location = (self.location)(dir.path());
        Scratch { location, dir }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Location::Postgres(_) = self.location {
            let schema = schema_of(self.dir.path());
            // Stores still open on it would block the drop: every handle is dropped first
            // (fields and locals declared after the scratch).
            let _ =
                postgres_admin().batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"));
        }
    }
}

/// A backend by name.
pub fn backend(name: &str) -> &'static Backend {
    BACKENDS
        .iter()
        .find(|b| b.name == name)
        .expect("a known backend")
}

/// A fresh store of a backend, with its place (removed when dropped, after the store).
pub struct TestStore {
    pub store: Box<dyn Store>,
    pub location: Location,
    pub scratch: Scratch,
}

impl Backend {
    /// A fresh, empty store, open to read and write.
    pub fn fresh(&self) -> TestStore {
        let scratch = self.scratch();
        let location = scratch.location.clone();
        let store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
        TestStore {
            store,
            location,
            scratch,
        }
    }
}

impl TestStore {
    /// The same store opened again (persistent backends only).
    pub fn reopen(&self, mode: Mode) -> vigie_store::Result<Box<dyn Store>> {
        vigie_store::open(&self.location, mode)
    }
}

impl Deref for TestStore {
    type Target = dyn Store;
    fn deref(&self) -> &(dyn Store + 'static) {
        &*self.store
    }
}

impl DerefMut for TestStore {
    fn deref_mut(&mut self) -> &mut (dyn Store + 'static) {
        &mut *self.store
    }
}

pub fn meta(taken_at: &str) -> SnapshotMeta {
    SnapshotMeta {
        taken_at: taken_at.to_owned(),
        tool_version: "0.1.0".to_owned(),
        roots: vec!["/srv/estate".to_owned()],
        label: None,
    }
}

pub fn project(path: &str, file: &str) -> ProjectRecord {
    ProjectRecord {
        path: path.to_owned(),
        name: path.rsplit('/').next().unwrap_or(path).to_owned(),
        files: vec![format!("{path}/{file}")],
        licence_categories: Default::default(),
        file_components: Vec::new(),
        fingerprint: None,
        uncovered: Default::default(),
    }
}

pub fn npm(name: &str, version: &str) -> Component {
    Component::new(Ecosystem::Npm, name, Some(version))
}

/// A vulnerability finding keyed as the audit keys it: family/id/project/purl.
pub fn vuln(
    id: &str,
    project: &str,
    c: &Component,
    rating: &str,
    fixed: Option<&str>,
) -> FindingRecord {
    FindingRecord {
        key: format!("vulnerability/{id}/{project}/{}", c.purl),
        family: vigie_findings::Family::Vulnerability,
        id: id.to_owned(),
        aliases: vec![format!("CVE-{}", id.len())],
        rating: vigie_findings::Rating::parse(rating).expect("a rating word"),
        project_path: project.to_owned(),
        purl: Some(c.purl.clone()),
        title: format!("{id} in {}", c.name),
        fixed: fixed.map(str::to_owned),
        known_exploited: false,
        // Not a whole vulnerability detail: stored and read back as it is.
        detail: vigie_findings::Detail::Unparsed(
            serde_json::json!({"id": id, "score": 7.5, "nested": {"b": [1, 2.5, null], "a": "x"}}),
        ),
    }
}

pub fn entity(
    entity_ref: &str,
    kind: &str,
    owners: &[&str],
    system: Option<&str>,
    repos: &[&str],
) -> EntityRecord {
    let name = entity_ref
        .rsplit('/')
        .next()
        .unwrap_or(entity_ref)
        .to_owned();
    EntityRecord {
        entity_ref: entity_ref.to_owned(),
        kind: kind.to_owned(),
        name,
        title: None,
        owners: owners.iter().map(|s| (*s).to_owned()).collect(),
        system: system.map(str::to_owned),
        criticality: Some(3),
        internet_exposed: Some(true),
        personal_data: false,
        repositories: repos.iter().map(|s| (*s).to_owned()).collect(),
        json: serde_json::json!({"kind": kind, "metadata": {"name": entity_ref}}),
    }
}
