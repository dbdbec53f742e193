//! The server driven through its router (`tower::ServiceExt::oneshot`, no socket) over a real
//! SQLite store in a temporary folder, holding a real scan of `examples/acme` made through
//! `vigie-app` with the reference mirror's knowledge.

mod admin;
mod api;
mod api_openapi;
mod browser;
mod common;
mod ingest;
mod oidc;
mod pages;
mod proxies;
mod replay;
mod routes;
mod security;
mod tls;
