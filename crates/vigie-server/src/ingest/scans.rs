//! `POST /api/v1/scans`: a push of `vigie scan --push` (format `vigie-push` 1, JSON,
//! gzip-compressed or not). 201 with the new snapshot, 200 with the existing one when the
//! same push was already stored; 400 with a problem for a document that is refused.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use vigie_app::ingest::push::PushAnswer;

use crate::auth::Principal;
use crate::state::AppState;

/// A push of `vigie scan --push`.
///
/// The inventory of the folders a CI job scanned (format `vigie-push` 1, see
/// `docs/ingest.md`), JSON, gzip-compressed when sent with `Content-Encoding: gzip`. The
/// server runs the checks with its own knowledge index and stores the projects as a new
/// snapshot of the estate (the other projects are carried forward); the same push again is
/// answered with the snapshot that holds it. Needs a token with the `ingest` scope.
#[utoipa::path(post, path = "/api/v1/scans", tag = "ingest",
    request_body(content = vigie_app::ingest::PushDocument, content_type = "application/json"),
    responses(
        (status = 201, description = "Stored as a new snapshot", body = PushAnswer),
        (status = 200, description = "The same push was already stored: the snapshot holding it", body = PushAnswer),
    ))]
pub(crate) async fn push(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    request: axum::extract::Request,
) -> Response {
    let ip = crate::auth::client_ip(request.extensions());
    let (parts, body) = request.into_parts();
    let body: Bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => {
            return super::problem(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body too large",
                &format!("a push is at most {} bytes", super::SCANS_BODY_LIMIT),
            );
        }
    };
    let gzip = gzipped(&parts.headers);
    let decoded = tokio::task::spawn_blocking(move || vigie_app::ingest::decode(&body, gzip)).await;
    let doc = match decoded {
        Ok(Ok(doc)) => doc,
        Ok(Err(invalid)) => return super::bad_request(&invalid.to_string()),
        Err(e) => return crate::error::AppError::Internal(e.into()).into_response(),
    };
    match super::store(&state, &who, ip, doc, "push").await {
        Ok(answer) => {
            let status = if answer.created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            (status, axum::Json(answer)).into_response()
        }
        Err(response) => response,
    }
}

fn gzipped(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("gzip"))
}
