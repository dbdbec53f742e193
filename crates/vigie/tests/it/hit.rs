//! `vigie hit` ("are we hit?") on the example estate, checked against the raw OSV record of
//! the advisory (read here from the mirror's zip as plain JSON, not through vigie's model)
//! and against `vigie who-uses` for the projects.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use serde_json::Value;

use crate::common::{data_dir, ok, run, synced};

/// The fixing versions per (ecosystem, package) of one record of a raw OSV zip.
fn raw_fixes(zip: &Path, id: &str) -> BTreeSet<(String, String, Vec<String>)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut text = String::new();
    archive
        .by_name(&format!("{id}.json"))
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            let fixed: Vec<String> = a["ranges"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|r| r["events"].as_array().unwrap())
                .filter_map(|e| e["fixed"].as_str().map(str::to_owned))
                .collect();
            (
                a["package"]["ecosystem"].as_str().unwrap().to_owned(),
                a["package"]["name"].as_str().unwrap().to_owned(),
                fixed,
            )
        })
        .collect()
}

#[test]
fn an_alias_is_answered_with_the_advisory_its_fixes_and_the_projects() {
    let (Some(data), Some(mirror)) = (synced(), data_dir()) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("acme.db");
    let db = db.to_str().unwrap();
    ok(run(data, &["scan", "examples/acme", "--db", db]));

    // GO-2022-1144 is known by its GHSA alias; inventory-service uses golang.org/x/net
    // and Go 1.16, both before its fixes.
    let out = ok(run(
        data,
        &["hit", "ghsa-xrjj-mj9h-534m", "--db", db, "-f", "json"],
    ));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["index"]["status"], "known");
    let advisories = answer["index"]["advisories"].as_array().unwrap();
    assert_eq!(advisories.len(), 1);
    assert_eq!(advisories[0]["id"], "GO-2022-1144");
    let got: BTreeSet<(String, String, Vec<String>)> = advisories[0]["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let text = |k: &str| p[k].as_str().unwrap().to_owned();
            let fixed = p["fixed"].as_array().unwrap();
            let fixed = fixed
                .iter()
                .map(|v| v.as_str().unwrap().to_owned())
                .collect();
            (text("ecosystem"), text("name"), fixed)
        })
        .collect();
    assert_eq!(
        got,
        raw_fixes(&mirror.join("osv/Go/all.zip"), "GO-2022-1144")
    );

    let who = ok(run(
        data,
        &[
            "who-uses",
            "--advisory",
            "GHSA-xrjj-mj9h-534m",
            "--db",
            db,
            "-f",
            "json",
        ],
    ));
    let who: Value = serde_json::from_slice(&who.stdout).unwrap();
    assert!(!who.as_array().unwrap().is_empty());
    assert_eq!(answer["findings"], who);

    // An id the index does not know is said to be unknown, and is not a hit.
    let out = run(data, &["hit", "CVE-1999-99999", "--db", db, "-f", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["index"]["status"], "unknown");
    let table = run(data, &["hit", "CVE-1999-99999", "--db", db]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("unknown to the knowledge index"));

    // A package range: the projects that who-uses gives.
    let out = ok(run(
        data,
        &["hit", "lodash@<4.17.21", "--db", db, "-f", "json"],
    ));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    let who = ok(run(
        data,
        &["who-uses", "lodash@<4.17.21", "--db", db, "-f", "json"],
    ));
    let who: Value = serde_json::from_slice(&who.stdout).unwrap();
    assert!(!who.as_array().unwrap().is_empty());
    assert_eq!(answer["uses"], who);
}

#[test]
fn without_an_index_an_advisory_is_not_called_unknown() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("acme.db");
    let db = db.to_str().unwrap();
    ok(run(data, &["scan", "examples/acme", "--db", db]));
    let empty = tempfile::tempdir().unwrap();
    let out = run(
        empty.path(),
        &["hit", "CVE-2021-44228", "--db", db, "-f", "json"],
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer["index"]["status"], "no_index", "{answer}");
    assert!(
        answer["index"]["reason"]
            .as_str()
            .unwrap()
            .contains("vigie sync")
    );
}
