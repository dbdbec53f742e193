//! Ingest from CI: vigie's own endpoint (`POST /api/v1/scans`, `scans.rs`) and the one
//! compatible with Dependency-Track (`PUT`/`POST /api/v1/bom`, `GET
//! /api/v1/event/token/{uuid}`, `bom.rs`). Both decode and validate off the runtime, audit
//! the projects with the server's knowledge (loaded once, reloaded after a sync), and store
//! them through the store's one writer as a new snapshot of the estate
//! (`Store::ingest`: the pushed projects replace those of the same path, the others are
//! carried forward), with an audit-log entry per project. A refused push stores nothing.

pub(crate) mod bom;
pub(crate) mod scans;

use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use vigie_app::checks::{CheckFamily, Knowledge, LoadOptions};
use vigie_app::config::{Config, LifecycleOptions};
use vigie_app::ingest::PushDocument;
use vigie_app::ingest::push::PushAnswer;
use vigie_app::scan::DEFAULT_KEEP;

use crate::auth::{Principal, audit};
use crate::error::AppError;
use crate::state::AppState;

/// The largest body of `POST /api/v1/scans` (a push is gzip-compressed by `vigie scan`).
pub const SCANS_BODY_LIMIT: usize = 32 * 1024 * 1024;
/// The largest body of the SBOM uploads: a 50 MB SBOM, base64-encoded in JSON.
pub const BOM_BODY_LIMIT: usize = 100 * 1024 * 1024;

/// The knowledge the checks of a push run with, loaded at the first push (one load at a
/// time: concurrent pushes wait for it rather than each loading its own).
#[derive(Default)]
pub(crate) struct Checks {
    loaded: tokio::sync::Mutex<Option<Arc<Knowledge>>>,
}

impl Checks {
    /// Forgets the knowledge (after a sync): the next push loads the new generation.
    pub(crate) async fn reload(&self) {
        *self.loaded.lock().await = None;
    }
}

/// The knowledge of the current generation, `None` when there is no index yet.
async fn knowledge(state: &AppState) -> Option<Arc<Knowledge>> {
    let mut slot = state.0.checks.loaded.lock().await;
    if let Some(k) = slot.clone() {
        return Some(k);
    }
    let config = state.config().clone();
    let loaded = tokio::task::spawn_blocking(move || -> anyhow::Result<Knowledge> {
        let settings = Config::load(config.config_file.as_deref(), None)?;
        Knowledge::load(&LoadOptions {
            checks: &CheckFamily::ALL,
            lifecycle: &LifecycleOptions::default(),
            data_dir: config.data_dir.as_deref(),
            config: &settings,
            config_file: config.config_file.as_deref(),
            paths: &[],
            max_file_size: vigie_app::estate::DEFAULT_MAX_FILE_SIZE,
            progress: &crate::run::Logged,
        })
    })
    .await;
    match loaded {
        Ok(Ok(k)) => {
            let k = Arc::new(k);
            *slot = Some(k.clone());
            Some(k)
        }
        Ok(Err(e)) => {
            tracing::warn!(error = %format!("{e:#}"), "no knowledge index: pushes are stored without checks");
            None
        }
        Err(e) => {
            tracing::error!(error = %e, "loading the knowledge panicked");
            None
        }
    }
}

/// An RFC 9457 problem.
pub(crate) fn problem(status: StatusCode, title: &str, detail: &str) -> Response {
    let body = crate::api::Problem {
        kind: "about:blank".to_owned(),
        title: title.to_owned(),
        status: status.as_u16(),
        detail: Some(detail.to_owned()),
        instance: None,
        parameter: None,
    };
    (
        status,
        [(
            axum::http::header::CONTENT_TYPE,
            crate::api::problem::PROBLEM_JSON,
        )],
        axum::Json(body),
    )
        .into_response()
}

/// A refused document (400).
pub(crate) fn bad_request(detail: &str) -> Response {
    problem(StatusCode::BAD_REQUEST, "invalid push", detail)
}

/// Audits `doc` and stores it; the answer, or the error's response.
pub(crate) async fn store(
    state: &AppState,
    who: &Principal,
    ip: Option<String>,
    doc: PushDocument,
    label: &'static str,
) -> Result<PushAnswer, Response> {
    let stores = state.stores().map_err(IntoResponse::into_response)?.clone();
    let knowledge = knowledge(state).await;
    let checked = knowledge.is_some();
    let audited = tokio::task::spawn_blocking(move || {
        let projects = vigie_app::ingest::receive::audit(&doc, knowledge.as_deref())?;
        Ok::<_, anyhow::Error>((vigie_app::ingest::receive::meta(&doc, label), projects))
    })
    .await
    .map_err(|e| AppError::Internal(e.into()).into_response())?
    .map_err(|e| AppError::Internal(e).into_response())?;
    let (meta, projects) = audited;
    let actor = who.name.clone();
    let answer = stores
        .write(move |s| {
            let ingested = s.ingest(&meta, &projects)?;
            if ingested.created {
                s.retain(DEFAULT_KEEP)?;
            }
            for p in &projects {
                let mut entry = audit(&actor, "scan.ingest", &p.record.path, ip.clone());
                entry.detail = Some(format!(
                    "snapshot {} ({}), {} components, key {}",
                    ingested.snapshot,
                    if ingested.created {
                        "stored"
                    } else {
                        "already stored"
                    },
                    p.components.len(),
                    p.key
                ));
                s.append_audit(&entry)?;
            }
            Ok(PushAnswer {
                snapshot: ingested.snapshot,
                created: ingested.created,
                projects: projects.len() as u64,
                components: projects.iter().map(|p| p.components.len() as u64).sum(),
                findings: projects.iter().map(|p| p.findings.len() as u64).sum(),
                checked,
                carried: ingested.carried,
            })
        })
        .await
        .map_err(|e| AppError::Internal(e).into_response())?;
    state.0.metrics.scan(true);
    Ok(answer)
}
