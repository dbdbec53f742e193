//! Whole-snapshot reads for the executive report: every finding, the catalog, the
//! project → catalog links, and the components streamed list by list (an estate of 10,000
//! repositories has millions of components: they are never collected here).

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::show::{ENTITY_COLUMNS, entity_from_row};
use crate::sqlite::{FINDING_COLUMNS, Packages, finding_from_row};
use crate::{EntityRecord, FindingRecord, RelationRecord, Result, SnapshotId};

/// One component of a snapshot, as the report reads it (borrowed for the callback's time).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComponentRow<'a> {
    /// The project's path.
    pub project_path: &'a str,
    /// The OSV ecosystem name (`npm`, `PyPI`, `Maven`).
    pub ecosystem: &'a str,
    pub name: &'a str,
    /// `None` when unresolved.
    pub version: Option<&'a str>,
    pub purl: &'a str,
    /// The licence expression the reader found, if any.
    pub licence: Option<&'a str>,
}

/// A project path and a catalog element that holds its code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ProjectLink {
    pub project_path: String,
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

pub(crate) fn findings(conn: &Connection, snapshot: SnapshotId) -> Result<Vec<FindingRecord>> {
    let mut st = conn.prepare(&format!(
        "SELECT {FINDING_COLUMNS} FROM findings f JOIN projects p ON f.project_id = p.id
         WHERE f.snapshot_id = ?1 ORDER BY f.key"
    ))?;
    let rows = st.query_map([snapshot], finding_from_row)?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn catalog(conn: &Connection, snapshot: SnapshotId) -> Result<CatalogData> {
    let mut st = conn.prepare(&format!(
        "SELECT {ENTITY_COLUMNS} FROM entities WHERE snapshot_id = ?1 ORDER BY seq"
    ))?;
    let entities = st
        .query_map([snapshot], entity_from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut st = conn.prepare(
        "SELECT source, relation, target FROM relations WHERE snapshot_id = ?1 ORDER BY seq",
    )?;
    let relations = st
        .query_map([snapshot], |r| {
            Ok(RelationRecord {
                source: r.get(0)?,
                relation: r.get(1)?,
                target: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(CatalogData {
        entities,
        relations,
    })
}

pub(crate) fn project_links(conn: &Connection, snapshot: SnapshotId) -> Result<Vec<ProjectLink>> {
    let mut st = conn.prepare(
        "SELECT p.path, l.entity_ref FROM project_links l JOIN projects p ON l.project_id = p.id
         WHERE p.snapshot_id = ?1 ORDER BY p.path, l.entity_ref",
    )?;
    let rows = st.query_map([snapshot], |r| {
        Ok(ProjectLink {
            project_path: r.get(0)?,
            entity_ref: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

pub(crate) fn project_paths(conn: &Connection, snapshot: SnapshotId) -> Result<Vec<String>> {
    let mut st = conn.prepare("SELECT path FROM projects WHERE snapshot_id = ?1 ORDER BY path")?;
    let rows = st.query_map([snapshot], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
}

/// Calls `each` once per component of the snapshot, project by project in path order, in
/// each project in the order of its input; a list that cannot be read stops with its error.
pub(crate) fn for_each_component(
    conn: &Connection,
    snapshot: SnapshotId,
    each: &mut dyn FnMut(&ComponentRow<'_>),
) -> Result<()> {
    let mut st =
        conn.prepare("SELECT path, list_id FROM projects WHERE snapshot_id = ?1 ORDER BY path")?;
    let projects = st
        .query_map(params![snapshot], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<i64>>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut packages = Packages::default();
    for (path, list) in &projects {
        let data = crate::lists::list_data(conn, *list)?;
        for e in crate::lists::decode(&data)? {
            let k = packages.get(conn, e.package)?;
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
