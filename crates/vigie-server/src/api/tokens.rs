//! `GET /api/v1/tokens`: every API token, oldest first, keyset-paginated, never a secret
//! or a hash. `POST /api/v1/tokens`: a token made (`vigie_app::admin::create_token`,
//! audited), the whole token in the 201 answer only. `DELETE /api/v1/tokens/{prefix}`:
//! revoked (audited), 204; a token cannot revoke itself (422), so a client never locks
//! itself out by mistake (schemathesis, which fuzzes this API, runs with a triager token
//! and only ever gets 403 here). Admins only.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_app::admin::{Actor, MAX_TOKEN_DAYS, Refusal, TokenKind};
use vigie_store::TokenRecord;

use super::{ApiError, Params, Problem, json, page_schema, paginate_by_id};
use crate::auth::{Principal, Via, client_ip};
use crate::state::AppState;

/// A token as the API shows it (never its secret or hash).
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TokenItem {
    /// Its public prefix (the `<prefix>` of `vigie_<prefix>_<secret>`).
    prefix: String,
    /// What it is for.
    name: String,
    /// The role its scopes amount to, or `ingest`; `null` for a metrics-only token.
    #[schema(value_type = Option<super::vocab::TokenKind>)]
    kind: Option<&'static str>,
    /// What it may do.
    #[schema(value_type = Vec<super::vocab::TokenScope>)]
    scopes: Vec<&'static str>,
    /// Who made it.
    created_by: String,
    /// When (RFC 3339).
    #[schema(format = DateTime)]
    created_at: String,
    /// When it stops working; `null`: never.
    #[schema(format = DateTime)]
    expires_at: Option<String>,
    /// When it was last accepted.
    #[schema(format = DateTime)]
    last_used: Option<String>,
    /// When it was revoked.
    #[schema(format = DateTime)]
    revoked_at: Option<String>,
}

impl From<&TokenRecord> for TokenItem {
    fn from(k: &TokenRecord) -> TokenItem {
        TokenItem {
            prefix: k.prefix.clone(),
            name: k.name.clone(),
            kind: TokenKind::of(&k.scopes).map(TokenKind::as_str),
            scopes: k.scopes.iter().map(|s| s.as_str()).collect(),
            created_by: k.created_by.clone(),
            created_at: k.created_at.clone(),
            expires_at: k.expires_at.clone(),
            last_used: k.last_used.clone(),
            revoked_at: k.revoked_at.clone(),
        }
    }
}

page_schema!(TokenPage, TokenItem);

/// Every token, oldest first.
#[utoipa::path(get, path = "/api/v1/tokens", tag = "admin", operation_id = "list_tokens",
    params(super::vocab::Paging),
    responses((status = 200, description = "A page of tokens", body = TokenPage)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["limit", "after"])?;
    let page = params.page()?;
    let stores = state.stores()?.clone();
    let tokens = stores.read(vigie_app::admin::tokens).await?;
    json(
        &headers,
        &paginate_by_id(tokens, |k| k.id, &page, |k| TokenItem::from(k)),
    )
}

/// A token to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TokenRequest {
    /// What it is for (1 to 64 characters, no control character or surrounding space).
    #[schema(min_length = 1, max_length = 64)]
    name: String,
    /// A user's role (`viewer`, `triager`, `admin`: its scopes) or `ingest` (push only).
    #[schema(value_type = super::vocab::TokenKind)]
    kind: String,
    /// Days it lasts (default: until revoked).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
    expires_days: Option<u32>,
}

/// A token made: the whole token, shown in this answer only.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TokenCreated {
    /// `vigie_<prefix>_<secret>`: keep it now, it cannot be read again.
    token: String,
    /// What the store keeps of it.
    item: TokenItem,
}

/// The actor of an API request.
fn actor(principal: &Principal, headers: &axum::http::Extensions) -> Actor {
    Actor {
        name: principal.name.clone(),
        ip: client_ip(headers),
    }
}

/// Makes a token.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "admin", operation_id = "create_token",
    request_body(content = TokenRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Made; the token is in this answer only", body = TokenCreated),
        (status = 422, description = "The store refuses the name", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn create(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    extensions: axum::http::Extensions,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: TokenRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::param("body", format!("not a token request: {e}")))?;
    let kind = TokenKind::parse(&req.kind).ok_or_else(|| {
        ApiError::param(
            "kind",
            format!("{:?} is not viewer, triager, admin or ingest", req.kind),
        )
    })?;
    if req
        .expires_days
        .is_some_and(|d| d == 0 || d > MAX_TOKEN_DAYS)
    {
        return Err(ApiError::param(
            "expires_days",
            format!("between 1 and {MAX_TOKEN_DAYS}"),
        ));
    }
    let by = actor(&principal, &extensions);
    let stores = state.stores()?.clone();
    let name = req.name;
    let days = req.expires_days;
    let made = stores
        .write(move |s| vigie_app::admin::create_token(s, &by, &name, kind, days))
        .await?
        .map_err(|r| ApiError::Unprocessable(r.to_string()))?;
    let body = TokenCreated {
        token: made.token,
        item: TokenItem::from(&made.record),
    };
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

/// Revokes a token.
#[utoipa::path(delete, path = "/api/v1/tokens/{prefix}", tag = "admin", operation_id = "revoke_token",
    params(("prefix" = String, Path, description = "The token's prefix")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 404, description = "No live token with this prefix", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The token of this request cannot revoke itself", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn revoke(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    extensions: axum::http::Extensions,
    Path(prefix): Path<String>,
) -> Result<Response, ApiError> {
    if let Via::Token { prefix: own, .. } = &principal.via
        && *own == prefix
    {
        return Err(ApiError::Unprocessable(
            "a token cannot revoke itself: use another admin token or a session".into(),
        ));
    }
    let by = actor(&principal, &extensions);
    let stores = state.stores()?.clone();
    let target = prefix.clone();
    match stores
        .write(move |s| vigie_app::admin::revoke_token(s, &by, &target))
        .await?
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(Refusal::NoSuchToken) => Err(ApiError::NotFound(format!(
            "no live token with prefix {prefix:?}"
        ))),
        Err(r) => Err(ApiError::Unprocessable(r.to_string())),
    }
}
