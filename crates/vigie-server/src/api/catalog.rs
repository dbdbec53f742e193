//! `GET /api/v1/catalog/entities` (by reference, filtered by kind, owner or text) and
//! `GET /api/v1/catalog/entities/{ref}`: the catalog elements of a snapshot, an element with
//! its parts, projects, findings and dependencies (as `vigie show` gives them). A reference
//! holds `:` and `/`: in the URL it is one percent-encoded segment
//! (`component%3Adefault%2Fbilling`).

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use vigie_store::{EntityRecord, Shown};

use super::findings::FindingItem;
use super::projects::names_ref;
use super::{ApiError, Params, json, page_schema, paginate};
use crate::state::AppState;

/// A catalog element.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EntityItem {
    /// `kind:namespace/name`.
    entity_ref: String,
    /// `system`, `component`, `resource`, `group`...
    kind: String,
    /// Its name.
    name: String,
    /// Its display title.
    title: Option<String>,
    /// Its owners (entity references).
    owners: Vec<String>,
    /// Its system (an entity reference).
    system: Option<String>,
    /// Its criticality level, when the catalog gives one.
    criticality: Option<u8>,
    /// Reachable from the internet (`null`: not said).
    internet_exposed: Option<bool>,
    /// Handles personal data.
    personal_data: bool,
    /// The repositories holding its code.
    repositories: Vec<String>,
}

impl From<&EntityRecord> for EntityItem {
    fn from(e: &EntityRecord) -> EntityItem {
        EntityItem {
            entity_ref: e.entity_ref.clone(),
            kind: e.kind.clone(),
            name: e.name.clone(),
            title: e.title.clone(),
            owners: e.owners.clone(),
            system: e.system.clone(),
            criticality: e.criticality,
            internet_exposed: e.internet_exposed,
            personal_data: e.personal_data,
            repositories: e.repositories.clone(),
        }
    }
}

page_schema!(EntityPage, EntityItem);

/// The catalog elements of a snapshot, by reference.
#[utoipa::path(get, path = "/api/v1/catalog/entities", tag = "catalog",
    params(
        super::vocab::AtSnapshot,
        ("kind" = Option<String>, Query, description = "The kind (`system`, `component`...), case-insensitive"),
        ("owner" = Option<String>, Query, description = "An owner's entity reference or name"),
        ("q" = Option<String>, Query, description = "A substring of the reference or title (case-insensitive)"),
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of catalog elements", body = EntityPage)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(
        q.as_deref(),
        &["snapshot", "kind", "owner", "q", "limit", "after"],
    )?;
    let page = params.page()?;
    let kind = params.str("kind");
    let owner = params.str("owner");
    let text = params.str("q").map(str::to_lowercase);
    let snapshot = params.snapshot(&state).await?;
    let stores = state.stores()?.clone();
    let mut entities = stores
        .read(move |s| Ok(s.catalog(snapshot)?.entities))
        .await?;
    entities.sort_by(|a, b| a.entity_ref.cmp(&b.entity_ref));
    let keep = |e: &EntityRecord| {
        kind.is_none_or(|k| e.kind.eq_ignore_ascii_case(k))
            && owner.is_none_or(|o| e.owners.iter().any(|r| names_ref(r, o)))
            && text.as_deref().is_none_or(|t| {
                e.entity_ref.to_lowercase().contains(t)
                    || e.title
                        .as_deref()
                        .is_some_and(|x| x.to_lowercase().contains(t))
            })
    };
    json(
        &headers,
        &paginate(
            &entities,
            |e| e.entity_ref.as_str(),
            keep,
            &page,
            |e| EntityItem::from(e),
        ),
    )
}

/// A catalog element with what it holds.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct EntityDetail {
    /// The snapshot it is read from.
    snapshot: i64,
    /// The element.
    entity: EntityItem,
    /// The element as the catalog gave it.
    #[schema(value_type = Object)]
    definition: serde_json::Value,
    /// Elements whose system is this one.
    parts: Vec<String>,
    /// Paths of the projects linked to it or to one of its parts.
    projects: Vec<String>,
    /// Distinct purls of those projects' components.
    packages: Vec<String>,
    /// Those projects' findings.
    findings: Vec<FindingItem>,
    /// Elements it depends on, transitively.
    depends_on: Vec<String>,
    /// Elements that depend on it, transitively.
    depended_on_by: Vec<String>,
}

/// One catalog element, by reference (percent-encoded).
#[utoipa::path(get, path = "/api/v1/catalog/entities/{ref}", tag = "catalog",
    params(
        ("ref" = String, Path, description = "The element's reference, percent-encoded as one segment (`component%3Adefault%2Fbilling`)"),
        super::vocab::AtSnapshot,
    ),
    responses((status = 200, description = "The element", body = EntityDetail)))]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(entity_ref): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["snapshot"])?;
    let snapshot = params.snapshot(&state).await?;
    let stores = state.stores()?.clone();
    let wanted = entity_ref.clone();
    let shown = stores.read(move |s| Ok(s.show(snapshot, &wanted)?)).await?;
    let view = shown
        .into_iter()
        .find_map(|s| match s {
            Shown::Entity(v) if v.entity.entity_ref == entity_ref => Some(v),
            _ => None,
        })
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no catalog element {entity_ref:?} in snapshot {snapshot}"
            ))
        })?;
    json(
        &headers,
        &EntityDetail {
            snapshot,
            entity: EntityItem::from(&view.entity),
            definition: if view.entity.json.is_object() {
                view.entity.json.clone()
            } else {
                serde_json::json!({})
            },
            parts: view.parts.clone(),
            projects: view.projects.clone(),
            packages: view.packages.clone(),
            findings: view.findings.iter().map(FindingItem::of).collect(),
            depends_on: view.depends_on.clone(),
            depended_on_by: view.depended_on_by.clone(),
        },
    )
}
