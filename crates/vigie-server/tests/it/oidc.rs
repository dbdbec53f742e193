//! OpenID Connect login against a real provider: `oidc-provider` from the npm registry,
//! run by Node (`tests/oidc/provider.mjs`), installed with `npm ci` from the pinned lock
//! file into `$VIGIE_OIDC_NODE_DIR` (default `~/.cache/vigie/oidc-node`) on first use. The
//! test plays the browser: it follows the redirects with its own cookie jar, the provider
//! approving login and consent at once as the user the test names.
//!
//! Without node or npm the test is skipped, loudly; under `VIGIE_REQUIRE_OIDC=1` (CI) it
//! fails instead.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use axum::body::Body;
use axum::http::header;
use vigie_app::config::{Config, OidcConfig};
use vigie_store::{AuditEntry, ExternalIdentity, Role, UserChange};

use crate::common::{TestServer, ready, set_cookie, text};

const PUBLIC_URL: &str = "http://vigie.test";
const CLIENT_SECRET: &str = "the client secret of vigie at the test provider";

/// The provider, killed when dropped.
struct Provider {
    child: Child,
    issuer: String,
    agent: ureq::Agent,
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Where the provider's packages are installed.
fn node_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("VIGIE_OIDC_NODE_DIR") {
        return PathBuf::from(d);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    cache.join("vigie").join("oidc-node")
}

/// The provider started, or `None` (skipped) without node and npm.
fn provider() -> Option<Provider> {
    if !(have("node") && have("npm")) {
        assert!(
            std::env::var("VIGIE_REQUIRE_OIDC").as_deref() != Ok("1"),
            "VIGIE_REQUIRE_OIDC=1 but node or npm is missing"
        );
        eprintln!("SKIPPED: the OpenID Connect test needs node and npm");
        return None;
    }
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/oidc");
    let dir = node_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let lock = std::fs::read(source.join("package-lock.json")).unwrap();
    let installed = dir
        .join("node_modules/oidc-provider/package.json")
        .is_file()
        && std::fs::read(dir.join("package-lock.json")).ok().as_ref() == Some(&lock);
    for f in ["package.json", "package-lock.json", "provider.mjs"] {
        std::fs::copy(source.join(f), dir.join(f)).unwrap();
    }
    if !installed {
        let status = Command::new("npm")
            .args(["ci", "--ignore-scripts", "--no-audit", "--no-fund"])
            .current_dir(&dir)
            .status()
            .unwrap();
        assert!(status.success(), "npm ci in {}", dir.display());
    }
    let mut child = Command::new("node")
        .arg(dir.join("provider.mjs"))
        .env("CLIENT_ID", "vigie")
        .env("CLIENT_SECRET", CLIENT_SECRET)
        .env("REDIRECT_URI", format!("{PUBLIC_URL}/login/oidc/callback"))
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(issuer) = line.strip_prefix("listening ") {
                let _ = tx.send(issuer.to_owned());
            }
        }
    });
    let issuer = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("the provider starts");
    let agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    Some(Provider {
        child,
        issuer,
        agent,
    })
}

impl Provider {
    fn set_user(&self, sub: &str, name: &str, groups: &[&str]) {
        let body = format!(
            "{{\"sub\":{sub:?},\"name\":{name:?},\"groups\":[{}]}}",
            groups
                .iter()
                .map(|g| format!("{g:?}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let r = self
            .agent
            .post(format!("{}/_test/user", self.issuer))
            .send(body)
            .unwrap();
        assert_eq!(r.status(), 200);
    }

    fn tamper_nonce(&self) {
        let r = self
            .agent
            .post(format!("{}/_test/tamper-nonce", self.issuer))
            .send("")
            .unwrap();
        assert_eq!(r.status(), 200);
    }
}

/// Plays the browser from the provider's authorization URL until it sends the browser back
/// to vigie; returns that URL's path and query.
fn authorize(issuer: &str, agent: &ureq::Agent, mut url: String) -> String {
    let mut jar: BTreeMap<String, String> = BTreeMap::new();
    for _ in 0..12 {
        let cookies: Vec<String> = jar.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let mut req = agent.get(&url);
        if !cookies.is_empty() {
            req = req.header("cookie", cookies.join("; "));
        }
        let r = req.call().unwrap();
        for c in r.headers().get_all("set-cookie") {
            let pair = c.to_str().unwrap().split(';').next().unwrap();
            let (k, v) = pair.split_once('=').unwrap();
            if v.is_empty() {
                jar.remove(k);
            } else {
                jar.insert(k.to_owned(), v.to_owned());
            }
        }
        assert!(
            r.status().is_redirection(),
            "{url}: {} (the provider should redirect)",
            r.status()
        );
        let location = r.headers()["location"].to_str().unwrap().to_owned();
        if let Some(back) = location.strip_prefix(PUBLIC_URL) {
            return back.to_owned();
        }
        url = if location.starts_with('/') {
            format!("{issuer}{location}")
        } else {
            location
        };
    }
    panic!("the provider never sent the browser back");
}

async fn server(p: &Provider, default_role: Option<&str>) -> TestServer {
    let mut settings = Config::default().server(None).unwrap();
    settings.public_url = Some(PUBLIC_URL.into());
    let mut groups = BTreeMap::new();
    groups.insert("vigie-admins".to_owned(), "admin".to_owned());
    groups.insert("security".to_owned(), "triager".to_owned());
    settings.oidc = Some(
        OidcConfig {
            name: Some("Test IdP".into()),
            issuer: Some(p.issuer.clone()),
            client_id: Some("vigie".into()),
            client_secret_env: Some("TEST_SECRET".into()),
            scopes: None,
            groups_claim: None,
            default_role: default_role.map(str::to_owned),
            groups,
        }
        .validate(Some(PUBLIC_URL), |_| Some(CLIENT_SECRET.into()))
        .unwrap(),
    );
    ready(settings).await
}

/// A login through the provider: vigie's answer to the callback.
async fn login(s: &TestServer, p: &Provider) -> axum::http::Response<Body> {
    let start = s.get("/login/oidc", None).await;
    assert_eq!(start.status(), 303);
    let pending = set_cookie(&start, "vigie_oidc").expect("a cookie for the login in progress");
    let to = start.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(to.starts_with(&p.issuer), "{to}");
    for part in [
        "code_challenge_method=S256",
        "nonce=",
        "state=",
        "scope=openid",
    ] {
        assert!(to.contains(part), "{to} has {part}");
    }
    let (issuer, agent) = (p.issuer.clone(), p.agent.clone());
    let back = tokio::task::spawn_blocking(move || authorize(&issuer, &agent, to))
        .await
        .unwrap();
    s.get(&back, Some(&pending)).await
}

fn identity_role(s: &TestServer, p: &Provider, sub: &str) -> Option<(String, Role)> {
    s.store()
        .user_by_identity(&ExternalIdentity {
            issuer: p.issuer.clone(),
            subject: sub.into(),
        })
        .unwrap()
        .map(|u| (u.name, u.role))
}

#[tokio::test(flavor = "multi_thread")]
async fn login_through_a_real_provider_maps_groups_to_roles() {
    let Some(p) = provider() else { return };
    let s = server(&p, None).await;

    let page = text(s.get("/login", None).await).await;
    assert!(page.contains("Sign in with Test IdP"), "{page}");
    assert!(page.contains("href=\"/login/oidc\""));

    // First login: the user is created with the role of its groups.
    p.set_user("u-1", "alice", &["staff", "security"]);
    let r = login(&s, &p).await;
    assert_eq!(r.status(), 200);
    let session = set_cookie(&r, "vigie_session").expect("a session");
    assert_eq!(
        identity_role(&s, &p, "u-1"),
        Some(("alice".into(), Role::Triager))
    );
    let home = s.get("/", Some(&session)).await;
    assert_eq!(home.status(), 200);
    assert!(text(home).await.contains("alice"));

    // Groups changed at the provider: the role follows at the next login.
    p.set_user("u-1", "alice", &["vigie-admins"]);
    let r = login(&s, &p).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        identity_role(&s, &p, "u-1"),
        Some(("alice".into(), Role::Admin))
    );

    // A local user called alice does not stop another subject of that name: it gets its own.
    p.set_user("u-2", "alice", &["security"]);
    assert_eq!(login(&s, &p).await.status(), 200);
    let (name, role) = identity_role(&s, &p, "u-2").unwrap();
    assert!(
        name.starts_with("alice-") && role == Role::Triager,
        "{name}"
    );

    // No mapped group and no default role: refused, nothing created.
    p.set_user("u-3", "mallory", &["staff"]);
    let r = login(&s, &p).await;
    assert_eq!(r.status(), 403);
    assert!(set_cookie(&r, "vigie_session").is_none());
    assert!(text(r).await.contains("Your groups give you no access"));
    assert_eq!(identity_role(&s, &p, "u-3"), None);

    // A disabled user cannot log in through the provider.
    s.store()
        .change_user(
            "alice",
            &UserChange {
                disabled: Some(true),
                ..Default::default()
            },
            &cli_audit("user.disable", "alice"),
        )
        .unwrap();
    p.set_user("u-1", "alice", &["vigie-admins"]);
    let r = login(&s, &p).await;
    assert_eq!(r.status(), 403);
    assert!(set_cookie(&r, "vigie_session").is_none());
    // Its earlier session ended with the disabling.
    assert_eq!(s.get("/", Some(&session)).await.status(), 303);

    let actions = s.audit_actions();
    for a in [
        "user.create",
        "session.login",
        "user.role",
        "session.login-failed",
    ] {
        assert!(actions.iter().any(|x| x == a), "{a} in {actions:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_bad_state_or_nonce_is_refused() {
    let Some(p) = provider() else { return };
    let s = server(&p, Some("viewer")).await;
    p.set_user("u-9", "bob", &["staff"]);

    // The default role lets a user in no mapped group in.
    assert_eq!(login(&s, &p).await.status(), 200);
    assert_eq!(
        identity_role(&s, &p, "u-9"),
        Some(("bob".into(), Role::Viewer))
    );

    // A callback whose state is not the one sent is refused, and uses up the login.
    let start = s.get("/login/oidc", None).await;
    let pending = set_cookie(&start, "vigie_oidc").unwrap();
    let to = start.headers()[header::LOCATION]
        .to_str()
        .unwrap()
        .to_owned();
    let r = s
        .get(
            "/login/oidc/callback?code=forged&state=forged",
            Some(&pending),
        )
        .await;
    assert_eq!(r.status(), 403);
    let state = to
        .split("state=")
        .nth(1)
        .unwrap()
        .split('&')
        .next()
        .unwrap();
    let r = s
        .get(
            &format!("/login/oidc/callback?code=forged&state={state}"),
            Some(&pending),
        )
        .await;
    assert_eq!(r.status(), 403, "a login in progress is used once");
    // Without the cookie of the login in progress, nothing either.
    let r = s.get("/login/oidc/callback?code=x&state=y", None).await;
    assert_eq!(r.status(), 403);

    // An ID token carrying another nonce than the one sent is refused.
    p.tamper_nonce();
    let r = login(&s, &p).await;
    assert_eq!(r.status(), 403);
    assert!(set_cookie(&r, "vigie_session").is_none());
    let log = s.store().audit_log(None, 10).unwrap();
    assert!(
        log.iter().any(|e| e.entry.action == "session.login-failed"
            && e.entry
                .detail
                .as_deref()
                .is_some_and(|d| d.contains("nonce"))),
        "{log:?}"
    );
    assert!(
        !log.iter().any(|e| e
            .entry
            .detail
            .as_deref()
            .is_some_and(|d| d.contains(CLIENT_SECRET))),
        "the secret is never logged"
    );
}

#[tokio::test]
async fn without_oidc_its_routes_lead_back_to_the_login_page() {
    let s = ready(Config::default().server(None).unwrap()).await;
    for path in ["/login/oidc", "/login/oidc/callback?code=x&state=y"] {
        let r = s.get(path, None).await;
        assert_eq!(r.status(), 303, "{path}");
        assert_eq!(r.headers()[header::LOCATION], "/login");
    }
    let page = text(s.get("/login", None).await).await;
    assert!(!page.contains("/login/oidc"));
}

/// An audit entry of the command line.
fn cli_audit(action: &str, target: &str) -> AuditEntry {
    AuditEntry {
        at: vigie_app::access::now(),
        actor: "cli".into(),
        action: action.into(),
        target: target.into(),
        ip: None,
        detail: None,
    }
}
