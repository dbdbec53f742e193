//! The upload of Dependency-Track (`PUT /api/v1/bom` with a JSON body whose `bom` is the
//! base64 SBOM; `POST /api/v1/bom` as `multipart/form-data`), so that a pipeline that
//! uploads to Dependency-Track works by changing the URL; the token comes in `X-Api-Key`, as
//! its clients send it. The project is named (`projectName`, `projectVersion`): it is stored
//! under the path `projectName` (a push replaces the project's previous state, as a
//! repository's does), the version is kept in the audit log. Dependency-Track's `project`
//! uuid form is refused (vigie has no such ids). The answer is Dependency-Track's
//! (`{"token": "<uuid>"}`); processing is done before it, so `GET
//! /api/v1/event/token/{uuid}` always answers `{"processing": false}`.

use axum::Extension;
use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Principal;
use crate::state::AppState;

/// The JSON body of `PUT /api/v1/bom`, as Dependency-Track's clients send it.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BomUpload {
    /// Dependency-Track's project uuid: refused (vigie names projects; send `projectName`).
    project: Option<String>,
    /// The project's name: its path in the estate (a new upload replaces its components).
    project_name: Option<String>,
    /// The project's version, kept in the audit log.
    project_version: Option<String>,
    /// Must be true when the project is not in the estate yet.
    #[serde(default)]
    auto_create: Option<bool>,
    /// The CycloneDX 1.4–1.6 SBOM (JSON or XML), base64-encoded.
    bom: Option<String>,
}

/// The multipart form of `POST /api/v1/bom` (schema only: the handler reads the fields
/// one by one, the SBOM without loading it twice).
#[derive(ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub(crate) struct BomForm {
    /// Dependency-Track's project uuid: refused (vigie names projects; send `projectName`).
    project: Option<String>,
    /// The project's name: its path in the estate.
    project_name: Option<String>,
    /// The project's version, kept in the audit log.
    project_version: Option<String>,
    /// `true` when the project is not in the estate yet.
    auto_create: Option<bool>,
    /// The CycloneDX 1.4–1.6 SBOM file (JSON or XML).
    #[schema(value_type = String, format = Binary)]
    bom: Vec<u8>,
}

/// The answer to an upload: Dependency-Track's event token.
#[derive(Serialize, ToSchema)]
pub(crate) struct BomToken {
    /// A UUID to poll at `/api/v1/event/token/{uuid}`.
    #[schema(format = "uuid")]
    token: String,
}

/// The answer of the event poll.
#[derive(Serialize, ToSchema)]
pub(crate) struct BomProcessing {
    /// Always false: an upload is processed before it is answered.
    processing: bool,
}

/// Upload an SBOM (Dependency-Track's `PUT /api/v1/bom`).
///
/// The SBOM is read, audited with the server's knowledge index and stored as the project
/// named `projectName`, before the answer. Needs a token with the `ingest` scope, sent as
/// Dependency-Track's clients do (`X-Api-Key`) or as a bearer token.
#[utoipa::path(put, path = "/api/v1/bom", tag = "ingest",
    request_body(content = BomUpload, content_type = "application/json"),
    responses(
        (status = 200, description = "Stored", body = BomToken),
    ))]
pub(crate) async fn put(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    request: axum::extract::Request,
) -> Response {
    let ip = crate::auth::client_ip(request.extensions());
    let body = match axum::body::to_bytes(request.into_body(), usize::MAX).await {
        Ok(b) => b,
        Err(_) => return too_large(),
    };
    let upload: BomUpload = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => return super::bad_request(&format!("not a BOM upload: {e}")),
    };
    drop(body);
    let Some(bom) = upload.bom.as_deref() else {
        return super::bad_request("bom: missing");
    };
    let bytes = match base64::engine::general_purpose::STANDARD.decode(bom.trim()) {
        Ok(b) => b,
        Err(e) => return super::bad_request(&format!("bom: not base64: {e}")),
    };
    ingest(&state, &who, ip, upload, bytes).await
}

/// Upload an SBOM as a form (Dependency-Track's multipart `POST /api/v1/bom`).
///
/// As `PUT /api/v1/bom`, with the fields `projectName`, `projectVersion`, `autoCreate` and
/// the SBOM file `bom`.
#[utoipa::path(post, path = "/api/v1/bom", tag = "ingest",
    request_body(content = BomForm, content_type = "multipart/form-data"),
    responses(
        (status = 200, description = "Stored", body = BomToken),
    ))]
pub(crate) async fn post(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    request: axum::extract::Request,
) -> Response {
    let ip = crate::auth::client_ip(request.extensions());
    let mut form = match Multipart::from_request(request, &state).await {
        Ok(f) => f,
        Err(e) => return super::bad_request(&format!("multipart: {}", e.body_text())),
    };
    let mut upload = BomUpload {
        project: None,
        project_name: None,
        project_version: None,
        auto_create: None,
        bom: None,
    };
    let mut bytes = None;
    loop {
        let field = match form.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(),
            Err(e) => return super::bad_request(&format!("multipart: {}", e.body_text())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        let data = match field.bytes().await {
            Ok(d) => d,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(),
            Err(e) => return super::bad_request(&format!("multipart: {}", e.body_text())),
        };
        let text = || String::from_utf8_lossy(&data).trim().to_owned();
        match name.as_str() {
            "project" => upload.project = Some(text()),
            "projectName" => upload.project_name = Some(text()),
            "projectVersion" => upload.project_version = Some(text()),
            "autoCreate" => upload.auto_create = Some(text().eq_ignore_ascii_case("true")),
            "bom" => bytes = Some(data.to_vec()),
            _ => {}
        }
    }
    let Some(bytes) = bytes else {
        return super::bad_request("bom: missing");
    };
    ingest(&state, &who, ip, upload, bytes).await
}

/// Whether an upload is still being processed (Dependency-Track's event poll).
///
/// Always `{"processing": false}`: vigie processes an upload before it answers it.
#[utoipa::path(get, path = "/api/v1/event/token/{uuid}", tag = "ingest",
    params(("uuid" = String, Path, description = "The token of an upload")),
    responses(
        (status = 200, description = "Done", body = BomProcessing),
    ))]
pub(crate) async fn event(Path(_token): Path<String>) -> Response {
    axum::Json(BomProcessing { processing: false }).into_response()
}

fn too_large() -> Response {
    super::problem(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body too large",
        &format!("an upload is at most {} bytes", super::BOM_BODY_LIMIT),
    )
}

async fn ingest(
    state: &AppState,
    who: &Principal,
    ip: Option<String>,
    upload: BomUpload,
    bytes: Vec<u8>,
) -> Response {
    if upload.project.is_some() && upload.project_name.is_none() {
        return super::bad_request(
            "project: vigie names projects, it has no project uuids: send projectName \
             (and projectVersion) instead",
        );
    }
    let Some(name) = upload.project_name.filter(|n| !n.is_empty()) else {
        return super::bad_request("projectName: missing");
    };
    if upload.auto_create != Some(true) {
        let path = name.clone();
        let known = match state.stores() {
            Ok(s) => {
                s.read(move |s| match s.latest() {
                    Ok(id) => Ok(s.project_paths(id)?.contains(&path)),
                    Err(vigie_store::Error::Empty) => Ok(false),
                    Err(e) => Err(e.into()),
                })
                .await
            }
            Err(e) => return e.into_response(),
        };
        match known {
            Ok(true) => {}
            Ok(false) => {
                return super::problem(
                    StatusCode::NOT_FOUND,
                    "no such project",
                    &format!("project {name:?} does not exist: upload with autoCreate true"),
                );
            }
            Err(e) => return crate::error::AppError::Internal(e).into_response(),
        }
    }
    let version = upload.project_version.unwrap_or_default();
    let shown = if version.is_empty() {
        name.clone()
    } else {
        format!("{name} {version}")
    };
    let decoded = tokio::task::spawn_blocking(move || {
        let doc = vigie_app::ingest::sbom::document(&name, &shown, &bytes)?;
        doc.validate()?;
        Ok::<_, vigie_app::ingest::Invalid>(doc)
    })
    .await;
    let doc = match decoded {
        Ok(Ok(doc)) => doc,
        Ok(Err(invalid)) => return super::bad_request(&invalid.to_string()),
        Err(e) => return crate::error::AppError::Internal(e.into()).into_response(),
    };
    match super::store(state, who, ip, doc, "bom upload").await {
        Ok(_) => match vigie_app::access::random_hex(16) {
            Ok(hex) => axum::Json(BomToken { token: uuid(&hex) }).into_response(),
            Err(e) => crate::error::AppError::Internal(e).into_response(),
        },
        Err(response) => response,
    }
}

/// 32 random hex digits as a version-4 UUID.
fn uuid(hex: &str) -> String {
    let h = hex.as_bytes();
    let s = |a: usize, b: usize| String::from_utf8_lossy(&h[a..b]).into_owned();
    format!(
        "{}-{}-4{}-{}{}-{}",
        s(0, 8),
        s(8, 12),
        s(13, 16),
        ["8", "9", "a", "b"][usize::from(h[16] % 4)],
        s(17, 20),
        s(20, 32)
    )
}
