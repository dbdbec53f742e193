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
use serde::Deserialize;

use crate::auth::Principal;
use crate::state::AppState;

/// The JSON body of `PUT /api/v1/bom`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct BomUpload {
    project: Option<String>,
    project_name: Option<String>,
    project_version: Option<String>,
    #[serde(default)]
    auto_create: Option<bool>,
    bom: Option<String>,
}

/// `PUT /api/v1/bom`.
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

/// `POST /api/v1/bom` (multipart: `projectName`, `projectVersion`, `autoCreate`, `bom`).
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

/// `GET /api/v1/event/token/{uuid}`: the upload was processed before it was answered.
pub(crate) async fn event(Path(_token): Path<String>) -> Response {
    axum::Json(serde_json::json!({"processing": false})).into_response()
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
            Ok(hex) => axum::Json(serde_json::json!({"token": uuid(&hex)})).into_response(),
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
