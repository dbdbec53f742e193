//! What changed between two snapshots: projects, components per project, findings.
//!
//! Components are read in one ordered pass over each snapshot (projects by path), so the
//! memory is one project's packages plus the differences.
//!
//! Components are compared per project path as sets of packages (purls); a package name
//! (ecosystem + normalised name) that left with one version and came with another is a
//! version change. When several versions of one name left and as many came, they are paired
//! in version order; otherwise they are reported as removed and added. Findings are compared
//! by key: a finding is *changed* when its rating, fixed version or known-exploited flag differs.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::storage::{FindingHead, ProjectRow, Storage, list_data};
use crate::{FindingRecord, Result, SnapshotId};

/// A package as the diff names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PackageRef {
    /// The OSV ecosystem name.
    pub ecosystem: String,
    /// The package's name.
    pub name: String,
    /// `None` when unresolved.
    pub version: Option<String>,
    /// The package URL.
    pub purl: String,
}

/// One package name whose version changed in a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentChange {
    /// The OSV ecosystem name.
    pub ecosystem: String,
    /// The package's name (as the newer snapshot spells it).
    pub name: String,
    /// The version before.
    pub from: Option<String>,
    /// The version after.
    pub to: Option<String>,
}

/// The component changes of a project present in both snapshots.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDiff {
    /// The project's path.
    pub path: String,
    /// Packages only in the newer snapshot.
    pub added: Vec<PackageRef>,
    /// Packages only in the older snapshot.
    pub removed: Vec<PackageRef>,
    /// Packages whose version changed.
    pub changed: Vec<ComponentChange>,
}

/// A finding present in both snapshots whose rating, fix or exploitation changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingChange {
    /// The finding in the older snapshot.
    pub before: FindingRecord,
    /// The finding in the newer snapshot.
    pub after: FindingRecord,
}

/// The difference from snapshot `from` to snapshot `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotDiff {
    /// The older snapshot.
    pub from: SnapshotId,
    /// The newer snapshot.
    pub to: SnapshotId,
    /// Paths of the projects only in the newer snapshot, sorted.
    pub projects_added: Vec<String>,
    /// Paths of the projects only in the older snapshot, sorted.
    pub projects_removed: Vec<String>,
    /// Projects present in both whose components changed, by path.
    pub projects_changed: Vec<ProjectDiff>,
    /// Findings only in the newer snapshot, by key.
    pub findings_appeared: Vec<FindingRecord>,
    /// Findings only in the older snapshot, by key.
    pub findings_resolved: Vec<FindingRecord>,
    /// Findings in both whose rating, fix or exploitation changed, by key.
    pub findings_changed: Vec<FindingChange>,
}

/// The paths in `a` and not in `b` (both by path).
fn only_in(a: &[ProjectRow], b: &[ProjectRow]) -> Vec<String> {
    let mut out: Vec<String> = a
        .iter()
        .filter(|p| {
            b.binary_search_by(|q| q.path.as_str().cmp(&p.path))
                .is_err()
        })
        .map(|p| p.path.clone())
        .collect();
    out.dedup();
    out
}

/// The distinct package ids of a list, sorted.
fn list_packages(s: &dyn Storage, list: Option<i64>) -> Result<Vec<i64>> {
    let data = list_data(s, list)?;
    let mut ids: Vec<i64> = crate::lists::decode(&data)?
        .iter()
        .map(|e| e.package)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// `(path, package id)` of the packages that left and came in projects present in both
/// snapshots: only projects whose component list changed are read, one at a time.
#[allow(clippy::type_complexity)]
fn package_changes(
    s: &dyn Storage,
    pa: &[ProjectRow],
    pb: &[ProjectRow],
) -> Result<(Vec<(String, i64)>, Vec<(String, i64)>)> {
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for a in pa {
        let Ok(at) = pb.binary_search_by(|q| q.path.as_str().cmp(&a.path)) else {
            continue;
        };
        let Some(b) = pb.get(at).filter(|b| b.list != a.list) else {
            continue;
        };
        let ids_a = list_packages(s, a.list)?;
        let ids_b = list_packages(s, b.list)?;
        for id in &ids_a {
            if ids_b.binary_search(id).is_err() {
                removed.push((a.path.clone(), *id));
            }
        }
        for id in &ids_b {
            if ids_a.binary_search(id).is_err() {
                added.push((a.path.clone(), *id));
            }
        }
    }
    Ok((removed, added))
}

/// The normalised name and the reference of a package.
fn package(
    s: &dyn Storage,
    cache: &mut HashMap<i64, (String, PackageRef)>,
    id: i64,
) -> Result<(String, PackageRef)> {
    if let Some(p) = cache.get(&id) {
        return Ok(p.clone());
    }
    let k = s.package(id)?;
    let p = (
        k.norm_name,
        PackageRef {
            ecosystem: k.ecosystem,
            name: k.name,
            version: k.version,
            purl: k.purl,
        },
    );
    cache.insert(id, p.clone());
    Ok(p)
}

/// Past this many keys, the findings are read in one pass over the snapshot's rather than
/// one lookup each (a first diff resolves every finding).
const FEW_KEYS: usize = 64;

/// The findings of `snapshot` with these keys (sorted), by key.
fn findings_with(
    s: &dyn Storage,
    snapshot: SnapshotId,
    keys: &[&str],
) -> Result<Vec<FindingRecord>> {
    if keys.len() > FEW_KEYS {
        let mut all = s.findings(snapshot)?;
        all.retain(|f| keys.binary_search(&f.key.as_str()).is_ok());
        return Ok(all);
    }
    let mut out = Vec::with_capacity(keys.len());
    for k in keys {
        out.extend(s.findings_by_key(snapshot, k)?);
    }
    Ok(out)
}

/// Orders versions of one package name by its ecosystem's scheme (text order when unparsable).
fn version_order(ecosystem: &str, a: &Option<String>, b: &Option<String>) -> std::cmp::Ordering {
    let scheme =
        vigie_model::Ecosystem::from_osv(ecosystem).map(vigie_versions::Scheme::for_ecosystem);
    match (scheme, a, b) {
        (Some(s), Some(x), Some(y)) => s.compare(x, y).unwrap_or_else(|_| x.cmp(y)),
        _ => a.cmp(b),
    }
}

pub(crate) fn diff(s: &dyn Storage, a: SnapshotId, b: SnapshotId) -> Result<SnapshotDiff> {
    type Sides = (Vec<PackageRef>, Vec<PackageRef>);
    let mut groups: BTreeMap<(String, String, String), Sides> = BTreeMap::new();
    let mut cache = HashMap::new();
    let (pa, pb) = (s.projects(a)?, s.projects(b)?);
    let (removed, added) = package_changes(s, &pa, &pb)?;
    for (path, id) in removed {
        let (norm, pkg) = package(s, &mut cache, id)?;
        let key = (path, pkg.ecosystem.clone(), norm);
        groups.entry(key).or_default().0.push(pkg);
    }
    for (path, id) in added {
        let (norm, pkg) = package(s, &mut cache, id)?;
        let key = (path, pkg.ecosystem.clone(), norm);
        groups.entry(key).or_default().1.push(pkg);
    }
    let mut projects: BTreeMap<String, ProjectDiff> = BTreeMap::new();
    for ((path, ecosystem, _), (mut removed, mut added)) in groups {
        let pd = projects.entry(path.clone()).or_insert_with(|| ProjectDiff {
            path,
            ..ProjectDiff::default()
        });
        if !removed.is_empty() && removed.len() == added.len() {
            removed.sort_by(|x, y| version_order(&ecosystem, &x.version, &y.version));
            added.sort_by(|x, y| version_order(&ecosystem, &x.version, &y.version));
            for (r, n) in removed.into_iter().zip(added) {
                pd.changed.push(ComponentChange {
                    ecosystem: r.ecosystem,
                    name: n.name,
                    from: r.version,
                    to: n.version,
                });
            }
        } else {
            pd.removed.extend(removed);
            pd.added.extend(added);
        }
    }
    // Findings by key: the heads of both snapshots merged, then the records read by key.
    let (ha, hb) = (s.finding_heads(a)?, s.finding_heads(b)?);
    let find = |h: &[FindingHead], key: &str| h.binary_search_by(|x| x.key.as_str().cmp(key));
    let appeared: Vec<&str> = hb
        .iter()
        .filter(|x| find(&ha, &x.key).is_err())
        .map(|x| x.key.as_str())
        .collect();
    let resolved: Vec<&str> = ha
        .iter()
        .filter(|x| find(&hb, &x.key).is_err())
        .map(|x| x.key.as_str())
        .collect();
    let changed: Vec<&str> = ha
        .iter()
        .filter(|x| {
            find(&hb, &x.key)
                .ok()
                .and_then(|i| hb.get(i))
                .is_some_and(|y| y != *x)
        })
        .map(|x| x.key.as_str())
        .collect();
    let before = findings_with(s, a, &changed)?;
    let after = findings_with(s, b, &changed)?;
    Ok(SnapshotDiff {
        from: a,
        to: b,
        projects_added: only_in(&pb, &pa),
        projects_removed: only_in(&pa, &pb),
        projects_changed: projects.into_values().collect(),
        findings_appeared: findings_with(s, b, &appeared)?,
        findings_resolved: findings_with(s, a, &resolved)?,
        findings_changed: before
            .into_iter()
            .zip(after)
            .map(|(before, after)| FindingChange { before, after })
            .collect(),
    })
}
