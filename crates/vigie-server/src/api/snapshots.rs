//! `GET /api/v1/snapshots` and `GET /api/v1/snapshots/{id}`: the stored snapshots, oldest
//! first, with their sizes.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use vigie_store::SnapshotInfo;

use super::{ApiError, Params, json, page_schema, paginate};
use crate::state::AppState;

/// A snapshot of the estate.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SnapshotItem {
    /// Its id: increasing, never reused.
    id: i64,
    /// When it was taken (RFC 3339).
    taken_at: String,
    /// The version of vigie that took it.
    tool_version: String,
    /// The folders scanned.
    roots: Vec<String>,
    /// The label given, if any.
    label: Option<String>,
    /// Projects in it.
    projects: u64,
    /// Components over its projects.
    components: u64,
    /// Findings.
    findings: u64,
    /// Catalog elements.
    entities: u64,
}

impl From<&SnapshotInfo> for SnapshotItem {
    fn from(i: &SnapshotInfo) -> SnapshotItem {
        SnapshotItem {
            id: i.id,
            taken_at: i.meta.taken_at.clone(),
            tool_version: i.meta.tool_version.clone(),
            roots: i.meta.roots.clone(),
            label: i.meta.label.clone(),
            projects: i.projects,
            components: i.components,
            findings: i.findings,
            entities: i.entities,
        }
    }
}

page_schema!(SnapshotPage, SnapshotItem);

/// The sort key of a snapshot: its id, zero-padded so that keys sort as ids do.
fn key(i: &(String, SnapshotInfo)) -> &str {
    &i.0
}

async fn all(state: &AppState) -> Result<Vec<(String, SnapshotInfo)>, ApiError> {
    let stores = state.stores()?.clone();
    let snapshots = stores.read(|s| Ok(s.snapshots()?)).await?;
    Ok(snapshots
        .into_iter()
        .map(|i| (format!("{:020}", i.id), i))
        .collect())
}

/// The snapshots, oldest first.
#[utoipa::path(get, path = "/api/v1/snapshots", tag = "snapshots",
    params(
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of snapshots", body = SnapshotPage)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["limit", "after"])?;
    let page = params.page()?;
    let all = all(&state).await?;
    json(
        &headers,
        &paginate(&all, key, |_| true, &page, |(_, i)| SnapshotItem::from(i)),
    )
}

/// One snapshot.
#[utoipa::path(get, path = "/api/v1/snapshots/{id}", tag = "snapshots",
    params(("id" = i64, Path, description = "The snapshot's id")),
    responses((status = 200, description = "The snapshot", body = SnapshotItem)))]
pub(crate) async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id: i64 = id
        .parse()
        .map_err(|_| ApiError::param("id", format!("{id:?} is not a snapshot id")))?;
    let all = all(&state).await?;
    let found = all
        .iter()
        .find(|(_, i)| i.id == id)
        .ok_or_else(|| ApiError::NotFound(format!("no snapshot {id}")))?;
    json(&headers, &SnapshotItem::from(&found.1))
}
