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

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::query::{LinkedEntity, linked_entities};
use crate::storage::{Packages, Storage, project_data};
use crate::{CatalogData, EntityRecord, FindingRecord, ProjectData, Result, SnapshotId};

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

/// The "depends on" edges of a catalog, forward and backward.
fn graph(catalog: &CatalogData) -> (Graph, Graph) {
    let mut fwd: Graph = HashMap::new();
    let mut back: Graph = HashMap::new();
    let mut add = |a: &str, b: &str| {
        back.entry(b.to_owned()).or_default().push(a.to_owned());
        fwd.entry(a.to_owned()).or_default().push(b.to_owned());
    };
    let relations = catalog
        .relations
        .iter()
        .map(|r| (r.source.as_str(), r.relation.as_str(), r.target.as_str()));
    let parts = catalog.entities.iter().filter_map(|e| {
        let system = e.system.as_deref()?;
        Some((system, "hasPart", e.entity_ref.as_str()))
    });
    for (s, rel, t) in relations.chain(parts) {
        match rel {
            "dependsOn" | "consumesApi" | "consumesApis" | "apiProvidedBy" | "hasPart" => add(s, t),
            "dependencyOf" | "providesApi" | "providesApis" | "apiConsumedBy" | "partOf" => {
                add(t, s)
            }
            _ => {}
        }
    }
    (fwd, back)
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

/// The project at `path` in `snapshot`, found by its path alone.
pub(crate) fn project_view(
    s: &dyn Storage,
    snapshot: SnapshotId,
    path: &str,
) -> Result<Option<ProjectView>> {
    let Some(pid) = s.project_id(snapshot, path)? else {
        return Ok(None);
    };
    let catalog = s.catalog(snapshot)?;
    let graphs = graph(&catalog);
    view_of(s, snapshot, pid, &graphs, &mut Packages::default()).map(Some)
}

/// Project `pid` of `snapshot` with its catalog elements and what they depend on, and what
/// depends on them, over `graphs` (forward, backward).
fn view_of(
    s: &dyn Storage,
    snapshot: SnapshotId,
    pid: i64,
    (fwd, back): &(Graph, Graph),
    packages: &mut Packages,
) -> Result<ProjectView> {
    let entities = linked_entities(s, snapshot, pid)?;
    let start: Vec<String> = entities.iter().map(|e| e.entity_ref.clone()).collect();
    Ok(ProjectView {
        data: project_data(s, packages, pid)?,
        entities,
        depends_on: closure(fwd, &start),
        depended_on_by: closure(back, &start),
    })
}

/// The projects and elements called `name` in `snapshot`.
pub(crate) fn show(s: &dyn Storage, snapshot: SnapshotId, name: &str) -> Result<Vec<Shown>> {
    let name = name.trim();
    let catalog = s.catalog(snapshot)?;
    let graphs = graph(&catalog);
    let mut out = Vec::new();
    let mut packages = Packages::default();
    let mut projects: Vec<i64> = s
        .projects(snapshot)?
        .into_iter()
        .filter(|p| p.path == name || p.name == name)
        .map(|p| p.id)
        .collect();
    projects.sort_unstable();
    for pid in projects {
        let view = view_of(s, snapshot, pid, &graphs, &mut packages)?;
        out.push(Shown::Project(Box::new(view)));
    }
    // Names compare as SQLite's NOCASE did: ASCII letters without case.
    let named = catalog
        .entities
        .iter()
        .filter(|e| e.entity_ref == name || e.name.eq_ignore_ascii_case(name));
    let mut links: Option<Vec<(i64, LinkedEntity)>> = None;
    for entity in named {
        let links = match &mut links {
            Some(l) => l,
            None => links.insert(s.linked_entities(snapshot, None)?),
        };
        out.push(Shown::Entity(Box::new(entity_view(
            s,
            &mut packages,
            &catalog,
            links,
            entity.clone(),
            &graphs.0,
            &graphs.1,
        )?)));
    }
    Ok(out)
}

fn entity_view(
    s: &dyn Storage,
    cache: &mut Packages,
    catalog: &CatalogData,
    links: &[(i64, LinkedEntity)],
    entity: EntityRecord,
    fwd: &Graph,
    back: &Graph,
) -> Result<EntityView> {
    let parts: Vec<String> = catalog
        .entities
        .iter()
        .filter(|e| e.system.as_deref() == Some(entity.entity_ref.as_str()))
        .map(|e| e.entity_ref.clone())
        .collect();
    let project_ids: BTreeSet<i64> = links
        .iter()
        .filter(|(_, l)| l.entity_ref == entity.entity_ref || parts.contains(&l.entity_ref))
        .map(|(id, _)| *id)
        .collect();
    let mut projects = Vec::new();
    let mut packages = BTreeSet::new();
    let mut findings = Vec::new();
    for pid in project_ids {
        let data = project_data(s, cache, pid)?;
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
