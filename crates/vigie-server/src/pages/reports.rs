//! `GET /reports`: the snapshots, each with its executive report in every format and both
//! languages; `GET /reports/download?snapshot=&format=&lang=`: one of them as a download
//! (`Content-Disposition: attachment`), made by the same `vigie_app::report` calls as
//! `vigie report` (the PDF printed by the same headless Chromium).

use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use vigie_app::report;
use vigie_model::Lang;

use super::frame::{PageReq, val};
use crate::error::AppError;
use crate::state::AppState;

/// Largest PDF read back from the printer (a report is a few MB).
const MAX_PDF_BYTES: u64 = 256 << 20;

/// `(format, file extension, content type)`.
pub(crate) const FORMATS: &[(&str, &str, &str)] = &[
    ("html", "html", "text/html; charset=utf-8"),
    ("pdf", "pdf", "application/pdf"),
    ("md", "md", "text/markdown; charset=utf-8"),
    ("json", "json", "application/json"),
    ("csv", "csv", "text/csv; charset=utf-8"),
    ("csv-findings", "findings.csv", "text/csv; charset=utf-8"),
    ("cyclonedx", "cdx.json", "application/vnd.cyclonedx+json"),
    ("sarif", "sarif", "application/sarif+json"),
];

pub(crate) async fn list(
    State(state): State<AppState>,
    page: PageReq,
) -> Result<Response, AppError> {
    let snapshots = state.stores()?.read(|s| Ok(s.snapshots()?)).await?;
    let mut snapshots = snapshots;
    snapshots.reverse();
    let formats: Vec<&str> = FORMATS.iter().map(|f| f.0).collect();
    page.render(
        &state,
        "reports.html",
        "reports",
        minijinja::context! { snapshots => val(&snapshots), formats => formats },
    )
}

#[derive(Deserialize)]
pub(crate) struct Wanted {
    snapshot: Option<i64>,
    format: String,
    #[serde(default)]
    lang: String,
}

/// A fresh file name for a PDF being printed.
fn pdf_path() -> std::path::PathBuf {
    static N: AtomicU64 = AtomicU64::new(0);
    std::env::temp_dir().join(format!(
        "vigie-serve-{}-{}.pdf",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ))
}

fn render(
    store: &dyn vigie_store::Store,
    id: Option<i64>,
    format: &str,
    lang: Lang,
    data_dir: Option<&std::path::Path>,
) -> anyhow::Result<Option<Vec<u8>>> {
    let scope = report::scope(store, id, None)?.with_knowledge(data_dir);
    let mut out = Vec::new();
    // The one dispatch of `vigie report` and the API; the PDF is printed from the HTML.
    let as_format = match format {
        "sarif" => report::Format::Sarif,
        "cyclonedx" => report::Format::Cyclonedx,
        "json" => report::Format::Json,
        "csv" => report::Format::Csv,
        "csv-findings" => report::Format::CsvFindings,
        "md" => report::Format::Markdown,
        _ => report::Format::Html,
    };
    report::render(store, scope, as_format, lang, None, &mut out)?;
    if format == "pdf" {
        let path = pdf_path();
        let printed = report::pdf::print(&out, &path);
        let bytes = vigie_fs::read_bounded(&path, MAX_PDF_BYTES);
        let _ = std::fs::remove_file(&path);
        return match printed? {
            report::pdf::Printed::Done => Ok(Some(bytes.map_err(std::io::Error::from)?)),
            report::pdf::Printed::NoRenderer => Ok(None),
        };
    }
    Ok(Some(out))
}

pub(crate) async fn download(
    State(state): State<AppState>,
    page: PageReq,
    Query(w): Query<Wanted>,
) -> Result<Response, AppError> {
    let Some(&(format, ext, content_type)) = FORMATS.iter().find(|f| f.0 == w.format) else {
        return Err(AppError::NotFound);
    };
    let lang = match w.lang.as_str() {
        "fr" => Lang::Fr,
        "en" => Lang::En,
        _ => page.lang,
    };
    let stores = state.stores()?.clone();
    let snapshots = stores.read(|s| Ok(s.snapshots()?)).await?;
    let id = match w.snapshot {
        Some(id) if snapshots.iter().any(|s| s.id == id) => id,
        Some(_) => return Err(AppError::NotFound),
        None => snapshots.last().map(|s| s.id).ok_or(AppError::NotFound)?,
    };
    let dir = state.config().data_dir.clone();
    let bytes = stores
        .read(move |s| render(s, Some(id), format, lang, dir.as_deref()))
        .await?;
    let Some(bytes) = bytes else {
        return Ok((
            StatusCode::SERVICE_UNAVAILABLE,
            "the PDF renderer `chromium` is not installed on the server",
        )
            .into_response());
    };
    let name = format!("vigie-report-{id}-{}.{ext}", lang.code());
    let mut response = bytes.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}
