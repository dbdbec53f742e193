//! `POST /api/v1/triage`: a decision recorded through `vigie_app::triage::record` for every
//! finding its target names (a finding key, an advisory id or alias), by the principal
//! (a user's name, or `token:<prefix>`), which also writes the audit log entry
//! (`triage.record`); 201 with the keys.
//! `GET /api/v1/triage`: the history, oldest first.

use axum::Extension;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use vigie_store::{Justification, TriageState};

use super::findings::TriageItem;
use super::{ApiError, Params, Problem, json, page_schema, paginate_by_id, resolve_snapshot};
use crate::auth::Principal;
use crate::state::AppState;

/// A triage decision to record.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TriageRequest {
    /// A finding key, or an advisory id or alias (every finding of it in the snapshot).
    #[schema(min_length = 1)]
    target: String,
    /// `in_triage`, `exploitable`, `not_affected`, `false_positive` or `accepted_risk`.
    #[schema(value_type = super::vocab::DecisionState)]
    state: String,
    /// With `not_affected`: `code_not_present`, `code_not_reachable`,
    /// `requires_configuration`, `requires_dependency`, `requires_environment`,
    /// `protected_by_compiler`, `protected_at_runtime`, `protected_at_perimeter`,
    /// `protected_by_mitigating_control`.
    #[serde(default)]
    #[schema(value_type = Option<super::vocab::Justification>)]
    justification: Option<String>,
    /// With `accepted_risk`: the last day of the acceptance (`YYYY-MM-DD`).
    #[serde(default)]
    #[schema(format = Date)]
    until: Option<String>,
    /// Why: required.
    #[schema(min_length = 1)]
    reason: String,
    /// The snapshot whose findings the target names (default: the latest).
    #[serde(default)]
    #[schema(minimum = 1)]
    snapshot: Option<i64>,
}

/// What was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct TriageRecorded {
    /// The snapshot whose findings were decided on.
    snapshot: i64,
    /// The keys of the findings decided on, each once.
    keys: Vec<String>,
    /// Who decided.
    by: String,
}

/// A word of a closed vocabulary, read as the store's enum.
fn word<T: serde::de::DeserializeOwned>(name: &str, v: &str) -> Result<T, ApiError> {
    serde_json::from_value(serde_json::Value::String(v.to_owned()))
        .map_err(|_| ApiError::param(name, format!("{v:?} is not a known value")))
}

/// Records a triage decision.
#[utoipa::path(post, path = "/api/v1/triage", tag = "triage",
    request_body(content = TriageRequest, content_type = "application/json"),
    responses(
        (status = 201, description = "Recorded", body = TriageRecorded),
        (status = 422, description = "The target names no finding, or the store refuses the decision", body = Problem, content_type = "application/problem+json"),
    ))]
pub(crate) async fn record(
    State(state): State<AppState>,
    Extension(principal): Extension<Principal>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let req: TriageRequest = serde_json::from_slice(&body)
        .map_err(|e| ApiError::param("body", format!("not a triage decision: {e}")))?;
    let triage_state: TriageState = word("state", &req.state)?;
    let justification: Option<Justification> = req
        .justification
        .as_deref()
        .map(|j| word("justification", j))
        .transpose()?;
    if let Some(u) = &req.until
        && u.parse::<jiff::civil::Date>().is_err()
    {
        return Err(ApiError::param(
            "until",
            format!("{u:?} is not a day (YYYY-MM-DD)"),
        ));
    }
    if req.reason.trim().is_empty() {
        return Err(ApiError::param("reason", "required: say why"));
    }
    let target = req.target.trim().to_owned();
    if target.is_empty() {
        return Err(ApiError::param("target", "required"));
    }
    let snapshot = resolve_snapshot(&state, req.snapshot).await?;
    let decision = vigie_app::triage::Decision {
        state: triage_state,
        justification,
        until: req.until.clone(),
        reason: req.reason.clone(),
        by: principal.name.clone(),
    };
    let stores = state.stores()?.clone();
    let outcome = stores
        .write(move |s| {
            if s.find_findings(snapshot, &target)?.is_empty() {
                return Ok(Err(format!(
                    "no finding {target:?} in snapshot {snapshot} (give a finding key, or an advisory id or alias)"
                )));
            }
            let recorded = match vigie_app::triage::record(
                s,
                snapshot,
                &target,
                &decision,
                jiff::Timestamp::now(),
            ) {
                Ok(r) => r,
                Err(e) => match e.downcast_ref::<vigie_store::Error>() {
                    Some(vigie_store::Error::Invalid(m)) => return Ok(Err(m.clone())),
                    _ => return Err(e),
                },
            };
            Ok(Ok(recorded))
        })
        .await?;
    let recorded = outcome.map_err(ApiError::Unprocessable)?;
    let body = TriageRecorded {
        snapshot,
        keys: recorded.keys,
        by: principal.name,
    };
    Ok((StatusCode::CREATED, axum::Json(body)).into_response())
}

page_schema!(TriagePage, TriageItem);

/// The triage history, oldest first.
#[utoipa::path(get, path = "/api/v1/triage", tag = "triage",
    params(
        ("key" = Option<String>, Query, description = "Only the decisions on this finding key"),
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of decisions", body = TriagePage)))]
pub(crate) async fn history(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["key", "limit", "after"])?;
    let page = params.page()?;
    let key = params.str("key").map(str::to_owned);
    let stores = state.stores()?.clone();
    let records = stores
        .read(move |s| Ok(s.triage_history(key.as_deref())?))
        .await?;
    json(
        &headers,
        &paginate_by_id(records, |r| r.id, &page, |r| TriageItem::from(r)),
    )
}
