//! What every page shares: who asks, in which language, the navigation bar, the language
//! switch that keeps the current page, and rendering a template inside that frame.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::response::{Html, Response};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use vigie_model::Lang;
use vigie_store::Role;

use super::login::other;
use super::{LangQuery, language, render, text, with_lang};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;

/// Everything but the unreserved characters of RFC 3986 is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `s` percent-encoded as one path segment or query value.
pub(crate) fn encode(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// A page request: the principal (the guard put it there), the language, the current page.
pub(crate) struct PageReq {
    pub(crate) principal: Principal,
    pub(crate) lang: Lang,
    chosen: bool,
    /// The client's address (the socket's).
    pub(crate) ip: Option<String>,
    path: String,
    query: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for PageReq {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<PageReq, AppError> {
        let principal = parts
            .extensions
            .get::<Principal>()
            .cloned()
            .ok_or(AppError::Unauthenticated)?;
        let query: LangQuery = parts
            .uri
            .query()
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        let (lang, chosen) = language(&parts.headers, &query);
        Ok(PageReq {
            principal,
            lang,
            chosen,
            ip: crate::auth::client_ip(&parts.extensions),
            path: parts.uri.path().to_owned(),
            query: parts.uri.query().map(str::to_owned),
        })
    }
}

impl PageReq {
    /// May record triage decisions.
    pub(crate) fn may_triage(&self) -> bool {
        self.principal.role.is_some_and(|r| r >= Role::Triager)
    }

    /// May administer users, tokens and the server (the navigation shows the link).
    pub(crate) fn is_admin(&self) -> bool {
        self.principal.role == Some(Role::Admin)
    }

    /// The current page in the other language: its path and query, `lang` replaced.
    fn switch(&self) -> String {
        let mut pairs: Vec<(String, String)> = self
            .query
            .as_deref()
            .and_then(|q| serde_urlencoded::from_str(q).ok())
            .unwrap_or_default();
        pairs.retain(|(k, _)| k != "lang");
        pairs.push(("lang".into(), other(self.lang).code().into()));
        let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("{}?{q}", self.path)
    }

    /// Template `name` rendered in the frame, `nav` the current section, with `ctx`.
    pub(crate) fn render(
        &self,
        state: &AppState,
        name: &str,
        nav: &str,
        ctx: minijinja::Value,
    ) -> Result<Response, AppError> {
        let frame = minijinja::context! {
            lang => self.lang.code(),
            other_lang => other(self.lang).code(),
            t => text::words(self.lang),
            // Markers, spliced below: the page without them is what `replay.rs` keeps.
            user => state.0.markers.user.as_str(),
            csrf => state.0.markers.csrf.as_str(),
            may_triage => self.may_triage(),
            is_admin => self.is_admin(),
            switch => self.switch(),
            nav => nav,
        };
        let template: std::sync::Arc<str> = render(
            &state.0.templates,
            name,
            minijinja::context! { ..frame, ..ctx },
        )?
        .0
        .into();
        let html = state.0.markers.splice(&template, &self.principal);
        let mut response = with_lang(Html(html), self.lang, self.chosen);
        response
            .extensions_mut()
            .insert(crate::replay::PageTemplate(template));
        Ok(response)
    }
}

/// A serialisable value for a template.
/// Items listed per page where a page pages through a list by position (`?from=N`).
pub(crate) const PER_PAGE: usize = 200;

/// The position of a page in a list it pages through with `?from=N`: the links to the pages
/// before and after (their query strings, with `keep`'s parameters first), and the range shown.
#[derive(serde::Serialize)]
pub(crate) struct Pager {
    /// Every item of the list.
    pub(crate) total: usize,
    /// The first item shown, from 1 (or 0 when none is).
    pub(crate) first: usize,
    /// The last item shown.
    pub(crate) last: usize,
    /// The query string of the page before, if any.
    pub(crate) previous: Option<String>,
    /// The query string of the page after, if any.
    pub(crate) next: Option<String>,
}

impl Pager {
    /// The page of `shown` items starting at `from` in a list of `total`.
    pub(crate) fn new(from: usize, shown: usize, total: usize, keep: &[(&str, &str)]) -> Pager {
        let link = |at: usize| {
            let mut q: String = keep
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}={}&", encode(v)))
                .collect();
            q.push_str(&format!("from={at}"));
            q
        };
        Pager {
            total,
            first: if shown == 0 { 0 } else { from + 1 },
            last: from + shown,
            previous: (from > 0).then(|| link(from.saturating_sub(PER_PAGE))),
            next: (from + shown < total).then(|| link(from + shown)),
        }
    }
}

pub(crate) fn val<T: serde::Serialize + ?Sized>(v: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(v))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_stored_name_is_one_segment() {
        assert_eq!(
            super::encode("system:default/web shop<x>"),
            "system%3Adefault%2Fweb%20shop%3Cx%3E"
        );
    }
}
