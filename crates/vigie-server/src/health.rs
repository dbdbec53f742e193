//! `/healthz` (the process answers), `/readyz` (the store is open and migrated) and
//! `/metrics` (Prometheus text).

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::metrics::age;
use crate::state::AppState;

pub(crate) async fn healthz() -> &'static str {
    "ok\n"
}

pub(crate) async fn readyz(State(state): State<AppState>) -> Response {
    if state.ready() {
        (StatusCode::OK, "ready\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "starting\n").into_response()
    }
}

pub(crate) async fn metrics(State(state): State<AppState>) -> Result<Response, AppError> {
    let data_dir = state.config().data_dir.clone();
    let (index_created, taken_at) = state
        .stores()?
        .read(move |s| {
            let index = vigie_app::config::index_created(data_dir.as_deref());
            let last = s.snapshots()?.pop().map(|i| i.meta.taken_at);
            Ok((index, last))
        })
        .await?;
    let text = state.0.metrics.render(
        index_created.as_deref().and_then(age),
        taken_at.as_deref().and_then(age),
    );
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}
