//! `GET /api/v1/components`: the distinct packages of a snapshot with the number of projects
//! using each, searched by name, purl or ecosystem, keyset-paginated by purl.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

use super::estate::{PackageEntry, lists};
use super::{ApiError, Params, json, page_schema, paginate};
use crate::state::AppState;

/// A package of the estate.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct ComponentItem {
    /// Its Package URL (canonical).
    purl: String,
    /// Its ecosystem (OSV name).
    ecosystem: String,
    /// Its name.
    name: String,
    /// Its version; `null` when unresolved.
    version: Option<String>,
    /// How many projects use it.
    projects: u64,
}

impl From<&PackageEntry> for ComponentItem {
    fn from(p: &PackageEntry) -> ComponentItem {
        ComponentItem {
            purl: p.purl.clone(),
            ecosystem: p.ecosystem.clone(),
            name: p.name.clone(),
            version: p.version.clone(),
            projects: p.projects,
        }
    }
}

page_schema!(ComponentPage, ComponentItem);

/// The packages of a snapshot, by purl.
#[utoipa::path(get, path = "/api/v1/components", tag = "components",
    params(
        super::vocab::AtSnapshot,
        ("q" = Option<String>, Query, description = "A substring of the name or purl (case-insensitive)"),
        ("name" = Option<String>, Query, description = "The exact name (case-insensitive)"),
        ("purl" = Option<String>, Query, description = "A purl prefix (`pkg:npm/lodash`)"),
        ("ecosystem" = Option<String>, Query, description = "The ecosystem (`npm`, `PyPI`, `Maven`...)"),
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of packages, by purl", body = ComponentPage)))]
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
            "name",
            "purl",
            "ecosystem",
            "limit",
            "after",
        ],
    )?;
    let page = params.page()?;
    let text = params.str("q").map(str::to_lowercase);
    let name = params.str("name");
    let purl = params.str("purl");
    let ecosystem = params.str("ecosystem");
    let snapshot = params.snapshot(&state).await?;
    let lists = lists(&state, snapshot).await?;
    let keep = |p: &PackageEntry| {
        text.as_deref()
            .is_none_or(|t| p.name.to_lowercase().contains(t) || p.purl.to_lowercase().contains(t))
            && name.is_none_or(|n| p.name.eq_ignore_ascii_case(n))
            && purl.is_none_or(|u| p.purl.starts_with(u))
            && ecosystem.is_none_or(|e| p.ecosystem.eq_ignore_ascii_case(e))
    };
    json(
        &headers,
        &paginate(
            &lists.packages,
            |p| p.purl.as_str(),
            keep,
            &page,
            |p| ComponentItem::from(p),
        ),
    )
}
