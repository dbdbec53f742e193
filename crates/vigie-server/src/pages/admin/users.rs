//! `GET /admin/users`: every user (name, role, origin, state, created, last login) with a
//! form to disable or enable each and to set its role, and one to add a local user.
//! `POST /admin/users` adds one (the password given, or generated and shown once on the
//! answer); `POST /admin/users/disable` and `POST /admin/users/role` change one and
//! redirect back. The rules (no admin disables themselves, the last active admin stays) are
//! `vigie_app::admin`'s.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use vigie_store::Role;

use super::{Notice, actor, back, unprocessable};
use crate::error::AppError;
use crate::pages::frame::{PageReq, val};
use crate::state::AppState;

/// One user as the page shows it.
#[derive(Serialize)]
struct UserLine<'a> {
    name: &'a str,
    role: &'static str,
    /// `local`, `oidc` or `both`.
    origin: &'static str,
    disabled: bool,
    created_at: &'a str,
    last_login: Option<&'a str>,
}

/// A user added, shown once.
#[derive(Serialize)]
struct Added {
    name: String,
    password: Option<String>,
}

async fn render(
    state: &AppState,
    page: &PageReq,
    notice: &Notice,
    added: Option<Added>,
) -> Result<Response, AppError> {
    let stores = state.stores()?.clone();
    let users = stores.read(vigie_app::admin::users).await?;
    let lines: Vec<UserLine<'_>> = users
        .iter()
        .map(|u| UserLine {
            name: &u.name,
            role: u.role.as_str(),
            origin: vigie_app::admin::origin(u),
            disabled: u.disabled,
            created_at: &u.created_at,
            last_login: u.last_login.as_deref(),
        })
        .collect();
    let roles: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
    page.render(
        state,
        "admin_users.html",
        "admin",
        minijinja::context! {
            section => "users",
            users => val(&lines),
            roles => roles,
            added => val(&added),
            ..notice.context()
        },
    )
}

/// `GET /admin/users`.
pub(crate) async fn list(
    State(state): State<AppState>,
    page: PageReq,
    Query(notice): Query<Notice>,
) -> Result<Response, AppError> {
    actor(&page)?;
    render(&state, &page, &notice, None).await
}

/// The form that adds a user.
#[derive(Deserialize)]
pub(crate) struct AddForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
    /// Empty: one is generated.
    #[serde(default)]
    password: String,
}

/// `POST /admin/users`.
pub(crate) async fn add(
    State(state): State<AppState>,
    page: PageReq,
    Form(form): Form<AddForm>,
) -> Result<Response, AppError> {
    let by = actor(&page)?;
    let Some(role) = Role::parse(&form.role) else {
        let page = render(&state, &page, &Notice::bad_form(), None).await?;
        return Ok(unprocessable(page));
    };
    let name = form.name.trim().to_owned();
    let password = Some(form.password).filter(|p| !p.is_empty());
    let stores = state.stores()?.clone();
    let outcome = stores
        .write(move |s| vigie_app::admin::add_user(s, &by, &name, password.as_deref(), role))
        .await?;
    match outcome {
        Ok(made) => {
            let added = Added {
                name: made.user.name,
                password: made.generated,
            };
            render(&state, &page, &Notice::default(), Some(added)).await
        }
        Err(r) => {
            let page = render(&state, &page, &Notice::refused(&r), None).await?;
            Ok(unprocessable(page))
        }
    }
}

/// The form that disables or enables a user.
#[derive(Deserialize)]
pub(crate) struct DisableForm {
    #[serde(default)]
    name: String,
    /// `1`: disable, `0`: enable.
    #[serde(default)]
    disabled: String,
}

/// `POST /admin/users/disable`.
pub(crate) async fn disable(
    State(state): State<AppState>,
    page: PageReq,
    Form(form): Form<DisableForm>,
) -> Result<Response, AppError> {
    let by = actor(&page)?;
    let disabled = match form.disabled.as_str() {
        "1" => true,
        "0" => false,
        _ => return Ok(bad_form()),
    };
    let name = form.name;
    let target = name.clone();
    let stores = state.stores()?.clone();
    let outcome = stores
        .write(move |s| vigie_app::admin::set_disabled(s, &by, &name, disabled))
        .await?;
    let action = if disabled {
        "user.disable"
    } else {
        "user.enable"
    };
    Ok(back(
        "/admin/users",
        outcome.map(|_| (action, target.as_str())),
    ))
}

/// The form that sets a user's role.
#[derive(Deserialize)]
pub(crate) struct RoleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/users/role`.
pub(crate) async fn role(
    State(state): State<AppState>,
    page: PageReq,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    let by = actor(&page)?;
    let Some(role) = Role::parse(&form.role) else {
        return Ok(bad_form());
    };
    let name = form.name;
    let target = name.clone();
    let stores = state.stores()?.clone();
    let outcome = stores
        .write(move |s| vigie_app::admin::set_role(s, &by, &name, role))
        .await?;
    Ok(back(
        "/admin/users",
        outcome.map(|_| ("user.role", target.as_str())),
    ))
}

fn bad_form() -> Response {
    axum::response::Redirect::to("/admin/users?refused=bad_form").into_response()
}
