//! `GET /lifecycle`: the end-of-life timeline of the platforms in use (the report model's
//! entries, soonest first, grouped by past, within 90 days, within a year, later);
//! `GET /licences`: the licence posture (components per category, denied, to review,
//! coverage). Both read the kept analysis.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use super::frame::{PageReq, val};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Serialize)]
struct Entry<'a> {
    product: &'a str,
    cycle: &'a str,
    eol: String,
    projects: u64,
    systems: &'a [String],
    /// `past`, `soon` (90 days), `year`, `later`.
    when: &'static str,
    days: i64,
}

pub(crate) async fn lifecycle(
    State(state): State<AppState>,
    page: PageReq,
) -> Result<Response, AppError> {
    let Some(a) = state.analysis().await? else {
        return page.render(
            &state,
            "lifecycle.html",
            "lifecycle",
            minijinja::context! {},
        );
    };
    let today = a.model.generated_at;
    let entries: Vec<Entry<'_>> = a
        .model
        .eol
        .iter()
        .map(|e| {
            let days = i64::from(e.eol.since(today).map_or(0, |s| s.get_days()));
            Entry {
                product: &e.product,
                cycle: &e.cycle,
                eol: e.eol.to_string(),
                projects: e.projects,
                systems: &e.systems,
                when: match days {
                    ..0 => "past",
                    0..=90 => "soon",
                    91..=365 => "year",
                    _ => "later",
                },
                days,
            }
        })
        .collect();
    page.render(
        &state,
        "lifecycle.html",
        "lifecycle",
        minijinja::context! { entries => val(&entries), today => today.to_string() },
    )
}

pub(crate) async fn licences(
    State(state): State<AppState>,
    page: PageReq,
) -> Result<Response, AppError> {
    let Some(a) = state.analysis().await? else {
        return page.render(&state, "licences.html", "licences", minijinja::context! {});
    };
    let l = &a.model.licences;
    let mut categories = l.categories.clone();
    categories.sort_by_key(|c| std::cmp::Reverse(c.components));
    let licence_findings: Vec<_> = a
        .model
        .findings
        .iter()
        .filter(|f| f.family == vigie_report::model::Family::Licence)
        .take(500)
        .collect();
    page.render(
        &state,
        "licences.html",
        "licences",
        minijinja::context! {
            l => val(l),
            categories => val(&categories),
            coverage => l.known.saturating_mul(100).checked_div(l.components).unwrap_or(100),
            findings => val(&licence_findings),
        },
    )
}
