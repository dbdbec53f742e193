//! Whole-snapshot reads for the executive report: every finding, the catalog, the
//! project → catalog links, and the components streamed list by list (an estate of 10,000
//! repositories has millions of components: they are never collected here).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::storage::{Packages, ProjectRow, Storage, list_data};
use crate::{EntityRecord, Error, RelationRecord, Result, SnapshotId};

/// One component of a snapshot, as the report reads it (borrowed for the callback's time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentRow<'a> {
    /// The project's path.
    pub project_path: &'a str,
    /// The OSV ecosystem name (`npm`, `PyPI`, `Maven`).
    pub ecosystem: &'a str,
    /// The package's name.
    pub name: &'a str,
    /// `None` when unresolved.
    pub version: Option<&'a str>,
    /// The package URL.
    pub purl: &'a str,
    /// The licence expression the reader found, if any.
    pub licence: Option<&'a str>,
}

/// One distinct package of a snapshot and the projects that use it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackageUse {
    /// The OSV ecosystem name (`npm`, `PyPI`, `Maven`).
    pub ecosystem: String,
    /// The package's name.
    pub name: String,
    /// `None` when unresolved.
    pub version: Option<String>,
    /// The package URL.
    pub purl: String,
    /// Indexes into [`PackageUses::projects`], ascending, each once.
    pub projects: Vec<u32>,
}

/// A snapshot's components aggregated by package (version sprawl, licence posture) without
/// a row per component: each list is decoded once and each entry costs one integer lookup.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageUses {
    /// The project paths, in path order.
    pub projects: Vec<String>,
    /// The distinct packages, in the order first met.
    pub packages: Vec<PackageUse>,
    /// Components in all (a package twice in a project counts twice).
    pub components: u64,
    /// Components with a licence found.
    pub with_licence: u64,
    /// Each distinct licence text found and how many components carry it, sorted by text.
    pub licences: Vec<(String, u64)>,
    /// Components per licence category id, summed over the projects where the licence
    /// check ran (with the evidence it found beyond the lockfiles).
    pub licence_categories: std::collections::BTreeMap<String, u64>,
}

/// A project in one snapshot, counted: a line of its history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectCounts {
    /// The snapshot.
    pub snapshot: SnapshotId,
    /// When it was taken (RFC 3339).
    pub taken_at: String,
    /// The project's components.
    pub components: u64,
    /// Its findings.
    pub findings: u64,
}

/// A project of a snapshot without its components: what a list of projects shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectSummary {
    /// The project's path.
    pub path: String,
    /// Its name.
    pub name: String,
    /// Components per licence category id (empty when the licence check did not run).
    pub licence_categories: std::collections::BTreeMap<String, u64>,
    /// How many findings it has.
    pub findings: u64,
    /// One of its findings is on CISA's known exploited list.
    pub known_exploited: bool,
}

/// A project path and a catalog element that holds its code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProjectLink {
    /// The project's path.
    pub project_path: String,
    /// The element's reference.
    pub entity_ref: String,
}

/// The catalog of one snapshot.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CatalogData {
    /// In the catalog's order.
    pub entities: Vec<EntityRecord>,
    /// In the catalog's order.
    pub relations: Vec<RelationRecord>,
}

/// Which element holds each project's code, by path then element.
pub(crate) fn project_links(s: &dyn Storage, snapshot: SnapshotId) -> Result<Vec<ProjectLink>> {
    let paths: HashMap<i64, String> = s
        .projects(snapshot)?
        .into_iter()
        .map(|p| (p.id, p.path))
        .collect();
    let mut out: Vec<ProjectLink> = s
        .linked_entities(snapshot, None)?
        .into_iter()
        .filter_map(|(id, e)| {
            Some(ProjectLink {
                project_path: paths.get(&id)?.clone(),
                entity_ref: e.entity_ref,
            })
        })
        .collect();
    out.sort();
    Ok(out)
}

/// Calls `each` once per component of the snapshot, project by project in path order, in
/// each project in the order of its input; a list that cannot be read stops with its error.
pub(crate) fn for_each_component(
    s: &dyn Storage,
    snapshot: SnapshotId,
    each: &mut dyn FnMut(&ComponentRow<'_>),
) -> Result<()> {
    let projects = s.projects(snapshot)?;
    let mut packages = Packages::default();
    for ProjectRow { path, list, .. } in &projects {
        let data = list_data(s, *list)?;
        for e in crate::lists::decode(&data)? {
            let k = packages.get(s, e.package)?;
            // A reader's own spelling (`Django` for pkg:pypi/django) wins, as in `show`.
            let identity = e
                .identity
                .and_then(|j| serde_json::from_str::<(String, String, Option<String>)>(j).ok());
            match &identity {
                Some((eco, name, version)) => each(&ComponentRow {
                    project_path: path,
                    ecosystem: eco,
                    name,
                    version: version.as_deref(),
                    purl: &k.purl,
                    licence: e.licence,
                }),
                None => each(&ComponentRow {
                    project_path: path,
                    ecosystem: &k.ecosystem,
                    name: &k.name,
                    version: k.version.as_deref(),
                    purl: &k.purl,
                    licence: e.licence,
                }),
            }
        }
    }
    Ok(())
}

pub(crate) fn package_uses(s: &dyn Storage, snapshot: SnapshotId) -> Result<PackageUses> {
    let mut out = PackageUses::default();
    let mut projects = Vec::new();
    for p in s.projects(snapshot)? {
        if let Some(j) = &p.licence_categories {
            let counts: std::collections::BTreeMap<String, u64> = serde_json::from_str(j)?;
            for (category, n) in counts {
                *out.licence_categories.entry(category).or_default() += n;
            }
        }
        projects.push((p.path, p.list));
    }
    let mut index: crate::FastMap<i64, usize> = crate::FastMap::default();
    let mut licences: crate::FastMap<String, u64> = crate::FastMap::default();
    let mut packages = Packages::default();
    for (n, (path, list)) in projects.into_iter().enumerate() {
        let n = u32::try_from(n).map_err(|_| Error::Invalid("too many projects".into()))?;
        out.projects.push(path);
        let data = list_data(s, list)?;
        for e in crate::lists::decode(&data)? {
            out.components += 1;
            if let Some(l) = e.licence.filter(|l| !l.trim().is_empty()) {
                out.with_licence += 1;
                match licences.get_mut(l) {
                    Some(count) => *count += 1,
                    None => {
                        licences.insert(l.to_owned(), 1);
                    }
                }
            }
            let at = match index.get(&e.package) {
                Some(&at) => at,
                None => {
                    let k = packages.get(s, e.package)?;
                    out.packages.push(PackageUse {
                        ecosystem: k.ecosystem.clone(),
                        name: k.name.clone(),
                        version: k.version.clone(),
                        purl: k.purl.clone(),
                        projects: Vec::new(),
                    });
                    index.insert(e.package, out.packages.len() - 1);
                    out.packages.len() - 1
                }
            };
            if let Some(p) = out.packages.get_mut(at)
                && p.projects.last() != Some(&n)
            {
                p.projects.push(n);
            }
        }
    }
    out.licences = licences.into_iter().collect();
    out.licences.sort();
    Ok(out)
}
