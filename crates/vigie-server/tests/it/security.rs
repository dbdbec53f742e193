//! Hostile requests: security headers on every answer, body limits (413), markup from the
//! store escaped, and no secret in the logs.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Body;
use axum::http::{Request, header};
use axum::routing::post;
use tower::ServiceExt;
use vigie_server::auth::Access;
use vigie_server::router::{CSP, limited};
use vigie_store::TokenScope;

use crate::common::{PASSWORD, server, server_with, text, token};

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    let answers = [
        s.get("/", Some(&session)).await,
        s.get("/", None).await,
        s.get("/login", None).await,
        s.get("/healthz", None).await,
        s.get("/static/vigie.css", None).await,
        s.get("/metrics", None).await,
        s.get("/no/such/page", None).await,
        s.post_form("/logout", Some(&session), &[]).await,
    ];
    for r in &answers {
        let h = r.headers();
        assert_eq!(h[header::CONTENT_SECURITY_POLICY], CSP, "{}", r.status());
        assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        assert_eq!(h[header::REFERRER_POLICY], "same-origin");
        assert!(h.contains_key("x-request-id"), "{}", r.status());
    }
    // A client's request id is kept.
    let r = s
        .send(
            Request::get("/healthz")
                .header("x-request-id", "abc-123")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(r.headers()["x-request-id"], "abc-123");
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused_with_413() {
    let Some(s) = server().await else { return };
    let big = "a".repeat(2 * 1024 * 1024);
    let fields = [("name", "admin"), ("password", big.as_str()), ("csrf", "x")];
    assert_eq!(s.post_form("/login", None, &fields).await.status(), 413);
    let announced = Request::post("/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::CONTENT_LENGTH, "5000000")
        .body(Body::from("name=a"))
        .unwrap();
    assert_eq!(s.send(announced).await.status(), 413);

    // The limit is per route: one of 50 MiB (SBOM uploads) takes 50 MB, refuses 500 MB.
    let route = limited(
        post(|body: axum::body::Bytes| async move { body.len().to_string() }),
        &s.state,
        Access::Public,
        50 * 1024 * 1024,
    );
    let app = axum::Router::new()
        .route("/upload", route)
        .with_state(s.state.clone());
    let fifty = vec![b'x'; 50_000_000];
    let ok = app
        .clone()
        .oneshot(Request::post("/upload").body(Body::from(fifty)).unwrap())
        .await
        .unwrap();
    assert_eq!(ok.status(), 200);
    assert_eq!(text(ok).await, "50000000");
    let refused = app
        .oneshot(
            Request::post("/upload")
                .header(header::CONTENT_LENGTH, "500000000")
                .body(Body::from("x"))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(refused.status(), 413);
}

#[tokio::test]
async fn markup_from_the_store_is_escaped_on_every_page() {
    let estate = tempfile::tempdir().unwrap();
    let project = estate.path().join("<script>alert(2)<");
    std::fs::create_dir(&project).unwrap();
    std::fs::write(project.join("requirements.txt"), "django==3.2.0\n").unwrap();
    let Some(s) = server_with(
        vec![estate.path().to_path_buf()],
        Some("<script>alert(1)</script>"),
        None,
    )
    .await
    else {
        return;
    };
    let (session, _) = s.login("admin", PASSWORD).await;
    let page = text(s.get("/", Some(&session)).await).await;
    assert!(!page.contains("<script>"), "{page}");
    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
        "{page}"
    );
    // Every page that lists the project escapes its path.
    for uri in [
        "/projects",
        "/register",
        "/packages?q=django",
        "/hit?q=django",
    ] {
        let page = text(s.get(uri, Some(&session)).await).await;
        assert!(!page.contains("<script>"), "{uri}: {page}");
        assert!(page.contains("&lt;script&gt;alert(2)&lt;"), "{uri}: {page}");
    }
}

/// Everything every test of this binary logs, at every level.
fn captured() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || Capture(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).unwrap();
        logs
    })
}

struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_reach_the_logs() {
    let logs = captured();
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    assert_eq!(
        s.try_login("admin", "a wrong secret 42").await.status(),
        401
    );
    let tok = token(&s, vec![TokenScope::Read], None);
    let req = Request::get("/?q=1")
        .header(header::AUTHORIZATION, format!("Bearer {tok}"))
        .body(Body::empty())
        .unwrap();
    assert_eq!(s.send(req).await.status(), 200);
    let req = Request::get("/")
        .header("x-api-key", &tok)
        .body(Body::empty())
        .unwrap();
    assert_eq!(s.send(req).await.status(), 200);
    let text = String::from_utf8(logs.lock().unwrap().clone()).unwrap();
    assert!(
        text.contains("logged in"),
        "the requests were logged: {text}"
    );
    let session_id = session.split_once('=').unwrap().1;
    let secret = tok.rsplit('_').next().unwrap();
    for needle in [PASSWORD, "a wrong secret 42", session_id, secret] {
        assert!(!text.contains(needle), "{needle:?} in the logs");
    }
}
