//! `GET /`: the overview, read from the kept analysis of the latest snapshot and the kept
//! estate (never analysed per request): risks by level and the trend, the top risks and
//! actions, end of life within 90 days, known-exploited vulnerabilities in use, the licence
//! posture, catalog problems, and the age of the knowledge index and of the last scan.

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;
use vigie_report::Lang;

use super::frame::{PageReq, val};
use crate::error::AppError;
use crate::state::AppState;

/// Risks and actions listed.
const TOP: usize = 10;
/// "End of life soon": within this many days.
const EOL_DAYS: i64 = 90;

#[derive(Serialize)]
struct Line {
    title: String,
    level: String,
    score: f64,
    systems: Vec<String>,
    owners: Vec<String>,
}

#[derive(Serialize)]
struct ActionLine {
    text: String,
    effort: String,
    risk_removed: f64,
    findings: u64,
    known_exploited: u64,
}

#[derive(Serialize)]
struct Exploited {
    id: String,
    projects: usize,
}

fn word<T: Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Days between an RFC 3339 time and `today`, when it reads.
pub(crate) fn days_since(at: &str, today: jiff::civil::Date) -> Option<i64> {
    let day: jiff::civil::Date = at.get(..10)?.parse().ok()?;
    Some(i64::from(today.since(day).ok()?.get_days()))
}

pub(crate) async fn show(
    State(state): State<AppState>,
    page: PageReq,
) -> Result<Response, AppError> {
    let lang: Lang = page.lang;
    let index_created = state.index_created().await;
    let Some(analysis) = state.analysis().await? else {
        return page.render(
            &state,
            "overview.html",
            "overview",
            minijinja::context! { index_created => index_created },
        );
    };
    let estate = state.estate().await?;
    let m = &analysis.model;
    let today = m.generated_at;
    let top: Vec<Line> = m
        .top_risks
        .iter()
        .take(TOP)
        .map(|r| Line {
            title: r.title.get(lang).to_owned(),
            level: word(&r.level),
            score: r.score,
            systems: r.systems.clone(),
            owners: r.owners.clone(),
        })
        .collect();
    let actions: Vec<ActionLine> = m
        .top_actions
        .iter()
        .take(TOP)
        .map(|a| ActionLine {
            text: a.text.get(lang).to_owned(),
            effort: word(&a.effort),
            risk_removed: a.risk_removed,
            findings: a.findings_fixed,
            known_exploited: a.known_exploited_fixed,
        })
        .collect();
    let horizon = today
        .checked_add(jiff::Span::new().days(EOL_DAYS))
        .unwrap_or(today);
    let eol: Vec<_> = m.eol.iter().filter(|e| e.eol <= horizon).collect();
    let kev: Vec<Exploited> = analysis
        .exploited
        .iter()
        .map(|(id, projects)| Exploited {
            id: id.clone(),
            projects: *projects,
        })
        .collect();
    let scan = estate.as_ref().map(|e| {
        let s = &e.snapshot;
        minijinja::context! {
            id => s.id,
            taken_at => s.meta.taken_at.clone(),
            label => s.meta.label.clone(),
            projects => s.projects,
            components => s.components,
            age => days_since(&s.meta.taken_at, today),
        }
    });
    let trend = m.trend.as_ref().map(|t| {
        minijinja::context! {
            new => t.new.count, worsened => t.worsened.count,
            improved => t.improved.count, resolved => t.resolved.count,
        }
    });
    let l = &m.licences;
    page.render(
        &state,
        "overview.html",
        "overview",
        minijinja::context! {
            model => minijinja::context! {
                estate => m.estate.clone(),
                current => m.snapshots.current.clone(),
                previous => m.snapshots.previous.clone(),
                risks => val(&m.posture.risks),
                total => m.posture.risks.total(),
                systems => m.posture.systems,
            },
            trend => trend,
            top => val(&top),
            actions => val(&actions),
            eol => val(&eol),
            today => today.to_string(),
            kev => val(&kev),
            gaps => val(&m.coverage.as_ref().map(|c| c.gaps.clone()).unwrap_or_default()),
            licences => minijinja::context! {
                categories => val(&l.categories),
                denied => l.denied,
                needs_review => l.needs_review,
                components => l.components,
                known => l.known,
                coverage => l.known.saturating_mul(100).checked_div(l.components).unwrap_or(100),
            },
            catalog_problems => estate.as_ref().and_then(|e| e.catalog_problems),
            index_created => index_created.clone(),
            index_age => index_created.as_deref().and_then(|c| days_since(c, today)),
            scan => scan,
        },
    )
}
