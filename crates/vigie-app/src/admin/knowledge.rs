//! What the knowledge index of the current generation holds, where it came from, and how
//! well it covers the ecosystems of a snapshot: the administration's knowledge page.
//!
//! Counts per ecosystem come from the index itself: packages from `osv.idx`, advisories
//! from `ids.idx` (an advisory counts once in each ecosystem where it affects a package).
//! The sources are the manifest's (records read per archive) joined with what `vigie-sync`
//! kept of each file it fetched (`FileMeta`: URL, size, when); a generation compiled from a
//! local mirror (`vigie sync --mirror DIR`) has no fetch metadata.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::Context;
use serde::Serialize;
use vigie_knowledge::compile::read_manifest;
use vigie_knowledge::ids::AdvisoryNames;
use vigie_knowledge::index::Index;
use vigie_store::PackageUses;
use vigie_sync::FileMeta;

/// The index of the current generation, read.
#[derive(Clone, Debug, Serialize)]
pub struct IndexStatus {
    /// The generation's id (`YYYYMMDDTHHMMSSmmmZ-xxxxxxxx`).
    pub generation: String,
    /// When the index was compiled (RFC 3339), from its manifest.
    pub created: Option<String>,
    /// The mirror it was compiled from.
    pub mirror: Option<String>,
    /// Distinct advisories (withdrawn included), from the manifest.
    pub advisories: usize,
    /// Distinct (ecosystem, package) keys.
    pub packages: usize,
    /// Entries of the CISA KEV catalogue, and advisories flagged known exploited.
    pub kev_entries: usize,
    /// Advisories flagged known exploited through the KEV catalogue.
    pub known_exploited: usize,
    /// Per ecosystem of the index, by name.
    pub ecosystems: Vec<EcosystemCounts>,
    /// The feed files, by path.
    pub sources: Vec<SourceFile>,
}

/// What the index holds for one ecosystem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EcosystemCounts {
    /// The OSV name (`PyPI`, `crates.io`).
    pub ecosystem: String,
    /// Advisories affecting at least one of its packages.
    pub advisories: usize,
    /// Packages with at least one advisory.
    pub packages: usize,
}

/// One feed file of the generation.
#[derive(Clone, Debug, Serialize)]
pub struct SourceFile {
    /// Its path in the mirror (`osv/PyPI/all.zip`).
    pub path: String,
    /// Where it was fetched from, when `vigie sync` fetched it.
    pub url: Option<String>,
    /// When it was downloaded.
    pub fetched_at: Option<String>,
    /// Its size in bytes, when known.
    pub size: Option<u64>,
    /// Records the compile read from it (the OSV archives).
    pub records: Option<usize>,
    /// Records that did not parse or entries refused, and whether it could not be read.
    pub problems: usize,
}

/// One ecosystem of a snapshot against the index.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The OSV name.
    pub ecosystem: String,
    /// Distinct packages of the snapshot in it.
    pub packages: usize,
    /// Components: (package, project) pairs.
    pub components: u64,
    /// True when the index holds advisories for this ecosystem; false: vigie cannot say
    /// whether these components are vulnerable.
    pub advisory_source: bool,
}

/// The knowledge page: the index (none: no sync yet), the coverage of the latest snapshot.
#[derive(Clone, Debug, Serialize)]
pub struct KnowledgeStatus {
    /// The current index; `None` when there is no generation yet.
    pub index: Option<IndexStatus>,
    /// Per ecosystem of the snapshot, by name (empty without a snapshot).
    pub coverage: Vec<Coverage>,
}

/// The id of the current generation of `data_dir` (else the default data directory), if any:
/// cheap, so a front can tell whether what it keeps is still the current one.
pub fn current_generation(data_dir: Option<&Path>) -> Option<String> {
    crate::config::current_generation(data_dir)
        .ok()
        .map(|g| g.id().to_owned())
}

/// Reads the current generation's index; `Ok(None)` when there is no generation.
pub fn index_status(data_dir: Option<&Path>) -> anyhow::Result<Option<IndexStatus>> {
    let Ok(generation) = crate::config::current_generation(data_dir) else {
        return Ok(None);
    };
    let dir = generation.index_dir();
    let index = Index::open(&dir).with_context(|| format!("reading {}", dir.display()))?;
    let names = AdvisoryNames::open(&dir).with_context(|| format!("reading {}", dir.display()))?;
    let manifest = read_manifest(&dir);
    let ecosystems = counts(&index, &names);
    let mirror = generation.mirror_dir();
    let mut sources: BTreeMap<String, SourceFile> = BTreeMap::new();
    for s in manifest.iter().flat_map(|m| &m.sources) {
        sources.insert(
            s.path.clone(),
            SourceFile {
                path: s.path.clone(),
                url: None,
                fetched_at: None,
                size: None,
                records: Some(s.records),
                problems: s.invalid + s.refused + usize::from(s.error.is_some()),
            },
        );
    }
    for path in fetched(&mirror) {
        let Some(meta) = FileMeta::load(&mirror, &path) else {
            continue;
        };
        let entry = sources.entry(path.clone()).or_insert_with(|| SourceFile {
            path,
            url: None,
            fetched_at: None,
            size: None,
            records: None,
            problems: 0,
        });
        entry.url = Some(meta.url);
        entry.fetched_at = Some(meta.fetched_at);
        entry.size = Some(meta.size);
    }
    Ok(Some(IndexStatus {
        generation: generation.id().to_owned(),
        created: manifest.as_ref().map(|m| m.created.clone()),
        mirror: manifest.as_ref().map(|m| m.mirror.clone()),
        advisories: manifest.as_ref().map_or(0, |m| m.advisories),
        packages: index.len(),
        kev_entries: manifest.as_ref().map_or(0, |m| m.kev_entries),
        known_exploited: manifest.as_ref().map_or(0, |m| m.known_exploited),
        ecosystems,
        sources: sources.into_values().collect(),
    }))
}

/// Packages and advisories per ecosystem of the index.
fn counts(index: &Index, names: &AdvisoryNames) -> Vec<EcosystemCounts> {
    let mut eco_of: Vec<usize> = Vec::with_capacity(index.len());
    let mut out: Vec<EcosystemCounts> = index
        .ecosystems()
        .iter()
        .map(|e| EcosystemCounts {
            ecosystem: e.clone(),
            advisories: 0,
            packages: 0,
        })
        .collect();
    for (ecosystem, _) in index.packages() {
        let at = index
            .ecosystems()
            .iter()
            .position(|e| e == ecosystem)
            .unwrap_or(0);
        eco_of.push(at);
        if let Some(c) = out.get_mut(at) {
            c.packages += 1;
        }
    }
    let mut seen: HashSet<usize> = HashSet::new();
    for packages in names.advisories() {
        seen.clear();
        seen.extend(
            packages
                .iter()
                .filter_map(|&p| eco_of.get(p as usize).copied()),
        );
        for &e in &seen {
            if let Some(c) = out.get_mut(e) {
                c.advisories += 1;
            }
        }
    }
    out.sort_by(|a, b| a.ecosystem.cmp(&b.ecosystem));
    out
}

/// The mirror paths of which `vigie-sync` kept fetch metadata (`.sync/<path>.json`).
fn fetched(mirror: &Path) -> Vec<String> {
    let root = FileMeta::path_in(mirror, "");
    // `path_in(m, "")` is `<m>/.sync/.json`: its parent is the metadata folder.
    let Some(root) = root.parent() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut todo = vec![root.to_path_buf()];
    while let Some(dir) = todo.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                todo.push(path);
            } else if let Some(rel) = path
                .strip_prefix(root)
                .ok()
                .and_then(|r| r.to_str())
                .and_then(|r| r.strip_suffix(".json"))
            {
                out.push(rel.replace(std::path::MAIN_SEPARATOR, "/"));
            }
        }
    }
    out.sort();
    out
}

/// The ecosystems of a snapshot's packages against the index: how many packages and
/// components each has, and whether the index holds any advisory for it.
pub fn coverage(index: Option<&IndexStatus>, uses: &PackageUses) -> Vec<Coverage> {
    let covered: Vec<String> = index
        .iter()
        .flat_map(|i| &i.ecosystems)
        .filter(|e| e.advisories > 0)
        .map(|e| e.ecosystem.clone())
        .collect();
    coverage_of(&covered, uses)
}

/// The OSV ecosystems the current index of `data_dir` holds advisories for; `None` when
/// there is no index or it cannot be read.
pub fn covered_ecosystems(data_dir: Option<&Path>) -> Option<Vec<String>> {
    let generation = crate::config::current_generation(data_dir).ok()?;
    let index = Index::open(&generation.index_dir()).ok()?;
    Some(index.ecosystems().to_vec())
}

/// The ecosystems of a snapshot's packages against the `covered` ones.
pub fn coverage_of(covered: &[String], uses: &PackageUses) -> Vec<Coverage> {
    let mut by: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for p in &uses.packages {
        let c = by.entry(p.ecosystem.as_str()).or_default();
        c.0 += 1;
        c.1 += p.projects.len() as u64;
    }
    by.into_iter()
        .map(|(ecosystem, (packages, components))| Coverage {
            ecosystem: ecosystem.to_owned(),
            packages,
            components,
            advisory_source: covered.iter().any(|e| e == ecosystem),
        })
        .collect()
}

/// The whole page: the index of `data_dir`'s current generation and the coverage of the
/// latest snapshot of `store` (none without a snapshot).
pub fn status(
    store: &dyn vigie_store::Store,
    data_dir: Option<&Path>,
) -> anyhow::Result<KnowledgeStatus> {
    status_at(store, store.latest_if_any()?, data_dir)
}

/// The index of `data_dir`'s current generation and the coverage of `snapshot` of `store`
/// (none: no coverage).
pub fn status_at(
    store: &dyn vigie_store::Store,
    snapshot: Option<vigie_store::SnapshotId>,
    data_dir: Option<&Path>,
) -> anyhow::Result<KnowledgeStatus> {
    let index = index_status(data_dir)?;
    let coverage = match snapshot {
        Some(id) => coverage(index.as_ref(), &store.package_uses(id)?),
        None => Vec::new(),
    };
    Ok(KnowledgeStatus { index, coverage })
}
