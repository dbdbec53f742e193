//! The lists of a snapshot that the API pages through (projects with their owners, systems
//! and ecosystems; distinct packages with the count of projects using them), built once per
//! snapshot and kept.
//!
//! A snapshot never changes once committed, so what is derived from it alone is kept as long
//! as it is asked for: on the 10,000-repository estate the project list is then a binary
//! search for the cursor and one pass for the filters and the total (milliseconds), where
//! building it reads every component list once (about a second, once). One build runs at a
//! time; the lists of the last two snapshots asked are kept.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use vigie_store::SnapshotId;

use super::ApiError;
use crate::state::AppState;

/// How many snapshots' lists are kept.
const KEPT: usize = 2;

/// A project as the list shows it.
pub(crate) struct ProjectEntry {
    pub(crate) path: String,
    pub(crate) name: String,
    pub(crate) components: u64,
    pub(crate) ecosystems: Vec<String>,
    pub(crate) findings: u64,
    /// Owners of the catalog elements holding its code (entity references).
    pub(crate) owners: Vec<String>,
    /// Their systems (entity references).
    pub(crate) systems: Vec<String>,
}

/// A distinct package of the snapshot.
pub(crate) struct PackageEntry {
    pub(crate) purl: String,
    pub(crate) ecosystem: String,
    pub(crate) name: String,
    pub(crate) version: Option<String>,
    pub(crate) projects: u64,
}

/// The lists of one snapshot, each sorted by its key (path, purl).
pub(crate) struct EstateLists {
    pub(crate) projects: Vec<ProjectEntry>,
    pub(crate) packages: Vec<PackageEntry>,
}

/// The kept lists.
#[derive(Default)]
pub(crate) struct EstateCache {
    kept: Mutex<Vec<(SnapshotId, Arc<EstateLists>)>>,
    building: tokio::sync::Mutex<()>,
}

impl EstateCache {
    fn get(&self, id: SnapshotId) -> Option<Arc<EstateLists>> {
        let kept = self.kept.lock().ok()?;
        kept.iter().find(|(k, _)| *k == id).map(|(_, l)| l.clone())
    }

    fn put(&self, id: SnapshotId, lists: Arc<EstateLists>) {
        if let Ok(mut kept) = self.kept.lock() {
            kept.retain(|(k, _)| *k != id);
            kept.push((id, lists));
            let excess = kept.len().saturating_sub(KEPT);
            kept.drain(..excess);
        }
    }
}

/// The lists of `snapshot`.
pub(crate) async fn lists(
    state: &AppState,
    snapshot: SnapshotId,
) -> Result<Arc<EstateLists>, ApiError> {
    let cache = &state.0.estate;
    if let Some(l) = cache.get(snapshot) {
        return Ok(l);
    }
    let _one_at_a_time = cache.building.lock().await;
    if let Some(l) = cache.get(snapshot) {
        return Ok(l);
    }
    let stores = state.stores()?.clone();
    // One large reading at a time (with the analysis and the pages' estate).
    let _heavy = state.0.heavy.lock().await;
    let lists = stores
        .read(move |s| Ok(Arc::new(build(s, snapshot)?)))
        .await?;
    cache.put(snapshot, lists.clone());
    Ok(lists)
}

#[derive(Default)]
struct Tally {
    components: u64,
    ecosystems: BTreeSet<String>,
}

fn build(s: &dyn vigie_store::Store, snapshot: SnapshotId) -> anyhow::Result<EstateLists> {
    let names = s.project_summaries(snapshot)?;
    let catalog = s.catalog(snapshot)?;
    let entities: HashMap<&str, &vigie_store::EntityRecord> = catalog
        .entities
        .iter()
        .map(|e| (e.entity_ref.as_str(), e))
        .collect();
    let mut owners: HashMap<String, (BTreeSet<String>, BTreeSet<String>)> = HashMap::new();
    for link in s.project_links(snapshot)? {
        let Some(e) = entities.get(link.entity_ref.as_str()) else {
            continue;
        };
        let (o, sys) = owners.entry(link.project_path).or_default();
        o.extend(e.owners.iter().cloned());
        if e.kind.eq_ignore_ascii_case("system") {
            sys.insert(e.entity_ref.clone());
        } else if let Some(system) = &e.system {
            sys.insert(system.clone());
            if let Some(se) = entities.get(system.as_str()) {
                o.extend(se.owners.iter().cloned());
            }
        }
    }
    let mut tallies: HashMap<String, Tally> = HashMap::new();
    // purl → entry, with the last project counted (the stream is in project order).
    let mut packages: BTreeMap<String, (PackageEntry, String)> = BTreeMap::new();
    s.for_each_component(snapshot, &mut |row| {
        let t = tallies.entry(row.project_path.to_owned()).or_default();
        t.components += 1;
        if !t.ecosystems.contains(row.ecosystem) {
            t.ecosystems.insert(row.ecosystem.to_owned());
        }
        match packages.get_mut(row.purl) {
            Some((entry, last)) => {
                if last != row.project_path {
                    entry.projects += 1;
                    row.project_path.clone_into(last);
                }
            }
            None => {
                packages.insert(
                    row.purl.to_owned(),
                    (
                        PackageEntry {
                            purl: row.purl.to_owned(),
                            ecosystem: row.ecosystem.to_owned(),
                            name: row.name.to_owned(),
                            version: row.version.map(str::to_owned),
                            projects: 1,
                        },
                        row.project_path.to_owned(),
                    ),
                );
            }
        }
    })?;
    let mut projects: Vec<ProjectEntry> = names
        .into_iter()
        .map(|p| {
            let t = tallies.remove(&p.path).unwrap_or_default();
            let (o, sys) = owners.remove(&p.path).unwrap_or_default();
            ProjectEntry {
                findings: p.findings,
                path: p.path,
                name: p.name,
                components: t.components,
                ecosystems: t.ecosystems.into_iter().collect(),
                owners: o.into_iter().collect(),
                systems: sys.into_iter().collect(),
            }
        })
        .collect();
    projects.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(EstateLists {
        projects,
        packages: packages.into_values().map(|(e, _)| e).collect(),
    })
}
