//! `GET /admin/knowledge`: the knowledge index of the current generation (its id, when it
//! was compiled and its age, the feed files with where and when they were fetched, records
//! per ecosystem, the KEV catalogue) and the coverage of the latest snapshot per ecosystem,
//! saying plainly where the index holds no advisory source. Computed by
//! `vigie_app::admin::knowledge::status` and kept while the generation and the latest
//! snapshot stay the same (`pages/cache.rs`); without an index, how to build one.

use axum::extract::State;
use axum::response::Response;

use super::{Notice, actor};
use crate::error::AppError;
use crate::pages::frame::{PageReq, val};
use crate::state::AppState;

/// Whole days from the RFC 3339 time `at` to now.
fn days_ago(at: &str) -> Option<i64> {
    let t: jiff::Timestamp = at.parse().ok()?;
    Some(jiff::Timestamp::now().duration_since(t).as_secs().max(0) / 86_400)
}

/// `GET /admin/knowledge`.
pub(crate) async fn show(
    State(state): State<AppState>,
    page: PageReq,
) -> Result<Response, AppError> {
    actor(&page)?;
    let status = state.knowledge_status().await?;
    let age = status
        .index
        .as_ref()
        .and_then(|i| i.created.as_deref())
        .and_then(days_ago);
    let fetched = status
        .index
        .as_ref()
        .is_some_and(|i| i.sources.iter().any(|s| s.url.is_some()));
    page.render(
        &state,
        "admin_knowledge.html",
        "admin",
        minijinja::context! {
            section => "knowledge",
            index => val(&status.index),
            coverage => val(&status.coverage),
            age => age,
            fetched => fetched,
            ..Notice::default().context()
        },
    )
}
