//! Every request body the server reads, through the real router (`vigie_server::router`) of
//! a server over a fresh store without a knowledge index: the login form, the triage form,
//! the token forms, the REST API's triage and token bodies, the CI push (`POST
//! /api/v1/scans`, JSON or gzip), and Dependency-Track's uploads (`PUT /api/v1/bom`: JSON
//! with a base64 SBOM; `POST /api/v1/bom`: multipart). The server must answer every body,
//! never panic, and never answer 500.
//!
//! Input: a byte choosing the route, then the body. Form bodies get the session's CSRF field
//! appended, so that the fuzzer's fields reach the handler behind the CSRF check.

#![no_main]

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::{Request, header};
use tower::ServiceExt;
use vigie_server::{AppState, ServerConfig};

const PASSWORD: &str = "fuzzing password, long enough";

struct Server {
    rt: tokio::runtime::Runtime,
    router: axum::Router,
    /// `vigie_session=...` of the logged-in admin, and its CSRF token.
    session: String,
    csrf: String,
    /// A token with every scope.
    token: String,
    _dir: tempfile::TempDir,
}

fn cookie_of(r: &axum::response::Response, name: &str) -> String {
    r.headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .unwrap_or_else(|| panic!("no {name} cookie"))
        .to_owned()
}

async fn text(r: axum::response::Response) -> String {
    let bytes = axum::body::to_bytes(r.into_body(), usize::MAX).await;
    String::from_utf8_lossy(&bytes.unwrap_or_default()).into_owned()
}

fn form(uri: &str, cookie: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::COOKIE, cookie)
        .body(body.into())
        .expect("a request")
}

fn server() -> &'static Server {
    static S: OnceLock<Server> = OnceLock::new();
    S.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("a runtime");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let data = dir.path().join("data");
        std::fs::create_dir(&data).expect("the data folder");
        let settings = vigie_app::config::Config::default()
            .server(None)
            .expect("the default settings");
        let state = AppState::new(ServerConfig {
            settings,
            store: vigie_store::Location::path(dir.path().join("vigie.db")),
            paths: Vec::new(),
            data_dir: Some(data),
            config_file: None,
            admin_password: Some(PASSWORD.into()),
        });
        let router = vigie_server::router(state.clone());
        let (session, csrf) = rt.block_on(async {
            state.open_store().await.expect("the store");
            let page = router
                .clone()
                .oneshot(Request::get("/login").body(Body::empty()).unwrap());
            let login_cookie = cookie_of(&page.await.unwrap(), "vigie_login_csrf");
            let login_csrf = login_cookie.split_once('=').unwrap().1.to_owned();
            let body = serde_urlencoded::to_string([
                ("name", vigie_app::access::ADMIN),
                ("password", PASSWORD),
                ("csrf", &login_csrf),
            ])
            .unwrap();
            let r = router
                .clone()
                .oneshot(form("/login", &login_cookie, body))
                .await
                .unwrap();
            let session = cookie_of(&r, "vigie_session");
            let home = Request::get("/")
                .header(header::COOKIE, &session)
                .body(Body::empty())
                .unwrap();
            let page = text(router.clone().oneshot(home).await.unwrap()).await;
            let csrf = page
                .split("name=\"csrf\" value=\"")
                .nth(1)
                .and_then(|s| s.split('"').next())
                .expect("a CSRF field")
                .to_owned();
            (session, csrf)
        });
        let mut store = vigie_store::open(
            &vigie_store::Location::path(dir.path().join("vigie.db")),
            vigie_store::Mode::ReadWrite,
        )
        .expect("the store");
        let token = vigie_app::access::create_token(
            &mut *store,
            &vigie_app::access::TokenRequest {
                name: "fuzz".into(),
                scopes: vigie_store::TokenScope::ALL.to_vec(),
                expires_days: None,
            },
            &vigie_store::AuditEntry {
                at: vigie_app::access::now(),
                actor: "fuzz".into(),
                action: "token.create".into(),
                target: String::new(),
                ip: None,
                detail: None,
            },
        )
        .expect("a token")
        .token;
        Server {
            rt,
            router,
            session,
            csrf,
            token,
            _dir: dir,
        }
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let s = server();
    let (b, body) = vigie_fuzz::split_first(data);
    let with_csrf = |body: &[u8]| {
        let mut v = body.to_vec();
        v.extend_from_slice(format!("&csrf={}", s.csrf).as_bytes());
        v
    };
    let bearer = format!("Bearer {}", s.token);
    let json = |method: &str, uri: &str, body: &[u8]| {
        Request::builder()
            .method(method)
            .uri(uri)
            .header(header::AUTHORIZATION, &bearer)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_vec()))
            .expect("a request")
    };
    let request = match b % 10 {
        0 => {
            // The login form, with a CSRF cookie and field that match: the fields reach the
            // handler (the rate limit answers most attempts, as it should).
            let mut v = body.to_vec();
            v.extend_from_slice(b"&csrf=fuzz");
            form("/login", "vigie_login_csrf=fuzz", v)
        }
        1 => form("/register/triage", &s.session, with_csrf(body)),
        2 => form("/admin/tokens", &s.session, with_csrf(body)),
        3 => form("/admin/tokens/revoke", &s.session, with_csrf(body)),
        4 => json("POST", "/api/v1/triage", body),
        5 => json("POST", "/api/v1/tokens", body),
        6 => json("POST", "/api/v1/scans", body),
        7 => {
            let mut r = json("POST", "/api/v1/scans", body);
            r.headers_mut()
                .insert(header::CONTENT_ENCODING, "gzip".parse().unwrap());
            r
        }
        8 => json("PUT", "/api/v1/bom", body),
        _ => {
            let mut r = json("POST", "/api/v1/bom", body);
            r.headers_mut().insert(
                header::CONTENT_TYPE,
                "multipart/form-data; boundary=X".parse().unwrap(),
            );
            r
        }
    };
    let status = vigie_fuzz::run(data.len(), || {
        s.rt.block_on(async {
            let r = s.router.clone().oneshot(request).await.expect("an answer");
            let status = r.status();
            let _ = axum::body::to_bytes(r.into_body(), usize::MAX).await;
            status
        })
    });
    assert!(
        !status.is_server_error(),
        "{status} on route {} with body {:?}",
        b % 10,
        String::from_utf8_lossy(body)
    );
});
