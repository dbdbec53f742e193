//! Ingest from CI through the real router and a real SQLite store: `vigie scan --push`'s
//! document, the Dependency-Track uploads of the real SBOMs, idempotency, 100 concurrent
//! pushes, refusals that store nothing, and the access rules.

use std::io::Write;
use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use base64::Engine;
use vigie_app::checks::{CheckFamily, Estate};
use vigie_app::config::LifecycleOptions;
use vigie_app::ingest::PushDocument;
use vigie_app::ingest::push::{PushRequest, document};
use vigie_app::scan::{ScanRequest, scan};
use vigie_app::store::StoreLocation;
use vigie_store::{Location, Mode, TokenScope};

use crate::common::{TestServer, server_with, synced, text, token};

fn doc_of(paths: &[PathBuf]) -> PushDocument {
    document(
        &PushRequest {
            paths,
            project: None,
            commit: None,
            max_file_size: vigie_app::estate::DEFAULT_MAX_FILE_SIZE,
        },
        &vigie_app::Silent,
    )
    .unwrap()
    .0
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(bytes).unwrap();
    gz.finish().unwrap()
}

async fn push(
    s: &TestServer,
    token: &str,
    body: Vec<u8>,
    gz: bool,
) -> (StatusCode, serde_json::Value) {
    let mut b = Request::post("/api/v1/scans")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if gz {
        b = b.header(header::CONTENT_ENCODING, "gzip");
    }
    let r = s.send(b.body(Body::from(body)).unwrap()).await;
    let status = r.status();
    let t = text(r).await;
    (
        status,
        serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t)),
    )
}

fn snapshots(s: &TestServer) -> usize {
    s.store().snapshots().unwrap().len()
}

async fn empty_server() -> Option<TestServer> {
    server_with(Vec::new(), None, None).await
}

#[tokio::test]
async fn a_push_is_audited_by_the_server_as_a_local_scan_is() {
    let Some(s) = empty_server().await else {
        return;
    };
    let t = token(&s, vec![TokenScope::Ingest], None);
    let folder = PathBuf::from("examples/acme/storefront");
    let root = vigie_testkit::workspace();
    std::env::set_current_dir(&root).unwrap();
    let doc = doc_of(std::slice::from_ref(&folder));
    let body = gzip(&serde_json::to_vec(&doc).unwrap());
    let (status, answer) = push(&s, &t, body.clone(), true).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["checked"], true);
    let id = answer["snapshot"].as_i64().unwrap();

    // The truth: a local scan of the same folder with the same index.
    let local = tempfile::tempdir().unwrap();
    let db = local.path().join("local.db");
    scan(
        &ScanRequest {
            estate: Estate {
                paths: std::slice::from_ref(&folder),
                checks: &CheckFamily::ALL,
                lifecycle: LifecycleOptions::default(),
                config_file: None,
                max_file_size: vigie_app::estate::DEFAULT_MAX_FILE_SIZE,
                diagnostics: false,
            },
            store: &StoreLocation {
                db: Some(vigie_store::Location::path(&db)),
                data_dir: synced().map(|p| p.to_path_buf()),
            },
            label: None,
            keep: None,
        },
        &vigie_app::Silent,
    )
    .unwrap();
    let local = vigie_store::open(&Location::path(&db), Mode::ReadOnly).unwrap();
    let remote = s.store();
    let lid = local.latest().unwrap();
    assert_eq!(
        remote.project_paths(id).unwrap(),
        local.project_paths(lid).unwrap()
    );
    let comps = |st: &dyn vigie_store::Store, id| {
        let mut v = Vec::new();
        st.for_each_component(id, &mut |r| {
            v.push((r.project_path.to_owned(), r.purl.to_owned()))
        })
        .unwrap();
        v
    };
    assert_eq!(comps(&*remote, id), comps(&*local, lid));
    let findings = |st: &dyn vigie_store::Store, id| {
        st.findings(id)
            .unwrap()
            .into_iter()
            .map(|f| (f.key, f.rating, f.fixed))
            .collect::<Vec<_>>()
    };
    let (r, l) = (findings(&*remote, id), findings(&*local, lid));
    assert!(!l.is_empty(), "the example has findings");
    assert_eq!(r, l);

    // The same push again: one snapshot, 200 with its id.
    let (status, again) = push(&s, &t, body, true).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["snapshot"].as_i64(), Some(id));
    assert_eq!(snapshots(&s), 1);
    let log = s.store().audit_log(None, 10).unwrap();
    assert_eq!(
        log.iter()
            .filter(|e| e.entry.action == "scan.ingest")
            .count(),
        2
    );
    assert!(log.iter().all(|e| {
        e.entry.action != "scan.ingest"
            || e.entry
                .detail
                .as_deref()
                .is_some_and(|d| d.contains(&format!("snapshot {id}")))
    }));
}

/// The server's own scans of its folders (at start and on the schedule) keep the projects
/// CI pushed: the latest snapshot stays the whole estate.
#[tokio::test]
async fn the_servers_scans_keep_what_ci_pushed() {
    let Some(data) = synced() else { return };
    let root = vigie_testkit::workspace();
    std::env::set_current_dir(&root).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let state = vigie_server::AppState::new(vigie_server::ServerConfig {
        settings: vigie_app::config::Config::default().server(None).unwrap(),
        store: vigie_store::Location::path(dir.path().join("vigie.db")),
        paths: vec![root.join("examples/acme/storefront")],
        data_dir: Some(data.to_path_buf()),
        config_file: None,
        admin_password: Some(crate::common::PASSWORD.into()),
    });
    state.open_store().await.unwrap();
    let s = TestServer {
        router: vigie_server::router(state.clone()),
        state,
        dir,
    };
    assert!(vigie_server::scan_once(&s.state).await);
    let scanned = s.store().latest().unwrap();
    let mut expected = s.store().project_paths(scanned).unwrap();
    assert_eq!(expected.len(), 1, "{expected:?}");

    let t = token(&s, vec![TokenScope::Ingest], None);
    let pushed = doc_of(&[PathBuf::from("examples/acme/billing-api")]);
    let pushed_paths: Vec<String> = pushed.projects.iter().map(|p| p.path.clone()).collect();
    let body = serde_json::to_vec(&pushed).unwrap();
    let (status, answer) = push(&s, &t, body, false).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let pushed_findings = |snapshot| {
        s.store()
            .findings(snapshot)
            .unwrap()
            .into_iter()
            .filter(|f| pushed_paths.contains(&f.project_path))
            .map(|f| f.key)
            .collect::<Vec<_>>()
    };
    let after_push = pushed_findings(answer["snapshot"].as_i64().unwrap());

    // The next scheduled scan: a new snapshot, with the pushed projects and their findings.
    assert!(vigie_server::scan_once(&s.state).await);
    let rescanned = s.store().latest().unwrap();
    assert!(rescanned > scanned);
    expected.extend(pushed_paths.iter().cloned());
    expected.sort();
    assert_eq!(s.store().project_paths(rescanned).unwrap(), expected);
    assert_eq!(pushed_findings(rescanned), after_push);

    // After a sync, the server re-audits the latest snapshot: every project, the pushed one
    // too, checked again from its stored components. With the same index, the same
    // findings, whole.
    assert!(vigie_server::reaudit_once(&s.state).await);
    let reaudited = s.store().latest().unwrap();
    assert!(reaudited > rescanned);
    let info = s.store().snapshots().unwrap();
    assert_eq!(info.last().unwrap().meta.label.as_deref(), Some("reaudit"));
    assert_eq!(s.store().project_paths(reaudited).unwrap(), expected);
    assert_eq!(
        s.store().findings(reaudited).unwrap(),
        s.store().findings(rescanned).unwrap()
    );
    assert_eq!(pushed_findings(reaudited), after_push);
}

#[tokio::test]
async fn a_hundred_concurrent_pushes_are_all_stored_once() {
    let Some(s) = empty_server().await else {
        return;
    };
    let Some(data) = vigie_testkit::data_dir() else {
        return;
    };
    let t = token(&s, vec![TokenScope::Ingest], None);
    let all = doc_of(&[data.join("lockfiles")]);
    assert!(
        all.projects.len() >= 20,
        "{} lockfile projects",
        all.projects.len()
    );
    let mut set = tokio::task::JoinSet::new();
    // 100 different projects, the real lockfiles taken in turn.
    for i in 0..100 {
        let mut p = all.projects[i % all.projects.len()].clone();
        p.path = format!("ci/{i:03}");
        let doc = PushDocument {
            projects: vec![p],
            ..all_meta()
        };
        let body = gzip(&serde_json::to_vec(&doc).unwrap());
        let router = s.router.clone();
        let t = t.clone();
        set.spawn(async move {
            use tower::ServiceExt;
            let req = Request::post("/api/v1/scans")
                .header("x-api-key", t)
                .header(header::CONTENT_ENCODING, "gzip")
                .body(Body::from(body))
                .unwrap();
            let r = router.oneshot(req).await.unwrap();
            (r.status(), text(r).await)
        });
    }
    let statuses = set.join_all().await;
    for (status, body) in &statuses {
        assert_eq!(*status, StatusCode::CREATED, "{body}");
    }
    let store = s.store();
    let latest = store.latest().unwrap();
    let paths = store.project_paths(latest).unwrap();
    let want: Vec<String> = (0..100).map(|i| format!("ci/{i:03}")).collect();
    assert_eq!(paths, want, "none lost, none doubled");
}

fn all_meta() -> PushDocument {
    PushDocument {
        format: "vigie-push".into(),
        version: 1,
        tool_version: "test".into(),
        commit: None,
        projects: Vec::new(),
    }
}

#[tokio::test]
async fn bad_documents_and_bad_credentials_store_nothing() {
    let Some(s) = empty_server().await else {
        return;
    };
    let t = token(&s, vec![TokenScope::Ingest], None);
    let folder = vigie_testkit::workspace().join("examples/acme/storefront");
    let mut doc = doc_of(&[folder]);
    doc.projects[0].path = "storefront".into();
    let json = serde_json::to_vec(&doc).unwrap();
    let (status, p) = push(&s, &t, json[..json.len() / 2].to_vec(), false).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{p}");
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("not a push document")
    );
    for bad in ["../etc", "/abs", "a/../b", "a\\b", ""] {
        let mut d = doc.clone();
        d.projects[0].path = bad.into();
        let (status, p) = push(&s, &t, serde_json::to_vec(&d).unwrap(), false).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {p}");
        assert_eq!(p["status"], 400);
    }
    let mut d = doc.clone();
    d.projects[0].components[0].purl = "npm/x 1".into();
    assert_eq!(
        push(&s, &t, serde_json::to_vec(&d).unwrap(), false).await.0,
        StatusCode::BAD_REQUEST
    );
    let big = vec![b' '; 60 * 1024 * 1024];
    assert_eq!(
        push(&s, &t, big, false).await.0,
        StatusCode::PAYLOAD_TOO_LARGE
    );
    // A non-SBOM on the bom route.
    let r = bom_put(&s, &t, "shop", b"{\"hello\": \"world\"}").await;
    assert_eq!(r.0, StatusCode::BAD_REQUEST, "{}", r.1);
    // Credentials.
    let read = token(&s, vec![TokenScope::Read, TokenScope::Admin], None);
    assert_eq!(
        push(&s, &read, serde_json::to_vec(&doc).unwrap(), false)
            .await
            .0,
        StatusCode::FORBIDDEN
    );
    let r = s
        .send(
            Request::post("/api/v1/scans")
                .body(Body::from(serde_json::to_vec(&doc).unwrap()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(snapshots(&s), 0, "nothing stored");
    // The project uuid form of Dependency-Track is refused clearly.
    let body = serde_json::json!({"project": "6b7d4a4e-0000-4000-8000-000000000000", "bom": ""});
    let r = s
        .send(
            Request::put("/api/v1/bom")
                .header("x-api-key", &t)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(text(r).await.contains("projectName"));
    // And the good document is stored.
    assert_eq!(
        push(&s, &t, serde_json::to_vec(&doc).unwrap(), false)
            .await
            .0,
        StatusCode::CREATED
    );
}

async fn bom_put(
    s: &TestServer,
    t: &str,
    name: &str,
    bom: &[u8],
) -> (StatusCode, serde_json::Value) {
    let body = serde_json::json!({
        "projectName": name,
        "projectVersion": "1.0",
        "autoCreate": true,
        "bom": base64::engine::general_purpose::STANDARD.encode(bom),
    });
    let r = s
        .send(
            Request::put("/api/v1/bom")
                .header("X-Api-Key", t)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await;
    let status = r.status();
    let t = text(r).await;
    (
        status,
        serde_json::from_str(&t).unwrap_or(serde_json::Value::String(t)),
    )
}

async fn bom_post(s: &TestServer, t: &str, name: &str, bom: &[u8]) -> StatusCode {
    let boundary = "vigie-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (k, v) in [
        ("projectName", name),
        ("projectVersion", "1.0"),
        ("autoCreate", "true"),
    ] {
        write!(
            body,
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        )
        .unwrap();
    }
    write!(body, "--{boundary}\r\nContent-Disposition: form-data; name=\"bom\"; filename=\"bom.json\"\r\nContent-Type: application/octet-stream\r\n\r\n").unwrap();
    body.extend_from_slice(bom);
    write!(body, "\r\n--{boundary}--\r\n").unwrap();
    let r = s
        .send(
            Request::post("/api/v1/bom")
                .header("X-Api-Key", t)
                .header(
                    header::CONTENT_TYPE,
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(Body::from(body))
                .unwrap(),
        )
        .await;
    r.status()
}

/// The purls `vigie inventory` reads from `file` (the inventory use case).
fn inventory(file: &std::path::Path) -> (Option<String>, Vec<String>) {
    let mut purls = Vec::new();
    let mut format = None;
    vigie_app::estate::scan(
        &[file.to_path_buf()],
        vigie_app::estate::DEFAULT_MAX_FILE_SIZE,
        None,
        &vigie_app::Silent,
        |chunk| {
            for p in chunk {
                format = p.project.files.first().map(|f| f.format.clone());
                purls.extend(p.project.components.into_iter().map(|c| c.purl));
            }
            Ok(())
        },
    )
    .unwrap();
    (format, purls)
}

#[tokio::test]
async fn dependency_track_uploads_of_the_real_sboms_give_the_inventory() {
    let Some(s) = empty_server().await else {
        return;
    };
    let Some(data) = vigie_testkit::data_dir() else {
        return;
    };
    let t = token(&s, vec![TokenScope::Ingest], None);
    let mut files: Vec<PathBuf> = walk(&data.join("sbom"));
    files.sort();
    let mut checked = 0;
    for (i, file) in files.iter().enumerate() {
        let (format, want) = inventory(file);
        let bytes = std::fs::read(file).unwrap();
        let cdx = matches!(format.as_deref(), Some("cyclonedx-json" | "cyclonedx-xml"));
        let name = format!("sbom/{i}");
        let (status, answer) = bom_put(&s, &t, &name, &bytes).await;
        // Not CycloneDX, or named so without being one (read as nothing by the inventory):
        // refused, as Dependency-Track refuses it.
        if !cdx || (want.is_empty() && status == StatusCode::BAD_REQUEST) {
            assert_eq!(
                status,
                StatusCode::BAD_REQUEST,
                "{}: {answer}",
                file.display()
            );
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{}: {answer}", file.display());
        assert_eq!(answer["token"].as_str().unwrap().len(), 36);
        let store = s.store();
        let latest = store.latest().unwrap();
        let mut got = Vec::new();
        store
            .for_each_component(latest, &mut |r| {
                if r.project_path == name {
                    got.push(r.purl.to_owned());
                }
            })
            .unwrap();
        assert_eq!(got, want, "{}", file.display());
        // The multipart form of the same file: the same content, already stored.
        assert_eq!(bom_post(&s, &t, &name, &bytes).await, StatusCode::OK);
        assert_eq!(s.store().latest().unwrap(), latest, "{}", file.display());
        checked += 1;
    }
    assert!(checked >= 10, "{checked} CycloneDX SBOMs");
    let r = s
        .send(
            Request::get("/api/v1/event/token/6b7d4a4e-0000-4000-8000-000000000000")
                .header("X-Api-Key", &t)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(text(r).await, r#"{"processing":false}"#);
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "json" || x == "xml") {
            out.push(p);
        }
    }
    out
}
