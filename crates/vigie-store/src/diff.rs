//! What changed between two snapshots: projects, components per project, findings.
//!
//! Components are compared per project path as sets of packages (purls); a package name
//! (ecosystem + normalised name) that left with one version and came with another is a
//! version change. When several versions of one name left and as many came, they are paired
//! in version order; otherwise they are reported as removed and added. Findings are compared
//! by key: a finding is *changed* when its rating, fixed version or known-exploited flag differs.

use std::collections::BTreeMap;

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::sqlite::{FINDING_COLUMNS, finding_from_row};
use crate::{FindingRecord, Result, SnapshotId};

/// A package as the diff names it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PackageRef {
    pub ecosystem: String,
    pub name: String,
    pub version: Option<String>,
    pub purl: String,
}

/// One package name whose version changed in a project.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentChange {
    pub ecosystem: String,
    pub name: String,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// The component changes of a project present in both snapshots.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProjectDiff {
    pub path: String,
    pub added: Vec<PackageRef>,
    pub removed: Vec<PackageRef>,
    pub changed: Vec<ComponentChange>,
}

/// A finding present in both snapshots whose rating, fix or exploitation changed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingChange {
    pub before: FindingRecord,
    pub after: FindingRecord,
}

/// The difference from snapshot `from` to snapshot `to`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SnapshotDiff {
    pub from: SnapshotId,
    pub to: SnapshotId,
    pub projects_added: Vec<String>,
    pub projects_removed: Vec<String>,
    /// Projects present in both whose components changed, by path.
    pub projects_changed: Vec<ProjectDiff>,
    pub findings_appeared: Vec<FindingRecord>,
    pub findings_resolved: Vec<FindingRecord>,
    pub findings_changed: Vec<FindingChange>,
}

fn project_paths(
    conn: &Connection,
    only_in: SnapshotId,
    not_in: SnapshotId,
) -> Result<Vec<String>> {
    let mut st = conn.prepare(
        "SELECT path FROM projects WHERE snapshot_id = ?1 EXCEPT
         SELECT path FROM projects WHERE snapshot_id = ?2 ORDER BY 1",
    )?;
    let rows = st.query_map(params![only_in, not_in], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<String>>>()?)
}

/// `(path, norm_name, package)` of the components of `only_in` not in `not_in`, for projects
/// in both.
fn packages_only_in(
    conn: &Connection,
    only_in: SnapshotId,
    not_in: SnapshotId,
) -> Result<Vec<(String, String, PackageRef)>> {
    let select = "SELECT p.path, k.norm_name, k.ecosystem, k.name, k.version, k.purl
        FROM components c JOIN projects p ON p.id = c.project_id
        JOIN packages k ON k.id = c.package_id WHERE p.snapshot_id = ";
    let sql = format!(
        "{select} ?1 AND p.path IN (SELECT path FROM projects WHERE snapshot_id = ?2)
         EXCEPT {select} ?2"
    );
    let mut st = conn.prepare(&sql)?;
    let rows = st.query_map(params![only_in, not_in], |r| {
        Ok((
            r.get(0)?,
            r.get(1)?,
            PackageRef {
                ecosystem: r.get(2)?,
                name: r.get(3)?,
                version: r.get(4)?,
                purl: r.get(5)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

fn findings(
    conn: &Connection,
    sql: &str,
    a: SnapshotId,
    b: SnapshotId,
) -> Result<Vec<FindingRecord>> {
    let mut st = conn.prepare(sql)?;
    let rows = st.query_map(params![a, b], finding_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
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
    type Group = (Vec<PackageRef>, Vec<PackageRef>);
    let mut groups: BTreeMap<(String, String, String), Group> = BTreeMap::new();
    for (path, norm, pkg) in packages_only_in(conn, a, b)? {
        let key = (path, pkg.ecosystem.clone(), norm);
        groups.entry(key).or_default().0.push(pkg);
    }
    for (path, norm, pkg) in packages_only_in(conn, b, a)? {
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
