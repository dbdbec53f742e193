//! Answers kept and replayed: the reads of the pages and the API depend only on the store's
//! state, the day, the knowledge index, and (pages) the language and the role of who asks.
//! A snapshot never changes once written, so the same question asked again gets the same
//! answer: it is kept here, by what it depends on, and replayed without asking the store.
//!
//! - **The epoch** ([`Epoch`]): the latest snapshot, the day, the store's triage mark, the
//!   writes made through the server (triage, ingest, scans) and the knowledge index's
//!   compilation date. When it moves, everything kept is forgotten. It is read again at
//!   most every [`EPOCH_CHECK`] unless the server itself wrote (then at once), so a
//!   `vigie scan`, a `vigie triage` or a sync made outside the server is seen within that
//!   delay.
//! - **API answers**: the JSON body and its strong ETag, by path and query; a matching
//!   `If-None-Match` gets 304 from the kept ETag.
//! - **Pages**: rendered once with markers in place of the per-request values (the user's
//!   name, the session's CSRF token), kept by path, query, language and role, and replayed
//!   with those values spliced in (escaped). The markers carry a random nonce of this
//!   process, so no stored text can forge one.
//! - **Bounds**: an answer over [`MAX_ENTRY`] is not kept, the total kept stays under
//!   [`MAX_TOTAL`] (the oldest go first), and nothing is kept longer than [`MAX_AGE`]
//!   (relative dates such as "3 minutes ago" age).
//!
//! Only routes of [`crate::router::ROUTES`] marked `replay` are kept, and only after their
//! access guard let the request through: a replayed answer is never shown to someone the
//! route would refuse.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use vigie_model::Lang;
use vigie_store::Role;

use crate::auth::Principal;
use crate::state::AppState;

/// How often the epoch is read again when the server did not write.
pub(crate) const EPOCH_CHECK: Duration = Duration::from_secs(1);
/// The longest an answer is kept.
pub(crate) const MAX_AGE: Duration = Duration::from_secs(60);
/// The largest answer kept.
pub(crate) const MAX_ENTRY: usize = 4 * 1024 * 1024;
/// The most bytes kept in all.
pub(crate) const MAX_TOTAL: usize = 48 * 1024 * 1024;

/// What every kept answer depends on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Epoch {
    /// The latest snapshot, the day and the triage mark (`analysis::Key`).
    analysis: Option<crate::analysis::Key>,
    writes: u64,
    index: Option<String>,
}

/// A page rendered with markers (in the response's extensions): what [`replay`] keeps.
#[derive(Clone)]
pub(crate) struct PageTemplate(pub(crate) std::sync::Arc<str>);

/// The markers of the per-request values of a page.
pub(crate) struct Markers {
    pub(crate) user: String,
    pub(crate) csrf: String,
}

impl Markers {
    /// Markers with a random nonce (private-use characters around it: nothing escapes them,
    /// nothing stored is expected to hold them, and the nonce makes them unguessable).
    pub(crate) fn new() -> Markers {
        let nonce = vigie_app::access::random_hex(12).unwrap_or_else(|_| {
            // No randomness: the process start time, still not in any stored text.
            format!("{:?}", Instant::now())
        });
        Markers {
            user: format!("\u{e000}user-{nonce}\u{e001}"),
            csrf: format!("\u{e000}csrf-{nonce}\u{e001}"),
        }
    }

    /// `template` with the markers replaced by `principal`'s name (escaped) and CSRF token.
    pub(crate) fn splice(&self, template: &str, principal: &Principal) -> String {
        let user = minijinja::HtmlEscape(&principal.name).to_string();
        let csrf = minijinja::HtmlEscape(principal.csrf().unwrap_or("")).to_string();
        template
            .replace(&self.user, &user)
            .replace(&self.csrf, &csrf)
    }
}

struct Entry {
    at: Instant,
    kind: Kind,
    size: usize,
}

#[derive(Clone)]
enum Kind {
    Json { body: bytes::Bytes, etag: String },
    Page { template: std::sync::Arc<str> },
}

#[derive(Default)]
struct Kept {
    epoch: Option<(Instant, Epoch)>,
    writes_seen: u64,
    entries: HashMap<String, Entry>,
    total: usize,
}

/// The kept answers.
#[derive(Default)]
pub(crate) struct Replay {
    kept: Mutex<Kept>,
}

impl Replay {
    /// The epoch kept, when still fresh for `writes`.
    fn fresh_epoch(&self, writes: u64) -> Option<Epoch> {
        let kept = self.kept.lock().ok()?;
        let (at, e) = kept.epoch.as_ref()?;
        (kept.writes_seen == writes && at.elapsed() < EPOCH_CHECK).then(|| e.clone())
    }

    /// Sets the epoch read now; forgets every answer when it moved.
    fn set_epoch(&self, epoch: &Epoch) {
        if let Ok(mut kept) = self.kept.lock() {
            if kept.epoch.as_ref().is_none_or(|(_, e)| e != epoch) {
                kept.entries.clear();
                kept.total = 0;
            }
            kept.writes_seen = epoch.writes;
            kept.epoch = Some((Instant::now(), epoch.clone()));
        }
    }

    fn get(&self, key: &str, epoch: &Epoch) -> Option<Kind> {
        let kept = self.kept.lock().ok()?;
        if kept.epoch.as_ref().is_none_or(|(_, e)| e != epoch) {
            return None;
        }
        let e = kept.entries.get(key)?;
        (e.at.elapsed() < MAX_AGE).then(|| e.kind.clone())
    }

    fn put(&self, key: String, epoch: &Epoch, kind: Kind, size: usize) {
        if size > MAX_ENTRY {
            return;
        }
        let Ok(mut kept) = self.kept.lock() else {
            return;
        };
        if kept.epoch.as_ref().is_none_or(|(_, e)| e != epoch) {
            return;
        }
        // The answer it replaces, the old, and then the oldest go first.
        kept.entries.remove(&key);
        kept.entries.retain(|_, e| e.at.elapsed() < MAX_AGE);
        kept.total = kept.entries.values().map(|e| e.size).sum();
        while kept.total + size > MAX_TOTAL {
            let Some(oldest) = kept
                .entries
                .iter()
                .min_by_key(|(_, e)| e.at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            if let Some(e) = kept.entries.remove(&oldest) {
                kept.total -= e.size;
            }
        }
        kept.total += size;
        kept.entries.insert(
            key,
            Entry {
                at: Instant::now(),
                kind,
                size,
            },
        );
    }
}

impl AppState {
    /// What kept answers depend on, now.
    async fn epoch(&self) -> Option<Epoch> {
        let stores = self.stores().ok()?.clone();
        let writes = stores.writes();
        let replay = &self.0.replay;
        if let Some(e) = replay.fresh_epoch(writes) {
            return Some(e);
        }
        let epoch = Epoch {
            analysis: crate::analysis::Key::read(&stores, None).await.ok()?,
            writes,
            index: self.index_created().await,
        };
        replay.set_epoch(&epoch);
        Some(epoch)
    }
}

/// The key of a request: its path and query, and for a page the language and the role it
/// is rendered in.
fn key_of(req: &Request, lang: Lang, role: Option<Role>) -> String {
    let uri = req.uri();
    let pq = uri.path_and_query().map_or(uri.path(), |pq| pq.as_str());
    if is_api(req) {
        return format!("api {pq}");
    }
    let role = match role {
        Some(Role::Admin) => "admin",
        Some(Role::Triager) => "triager",
        Some(Role::Viewer) => "viewer",
        None => "none",
    };
    format!("page {} {role} {pq}", lang.code())
}

fn is_api(req: &Request) -> bool {
    req.uri().path().starts_with("/api/")
}

/// The middleware of a `replay` route (inside its access guard): a GET answered from what
/// is kept, else computed, kept when it can be, and answered.
pub(crate) async fn replay(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET {
        return next.run(req).await;
    }
    let Some(principal) = req.extensions().get::<Principal>().cloned() else {
        return next.run(req).await;
    };
    let Some(epoch) = state.epoch().await else {
        return next.run(req).await;
    };
    let query: super::pages::LangQuery = req
        .uri()
        .query()
        .and_then(|q| serde_urlencoded::from_str(q).ok())
        .unwrap_or_default();
    let (lang, chosen) = super::pages::language(req.headers(), &query);
    let key = key_of(&req, lang, principal.role);
    let replay = &state.0.replay;
    if let Some(kind) = replay.get(&key, &epoch) {
        return match kind {
            Kind::Json { body, etag } => {
                crate::api::with_etag(req.headers(), body, "application/json", &etag)
            }
            Kind::Page { template } => {
                let html = state.0.markers.splice(&template, &principal);
                super::pages::with_lang(Html(html), lang, chosen)
            }
        };
    }
    let is_api = is_api(&req);
    let response = next.run(req).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    if let Some(PageTemplate(template)) = response.extensions().get::<PageTemplate>() {
        let size = template.len();
        replay.put(
            key,
            &epoch,
            Kind::Page {
                template: template.clone(),
            },
            size,
        );
        return response;
    }
    let etag = response
        .headers()
        .get(header::ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    let (Some(etag), true, true) = (etag, is_json, is_api) else {
        return response;
    };
    // Only a body of known size under the bound is read here (the handlers' JSON is).
    let small = http_body::Body::size_hint(response.body())
        .exact()
        .is_some_and(|n| n <= MAX_ENTRY as u64);
    if !small {
        return response;
    }
    let (parts, body) = response.into_parts();
    match axum::body::to_bytes(body, MAX_ENTRY).await {
        Ok(bytes) => {
            let size = bytes.len();
            replay.put(
                key,
                &epoch,
                Kind::Json {
                    body: bytes.clone(),
                    etag,
                },
                size,
            );
            Response::from_parts(parts, Body::from(bytes))
        }
        // A body of known size that cannot be read: this server's own fault.
        Err(e) => {
            tracing::error!(error = %e, "reading an answer to keep it");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
