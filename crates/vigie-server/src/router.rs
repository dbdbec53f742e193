//! Every route of the server, in one list ([`ROUTES`]): its method, path, the access it
//! requires and its body limit. [`router`] builds the router from this list only, so the
//! list is the router, and a test walks it to prove that only [`Access::Public`] routes
//! answer without credentials.
//!
//! Layers, outermost first: the client's address (`client.rs`), a request id
//! (`x-request-id`, kept when the client sent one, and returned), the trace span (method,
//! route, request id, client address; never a header, so never a cookie or a token),
//! metrics, the security headers on every answer (and HSTS when TLS is served), every error
//! under `/api/` as an RFC 9457 problem, the request timeout; then per route the body limit
//! and the access guard.

use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::{DefaultBodyLimit, MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{MethodRouter, delete, get, post, put};
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use vigie_store::Role;

use crate::auth::{Access, guard};
use crate::state::AppState;

/// The body limit of a route that does not say (1 MiB).
pub const DEFAULT_BODY_LIMIT: usize = 1024 * 1024;
/// The body limit of the API's writes (a triage decision is a few hundred bytes).
pub const API_BODY_LIMIT: usize = 64 * 1024;
/// How long a request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The Content-Security-Policy of every answer: nothing from elsewhere, no inline script
/// or style, no framing.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// The Strict-Transport-Security of every answer when TLS is served: a year.
pub const HSTS: &str = "max-age=31536000";

/// One route.
pub struct Route {
    /// Its method.
    pub method: Method,
    /// Its path pattern.
    pub path: &'static str,
    /// What it requires.
    pub access: Access,
    /// The largest body it reads (413 beyond).
    pub body_limit: usize,
    /// Its answers are kept and replayed while the store, the day and the knowledge index
    /// stay the same (`replay.rs`): a read that depends on nothing else.
    pub replay: bool,
    handler: fn() -> MethodRouter<AppState>,
}

/// Every route.
pub static ROUTES: &[Route] = &[
    Route {
        method: Method::GET,
        path: "/healthz",
        access: Access::Public,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::health::healthz),
    },
    Route {
        method: Method::GET,
        path: "/readyz",
        access: Access::Public,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::health::readyz),
    },
    Route {
        method: Method::GET,
        path: "/static/vigie.css",
        access: Access::Public,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::pages::stylesheet),
    },
    Route {
        method: Method::GET,
        path: "/login",
        access: Access::Public,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::pages::login::form),
    },
    Route {
        method: Method::POST,
        path: "/login",
        access: Access::Public,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || post(crate::pages::login::submit),
    },
    Route {
        method: Method::GET,
        path: "/login/oidc",
        access: Access::Public,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::oidc::begin),
    },
    Route {
        method: Method::GET,
        path: "/login/oidc/callback",
        access: Access::Public,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::oidc::callback),
    },
    Route {
        method: Method::POST,
        path: "/logout",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || post(crate::pages::login::logout),
    },
    Route {
        method: Method::GET,
        path: "/",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::overview::show),
    },
    Route {
        method: Method::GET,
        path: "/map",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::map::show),
    },
    Route {
        method: Method::GET,
        path: "/systems/{ref}",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::map::system),
    },
    Route {
        method: Method::GET,
        path: "/projects",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::projects::list),
    },
    Route {
        method: Method::GET,
        path: "/projects/{*path}",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::projects::show),
    },
    Route {
        method: Method::GET,
        path: "/packages",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::projects::packages),
    },
    Route {
        method: Method::GET,
        path: "/hit",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::hit::show),
    },
    Route {
        method: Method::GET,
        path: "/register",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::register::show),
    },
    Route {
        method: Method::POST,
        path: "/register/triage",
        access: Access::Page(Role::Triager),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || post(crate::pages::register::triage),
    },
    Route {
        method: Method::GET,
        path: "/lifecycle",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::lifecycle::lifecycle),
    },
    Route {
        method: Method::GET,
        path: "/licences",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::lifecycle::licences),
    },
    Route {
        method: Method::GET,
        path: "/reports",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::pages::reports::list),
    },
    Route {
        method: Method::GET,
        path: "/reports/download",
        access: Access::Page(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::pages::reports::download),
    },
    Route {
        method: Method::GET,
        path: "/admin",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::pages::admin::show),
    },
    Route {
        method: Method::GET,
        path: "/admin/users",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::pages::admin::users::list),
    },
    Route {
        method: Method::POST,
        path: "/admin/users",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || post(crate::pages::admin::users::add),
    },
    Route {
        method: Method::POST,
        path: "/admin/users/disable",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || post(crate::pages::admin::users::disable),
    },
    Route {
        method: Method::POST,
        path: "/admin/users/role",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || post(crate::pages::admin::users::role),
    },
    Route {
        method: Method::GET,
        path: "/admin/tokens",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::pages::admin::tokens::list),
    },
    Route {
        method: Method::POST,
        path: "/admin/tokens",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || post(crate::pages::admin::tokens::create),
    },
    Route {
        method: Method::POST,
        path: "/admin/tokens/revoke",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || post(crate::pages::admin::tokens::revoke),
    },
    Route {
        method: Method::GET,
        path: "/admin/audit",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::pages::admin::audit::list),
    },
    Route {
        method: Method::GET,
        path: "/admin/knowledge",
        access: Access::Page(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::pages::admin::knowledge::show),
    },
    Route {
        method: Method::GET,
        path: "/metrics",
        access: Access::Metrics,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::health::metrics),
    },
    Route {
        method: Method::POST,
        path: "/api/v1/scans",
        access: Access::Ingest,
        body_limit: crate::ingest::SCANS_BODY_LIMIT,
        replay: false,
        handler: || post(crate::ingest::scans::push),
    },
    Route {
        method: Method::PUT,
        path: "/api/v1/bom",
        access: Access::Ingest,
        body_limit: crate::ingest::BOM_BODY_LIMIT,
        replay: false,
        handler: || put(crate::ingest::bom::put),
    },
    Route {
        method: Method::POST,
        path: "/api/v1/bom",
        access: Access::Ingest,
        body_limit: crate::ingest::BOM_BODY_LIMIT,
        replay: false,
        handler: || post(crate::ingest::bom::post),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/event/token/{uuid}",
        access: Access::Ingest,
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::ingest::bom::event),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/openapi.json",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::openapi::openapi),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/snapshots",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::snapshots::list),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/snapshots/{id}",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::snapshots::one),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/projects",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::projects::list),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/projects/{path}",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::projects::one),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/components",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::components::list),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/who-uses",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::hit::who_uses),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/hit",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::hit::hit),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/advisories/{id}",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::hit::advisory),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/findings",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::findings::list),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/risks",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::risks::risks),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/actions",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::risks::actions),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/risks/{key}",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::risks::risk),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/actions/{key}",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::risks::action),
    },
    Route {
        method: Method::POST,
        path: "/api/v1/triage",
        access: Access::Api(Role::Triager),
        body_limit: API_BODY_LIMIT,
        replay: false,
        handler: || post(crate::api::triage::record),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/triage",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::api::triage::history),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/catalog/entities",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::catalog::list),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/catalog/entities/{ref}",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: true,
        handler: || get(crate::api::catalog::one),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/reports/{snapshot}",
        access: Access::Api(Role::Viewer),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::api::reports::report),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/tokens",
        access: Access::Api(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::api::tokens::list),
    },
    Route {
        method: Method::POST,
        path: "/api/v1/tokens",
        access: Access::Api(Role::Admin),
        body_limit: API_BODY_LIMIT,
        replay: false,
        handler: || post(crate::api::tokens::create),
    },
    Route {
        method: Method::DELETE,
        path: "/api/v1/tokens/{prefix}",
        access: Access::Api(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || delete(crate::api::tokens::revoke),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/users",
        access: Access::Api(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::api::users::list),
    },
    Route {
        method: Method::GET,
        path: "/api/v1/audit-log",
        access: Access::Api(Role::Admin),
        body_limit: DEFAULT_BODY_LIMIT,
        replay: false,
        handler: || get(crate::api::audit_log::list),
    },
];

/// `handler` behind the body limit `limit` (413 beyond, whether announced by
/// `Content-Length` or found while reading) and the access guard.
pub fn limited(
    handler: MethodRouter<AppState>,
    state: &AppState,
    access: Access,
    limit: usize,
) -> MethodRouter<AppState> {
    handler
        .route_layer(middleware::from_fn_with_state(
            (state.clone(), access),
            guard,
        ))
        .layer::<_, std::convert::Infallible>(DefaultBodyLimit::max(limit))
        .layer::<_, std::convert::Infallible>(RequestBodyLimitLayer::new(limit))
}

/// The server's router over `state`.
pub fn router(state: AppState) -> Router {
    let mut router = Router::new();
    for r in ROUTES {
        let mut handler = (r.handler)();
        if r.replay {
            // Inside the guard (added after it, by `limited`): only what the route lets
            // through is kept or replayed.
            handler = handler.route_layer(middleware::from_fn_with_state(
                state.clone(),
                crate::replay::replay,
            ));
        }
        router = router.route(r.path, limited(handler, &state, r.access, r.body_limit));
    }
    let request_id = HeaderName::from_static("x-request-id");
    let headers = ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::overriding(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        // Only where this server speaks TLS itself: behind a proxy, the proxy says it.
        .option_layer(state.config().settings.tls.is_some().then(|| {
            SetResponseHeaderLayer::overriding(
                header::STRICT_TRANSPORT_SECURITY,
                HeaderValue::from_static(HSTS),
            )
        }));
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(middleware::from_fn(crate::api::problem::problems))
        .layer(headers)
        .layer(middleware::from_fn_with_state(state.clone(), track))
        .layer(TraceLayer::new_for_http().make_span_with(span))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::client::resolve,
        ))
        .with_state(state)
}

/// The span of a request: method, route pattern (else the path, never the query), id, and
/// the client's address.
fn span(req: &Request) -> tracing::Span {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| req.uri().path().to_owned(), |m| m.as_str().to_owned());
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    let client = req
        .extensions()
        .get::<crate::client::ClientAddr>()
        .map_or_else(|| "-".to_owned(), |c| c.0.to_string());
    tracing::info_span!("request", method = %req.method(), route = %route, id = %id, client = %client)
}

/// Counts the request in the metrics, by route pattern and status.
async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |m| m.as_str().to_owned());
    let response = next.run(req).await;
    state
        .0
        .metrics
        .observe(&route, response.status().as_u16(), started.elapsed());
    response
}
