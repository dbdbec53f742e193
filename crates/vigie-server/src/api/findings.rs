//! `GET /api/v1/findings`: the findings of a snapshot with their triage state as of today,
//! filtered by family, rating, state, project and known exploitation, keyset-paginated by
//! key.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;
use vigie_store::{EffectiveState, FindingRecord, TriageRecord};

use crate::analysis::StatusRef;

use super::{ApiError, Params, json, page_schema, paginate};
use crate::state::AppState;

/// The effective triage states, as the API writes them.
pub(crate) const STATES: &[&str] = &[
    "open",
    "in_triage",
    "exploitable",
    "not_affected",
    "false_positive",
    "accepted_risk",
    "acceptance_expired",
];

/// One finding of one check on one project.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FindingItem {
    /// Stable across snapshots; triage is keyed by it.
    pub(crate) key: String,
    /// `vulnerability`, `lifecycle` or `licence`.
    pub(crate) family: String,
    /// The advisory id or the rule id (`lifecycle/<check>`, `licence/<check>`).
    pub(crate) id: String,
    /// The advisory's aliases.
    pub(crate) aliases: Vec<String>,
    /// `none`, `low`, `medium`, `high` or `critical`.
    pub(crate) rating: String,
    /// The project's path.
    pub(crate) project_path: String,
    /// The package concerned, when one is.
    pub(crate) purl: Option<String>,
    /// A one-line title.
    pub(crate) title: String,
    /// The smallest version that fixes it, when known.
    pub(crate) fixed: Option<String>,
    /// On CISA's list of known exploited vulnerabilities.
    pub(crate) known_exploited: bool,
    /// The family's detail, as `vigie export` writes it (see `vigie_findings::finding`).
    #[schema(value_type = Object)]
    pub(crate) detail: serde_json::Value,
    /// The triage state as of today (`open` when never triaged).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub(crate) state: Option<String>,
    /// The current decision, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub(crate) triage: Option<TriageItem>,
}

/// A triage decision.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TriageItem {
    /// Its number, increasing.
    pub(crate) id: i64,
    /// The finding it decides on.
    pub(crate) finding_key: String,
    /// `in_triage`, `exploitable`, `not_affected`, `false_positive` or `accepted_risk`.
    pub(crate) state: String,
    /// Why it does not apply (CycloneDX VEX justification), with `not_affected`.
    pub(crate) justification: Option<String>,
    /// The last day of an acceptance (`YYYY-MM-DD`).
    pub(crate) until: Option<String>,
    /// Why, in the decider's words.
    pub(crate) reason: String,
    /// Who decided.
    pub(crate) by: String,
    /// When (RFC 3339).
    pub(crate) at: String,
}

impl From<&TriageRecord> for TriageItem {
    fn from(r: &TriageRecord) -> TriageItem {
        TriageItem {
            id: r.id,
            finding_key: r.input.finding_key.clone(),
            state: r.input.state.as_str().to_owned(),
            justification: r.input.justification.map(|j| j.as_str().to_owned()),
            until: r.input.until.clone(),
            reason: r.input.reason.clone(),
            by: r.input.by.clone(),
            at: r.input.at.clone(),
        }
    }
}

/// The API's word for an effective state.
pub(crate) fn state_name(s: EffectiveState) -> String {
    serde_json::to_value(s)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A finding's detail as `vigie export` writes it (an object; `{}` when there is none).
fn detail_of(f: &FindingRecord) -> serde_json::Value {
    object_or_empty(f.detail.to_value().ok())
}

/// A detail that is a JSON object, else `{}`.
fn object_or_empty(detail: Option<serde_json::Value>) -> serde_json::Value {
    detail
        .filter(serde_json::Value::is_object)
        .unwrap_or_else(|| serde_json::json!({}))
}

impl FindingItem {
    /// The finding without triage.
    pub(crate) fn of(f: &FindingRecord) -> FindingItem {
        FindingItem {
            key: f.key.clone(),
            family: f.family.id().to_owned(),
            id: f.id.clone(),
            aliases: f.aliases.clone(),
            rating: f.rating.as_str().to_owned(),
            project_path: f.project_path.clone(),
            purl: f.purl.clone(),
            title: f.title.clone(),
            fixed: f.fixed.clone(),
            known_exploited: f.known_exploited,
            detail: detail_of(f),
            state: None,
            triage: None,
        }
    }

    /// The finding with its triage.
    pub(crate) fn with_ref(s: &StatusRef<'_>) -> FindingItem {
        FindingItem {
            state: Some(state_name(s.effective)),
            triage: s.triage.map(TriageItem::from),
            ..FindingItem::of(s.finding)
        }
    }
}

page_schema!(FindingPage, FindingItem);

/// The findings of a snapshot with their triage state as of today.
#[utoipa::path(get, path = "/api/v1/findings", tag = "findings",
    params(
        super::vocab::AtSnapshot,
        ("family" = Option<super::vocab::Family>, Query, description = "`vulnerability`, `lifecycle` or `licence`"),
        ("rating" = Option<super::vocab::Rating>, Query, description = "`none`, `low`, `medium`, `high` or `critical`"),
        ("state" = Option<super::vocab::EffectiveState>, Query, description = "The effective triage state (`open`, `in_triage`, `exploitable`, `not_affected`, `false_positive`, `accepted_risk`, `acceptance_expired`)"),
        ("project" = Option<String>, Query, description = "A project's path"),
        ("known_exploited" = Option<bool>, Query, description = "Only findings on (or off) CISA's KEV list"),
        ("risk" = Option<String>, Query, description = "Only the findings of this risk of the latest snapshot's register (its key)"),
        ("action" = Option<String>, Query, description = "Only the findings this recommended action fixes (its key)"),
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of findings, by key", body = FindingPage)))]
pub(crate) async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(
        q.as_deref(),
        &[
            "snapshot",
            "family",
            "rating",
            "state",
            "project",
            "known_exploited",
            "risk",
            "action",
            "limit",
            "after",
        ],
    )?;
    let page = params.page()?;
    let family = params.choice("family", &["vulnerability", "lifecycle", "licence"])?;
    let rating = params.choice("rating", &["none", "low", "medium", "high", "critical"])?;
    let wanted_state = params.choice("state", STATES)?;
    let project = params.str("project").map(str::to_owned);
    let exploited = params.parse::<bool>("known_exploited")?;
    let snapshot = params.snapshot(&state).await?;
    // The findings of a risk or an action: their keys, from the analysis.
    let mut of: Option<std::collections::HashSet<String>> = None;
    for (name, risks) in [("risk", true), ("action", false)] {
        let Some(key) = params.str(name) else {
            continue;
        };
        let analysis = state.analysis().await?.ok_or(ApiError::NoSnapshot)?;
        let a = &analysis.analyses.now.analysis;
        let keys = if risks {
            a.register
                .risks
                .iter()
                .find(|r| r.key == key)
                .map(|r| &r.findings)
        } else {
            a.actions.iter().find(|x| x.key == key).map(|x| &x.findings)
        }
        .ok_or_else(|| {
            ApiError::param(name, format!("no {name} {key:?} in the latest snapshot"))
        })?;
        let keys: std::collections::HashSet<String> = keys.iter().cloned().collect();
        of = Some(match of {
            Some(before) => before.intersection(&keys).cloned().collect(),
            None => keys,
        });
    }
    let keep = |s: &StatusRef<'_>| {
        let f = s.finding;
        family.as_deref().is_none_or(|x| f.family.id() == x)
            && rating.as_deref().is_none_or(|x| f.rating.as_str() == x)
            && wanted_state
                .as_deref()
                .is_none_or(|x| state_name(s.effective) == x)
            && project.as_deref().is_none_or(|x| f.project_path == x)
            && exploited.is_none_or(|x| f.known_exploited == x)
            && of.as_ref().is_none_or(|keys| keys.contains(&f.key))
    };
    let page_of = |all: &[StatusRef<'_>]| {
        paginate(
            all,
            |s| s.finding.key.as_str(),
            keep,
            &page,
            FindingItem::with_ref,
        )
    };
    // The latest snapshot's findings are the analysis's (kept); an older one's are read.
    let analysis = state.analysis().await?.ok_or(ApiError::NoSnapshot)?;
    if analysis.snapshot() == snapshot {
        let all: Vec<StatusRef<'_>> = analysis.statuses().collect();
        let mut page = page_of(&all);
        drop(all);
        drop(analysis);
        // The analysis keeps no details: those of the page are read.
        let keys: Vec<String> = page.items.iter().map(|i| i.key.clone()).collect();
        let stores = state.stores()?.clone();
        let details = stores
            .read(move |s| Ok(s.finding_details(snapshot, &keys)?))
            .await?;
        for (item, detail) in page.items.iter_mut().zip(details) {
            item.detail = object_or_empty(detail.and_then(|text| serde_json::from_str(&text).ok()));
        }
        return json(&headers, &page);
    }
    let day = vigie_app::config::today(None)?.to_string();
    let stores = state.stores()?.clone();
    let mut read = stores
        .read(move |s| Ok(s.effective_triage(snapshot, &day)?))
        .await?;
    read.sort_by(|a, b| a.finding.key.cmp(&b.finding.key));
    let all: Vec<StatusRef<'_>> = read
        .iter()
        .map(|s| StatusRef {
            finding: &s.finding,
            effective: s.effective,
            triage: s.triage.as_ref(),
        })
        .collect();
    json(&headers, &page_of(&all))
}
