//! `vigie reaudit` (issue 17): after a sync, the latest snapshot's stored components are
//! matched again without reading the repositories. The truth it is held to is a fresh scan
//! of the same estate with the same index: the same vulnerability findings, whole (rating,
//! fix, exploitation, the file and line of each component); the lifecycle and licence
//! findings, the projects and the components carried unchanged; and a diff that is exactly
//! what the new knowledge added.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common::{data_dir, json_of, ok, run};

/// A mirror with the reference data's KEV, endoflife.date and SPDX files and only the PyPI
/// advisories: the index before the sync that brings the rest.
fn pypi_only_mirror(full: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["kev", "endoflife", "spdx", "osv/PyPI"] {
        let (from, to) = (full.join(sub), dir.path().join(sub));
        std::fs::create_dir_all(&to).unwrap();
        for e in std::fs::read_dir(&from).unwrap() {
            let e = e.unwrap();
            if e.file_type().unwrap().is_file() {
                std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
            }
        }
    }
    dir
}

/// Every finding of snapshot `id` of the export `export`, by key.
fn findings_of(export: &Value, id: i64) -> BTreeMap<String, Value> {
    let snapshot = export["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap_or_else(|| panic!("no snapshot {id}"));
    let mut out = BTreeMap::new();
    for p in snapshot["projects"].as_array().unwrap() {
        for f in p["findings"].as_array().unwrap() {
            out.insert(f["key"].as_str().unwrap().to_owned(), f.clone());
        }
    }
    out
}

/// The projects of snapshot `id` (path, name, files, components), without their findings.
fn projects_of(export: &Value, id: i64) -> Vec<Value> {
    let snapshot = export["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap();
    snapshot["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let mut p = p.clone();
            p.as_object_mut().unwrap().remove("findings");
            p
        })
        .collect()
}

fn family(findings: &BTreeMap<String, Value>, vulnerabilities: bool) -> BTreeMap<String, Value> {
    findings
        .iter()
        .filter(|(_, f)| (f["family"] == "vulnerability") == vulnerabilities)
        .map(|(k, f)| (k.clone(), f.clone()))
        .collect()
}

#[test]
fn a_reaudit_after_a_sync_finds_what_a_fresh_scan_finds_without_reading_the_files() {
    let Some(full) = data_dir() else { return };
    let partial = pypi_only_mirror(&full);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let db = dir.path().join("estate.db");
    let fresh_db = dir.path().join("fresh.db");
    let (dbs, fresh) = (db.to_str().unwrap(), fresh_db.to_str().unwrap());

    // The estate scanned with PyPI advisories only, then the whole mirror synced.
    ok(run(
        &data,
        &["sync", "-q", "--mirror", partial.path().to_str().unwrap()],
    ));
    ok(run(&data, &["scan", "-q", "examples/acme", "--db", dbs]));
    ok(run(
        &data,
        &["sync", "-q", "--mirror", full.to_str().unwrap()],
    ));

    let out = json_of(&ok(run(
        &data,
        &["reaudit", "-q", "-f", "json", "--db", dbs],
    )));
    let summary = &out["summary"];
    assert_eq!(summary["from"], 1);
    assert_eq!(summary["snapshot"], 2);
    // The truth: the same estate scanned afresh with the same index.
    ok(run(&data, &["scan", "-q", "examples/acme", "--db", fresh]));

    let export = json_of(&ok(run(&data, &["export", "--db", dbs])));
    let fresh_export = json_of(&ok(run(&data, &["export", "--db", fresh])));
    let (before, after) = (findings_of(&export, 1), findings_of(&export, 2));
    let scanned = findings_of(&fresh_export, 1);

    // The vulnerability findings, whole, are the fresh scan's.
    let (vulns_before, vulns_after) = (family(&before, true), family(&after, true));
    assert_eq!(vulns_after, family(&scanned, true));
    assert!(
        vulns_after.len() > vulns_before.len(),
        "the whole mirror finds more than PyPI alone"
    );
    // The other families are carried as they were, and the projects are the same.
    assert_eq!(family(&after, false), family(&before, false));
    assert!(!family(&after, false).is_empty());
    assert_eq!(projects_of(&export, 2), projects_of(&export, 1));

    // The diff is what the new knowledge added and took away, and the counts agree.
    let keys = |list: &Value| -> Vec<String> {
        let mut k: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["key"].as_str().unwrap().to_owned())
            .collect();
        k.sort();
        k
    };
    let appeared: Vec<String> = vulns_after
        .keys()
        .filter(|k| !vulns_before.contains_key(*k))
        .cloned()
        .collect();
    let resolved: Vec<String> = vulns_before
        .keys()
        .filter(|k| !vulns_after.contains_key(*k))
        .cloned()
        .collect();
    assert_eq!(keys(&out["diff"]["findings_appeared"]), appeared);
    assert_eq!(keys(&out["diff"]["findings_resolved"]), resolved);
    assert_eq!(summary["vulnerabilities_before"], vulns_before.len());
    assert_eq!(summary["vulnerabilities"], vulns_after.len());
    assert_eq!(summary["projects"], projects_of(&export, 1).len());
    // The example of the issue: lodash 4.17.15 gets its Node.js security WG advisory.
    assert!(
        appeared
            .iter()
            .any(|k| k.starts_with("vulnerability/NSWG-ECO-516/") && k.contains("lodash@4.17.15")),
        "{appeared:?}"
    );

    // Who-uses answers from the new snapshot.
    let hit = ok(run(
        &data,
        &["who-uses", "--advisory", "NSWG-ECO-516", "--db", dbs],
    ));
    assert!(String::from_utf8_lossy(&hit.stdout).contains("lodash"));

    // Nothing changed in the knowledge since: a second re-audit changes nothing.
    let again = json_of(&ok(run(
        &data,
        &["reaudit", "-q", "-f", "json", "--db", dbs],
    )));
    assert_eq!(again["summary"]["from"], 2);
    for list in ["findings_appeared", "findings_resolved", "findings_changed"] {
        assert_eq!(again["diff"][list].as_array().unwrap().len(), 0, "{list}");
    }
}

#[test]
fn a_store_without_a_snapshot_is_an_error_that_says_what_to_do() {
    let Some(full) = data_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    ok(run(
        &data,
        &["sync", "-q", "--mirror", full.to_str().unwrap()],
    ));
    let db = dir.path().join("empty.db");
    let out = run(&data, &["reaudit", "-q", "--db", db.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("vigie scan"), "{stderr}");
}
