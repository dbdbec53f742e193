//! The administration: only admins reach it (pages and API), every form needs the CSRF
//! token, users are added, disabled (their sessions end) and given roles with the last
//! admin kept, a token made on the page works on the API until revoked, the audit log shows
//! each write with its actor (escaped), and the knowledge page counts what the index holds,
//! as the test counts it another way.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Method, Request, header};
use serde_json::Value;
use vigie_server::auth::Access;
use vigie_server::router::ROUTES;
use vigie_store::{Role, TokenScope};

use crate::common::{
    PASSWORD, TestServer, server, server_without_index, synced, text, token, user,
};

/// Every route of the administration: its pages and the admin API.
fn admin_routes() -> Vec<&'static vigie_server::router::Route> {
    let admin: Vec<_> = ROUTES
        .iter()
        .filter(|r| {
            matches!(
                r.access,
                Access::Page(Role::Admin) | Access::Api(Role::Admin)
            )
        })
        .collect();
    assert!(admin.len() >= 15, "{} admin routes", admin.len());
    admin
}

fn path_of(pattern: &str) -> String {
    pattern.replace("{prefix}", "0123456789ab")
}

/// A request with a session cookie and its CSRF token (header), or a token.
fn request(method: &Method, uri: &str, auth: &Auth<'_>) -> Request<Body> {
    let mut b = Request::builder().method(method.clone()).uri(uri);
    b = match auth {
        Auth::Session(cookie, csrf) => b
            .header(header::COOKIE, *cookie)
            .header("x-csrf-token", *csrf),
        Auth::Token(t) => b.header(header::AUTHORIZATION, format!("Bearer {t}")),
    };
    let body = if *method == Method::POST && uri.starts_with("/api/") {
        b = b.header(header::CONTENT_TYPE, "application/json");
        Body::from(r#"{"name":"x","kind":"viewer"}"#)
    } else if *method == Method::POST {
        b = b.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        Body::from("name=x&role=viewer&kind=viewer&disabled=1&prefix=0123456789ab")
    } else {
        Body::empty()
    };
    b.body(body).unwrap()
}

enum Auth<'a> {
    Session(&'a str, &'a str),
    Token(&'a str),
}

/// The whole token shown once on the tokens page.
fn shown_token(page: &str) -> String {
    let at = page.find("vigie_").expect("a token on the page");
    page[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect()
}

async fn api(
    s: &TestServer,
    method: Method,
    uri: &str,
    token: &str,
    body: Option<&str>,
) -> (u16, Value) {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    if body.is_some() {
        b = b.header(header::CONTENT_TYPE, "application/json");
    }
    let r = s
        .send(b.body(Body::from(body.unwrap_or("").to_owned())).unwrap())
        .await;
    let status = r.status().as_u16();
    let text = text(r).await;
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn viewers_and_triagers_are_refused_everywhere_in_the_administration() {
    let Some(s) = server().await else { return };
    let (viewer, viewer_csrf) = user(&s, "vera", Role::Viewer).await;
    let (triager, triager_csrf) = user(&s, "tom", Role::Triager).await;
    let read = token(&s, vec![TokenScope::Read], None);
    let triage = token(&s, vec![TokenScope::Read, TokenScope::Triage], None);
    let ingest = token(&s, vec![TokenScope::Ingest], None);
    let before = s.store().tokens().unwrap().len();
    for r in admin_routes() {
        for auth in [
            Auth::Session(&viewer, &viewer_csrf),
            Auth::Session(&triager, &triager_csrf),
            Auth::Token(&read),
            Auth::Token(&triage),
            Auth::Token(&ingest),
        ] {
            let got = s.send(request(&r.method, &path_of(r.path), &auth)).await;
            assert_eq!(got.status(), 403, "{} {}", r.method, r.path);
            if r.path.starts_with("/api/") {
                assert_eq!(
                    got.headers()[header::CONTENT_TYPE],
                    "application/problem+json"
                );
            }
        }
    }
    // Nothing was written, and the navigation does not offer the administration.
    assert_eq!(s.store().tokens().unwrap().len(), before);
    assert!(s.store().user("x").unwrap().is_none());
    assert!(
        !text(s.get("/", Some(&viewer)).await)
            .await
            .contains("href=\"/admin\"")
    );
    let (admin, _) = s.login("admin", PASSWORD).await;
    assert!(
        text(s.get("/", Some(&admin)).await)
            .await
            .contains("href=\"/admin\"")
    );
}

#[tokio::test]
async fn every_form_of_the_administration_needs_the_csrf_token() {
    let Some(s) = server().await else { return };
    let (admin, csrf) = s.login("admin", PASSWORD).await;
    let forms: Vec<_> = admin_routes()
        .into_iter()
        .filter(|r| r.method == Method::POST && r.path.starts_with("/admin"))
        .collect();
    assert_eq!(forms.len(), 5);
    for r in forms {
        let fields = [
            ("name", "mallory"),
            ("role", "admin"),
            ("kind", "admin"),
            ("disabled", "1"),
            ("prefix", "x"),
        ];
        assert_eq!(
            s.post_form(r.path, Some(&admin), &fields).await.status(),
            403,
            "{}",
            r.path
        );
        let mut wrong = fields.to_vec();
        wrong.push(("csrf", "0000"));
        assert_eq!(
            s.post_form(r.path, Some(&admin), &wrong).await.status(),
            403,
            "{}",
            r.path
        );
    }
    assert!(s.store().user("mallory").unwrap().is_none());
    // With it, the same form is taken.
    let r = s
        .post_form(
            "/admin/users",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("name", "mallory"),
                ("role", "viewer"),
                ("password", ""),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    assert!(s.store().user("mallory").unwrap().is_some());
}

#[tokio::test]
async fn users_are_added_disabled_and_given_roles_and_the_last_admin_stays() {
    let Some(s) = server().await else { return };
    let (admin, csrf) = s.login("admin", PASSWORD).await;
    // Added with a generated password, shown once.
    let page = text(
        s.post_form(
            "/admin/users",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("name", "ana"),
                ("role", "triager"),
                ("password", ""),
            ],
        )
        .await,
    )
    .await;
    let password = page
        .split("id=\"generated-password\">")
        .nth(1)
        .and_then(|p| p.split('<').next())
        .expect("the generated password")
        .to_owned();
    assert_eq!(password.len(), 24);
    assert!(
        !text(s.get("/admin/users", Some(&admin)).await)
            .await
            .contains(&password)
    );
    let (ana, _) = s.login("ana", &password).await;
    assert_eq!(s.get("/register", Some(&ana)).await.status(), 200);
    // A short password is refused, plainly.
    let r = s
        .post_form(
            "/admin/users",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("name", "bob"),
                ("role", "viewer"),
                ("password", "short"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    assert!(text(r).await.contains("at least 12 characters"));

    // A token ana made works until ana is disabled.
    let ana_token = vigie_app::access::create_token(
        &mut *s.store(),
        &vigie_app::access::TokenRequest {
            name: "ana's script".into(),
            scopes: vec![vigie_store::TokenScope::Read],
            expires_days: None,
        },
        &vigie_store::AuditEntry {
            at: vigie_app::access::now(),
            actor: "ana".into(),
            action: "token.create".into(),
            target: String::new(),
            ip: None,
            detail: None,
        },
    )
    .unwrap()
    .token;
    assert_eq!(
        s.get_bearer("/api/v1/snapshots", &ana_token).await.status(),
        200
    );

    // Disabling ends the user's sessions, and refuses the user's tokens.
    let r = s
        .post_form(
            "/admin/users/disable",
            Some(&admin),
            &[("csrf", &csrf), ("name", "ana"), ("disabled", "1")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/admin/users?done=user.disable"), "{to}");
    assert!(
        text(s.get(&to, Some(&admin)).await)
            .await
            .contains("User disabled")
    );
    assert_eq!(s.get("/register", Some(&ana)).await.status(), 303);
    assert_eq!(s.try_login("ana", &password).await.status(), 401);
    assert!(s.store().user("ana").unwrap().unwrap().disabled);
    assert_eq!(
        s.get_bearer("/api/v1/snapshots", &ana_token).await.status(),
        401
    );
    // Enabled again, the user logs in again.
    s.post_form(
        "/admin/users/disable",
        Some(&admin),
        &[("csrf", &csrf), ("name", "ana"), ("disabled", "0")],
    )
    .await;
    assert_eq!(s.try_login("ana", &password).await.status(), 303);
    assert_eq!(
        s.get_bearer("/api/v1/snapshots", &ana_token).await.status(),
        200
    );

    // An admin cannot disable themselves; the last admin cannot be demoted.
    for (uri, fields, word) in [
        (
            "/admin/users/disable",
            ("disabled", "1"),
            "cannot disable themselves",
        ),
        ("/admin/users/role", ("role", "viewer"), "last active admin"),
    ] {
        let r = s
            .post_form(
                uri,
                Some(&admin),
                &[("csrf", &csrf), ("name", "admin"), fields],
            )
            .await;
        let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
        assert!(to.contains("refused="), "{to}");
        let page = text(s.get(&to, Some(&admin)).await).await;
        assert!(page.contains(word), "{uri}: {page}");
    }
    // Made an admin, ana may demote the first one, who then loses the administration.
    s.post_form(
        "/admin/users/role",
        Some(&admin),
        &[("csrf", &csrf), ("name", "ana"), ("role", "admin")],
    )
    .await;
    let (ana, ana_csrf) = s.login("ana", &password).await;
    let r = s
        .post_form(
            "/admin/users/role",
            Some(&ana),
            &[("csrf", &ana_csrf), ("name", "admin"), ("role", "viewer")],
        )
        .await;
    assert!(
        r.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("done=user.role")
    );
    assert_eq!(s.store().user("admin").unwrap().unwrap().role, Role::Viewer);
    assert_eq!(s.get("/admin/users", Some(&admin)).await.status(), 403);
    // French.
    let page = text(s.get("/admin/users?lang=fr", Some(&ana)).await).await;
    assert!(page.contains("Utilisateurs") && page.contains("Ajouter un utilisateur local"));
    assert!(page.contains("lecteur"), "{page}");
}

#[tokio::test]
async fn a_token_made_on_the_page_works_on_the_api_until_revoked() {
    let Some(s) = server().await else { return };
    let (admin, csrf) = s.login("admin", PASSWORD).await;
    let r = s
        .post_form(
            "/admin/tokens",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("name", "ci reader"),
                ("kind", "viewer"),
                ("expires_days", "7"),
            ],
        )
        .await;
    assert_eq!(r.status(), 200);
    let page = text(r).await;
    assert!(page.contains("shown only once"), "{page}");
    let reader = shown_token(&page);
    let prefix = reader.split('_').nth(1).unwrap().to_owned();
    let (status, _) = api(&s, Method::GET, "/api/v1/projects", &reader, None).await;
    assert_eq!(status, 200);
    // Listed without its secret, and not shown again.
    let listed = text(s.get("/admin/tokens", Some(&admin)).await).await;
    assert!(listed.contains(&prefix) && !listed.contains(&reader));
    let stored = s.store().token(&prefix).unwrap().unwrap();
    assert!(!listed.contains(&stored.hash));
    assert!(stored.expires_at.is_some());
    // A viewer token may not use the admin API.
    let (status, _) = api(&s, Method::GET, "/api/v1/tokens", &reader, None).await;
    assert_eq!(status, 403);
    // Revoked on the page, it is refused.
    let r = s
        .post_form(
            "/admin/tokens/revoke",
            Some(&admin),
            &[("csrf", &csrf), ("prefix", &prefix)],
        )
        .await;
    assert!(
        r.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .contains("done=token.revoke")
    );
    let (status, problem) = api(&s, Method::GET, "/api/v1/projects", &reader, None).await;
    assert_eq!(status, 401);
    assert_eq!(problem["status"], 401);

    // An admin token made on the page drives the admin API.
    let page = text(
        s.post_form(
            "/admin/tokens",
            Some(&admin),
            &[
                ("csrf", &csrf),
                ("name", "ops"),
                ("kind", "admin"),
                ("expires_days", ""),
            ],
        )
        .await,
    )
    .await;
    let ops = shown_token(&page);
    let ops_prefix = ops.split('_').nth(1).unwrap().to_owned();
    let (status, list) = api(&s, Method::GET, "/api/v1/tokens", &ops, None).await;
    assert_eq!(status, 200);
    assert_eq!(list["total"], 2);
    let item = &list["items"][0];
    assert_eq!(item["prefix"], prefix.as_str());
    assert_eq!(item["kind"], "viewer");
    assert!(item["revoked_at"].is_string());
    assert!(item.get("hash").is_none() && !list.to_string().contains(&stored.hash));
    let (status, made) = api(
        &s,
        Method::POST,
        "/api/v1/tokens",
        &ops,
        Some(r#"{"name":"ci push","kind":"ingest","expires_days":30}"#),
    )
    .await;
    assert_eq!(status, 201, "{made}");
    let push = made["token"].as_str().unwrap().to_owned();
    let push_prefix = made["item"]["prefix"].as_str().unwrap().to_owned();
    assert_eq!(made["item"]["scopes"], serde_json::json!(["ingest"]));
    assert!(push.starts_with(&format!("vigie_{push_prefix}_")));
    for (body, parameter) in [
        (r#"{"name":"x","kind":"root"}"#, "kind"),
        (
            r#"{"name":"x","kind":"viewer","expires_days":0}"#,
            "expires_days",
        ),
        (r#"{"name":"x"}"#, "body"),
    ] {
        let (status, problem) = api(&s, Method::POST, "/api/v1/tokens", &ops, Some(body)).await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(problem["parameter"], parameter, "{body}");
    }
    // A token cannot revoke itself; another it can, once.
    let own = format!("/api/v1/tokens/{ops_prefix}");
    assert_eq!(api(&s, Method::DELETE, &own, &ops, None).await.0, 422);
    let other = format!("/api/v1/tokens/{push_prefix}");
    assert_eq!(api(&s, Method::DELETE, &other, &ops, None).await.0, 204);
    assert_eq!(api(&s, Method::DELETE, &other, &ops, None).await.0, 404);
    assert!(
        s.store()
            .token(&push_prefix)
            .unwrap()
            .unwrap()
            .revoked_at
            .is_some()
    );

    // Users, and the audit log walked a page of two at a time, newest first.
    let (status, users) = api(&s, Method::GET, "/api/v1/users", &ops, None).await;
    assert_eq!(status, 200);
    assert_eq!(users["items"][0]["name"], "admin");
    assert_eq!(users["items"][0]["origin"], "local");
    assert!(!users.to_string().contains("argon2"));
    let mut ids = Vec::new();
    let mut totals = Vec::new();
    let mut uri = "/api/v1/audit-log?limit=2".to_owned();
    loop {
        let (status, page) = api(&s, Method::GET, &uri, &ops, None).await;
        assert_eq!(status, 200, "{uri}");
        totals.push(page["total"].as_u64().unwrap());
        for item in page["items"].as_array().unwrap() {
            ids.push(item["id"].as_i64().unwrap());
        }
        match page["next"].as_str() {
            Some(next) => uri = format!("/api/v1/audit-log?limit=2&after={next}"),
            None => break,
        }
    }
    let mut sorted = ids.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    sorted.dedup();
    assert_eq!(ids, sorted, "newest first, each once");
    assert_eq!(ids.len(), s.store().audit_log(None, 1000).unwrap().len());
    // The total counts every entry, on every page (the log only grows, and this walk reads
    // it as it was when it began: later entries are newer than the cursor).
    assert!(
        totals.iter().all(|t| *t as usize >= ids.len()),
        "{totals:?}"
    );
    assert_eq!(totals[0] as usize, ids.len(), "{totals:?}");
    let (_, mine) = api(
        &s,
        Method::GET,
        &format!("/api/v1/audit-log?actor=token:{ops_prefix}&action=token."),
        &ops,
        None,
    )
    .await;
    // The filtered total is the filter applied to the whole log (counted another way).
    let whole = s.store().audit_log(None, 10_000).unwrap();
    let want = whole
        .iter()
        .filter(|r| {
            r.entry.actor == format!("token:{ops_prefix}") && r.entry.action.starts_with("token.")
        })
        .count() as u64;
    assert_eq!(mine["total"].as_u64().unwrap(), want, "{mine}");
    let actions: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["token.revoke", "token.create"]);
    let (status, problem) = api(&s, Method::GET, "/api/v1/audit-log?after=xyz", &ops, None).await;
    assert_eq!(
        (status, problem["parameter"].as_str()),
        (400, Some("after"))
    );
}

#[tokio::test]
async fn the_audit_page_shows_each_write_with_its_actor_escaped() {
    let Some(s) = server().await else { return };
    let (admin, csrf) = s.login("admin", PASSWORD).await;
    let evil = "<script>alert(3)</script>";
    s.post_form(
        "/admin/users",
        Some(&admin),
        &[
            ("csrf", &csrf),
            ("name", evil),
            ("role", "viewer"),
            ("password", ""),
        ],
    )
    .await;
    s.post_form(
        "/admin/users/role",
        Some(&admin),
        &[("csrf", &csrf), ("name", evil), ("role", "triager")],
    )
    .await;
    for uri in ["/admin/audit", "/admin/users"] {
        let page = text(s.get(uri, Some(&admin)).await).await;
        assert!(!page.contains("<script"), "{uri}: {page}");
        assert!(
            page.contains("&lt;script&gt;alert(3)&lt;&#x2f;script&gt;"),
            "{uri}"
        );
    }
    let page = text(
        s.get("/admin/audit?actor=admin&action=user.", Some(&admin))
            .await,
    )
    .await;
    let rows: Vec<&str> = page.split("<tr>").skip(2).collect();
    assert_eq!(rows.len(), 2, "{page}");
    assert!(rows[0].contains("user.role") && rows[0].contains("<td>admin</td>"));
    assert!(rows[1].contains("user.create"));
    // Keyset pages: `before` the first row's id gives the second.
    let first: i64 = rows[0]
        .split("<td>")
        .nth(1)
        .and_then(|c| c.split('<').next())
        .unwrap()
        .parse()
        .unwrap();
    let older = text(
        s.get(
            &format!("/admin/audit?actor=admin&action=user.&before={first}"),
            Some(&admin),
        )
        .await,
    )
    .await;
    assert!(!older.contains("user.role") && older.contains("user.create"));
    let fr = text(s.get("/admin/audit?lang=fr", Some(&admin)).await).await;
    assert!(fr.contains("Journal d’audit") && fr.contains("Qui"));
}

#[tokio::test]
async fn the_knowledge_page_counts_what_the_index_holds() {
    let Some(s) = server().await else { return };
    let data = synced().unwrap();
    let (admin, _) = s.login("admin", PASSWORD).await;
    let page = text(s.get("/admin/knowledge", Some(&admin)).await).await;

    // Advisories per ecosystem, counted here through the index's own lookups: every
    // distinct advisory id of every package of the ecosystem.
    let generation = vigie_sync::Generations::open(data)
        .unwrap()
        .current()
        .unwrap()
        .unwrap();
    assert!(page.contains(generation.id()), "the generation");
    let index = vigie_knowledge::index::Index::open(&generation.index_dir()).unwrap();
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut packages: BTreeMap<String, usize> = BTreeMap::new();
    for (eco, key) in index.packages() {
        *packages.entry(eco.to_owned()).or_default() += 1;
        let set = ids.entry(eco.to_owned()).or_default();
        for pa in index.lookup(eco, key).unwrap() {
            set.insert(pa.advisory.id.clone());
        }
    }
    assert!(ids.len() >= 5, "{ids:?}");
    for (eco, set) in &ids {
        let row = format!(
            "<tr data-ecosystem=\"{eco}\"><td>{eco}</td><td class=\"advisories\">{}</td><td class=\"packages\">{}</td>",
            set.len(),
            packages[eco]
        );
        assert!(page.contains(&row), "{eco}: {row}\n{page}");
    }
    // The KEV catalogue: the distinct CVE ids of the mirror's copies of it, read here.
    let mut cves = BTreeSet::new();
    let kev_dir = vigie_testkit::data_dir().unwrap().join("kev");
    for entry in std::fs::read_dir(&kev_dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.ends_with(".json") || name.contains("schema") {
            continue;
        }
        let doc: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        for v in doc["vulnerabilities"].as_array().unwrap() {
            cves.insert(v["cveID"].as_str().unwrap().to_owned());
        }
    }
    let kev = cves.len();
    assert!(
        page.contains(&format!("<dd id=\"kev-count\">{kev}</dd>")),
        "{page}"
    );
    // Coverage: acme's Maven packages have no advisory source in the reference mirror, its
    // PyPI packages (OSV) and npm packages (the Node.js WG's feed) have one.
    let coverage = page.split("id=\"coverage\"").nth(1).expect("coverage");
    let row = |eco: &str| {
        coverage
            .split(&format!("<tr data-ecosystem=\"{eco}\">"))
            .nth(1)
            .and_then(|r| r.split("</tr>").next())
            .map(str::to_owned)
    };
    let maven = row("Maven").expect("acme uses Maven");
    assert!(maven.contains("no advisory source"), "{maven}");
    for eco in ["PyPI", "npm"] {
        let r = row(eco).unwrap_or_else(|| panic!("acme uses {eco}"));
        assert!(!r.contains("no advisory source"), "{r}");
    }
    // In French.
    let fr = text(s.get("/admin/knowledge?lang=fr", Some(&admin)).await).await;
    assert!(fr.contains("Index de connaissances") && fr.contains("aucune source d’avis"));
}

#[tokio::test]
async fn without_an_index_the_knowledge_page_says_how_to_build_one() {
    let s = server_without_index().await;
    let (admin, _) = s.login("admin", PASSWORD).await;
    let page = text(s.get("/admin/knowledge", Some(&admin)).await).await;
    assert!(page.contains("No knowledge index"), "{page}");
    assert!(page.contains("vigie sync --mirror DIR"));
    let fr = text(s.get("/admin/knowledge?lang=fr", Some(&admin)).await).await;
    assert!(fr.contains("Pas d’index de connaissances"), "{fr}");
    // The schedules panel says what is set and that nothing ran yet.
    let panel = text(s.get("/admin", Some(&admin)).await).await;
    assert!(
        panel.contains("Session lifetime") && panel.contains("8h"),
        "{panel}"
    );
    assert!(panel.contains("not scheduled"));
}
