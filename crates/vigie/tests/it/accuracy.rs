//! Two accuracy fixes of issue 17 end to end, with the reference mirror synced: a Composer
//! purl keeps the package's own version (`@v6.4.12`), and triage decisions taken when vigie
//! dropped the `v` still apply; a `package.json` with no lockfile lists its dependencies, so
//! that what it pins is audited. Expected answers are read by hand in the feeds (quoted).

use std::path::Path;

use serde_json::Value;

use crate::common::{data_dir, json_of, ok, run, synced};

/// The JSON a command printed, once it exited 0.
fn json(data: &Path, args: &[&str]) -> Value {
    json_of(&ok(run(data, args)))
}

/// The statuses of the latest snapshot's findings (`vigie triage list`).
fn statuses(data: &Path, db: &str) -> Vec<Value> {
    let args = [
        "triage",
        "list",
        "--db",
        db,
        "--today",
        "2026-12-01",
        "--format",
        "json",
    ];
    json(data, &args).as_array().unwrap().clone()
}

#[test]
fn a_decision_taken_before_composer_kept_its_v_still_applies_after_a_scan() {
    let (Some(data), Some(mirror)) = (synced(), data_dir()) else {
        return;
    };
    // BookStack's lock, as a repository of the estate: symfony/process v6.4.12, which
    // symfony/process/CVE-2024-51736.yaml affects (['>=6.4.0', '<6.4.14']).
    let tmp = tempfile::tempdir().unwrap();
    let shop = tmp.path().join("estate/shop");
    std::fs::create_dir_all(&shop).unwrap();
    for f in ["composer.lock", "composer.json"] {
        std::fs::copy(mirror.join("lockfiles/bookstack").join(f), shop.join(f)).unwrap();
    }
    let estate = tmp.path().join("estate");
    let estate = estate.to_str().unwrap();
    let purl = "pkg:composer/symfony/process@v6.4.12";

    // The key a scan gives the finding now (a scratch store), and the key the same finding had
    // when composer.lock was read without the `v`.
    let scratch = tmp.path().join("scratch.db");
    let scratch = scratch.to_str().unwrap();
    ok(run(data, &["scan", "-q", estate, "--db", scratch]));
    let found = statuses(data, scratch);
    let finding = found
        .iter()
        .map(|s| &s["finding"])
        .find(|f| f["purl"] == purl && f["family"] == "vulnerability")
        .expect("symfony/process is affected");
    let new_key = finding["key"].as_str().unwrap().to_owned();
    assert!(new_key.ends_with(purl), "{new_key}");
    let old_key = new_key.replace("@v6.4.12", "@6.4.12");
    assert_ne!(old_key, new_key);

    // The store of a site that triaged the finding with the older vigie.
    let db = tmp.path().join("vigie.db");
    {
        let mut store = vigie_store::open(
            &vigie_store::Location::from(db.as_path()),
            vigie_store::Mode::ReadWrite,
        )
        .unwrap();
        store
            .record_triage(&vigie_store::TriageInput {
                finding_key: old_key.clone(),
                state: vigie_store::TriageState::NotAffected,
                justification: Some(vigie_store::Justification::CodeNotReachable),
                until: None,
                reason: "we never run processes on Windows".into(),
                by: "alice".into(),
                at: "2026-11-02T09:00:00Z".into(),
            })
            .unwrap();
    }
    let db = db.to_str().unwrap();
    ok(run(data, &["scan", "-q", estate, "--db", db]));
    let after = statuses(data, db);
    let mine = after
        .iter()
        .find(|s| s["finding"]["key"] == new_key.as_str())
        .expect("the finding, under its new key");
    assert_eq!(mine["effective"], "not_affected");
    assert_eq!(mine["triage"]["finding_key"], old_key.as_str());
    assert_eq!(mine["triage"]["by"], "alice");
    // Only that finding is decided: the others of the lock stay open.
    let decided: Vec<&Value> = after.iter().filter(|s| s["effective"] != "open").collect();
    assert_eq!(decided.len(), 1, "{decided:?}");

    // who-uses asks in Composer's terms, with or without the `v`.
    for q in [
        "pkg:composer/symfony/process@<6.4.14",
        "pkg:composer/symfony/process@6.4.12",
        "symfony/process@v6.4.12",
    ] {
        let uses = json(data, &["who-uses", q, "--db", db, "--format", "json"]);
        let versions: Vec<&str> = uses
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["version"].as_str().unwrap())
            .collect();
        assert_eq!(versions, ["v6.4.12"], "{q}");
    }
    let uses = json(
        data,
        &[
            "who-uses",
            "pkg:composer/symfony/process@>=6.4.14",
            "--db",
            db,
            "--format",
            "json",
        ],
    );
    assert_eq!(uses.as_array().unwrap().len(), 0);
}

#[test]
fn a_package_json_alone_is_audited_for_vulnerabilities_and_end_of_life() {
    let Some(data) = synced() else {
        return;
    };
    // vuln/npm/516.json: lodash >=4.17.15 <4.17.19. products/react.md: 17 eoas 2022-03-29,
    // eol false (security fixes only). express "^4.17.1" is a range: unresolved, not checked.
    let tmp = tempfile::tempdir().unwrap();
    let app = tmp.path().join("app");
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(
        app.join("package.json"),
        "{\n  \"name\": \"app\",\n  \"dependencies\": {\n    \"react\": \"17.0.2\",\n    \
         \"lodash\": \"=4.17.15\",\n    \"express\": \"^4.17.1\"\n  }\n}\n",
    )
    .unwrap();
    let path = tmp.path().to_str().unwrap();
    let args = ["audit", "-q", "--today", "2026-11-26", "-f", "json", path];
    let report = json_of(&run(data, &args));
    let project = &report["projects"][0];
    let lodash = project["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "lodash")
        .expect("lodash has a finding");
    assert_eq!(lodash["version"], "4.17.15");
    let ids: Vec<&str> = lodash["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["advisories"].as_array().unwrap())
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(ids, ["NSWG-ECO-516"]);
    let react: Vec<&Value> = project["lifecycle"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["product"] == "react")
        .collect();
    assert_eq!(react.len(), 1, "{react:?}");
    assert_eq!(react[0]["check"], "security-only");
    assert_eq!(react[0]["date"], "2022-03-29");
    assert_eq!(react[0]["evidence"]["line"], 4);
}
