//! `GET /api/v1/reports/{snapshot}?format=&lang=`: a snapshot's report rendered by
//! `vigie_app::report::render`, the same call as `vigie report`, so both give the same bytes
//! (for the same day). Given as an attachment.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;
use vigie_app::report::{Format, render, scope};

use super::{ApiError, Params, bytes_with_etag, resolve_snapshot};
use crate::state::AppState;

/// Each format: its name in the API, the core's format, media type, file extension.
const FORMATS: &[(&str, Format, &str, &str)] = &[
    ("json", Format::Json, "application/json", "json"),
    ("csv", Format::Csv, "text/csv; charset=utf-8", "csv"),
    (
        "csv-findings",
        Format::CsvFindings,
        "text/csv; charset=utf-8",
        "findings.csv",
    ),
    ("sarif", Format::Sarif, "application/sarif+json", "sarif"),
    (
        "cyclonedx",
        Format::Cyclonedx,
        "application/vnd.cyclonedx+json",
        "cdx.json",
    ),
    (
        "markdown",
        Format::Markdown,
        "text/markdown; charset=utf-8",
        "md",
    ),
    ("html", Format::Html, "text/html; charset=utf-8", "html"),
];

/// The report of a snapshot in one format and language.
#[utoipa::path(get, path = "/api/v1/reports/{snapshot}", tag = "reports",
    params(
        ("snapshot" = i64, Path, description = "The snapshot; the trend compares it with the one before"),
        ("format" = Option<super::vocab::ReportFormat>, Query, description = "`json` (default: the risk analysis, risk.v1, and the trend), `csv` (the register), `csv-findings`, `sarif`, `cyclonedx` (with VEX), `markdown` or `html` (the executive report)"),
        ("lang" = Option<super::vocab::Lang>, Query, description = "`en` (default) or `fr`"),
    ),
    responses((status = 200, description = "The report, as an attachment", content(
        ("application/json"),
        ("text/csv"),
        ("application/sarif+json"),
        ("application/vnd.cyclonedx+json"),
        ("text/markdown"),
        ("text/html"),
    ))))]
pub(crate) async fn report(
    State(state): State<AppState>,
    Path(snapshot): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = Params::new(q.as_deref(), &["format", "lang"])?;
    let names: Vec<&str> = FORMATS.iter().map(|f| f.0).collect();
    let name = params
        .choice("format", &names)?
        .unwrap_or_else(|| "json".into());
    let &(_, format, media, ext) = FORMATS
        .iter()
        .find(|f| f.0 == name)
        .ok_or_else(|| ApiError::param("format", "unknown"))?;
    let lang: vigie_model::Lang = params
        .choice("lang", &["en", "fr"])?
        .as_deref()
        .unwrap_or("en")
        .parse()
        .map_err(|_| ApiError::param("lang", "en or fr"))?;
    let id: i64 = snapshot
        .parse()
        .map_err(|_| ApiError::param("snapshot", format!("{snapshot:?} is not a snapshot id")))?;
    let id = resolve_snapshot(&state, Some(id)).await?;
    let stores = state.stores()?.clone();
    let dir = state.config().data_dir.clone();
    let body = stores
        .read(move |s| {
            let mut out = Vec::new();
            let scope = scope(s, Some(id), None)?.with_knowledge(dir.as_deref());
            render(s, scope, format, lang, None, &mut out)?;
            Ok(out)
        })
        .await?;
    let mut response = bytes_with_etag(&headers, body, media);
    let disposition = format!("attachment; filename=\"vigie-report-{id}.{ext}\"");
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
