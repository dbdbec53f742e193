//! What the pages read of a snapshot besides the risk analysis ([`crate::analysis`]): the
//! projects with their systems, owners, ecosystems, licence categories and findings, the
//! catalog, and the catalog's problems. A snapshot never changes once written, so this is
//! read once per snapshot and kept; the knowledge index's age is read at most once a minute.
//! The administration's knowledge status (the index's counts, the snapshot's coverage) is
//! kept for one generation and one snapshot.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;
use vigie_app::admin::knowledge::KnowledgeStatus;
use vigie_store::{CatalogData, SnapshotId, SnapshotInfo, Store};

use crate::error::AppError;
use crate::state::AppState;

/// How long the knowledge index's age is kept.
const INDEX_AGE_KEPT: Duration = Duration::from_secs(60);

/// One project as the lists show it.
#[derive(Clone, Debug, Serialize)]
pub(crate) struct ProjectEntry {
    pub(crate) path: String,
    pub(crate) name: String,
    /// References of the systems its code belongs to.
    pub(crate) systems: Vec<String>,
    /// References of its owners.
    pub(crate) owners: Vec<String>,
    /// OSV ecosystems of its components.
    pub(crate) ecosystems: Vec<String>,
    /// Licence categories of its components.
    pub(crate) licences: Vec<String>,
    /// One of its findings is known to be exploited.
    pub(crate) known_exploited: bool,
    pub(crate) findings: usize,
}

/// A snapshot as the pages read it.
pub(crate) struct Estate {
    pub(crate) snapshot: SnapshotInfo,
    /// Sorted by path.
    pub(crate) projects: Vec<ProjectEntry>,
    pub(crate) catalog: CatalogData,
    /// Catalog files unreadable and the catalog's errors and warnings, when its folders are
    /// still there to be read.
    pub(crate) catalog_problems: Option<usize>,
}

impl Estate {
    /// Every distinct value of one field of the projects, sorted (a filter's choices).
    pub(crate) fn choices(&self, field: fn(&ProjectEntry) -> &[String]) -> Vec<String> {
        let set: BTreeSet<&String> = self.projects.iter().flat_map(field).collect();
        set.into_iter().cloned().collect()
    }
}

/// The kept readings.
#[derive(Default)]
pub(crate) struct PageCache {
    estate: Mutex<Option<Arc<Estate>>>,
    index_age: Mutex<Option<(Instant, Option<String>)>>,
    knowledge: Mutex<Option<(KnowledgeKey, Arc<KnowledgeStatus>)>>,
    /// The advisory index opened for "are we hit?", by the index it was opened for.
    advisories: Mutex<Option<(Option<String>, Advisories)>>,
}

/// The advisory index, or why it could not be opened.
pub(crate) type Advisories = Arc<Result<vigie_app::hit::AdvisoryKnowledge, String>>;

/// What the knowledge status was read for: the generation and the latest snapshot.
type KnowledgeKey = (Option<String>, Option<SnapshotId>);

fn read(
    store: &dyn Store,
    snapshot: SnapshotInfo,
    config_file: Option<PathBuf>,
) -> anyhow::Result<Estate> {
    let id = snapshot.id;
    let catalog = store.catalog(id)?;
    let by_ref: HashMap<&str, &vigie_store::EntityRecord> = catalog
        .entities
        .iter()
        .map(|e| (e.entity_ref.as_str(), e))
        .collect();
    let mut projects: Vec<ProjectEntry> = store
        .project_summaries(id)?
        .into_iter()
        .map(|p| ProjectEntry {
            licences: p
                .licence_categories
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(c, _)| c.clone())
                .collect(),
            path: p.path,
            name: p.name,
            systems: Vec::new(),
            owners: Vec::new(),
            ecosystems: Vec::new(),
            known_exploited: p.known_exploited,
            findings: usize::try_from(p.findings).unwrap_or(usize::MAX),
        })
        .collect();
    let at: HashMap<String, usize> = projects
        .iter()
        .enumerate()
        .map(|(i, p)| (p.path.clone(), i))
        .collect();
    for link in store.project_links(id)? {
        let (Some(&i), Some(e)) = (at.get(&link.project_path), by_ref.get(&*link.entity_ref))
        else {
            continue;
        };
        let system = if e.kind.eq_ignore_ascii_case("system") {
            Some(e.entity_ref.clone())
        } else {
            e.system.clone()
        };
        let mut owners = e.owners.clone();
        if owners.is_empty()
            && let Some(s) = system.as_deref().and_then(|s| by_ref.get(s))
        {
            owners = s.owners.clone();
        }
        let p = &mut projects[i];
        p.systems.extend(system);
        p.owners.extend(owners);
    }
    let uses = store.package_uses(id)?;
    for pkg in &uses.packages {
        for &k in &pkg.projects {
            // A project has a few ecosystems and thousands of packages: each is added once
            // (pushing one per package held 185 MB at once on the 10,000-repository estate).
            if let Some(&i) = uses.projects.get(k as usize).and_then(|path| at.get(path))
                && !projects[i].ecosystems.contains(&pkg.ecosystem)
            {
                projects[i].ecosystems.push(pkg.ecosystem.clone());
            }
        }
    }
    for p in &mut projects {
        for list in [&mut p.systems, &mut p.owners, &mut p.ecosystems] {
            list.sort();
            list.dedup();
        }
    }
    let roots: Vec<PathBuf> = snapshot.meta.roots.iter().map(PathBuf::from).collect();
    let catalog_problems = (!roots.is_empty() && roots.iter().all(|r| r.exists()))
        .then(|| vigie_app::catalog::find(&roots, config_file.as_deref()).ok())
        .flatten()
        .map(|found| found.problems.len() + vigie_app::catalog::load(&found).diagnostics.len());
    Ok(Estate {
        snapshot,
        projects,
        catalog,
        catalog_problems,
    })
}

impl AppState {
    /// The latest snapshot as the pages read it; `None` before the first snapshot.
    pub(crate) async fn estate(&self) -> Result<Option<Arc<Estate>>, AppError> {
        self.estate_of(None).await
    }

    /// Snapshot `id` (else the latest) as the pages read it; only the latest is kept.
    pub(crate) async fn estate_of(
        &self,
        id: Option<SnapshotId>,
    ) -> Result<Option<Arc<Estate>>, AppError> {
        let stores = self.stores()?.clone();
        let snapshots = stores.read(|s| Ok(s.snapshots()?)).await?;
        let Some(latest) = snapshots.last().map(|s| s.id) else {
            return Ok(None);
        };
        let want = id.unwrap_or(latest);
        let Some(info) = snapshots.into_iter().find(|s| s.id == want) else {
            return Ok(None);
        };
        let cache = &self.0.pages;
        if let Ok(kept) = cache.estate.lock()
            && let Some(e) = kept.as_ref()
            && e.snapshot.id == want
        {
            return Ok(Some(e.clone()));
        }
        let config_file = self.config().config_file.clone();
        // One large reading at a time (this and the analysis): their peaks do not add up.
        let _heavy = self.0.heavy.lock().await;
        if let Ok(kept) = cache.estate.lock()
            && let Some(e) = kept.as_ref()
            && e.snapshot.id == want
        {
            return Ok(Some(e.clone()));
        }
        let estate = Arc::new(stores.read(move |s| read(s, info, config_file)).await?);
        if want == latest
            && let Ok(mut kept) = cache.estate.lock()
        {
            *kept = Some(estate.clone());
        }
        Ok(Some(estate))
    }

    /// The advisory index of the current knowledge index, opened once per index (opening it
    /// reads its id table: not a cost to pay on every question).
    pub(crate) async fn advisories(&self) -> Advisories {
        let created = self.index_created().await;
        if let Ok(kept) = self.0.pages.advisories.lock()
            && let Some((at, a)) = kept.as_ref()
            && *at == created
        {
            return a.clone();
        }
        let dir = self.config().data_dir.clone();
        let opened: Advisories = Arc::new(
            tokio::task::spawn_blocking(move || {
                vigie_app::hit::AdvisoryKnowledge::open(dir.as_deref())
                    .map_err(|e| format!("{e:#}"))
            })
            .await
            .unwrap_or_else(|e| Err(e.to_string())),
        );
        if let Ok(mut kept) = self.0.pages.advisories.lock() {
            *kept = Some((created, opened.clone()));
        }
        opened
    }

    /// Forgets the kept age of the knowledge index (a sync just made a new one).
    pub(crate) fn forget_index_age(&self) {
        if let Ok(mut kept) = self.0.pages.index_age.lock() {
            *kept = None;
        }
    }

    /// When the current knowledge index was compiled (RFC 3339), if there is one.
    pub(crate) async fn index_created(&self) -> Option<String> {
        let cache = &self.0.pages;
        if let Ok(kept) = cache.index_age.lock()
            && let Some((at, created)) = kept.as_ref()
            && at.elapsed() < INDEX_AGE_KEPT
        {
            return created.clone();
        }
        let dir = self.config().data_dir.clone();
        let created =
            tokio::task::spawn_blocking(move || vigie_app::config::index_created(dir.as_deref()))
                .await
                .ok()
                .flatten();
        if let Ok(mut kept) = cache.index_age.lock() {
            *kept = Some((Instant::now(), created.clone()));
        }
        created
    }

    /// What the knowledge index holds and how it covers the latest snapshot
    /// (`vigie_app::admin::knowledge::status`), kept while the generation and the latest
    /// snapshot are the same.
    pub(crate) async fn knowledge_status(&self) -> Result<Arc<KnowledgeStatus>, AppError> {
        let stores = self.stores()?.clone();
        let dir = self.config().data_dir.clone();
        let generation = {
            let dir = dir.clone();
            tokio::task::spawn_blocking(move || {
                vigie_app::admin::knowledge::current_generation(dir.as_deref())
            })
            .await
            .ok()
            .flatten()
        };
        let latest = stores
            .read(|s| Ok(s.snapshots()?.last().map(|s| s.id)))
            .await?;
        let key = (generation, latest);
        let cache = &self.0.pages;
        if let Ok(kept) = cache.knowledge.lock()
            && let Some((k, status)) = kept.as_ref()
            && *k == key
        {
            return Ok(status.clone());
        }
        let status = Arc::new(
            stores
                .read(move |s| vigie_app::admin::knowledge::status(s, dir.as_deref()))
                .await?,
        );
        if let Ok(mut kept) = cache.knowledge.lock() {
            *kept = Some((key, status.clone()));
        }
        Ok(status)
    }
}
