//! `GET /register`: the risk register of the kept analysis, each risk with its findings;
//! for triagers and admins, a form per finding (accept until a day with a reason, not
//! affected with a VEX justification, false positive, exploitable, in triage), each with the
//! session's CSRF token. `POST /register/triage` (triager or admin: viewers get 403 from the
//! route's access) records the decision through `vigie_app::triage::record` with the user
//! as author, appends an audit entry, and redirects back to the register, whose analysis is
//! recomputed since the store was written through the server.

use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::{Deserialize, Serialize};
use vigie_app::triage::{Decision, record};
use vigie_store::{Justification, TriageState};

use super::frame::{PER_PAGE, PageReq, Pager, encode, val};
use crate::auth::audit;
use crate::error::AppError;
use crate::state::AppState;

#[derive(Deserialize)]
pub(crate) struct RegisterQuery {
    #[serde(default)]
    level: String,
    #[serde(default)]
    refused: String,
    #[serde(default)]
    done: String,
    /// The position of the page's first risk among those of the level.
    #[serde(default)]
    from: usize,
}

#[derive(Serialize)]
struct FindingLine<'a> {
    key: &'a str,
    id: &'a str,
    project: &'a str,
    purl: &'a str,
    rating: &'a str,
    fixed: &'a str,
    known_exploited: bool,
}

#[derive(Serialize)]
struct RiskLine<'a> {
    title: &'a str,
    level: &'static str,
    score: u8,
    likelihood: u8,
    impact: u8,
    system: Option<&'a str>,
    system_name: Option<&'a str>,
    owners: &'a [String],
    explanation: &'a str,
    known_exploited: bool,
    findings: Vec<FindingLine<'a>>,
    /// Findings of the risk not listed on the page.
    more: usize,
}

/// Findings listed per risk (a risk of the estate may hold a thousand; the API and the
/// CSV of `/reports` have them all).
const FINDINGS_SHOWN: usize = 20;

#[derive(Serialize)]
struct AsideLine<'a> {
    key: &'a str,
    id: &'a str,
    project: &'a str,
    state: String,
}

/// The VEX justifications, as stored.
const JUSTIFICATIONS: &[&str] = &[
    "code_not_present",
    "code_not_reachable",
    "requires_configuration",
    "requires_dependency",
    "requires_environment",
    "protected_by_compiler",
    "protected_at_runtime",
    "protected_at_perimeter",
    "protected_by_mitigating_control",
];

pub(crate) async fn show(
    State(state): State<AppState>,
    page: PageReq,
    Query(q): Query<RegisterQuery>,
) -> Result<Response, AppError> {
    let Some(analysis) = state.analysis().await? else {
        return page.render(&state, "register.html", "register", minijinja::context! {});
    };
    let now = &analysis.analyses.now;
    let fr = page.lang == vigie_model::Lang::Fr;
    // Only the page's risks are laid out: the estate's register holds thousands.
    let of_level: Vec<_> = now
        .analysis
        .register
        .risks
        .iter()
        .filter(|r| q.level.is_empty() || r.level.id() == q.level)
        .collect();
    let total = of_level.len();
    let from = q.from.min(total);
    // The highest first, PER_PAGE a page; the CSV of `/reports` has them all.
    let risks: Vec<RiskLine<'_>> = of_level
        .into_iter()
        .skip(from)
        .take(PER_PAGE)
        .map(|r| RiskLine {
            title: if fr { &r.title.fr } else { &r.title.en },
            level: r.level.id(),
            score: r.score,
            likelihood: r.likelihood,
            impact: r.impact,
            system: r.system.as_deref(),
            system_name: r.system_name.as_deref(),
            owners: &r.owners,
            explanation: if fr {
                &r.explanation.fr
            } else {
                &r.explanation.en
            },
            known_exploited: r.known_exploited,
            more: r.findings.len().saturating_sub(FINDINGS_SHOWN),
            findings: r
                .findings
                .iter()
                .take(FINDINGS_SHOWN)
                .filter_map(|k| analysis.finding(k))
                .map(|f| FindingLine {
                    key: &f.key,
                    id: &f.id,
                    project: &f.project_path,
                    purl: f.purl.as_deref().unwrap_or(""),
                    rating: f.rating.as_str(),
                    fixed: f.fixed.as_deref().unwrap_or(""),
                    known_exploited: f.known_exploited,
                })
                .collect(),
        })
        .collect();
    let pager = Pager::new(from, risks.len(), total, &[("level", &q.level)]);
    let aside: Vec<AsideLine<'_>> = now
        .set_aside
        .iter()
        .map(|(f, s)| AsideLine {
            key: &f.key,
            id: &f.id,
            project: &f.project_path,
            state: serde_json::to_value(s)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
        })
        .collect();
    page.render(
        &state,
        "register.html",
        "register",
        minijinja::context! {
            risks => val(&risks),
            pager => val(&pager),
            aside => val(&aside),
            level => q.level,
            refused => q.refused,
            done => q.done,
            justifications => val(JUSTIFICATIONS),
            today => analysis.model.generated_at.to_string(),
        },
    )
}

/// The triage form.
#[derive(Deserialize)]
pub(crate) struct TriageForm {
    key: String,
    state: String,
    #[serde(default)]
    justification: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    reason: String,
}

fn parse<T: serde::de::DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

pub(crate) async fn triage(
    State(state): State<AppState>,
    page: PageReq,
    Form(form): Form<TriageForm>,
) -> Result<Response, AppError> {
    if !page.may_triage() {
        return Err(AppError::Forbidden);
    }
    let refused =
        |why: &str| Redirect::to(&format!("/register?refused={}", encode(why))).into_response();
    let Some(triage_state) = parse::<TriageState>(&form.state) else {
        return Ok(refused("state"));
    };
    let justification = if form.justification.is_empty() {
        None
    } else {
        match parse::<Justification>(&form.justification) {
            Some(j) => Some(j),
            None => return Ok(refused("justification")),
        }
    };
    let decision = Decision {
        state: triage_state,
        // Only what goes with the state is kept: a form sends every field.
        justification: justification.filter(|_| triage_state == TriageState::NotAffected),
        until: Some(form.until.trim().to_owned())
            .filter(|u| !u.is_empty() && triage_state == TriageState::AcceptedRisk),
        reason: form.reason.clone(),
        by: page.principal.name.clone(),
    };
    let mut entry = audit(
        &page.principal.name,
        "triage.record",
        &form.key,
        page.ip.clone(),
    );
    entry.detail = Some(format!("{} {}", form.state, form.reason));
    let key = form.key.clone();
    let stores = state.stores()?.clone();
    let done = stores
        .write(move |s| {
            let snapshot = s.latest()?;
            match record(s, snapshot, &key, &decision, jiff::Timestamp::now()) {
                Ok(r) => {
                    s.append_audit(&entry)?;
                    Ok(Ok(r.keys.len()))
                }
                Err(e) => Ok(Err(format!("{e:#}"))),
            }
        })
        .await?;
    Ok(match done {
        Ok(n) => Redirect::to(&format!("/register?done={n}")).into_response(),
        Err(why) => refused(&why),
    })
}
