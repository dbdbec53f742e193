//! `GET /map?colour=risk|owner|criticality`: the map of the information system (the
//! catalog's elements and relations as server-side SVG, [`super::svg`]), coloured by the risk
//! level of each element's system (from the kept analysis), by owner or by criticality.
//! `GET /systems/{ref}`: one element of the catalog (a system, or any element the map
//! draws): its parts, owners, personal data, contracts, risks, findings and history.

use std::collections::{BTreeMap, HashMap};

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use vigie_store::{EntityRecord, Shown};

use super::frame::{PageReq, val};
use super::svg;
use crate::error::AppError;
use crate::state::AppState;

/// Owner colours (classes `owner-0` to `owner-7`).
const OWNER_COLOURS: usize = 8;
/// Snapshots in a system's history.
const HISTORY: usize = 12;

#[derive(Deserialize)]
pub(crate) struct MapQuery {
    #[serde(default)]
    colour: String,
}

fn level_word<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

pub(crate) async fn show(
    State(state): State<AppState>,
    page: PageReq,
    Query(q): Query<MapQuery>,
) -> Result<Response, AppError> {
    let Some(estate) = state.estate().await? else {
        return page.render(&state, "map.html", "map", minijinja::context! {});
    };
    let colour = match q.colour.as_str() {
        "owner" | "criticality" => q.colour.clone(),
        _ => "risk".to_owned(),
    };
    // The worst level of each system's risks (the register is sorted by score).
    let mut worst: HashMap<String, String> = HashMap::new();
    if let Some(a) = state.analysis().await? {
        for r in &a.analyses.now.analysis.register.risks {
            if let Some(s) = &r.system {
                worst
                    .entry(s.clone())
                    .or_insert_with(|| level_word(&r.level));
            }
        }
    }
    let mut owners: BTreeMap<String, usize> = BTreeMap::new();
    for e in &estate.catalog.entities {
        if svg::column(e).is_some()
            && let Some(o) = e.owners.first()
        {
            let n = owners.len();
            owners.entry(o.clone()).or_insert(n % OWNER_COLOURS);
        }
    }
    let class_of = |e: &EntityRecord| -> String {
        match colour.as_str() {
            "owner" => e
                .owners
                .first()
                .and_then(|o| owners.get(o))
                .map_or("level-none".to_owned(), |i| format!("owner-{i}")),
            "criticality" => e
                .criticality
                .map_or("level-none".to_owned(), |c| format!("crit-{}", c.min(5))),
            _ => svg::system_of(e)
                .and_then(|s| worst.get(s))
                .map_or("level-none".to_owned(), |l| format!("level-{l}")),
        }
    };
    let drawn = svg::map(&estate.catalog, &class_of);
    let legend: Vec<(String, usize)> = owners.into_iter().collect();
    page.render(
        &state,
        "map.html",
        "map",
        minijinja::context! {
            svg => minijinja::Value::from_safe_string(drawn),
            colour => colour,
            owners => val(&legend),
            elements => estate.catalog.entities.iter().filter(|e| svg::column(e).is_some()).count(),
            max_nodes => svg::MAX_NODES,
        },
    )
}

#[derive(Serialize)]
struct Past {
    id: i64,
    taken_at: String,
    projects: usize,
    findings: usize,
}

#[derive(Serialize)]
struct RiskLine {
    title: String,
    level: String,
    score: u8,
    findings: usize,
}

pub(crate) async fn system(
    State(state): State<AppState>,
    page: PageReq,
    Path(entity_ref): Path<String>,
) -> Result<Response, AppError> {
    let stores = state.stores()?.clone();
    let wanted = entity_ref.clone();
    let found = stores
        .read(move |s| {
            let snapshots = s.snapshots()?;
            let Some(latest) = snapshots.last().map(|i| i.id) else {
                return Ok(None);
            };
            let entity_of = |id| -> anyhow::Result<_> {
                Ok(s.show(id, &wanted)?.into_iter().find_map(|v| match v {
                    Shown::Entity(e) if e.entity.entity_ref == wanted => Some(e),
                    _ => None,
                }))
            };
            let Some(view) = entity_of(latest)? else {
                return Ok(None);
            };
            let mut history = Vec::new();
            for info in snapshots.iter().rev().take(HISTORY) {
                if let Some(e) = entity_of(info.id)? {
                    history.push(Past {
                        id: info.id,
                        taken_at: info.meta.taken_at.clone(),
                        projects: e.projects.len(),
                        findings: e.findings.len(),
                    });
                }
            }
            Ok(Some((view, history)))
        })
        .await?;
    let Some((view, history)) = found else {
        return Err(AppError::NotFound);
    };
    let fr = page.lang == vigie_model::Lang::Fr;
    let risks: Vec<RiskLine> = match state.analysis().await? {
        Some(a) => a
            .analyses
            .now
            .analysis
            .register
            .risks
            .iter()
            .filter(|r| r.system.as_deref() == Some(entity_ref.as_str()))
            .map(|r| RiskLine {
                title: if fr {
                    r.title.fr.clone()
                } else {
                    r.title.en.clone()
                },
                level: level_word(&r.level),
                score: r.score,
                findings: r.findings.len(),
            })
            .collect(),
        None => Vec::new(),
    };
    // Contract and personal data as the catalog wrote them (the stored element is the
    // catalog's, flattened; shown as plain text, escaped).
    let vigie = view.entity.json.get("vigie");
    let pretty = |field: &str| {
        vigie
            .and_then(|v| v.get(field))
            .map(|v| serde_json::to_string_pretty(v).unwrap_or_default())
    };
    let contracts = pretty("contract");
    let data = pretty("personalData");
    page.render(
        &state,
        "system.html",
        "map",
        minijinja::context! {
            v => val(&view),
            risks => val(&risks),
            history => val(&history),
            contracts => contracts,
            data => data,
        },
    )
}
