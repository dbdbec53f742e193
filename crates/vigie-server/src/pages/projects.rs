//! `GET /projects` (search, filters by owner, system, ecosystem, licence category and
//! known-exploited, keyset pagination on the path), `GET /projects/{path}` (components with
//! scope and relation, findings with their triage, owners, history across snapshots) and
//! `GET /packages?q=` (who uses a package).

use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use vigie_store::PackageQuery;

use super::cache::ProjectEntry;
use super::frame::{PER_PAGE, PageReq, Pager, val};
use crate::error::AppError;
use crate::state::AppState;

/// Projects per page.
pub(crate) const PAGE: usize = 50;
/// Snapshots in a project's history.
const HISTORY: usize = 12;

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct Filters {
    #[serde(default)]
    q: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    system: String,
    #[serde(default)]
    ecosystem: String,
    #[serde(default)]
    licence: String,
    #[serde(default)]
    kev: String,
    /// The last path of the previous page.
    #[serde(default)]
    after: String,
}

impl Filters {
    fn keeps(&self, p: &ProjectEntry) -> bool {
        let has = |want: &str, list: &[String]| want.is_empty() || list.iter().any(|x| x == want);
        let q = self.q.trim().to_lowercase();
        (q.is_empty() || p.path.to_lowercase().contains(&q) || p.name.to_lowercase().contains(&q))
            && has(&self.owner, &p.owners)
            && has(&self.system, &p.systems)
            && has(&self.ecosystem, &p.ecosystems)
            && has(&self.licence, &p.licences)
            && (self.kev.is_empty() || p.known_exploited)
    }
}

pub(crate) async fn list(
    State(state): State<AppState>,
    page: PageReq,
    Query(f): Query<Filters>,
) -> Result<Response, AppError> {
    let Some(estate) = state.estate().await? else {
        return page.render(&state, "projects.html", "projects", minijinja::context! {});
    };
    // Paths are sorted: the page starts after the last one shown (keyset, not offset).
    let start = estate
        .projects
        .partition_point(|p| !f.after.is_empty() && p.path.as_str() <= f.after.as_str());
    let mut shown: Vec<&ProjectEntry> = estate.projects[start..]
        .iter()
        .filter(|p| f.keeps(p))
        .take(PAGE + 1)
        .collect();
    let more = shown.len() > PAGE;
    shown.truncate(PAGE);
    let next = more
        .then(|| shown.last().map(|p| p.path.clone()))
        .flatten()
        .map(|after| {
            let mut n = f.clone();
            n.after = after;
            serde_urlencoded::to_string(&n).unwrap_or_default()
        });
    let matching = estate.projects.iter().filter(|p| f.keeps(p)).count();
    page.render(
        &state,
        "projects.html",
        "projects",
        minijinja::context! {
            f => val(&f),
            projects => val(&shown),
            matching => matching,
            next => next,
            owners => estate.choices(|p| &p.owners),
            systems => estate.choices(|p| &p.systems),
            ecosystems => estate.choices(|p| &p.ecosystems),
            licences => estate.choices(|p| &p.licences),
        },
    )
}

pub(crate) async fn show(
    State(state): State<AppState>,
    page: PageReq,
    Path(path): Path<String>,
) -> Result<Response, AppError> {
    let stores = state.stores()?.clone();
    // The latest snapshot is the analysis's; the project's findings with their triage are
    // read from it.
    let analysis = state.analysis().await?.ok_or(AppError::NotFound)?;
    let latest = analysis.snapshot();
    let triage: Vec<vigie_store::FindingStatus> = analysis
        .statuses()
        .filter(|f| f.finding.project_path == path)
        .map(|f| f.owned())
        .collect();
    drop(analysis);
    let wanted = path.clone();
    let found = stores
        .read(move |s| {
            let Some(view) = s.project_view(latest, &wanted)? else {
                return Ok(None);
            };
            // Counted in the store, not read whole for each past snapshot.
            let history = s.project_history(&wanted, HISTORY)?;
            Ok(Some((view, triage, history)))
        })
        .await?;
    let Some((mut view, triage, history)) = found else {
        return Err(AppError::NotFound);
    };
    // The page lists the findings with their triage (`triage`), not the store's copy.
    view.data.findings = Vec::new();
    let mut owners: Vec<&String> = view.entities.iter().flat_map(|e| &e.owners).collect();
    owners.sort();
    owners.dedup();
    page.render(
        &state,
        "project.html",
        "projects",
        minijinja::context! {
            p => val(&view),
            owners => val(&owners),
            findings => val(&triage),
            history => val(&history),
        },
    )
}

#[derive(Deserialize)]
pub(crate) struct PackageAsk {
    #[serde(default)]
    q: String,
    /// The position of the page's first use.
    #[serde(default)]
    from: usize,
}

pub(crate) async fn packages(
    State(state): State<AppState>,
    page: PageReq,
    Query(ask): Query<PackageAsk>,
) -> Result<Response, AppError> {
    let q = ask.q.trim().to_owned();
    if q.is_empty() {
        return page.render(
            &state,
            "packages.html",
            "packages",
            minijinja::context! { q => q },
        );
    }
    let query = match PackageQuery::parse(&q) {
        Ok(query) => query,
        Err(e) => {
            return page.render(
                &state,
                "packages.html",
                "packages",
                minijinja::context! { q => q, error => e.to_string() },
            );
        }
    };
    // One page of the uses (a package of the estate may be in thousands of projects), and
    // their count.
    let from = ask.from;
    let stores = state.stores()?.clone();
    let (uses, total) = stores
        .read(move |s| {
            let mut page = Vec::new();
            let mut total = 0;
            if let Some(latest) = s.snapshots()?.last() {
                s.who_uses_each(latest.id, &query, &mut |u| {
                    if total >= from && page.len() < PER_PAGE {
                        page.push(u.to_usage());
                    }
                    total += 1;
                    Ok(())
                })?;
            }
            Ok((page, total))
        })
        .await?;
    let pager = Pager::new(from.min(total), uses.len(), total, &[("q", &q)]);
    page.render(
        &state,
        "packages.html",
        "packages",
        minijinja::context! {
            q => q, uses => val(&uses), pager => val(&pager), searched => true,
        },
    )
}
