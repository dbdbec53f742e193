//! `GET /hit?q=`: "are we hit?" — an advisory id or alias, a purl or `name@<range>` answered
//! by `vigie_app::hit` with the projects, systems and owners concerned, the fixing versions,
//! and what the knowledge index knows of an advisory (an id it does not know is said to be
//! unknown, never shown as "0 results").

use std::collections::BTreeSet;

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use vigie_app::hit::{Question, answer};

use super::frame::{PER_PAGE, PageReq, Pager, val};
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub(crate) struct Ask {
    #[serde(default)]
    q: String,
    /// The position of the page's first finding or use.
    #[serde(default)]
    from: usize,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    page: PageReq,
    Query(ask): Query<Ask>,
) -> Result<Response, AppError> {
    let q = ask.q.trim().to_owned();
    if q.is_empty() {
        return page.render(&state, "hit.html", "hit", minijinja::context! { ask => q });
    }
    let question = match Question::parse(&q) {
        Ok(question) => question,
        Err(e) => {
            return page.render(
                &state,
                "hit.html",
                "hit",
                minijinja::context! { ask => q, error => e.to_string() },
            );
        }
    };
    let knowledge = match &question {
        Question::Advisory { .. } => Some(state.advisories().await),
        Question::Package { .. } => None,
    };
    let stores = state.stores()?.clone();
    let found = stores
        .read(move |s| {
            let Some(snapshot) = s.latest_if_any()? else {
                return Ok(None);
            };
            let k = match knowledge.as_deref() {
                Some(Ok(k)) => Ok(k),
                Some(Err(reason)) => Err(reason.as_str()),
                None => Err("-"),
            };
            match answer(s, snapshot, &question, k) {
                Ok(a) => Ok(Some(Ok(a))),
                // A query the store cannot read (a bad range) is the user's to fix.
                Err(e) => Ok(Some(Err(format!("{e:#}")))),
            }
        })
        .await?;
    let a = match found {
        None => {
            return page.render(
                &state,
                "hit.html",
                "hit",
                minijinja::context! { ask => q, empty => true },
            );
        }
        Some(Err(e)) => {
            return page.render(
                &state,
                "hit.html",
                "hit",
                minijinja::context! { ask => q, error => e },
            );
        }
        Some(Ok(a)) => a,
    };
    let mut a = a;
    let mut systems = BTreeSet::new();
    let mut owners = BTreeSet::new();
    for e in a
        .findings
        .iter()
        .flat_map(|f| &f.entities)
        .chain(a.uses.iter().flat_map(|u| &u.entities))
    {
        systems.extend(e.system.clone());
        owners.extend(e.owners.iter().cloned());
    }
    let advisory = matches!(a.question, Question::Advisory { .. });
    let projects = a.projects();
    // One page of the findings or uses, by project (the counts above are of them all).
    a.findings.sort_by(|x, y| {
        (&x.finding.project_path, &x.finding.key).cmp(&(&y.finding.project_path, &y.finding.key))
    });
    a.uses
        .sort_by(|x, y| (&x.project_path, &x.purl).cmp(&(&y.project_path, &y.purl)));
    let total = a.findings.len() + a.uses.len();
    let from = ask.from.min(total);
    let window = |n: usize| from.min(n)..(from + PER_PAGE).min(n);
    a.findings = a.findings.drain(window(a.findings.len())).collect();
    a.uses = a.uses.drain(window(a.uses.len())).collect();
    let pager = Pager::new(from, a.findings.len() + a.uses.len(), total, &[("q", &q)]);
    page.render(
        &state,
        "hit.html",
        "hit",
        minijinja::context! {
            ask => q,
            advisory => advisory,
            answer => val(&a),
            projects => projects,
            pager => val(&pager),
            systems => val(&systems),
            owners => val(&owners),
        },
    )
}
