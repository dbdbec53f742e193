//! `GET /admin/tokens`: every API token (prefix, name, the role or ingest scope it amounts
//! to, its scopes, who made it and when, expiry, last use, revocation), never its secret or
//! hash (the store gives neither to a page: the hash is not serialised); a form to create
//! one and one per live token to revoke it. `POST /admin/tokens` answers with the page and
//! the new token shown once; `POST /admin/tokens/revoke` redirects back.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use vigie_app::admin::{MAX_TOKEN_DAYS, Refusal, TokenKind};
use vigie_store::TokenRecord;

use super::{Notice, actor, back, unprocessable};
use crate::error::AppError;
use crate::pages::frame::{PageReq, val};
use crate::state::AppState;

/// One token as the page shows it.
#[derive(Serialize)]
struct TokenLine<'a> {
    prefix: &'a str,
    name: &'a str,
    kind: Option<&'static str>,
    scopes: Vec<&'static str>,
    created_by: &'a str,
    created_at: &'a str,
    expires_at: Option<&'a str>,
    last_used: Option<&'a str>,
    revoked_at: Option<&'a str>,
}

impl<'a> From<&'a TokenRecord> for TokenLine<'a> {
    fn from(k: &'a TokenRecord) -> TokenLine<'a> {
        TokenLine {
            prefix: &k.prefix,
            name: &k.name,
            kind: TokenKind::of(&k.scopes).map(TokenKind::as_str),
            scopes: k.scopes.iter().map(|s| s.as_str()).collect(),
            created_by: &k.created_by,
            created_at: &k.created_at,
            expires_at: k.expires_at.as_deref(),
            last_used: k.last_used.as_deref(),
            revoked_at: k.revoked_at.as_deref(),
        }
    }
}

/// A token made, shown once.
#[derive(Serialize)]
struct Created {
    prefix: String,
    name: String,
    token: String,
}

async fn render(
    state: &AppState,
    page: &PageReq,
    notice: &Notice,
    created: Option<Created>,
) -> Result<Response, AppError> {
    let stores = state.stores()?.clone();
    let tokens = stores.read(vigie_app::admin::tokens).await?;
    // Newest first: the one just made is at the top.
    let lines: Vec<TokenLine<'_>> = tokens.iter().rev().map(TokenLine::from).collect();
    let kinds: Vec<&str> = TokenKind::ALL.iter().map(|k| k.as_str()).collect();
    page.render(
        state,
        "admin_tokens.html",
        "admin",
        minijinja::context! {
            section => "tokens",
            tokens => val(&lines),
            kinds => kinds,
            max_days => MAX_TOKEN_DAYS,
            created => val(&created),
            ..notice.context()
        },
    )
}

/// `GET /admin/tokens`.
pub(crate) async fn list(
    State(state): State<AppState>,
    page: PageReq,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    actor(&page)?;
    render(&state, &page, &notice, None).await
}

/// The form that creates a token.
#[derive(Deserialize)]
pub(crate) struct CreateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    /// Empty: never expires.
    #[serde(default)]
    expires_days: String,
}

/// `POST /admin/tokens`.
pub(crate) async fn create(
    State(state): State<AppState>,
    page: PageReq,
    Form(form): Form<CreateForm>,
) -> Result<Response, AppError> {
    let by = actor(&page)?;
    let days = match form.expires_days.trim() {
        "" => Ok(None),
        d => d.parse::<u32>().map(Some),
    };
    let (Some(kind), Ok(days)) = (TokenKind::parse(&form.kind), days) else {
        let page = render(&state, &page, &Notice::bad_form(), None).await?;
        return Ok(unprocessable(page));
    };
    let name = form.name.trim().to_owned();
    let stores = state.stores()?.clone();
    let outcome = stores
        .write(move |s| vigie_app::admin::create_token(s, &by, &name, kind, days))
        .await?;
    match outcome {
        Ok(made) => {
            let created = Created {
                prefix: made.record.prefix,
                name: made.record.name,
                token: made.token,
            };
            render(&state, &page, &Notice::default(), Some(created)).await
        }
        Err(r) => {
            let page = render(&state, &page, &Notice::refused(&r), None).await?;
            Ok(unprocessable(page))
        }
    }
}

/// The form that revokes a token.
#[derive(Deserialize)]
pub(crate) struct RevokeForm {
    #[serde(default)]
    prefix: String,
}

/// `POST /admin/tokens/revoke`.
pub(crate) async fn revoke(
    State(state): State<AppState>,
    page: PageReq,
    Form(form): Form<RevokeForm>,
) -> Result<Response, AppError> {
    let by = actor(&page)?;
    let prefix = form.prefix;
    if prefix.is_empty() {
        return Ok(back("/admin/tokens", Err(Refusal::NoSuchToken)));
    }
    let target = prefix.clone();
    let stores = state.stores()?.clone();
    let outcome = stores
        .write(move |s| vigie_app::admin::revoke_token(s, &by, &prefix))
        .await?;
    Ok(back(
        "/admin/tokens",
        outcome.map(|()| ("token.revoke", target.as_str())),
    ))
}
