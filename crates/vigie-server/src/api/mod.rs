//! The REST API under `/api/v1`: one file per resource, like crates.io's controllers, each
//! handler parsing its query, calling the store or `vigie-app`, and answering JSON.
//!
//! What every resource shares lives here:
//! - [`Params`]: the query string read strictly (an unknown, repeated or unreadable parameter
//!   is a 400 problem naming it);
//! - keyset pagination ([`paginate`]): `?limit=` (default 50, at most 500) and `?after=` an
//!   opaque cursor (base64url of the last item's sort key); the answer is
//!   `{ items, total, next }`, `total` counting every item the filters keep;
//! - [`json`]: the answer with a strong ETag (a hash of the body) and 304 on a matching
//!   `If-None-Match`;
//! - errors as RFC 9457 problems (`problem.rs`).
//!
//! The response types are DTOs of this module (`#[derive(ToSchema)]`), not the domain
//! crates' types: the OpenAPI document (`openapi.rs`) is generated from them, and the domain
//! crates stay free of any web dependency; their serde layouts can change without changing
//! the API's contract. Where the API hands out a document vigie already versions (a finding's
//! detail, the risk analysis of `docs/schemas/risk.v1.schema.json`), the DTO carries it as a
//! JSON object.

pub(crate) mod audit_log;
pub(crate) mod catalog;
pub(crate) mod components;
pub(crate) mod estate;
pub(crate) mod findings;
pub(crate) mod hit;
pub(crate) mod openapi;
pub mod problem;
pub(crate) mod projects;
pub(crate) mod reports;
pub(crate) mod risks;
pub(crate) mod snapshots;
pub(crate) mod tokens;
pub(crate) mod triage;
pub(crate) mod users;
pub(crate) mod vocab;

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::Serialize;
use sha2::Digest;
use vigie_store::SnapshotId;

pub use problem::{ApiError, Problem};

use crate::state::AppState;

/// Items per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 50;
/// The longest question (`q`) read.
pub const MAX_TEXT: usize = 512;
/// The most items a page holds.
pub const MAX_LIMIT: usize = 500;

/// A query string read strictly.
pub(crate) struct Params(Vec<(String, String)>);

impl Params {
    /// Reads `raw`, refusing a parameter not in `known` or given twice.
    pub(crate) fn new(raw: Option<&str>, known: &[&str]) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| ApiError::param("query", e.to_string()))?;
        for (i, (k, _)) in pairs.iter().enumerate() {
            if !known.contains(&k.as_str()) {
                return Err(ApiError::param(
                    k,
                    format!("unknown parameter (known: {})", known.join(", ")),
                ));
            }
            if pairs[..i].iter().any(|(o, _)| o == k) {
                return Err(ApiError::param(k, "given more than once"));
            }
        }
        Ok(Params(pairs))
    }

    /// The value of `name`, if given and not empty (`?kind=` is no filter).
    pub(crate) fn str(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The value of `name`, required, of at most [`MAX_TEXT`] characters.
    pub(crate) fn required(&self, name: &str) -> Result<&str, ApiError> {
        match self.str(name) {
            Some(v) if v.chars().count() > MAX_TEXT => Err(ApiError::param(
                name,
                format!("longer than {MAX_TEXT} characters"),
            )),
            Some(v) if !v.trim().is_empty() => Ok(v),
            _ => Err(ApiError::param(name, "required")),
        }
    }

    /// The value of `name` parsed, if given.
    pub(crate) fn parse<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, ApiError>
    where
        T::Err: std::fmt::Display,
    {
        self.str(name)
            .map(|v| {
                v.parse::<T>()
                    .map_err(|e| ApiError::param(name, format!("{v:?}: {e}")))
            })
            .transpose()
    }

    /// A value of `name` among `allowed`, if given.
    pub(crate) fn choice(&self, name: &str, allowed: &[&str]) -> Result<Option<String>, ApiError> {
        // Not `str`: an empty value is not one of the words either.
        match self
            .0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
        {
            None => Ok(None),
            Some(v) if allowed.contains(&v) => Ok(Some(v.to_owned())),
            Some(v) => Err(ApiError::param(
                name,
                format!("{v:?} is not one of {}", allowed.join(", ")),
            )),
        }
    }

    /// `limit` and `after`.
    pub(crate) fn page(&self) -> Result<PageRequest, ApiError> {
        let limit = match self.parse::<usize>("limit")? {
            None => DEFAULT_LIMIT,
            Some(n) if (1..=MAX_LIMIT).contains(&n) => n,
            Some(n) => {
                return Err(ApiError::param(
                    "limit",
                    format!("{n} is not between 1 and {MAX_LIMIT}"),
                ));
            }
        };
        // An empty cursor is not "no cursor": only `next` as given is one.
        let after = self
            .0
            .iter()
            .find(|(k, _)| k == "after")
            .map(|(_, v)| decode_cursor(v))
            .transpose()?;
        Ok(PageRequest { limit, after })
    }

    /// `snapshot`, else the latest; 404 when the store has none, or not that one.
    pub(crate) async fn snapshot(&self, state: &AppState) -> Result<SnapshotId, ApiError> {
        let asked = self.parse::<SnapshotId>("snapshot")?;
        resolve_snapshot(state, asked).await
    }
}

/// Snapshot `asked` if it exists, else the latest.
pub(crate) async fn resolve_snapshot(
    state: &AppState,
    asked: Option<SnapshotId>,
) -> Result<SnapshotId, ApiError> {
    let stores = state.stores()?.clone();
    let ids: Vec<SnapshotId> = stores
        .read(|s| Ok(s.snapshots()?.into_iter().map(|i| i.id).collect()))
        .await?;
    match asked {
        None => ids.last().copied().ok_or(ApiError::NoSnapshot),
        Some(id) if ids.contains(&id) => Ok(id),
        Some(id) => Err(ApiError::NotFound(format!("no snapshot {id}"))),
    }
}

/// What page is asked for.
pub(crate) struct PageRequest {
    /// At most this many items.
    pub(crate) limit: usize,
    /// After the item of this sort key.
    pub(crate) after: Option<String>,
}

/// The cursor of sort key `key`: base64url of a small JSON document, so that its form can
/// change without clients noticing.
pub(crate) fn encode_cursor(key: &str) -> String {
    let doc = serde_json::json!({ "k": key }).to_string();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(doc)
}

/// The sort key of a cursor; a cursor vigie did not make is a 400.
pub(crate) fn decode_cursor(cursor: &str) -> Result<String, ApiError> {
    let bad = || ApiError::param("after", "not a cursor of this API (use `next` as given)");
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .map_err(|_| bad())?;
    let doc: serde_json::Value = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    doc.get("k")
        .and_then(|k| k.as_str())
        .map(str::to_owned)
        .ok_or_else(bad)
}

/// One page of `items` (sorted by `key`, keys unique) kept by `keep`: the items after the
/// cursor, at most `limit`, the count of every kept item, and the next cursor when more
/// follow.
pub(crate) fn paginate<T, U>(
    items: &[T],
    key: impl Fn(&T) -> &str,
    keep: impl Fn(&T) -> bool,
    page: &PageRequest,
    map: impl Fn(&T) -> U,
) -> PageOf<U> {
    let start = match &page.after {
        Some(after) => items.partition_point(|i| key(i) <= after.as_str()),
        None => 0,
    };
    let total = items.iter().filter(|i| keep(i)).count() as u64;
    let mut out: Vec<&T> = items[start..]
        .iter()
        .filter(|i| keep(i))
        .take(page.limit + 1)
        .collect();
    let next = if out.len() > page.limit {
        out.truncate(page.limit);
        out.last().map(|i| encode_cursor(key(i)))
    } else {
        None
    };
    PageOf {
        items: out.into_iter().map(map).collect(),
        total,
        next,
    }
}

/// One page of `items` in the order of their increasing `id` (a store's rows: triage
/// decisions, tokens), every item kept; the cursor is the id.
pub(crate) fn paginate_by_id<T, U>(
    items: Vec<T>,
    id: impl Fn(&T) -> i64,
    page: &PageRequest,
    map: impl Fn(&T) -> U,
) -> PageOf<U> {
    // Zero-padded, the ids sort as text as they do as numbers.
    let keyed: Vec<(String, T)> = items
        .into_iter()
        .map(|i| (format!("{:020}", id(&i)), i))
        .collect();
    paginate(&keyed, |k| k.0.as_str(), |_| true, page, |k| map(&k.1))
}

/// The position of an enumerated item as [`paginate_by_id`]'s id: a list read from a
/// snapshot, which never changes, pages by position.
pub(crate) fn position<T>(item: &(usize, T)) -> i64 {
    i64::try_from(item.0).unwrap_or(i64::MAX)
}

/// A page of items (`Page` of the OpenAPI document, per item type).
#[derive(Debug, Serialize)]
pub(crate) struct PageOf<T> {
    /// The items of this page.
    pub(crate) items: Vec<T>,
    /// How many items the filters keep, over every page.
    pub(crate) total: u64,
    /// The cursor of the next page (`?after=`), `null` on the last.
    pub(crate) next: Option<String>,
}

/// Declares the OpenAPI schema of a page of `$item` as `$name`.
macro_rules! page_schema {
    ($name:ident, $item:ty) => {
        /// A page of items, keyset-paginated.
        #[derive(utoipa::ToSchema)]
        #[allow(dead_code)] // only its schema is used
        pub(crate) struct $name {
            /// The items of this page.
            items: Vec<$item>,
            /// How many items the filters keep, over every page.
            total: u64,
            /// The cursor of the next page (`?after=`), `null` on the last.
            next: Option<String>,
        }
    };
}
pub(crate) use page_schema;

/// `value` as JSON with a strong ETag (a hash of the body); 304 when `If-None-Match` names
/// it.
pub(crate) fn json<T: Serialize>(headers: &HeaderMap, value: &T) -> Result<Response, ApiError> {
    let body = serde_json::to_vec(value).map_err(anyhow::Error::from)?;
    Ok(bytes_with_etag(headers, body, "application/json"))
}

/// Whether `If-None-Match` names `etag` (or is `*`).
pub(crate) fn etag_matches(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

/// `body` of `content_type` with a strong ETag; 304 when `If-None-Match` names it.
pub(crate) fn bytes_with_etag(headers: &HeaderMap, body: Vec<u8>, content_type: &str) -> Response {
    let digest = sha2::Sha256::digest(&body);
    let tag: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    with_etag(headers, body.into(), content_type, &format!("\"{tag}\""))
}

/// `body` of `content_type` with the strong ETag `etag` (made by [`bytes_with_etag`], or
/// kept with the body by `replay.rs`); 304 when `If-None-Match` names it.
pub(crate) fn with_etag(
    headers: &HeaderMap,
    body: bytes::Bytes,
    content_type: &str,
    etag: &str,
) -> Response {
    let mut response = if etag_matches(headers, etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut r = body.into_response();
        if let Ok(v) = HeaderValue::from_str(content_type) {
            r.headers_mut().insert(header::CONTENT_TYPE, v);
        }
        r
    };
    let h = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    response
}
