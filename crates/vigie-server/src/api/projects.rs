//! `GET /api/v1/projects` (filters, keyset by path) and `GET /api/v1/projects/{path}`.
//!
//! A project's path holds `/`: in the URL it is one percent-encoded segment
//! (`/api/v1/projects/services%2Fbilling`); a raw `/` makes another path, which is a 404.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use vigie_store::LinkedEntity;

use super::estate::{ProjectEntry, lists};
use super::findings::FindingItem;
use super::{ApiError, Params, json, page_schema, paginate};
use crate::state::AppState;

/// A project in the list.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProjectItem {
    /// Folder relative to the scan root; unique within a snapshot.
    path: String,
    /// Its name (the manifest's, else the folder's).
    name: String,
    /// Components found in it.
    components: u64,
    /// The ecosystems of its components (OSV names).
    ecosystems: Vec<String>,
    /// Its findings.
    findings: u64,
    /// Owners of the catalog elements holding its code and of their systems.
    owners: Vec<String>,
    /// The systems those elements belong to.
    systems: Vec<String>,
}

impl From<&ProjectEntry> for ProjectItem {
    fn from(p: &ProjectEntry) -> ProjectItem {
        ProjectItem {
            path: p.path.clone(),
            name: p.name.clone(),
            components: p.components,
            ecosystems: p.ecosystems.clone(),
            findings: p.findings,
            owners: p.owners.clone(),
            systems: p.systems.clone(),
        }
    }
}

page_schema!(ProjectPage, ProjectItem);

/// `text` names the entity reference `r` (`group:default/pay`, or just `pay`).
pub(crate) fn names_ref(r: &str, text: &str) -> bool {
    r.eq_ignore_ascii_case(text)
        || r.rsplit(['/', ':'])
            .next()
            .is_some_and(|n| n.eq_ignore_ascii_case(text))
}

/// The projects of a snapshot, by path.
#[utoipa::path(get, path = "/api/v1/projects", tag = "projects",
    params(
        super::vocab::AtSnapshot,
        ("q" = Option<String>, Query, description = "A substring of the path or name (case-insensitive)"),
        ("owner" = Option<String>, Query, description = "An owner's entity reference or name"),
        ("system" = Option<String>, Query, description = "A system's entity reference or name"),
        ("ecosystem" = Option<String>, Query, description = "An ecosystem of its components (`npm`, `PyPI`, `Maven`...)"),
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of projects, by path", body = ProjectPage)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(
        q.as_deref(),
        &[
            "snapshot",
            "q",
            "owner",
            "system",
            "ecosystem",
            "limit",
            "after",
        ],
    )?;
    let page = params.page()?;
    let text = params.str("q").map(str::to_lowercase);
    let owner = params.str("owner");
    let system = params.str("system");
    let ecosystem = params.str("ecosystem");
    let snapshot = params.snapshot(&state).await?;
    let lists = lists(&state, snapshot).await?;
    let keep = |p: &ProjectEntry| {
        text.as_deref()
            .is_none_or(|t| p.path.to_lowercase().contains(t) || p.name.to_lowercase().contains(t))
            && owner.is_none_or(|o| p.owners.iter().any(|r| names_ref(r, o)))
            && system.is_none_or(|s| p.systems.iter().any(|r| names_ref(r, s)))
            && ecosystem.is_none_or(|e| p.ecosystems.iter().any(|x| x.eq_ignore_ascii_case(e)))
    };
    json(
        &headers,
        &paginate(
            &lists.projects,
            |p| p.path.as_str(),
            keep,
            &page,
            |p| ProjectItem::from(p),
        ),
    )
}

/// A component of a project.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProjectComponent {
    /// Its ecosystem (OSV name).
    ecosystem: String,
    /// Its name.
    name: String,
    /// Its version; `null` when unresolved.
    version: Option<String>,
    /// Its Package URL.
    purl: String,
    /// `runtime`, `dev`, `optional`, `build` or `unknown`.
    scope: String,
    /// `direct`, `transitive` or `unknown`.
    relation: String,
    /// Its declared licence, when known.
    licence: Option<String>,
    /// The line of the file it was read from.
    line: Option<u32>,
}

/// A catalog element linked to a project.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct LinkedEntityItem {
    /// Its reference (`component:default/billing`).
    pub(crate) entity_ref: String,
    /// Its kind.
    pub(crate) kind: String,
    /// Its name.
    pub(crate) name: String,
    /// Its system, if any.
    pub(crate) system: Option<String>,
    /// Its owners (through its system too).
    pub(crate) owners: Vec<String>,
}

impl From<&LinkedEntity> for LinkedEntityItem {
    fn from(e: &LinkedEntity) -> LinkedEntityItem {
        LinkedEntityItem {
            entity_ref: e.entity_ref.clone(),
            kind: e.kind.clone(),
            name: e.name.clone(),
            system: e.system.clone(),
            owners: e.owners.clone(),
        }
    }
}

/// A project with everything stored about it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ProjectDetail {
    /// The snapshot it is read from.
    snapshot: i64,
    /// Its path.
    path: String,
    /// Its name.
    name: String,
    /// The files it was read from.
    files: Vec<String>,
    /// Components per licence category, when the licence check ran.
    licence_categories: std::collections::BTreeMap<String, u64>,
    /// Its components, in the order they were read.
    components: Vec<ProjectComponent>,
    /// Its findings.
    findings: Vec<FindingItem>,
    /// The catalog elements holding its code.
    entities: Vec<LinkedEntityItem>,
    /// Their owners and their systems' owners.
    owners: Vec<String>,
    /// Their systems.
    systems: Vec<String>,
    /// Catalog elements its elements depend on, transitively.
    depends_on: Vec<String>,
    /// Catalog elements depending on its elements, transitively.
    depended_on_by: Vec<String>,
}

/// One project, by its path (percent-encoded, `/` as `%2F`).
#[utoipa::path(get, path = "/api/v1/projects/{path}", tag = "projects",
    params(
        ("path" = String, Path, description = "The project's path, percent-encoded as one segment (`a%2Fb`)"),
        super::vocab::AtSnapshot,
    ),
    responses((status = 200, description = "The project", body = ProjectDetail)))]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(path): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["snapshot"])?;
    let snapshot = params.snapshot(&state).await?;
    let lists = lists(&state, snapshot).await?;
    let entry = lists
        .projects
        .binary_search_by(|p| p.path.as_str().cmp(&path))
        .map(|i| &lists.projects[i])
        .map_err(|_| ApiError::NotFound(format!("no project {path:?} in snapshot {snapshot}")))?;
    let (owners, systems) = (entry.owners.clone(), entry.systems.clone());
    let stores = state.stores()?.clone();
    let wanted = path.clone();
    let view = stores
        .read(move |s| Ok(s.project_view(snapshot, &wanted)?))
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no project {path:?} in snapshot {snapshot}")))?;
    let p = &view.data.project;
    let detail = ProjectDetail {
        snapshot,
        path: p.path.clone(),
        name: p.name.clone(),
        files: p.files.clone(),
        licence_categories: p.licence_categories.clone(),
        components: view
            .data
            .components
            .iter()
            .map(|c| ProjectComponent {
                ecosystem: c.ecosystem.to_string(),
                name: c.name.clone(),
                version: c.version.clone(),
                purl: c.purl.clone(),
                scope: c.scope.as_str().to_owned(),
                relation: c.relation.as_str().to_owned(),
                licence: c.licence.clone(),
                line: c.line,
            })
            .collect(),
        findings: view.data.findings.iter().map(FindingItem::of).collect(),
        entities: view.entities.iter().map(LinkedEntityItem::from).collect(),
        owners,
        systems,
        depends_on: view.depends_on.clone(),
        depended_on_by: view.depended_on_by.clone(),
    };
    json(&headers, &detail)
}
