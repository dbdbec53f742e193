//! `show`: one project or catalog element with its components, findings, owners, what it
//! depends on and what depends on it (the blast radius).
//!
//! Dependencies are the catalog's relations, read as "A depends on B": `dependsOn` (A→B),
//! `dependencyOf` (B→A), `consumesApi(s)` (A→API), `providesApi(s)` (API→provider: using an
//! API is depending on whoever provides it), `apiProvidedBy` (API→provider), `apiConsumedBy`
//! (consumer→API), and membership: a whole depends on its parts (`hasPart`, `partOf`, and
//! an element's `system`), so a system is hit when one of its parts' dependencies is. Both
//! directions are closed transitively, visiting each element once (cycles are harmless), up to
//! [`MAX_GRAPH_NODES`] elements.

use crate::sqlite::Db;
use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::query::{LinkedEntity, linked_entities};
use crate::sqlite::{FINDING_COLUMNS, Packages, finding_from_row, json_column, list_components};
use crate::{EntityRecord, FindingRecord, ProjectData, ProjectRecord, Result, SnapshotId};

/// The most elements a dependency closure visits.
pub const MAX_GRAPH_NODES: usize = 100_000;

/// A project as `show` gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProjectView {
    #[serde(flatten)]
    /// The project with its components and findings.
    pub data: ProjectData,
    /// The catalog elements linked to it.
    pub entities: Vec<LinkedEntity>,
    /// Elements that its elements depend on, transitively, sorted.
    pub depends_on: Vec<String>,
    /// Elements that depend on its elements, transitively, sorted.
    pub depended_on_by: Vec<String>,
}

/// A catalog element as `show` gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EntityView {
    /// The element.
    pub entity: EntityRecord,
    /// Elements whose `system` is this one.
    pub parts: Vec<String>,
    /// Paths of the projects linked to it or to one of its parts.
    pub projects: Vec<String>,
    /// Distinct purls of those projects' components.
    pub packages: Vec<String>,
    /// Those projects' findings.
    pub findings: Vec<FindingRecord>,
    /// Elements it depends on, transitively, sorted.
    pub depends_on: Vec<String>,
    /// Elements that depend on it, transitively, sorted.
    pub depended_on_by: Vec<String>,
}

/// What `show` found under a name.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Shown {
    /// A project, by path or name.
    Project(Box<ProjectView>),
    /// A catalog element, by reference or name.
    Entity(Box<EntityView>),
}

type Graph = HashMap<String, Vec<String>>;

/// The "depends on" edges of a snapshot, forward and backward.
fn graph(conn: &Connection, snapshot: SnapshotId) -> Result<(Graph, Graph)> {
    let mut fwd: Graph = HashMap::new();
    let mut back: Graph = HashMap::new();
    let mut add = |a: String, b: String| {
        back.entry(b.clone()).or_default().push(a.clone());
        fwd.entry(a).or_default().push(b);
    };
    let mut st = conn
        .prepare(
            "SELECT source, relation, target FROM relations WHERE snapshot_id = ?1
         UNION ALL SELECT system, 'hasPart', entity_ref FROM entities
           WHERE snapshot_id = ?1 AND system IS NOT NULL",
        )
        .db()?;
    let rows = st
        .query_map([snapshot], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })
        .db()?;
    for row in rows {
        let (s, rel, t) = row.db()?;
        match rel.as_str() {
            "dependsOn" | "consumesApi" | "consumesApis" | "apiProvidedBy" | "hasPart" => add(s, t),
            "dependencyOf" | "providesApi" | "providesApis" | "apiConsumedBy" | "partOf" => {
                add(t, s)
            }
            _ => {}
        }
    }
    Ok((fwd, back))
}

/// Every element reachable from `start` (excluded), sorted.
fn closure(g: &Graph, start: &[String]) -> Vec<String> {
    let mut seen: HashSet<&str> = start.iter().map(String::as_str).collect();
    let mut queue: VecDeque<&str> = start.iter().map(String::as_str).collect();
    let mut out = BTreeSet::new();
    while let Some(n) = queue.pop_front() {
        for m in g.get(n).into_iter().flatten() {
            if seen.len() >= MAX_GRAPH_NODES {
                return out.into_iter().collect();
            }
            if seen.insert(m) {
                out.insert(m.clone());
                queue.push_back(m);
            }
        }
    }
    out.into_iter().collect()
}

/// A project's whole data in a snapshot.
pub(crate) fn project_data(
    conn: &Connection,
    packages: &mut Packages,
    project_id: i64,
) -> Result<ProjectData> {
    let (project, list) = conn
        .query_row(
            "SELECT path, name, files, list_id, licence_categories FROM projects WHERE id = ?1",
            [project_id],
            |r| {
                let categories: Option<String> = r.get(4)?;
                Ok((
                    ProjectRecord {
                        path: r.get(0)?,
                        name: r.get(1)?,
                        files: json_column(r, 2)?,
                        licence_categories: categories
                            .and_then(|j| serde_json::from_str(&j).ok())
                            .unwrap_or_default(),
                    },
                    r.get::<_, Option<i64>>(3)?,
                ))
            },
        )
        .db()?;
    let components = list_components(conn, packages, list)?;
    let mut st = conn
        .prepare_cached(&format!(
            "SELECT {FINDING_COLUMNS} FROM findings f JOIN projects p ON p.id = f.project_id
         WHERE f.project_id = ?1 ORDER BY f.rowid"
        ))
        .db()?;
    let findings = st
        .query_map([project_id], finding_from_row)
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()?;
    Ok(ProjectData {
        project,
        components,
        findings,
    })
}

/// The column list [`entity_from_row`] reads.
pub(crate) const ENTITY_COLUMNS: &str = "entity_ref, kind, name, title, owners, system, \
     criticality, internet_exposed, personal_data, repositories, json";

pub(crate) fn entity_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<EntityRecord> {
    Ok(EntityRecord {
        entity_ref: r.get(0)?,
        kind: r.get(1)?,
        name: r.get(2)?,
        title: r.get(3)?,
        owners: json_column(r, 4)?,
        system: r.get(5)?,
        criticality: r.get(6)?,
        internet_exposed: r.get(7)?,
        personal_data: r.get(8)?,
        repositories: json_column(r, 9)?,
        json: json_column(r, 10)?,
    })
}

fn ids(conn: &Connection, sql: &str, snapshot: SnapshotId, name: &str) -> Result<Vec<i64>> {
    let mut st = conn.prepare(sql).db()?;
    let rows = st.query_map(params![snapshot, name], |r| r.get(0)).db()?;
    rows.collect::<rusqlite::Result<Vec<i64>>>().db()
}

/// The projects and elements called `name` in `snapshot`.
pub fn show(conn: &Connection, snapshot: SnapshotId, name: &str) -> Result<Vec<Shown>> {
    let name = name.trim();
    let (fwd, back) = graph(conn, snapshot)?;
    let mut out = Vec::new();
    let mut packages = Packages::default();
    let projects = ids(
        conn,
        "SELECT id FROM projects WHERE snapshot_id = ?1 AND (path = ?2 OR name = ?2) ORDER BY id",
        snapshot,
        name,
    )?;
    for pid in projects {
        let entities = linked_entities(conn, snapshot, pid)?;
        let start: Vec<String> = entities.iter().map(|e| e.entity_ref.clone()).collect();
        out.push(Shown::Project(Box::new(ProjectView {
            data: project_data(conn, &mut packages, pid)?,
            entities,
            depends_on: closure(&fwd, &start),
            depended_on_by: closure(&back, &start),
        })));
    }
    let mut st = conn
        .prepare(&format!(
            "SELECT {ENTITY_COLUMNS} FROM entities WHERE snapshot_id = ?1
           AND (entity_ref = ?2 OR name = ?2 COLLATE NOCASE) ORDER BY seq"
        ))
        .db()?;
    let entities = st
        .query_map(params![snapshot, name], entity_from_row)
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()?;
    for entity in entities {
        out.push(Shown::Entity(Box::new(entity_view(
            conn,
            &mut packages,
            snapshot,
            entity,
            &fwd,
            &back,
        )?)));
    }
    Ok(out)
}

fn entity_view(
    conn: &Connection,
    cache: &mut Packages,
    snapshot: SnapshotId,
    entity: EntityRecord,
    fwd: &Graph,
    back: &Graph,
) -> Result<EntityView> {
    let mut st = conn
        .prepare_cached(
            "SELECT entity_ref FROM entities WHERE snapshot_id = ?1 AND system = ?2 ORDER BY seq",
        )
        .db()?;
    let parts = st
        .query_map(params![snapshot, entity.entity_ref], |r| r.get(0))
        .db()?
        .collect::<rusqlite::Result<Vec<String>>>()
        .db()?;
    let mut refs = parts.clone();
    refs.push(entity.entity_ref.clone());
    let mut project_ids = BTreeSet::new();
    let mut st = conn
        .prepare_cached(
            "SELECT l.project_id FROM project_links l JOIN projects p ON p.id = l.project_id
         WHERE p.snapshot_id = ?1 AND l.entity_ref = ?2",
        )
        .db()?;
    for r in &refs {
        for id in st
            .query_map(params![snapshot, r], |r| r.get::<_, i64>(0))
            .db()?
        {
            project_ids.insert(id.db()?);
        }
    }
    let mut projects = Vec::new();
    let mut packages = BTreeSet::new();
    let mut findings = Vec::new();
    for pid in project_ids {
        let data = project_data(conn, cache, pid)?;
        projects.push(data.project.path);
        packages.extend(data.components.into_iter().map(|c| c.purl));
        findings.extend(data.findings);
    }
    projects.sort();
    let start = [entity.entity_ref.clone()];
    Ok(EntityView {
        depends_on: closure(fwd, &start),
        depended_on_by: closure(back, &start),
        entity,
        parts,
        projects,
        packages: packages.into_iter().collect(),
        findings,
    })
}
