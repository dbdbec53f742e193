//! Who is asking, and may they: credentials read from a request (an API token in
//! `Authorization: Bearer` or `X-Api-Key`, else the session cookie), the access a route
//! requires, and the CSRF check of every state-changing request made with a session.
//!
//! A request that presents a token is judged by that token alone (a bad token is refused,
//! not retried with the cookie). Token requests are exempt from CSRF: a browser never adds
//! those headers by itself.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use vigie_store::{AuditEntry, Role, TokenScope};

use crate::error::AppError;
use crate::state::AppState;

/// The session cookie (its value: the session id).
pub const SESSION_COOKIE: &str = "vigie_session";
/// The login form's own CSRF cookie, before there is a session.
pub const LOGIN_CSRF_COOKIE: &str = "vigie_login_csrf";
/// The language chosen (`en`, `fr`).
pub const LANG_COOKIE: &str = "vigie_lang";
/// The form field (or header) holding the CSRF token.
pub const CSRF_FIELD: &str = "csrf";
/// The header a script may use instead of the form field.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// What a route requires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Nothing: login, health, static assets.
    Public,
    /// A page: a session or a token of at least this role; without credentials, a redirect
    /// to the login page.
    Page(Role),
    /// The metrics: an admin, or a token with the `metrics` scope; without credentials, 401.
    Metrics,
    /// Ingest from CI: a token with the `ingest` scope only; without credentials, 401.
    Ingest,
    /// The REST API: a session or a token of at least this role (a token's role comes from
    /// its scopes: `read` is a viewer, `triage` a triager, `admin` an admin); without
    /// credentials, 401, never a redirect.
    Api(Role),
}

/// How the principal proved who it is.
#[derive(Clone, Debug)]
pub enum Via {
    /// A login session.
    Session {
        /// The hash of its id.
        id_hash: String,
        /// Its synchronizer token.
        csrf: String,
    },
    /// An API token.
    Token {
        /// Its prefix.
        prefix: String,
        /// Its scopes.
        scopes: Vec<TokenScope>,
    },
}

/// Who is asking (in the request's extensions once authenticated).
#[derive(Clone, Debug)]
pub struct Principal {
    /// A user name, or `token:<prefix>`.
    pub name: String,
    /// What it may do as a user would (a token: from its scopes).
    pub role: Option<Role>,
    /// How.
    pub via: Via,
}

impl Principal {
    /// The session's CSRF token, when a session.
    pub fn csrf(&self) -> Option<&str> {
        match &self.via {
            Via::Session { csrf, .. } => Some(csrf),
            Via::Token { .. } => None,
        }
    }

    fn may(&self, access: Access) -> bool {
        match access {
            Access::Public => true,
            Access::Page(min) | Access::Api(min) => self.role.is_some_and(|r| r >= min),
            Access::Metrics => match &self.via {
                Via::Session { .. } => self.role == Some(Role::Admin),
                Via::Token { scopes, .. } => scopes.contains(&TokenScope::Metrics),
            },
            Access::Ingest => match &self.via {
                Via::Session { .. } => false,
                Via::Token { scopes, .. } => scopes.contains(&TokenScope::Ingest),
            },
        }
    }
}

/// The role a token acts with on pages: the most its scopes allow.
fn token_role(scopes: &[TokenScope]) -> Option<Role> {
    if scopes.contains(&TokenScope::Admin) {
        Some(Role::Admin)
    } else if scopes.contains(&TokenScope::Triage) {
        Some(Role::Triager)
    } else if scopes.contains(&TokenScope::Read) {
        Some(Role::Viewer)
    } else {
        None
    }
}

/// The value of cookie `name`.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The token presented, if any.
fn presented_token(headers: &HeaderMap) -> Option<&str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    bearer
        .or_else(|| headers.get("x-api-key").and_then(|v| v.to_str().ok()))
        .map(str::trim)
}

/// The client's address: as [`crate::client`] found it (behind a trusted proxy, from
/// `X-Forwarded-For`), else the socket's.
pub fn client_ip(extensions: &axum::http::Extensions) -> Option<String> {
    match extensions.get::<crate::client::ClientAddr>() {
        Some(client) => Some(client.0.to_string()),
        None => extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string()),
    }
}

/// Who `headers` prove to be: `Ok(None)` without credentials, [`AppError::Unauthenticated`]
/// for a token that is not a live one.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Principal>, AppError> {
    let stores = state.stores()?.clone();
    let now = vigie_app::access::now();
    if let Some(token) = presented_token(headers) {
        let token = token.to_owned();
        let at = now.clone();
        let found = stores
            .read(move |s| vigie_app::access::check_token(s, &token, &at))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        // The last use is recorded to the minute: not a write per request.
        let id = found.id;
        if found
            .last_used
            .as_deref()
            .is_none_or(|last| last.get(..16) != now.get(..16))
        {
            stores
                .bookkeep(move |s| Ok(s.token_used(id, &now)?))
                .await?;
        }
        return Ok(Some(Principal {
            name: format!("token:{}", found.prefix),
            role: token_role(&found.scopes),
            via: Via::Token {
                prefix: found.prefix,
                scopes: found.scopes,
            },
        }));
    }
    let Some(id) = cookie(headers, SESSION_COOKIE).map(str::to_owned) else {
        return Ok(None);
    };
    let found = stores
        .read(move |s| vigie_app::access::session(s, &id, &now))
        .await?;
    Ok(found.map(|(session, user)| Principal {
        name: user.name,
        role: Some(user.role),
        via: Via::Session {
            id_hash: session.id_hash,
            csrf: session.csrf,
        },
    }))
}

/// True for methods that change nothing.
fn safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The route guard: authenticates, checks the route's access and, for a state-changing
/// request made with a session, its CSRF token; the principal goes into the extensions.
pub async fn guard(
    State((state, access)): State<(AppState, Access)>,
    req: Request,
    next: Next,
) -> Response {
    match admit(&state, access, req).await {
        Ok(req) => next.run(req).await,
        Err(refusal) => refusal,
    }
}

async fn admit(state: &AppState, access: Access, req: Request) -> Result<Request, Response> {
    if access == Access::Public {
        return Ok(req);
    }
    let principal = authenticate(state, req.headers())
        .await
        .map_err(IntoResponse::into_response)?;
    let Some(principal) = principal else {
        return Err(match access {
            Access::Page(_) if safe(req.method()) => Redirect::to("/login").into_response(),
            _ => AppError::Unauthenticated.into_response(),
        });
    };
    if !principal.may(access) {
        return Err(AppError::Forbidden.into_response());
    }
    let mut req = if safe(req.method()) {
        req
    } else {
        check_csrf(&principal, req).await?
    };
    req.extensions_mut().insert(principal);
    Ok(req)
}

/// Checks the CSRF token of a request made with a session: the `x-csrf-token` header, or
/// the `csrf` field of a form (the body is read, within the route's limit, and put back).
async fn check_csrf(principal: &Principal, req: Request) -> Result<Request, Response> {
    let Some(expected) = principal.csrf() else {
        return Ok(req);
    };
    if let Some(given) = req.headers().get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        return if vigie_app::access::same(given, expected) {
            Ok(req)
        } else {
            Err(AppError::Csrf.into_response())
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(AppError::Csrf.into_response());
    }
    let (parts, body) = req.into_parts();
    // The route's own body limit (RequestBodyLimitLayer) bounds this read.
    let bytes = axum::body::to_bytes(body, usize::MAX).await.map_err(|_| {
        (
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "request body too large",
        )
            .into_response()
    })?;
    let given = form_field(&bytes, CSRF_FIELD);
    if !given.is_some_and(|g| vigie_app::access::same(&g, expected)) {
        return Err(AppError::Csrf.into_response());
    }
    Ok(Request::from_parts(parts, axum::body::Body::from(bytes)))
}

/// The value of field `name` of a URL-encoded form.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
        .ok()?
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// An audit entry by `actor` from the request's address.
pub fn audit(actor: &str, action: &str, target: &str, ip: Option<String>) -> AuditEntry {
    AuditEntry {
        at: vigie_app::access::now(),
        actor: actor.to_owned(),
        action: action.to_owned(),
        target: target.to_owned(),
        ip,
        detail: None,
    }
}
