//! `GET /login` (the form, with its own CSRF cookie), `POST /login` (rate-limited, the same
//! answer for an unknown user and a wrong password) and `POST /logout`.

use std::time::Instant;

use axum::Extension;
use axum::Form;
use axum::extract::{Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigie_model::Lang;

use super::{LangQuery, language, render, text, with_lang};
use crate::auth::{LOGIN_CSRF_COOKIE, Principal, SESSION_COOKIE, Via, audit, client_ip, cookie};
use crate::error::AppError;
use crate::state::AppState;

/// The login form's fields.
#[derive(Deserialize)]
pub(crate) struct LoginForm {
    name: String,
    password: String,
    csrf: String,
}

/// A cookie's `Set-Cookie` value, `SameSite=Strict`, `Secure` when the server says so.
pub(crate) fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    max_age: u64,
) -> HeaderValue {
    cookie_with(state, name, value, path, max_age, "Strict")
}

/// [`set_cookie`] with another `SameSite` (`Lax`: sent on a top-level navigation from
/// another site, which the OpenID Connect callback is).
pub(crate) fn cookie_with(
    state: &AppState,
    name: &str,
    value: &str,
    path: &str,
    max_age: u64,
    same_site: &str,
) -> HeaderValue {
    let secure = if state.config().settings.secure_cookies() {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite={same_site}{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The login page with a fresh CSRF cookie, `status` and an optional error.
pub(crate) fn login_page(
    state: &AppState,
    lang: Lang,
    chosen: bool,
    status: StatusCode,
    name: &str,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let csrf = vigie_app::access::random_hex(32)?;
    let t = text::words(lang);
    let html = render(
        &state.0.templates,
        "login.html",
        minijinja::context! {
            lang => lang.code(),
            other_lang => other(lang).code(),
            t => t,
            user => minijinja::Value::from(()),
            csrf => csrf.clone(),
            name => name,
            error => error,
            oidc => state.0.oidc.as_ref().map(|o| o.name().to_owned()),
        },
    )?;
    let mut response = with_lang((status, html), lang, chosen);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, LOGIN_CSRF_COOKIE, &csrf, "/login", 3600),
    );
    Ok(response)
}

/// The other language (the switch).
pub(crate) fn other(lang: Lang) -> Lang {
    match lang {
        Lang::En => Lang::Fr,
        Lang::Fr => Lang::En,
    }
}

pub(crate) async fn form(
    State(state): State<AppState>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if crate::auth::authenticate(&state, &headers).await?.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let (lang, chosen) = language(&headers, &query);
    login_page(&state, lang, chosen, StatusCode::OK, "", None)
}

pub(crate) async fn submit(
    State(state): State<AppState>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Result<Response, AppError> {
    let ip = client_ip(&parts.extensions);
    let headers = parts.headers;
    let (lang, _) = language(&headers, &LangQuery::default());
    let t = text::words(lang);
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    if expected.is_empty() || !vigie_app::access::same(&form.csrf, expected) {
        return Err(AppError::Csrf);
    }
    let keys = [
        format!("ip:{}", ip.as_deref().unwrap_or("-")),
        format!("user:{}", form.name),
    ];
    if let Err(wait) = state.0.limiter.check(&keys, Instant::now()) {
        let mut page = login_page(
            &state,
            lang,
            false,
            StatusCode::TOO_MANY_REQUESTS,
            &form.name,
            Some(t["too_many"]),
        )?;
        if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
            page.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(page);
    }
    let stores = state.stores()?.clone();
    let (name, password) = (form.name.clone(), form.password);
    let user = stores
        .read(move |s| vigie_app::access::check_password(s, &name, &password))
        .await?;
    let Some(user) = user else {
        state.0.limiter.fail(&keys, Instant::now());
        let entry = audit(&form.name, "session.login-failed", &form.name, ip);
        stores
            .bookkeep(move |s| Ok(s.append_audit(&entry)?))
            .await?;
        tracing::info!(user = %form.name, "login refused");
        return login_page(
            &state,
            lang,
            false,
            StatusCode::UNAUTHORIZED,
            &form.name,
            Some(t["bad_login"]),
        );
    };
    let lifetime = state.config().settings.session_lifetime;
    let entry = audit(&user.name, "session.login", &user.name, ip);
    let session = stores
        .bookkeep(move |s| vigie_app::access::start_session(s, &user, lifetime, &entry))
        .await?;
    tracing::info!(user = %form.name, "logged in");
    let mut response = Redirect::to("/").into_response();
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, &session.id, "/", lifetime.as_secs()),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(&state, LOGIN_CSRF_COOKIE, "", "/login", 0),
    );
    Ok(response)
}

pub(crate) async fn logout(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    req: Request,
) -> Result<Response, AppError> {
    let Via::Session { id_hash, .. } = &principal.via else {
        return Err(AppError::Forbidden);
    };
    let entry = audit(
        &principal.name,
        "session.logout",
        &principal.name,
        client_ip(req.extensions()),
    );
    let id_hash = id_hash.clone();
    state
        .stores()?
        .bookkeep(move |s| Ok(s.end_session(&id_hash, Some(&entry))?))
        .await?;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", "/", 0),
    );
    Ok(response)
}
