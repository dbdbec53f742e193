//! The server's one error type: what a handler or a layer gives back when it cannot answer.
//! Internal errors are logged (with the request's span, so its id) and shown as a bare 500.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// Why a request failed.
#[derive(Debug)]
pub enum AppError {
    /// No credentials, or not valid ones (401).
    Unauthenticated,
    /// Valid credentials without the right (403).
    Forbidden,
    /// A state-changing request without its session's CSRF token (403).
    Csrf,
    /// No such page (404).
    NotFound,
    /// The store is not open yet (503).
    NotReady,
    /// Too many attempts; retry after this many seconds (429).
    TooMany(u64),
    /// Anything else (500): logged, never shown.
    Internal(anyhow::Error),
}

impl From<anyhow::Error> for AppError {
    fn from(e: anyhow::Error) -> AppError {
        AppError::Internal(e)
    }
}

impl From<vigie_store::Error> for AppError {
    fn from(e: vigie_store::Error) -> AppError {
        AppError::Internal(e.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, text) = match &self {
            AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "authentication required"),
            AppError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            AppError::Csrf => (StatusCode::FORBIDDEN, "missing or wrong CSRF token"),
            AppError::NotFound => (StatusCode::NOT_FOUND, "not found"),
            AppError::NotReady => (StatusCode::SERVICE_UNAVAILABLE, "starting"),
            AppError::TooMany(_) => (StatusCode::TOO_MANY_REQUESTS, "too many attempts"),
            AppError::Internal(e) => {
                tracing::error!(error = %format!("{e:#}"), "internal error");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error")
            }
        };
        let mut response = (status, text).into_response();
        match self {
            AppError::TooMany(secs) => {
                if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, v);
                }
            }
            AppError::Unauthenticated => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"vigie\""),
                );
            }
            _ => {}
        }
        response
    }
}
