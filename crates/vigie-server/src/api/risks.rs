//! `GET /api/v1/risks` and `GET /api/v1/actions`: the risk register and the recommended
//! actions of the latest snapshot's analysis as of today (`state.analysis()`, computed once
//! and shared with the pages). Each item is the object of `docs/schemas/risk.v1.schema.json`
//! (`register.risks[]`, `actions[]`), which the API does not re-describe field by field.

use axum::extract::{RawQuery, State};
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
    "A risk of the register: an item of `register.risks` in docs/schemas/risk.v1.schema.json (key, family, group, system, owners, title, likelihood, impact, score, level, findings, projects, packages...)."
);
documented_object!(
    ActionItem,
    "A recommended action: an item of `actions` in docs/schemas/risk.v1.schema.json (key, kind, subject, from, to, projects, systems, findings, risk_removed, effort, value, text...)."
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
            out.push((key(i), serde_json::to_value(i).map_err(|e| e.to_string())?));
        }
        out.sort_by(|a, b| a.0.cmp(&b.0));
        Ok(out)
    });
    made.as_deref()
        .map_err(|e| ApiError::from(anyhow::anyhow!("{e}")))
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
