//! Server-rendered pages: templates (minijinja, embedded in the binary, HTML auto-escaping
//! forced on for every template whatever its name), the language of a request, and the page
//! handlers, one file each.
//!
//! minijinja rather than askama: templates are plain files read at start from strings
//! compiled in (`include_str!`), no proc-macro in the build, and one callback makes escaping
//! unconditional, which a test checks with markup in stored names.

pub(crate) mod admin;
pub(crate) mod cache;
pub(crate) mod frame;
pub(crate) mod hit;
pub(crate) mod lifecycle;
pub(crate) mod login;
pub(crate) mod map;
pub(crate) mod overview;
pub(crate) mod projects;
pub(crate) mod register;
pub(crate) mod reports;
pub(crate) mod svg;
pub(crate) mod text;

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{AutoEscape, Environment};
use serde::Deserialize;
use vigie_model::Lang;

use crate::auth::{LANG_COOKIE, cookie};
use crate::error::AppError;

/// The templates, each embedded.
const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("login.html", include_str!("../../templates/login.html")),
    (
        "overview.html",
        include_str!("../../templates/overview.html"),
    ),
    ("hit.html", include_str!("../../templates/hit.html")),
    (
        "projects.html",
        include_str!("../../templates/projects.html"),
    ),
    ("project.html", include_str!("../../templates/project.html")),
    (
        "packages.html",
        include_str!("../../templates/packages.html"),
    ),
    (
        "register.html",
        include_str!("../../templates/register.html"),
    ),
    ("map.html", include_str!("../../templates/map.html")),
    ("system.html", include_str!("../../templates/system.html")),
    ("reports.html", include_str!("../../templates/reports.html")),
    (
        "lifecycle.html",
        include_str!("../../templates/lifecycle.html"),
    ),
    (
        "licences.html",
        include_str!("../../templates/licences.html"),
    ),
    ("admin.html", include_str!("../../templates/admin.html")),
    ("pager.html", include_str!("../../templates/pager.html")),
    (
        "pager_range.html",
        include_str!("../../templates/pager_range.html"),
    ),
    (
        "admin_nav.html",
        include_str!("../../templates/admin_nav.html"),
    ),
    (
        "admin_users.html",
        include_str!("../../templates/admin_users.html"),
    ),
    (
        "admin_tokens.html",
        include_str!("../../templates/admin_tokens.html"),
    ),
    (
        "admin_audit.html",
        include_str!("../../templates/admin_audit.html"),
    ),
    (
        "admin_knowledge.html",
        include_str!("../../templates/admin_knowledge.html"),
    ),
];

/// The environment with every template, escaping HTML in all of them.
pub(crate) fn templates() -> Environment<'static> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    // A path segment or a query value built from a stored name (`/projects/{path}`,
    // `/systems/{ref}`): percent-encoded, then HTML-escaped like everything else.
    env.add_filter("seg", |s: String| frame::encode(&s));
    // `{{ n }} {{ n | noun("projects") }}`: the word after a count, agreeing with it in the
    // page's language; an unknown key fails the page (and the tests).
    env.add_filter(
        "noun",
        |state: &minijinja::State, n: i64, key: &str| -> Result<String, minijinja::Error> {
            let lang = state
                .lookup("lang")
                .and_then(|l| l.as_str().and_then(lang_of))
                .unwrap_or_default();
            text::noun(lang, n, key).map(str::to_owned).ok_or_else(|| {
                minijinja::Error::new(
                    minijinja::ErrorKind::InvalidOperation,
                    format!("no counted word {key:?}"),
                )
            })
        },
    );
    for (name, source) in TEMPLATES {
        // The templates are part of the binary: one that does not parse is a bug that the
        // tests catch, so panicking at start is right.
        #[allow(clippy::expect_used)]
        env.add_template(name, source)
            .expect("an embedded template parses");
    }
    env
}

/// Renders template `name` with `context`.
pub(crate) fn render(
    env: &Environment<'static>,
    name: &str,
    context: minijinja::Value,
) -> Result<Html<String>, AppError> {
    let template = env
        .get_template(name)
        .map_err(|e| AppError::Internal(e.into()))?;
    let html = template
        .render(context)
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok(Html(html))
}

/// `?lang=` on any page.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct LangQuery {
    lang: Option<String>,
}

fn lang_of(code: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == code)
}

/// The language of a request: `?lang=`, else the `vigie_lang` cookie, else the first of
/// English and French in `Accept-Language`, else English. The second value is true when
/// `?lang=` chose it (the answer then sets the cookie).
pub(crate) fn language(headers: &HeaderMap, query: &LangQuery) -> (Lang, bool) {
    if let Some(l) = query.lang.as_deref().and_then(lang_of) {
        return (l, true);
    }
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(lang_of) {
        return (l, false);
    }
    let accepted = headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mut best: Option<(f32, Lang)> = None;
    for item in accepted.split(',') {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.trim().strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        let primary = tag.split('-').next().unwrap_or("");
        if let Some(l) = lang_of(primary)
            && best.is_none_or(|(bq, _)| q > bq)
        {
            best = Some((q, l));
        }
    }
    (best.map_or(Lang::En, |(_, l)| l), false)
}

/// `page`, with the `vigie_lang` cookie set when `?lang=` chose the language.
pub(crate) fn with_lang(page: impl IntoResponse, lang: Lang, chosen: bool) -> Response {
    let mut response = page.into_response();
    if chosen
        && let Ok(v) = HeaderValue::from_str(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax",
            lang.code()
        ))
    {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// The stylesheet, served at `/static/vigie.css`.
pub(crate) async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        include_str!("../../static/vigie.css"),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(accept: &str, cookie: Option<&str>, query: Option<&str>) -> (Lang, bool) {
        let mut h = HeaderMap::new();
        h.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_str(accept).unwrap(),
        );
        if let Some(c) = cookie {
            h.insert(header::COOKIE, HeaderValue::from_str(c).unwrap());
        }
        let q = LangQuery {
            lang: query.map(str::to_owned),
        };
        language(&h, &q)
    }

    #[test]
    fn the_language_comes_from_query_cookie_then_header() {
        assert_eq!(
            lang("fr-FR,fr;q=0.9,en;q=0.8", None, None),
            (Lang::Fr, false)
        );
        assert_eq!(
            lang("de, en;q=0.5, fr;q=0.7", None, None),
            (Lang::Fr, false)
        );
        assert_eq!(lang("de", None, None), (Lang::En, false));
        assert_eq!(lang("fr", Some("vigie_lang=en"), None), (Lang::En, false));
        assert_eq!(
            lang("en", Some("vigie_lang=en"), Some("fr")),
            (Lang::Fr, true)
        );
        assert_eq!(lang("en", None, Some("xx")), (Lang::En, false));
    }

    #[test]
    fn every_template_escapes_html() {
        let env = templates();
        let t = env
            .template_from_str("{{ x }}")
            .unwrap()
            .render(minijinja::context! { x => "<script>" })
            .unwrap();
        assert_eq!(t, "&lt;script&gt;");
    }
}
