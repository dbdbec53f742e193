//! `GET /admin/audit`: the audit log, newest first, a page of [`PAGE`] entries at a time
//! (keyset: `?before=ID`, the last id of the page before), filtered by actor and action
//! (`vigie_app::admin::audit_log`). Every stored string is escaped like everything else.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use vigie_app::admin::AuditQuery;

use super::{Notice, actor};
use crate::error::AppError;
use crate::pages::frame::{PageReq, val};
use crate::state::AppState;

/// Entries per page.
const PAGE: usize = 100;

/// `?before=`, `?actor=`, `?action=`.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct AuditParams {
    #[serde(default)]
    before: String,
    #[serde(default)]
    actor: String,
    #[serde(default)]
    action: String,
}

#[derive(Serialize)]
struct Line<'a> {
    id: i64,
    at: &'a str,
    actor: &'a str,
    action: &'a str,
    target: &'a str,
    ip: Option<&'a str>,
    detail: Option<&'a str>,
}

/// `/admin/audit` with these filters, before `before`.
fn link(before: Option<i64>, actor: &str, action: &str) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    if let Some(b) = before {
        pairs.push(("before", b.to_string()));
    }
    if !actor.is_empty() {
        pairs.push(("actor", actor.to_owned()));
    }
    if !action.is_empty() {
        pairs.push(("action", action.to_owned()));
    }
    let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    if q.is_empty() {
        "/admin/audit".to_owned()
    } else {
        format!("/admin/audit?{q}")
    }
}

/// `GET /admin/audit`.
pub(crate) async fn list(
    State(state): State<AppState>,
    page: PageReq,
    Query(p): Query<AuditParams>,
) -> Result<Response, AppError> {
    actor(&page)?;
    // A page's own link: a cursor that does not read as an id is no cursor.
    let before = p.before.trim().parse::<i64>().ok();
    let (who, what) = (p.actor.trim().to_owned(), p.action.trim().to_owned());
    let query = AuditQuery {
        before,
        actor: Some(who.clone()).filter(|a| !a.is_empty()),
        action: Some(what.clone()).filter(|a| !a.is_empty()),
        limit: PAGE,
    };
    let stores = state.stores()?.clone();
    let found = stores
        .read(move |s| vigie_app::admin::audit_log(s, &query))
        .await?;
    let lines: Vec<Line<'_>> = found
        .entries
        .iter()
        .map(|r| Line {
            id: r.id,
            at: &r.entry.at,
            actor: &r.entry.actor,
            action: &r.entry.action,
            target: &r.entry.target,
            ip: r.entry.ip.as_deref(),
            detail: r.entry.detail.as_deref(),
        })
        .collect();
    page.render(
        &state,
        "admin_audit.html",
        "admin",
        minijinja::context! {
            section => "audit",
            entries => val(&lines),
            actor => who.clone(),
            action => what.clone(),
            before => before,
            newest => link(None, &who, &what),
            older => found.next.map(|n| link(Some(n), &who, &what)),
            ..Notice::default().context()
        },
    )
}
