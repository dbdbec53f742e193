//! `GET /api/v1/risks` and `GET /api/v1/actions`: the risk register and the recommended
//! actions of the latest snapshot's analysis as of today (`state.analysis()`, computed once
//! and shared with the pages). Each item is the object of `docs/schemas/risk.v1.schema.json`
//! (`register.risks[]`, `actions[]`), which the API does not re-describe field by field.

use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

use super::{ApiError, Params, json, page_schema, paginate};
use crate::state::AppState;

/// Declares a JSON object whose layout a vigie schema documents.
macro_rules! documented_object {
    ($name:ident, $doc:literal) => {
        #[doc = $doc]
        #[allow(dead_code)] // only its schema is used
        pub(crate) struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                ObjectBuilder::new()
                    .schema_type(Type::Object)
                    .description(Some($doc))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}
    };
}

documented_object!(
    RiskItem,
    "A risk of the register: an item of `register.risks` in docs/schemas/risk.v1.schema.json (key, family, group, system, owners, title, likelihood, impact, score, level, findings, projects, packages...). In a list, `findings` and `projects` are replaced by their counts `findings_count` and `projects_count` (a risk of an estate can hold thousands): `GET /api/v1/risks/{key}` gives the risk whole, `GET /api/v1/findings?risk={key}` its findings page by page."
);
documented_object!(
    ActionItem,
    "A recommended action: an item of `actions` in docs/schemas/risk.v1.schema.json (key, kind, subject, from, to, projects, systems, findings, risk_removed, effort, value, text...). In a list, `findings` and `projects` are replaced by their counts `findings_count` and `projects_count`: `GET /api/v1/actions/{key}` gives the action whole, `GET /api/v1/findings?action={key}` its findings page by page."
);

page_schema!(RiskPage, RiskItem);
page_schema!(ActionPage, ActionItem);

/// Each item as JSON with its sort key, sorted: made once per analysis (`kept`), not per
/// request (the estate's register holds thousands of risks).
fn keyed<'a, T: serde::Serialize>(
    kept: &'a std::sync::OnceLock<crate::analysis::Keyed>,
    items: &[T],
    key: impl Fn(&T) -> String,
) -> Result<&'a [(String, serde_json::Value)], ApiError> {
    let made = kept.get_or_init(|| {
        let mut out = Vec::with_capacity(items.len());
        for i in items {
            let mut v = serde_json::to_value(i).map_err(|e| e.to_string())?;
            summarise(&mut v);
            out.push((key(i), v));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    });
    made.as_deref()
        .map_err(|e| ApiError::from(anyhow::anyhow!("{e}")))
}

/// A risk or an action as a list shows it: its lists of findings and projects replaced by
/// their counts.
fn summarise(v: &mut serde_json::Value) {
    let Some(o) = v.as_object_mut() else { return };
    for list in ["findings", "projects"] {
        let n = o
            .remove(list)
            .and_then(|l| l.as_array().map(Vec::len))
            .unwrap_or(0);
        o.insert(format!("{list}_count"), serde_json::Value::from(n));
    }
}

fn field<'a>(v: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    v.get(name).and_then(|x| x.as_str())
}

/// The risk register, highest score first.
#[utoipa::path(get, path = "/api/v1/risks", tag = "risks",
    params(
        ("level" = Option<super::vocab::Level>, Query, description = "The risk's level (`low`, `medium`, `high`, `critical`)"),
        ("family" = Option<super::vocab::Family>, Query, description = "`vulnerability`, `lifecycle` or `licence`"),
        ("system" = Option<String>, Query, description = "A system's entity reference"),
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of risks", body = RiskPage)))]
pub(crate) async fn risks(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(
        q.as_deref(),
        &["level", "family", "system", "limit", "after"],
    )?;
    let page = params.page()?;
    let level = params.choice("level", &["low", "medium", "high", "critical"])?;
    let family = params.choice("family", &["vulnerability", "lifecycle", "licence"])?;
    let system = params.str("system");
    let analysis = state.analysis().await?.ok_or(ApiError::NoSnapshot)?;
    let items = keyed(
        &analysis.risk_items,
        &analysis.analyses.now.analysis.register.risks,
        |r| format!("{:03}{}", 999 - u16::from(r.score), r.key),
    )?;
    let keep = |(_, v): &(String, serde_json::Value)| {
        level
            .as_deref()
            .is_none_or(|l| field(v, "level") == Some(l))
            && family
                .as_deref()
                .is_none_or(|f| field(v, "family") == Some(f))
            && system.is_none_or(|s| field(v, "system") == Some(s))
    };
    json(
        &headers,
        &paginate(items, |i| i.0.as_str(), keep, &page, |i| i.1.clone()),
    )
}

/// The recommended actions, most value first.
#[utoipa::path(get, path = "/api/v1/actions", tag = "risks",
    params(
        super::vocab::Paging,
    ),
    responses((status = 200, description = "A page of actions", body = ActionPage)))]
pub(crate) async fn actions(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["limit", "after"])?;
    let page = params.page()?;
    let analysis = state.analysis().await?.ok_or(ApiError::NoSnapshot)?;
    let items = keyed(
        &analysis.action_items,
        &analysis.analyses.now.analysis.actions,
        |a| {
            // Most value first, then by key: fixed-width, so that text order is this order.
            let value = a.value.clamp(0.0, 1e9);
            format!("{:020.6}{}", 1e9 - value, a.key)
        },
    )?;
    json(
        &headers,
        &paginate(items, |i| i.0.as_str(), |_| true, &page, |i| i.1.clone()),
    )
}

/// One risk of the register, whole (with every finding key and project).
#[utoipa::path(get, path = "/api/v1/risks/{key}", tag = "risks",
    params(("key" = String, Path, description = "The risk's key")),
    responses((status = 200, description = "The risk", body = RiskItem)))]
pub(crate) async fn risk(
    State(state): State<AppState>,
    Path(key): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    whole(&state, &q, &headers, |a| {
        let risks = &a.analyses.now.analysis.register.risks;
        let one = risks.iter().find(|r| r.key == key);
        one.map(serde_json::to_value)
            .ok_or_else(|| ApiError::NotFound(format!("no risk {key:?}")))
    })
    .await
}

/// One recommended action, whole (with every finding key and project).
#[utoipa::path(get, path = "/api/v1/actions/{key}", tag = "risks",
    params(("key" = String, Path, description = "The action's key")),
    responses((status = 200, description = "The action", body = ActionItem)))]
pub(crate) async fn action(
    State(state): State<AppState>,
    Path(key): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    whole(&state, &q, &headers, |a| {
        let actions = &a.analyses.now.analysis.actions;
        let one = actions.iter().find(|x| x.key == key);
        one.map(serde_json::to_value)
            .ok_or_else(|| ApiError::NotFound(format!("no action {key:?}")))
    })
    .await
}

/// One item of the latest analysis, whole, as `pick` finds it.
async fn whole(
    state: &AppState,
    q: &Option<String>,
    headers: &HeaderMap,
    pick: impl FnOnce(
        &crate::analysis::Analysis,
    ) -> Result<Result<serde_json::Value, serde_json::Error>, ApiError>,
) -> Result<Response, ApiError> {
    Params::new(q.as_deref(), &[])?;
    let analysis = state.analysis().await?.ok_or(ApiError::NoSnapshot)?;
    let item = pick(&analysis)?.map_err(anyhow::Error::from)?;
    json(headers, &item)
}
