//! `vigie licences`, `vigie notice` and the licence check of `vigie audit`
//! end to end, on a project laid out by hand in a temporary folder. Every
//! expected value is worked out from the fixture: the lockfile's and
//! `node_modules`' licences, the preset table (AGPL in a network service:
//! denied; in a distributed binary: review, ship source), the FSF's
//! compatibility rules (AGPL cannot ship in an Apache-2.0 work), and the SPDX
//! texts (the MIT text says "Permission is hereby granted").

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common;
use common::{data_dir, json_of, validate, workspace};

fn run_in(dir: &Path, data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", data)
        .output()
        .expect("vigie runs")
}

/// A data directory synced from a mirror holding only the SPDX files (and
/// the texts when `texts`), once per test binary and kind.
fn synced(texts: bool) -> Option<&'static Path> {
    static WITH: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    static WITHOUT: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    let cell = if texts { &WITH } else { &WITHOUT };
    cell.get_or_init(|| {
        let data = data_dir()?;
        let mirror = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(mirror.path().join("osv")).unwrap();
        std::fs::create_dir_all(mirror.path().join("spdx")).unwrap();
        let mut files = vec!["licenses.json", "exceptions.json"];
        if texts {
            files.push("details.tar.gz");
        }
        for f in files {
            std::fs::copy(
                data.join("spdx").join(f),
                mirror.path().join("spdx").join(f),
            )
            .unwrap();
        }
        let dir = tempfile::tempdir().unwrap();
        let out = run_in(
            &workspace(),
            dir.path(),
            &["sync", "-q", "--mirror", mirror.path().to_str().unwrap()],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        Some(dir)
    })
    .as_ref()
    .map(|d| d.path())
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The estate: one npm project `app` (own licence Apache-2.0) with four
/// dependencies; `c` has its licence only in `node_modules`.
fn estate(config: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let r = t.path();
    write(
        r,
        "app/package.json",
        r#"{"name":"app","version":"1.0.0","license":"Apache-2.0","dependencies":{"a":"^1","b":"^2","c":"^1","d":"^1"}}"#,
    );
    write(
        r,
        "app/package-lock.json",
        r#"{"name":"app","version":"1.0.0","lockfileVersion":3,"requires":true,"packages":{
  "":{"name":"app","version":"1.0.0","license":"Apache-2.0","dependencies":{"a":"^1","b":"^2","c":"^1","d":"^1"}},
  "node_modules/a":{"version":"1.0.0","license":"MIT"},
  "node_modules/b":{"version":"2.0.0","license":"AGPL-3.0-only"},
  "node_modules/c":{"version":"1.0.0"},
  "node_modules/d":{"version":"1.0.0","license":"(MIT OR GPL-3.0-only)"}
}}"#,
    );
    write(
        r,
        "app/node_modules/c/package.json",
        r#"{"name":"c","version":"1.0.0","license":"ISC"}"#,
    );
    write(
        r,
        "app/node_modules/c/LICENSE",
        "ISC License\n\nCopyright (c) 2019 Carol Example\n",
    );
    write(r, "vigie.toml", config);
    t
}

fn components(v: &Value) -> Vec<(String, Value)> {
    v["projects"][0]["licences"]["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap().to_owned(), c.clone()))
        .collect()
}

fn findings(licences: &Value, name: &str) -> Vec<String> {
    let comps = licences["components"].as_array().unwrap();
    let mut out: Vec<String> = licences["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| comps[f["component"].as_u64().unwrap() as usize]["name"] == name)
        .map(|f| f["check"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

#[test]
fn licences_json_with_a_network_service_model() {
    let Some(data) = synced(true) else { return };
    let t = estate("[[licences.project]]\npath = \"app\"\nmodel = \"network-service\"\n");
    let out = run_in(t.path(), data, &["licences", "-q", "-f", "json", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    let l = &v["projects"][0]["licences"];
    assert_eq!(l["model"], "network-service");
    assert!(l.get("assumption").is_none());
    // package.json's ranges are the lockfile's packages: 4 components, all known.
    assert_eq!(
        (
            l["components_total"].as_u64(),
            l["components_known"].as_u64()
        ),
        (Some(4), Some(4))
    );
    assert_eq!(l["own_licence"]["licence"], "Apache-2.0");
    let c: std::collections::HashMap<_, _> = components(&v).into_iter().collect();
    assert_eq!(c["a"]["expression"], "MIT");
    assert_eq!(c["b"]["verdict"], "denied");
    assert_eq!(c["c"]["expression"], "ISC");
    assert_eq!(c["c"]["statements"][0]["kind"], "node-modules");
    assert_eq!(c["c"]["copyright"][0], "Copyright (c) 2019 Carol Example");
    assert_eq!(c["d"]["chosen"], "MIT");
    assert_eq!(findings(l, "b"), ["denied"]);
    assert_eq!(l["categories"]["permissive"], 3);
    assert_eq!(l["categories"]["network-copyleft"], 1);
}

#[test]
fn audit_reports_licence_findings_in_json_sarif_and_fails_on_denied() {
    let Some(data) = synced(true) else { return };
    let Some(shared) = data_dir() else { return };
    // Default model (distributed binary, stated as an assumption), MIT denied.
    let t = estate("[licences]\ndeny = [\"MIT\"]\n");
    let out = run_in(
        t.path(),
        data,
        &["audit", "-q", "--checks", "licences", "-f", "json", "."],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json_of(&out);
    validate(
        &workspace().join("docs/schemas/audit.v1.schema.json"),
        &[],
        &v,
    );
    let l = &v["projects"][0]["licences"];
    assert_eq!(l["model"], "distributed-binary");
    assert!(l["assumption"][0].as_str().unwrap().contains("assumes"));
    assert_eq!(findings(l, "a"), ["denied"]);
    // AGPL shipped in a product: review, ship the source; and it cannot go
    // into an Apache-2.0 work.
    assert_eq!(
        findings(l, "b"),
        ["copyleft-obligation", "incompatible", "needs-review"]
    );
    // MIT denied: d keeps GPL-3.0-only, whose source obligation applies,
    // and which cannot go into an Apache-2.0 work either.
    let comps = l["components"].as_array().unwrap();
    let d = comps.iter().find(|c| c["name"] == "d").unwrap();
    assert_eq!(d["chosen"], "GPL-3.0-only");
    assert_eq!(v["summary"]["licence_components"], 4);
    assert_eq!(v["summary"]["licence_known"], 4);

    let out = run_in(
        t.path(),
        data,
        &["audit", "-q", "--checks", "licences", "-f", "sarif", "."],
    );
    let sarif = json_of(&out);
    validate(
        &shared.join("schemas/sarif/sarif-schema-2.1.0.json"),
        &[],
        &sarif,
    );
    let ids: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"licence/denied"), "{ids:?}");
    assert_eq!(ids.len() as u64, v["summary"]["licences"].as_u64().unwrap());

    let out = run_in(
        t.path(),
        data,
        &[
            "audit",
            "-q",
            "--checks",
            "licences",
            "--fail-on",
            "high",
            ".",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let md = run_in(
        t.path(),
        data,
        &["audit", "-q", "--checks", "licences", "-f", "markdown", "."],
    );
    let md = String::from_utf8_lossy(&md.stdout);
    assert!(md.contains("| licence denied | a | 1.0.0 | MIT |"), "{md}");
}

#[test]
fn csv_has_one_row_per_component() {
    let Some(data) = synced(true) else { return };
    let t = estate("");
    let out = run_in(t.path(), data, &["licences", "-q", "-f", "csv", "."]);
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("project,path,ecosystem,name,version,purl,licence"));
    assert_eq!(lines.len(), 1 + 4, "{text}");
    assert!(
        lines.iter().any(|l| l
            .starts_with("app,app,npm,c,1.0.0,pkg:npm/c@1.0.0,ISC,ISC,exact,permissive,allowed")),
        "{text}"
    );
}

#[test]
fn notice_lists_components_copyrights_and_texts() {
    let Some(data) = synced(true) else { return };
    let t = estate("");
    let out = run_in(t.path(), data, &["notice", "-q", "-o", "NOTICE.txt", "."]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = std::fs::read_to_string(t.path().join("NOTICE.txt")).unwrap();
    assert!(n.starts_with("THIRD-PARTY SOFTWARE NOTICES"));
    assert!(n.contains("  - a 1.0.0 (pkg:npm/a@1.0.0)"), "{n}");
    assert!(n.contains("      Copyright (c) 2019 Carol Example"), "{n}");
    assert!(
        n.contains("Permission is hereby granted, free of charge"),
        "{n}"
    );
    assert!(n.contains("GNU AFFERO GENERAL PUBLIC LICENSE"), "{n}");
    assert!(!n.contains("WARNING"));
    let fr = run_in(t.path(), data, &["notice", "-q", "--lang", "fr", "."]);
    assert!(String::from_utf8_lossy(&fr.stdout).starts_with("MENTIONS DES LOGICIELS TIERS"));
}

#[test]
fn notice_says_when_texts_are_missing() {
    let Some(data) = synced(false) else { return };
    let t = estate("");
    let out = run_in(t.path(), data, &["notice", "."]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("WARNING: the licence texts are missing")
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("licence texts missing"));
}

#[test]
fn a_bad_policy_entry_names_the_file_and_line() {
    let Some(data) = synced(true) else { return };
    let t = estate("[licences]\nallow = [\"MIT\"]\ndeny = [\"NOT A LICENCE(\"]\n");
    let out = run_in(t.path(), data, &["licences", "."]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("vigie.toml:3:"), "{err}");
    let t = estate("[licences]\ndefault-model = \"saas\"\n");
    let out = run_in(t.path(), data, &["licences", "."]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("vigie.toml:2"), "{err}");
}
