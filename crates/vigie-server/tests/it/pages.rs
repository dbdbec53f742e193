//! The pages of the control tower on a scan of `examples/acme`: every page answers in both
//! languages with its navigation, "are we hit?" tells an unknown advisory from one that hits
//! nothing, the map links its systems, triage changes the register (and viewers may not
//! triage), and reports download in every format.

use axum::http::header;
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use vigie_store::Role;

use crate::common::{PASSWORD, server, some_advisory, text, user};

/// Every page of a session, with a query where it takes one.
const PAGES: &[&str] = &[
    "/",
    "/map",
    "/map?colour=owner",
    "/map?colour=criticality",
    "/projects",
    "/projects?ecosystem=npm&kev=1",
    "/packages",
    "/packages?q=lodash",
    "/hit",
    "/hit?q=CVE-1999-0000000",
    "/register",
    "/register?level=critical",
    "/lifecycle",
    "/licences",
    "/reports",
    "/admin",
    "/admin/users",
    "/admin/tokens",
    "/admin/audit",
    "/admin/audit?actor=admin&action=session.",
    "/admin/knowledge",
];

/// The page with the escapes of `/` and `&` undone (minijinja escapes both).
fn unescape(page: &str) -> String {
    page.replace("&#x2f;", "/").replace("&amp;", "&")
}

#[tokio::test]
async fn every_page_answers_with_its_navigation_in_both_languages() {
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    for uri in PAGES {
        for (lang, word) in [("en", "Are we hit?"), ("fr", "Sommes-nous touchés ?")] {
            let sep = if uri.contains('?') { '&' } else { '?' };
            let r = s
                .get(&format!("{uri}{sep}lang={lang}"), Some(&session))
                .await;
            assert_eq!(r.status(), 200, "{uri} {lang}");
            let page = unescape(&text(r).await);
            assert!(page.contains(word), "{uri} {lang}: {page}");
            assert!(page.contains("href=\"/map\""), "{uri}: the navigation");
            // The switch keeps the page.
            let path = uri.split('?').next().unwrap();
            assert!(
                page.contains(&format!("href=\"{path}?")),
                "{uri}: the switch"
            );
            assert!(!page.contains("style="), "{uri}: no inline style");
            assert!(!page.contains("<script"), "{uri}: no script");
        }
    }
}

#[tokio::test]
async fn are_we_hit_tells_unknown_from_clear_and_names_projects_and_owners() {
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    let page = text(s.get("/hit?q=CVE-1999-0000000", Some(&session)).await).await;
    assert!(page.contains("unknown to the knowledge index"), "{page}");
    let f = some_advisory(&s);
    let page = unescape(&text(s.get(&format!("/hit?q={}", f.id), Some(&session)).await).await);
    assert!(!page.contains("unknown to the knowledge index"), "{page}");
    assert!(page.contains("id=\"hit-count\""), "{page}");
    assert!(page.contains(&f.project_path), "{page}");
    // A package range.
    let page = text(s.get("/hit?q=lodash%40%3C99", Some(&session)).await).await;
    assert!(!page.contains("internal error"), "{page}");
}

#[tokio::test]
async fn the_map_links_systems_and_a_system_page_shows_them() {
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    let map = unescape(&text(s.get("/map", Some(&session)).await).await);
    assert!(map.contains("<svg"), "{map}");
    let href = map
        .split("href=\"/systems/system%3A")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .expect("a system on the map");
    let r = s
        .get(&format!("/systems/system%3A{href}"), Some(&session))
        .await;
    assert_eq!(r.status(), 200);
    let page = text(r).await;
    assert!(page.contains("Owners"), "{page}");
    // Any element of the map has its page: a SaaS with its contract, in its own column.
    assert!(
        map.contains("href=\"/systems/resource%3Adefault%2Fslack\""),
        "{map}"
    );
    let slack = text(
        s.get("/systems/resource%3Adefault%2Fslack", Some(&session))
            .await,
    )
    .await;
    assert!(slack.contains("Salesforce"), "{slack}");
    let r = s.get("/systems/system%3Anone%2Fnone", Some(&session)).await;
    assert_eq!(r.status(), 404);
    let r = s.get("/projects/no/such/project", Some(&session)).await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn projects_filter_and_open() {
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    let page = unescape(&text(s.get("/projects", Some(&session)).await).await);
    let path = page
        .split("href=\"/projects/")
        .nth(1)
        .and_then(|x| x.split('"').next())
        .expect("a project")
        .to_owned();
    let r = s.get(&format!("/projects/{path}"), Some(&session)).await;
    assert_eq!(r.status(), 200);
    let page = text(r).await;
    assert!(page.contains("Components"), "{page}");
    // Its history counts what the API lists of it.
    let api: serde_json::Value = serde_json::from_str(
        &text(
            s.get(&format!("/api/v1/projects/{path}"), Some(&session))
                .await,
        )
        .await,
    )
    .unwrap();
    let row = format!(
        "<tr><td>#{}</td>",
        api["snapshot"].as_i64().expect("a snapshot")
    );
    let counts = format!(
        "<td>{}</td><td>{}</td></tr>",
        api["components"].as_array().unwrap().len(),
        api["findings"].as_array().unwrap().len()
    );
    let history = page.split(&row).nth(1).expect("a history row");
    assert!(
        history.split('\n').next().unwrap().ends_with(&counts),
        "{history}"
    );
    let none = text(s.get("/projects?q=zzzz-nothing", Some(&session)).await).await;
    assert!(none.contains(">0 projects<"), "{none}");
}

#[tokio::test]
async fn counts_agree_with_their_nouns_in_both_languages() {
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    let page = unescape(&text(s.get("/projects", Some(&session)).await).await);
    let paths: Vec<String> = page
        .split("href=\"/projects/")
        .skip(1)
        .filter_map(|x| x.split('"').next())
        .map(|p| percent_decode_str(p).decode_utf8().unwrap().into_owned())
        .collect();
    // A path that no other contains: the search finds that project alone.
    let one = paths
        .iter()
        .find(|p| paths.iter().filter(|o| o.contains(p.as_str())).count() == 1)
        .expect("a project");
    for (q, en, fr) in [
        ("zzzz-nothing", ">0 projects<", ">0 projet<"),
        (one.as_str(), ">1 project<", ">1 projet<"),
        ("", " projects<", " projets<"),
    ] {
        for (lang, want) in [("en", en), ("fr", fr)] {
            let q = utf8_percent_encode(q, NON_ALPHANUMERIC);
            let uri = format!("/projects?q={q}&lang={lang}");
            let page = text(s.get(&uri, Some(&session)).await).await;
            assert!(page.contains(want), "{uri}: {want}");
        }
    }
}

/// The overview names the ecosystems the knowledge index has no advisory for, with their
/// components counted as the store holds them (the mirror has no Maven feed; acme uses it).
#[tokio::test]
async fn the_overview_says_what_could_not_be_checked_in_both_languages() {
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    let latest = s.store().latest().unwrap();
    let mut maven = 0;
    s.store()
        .for_each_component(latest, &mut |c| maven += u64::from(c.ecosystem == "Maven"))
        .unwrap();
    assert!(maven > 0, "acme uses Maven");
    for (lang, words) in [
        ("en", format!("Maven ({maven} components)")),
        ("fr", format!("Maven ({maven} composants)")),
    ] {
        let page = unescape(&text(s.get(&format!("/?lang={lang}"), Some(&session)).await).await);
        let gaps = page
            .split("id=\"coverage-gaps\"")
            .nth(1)
            .unwrap_or_else(|| panic!("{lang}: no coverage sentence"));
        assert!(gaps.contains(&words), "{lang}: {words}");
        assert!(
            !gaps.split("</p>").next().unwrap().contains("PyPI"),
            "{lang}"
        );
    }
}

#[tokio::test]
async fn triage_changes_the_register_and_viewers_may_not() {
    let Some(s) = server().await else { return };
    let f = some_advisory(&s);
    let (viewer, viewer_csrf) = user(&s, "vera", Role::Viewer).await;
    let page = text(s.get("/register", Some(&viewer)).await).await;
    assert!(
        !unescape(&page).contains("/register/triage"),
        "no form for a viewer"
    );
    let form = [
        ("csrf", viewer_csrf.as_str()),
        ("key", f.key.as_str()),
        ("state", "false_positive"),
        ("reason", "test code only"),
    ];
    let r = s.post_form("/register/triage", Some(&viewer), &form).await;
    assert_eq!(r.status(), 403);

    let (triager, csrf) = user(&s, "tom", Role::Triager).await;
    let before = text(s.get("/register", Some(&triager)).await).await;
    assert!(
        unescape(&before).contains("action=\"/register/triage\""),
        "{before}"
    );
    // Without the CSRF token: refused.
    let r = s
        .post_form(
            "/register/triage",
            Some(&triager),
            &[
                ("key", f.key.as_str()),
                ("state", "false_positive"),
                ("reason", "x"),
            ],
        )
        .await;
    assert_eq!(r.status(), 403);
    let form = [
        ("csrf", csrf.as_str()),
        ("key", f.key.as_str()),
        ("state", "false_positive"),
        ("justification", ""),
        ("until", ""),
        ("reason", "test code only"),
    ];
    let r = s.post_form("/register/triage", Some(&triager), &form).await;
    assert_eq!(r.status(), 303);
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/register?done="), "{to}");
    let after = text(s.get(&to, Some(&triager)).await).await;
    assert!(after.contains("id=\"triage-done\""), "{after}");
    assert!(after.contains("false positive"), "set aside: {after}");
    let history = s.store().triage_history(Some(&f.key)).unwrap();
    assert_eq!(history.last().unwrap().input.by, "tom");
    assert!(s.audit_actions().contains(&"triage.record".to_owned()));
    // Accepting needs a day: refused without one, said on the page.
    let form = [
        ("csrf", csrf.as_str()),
        ("key", f.key.as_str()),
        ("state", "accepted_risk"),
        ("reason", "later"),
    ];
    let r = s.post_form("/register/triage", Some(&triager), &form).await;
    let to = r.headers()[header::LOCATION].to_str().unwrap().to_owned();
    assert!(to.starts_with("/register?refused="), "{to}");
}

#[tokio::test]
async fn reports_download_in_every_format() {
    let Some(s) = server().await else { return };
    let (session, _) = s.login("admin", PASSWORD).await;
    for (format, ty, start) in [
        ("html", "text/html", "<!DOCTYPE html"),
        ("md", "text/markdown", "#"),
        ("json", "application/json", "{"),
        ("csv", "text/csv", ""),
        ("csv-findings", "text/csv", ""),
        ("cyclonedx", "application/vnd.cyclonedx+json", "{"),
        ("sarif", "application/sarif+json", "{"),
    ] {
        for lang in ["en", "fr"] {
            let r = s
                .get(
                    &format!("/reports/download?format={format}&lang={lang}"),
                    Some(&session),
                )
                .await;
            assert_eq!(r.status(), 200, "{format}");
            let h = r.headers();
            assert!(
                h[header::CONTENT_TYPE].to_str().unwrap().starts_with(ty),
                "{format}"
            );
            assert!(
                h[header::CONTENT_DISPOSITION]
                    .to_str()
                    .unwrap()
                    .starts_with("attachment; filename=\"vigie-report-"),
                "{format}"
            );
            let body = text(r).await;
            assert!(
                body.to_ascii_lowercase()
                    .starts_with(&start.to_ascii_lowercase()),
                "{format}: {}",
                &body[..body.len().min(200)]
            );
        }
    }
    let r = s.get("/reports/download?format=exe", Some(&session)).await;
    assert_eq!(r.status(), 404);
}

/// The register pages through every risk: the count is the API's total, `?from=N` shows the
/// risks after the first N with a link back, and a position past the end shows none.
#[tokio::test]
async fn register_pages_through_every_risk() {
    let Some(s) = server().await else { return };
    let (session, _) = user(&s, "rita", Role::Viewer).await;
    let t = crate::common::token(&s, vec![vigie_store::TokenScope::Read], None);
    let r = s.get_bearer("/api/v1/risks?limit=1", &t).await;
    assert_eq!(r.status(), 200);
    let api: serde_json::Value = serde_json::from_str(&text(r).await).unwrap();
    let total = api["total"].as_u64().unwrap() as usize;
    assert!(total > 1, "the example estate has risks");
    let articles = |page: &str| page.matches("<article class=\"risk").count();

    let first = text(s.get("/register", Some(&session)).await).await;
    assert!(
        first.contains(&format!("id=\"risk-count\">{total} ")),
        "{first}"
    );
    assert_eq!(articles(&first), total.min(200));
    let rest = text(s.get("/register?from=1", Some(&session)).await).await;
    assert_eq!(articles(&rest), (total - 1).min(200));
    assert!(
        unescape(&rest).contains("rel=\"prev\" href=\"/register?from=0\""),
        "{rest}"
    );
    assert!(rest.contains(&format!("(2–{})", total.min(201))), "{rest}");
    let past = text(s.get("/register?from=100000", Some(&session)).await).await;
    assert_eq!(articles(&past), 0);
    // A position that is not one is refused, not read as 0.
    for bad in ["-1", "abc", "99999999999999999999999"] {
        let r = s
            .get(&format!("/register?from={bad}"), Some(&session))
            .await;
        assert_eq!(r.status(), 400, "from={bad}");
        let r = s
            .get(&format!("/packages?q=serde&from={bad}"), Some(&session))
            .await;
        assert_eq!(r.status(), 400, "packages from={bad}");
    }
    // A risk lists 20 of its findings and says how many more it holds.
    if total <= 200 {
        let r = s.get_bearer("/api/v1/risks?limit=500", &t).await;
        let all: serde_json::Value = serde_json::from_str(&text(r).await).unwrap();
        let more: Vec<usize> = all["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["findings_count"].as_u64().unwrap() as usize)
            .filter(|n| *n > 20)
            .map(|n| n - 20)
            .collect();
        assert!(!more.is_empty(), "the example has a risk of many findings");
        assert_eq!(
            first.matches("class=\"muted more-findings\"").count(),
            more.len()
        );
        for n in more {
            assert!(first.contains(&format!("more-findings\">+ {n} ")), "+ {n}");
        }
    }
}

/// "Who uses" pages through the uses: the count is the API's, `?from=N` shows the rest with a
/// link back that keeps the question.
#[tokio::test]
async fn packages_page_through_the_uses() {
    // Two real Rust lockfiles: serde is in both.
    let Some(data) = vigie_testkit::data_dir() else {
        return;
    };
    let paths = ["rust-lang-cargo", "astral-sh-ruff"]
        .map(|p| data.join("lockfiles").join(p))
        .to_vec();
    let Some(s) = crate::common::server_with(paths, None, None).await else {
        return;
    };
    let (session, _) = user(&s, "paul", Role::Viewer).await;
    let t = crate::common::token(&s, vec![vigie_store::TokenScope::Read], None);
    let api: serde_json::Value = serde_json::from_str(
        &text(s.get_bearer("/api/v1/who-uses?q=serde&limit=1", &t).await).await,
    )
    .unwrap();
    let total = api["total"].as_u64().unwrap() as usize;
    assert!(total > 1, "serde is used more than once");
    let rows = |page: &str| page.matches("<tr>\n    <td><a href=\"/projects/").count();
    let all = text(s.get("/packages?q=serde", Some(&session)).await).await;
    assert!(all.contains(&format!("id=\"use-count\">{total} ")), "{all}");
    assert_eq!(rows(&all), total.min(200));
    let rest = text(s.get("/packages?q=serde&from=1", Some(&session)).await).await;
    assert_eq!(rows(&rest), (total - 1).min(200));
    assert!(
        unescape(&rest).contains("rel=\"prev\" href=\"/packages?q=serde&from=0\""),
        "{rest}"
    );
}
