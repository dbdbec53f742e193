//! Every route's access, the login flow (success, failure, rate limit, CSRF, expiry, logout)
//! and API tokens (Bearer and X-Api-Key, expiry, revocation, scopes, last use), with the
//! audit entries each write leaves.

use axum::body::Body;
use axum::http::{Request, header};
use vigie_server::auth::Access;
use vigie_server::router::ROUTES;
use vigie_store::{AuditEntry, TokenScope};

use crate::common::{PASSWORD, server, server_with, set_cookie, text, token};

/// A concrete path of a route pattern: each `{param}` made `1`.
fn path_of(pattern: &str) -> String {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        out.push('1');
        rest = rest[open..].split_once('}').map_or("", |(_, r)| r);
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn every_route_but_login_health_and_static_needs_credentials() {
    let Some(s) = server().await else { return };
    let public: Vec<&str> = ROUTES
        .iter()
        .filter(|r| r.access == Access::Public)
        .map(|r| r.path)
        .collect();
    for p in &public {
        assert!(
            [
                "/login",
                "/login/oidc",
                "/login/oidc/callback",
                "/healthz",
                "/readyz"
            ]
            .contains(p)
                || p.starts_with("/static/"),
            "{p} is public"
        );
    }
    for r in ROUTES {
        let req = Request::builder()
            .method(r.method.clone())
            .uri(path_of(r.path))
            .body(Body::empty())
            .unwrap();
        let got = s.send(req).await;
        let status = got.status().as_u16();
        assert_ne!(status, 404, "{} {} is routed", r.method, r.path);
        assert_ne!(status, 405, "{} {} is routed", r.method, r.path);
        if r.access == Access::Public {
            continue;
        }
        let to_login = status == 303
            && got
                .headers()
                .get(header::LOCATION)
                .map(|v| v.to_str().unwrap())
                == Some("/login");
        assert!(
            status == 401 || to_login,
            "{} {} answered {status} without credentials",
            r.method,
            r.path
        );
        // A made-up session or token is no better.
        for (name, value) in [
            (header::COOKIE.as_str(), "vigie_session=00ff"),
            ("x-api-key", "vigie_0123456789ab_00"),
            (
                header::AUTHORIZATION.as_str(),
                "Bearer vigie_0123456789ab_00",
            ),
        ] {
            let req = Request::builder()
                .method(r.method.clone())
                .uri(path_of(r.path))
                .header(name, value)
                .body(Body::empty())
                .unwrap();
            let status = s.send(req).await.status().as_u16();
            assert!(
                status == 401 || status == 303,
                "{} {} with {name}: {status}",
                r.method,
                r.path
            );
        }
    }
}

#[tokio::test]
async fn health_readiness_and_the_overview() {
    let Some(s) = server().await else { return };
    assert_eq!(s.get("/healthz", None).await.status(), 200);
    assert_eq!(s.get("/readyz", None).await.status(), 200);
    let css = s.get("/static/vigie.css", None).await;
    assert_eq!(css.status(), 200);
    assert!(
        css.headers()[header::CACHE_CONTROL]
            .to_str()
            .unwrap()
            .contains("max-age=31536000")
    );
    let (session, _) = s.login("admin", PASSWORD).await;
    let page = text(s.get("/", Some(&session)).await).await;
    let info = s.store().snapshots().unwrap().pop().unwrap();
    assert!(page.contains(&format!("#{}", info.id)), "{page}");
    assert!(
        page.contains(&format!("{} projects", info.projects)),
        "{page}"
    );
    // Risks by level, each a link to the register at that level.
    for level in ["critical", "high", "medium", "low"] {
        assert!(page.contains(&format!("level={level}")), "{level}: {page}");
    }
    // In French, by the switch (which sets the cookie) and by Accept-Language.
    let fr = s.get("/?lang=fr", Some(&session)).await;
    assert_eq!(
        set_cookie(&fr, "vigie_lang").as_deref(),
        Some("vigie_lang=fr")
    );
    assert!(text(fr).await.contains("Vue d’ensemble"));
    let req = Request::get("/")
        .header(header::COOKIE, &session)
        .header(header::ACCEPT_LANGUAGE, "fr-CA,fr;q=0.9")
        .body(Body::empty())
        .unwrap();
    assert!(text(s.send(req).await).await.contains("Critique"));
}

#[tokio::test]
async fn login_failure_rate_limit_csrf_and_logout() {
    let Some(s) = server().await else { return };
    // Unknown user and wrong password: the same answer.
    let unknown = s.try_login("nobody", PASSWORD).await;
    let wrong = s.try_login("admin", "wrong password").await;
    assert_eq!(unknown.status(), 401);
    assert_eq!(wrong.status(), 401);
    let (a, b) = (text(unknown).await, text(wrong).await);
    assert!(a.contains("Unknown user or wrong password."));
    assert!(b.contains("Unknown user or wrong password."));
    // A login form posted without its CSRF cookie, or with another token, is refused.
    let r = s
        .post_form(
            "/login",
            None,
            &[("name", "admin"), ("password", PASSWORD), ("csrf", "x")],
        )
        .await;
    assert_eq!(r.status(), 403);
    let r = s
        .post_form(
            "/login",
            Some("vigie_login_csrf=aaaa"),
            &[("name", "admin"), ("password", PASSWORD), ("csrf", "bbbb")],
        )
        .await;
    assert_eq!(r.status(), 403);

    // Logged in: logout needs the session's CSRF token.
    let (session, csrf) = s.login("admin", PASSWORD).await;
    let line =
        crate::common::set_cookie_line(&s.try_login("admin", PASSWORD).await, "vigie_session")
            .unwrap();
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Strict"),
        "{line}"
    );
    assert!(!line.contains("Secure"), "plain http on localhost: {line}");
    assert_eq!(
        s.post_form("/logout", Some(&session), &[]).await.status(),
        403
    );
    assert_eq!(
        s.post_form("/logout", Some(&session), &[("csrf", "wrong")])
            .await
            .status(),
        403
    );
    let out = s
        .post_form("/logout", Some(&session), &[("csrf", &csrf)])
        .await;
    assert_eq!(out.status(), 303);
    assert_eq!(out.headers()[header::LOCATION], "/login");
    // The session is gone.
    let after = s.get("/", Some(&session)).await;
    assert_eq!(after.status(), 303);
    let actions = s.audit_actions();
    for a in ["session.login-failed", "session.login", "session.logout"] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }

    // Five failures within a minute from one address (two above, three here): the next
    // attempt waits, even with the right password.
    for _ in 0..3 {
        assert_eq!(s.try_login("admin", "nope").await.status(), 401);
    }
    let limited = s.try_login("admin", PASSWORD).await;
    assert_eq!(limited.status(), 429);
    let wait: u64 = limited.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
}

#[tokio::test]
async fn a_session_expires() {
    let Some(s) = server_with(Vec::new(), None, Some(std::time::Duration::from_secs(1))).await
    else {
        return;
    };
    let (session, _) = s.login("admin", PASSWORD).await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    assert_eq!(s.get("/", Some(&session)).await.status(), 303);
}

#[tokio::test]
async fn tokens_by_bearer_and_api_key_with_scopes_expiry_and_revocation() {
    let Some(s) = server().await else { return };
    let reader = token(&s, vec![TokenScope::Read], None);
    let metrics = token(&s, vec![TokenScope::Metrics], Some(30));
    for (name, value) in [
        (header::AUTHORIZATION.as_str(), format!("Bearer {reader}")),
        ("x-api-key", reader.clone()),
    ] {
        let req = Request::get("/")
            .header(name, &value)
            .body(Body::empty())
            .unwrap();
        assert_eq!(s.send(req).await.status(), 200, "{name}");
    }
    let prefix = reader.split('_').nth(1).unwrap();
    assert!(
        s.store()
            .token(prefix)
            .unwrap()
            .unwrap()
            .last_used
            .is_some()
    );
    // Scopes: a read token may not read the metrics, a metrics token may, and may not read
    // pages.
    let get = |uri: &str, tok: &str| {
        Request::get(uri)
            .header("x-api-key", tok)
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(s.send(get("/metrics", &reader)).await.status(), 403);
    let m = s.send(get("/metrics", &metrics)).await;
    assert_eq!(m.status(), 200);
    let body = text(m).await;
    assert!(
        body.contains("vigie_http_requests_total{route=\"/\",status=\"200\"}"),
        "{body}"
    );
    assert!(body.contains("vigie_last_snapshot_age_seconds "));
    assert!(body.contains("vigie_knowledge_index_age_seconds "));
    assert_eq!(s.send(get("/", &metrics)).await.status(), 403);
    // An admin session reads the metrics; a token needs no CSRF token to post.
    let (session, _) = s.login("admin", PASSWORD).await;
    assert_eq!(s.get("/metrics", Some(&session)).await.status(), 200);
    let logout = Request::post("/logout")
        .header("x-api-key", &reader)
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        s.send(logout).await.status(),
        403,
        "a token has no session to end"
    );
    // Revoked, then refused.
    let entry = AuditEntry {
        at: vigie_app::access::now(),
        actor: "admin".into(),
        action: "token.revoke".into(),
        target: prefix.into(),
        ip: None,
        detail: None,
    };
    assert!(s.store().revoke_token(prefix, &entry).unwrap());
    assert_eq!(s.send(get("/", &reader)).await.status(), 401);
    // Expired (made to expire now), refused.
    let expired = token(&s, vec![TokenScope::Read], Some(0));
    assert_eq!(s.send(get("/", &expired)).await.status(), 401);
    let actions = s.audit_actions();
    assert_eq!(actions.iter().filter(|a| *a == "token.create").count(), 3);
    assert!(actions.iter().any(|a| a == "token.revoke"));
}
