//! `GET /api/v1/audit-log`: the audit log, newest first, keyset-paginated (`after` is the
//! `next` cursor, which names the last entry of the page before), filtered by `actor`
//! (exact) and `action` (exact, or a family ending in a dot: `token.`), through
//! `vigie_app::admin::audit_log`. Admins only. A filtered page reads a bounded number of
//! entries: it may be short, even empty, and still give a `next`. `total` is the number
//! of entries the filters keep, counted by the store.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use vigie_app::admin::AuditQuery;
use vigie_store::AuditRecord;

use super::{ApiError, MAX_TEXT, PageOf, Params, encode_cursor, json, page_schema};
use crate::state::AppState;

/// One entry of the audit log.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AuditItem {
    /// Increasing.
    id: i64,
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    at: String,
    /// Who: a user name, `token:<prefix>`, `cli:<user>`, `system`.
    actor: String,
    /// What, as a dotted verb: `user.create`, `token.revoke`, `triage.record`, ...
    action: String,
    /// On what: a user name, a token prefix, a finding key.
    target: String,
    /// From which address, when over the network.
    ip: Option<String>,
    /// More (never a secret).
    detail: Option<String>,
}

impl From<AuditRecord> for AuditItem {
    fn from(r: AuditRecord) -> AuditItem {
        AuditItem {
            id: r.id,
            at: r.entry.at,
            actor: r.entry.actor,
            action: r.entry.action,
            target: r.entry.target,
            ip: r.entry.ip,
            detail: r.entry.detail,
        }
    }
}

page_schema!(AuditPage, AuditItem);

/// A filter of at most [`MAX_TEXT`] characters.
fn filter(params: &Params, name: &str) -> Result<Option<String>, ApiError> {
    match params.str(name) {
        Some(v) if v.chars().count() > MAX_TEXT => Err(ApiError::param(
            name,
            format!("longer than {MAX_TEXT} characters"),
        )),
        v => Ok(v.map(str::to_owned)),
    }
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit-log", tag = "admin", operation_id = "audit_log",
    params(
        ("actor" = Option<String>, Query, description = "Only the entries of this actor"),
        ("action" = Option<String>, Query, description = "Only this action, or a family ending in a dot (`user.`)"),
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of entries, newest first", body = AuditPage)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["actor", "action", "limit", "after"])?;
    let page = params.page()?;
    let before = page
        .after
        .as_deref()
        .map(|k| {
            k.parse::<i64>().map_err(|_| {
                ApiError::param("after", "not a cursor of this API (use `next` as given)")
            })
        })
        .transpose()?;
    let query = AuditQuery {
        before,
        actor: filter(&params, "actor")?,
        action: filter(&params, "action")?,
        limit: page.limit,
    };
    let stores = state.stores()?.clone();
    let found = stores
        .read(move |s| vigie_app::admin::audit_log(s, &query))
        .await?;
    let items: Vec<AuditItem> = found.entries.into_iter().map(AuditItem::from).collect();
    json(
        &headers,
        &PageOf {
            total: found.total,
            items,
            next: found.next.map(|n| encode_cursor(&n.to_string())),
        },
    )
}
