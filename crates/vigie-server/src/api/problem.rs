//! Errors of the API as RFC 9457 problem details (`application/problem+json`): `type`,
//! `title`, `status`, `detail`, `instance`, and `parameter` when a query parameter is to
//! blame.
//!
//! Handlers return [`ApiError`]. Whatever else answers an error under `/api/` (the access
//! guard's 401 and 403, the body limit's 413, the login limiter's 429, an unmatched path's
//! 404, the timeout's 408, a bare 500) is rewritten into a problem by [`problems`], the
//! layer on the whole router, which also sets `instance` to the request's path. Pages keep
//! their HTML errors.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;

/// The media type of a problem.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The largest error body read back to become a problem's detail.
const MAX_DETAIL: usize = 4096;

/// A problem (RFC 9457).
#[derive(Debug, Serialize, serde::Deserialize, ToSchema)]
pub struct Problem {
    /// What kind of problem: `about:blank` (the status says it all) or a
    /// `urn:vigie:problem:<kind>` of vigie's.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// What went wrong with this request.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// The request's path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance: Option<String>,
    /// The query parameter (or body field) at fault, for a 400.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
}

/// Why an API request failed.
#[derive(Debug)]
pub enum ApiError {
    /// A query parameter or body field that cannot be read (400, the parameter named).
    BadParameter {
        /// The parameter.
        name: String,
        /// What is wrong with it.
        detail: String,
    },
    /// A request that is well formed but cannot be done (422): a triage of nothing, a
    /// decision the store refuses.
    Unprocessable(String),
    /// No such thing (404).
    NotFound(String),
    /// The store has no snapshot yet (404).
    NoSnapshot,
    /// Anything the server's own error says (401, 403, 500...).
    App(AppError),
}

impl ApiError {
    /// A bad parameter.
    pub fn param(name: &str, detail: impl Into<String>) -> ApiError {
        ApiError::BadParameter {
            name: name.to_owned(),
            detail: detail.into(),
        }
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> ApiError {
        ApiError::App(e)
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(e: anyhow::Error) -> ApiError {
        ApiError::App(AppError::Internal(e))
    }
}

impl From<vigie_store::Error> for ApiError {
    fn from(e: vigie_store::Error) -> ApiError {
        match e {
            vigie_store::Error::Empty => ApiError::NoSnapshot,
            vigie_store::Error::NoSnapshot(id) => ApiError::NotFound(format!("no snapshot {id}")),
            e => ApiError::App(e.into()),
        }
    }
}

/// A problem answer.
fn answer(
    status: StatusCode,
    kind: &str,
    detail: Option<String>,
    parameter: Option<String>,
) -> Response {
    let problem = Problem {
        kind: kind.to_owned(),
        title: status.canonical_reason().unwrap_or("Error").to_owned(),
        status: status.as_u16(),
        detail,
        instance: None,
        parameter,
    };
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    let mut r = (status, body).into_response();
    r.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    r
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::BadParameter { name, detail } => answer(
                StatusCode::BAD_REQUEST,
                "urn:vigie:problem:invalid-parameter",
                Some(format!("{name}: {detail}")),
                Some(name),
            ),
            ApiError::Unprocessable(detail) => answer(
                StatusCode::UNPROCESSABLE_ENTITY,
                "urn:vigie:problem:unprocessable",
                Some(detail),
                None,
            ),
            ApiError::NotFound(detail) => answer(
                StatusCode::NOT_FOUND,
                "urn:vigie:problem:not-found",
                Some(detail),
                None,
            ),
            ApiError::NoSnapshot => answer(
                StatusCode::NOT_FOUND,
                "urn:vigie:problem:no-snapshot",
                Some("the store holds no snapshot yet: scan first".into()),
                None,
            ),
            // Its headers (WWW-Authenticate, Retry-After) are kept; `problems` rewrites the body.
            ApiError::App(e) => e.into_response(),
        }
    }
}

/// The layer that makes every error answer under `/api/` a problem, with its `instance`.
pub async fn problems(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let response = next.run(req).await;
    if !path.starts_with("/api/") {
        return response;
    }
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_DETAIL)
        .await
        .unwrap_or_default();
    let is_problem = parts
        .headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes() == PROBLEM_JSON.as_bytes());
    let mut problem = match serde_json::from_slice::<Problem>(&bytes) {
        Ok(p) if is_problem => p,
        _ => {
            let text = String::from_utf8_lossy(&bytes).trim().to_owned();
            let detail = (!text.is_empty() && status != StatusCode::INTERNAL_SERVER_ERROR)
                .then(|| text.chars().take(500).collect());
            Problem {
                kind: "about:blank".into(),
                title: status.canonical_reason().unwrap_or("Error").to_owned(),
                status: status.as_u16(),
                detail,
                instance: None,
                parameter: None,
            }
        }
    };
    problem.instance = Some(path);
    let body = serde_json::to_vec(&problem).unwrap_or_default();
    parts
        .headers
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}
