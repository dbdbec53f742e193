//! The REST API against independent truths: the store's own answers to the same questions
//! (as `vigie who-uses -f json`, `vigie triage list -f json` and `vigie report -f json` give
//! them), pagination walked to the end, ETags, problems, and a triage that reaches the
//! register and the audit log.

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Request, Response, header};
use serde_json::{Value, json};
use vigie_store::{PackageQuery, TokenScope};

use crate::common::{TestServer, server, text, token};

async fn call(s: &TestServer, uri: &str, token: &str) -> Response<Body> {
    s.send(
        Request::get(uri)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

async fn get_json(s: &TestServer, uri: &str, token: &str) -> Value {
    let r = call(s, uri, token).await;
    let status = r.status();
    let body = text(r).await;
    assert_eq!(status, 200, "{uri}: {body}");
    serde_json::from_str(&body).unwrap()
}

/// Every item of a list, walking its pages of `limit`; checks `total` on each page.
async fn walk(s: &TestServer, base: &str, limit: usize, token: &str) -> Vec<Value> {
    let sep = if base.contains('?') { '&' } else { '?' };
    let mut uri = format!("{base}{sep}limit={limit}");
    let mut items = Vec::new();
    let mut total = None;
    loop {
        let page = get_json(s, &uri, token).await;
        let t = page["total"].as_u64().unwrap();
        assert_eq!(*total.get_or_insert(t), t, "{uri}: the total moved");
        let got = page["items"].as_array().unwrap();
        assert!(got.len() <= limit);
        items.extend(got.iter().cloned());
        match page["next"].as_str() {
            Some(next) => {
                assert_eq!(got.len(), limit, "{uri}: a short page before the last");
                uri = format!("{base}{sep}limit={limit}&after={next}");
            }
            None => break,
        }
    }
    assert_eq!(
        items.len() as u64,
        total.unwrap(),
        "{base}: every item once"
    );
    items
}

fn strings(items: &[Value], field: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| i[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn projects_and_components_walk_every_item_once_and_agree_with_the_store() {
    let Some(s) = server().await else { return };
    let t = token(&s, vec![TokenScope::Read], None);
    let store = s.store();
    let latest = store.latest().unwrap();

    let projects = walk(&s, "/api/v1/projects", 2, &t).await;
    assert_eq!(
        strings(&projects, "path"),
        store.project_paths(latest).unwrap()
    );

    // Components: the distinct purls of the component stream, with their project counts.
    let mut truth: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    store
        .for_each_component(latest, &mut |r| {
            truth
                .entry(r.purl.to_owned())
                .or_default()
                .insert(r.project_path.to_owned());
        })
        .unwrap();
    let components = walk(&s, "/api/v1/components", 37, &t).await;
    let got: BTreeMap<String, u64> = components
        .iter()
        .map(|c| {
            (
                c["purl"].as_str().unwrap().to_owned(),
                c["projects"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: BTreeMap<String, u64> = truth
        .iter()
        .map(|(p, set)| (p.clone(), set.len() as u64))
        .collect();
    assert_eq!(got, want);

    // Each project's component count and ecosystems, counted from the stream.
    let mut per_project: BTreeMap<String, (u64, BTreeSet<String>)> = BTreeMap::new();
    store
        .for_each_component(latest, &mut |r| {
            let e = per_project.entry(r.project_path.to_owned()).or_default();
            e.0 += 1;
            e.1.insert(r.ecosystem.to_owned());
        })
        .unwrap();
    for p in &projects {
        let (n, ecos) = per_project
            .get(p["path"].as_str().unwrap())
            .cloned()
            .unwrap_or_default();
        assert_eq!(p["components"].as_u64().unwrap(), n, "{p}");
        let got: BTreeSet<String> = p["ecosystems"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, ecos, "{p}");
    }

    // Filters: an ecosystem, a substring; the total counts what they keep.
    let (eco, _) = per_project
        .values()
        .next()
        .unwrap()
        .1
        .iter()
        .next()
        .map(|e| (e.clone(), ()))
        .unwrap();
    let with_eco = walk(&s, &format!("/api/v1/projects?ecosystem={eco}"), 3, &t).await;
    let want: Vec<String> = per_project
        .iter()
        .filter(|(_, (_, e))| e.contains(&eco))
        .map(|(p, _)| p.clone())
        .collect();
    assert_eq!(strings(&with_eco, "path"), want);
    let billing = walk(&s, "/api/v1/projects?q=BILLING", 50, &t).await;
    assert!(!billing.is_empty());
    assert!(billing.iter().all(|p| {
        p["path"].as_str().unwrap().contains("billing")
            || p["name"].as_str().unwrap().contains("billing")
    }));

    // One project, its path percent-encoded, with scope and relation of each component.
    let path = projects
        .iter()
        .find(|p| p["path"].as_str().unwrap().contains('/') && p["components"].as_u64() > Some(0))
        .map(|p| p["path"].as_str().unwrap().to_owned())
        .expect("a nested project with components");
    let encoded = path.replace('/', "%2F");
    let one = get_json(&s, &format!("/api/v1/projects/{encoded}"), &t).await;
    assert_eq!(one["path"], path.as_str());
    assert_eq!(
        one["components"].as_array().unwrap().len() as u64,
        per_project[&path].0
    );
    assert!(one["components"][0]["scope"].is_string());
    assert!(one["components"][0]["relation"].is_string());
    let r = call(&s, "/api/v1/projects/no%2Fsuch", &t).await;
    assert_eq!(r.status(), 404);
}

#[tokio::test]
async fn who_uses_hit_and_findings_agree_with_the_store() {
    let Some(s) = server().await else { return };
    let t = token(&s, vec![TokenScope::Read], None);
    let store = s.store();
    let latest = store.latest().unwrap();
    let findings = store.findings(latest).unwrap();

    // who-uses: the store's answer (what `vigie who-uses -f json` prints), every usage once.
    let vuln = findings
        .iter()
        .find(|f| f.purl.is_some() && f.family.id() == "vulnerability")
        .expect("acme has a vulnerability");
    let purl = vuln.purl.clone().unwrap();
    // The package without its version: every version of it.
    let name = purl.split('@').next().unwrap().to_owned();
    let truth: BTreeSet<(String, String)> = store
        .who_uses(latest, &PackageQuery::parse(&name).unwrap())
        .unwrap()
        .into_iter()
        .map(|u| (u.project_path, u.purl))
        .collect();
    let q = serde_urlencoded::to_string([("q", &name)]).unwrap();
    let uses = walk(&s, &format!("/api/v1/who-uses?{q}"), 1, &t).await;
    let got: BTreeSet<(String, String)> = uses
        .iter()
        .map(|u| {
            (
                u["project_path"].as_str().unwrap().to_owned(),
                u["purl"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, truth);
    assert!(!got.is_empty());

    // Are we hit? The advisory's findings are the store's, and the index knows it.
    let id = &vuln.id;
    let hit = get_json(&s, &format!("/api/v1/advisories/{id}"), &t).await;
    assert_eq!(hit["index"]["status"], "known", "{hit}");
    let keys: BTreeSet<String> = hit["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["finding"]["key"].as_str().unwrap().to_owned())
        .collect();
    let want: BTreeSet<String> = store
        .who_uses_advisory(latest, id)
        .unwrap()
        .into_iter()
        .map(|u| u.finding.key)
        .collect();
    assert_eq!(keys, want);
    let same = get_json(&s, &format!("/api/v1/hit?q={id}"), &t).await;
    assert_eq!(same, hit);
    // An id the index does not know says so.
    let unknown = get_json(&s, "/api/v1/hit?q=CVE-1999-99999", &t).await;
    assert_eq!(unknown["index"]["status"], "unknown");
    assert_eq!(unknown["projects"], 0);
    // A package question.
    let pkg = get_json(&s, &format!("/api/v1/hit?{q}"), &t).await;
    assert_eq!(pkg["question"]["kind"], "package");
    assert_eq!(pkg["uses"].as_array().unwrap().len(), truth.len());
    assert_eq!(pkg["total"].as_u64().unwrap(), truth.len() as u64);
    // Page by page: the same uses, each once, and the advisory's findings too.
    let mut paged = Vec::new();
    let mut uri = format!("/api/v1/hit?{q}&limit=1");
    loop {
        let page = get_json(&s, &uri, &t).await;
        assert_eq!(page["total"].as_u64().unwrap(), truth.len() as u64);
        let uses = page["uses"].as_array().unwrap();
        assert!(uses.len() <= 1);
        paged.extend(uses.iter().cloned());
        match page["next"].as_str() {
            Some(next) => uri = format!("/api/v1/hit?{q}&limit=1&after={next}"),
            None => break,
        }
    }
    assert_eq!(paged, pkg["uses"].as_array().unwrap().clone());
    for bad in ["after=xyz", "limit=0", "limit=501"] {
        let r = call(&s, &format!("/api/v1/hit?{q}&{bad}"), &t).await;
        assert_eq!(r.status(), 400, "{bad}");
    }
    let one = get_json(&s, &format!("/api/v1/advisories/{id}?limit=1"), &t).await;
    assert_eq!(one["total"].as_u64().unwrap(), want.len() as u64);
    assert_eq!(one["findings"].as_array().unwrap().len(), 1.min(want.len()));

    // Findings: every one once, by key; the filters count like the store's records do.
    let all = walk(&s, "/api/v1/findings", 7, &t).await;
    let mut keys: Vec<String> = findings.iter().map(|f| f.key.clone()).collect();
    keys.sort();
    assert_eq!(strings(&all, "key"), keys);
    // Each with its detail as the store holds it (the server keeps no details in memory:
    // it reads those of the page).
    for item in &all {
        let key = item["key"].as_str().unwrap();
        let f = findings.iter().find(|f| f.key == key).unwrap();
        assert_eq!(item["detail"], f.detail.to_value().unwrap(), "{key}");
        assert!(
            item["detail"].as_object().is_some_and(|d| !d.is_empty()),
            "{key}"
        );
    }
    for family in ["vulnerability", "lifecycle", "licence"] {
        let page = get_json(&s, &format!("/api/v1/findings?family={family}&limit=1"), &t).await;
        let want = findings.iter().filter(|f| f.family.id() == family).count() as u64;
        assert_eq!(page["total"].as_u64().unwrap(), want, "{family}");
    }
    let kev = get_json(&s, "/api/v1/findings?known_exploited=true&limit=1", &t).await;
    assert_eq!(
        kev["total"].as_u64().unwrap(),
        findings.iter().filter(|f| f.known_exploited).count() as u64
    );
    let open = get_json(&s, "/api/v1/findings?state=open&limit=1", &t).await;
    assert_eq!(open["total"].as_u64().unwrap(), findings.len() as u64);
}

#[tokio::test]
async fn a_triage_through_the_api_reaches_the_register_and_the_audit_log() {
    let Some(s) = server().await else { return };
    let read = token(&s, vec![TokenScope::Read], None);
    let triage = token(&s, vec![TokenScope::Triage], None);
    let store = s.store();
    let latest = store.latest().unwrap();
    let finding = store.findings(latest).unwrap().remove(0);
    let body = json!({
        "target": finding.key,
        "state": "accepted_risk",
        "until": "2099-12-31",
        "reason": "tolerated until the rewrite",
    })
    .to_string();
    let post = |tok: &str, body: String| {
        Request::post("/api/v1/triage")
            .header(header::AUTHORIZATION, format!("Bearer {tok}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body))
            .unwrap()
    };
    // A read token may not decide.
    let r = s.send(post(&read, body.clone())).await;
    assert_eq!(r.status(), 403);
    assert_eq!(
        r.headers()[header::CONTENT_TYPE],
        "application/problem+json"
    );

    let r = s.send(post(&triage, body.clone())).await;
    assert_eq!(r.status(), 201);
    let recorded: Value = serde_json::from_str(&text(r).await).unwrap();
    assert_eq!(recorded["keys"], json!([finding.key]));
    let by = recorded["by"].as_str().unwrap().to_owned();
    assert!(by.starts_with("token:"), "{by}");

    // In the register (what `vigie triage list -f json` reads) and the history.
    let history = store.triage_history(Some(&finding.key)).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].input.by, by);
    assert_eq!(history[0].input.state.as_str(), "accepted_risk");
    let listed = walk(&s, "/api/v1/triage", 10, &read).await;
    assert_eq!(strings(&listed, "finding_key"), [finding.key.as_str()]);
    let f = get_json(&s, "/api/v1/findings?state=accepted_risk", &read).await;
    assert_eq!(
        strings(f["items"].as_array().unwrap(), "key"),
        [finding.key.as_str()]
    );
    // In the audit log.
    let recorded = |s: &TestServer| {
        s.audit_actions()
            .iter()
            .filter(|a| *a == "triage.record")
            .count()
    };
    assert_eq!(recorded(&s), 1, "one audit entry per decision");

    // A decision on nothing, or with a bad state, is refused and records nothing.
    let r = s
        .send(post(
            &triage,
            json!({"target": "nothing", "state": "exploitable", "reason": "x"}).to_string(),
        ))
        .await;
    assert_eq!(r.status(), 422);
    let r = s
        .send(post(
            &triage,
            json!({"target": finding.key, "state": "maybe", "reason": "x"}).to_string(),
        ))
        .await;
    assert_eq!(r.status(), 400);
    let p: Value = serde_json::from_str(&text(r).await).unwrap();
    assert_eq!(p["parameter"], "state");
    assert_eq!(store.triage_history(None).unwrap().len(), 1);
    assert_eq!(recorded(&s), 1);
}

#[tokio::test]
async fn etags_problems_and_bad_parameters() {
    let Some(s) = server().await else { return };
    let t = token(&s, vec![TokenScope::Read], None);

    // ETag: the same read again with If-None-Match is a 304 without a body.
    let r = call(&s, "/api/v1/projects?limit=3", &t).await;
    let etag = r.headers()[header::ETAG].to_str().unwrap().to_owned();
    assert!(etag.starts_with('"') && !etag.starts_with("W/"));
    let again = s
        .send(
            Request::get("/api/v1/projects?limit=3")
                .header("x-api-key", &t)
                .header(header::IF_NONE_MATCH, &etag)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status(), 304);
    assert_eq!(again.headers()[header::ETAG], etag.as_str());
    assert!(text(again).await.is_empty());
    // Another query, another tag.
    let other = call(&s, "/api/v1/projects?limit=4", &t).await;
    assert_ne!(other.headers()[header::ETAG], etag.as_str());

    // Problems: without credentials, on an unknown path, with bad parameters, forged cursors.
    let problem = |r: Response<Body>| async move {
        assert_eq!(
            r.headers()[header::CONTENT_TYPE],
            "application/problem+json"
        );
        let status = r.status().as_u16();
        let p: Value = serde_json::from_str(&text(r).await).unwrap();
        assert_eq!(p["status"], status);
        assert!(p["type"].is_string() && p["title"].is_string());
        p
    };
    let anon = s.get("/api/v1/projects", None).await;
    assert_eq!(anon.status(), 401);
    let p = problem(anon).await;
    assert_eq!(p["instance"], "/api/v1/projects");
    let p = problem(call(&s, "/api/v1/nothing-here", &t).await).await;
    assert_eq!(p["status"], 404);
    for (uri, param) in [
        ("/api/v1/projects?limit=0", "limit"),
        ("/api/v1/projects?limit=501", "limit"),
        ("/api/v1/projects?limit=x", "limit"),
        ("/api/v1/projects?after=bm90IGEgY3Vyc29y", "after"),
        ("/api/v1/projects?after=%%%", "after"),
        ("/api/v1/projects?after=eyJrIjoxfQ", "after"),
        ("/api/v1/projects?colour=red", "colour"),
        ("/api/v1/findings?rating=severe", "rating"),
        ("/api/v1/findings?known_exploited=maybe", "known_exploited"),
        ("/api/v1/projects?snapshot=x", "snapshot"),
        ("/api/v1/who-uses", "q"),
        ("/api/v1/reports/1?format=pdf", "format"),
        ("/api/v1/snapshots/x", "id"),
    ] {
        let r = call(&s, uri, &t).await;
        assert_eq!(r.status(), 400, "{uri}");
        let p = problem(r).await;
        assert_eq!(p["parameter"], param, "{uri}: {p}");
    }
    let r = call(&s, "/api/v1/projects?snapshot=999", &t).await;
    assert_eq!(r.status(), 404);
    problem(r).await;
}

#[tokio::test]
async fn reports_risks_snapshots_and_catalog() {
    let Some(s) = server().await else { return };
    let t = token(&s, vec![TokenScope::Read], None);
    let store = s.store();
    let latest = store.latest().unwrap();

    // The JSON report is `vigie report -f json`'s bytes: the same core call, the same day.
    let r = call(&s, &format!("/api/v1/reports/{latest}?format=json"), &t).await;
    assert_eq!(r.status(), 200);
    assert!(
        r.headers()[header::CONTENT_DISPOSITION]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let got = text(r).await;
    let scope = vigie_app::report::scope(&*store, Some(latest), None).unwrap();
    let analyses = vigie_app::report::analyse_scope(&*store, scope).unwrap();
    let mut want = serde_json::to_string_pretty(&analyses.json()).unwrap();
    want.push('\n');
    assert_eq!(got, want);
    for (format, start) in [
        ("csv", ""),
        ("sarif", "{"),
        ("cyclonedx", "{"),
        ("markdown", "#"),
        ("html", "<!DOCTYPE html>"),
    ] {
        let r = call(
            &s,
            &format!("/api/v1/reports/{latest}?format={format}&lang=fr"),
            &t,
        )
        .await;
        assert_eq!(r.status(), 200, "{format}");
        let body = text(r).await;
        assert!(body.starts_with(start) && !body.is_empty(), "{format}");
    }

    // Risks and actions: the analysis's, every one once.
    let risks = walk(&s, "/api/v1/risks", 3, &t).await;
    let mut want: Vec<String> = analyses
        .now
        .analysis
        .register
        .risks
        .iter()
        .map(|r| r.key.clone())
        .collect();
    let mut got = strings(&risks, "key");
    let scores: Vec<u64> = risks.iter().map(|r| r["score"].as_u64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "highest score first"
    );
    want.sort();
    got.sort();
    assert_eq!(got, want);
    let actions = walk(&s, "/api/v1/actions", 2, &t).await;
    assert_eq!(actions.len(), analyses.now.analysis.actions.len());
    // A list gives counts; the risk or action alone gives its lists whole, and the findings
    // API pages through exactly those findings.
    for (list, whole, filter) in [
        (&risks, "/api/v1/risks", "risk"),
        (&actions, "/api/v1/actions", "action"),
    ] {
        let item = list
            .iter()
            .max_by_key(|i| i["findings_count"].as_u64().unwrap())
            .unwrap();
        assert!(
            item.get("findings").is_none(),
            "no finding list in a list: {item}"
        );
        let key = item["key"].as_str().unwrap();
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s, percent_encoding::NON_ALPHANUMERIC).to_string()
        };
        let one = get_json(&s, &format!("{whole}/{}", enc(key)), &t).await;
        let mut keys: Vec<String> = one["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(keys.len() as u64, item["findings_count"].as_u64().unwrap());
        assert_eq!(
            one["projects"].as_array().unwrap().len() as u64,
            item["projects_count"].as_u64().unwrap()
        );
        let paged = walk(
            &s,
            &format!("/api/v1/findings?{filter}={}", enc(key)),
            2,
            &t,
        )
        .await;
        let mut got = strings(&paged, "key");
        keys.sort();
        got.sort();
        assert_eq!(got, keys, "{filter} {key}");
        let r = call(&s, &format!("{whole}/no-such-key"), &t).await;
        assert_eq!(r.status(), 404);
        // A key that names nothing is the caller's to fix, named.
        let r = call(&s, &format!("/api/v1/findings?{filter}=no-such-key"), &t).await;
        assert_eq!(r.status(), 400);
        assert!(text(r).await.contains(filter));
    }

    // Snapshots.
    let snapshots = walk(&s, "/api/v1/snapshots", 1, &t).await;
    assert_eq!(snapshots.len(), store.snapshots().unwrap().len());
    let one = get_json(&s, &format!("/api/v1/snapshots/{latest}"), &t).await;
    assert_eq!(
        one["projects"],
        store.project_paths(latest).unwrap().len() as u64
    );

    // The catalog.
    let catalog = store.catalog(latest).unwrap();
    let entities = walk(&s, "/api/v1/catalog/entities", 4, &t).await;
    let mut want: Vec<String> = catalog
        .entities
        .iter()
        .map(|e| e.entity_ref.clone())
        .collect();
    want.sort();
    assert_eq!(strings(&entities, "entity_ref"), want);
    let systems = get_json(&s, "/api/v1/catalog/entities?kind=system&limit=1", &t).await;
    assert_eq!(
        systems["total"].as_u64().unwrap(),
        catalog
            .entities
            .iter()
            .filter(|e| e.kind.eq_ignore_ascii_case("system"))
            .count() as u64
    );
    let first = &want[0];
    let encoded = first.replace(':', "%3A").replace('/', "%2F");
    let one = get_json(&s, &format!("/api/v1/catalog/entities/{encoded}"), &t).await;
    assert_eq!(one["entity"]["entity_ref"], first.as_str());
}
