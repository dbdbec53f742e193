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

use crate::sqlite::Db;
use std::collections::{BTreeMap, HashMap};

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::sqlite::{FINDING_COLUMNS, finding_from_row};
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

fn project_paths(
    conn: &Connection,
    only_in: SnapshotId,
    not_in: SnapshotId,
) -> Result<Vec<String>> {
    let mut st = conn
        .prepare(
            "SELECT path FROM projects WHERE snapshot_id = ?1 EXCEPT
         SELECT path FROM projects WHERE snapshot_id = ?2 ORDER BY 1",
        )
        .db()?;
    let rows = st.query_map(params![only_in, not_in], |r| r.get(0)).db()?;
    rows.collect::<rusqlite::Result<Vec<String>>>().db()
}

/// The distinct package ids of a list, sorted.
fn list_packages(conn: &Connection, list: Option<i64>) -> Result<Vec<i64>> {
    let data = crate::lists::list_data(conn, list)?;
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
    conn: &Connection,
    a: SnapshotId,
    b: SnapshotId,
) -> Result<(Vec<(String, i64)>, Vec<(String, i64)>)> {
    let mut st = conn
        .prepare(
            "SELECT pa.path, pa.list_id, pb.list_id FROM projects pa
         JOIN projects pb ON pb.path = pa.path AND pb.snapshot_id = ?2
         WHERE pa.snapshot_id = ?1 AND pa.list_id IS NOT pb.list_id ORDER BY pa.path",
        )
        .db()?;
    let changed = st
        .query_map(params![a, b], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?,
                r.get::<_, Option<i64>>(2)?,
            ))
        })
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()?;
    let (mut removed, mut added) = (Vec::new(), Vec::new());
    for (path, la, lb) in changed {
        let ids_a = list_packages(conn, la)?;
        let ids_b = list_packages(conn, lb)?;
        for id in &ids_a {
            if ids_b.binary_search(id).is_err() {
                removed.push((path.clone(), *id));
            }
        }
        for id in &ids_b {
            if ids_a.binary_search(id).is_err() {
                added.push((path.clone(), *id));
            }
        }
    }
    Ok((removed, added))
}

/// The normalised name and the reference of a package.
fn package(
    conn: &Connection,
    cache: &mut HashMap<i64, (String, PackageRef)>,
    id: i64,
) -> Result<(String, PackageRef)> {
    if let Some(p) = cache.get(&id) {
        return Ok(p.clone());
    }
    let p = conn
        .prepare_cached(
            "SELECT norm_name, ecosystem, name, version, purl FROM packages WHERE id = ?1",
        )
        .db()?
        .query_row([id], |r| {
            Ok((
                r.get(0)?,
                PackageRef {
                    ecosystem: r.get(1)?,
                    name: r.get(2)?,
                    version: r.get(3)?,
                    purl: r.get(4)?,
                },
            ))
        })
        .db()?;
    cache.insert(id, p.clone());
    Ok(p)
}

fn findings(
    conn: &Connection,
    sql: &str,
    a: SnapshotId,
    b: SnapshotId,
) -> Result<Vec<FindingRecord>> {
    let mut st = conn.prepare(sql).db()?;
    let rows = st.query_map(params![a, b], finding_from_row).db()?;
    rows.collect::<rusqlite::Result<Vec<_>>>().db()
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

pub(crate) fn diff(conn: &Connection, a: SnapshotId, b: SnapshotId) -> Result<SnapshotDiff> {
    type Sides = (Vec<PackageRef>, Vec<PackageRef>);
    let mut groups: BTreeMap<(String, String, String), Sides> = BTreeMap::new();
    let mut cache = HashMap::new();
    let (removed, added) = package_changes(conn, a, b)?;
    for (path, id) in removed {
        let (norm, pkg) = package(conn, &mut cache, id)?;
        let key = (path, pkg.ecosystem.clone(), norm);
        groups.entry(key).or_default().0.push(pkg);
    }
    for (path, id) in added {
        let (norm, pkg) = package(conn, &mut cache, id)?;
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
    let appeared = format!(
        "SELECT {FINDING_COLUMNS} FROM findings f JOIN projects p ON p.id = f.project_id
         WHERE f.snapshot_id = ?2 AND NOT EXISTS
           (SELECT 1 FROM findings g WHERE g.snapshot_id = ?1 AND g.key = f.key)
         ORDER BY f.key"
    );
    let changed_sql = |side: &str| {
        format!(
            "SELECT {FINDING_COLUMNS} FROM findings f JOIN projects p ON p.id = f.project_id
             JOIN findings g ON g.key = f.key
             WHERE f.snapshot_id = ?{side} AND g.snapshot_id = ?{other}
               AND (f.rating IS NOT g.rating OR f.fixed IS NOT g.fixed
                    OR f.known_exploited IS NOT g.known_exploited)
             ORDER BY f.key",
            other = if side == "1" { "2" } else { "1" }
        )
    };
    let before = findings(conn, &changed_sql("1"), a, b)?;
    let after = findings(conn, &changed_sql("2"), a, b)?;
    Ok(SnapshotDiff {
        from: a,
        to: b,
        projects_added: project_paths(conn, b, a)?,
        projects_removed: project_paths(conn, a, b)?,
        projects_changed: projects.into_values().collect(),
        findings_appeared: findings(conn, &appeared, a, b)?,
        findings_resolved: findings(conn, &appeared, b, a)?,
        findings_changed: before
            .into_iter()
            .zip(after)
            .map(|(before, after)| FindingChange { before, after })
            .collect(),
    })
}
