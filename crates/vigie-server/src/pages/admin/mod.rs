//! The administration (admins only: every route is `Access::Page(Role::Admin)`): `GET
//! /admin`, the schedules panel (the settings' scan and sync periods and session lifetime,
//! the last scan and sync this process ran, the latest snapshot and the index's age);
//! `users.rs`, `tokens.rs`, `audit.rs` and `knowledge.rs` one page each.
//!
//! Every write is a form posted with the session's CSRF token (checked by the route guard)
//! and goes through `vigie_app::admin`, which audits it with the admin as actor. A write
//! that only changes a row answers with a redirect to its page (`?done=` or `?refused=`,
//! words of the page's texts, never a message made from the request); a write that makes a
//! secret (a generated password, a token) answers with the page itself, the secret shown
//! once and never put in a URL.

pub(crate) mod audit;
pub(crate) mod knowledge;
pub(crate) mod tokens;
pub(crate) mod users;

use std::time::Duration;

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use vigie_app::admin::{Actor, Refusal};
use vigie_store::Role;

use super::frame::{PageReq, encode, val};
use crate::error::AppError;
use crate::state::AppState;

/// The admin acting through this page request.
pub(crate) fn actor(page: &PageReq) -> Result<Actor, AppError> {
    // The route guard already requires an admin; a handler says it again.
    if page.principal.role != Some(Role::Admin) {
        return Err(AppError::Forbidden);
    }
    Ok(Actor {
        name: page.principal.name.clone(),
        ip: page.ip.clone(),
    })
}

/// `?done=`, `?refused=`, `?why=` and `?target=` of a page a write redirected to.
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Notice {
    #[serde(default)]
    done: String,
    #[serde(default)]
    refused: String,
    #[serde(default)]
    why: String,
    #[serde(default)]
    target: String,
}

impl Notice {
    /// The notice's part of a page's context (every admin page has it: `admin_nav.html`).
    pub(crate) fn context(&self) -> minijinja::Value {
        minijinja::context! {
            done => self.done.clone(),
            refused => self.refused.clone(),
            why => self.why.clone(),
            target => self.target.clone(),
        }
    }

    /// A form that cannot be read (a field missing or not one of its words).
    pub(crate) fn bad_form() -> Notice {
        Notice {
            refused: "bad_form".into(),
            ..Notice::default()
        }
    }

    /// A refusal to show on the page now.
    pub(crate) fn refused(r: &Refusal) -> Notice {
        Notice {
            refused: r.code().to_owned(),
            why: match r {
                Refusal::Invalid(why) => why.clone(),
                _ => String::new(),
            },
            ..Notice::default()
        }
    }
}

/// The redirect after a write to `page`: done (`action` on `target`) or refused.
pub(crate) fn back(page: &str, outcome: Result<(&str, &str), Refusal>) -> Response {
    let query = match outcome {
        Ok((action, target)) => format!("done={}&target={}", encode(action), encode(target)),
        Err(r) => {
            let n = Notice::refused(&r);
            format!("refused={}&why={}", encode(&n.refused), encode(&n.why))
        }
    };
    Redirect::to(&format!("{page}?{query}")).into_response()
}

/// `page`, answered 422: the form it answers was refused.
pub(crate) fn unprocessable(page: Response) -> Response {
    (axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response()
}

/// A period as the settings write it (`30s`, `15m`, `8h`, `2d`): the largest unit that
/// divides it.
fn period(d: Duration) -> String {
    let s = d.as_secs();
    for (unit, n) in [("d", 86_400), ("h", 3_600), ("m", 60)] {
        if s > 0 && s.is_multiple_of(n) {
            return format!("{}{unit}", s / n);
        }
    }
    format!("{s}s")
}

/// `GET /admin`: the schedules panel.
pub(crate) async fn show(
    State(state): State<AppState>,
    page: PageReq,
) -> Result<Response, AppError> {
    actor(&page)?;
    let settings = &state.config().settings;
    let (last_scan, last_sync) = state.0.metrics.last_runs();
    let stores = state.stores()?.clone();
    let snapshot = stores.read(|s| Ok(s.snapshots()?.pop())).await?;
    let index_created = state.index_created().await;
    page.render(
        &state,
        "admin.html",
        "admin",
        minijinja::context! {
            section => "admin",
            scan_every => settings.scan_every.map(period),
            sync_every => settings.sync_every.map(period),
            session => period(settings.session_lifetime),
            last_scan => val(&last_scan),
            last_sync => val(&last_sync),
            snapshot => snapshot.map(|s| minijinja::context! {
                id => s.id,
                taken_at => s.meta.taken_at,
            }),
            index_created => index_created,
            ..Notice::default().context()
        },
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_period_reads_as_the_settings_write_it() {
        use std::time::Duration;
        assert_eq!(super::period(Duration::from_secs(8 * 3600)), "8h");
        assert_eq!(super::period(Duration::from_secs(2 * 86_400)), "2d");
        assert_eq!(super::period(Duration::from_secs(90)), "90s");
        assert_eq!(super::period(Duration::from_secs(900)), "15m");
    }
}
