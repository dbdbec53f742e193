//! `vigie serve`: the control tower on the web. A front on the application core
//! (`vigie-app`) and the store (`vigie-store`), like the command line: it parses a request,
//! calls them, and renders what they return. No SQL and no audit logic live here.
//!
//! - [`router`] builds the whole router from the one list of routes ([`router::ROUTES`]),
//!   so tests drive it with `tower::ServiceExt::oneshot`, without a socket.
//! - [`run`] listens, opens the store in the background ([`AppState::open_store`]: `/readyz`
//!   is 503 until it is migrated), scans the given folders at start and on the schedule, and
//!   stops gracefully on SIGINT or SIGTERM.
//! - `auth.rs`: credentials (session cookie, `Authorization: Bearer`, `X-Api-Key`), the
//!   access of each route, CSRF; [`client`]: the client's address (behind trusted
//!   proxies, from `X-Forwarded-For`); `limit.rs`: the login rate limit; `stores.rs`: the
//!   synchronous store reached from async handlers through the blocking pool;
//!   `metrics.rs`: Prometheus text; `pages/`: the HTML pages (minijinja, embedded);
//!   `api/`: the REST API under `/api/v1` (JSON, problem+json errors, keyset pagination,
//!   ETags, the OpenAPI document).
//!
//! ```no_run
//! # async fn example(config: vigie_server::ServerConfig) -> anyhow::Result<()> {
//! let notify: vigie_server::Notify = std::sync::Arc::new(|n| eprintln!("{n:?}"));
//! vigie_server::run(config, notify).await
//! # }
//! ```

#![deny(missing_docs)]

mod analysis;
mod api;
pub mod auth;
pub mod client;
mod error;
mod health;
mod ingest;
mod limit;
mod metrics;
mod oidc;
mod pages;
mod replay;
pub mod router;
mod run;
mod state;
mod stores;
mod tls;

pub use error::AppError;

/// The OpenAPI 3.1 document of the REST API (`GET /api/v1/openapi.json`), pretty-printed.
pub fn openapi_json() -> String {
    api::openapi::document()
        .to_pretty_json()
        .unwrap_or_default()
}
pub use router::router;
pub use run::{Notice, Notify, reaudit_once, run, scan_once};
pub use state::{AppState, ServerConfig};

/// Structured logs on standard error, filtered by `RUST_LOG` (default `info`). Requests are
/// logged with their method, route pattern and id; headers, bodies and query strings never
/// are, so cookies, tokens and passwords stay out of the logs.
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
