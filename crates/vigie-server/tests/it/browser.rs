//! End to end in a real headless Chromium, driven through chromedriver (Debian packages
//! `chromium` and `chromium-driver`) over the W3C WebDriver protocol: the server listens on a
//! free port over a scan of `examples/acme` with the reference mirror's knowledge; the test
//! logs in, asks "are we hit?" for a CVE of the example, opens a system from the map, triages
//! a finding and sees the register change, switches to French, downloads the PDF report, and
//! visits every page; the browser's console must hold no error, and every page is saved as a
//! screenshot in `$VIGIE_SCREENSHOTS` (else `target/e2e-screenshots/`) for CI to keep.
//!
//! The WebDriver client is the dozen commands the test needs, as JSON over HTTP with `ureq`
//! (already vigie's HTTP client): fantoccini would add some fifty crates (ICU, `time`, a
//! second `http`) for the same requests, and playwright-core a Node toolchain and its own
//! browser protocol. Without chromium or chromedriver the test says so and skips, or fails
//! under `VIGIE_REQUIRE_CHROMIUM=1` (CI).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::common::{PASSWORD, server, some_advisory};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
/// The W3C key of an element reference.
const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

/// chromedriver, ended when dropped.
struct Driver {
    child: Child,
    url: String,
    session: String,
    agent: ureq::Agent,
    base: String,
    shots: PathBuf,
    /// Console errors seen, with the page.
    errors: Vec<String>,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self
            .agent
            .delete(&format!("{}/session/{}", self.url, self.session))
            .call();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

impl Driver {
    fn start(base: String, profile: &Path) -> Driver {
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let url = format!("http://127.0.0.1:{port}");
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(120)))
            .build()
            .into();
        let started = Instant::now();
        while agent.get(&format!("{url}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver answers"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let shots = std::env::var_os("VIGIE_SCREENSHOTS")
            .map(PathBuf::from)
            .unwrap_or_else(|| vigie_testkit::workspace().join("target/e2e-screenshots"));
        std::fs::create_dir_all(&shots).unwrap();
        let mut d = Driver {
            child,
            url,
            session: String::new(),
            agent,
            base,
            shots,
            errors: Vec::new(),
        };
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:loggingPrefs": {"browser": "ALL"},
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--window-size=1280,900", "--no-first-run",
                         format!("--user-data-dir={}", profile.display())],
            },
        }}});
        let v = d.post("/session", caps);
        d.session = v["sessionId"].as_str().expect("a session").to_owned();
        d
    }

    fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = if path == "/session" {
            format!("{}{path}", self.url)
        } else {
            format!("{}/session/{}{path}", self.url, self.session)
        };
        let mut r = match (method, body) {
            ("GET", _) => self.agent.get(&url).call(),
            ("POST", b) => self
                .agent
                .post(&url)
                .header("Content-Type", "application/json")
                .send(b.unwrap_or(json!({})).to_string()),
            _ => unreachable!(),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let body = r
            .body_mut()
            .with_config()
            .limit(64 << 20)
            .read_to_string()
            .unwrap();
        let v: Value = serde_json::from_str(&body).unwrap();
        if let Some(e) = v["value"].get("error") {
            panic!("{method} {path}: {e} {}", v["value"]["message"]);
        }
        v
    }

    fn post(&self, path: &str, body: Value) -> Value {
        self.call("POST", path, Some(body))["value"].clone()
    }

    fn get(&self, path: &str) -> Value {
        self.call("GET", path, None)["value"].clone()
    }

    fn go(&mut self, path: &str) {
        self.post("/url", json!({"url": format!("{}{path}", self.base)}));
        self.check_console(path);
    }

    fn find(&self, css: &str) -> String {
        let v = self.post("/element", json!({"using": "css selector", "value": css}));
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("{css}: {v}"))
            .to_owned()
    }

    fn click(&mut self, css: &str) {
        let e = self.find(css);
        self.post(&format!("/element/{e}/click"), json!({}));
        self.check_console(css);
    }

    fn type_in(&self, css: &str, text: &str) {
        let e = self.find(css);
        self.post(&format!("/element/{e}/value"), json!({"text": text}));
    }

    fn source(&self) -> String {
        self.get("/source").as_str().unwrap_or("").to_owned()
    }

    /// Waits until the page's path starts with `prefix` (a form's answer may still be
    /// loading when the click returns).
    fn wait_path(&self, prefix: &str) {
        let started = Instant::now();
        loop {
            let path = self.path();
            if path.starts_with(prefix) {
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "waited for {prefix}, at {path}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits until the page holds `needle`, and gives the page.
    fn wait_source(&self, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let page = self.source();
            if page.contains(needle) {
                return page;
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "waited for {needle}: {page}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn path(&self) -> String {
        let url = self.get("/url").as_str().unwrap_or("").to_owned();
        url.strip_prefix(&self.base).unwrap_or(&url).to_owned()
    }

    /// The console's errors since the last look, kept with where they were seen.
    fn check_console(&mut self, at: &str) {
        let logs = self.post("/se/log", json!({"type": "browser"}));
        for entry in logs.as_array().into_iter().flatten() {
            if entry["level"] == "SEVERE" {
                self.errors.push(format!("{at}: {}", entry["message"]));
            }
        }
    }

    fn screenshot(&self, name: &str) {
        let png = self.get("/screenshot");
        let bytes = base64(png.as_str().unwrap());
        assert!(bytes.starts_with(b"\x89PNG"), "{name}: a PNG");
        std::fs::write(self.shots.join(format!("{name}.png")), bytes).unwrap();
    }

    fn cookie(&self, name: &str) -> String {
        self.get(&format!("/cookie/{name}"))["value"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// Standard base64, as WebDriver sends screenshots.
fn base64(text: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        _ => 63,
    };
    let clean: Vec<u8> = text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
        .collect();
    let mut out = Vec::with_capacity(clean.len() * 3 / 4);
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= u32::from(value(*c)) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

/// Whether the browser is here; a loud skip, or a failure under `VIGIE_REQUIRE_CHROMIUM=1`.
fn browser_present() -> bool {
    let present = Path::new(CHROMIUM).is_file() && Path::new(CHROMEDRIVER).is_file();
    if !present {
        assert!(
            std::env::var("VIGIE_REQUIRE_CHROMIUM").as_deref() != Ok("1"),
            "VIGIE_REQUIRE_CHROMIUM=1 but {CHROMIUM} or {CHROMEDRIVER} is missing \
             (Debian: apt-get install chromium chromium-driver)"
        );
        eprintln!("SKIPPED: the browser test needs {CHROMIUM} and {CHROMEDRIVER}");
    }
    present
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_tower_in_a_real_browser() {
    if !browser_present() {
        return;
    }
    let Some(s) = server().await else { return };
    let finding = some_advisory(&s);
    let cve = finding
        .aliases
        .iter()
        .chain(std::iter::once(&finding.id))
        .find(|a| a.starts_with("CVE-"))
        .unwrap_or(&finding.id)
        .clone();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let app = s.router.clone();
    tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    let profile = tempfile::tempdir().unwrap();
    let base = format!("http://{addr}");
    let project = finding.project_path.clone();
    tokio::task::spawn_blocking(move || walk(base, profile.path(), &cve, &project))
        .await
        .unwrap();
}

fn walk(base: String, profile: &Path, cve: &str, project: &str) {
    let mut d = Driver::start(base.clone(), profile);
    // Log in.
    d.go("/");
    assert_eq!(d.path(), "/login");
    d.screenshot("01-login");
    d.type_in("input[name=name]", "admin");
    d.type_in("input[name=password]", PASSWORD);
    d.click("form.login button[type=submit]");
    d.wait_path("/");
    d.screenshot("02-overview");
    // Are we hit?
    d.type_in("#ask-q", cve);
    d.click("form.ask button[type=submit]");
    d.wait_path("/hit?q=");
    let page = d.wait_source("id=\"hit-count\"");
    assert!(page.contains("id=\"hit-count\""), "{page}");
    assert!(
        !page.contains("id=\"unknown-advisory\""),
        "{cve} is known: {page}"
    );
    assert!(
        page.contains(&project.replace('/', "&#x2f;")) || page.contains(project),
        "{project}: {page}"
    );
    d.screenshot("03-are-we-hit");
    // A system from the map.
    d.go("/map");
    d.screenshot("04-map");
    d.click("svg.map a[href^='/systems/system']");
    d.wait_path("/systems/system%3A");
    d.wait_source("<dt>Owners</dt>");
    d.screenshot("05-system");
    // Triage a finding: the register changes.
    d.go("/register");
    let before = d.source();
    d.screenshot("06-register");
    d.click("details.triage summary");
    d.click("form.triage-form select[name=state] option[value=false_positive]");
    d.type_in(
        "form.triage-form input[name=reason]",
        "test code only, never shipped",
    );
    d.click("form.triage-form button[type=submit]");
    d.wait_path("/register?done=");
    let after = d.wait_source("id=\"triage-done\"");
    assert!(after.contains("id=\"triage-done\""), "{after}");
    assert!(after.contains("false positive"), "{after}");
    assert_ne!(before, after);
    d.screenshot("07-register-after-triage");
    // French, on the same page.
    d.click("#switch-lang");
    d.wait_path("/register?");
    let fr = d.wait_source("lang=\"fr\"");
    assert!(fr.contains("lang=\"fr\""), "{fr}");
    assert!(fr.contains("Registre des risques"), "{fr}");
    d.screenshot("08-register-fr");
    // Every other page, in French now.
    for (name, path) in [
        ("09-projects", "/projects"),
        ("10-packages", "/packages?q=lodash"),
        ("11-lifecycle", "/lifecycle"),
        ("12-licences", "/licences"),
        ("13-reports", "/reports"),
        ("14-map-owner", "/map?colour=owner"),
    ] {
        d.go(path);
        assert!(d.source().contains("Sommes-nous touchés"), "{path}");
        d.screenshot(name);
    }
    d.go("/reports");
    let reports = d.source().replace("&amp;", "&");
    assert!(reports.contains("format=pdf&lang=fr"), "{reports}");
    // The PDF report, with the browser's session.
    let session = d.cookie("vigie_session");
    let mut r = d
        .agent
        .get(&format!("{base}/reports/download?format=pdf&lang=fr"))
        .header("Cookie", &format!("vigie_session={session}"))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let pdf = r
        .body_mut()
        .with_config()
        .limit(50 << 20)
        .read_to_vec()
        .unwrap();
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    std::fs::write(d.shots.join("15-report.pdf"), &pdf).unwrap();
    assert!(d.errors.is_empty(), "console errors: {:#?}", d.errors);
}
