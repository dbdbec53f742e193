//! A server over a fresh store with one scan of `examples/acme`, and request helpers.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, Response, header};
use tower::ServiceExt;
use vigie_app::checks::{CheckFamily, Estate};
use vigie_app::config::{Config, LifecycleOptions};
use vigie_app::scan::{ScanRequest, scan};
use vigie_app::store::StoreLocation;
use vigie_server::{AppState, ServerConfig};
use vigie_store::Role;

pub const PASSWORD: &str = "correct horse battery staple";

/// A data directory with the reference mirror compiled into it, once per test binary.
pub fn synced() -> Option<&'static Path> {
    static DIR: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    DIR.get_or_init(|| {
        let mirror = vigie_testkit::data_dir()?;
        let dir = tempfile::tempdir().unwrap();
        vigie_app::sync::sync(
            &vigie_app::sync::SyncRequest {
                data_dir: Some(dir.path().to_path_buf()),
                mirror: Some(mirror),
                base_url: None,
                ecosystems: Vec::new(),
                allow_partial: false,
            },
            &vigie_sync::NoProgress,
            &vigie_app::Silent,
        )
        .unwrap();
        Some(dir)
    })
    .as_ref()
    .map(|d| d.path())
}

pub struct TestServer {
    pub state: AppState,
    pub router: axum::Router,
    pub dir: tempfile::TempDir,
}

/// A ready server whose store holds a scan of `paths` (none: an empty store), labelled.
pub async fn server_with(
    paths: Vec<PathBuf>,
    label: Option<&str>,
    session: Option<std::time::Duration>,
) -> Option<TestServer> {
    let data = synced()?;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigie.db");
    if !paths.is_empty() {
        let store = StoreLocation {
            db: Some(vigie_store::Location::path(&db)),
            data_dir: Some(data.to_path_buf()),
        };
        let outcome = scan(
            &ScanRequest {
                estate: Estate {
                    paths: &paths,
                    checks: &CheckFamily::ALL,
                    lifecycle: LifecycleOptions {
                        horizon_days: None,
                        today: Some("2026-01-15".into()),
                    },
                    config_file: None,
                    max_file_size: vigie_app::estate::DEFAULT_MAX_FILE_SIZE,
                    diagnostics: false,
                },
                store: &store,
                label: label.map(str::to_owned),
                keep: None,
            },
            &vigie_app::Silent,
        )
        .unwrap();
        assert!(outcome.summary.is_some());
    }
    let mut settings = Config::default().server(None).unwrap();
    if let Some(l) = session {
        settings.session_lifetime = l;
    }
    let state = AppState::new(ServerConfig {
        settings,
        store: vigie_store::Location::path(db),
        paths: Vec::new(),
        data_dir: Some(data.to_path_buf()),
        config_file: None,
        admin_password: Some(PASSWORD.into()),
    });
    assert!(!state.ready());
    assert_eq!(
        state.open_store().await.unwrap(),
        None,
        "the password was given"
    );
    assert!(state.ready());
    let router = vigie_server::router(state.clone());
    Some(TestServer { state, router, dir })
}

/// A ready server over an empty store whose data directory holds no knowledge index.
pub async fn server_without_index() -> TestServer {
    ready(Config::default().server(None).unwrap()).await
}

/// A ready server with `settings` over a fresh, empty store, whose data directory holds no
/// knowledge index.
pub async fn ready(settings: vigie_app::config::ServerSettings) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let state = AppState::new(ServerConfig {
        settings,
        store: vigie_store::Location::path(dir.path().join("vigie.db")),
        paths: Vec::new(),
        data_dir: Some(data),
        config_file: None,
        admin_password: Some(PASSWORD.into()),
    });
    state.open_store().await.unwrap();
    let router = vigie_server::router(state.clone());
    TestServer { state, router, dir }
}

/// A ready server over a scan of `examples/acme`.
pub async fn server() -> Option<TestServer> {
    server_with(
        vec![vigie_testkit::workspace().join("examples/acme")],
        None,
        None,
    )
    .await
}

impl TestServer {
    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        self.router.clone().oneshot(req).await.unwrap()
    }

    pub async fn get(&self, uri: &str, cookie: Option<&str>) -> Response<Body> {
        let mut b = Request::get(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// A GET with an API token.
    pub async fn get_bearer(&self, uri: &str, token: &str) -> Response<Body> {
        let b = Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {token}"));
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// Posts a form (fields URL-encoded) with `cookie`.
    pub async fn post_form(
        &self,
        uri: &str,
        cookie: Option<&str>,
        fields: &[(&str, &str)],
    ) -> Response<Body> {
        self.send(form_request(uri, cookie, fields)).await
    }

    /// Logs in; returns the session cookie (`vigie_session=...`) and the session's CSRF
    /// token, read from the overview's logout form.
    pub async fn login(&self, name: &str, password: &str) -> (String, String) {
        let r = self.try_login(name, password).await;
        assert_eq!(r.status(), 303, "login of {name}");
        let session = set_cookie(&r, "vigie_session").expect("a session cookie");
        let page = text(self.get("/", Some(&session)).await).await;
        let csrf = page
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a CSRF field")
            .to_owned();
        (session, csrf)
    }

    /// One login attempt, with the form's own CSRF cookie.
    pub async fn try_login(&self, name: &str, password: &str) -> Response<Body> {
        let req = self.login_request(name, password).await;
        self.send(req).await
    }

    /// The request of a login attempt, with the form's own CSRF cookie, not yet sent.
    pub async fn login_request(&self, name: &str, password: &str) -> Request<Body> {
        let form = self.get("/login", None).await;
        let cookie = set_cookie(&form, "vigie_login_csrf").unwrap();
        let csrf = cookie.split_once('=').unwrap().1.to_owned();
        form_request(
            "/login",
            Some(&cookie),
            &[("name", name), ("password", password), ("csrf", &csrf)],
        )
    }

    pub fn store(&self) -> Box<dyn vigie_store::Store> {
        vigie_store::open(
            &vigie_store::Location::path(self.dir.path().join("vigie.db")),
            vigie_store::Mode::ReadWrite,
        )
        .unwrap()
    }

    /// The audit actions, oldest first.
    pub fn audit_actions(&self) -> Vec<String> {
        let mut log = self.store().audit_log(None, 1000).unwrap();
        log.reverse();
        log.into_iter().map(|r| r.entry.action).collect()
    }
}

/// A form post (fields URL-encoded) with `cookie`.
pub fn form_request(uri: &str, cookie: Option<&str>, fields: &[(&str, &str)]) -> Request<Body> {
    let body = serde_urlencoded::to_string(fields).unwrap();
    let mut b =
        Request::post(uri).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(c) = cookie {
        b = b.header(header::COOKIE, c);
    }
    b.body(Body::from(body)).unwrap()
}

/// `name=value` of the response's `Set-Cookie` for `name`.
pub fn set_cookie(r: &Response<Body>, name: &str) -> Option<String> {
    r.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| v.split(';').next().unwrap().to_owned())
}

/// The full `Set-Cookie` line for `name`.
pub fn set_cookie_line(r: &Response<Body>, name: &str) -> Option<String> {
    r.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

pub async fn text(r: Response<Body>) -> String {
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX)
        .await
        .unwrap();
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// A user of `role` made through the store, logged in: (session cookie, CSRF token).
pub async fn user(s: &TestServer, name: &str, role: Role) -> (String, String) {
    let mut store = s.store();
    store
        .create_user(
            &vigie_store::NewUser {
                name: name.into(),
                password_hash: Some(vigie_app::access::hash_password(PASSWORD).unwrap()),
                role,
                identity: None,
                created_at: vigie_app::access::now(),
            },
            &audit_entry("user.create", name),
        )
        .unwrap();
    s.login(name, PASSWORD).await
}

/// A token with these scopes, made through the core as `vigie token create` does.
pub fn token(s: &TestServer, scopes: Vec<vigie_store::TokenScope>, days: Option<u32>) -> String {
    let mut store = s.store();
    vigie_app::access::create_token(
        &mut *store,
        &vigie_app::access::TokenRequest {
            name: "test".into(),
            scopes,
            expires_days: days,
        },
        &vigie_store::AuditEntry {
            at: vigie_app::access::now(),
            actor: "cli".into(),
            action: "token.create".into(),
            target: String::new(),
            ip: None,
            detail: None,
        },
    )
    .unwrap()
    .token
}

/// An audit entry by the test.
pub fn audit_entry(action: &str, target: &str) -> vigie_store::AuditEntry {
    vigie_store::AuditEntry {
        at: vigie_app::access::now(),
        actor: "test".into(),
        action: action.into(),
        target: target.into(),
        ip: None,
        detail: None,
    }
}

/// A vulnerability of the latest snapshot whose id reads as an advisory id.
pub fn some_advisory(s: &TestServer) -> vigie_store::FindingRecord {
    let store = s.store();
    let latest = store.latest().unwrap();
    store
        .findings(latest)
        .unwrap()
        .into_iter()
        .find(|f| {
            f.family == vigie_findings::Family::Vulnerability
                && f.aliases.iter().any(|a| a.starts_with("CVE-"))
                && matches!(
                    vigie_app::hit::Question::parse(&f.id),
                    Ok(vigie_app::hit::Question::Advisory { .. })
                )
        })
        .expect("acme has vulnerabilities with a CVE alias")
}
