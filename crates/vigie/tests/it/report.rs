//! `vigie report` end to end: the example estate scanned into a store, the report in HTML
//! (English and French), Markdown, JSON (risk.v1 schema), CSV; escaping of names from scanned
//! files; the trend between two scans; the HTML in headless Chromium and the PDF.
//!
//! Expected risks are worked out by hand from docs/risk-model.md and the example's files:
//! `storefront/Dockerfile` runs `nginx:1.18-alpine`; nginx 1.18 reached its end of life on
//! 2021-04-20 (endoflife.date), 2,046 days before 2026-11-26, so likelihood 5 (≥ 1,095 days);
//! storefront belongs to system `webshop`, criticality 5, so impact 5: score 25, critical.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use serde_json::Value;

use crate::common;
use common::{ok, run, synced, validate, workspace};

const TODAY: &str = "2026-11-26";

fn scan(data: &Path, db: &Path, root: &Path) {
    ok(run(
        data,
        &[
            "scan",
            root.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
            "--today",
            TODAY,
            "--horizon-days",
            "730",
        ],
    ));
}

/// The example estate scanned once: (data dir, database).
fn acme() -> Option<(&'static Path, PathBuf)> {
    static DB: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    let data = synced()?;
    let dir = DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        scan(
            data,
            &dir.path().join("acme.db"),
            Path::new("examples/acme"),
        );
        Some(dir)
    });
    dir.as_ref().map(|d| (data, d.path().join("acme.db")))
}

fn report(data: &Path, db: &Path, extra: &[&str]) -> String {
    let mut args = vec!["report", "--db", db.to_str().unwrap(), "--today", TODAY];
    args.extend_from_slice(extra);
    String::from_utf8(ok(run(data, &args)).stdout).unwrap()
}

#[test]
fn html_in_english_and_french() {
    let Some((data, db)) = acme() else { return };
    let en = report(data, &db, &["--lang", "en"]);
    for title in [
        "Executive summary",
        "Heat map",
        "End-of-life timeline, next 24 months",
        "Licence posture",
        "Risks per system",
        "Risks per owner",
    ] {
        assert!(en.contains(title), "no {title:?}");
    }
    // The hand-worked risk of the module doc, and the example's own platforms.
    assert!(en.contains("nginx 1.18: end of life passed, in 1 project of Web shop"));
    assert!(en.contains("Node.js 14"));
    assert!(!en.to_ascii_lowercase().contains("<script"));
    let fr = report(data, &db, &["--lang", "fr"]);
    for title in [
        "Synthèse",
        "Cartographie des risques",
        "Calendrier des fins de vie, 24 prochains mois",
        "Risques par système",
    ] {
        assert!(fr.contains(title), "no {title:?}");
    }
    assert!(fr.contains("nginx 1.18"));
    assert!(!fr.to_ascii_lowercase().contains("<script"));
}

#[test]
fn markdown_report() {
    let Some((data, db)) = acme() else { return };
    let md = report(data, &db, &["-f", "md"]);
    assert!(md.starts_with('#'), "{}", &md[..md.len().min(200)]);
    assert!(md.contains("| "));
    assert!(md.contains("nginx 1.18"));
    // The findings' appendix lists the most severe first: its ratings, in order, never rise.
    let rank = |r: &str| {
        ["Unrated", "Low", "Medium", "High", "Critical"]
            .iter()
            .position(|w| *w == r)
    };
    let table = md
        .split("| Identifier | Rating | Component | Project | Title |")
        .nth(1)
        .expect("the findings' appendix");
    let ratings: Vec<usize> = table
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with("| "))
        .map(|l| {
            let rating = l.split(" | ").nth(1).unwrap();
            rank(rating).unwrap_or_else(|| panic!("a rating: {l}"))
        })
        .collect();
    assert!(ratings.len() > 100, "{}", ratings.len());
    assert!(ratings.windows(2).all(|w| w[0] >= w[1]), "{ratings:?}");
    assert_eq!(ratings.first(), Some(&4), "a critical finding first");
}

#[test]
fn json_validates_and_csv_has_one_row_per_risk() {
    let Some((data, db)) = acme() else { return };
    let doc: Value = serde_json::from_str(&report(data, &db, &["-f", "json"])).unwrap();
    validate(
        &workspace().join("docs/schemas/risk.v1.schema.json"),
        &[],
        &doc["analysis"],
    );
    let risks = doc["analysis"]["register"]["risks"].as_array().unwrap();
    let nginx = risks
        .iter()
        .find(|r| r["key"] == "lifecycle:nginx 1.18@system:default/webshop")
        .expect("the nginx 1.18 risk");
    // By hand (module doc): 5 × 5.
    assert_eq!(
        (nginx["likelihood"].as_u64(), nginx["impact"].as_u64()),
        (Some(5), Some(5))
    );
    assert_eq!(nginx["level"], "critical");
    assert!(doc["trend"].is_null(), "one snapshot: no trend");

    let csv = report(data, &db, &["-f", "csv"]);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("key,level,score,likelihood,impact,"));
    // Quoted cells hold no line break here, so lines are rows.
    assert_eq!(lines.len() - 1, risks.len());
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("lifecycle:nginx 1.18@system:default/webshop,critical,25,5,5,"))
    );
    let findings = report(data, &db, &["-f", "csv-findings"]);
    // Another count of the same findings: every active finding is in at least one risk
    // of the register (one per system it is in), so the distinct keys of the risks are the
    // findings; none is set aside by triage here. A third count: the findings of the
    // snapshot in `vigie export`.
    let keys: std::collections::BTreeSet<&str> = risks
        .iter()
        .flat_map(|r| r["findings"].as_array().unwrap())
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(findings.lines().count() - 1, keys.len());
    let export: Value =
        serde_json::from_slice(&ok(run(data, &["export", "--db", db.to_str().unwrap()])).stdout)
            .unwrap();
    let stored: usize = export["snapshots"][0]["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["findings"].as_array().unwrap().len())
        .sum();
    assert!(stored > 100, "the example has findings: {stored}");
    assert_eq!(keys.len(), stored);
    assert!(
        findings
            .lines()
            .next()
            .unwrap()
            .starts_with("key,family,id,rating")
    );
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[test]
fn names_from_scanned_files_are_escaped() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let evil = "<script>alert(1)</script>";
    let lock = serde_json::json!({
        "name": "app", "version": "1.0.0", "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "version": "1.0.0", "dependencies": {evil: "1.0.0"}},
            format!("node_modules/{evil}"): {"version": "1.0.0"}
        }
    });
    write(
        &dir.path().join("estate/app/package-lock.json"),
        &lock.to_string(),
    );
    let db = dir.path().join("s.db");
    scan(data, &db, &dir.path().join("estate"));
    for f in [&["-f", "html"][..], &["-f", "md"][..]] {
        let out = report(data, &db, f);
        assert!(!out.contains(evil), "raw tag in {f:?}");
        assert!(!out.to_ascii_lowercase().contains("<script"), "{f:?}");
    }
    let html = report(data, &db, &["-f", "html"]);
    // The licence check reports the component (no licence found, named in the project's
    // unknown-licence finding): it is in the appendix.
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "not shown escaped"
    );
}

#[test]
fn trend_counts_a_resolved_risk() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let req = dir.path().join("estate/app/requirements.txt");
    let db = dir.path().join("t.db");
    // celery 5.1.2 is hit by PYSEC-2021-858 (CVE-2021-23727), fixed in 5.2.2.
    write(&req, "celery==5.1.2\n");
    scan(data, &db, &dir.path().join("estate"));
    write(&req, "celery==5.2.2\n");
    scan(data, &db, &dir.path().join("estate"));
    let doc: Value = serde_json::from_str(&report(data, &db, &["-f", "json"])).unwrap();
    let t = &doc["trend"];
    assert_eq!(t["resolved"], 1, "{t}");
    assert_eq!(t["new"], 0, "{t}");
    let entries = t["entries"].as_array().unwrap();
    assert!(
        entries
            .iter()
            .any(|e| e["change"] == "resolved"
                && e["key"].as_str().unwrap().contains("CVE-2021-23727")),
        "{t}"
    );
    let html = report(data, &db, &[]);
    assert!(html.contains("#1 ("), "previous snapshot named");
    // The older snapshot on its own has no previous one: no trend.
    let first: Value =
        serde_json::from_str(&report(data, &db, &["-f", "json", "--snapshot", "1"])).unwrap();
    assert!(first["trend"].is_null());
}

fn chromium() -> bool {
    let found = Command::new("chromium").arg("--version").output().is_ok();
    if !found {
        if std::env::var("VIGIE_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("chromium is required (VIGIE_REQUIRE_CHROMIUM=1) but not found");
        }
        eprintln!("\n!!! SKIPPED: chromium not found !!!\n");
    }
    found
}

#[test]
fn html_in_headless_chromium_and_pdf() {
    let Some((data, db)) = acme() else { return };
    if !chromium() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("r.html");
    ok(run(
        data,
        &[
            "report",
            "--db",
            db.to_str().unwrap(),
            "--today",
            TODAY,
            "-o",
            html.to_str().unwrap(),
        ],
    ));
    let shot = dir.path().join("shot.png");
    let out = Command::new("chromium")
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--screenshot={}", shot.display()))
        .arg("--window-size=1280,2000")
        .arg(format!("file://{}", html.display()))
        .output()
        .unwrap();
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(shot.is_file(), "no screenshot: {log}");
    assert!(std::fs::metadata(&shot).unwrap().len() > 10_000);
    // Console messages of the page are logged as `CONSOLE(...)` / `:CONSOLE:` lines.
    assert!(!log.contains("CONSOLE"), "console output: {log}");
    if let Ok(keep) = std::env::var("VIGIE_SCREENSHOT_DIR") {
        let _ = std::fs::copy(&shot, Path::new(&keep).join("report.png"));
    }

    let pdf = dir.path().join("r.pdf");
    ok(run(
        data,
        &[
            "report",
            "--db",
            db.to_str().unwrap(),
            "--today",
            TODAY,
            "--lang",
            "fr",
            "-f",
            "pdf",
            "-o",
            pdf.to_str().unwrap(),
        ],
    ));
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    if let Ok(info) = Command::new("pdfinfo").arg(&pdf).output() {
        let text = String::from_utf8_lossy(&info.stdout);
        let pages: u32 = text
            .lines()
            .find_map(|l| l.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or(0);
        assert!(pages > 1, "pages: {text}");
    }
}

#[test]
fn pdf_without_chromium_says_what_is_missing() {
    let Some((data, db)) = acme() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["report", "--db", db.to_str().unwrap(), "-f", "pdf", "-o"])
        .arg(dir.path().join("x.pdf"))
        .current_dir(workspace())
        .env("VIGIE_DATA_DIR", data)
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("chromium"));
}

#[test]
fn triage_sets_findings_aside_until_an_acceptance_expires() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("g.db");
    write(
        &dir.path().join("estate/app/requirements.txt"),
        "celery==5.1.2\n",
    );
    scan(data, &db, &dir.path().join("estate"));
    let dbs = db.to_str().unwrap();
    let vuln_risks = |doc: &Value| {
        doc["analysis"]["register"]["risks"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["family"] == "vulnerability")
            .count()
    };
    let json = || -> Value { serde_json::from_str(&report(data, &db, &["-f", "json"])).unwrap() };
    assert_eq!(vuln_risks(&json()), 1);
    let triage = |extra: &[&str]| {
        let mut args = vec![
            "triage",
            "CVE-2021-23727",
            "--db",
            dbs,
            "--reason",
            "test",
            "--by",
            "t",
        ];
        args.extend_from_slice(extra);
        ok(run(data, &args));
    };
    triage(&[
        "--state",
        "not-affected",
        "--justification",
        "code-not-reachable",
    ]);
    assert_eq!(vuln_risks(&json()), 0);
    let csv = report(data, &db, &["-f", "csv-findings"]);
    assert!(
        csv.lines()
            .any(|l| l.contains("PYSEC-2021-858") && l.ends_with(",not_affected"))
    );
    assert!(report(data, &db, &[]).contains("[not_affected]"));
    // An acceptance that ended before the report's day counts again.
    triage(&["--state", "accepted-risk", "--until", "2026-01-31"]);
    assert_eq!(vuln_risks(&json()), 1);
    triage(&["--state", "accepted-risk", "--until", "2027-01-31"]);
    assert_eq!(vuln_risks(&json()), 0);
}

#[test]
fn licence_posture_counts_every_component_the_licence_check_saw() {
    // The independent count: `vigie licences` on the same example, its per-project
    // categories summed; the report's table must give the same number per category.
    let Some((data, db)) = acme() else { return };
    let out = ok(run(data, &["licences", "examples/acme", "-f", "json"]));
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let mut expected: std::collections::BTreeMap<String, u64> = Default::default();
    for p in doc["projects"].as_array().unwrap() {
        for (c, n) in p["licences"]["categories"].as_object().unwrap() {
            *expected.entry(c.clone()).or_default() += n.as_u64().unwrap();
        }
    }
    assert!(
        expected.len() > 1,
        "the example has several categories: {expected:?}"
    );
    let md = report(data, &db, &["-f", "md", "--lang", "en"]);
    let labels = [
        ("public-domain", "Public domain"),
        ("permissive", "Permissive"),
        ("weak-copyleft", "Weak copyleft"),
        ("strong-copyleft", "Strong copyleft"),
        ("network-copyleft", "Network copyleft"),
        ("unknown", "Unknown"),
    ];
    let mut checked = 0;
    for (id, n) in &expected {
        let Some((_, label)) = labels.iter().find(|(i, _)| i == id) else {
            continue;
        };
        let row = format!("| {label} | {n} |");
        assert!(md.contains(&row), "no row {row:?} in:\n{md}");
        checked += 1;
    }
    assert!(checked >= 2, "{expected:?}");
}

#[test]
fn every_stored_finding_of_acme_reads_back_typed() {
    let Some((data, db)) = acme() else { return };
    let store = vigie_store::open(
        &vigie_store::Location::path(&db),
        vigie_store::Mode::ReadOnly,
    )
    .unwrap();
    let snapshot = store.latest().unwrap();
    let findings = store.findings(snapshot).unwrap();
    // The independent count: the families of the records of `vigie export`'s JSON.
    let export: Value =
        serde_json::from_slice(&ok(run(data, &["export", "--db", db.to_str().unwrap()])).stdout)
            .unwrap();
    let mut exported = std::collections::BTreeMap::<String, usize>::new();
    fn walk(v: &Value, out: &mut std::collections::BTreeMap<String, usize>) {
        match v {
            Value::Object(m) => {
                if let (Some(Value::String(f)), Some(Value::Object(_))) =
                    (m.get("family"), m.get("json"))
                {
                    *out.entry(f.clone()).or_default() += 1;
                }
                m.values().for_each(|x| walk(x, out));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&export, &mut exported);
    let mut typed = std::collections::BTreeMap::<String, usize>::new();
    for f in &findings {
        use vigie_findings::Detail;
        match &f.detail {
            Detail::Vulnerability(d) => {
                assert_eq!(
                    f.purl.as_deref(),
                    Some(d.component.purl.as_str()),
                    "{}",
                    f.key
                );
                assert!(d.finding.is_known_as(&f.id), "{}", f.key);
            }
            Detail::Lifecycle(d) => assert!(f.id.ends_with(&d.finding.product), "{}", f.key),
            Detail::Licence(d) => assert_eq!(f.purl.as_ref(), Some(&d.component.purl)),
            Detail::UnknownLicences(d) => assert!(d.unknown > 0 && !d.examples.is_empty()),
            Detail::Unparsed(v) => panic!("{}: not read as its family's detail: {v}", f.key),
        }
        *typed.entry(f.family.id().to_owned()).or_default() += 1;
    }
    // The export holds every snapshot; acme() stores one.
    assert_eq!(store.snapshots().unwrap().len(), 1);
    assert_eq!(typed, exported);
    assert!(typed.len() >= 3, "{typed:?}");
}
