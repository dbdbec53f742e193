//! `GET /`: the overview placeholder: the latest snapshot, its counts, findings per rating
//! and the projects with the most findings, read from the store.

use std::collections::HashMap;

use axum::Extension;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use vigie_findings::Rating;
use vigie_store::SnapshotInfo;

use super::login::other;
use super::{LangQuery, language, render, text, with_lang};
use crate::auth::Principal;
use crate::error::AppError;
use crate::state::AppState;

/// Projects listed under "most findings".
const TOP: usize = 10;

#[derive(Serialize)]
struct RatingCount {
    id: &'static str,
    count: usize,
}

#[derive(Serialize)]
struct ProjectCount {
    path: String,
    count: usize,
}

/// What the page shows of the store.
struct Overview {
    snapshot: Option<SnapshotInfo>,
    ratings: Vec<RatingCount>,
    top: Vec<ProjectCount>,
}

fn read(store: &dyn vigie_store::Store) -> anyhow::Result<Overview> {
    let Some(snapshot) = store.snapshots()?.pop() else {
        return Ok(Overview {
            snapshot: None,
            ratings: Vec::new(),
            top: Vec::new(),
        });
    };
    let findings = store.findings(snapshot.id)?;
    let mut per_rating: HashMap<Rating, usize> = HashMap::new();
    let mut per_project: HashMap<&str, usize> = HashMap::new();
    for f in &findings {
        *per_rating.entry(f.rating).or_default() += 1;
        *per_project.entry(&f.project_path).or_default() += 1;
    }
    let ratings = Rating::ALL
        .into_iter()
        .rev()
        .map(|r| RatingCount {
            id: r.as_str(),
            count: per_rating.get(&r).copied().unwrap_or(0),
        })
        .collect();
    let mut top: Vec<ProjectCount> = per_project
        .into_iter()
        .map(|(path, count)| ProjectCount {
            path: path.to_owned(),
            count,
        })
        .collect();
    top.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.path.cmp(&b.path)));
    top.truncate(TOP);
    Ok(Overview {
        snapshot: Some(snapshot),
        ratings,
        top,
    })
}

pub(crate) async fn show(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    Query(query): Query<LangQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (lang, chosen) = language(&headers, &query);
    let overview = state.stores()?.read(read).await?;
    let analysis = state.analysis().await?;
    let risks = analysis
        .as_ref()
        .map(|a| minijinja::Value::from(minijinja::value::Serde(&a.model.posture.risks)));
    let snapshot = overview.snapshot.map(|s| {
        minijinja::context! {
            id => s.id,
            taken_at => s.meta.taken_at,
            label => s.meta.label,
            roots => s.meta.roots,
            projects => s.projects,
            components => s.components,
        }
    });
    let html = render(
        &state.0.templates,
        "overview.html",
        minijinja::context! {
            lang => lang.code(),
            other_lang => other(lang).code(),
            t => text::words(lang),
            user => principal.name.clone(),
            csrf => principal.csrf().unwrap_or(""),
            snapshot => snapshot,
            risks => risks,
            ratings => minijinja::Value::from(minijinja::value::Serde(&overview.ratings)),
            top => minijinja::Value::from(minijinja::value::Serde(&overview.top)),
        },
    )?;
    Ok(with_lang(html, lang, chosen))
}
