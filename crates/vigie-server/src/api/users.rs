//! `GET /api/v1/users`: every user by name, keyset-paginated: name, role, origin, state,
//! created, last login; never a password hash. Admins only. Users are changed on the
//! administration's pages (`/admin/users`) and with `vigie user`.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use vigie_store::UserRecord;

use super::{ApiError, Params, json, page_schema, paginate};
use crate::state::AppState;

/// A user as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct UserItem {
    /// Login name, unique.
    name: String,
    /// What the user may do.
    #[schema(value_type = super::vocab::Role)]
    role: &'static str,
    /// Where the user logs in from.
    #[schema(value_type = super::vocab::UserOrigin)]
    origin: &'static str,
    /// A disabled user cannot log in.
    disabled: bool,
    /// When it was created (RFC 3339).
    #[schema(format = DateTime)]
    created_at: String,
    /// When it last logged in.
    #[schema(format = DateTime)]
    last_login: Option<String>,
}

impl From<&UserRecord> for UserItem {
    fn from(u: &UserRecord) -> UserItem {
        UserItem {
            name: u.name.clone(),
            role: u.role.as_str(),
            origin: vigie_app::admin::origin(u),
            disabled: u.disabled,
            created_at: u.created_at.clone(),
            last_login: u.last_login.clone(),
        }
    }
}

page_schema!(UserPage, UserItem);

/// Every user, by name.
#[utoipa::path(get, path = "/api/v1/users", tag = "admin", operation_id = "list_users",
    params(super::vocab::Paging),
    responses((status = 200, description = "A page of users", body = UserPage)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["limit", "after"])?;
    let page = params.page()?;
    let stores = state.stores()?.clone();
    let mut users = stores.read(vigie_app::admin::users).await?;
    // By name, byte order: what the cursor compares.
    users.sort_by(|a, b| a.name.cmp(&b.name));
    json(
        &headers,
        &paginate(
            &users,
            |u| u.name.as_str(),
            |_| true,
            &page,
            |u| UserItem::from(u),
        ),
    )
}
