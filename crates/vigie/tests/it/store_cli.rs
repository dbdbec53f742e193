//! The store commands end to end on a store built through `vigie_store` (`vigie scan`
//! comes later): diff, who-uses, show, triage, export and import. Expected values are worked
//! out by hand from the two snapshots below.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;
use vigie_model::{Component, Ecosystem};
use vigie_store::{FindingRecord, ProjectRecord, SnapshotMeta};

fn vigie(db: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .arg("--db")
        .arg(db)
        .env("NO_COLOR", "1")
        .env("USER", "tester")
        .output()
        .expect("vigie runs")
}

fn json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON output")
}

fn finding(project: &str, c: &Component) -> FindingRecord {
    FindingRecord {
        key: format!("vulnerability/GHSA-jfh8-c2jp-5v3q/{project}/{}", c.purl),
        family: vigie_findings::Family::Vulnerability,
        id: "GHSA-jfh8-c2jp-5v3q".into(),
        aliases: vec!["CVE-2021-44228".into()],
        rating: vigie_findings::Rating::Critical,
        project_path: project.into(),
        purl: Some(c.purl.clone()),
        title: "Log4Shell".into(),
        fixed: Some("2.15.0".into()),
        known_exploited: true,
        detail: vigie_findings::Detail::Unparsed(serde_json::json!({})),
    }
}

/// Snapshot 1: `api` with log4j-core 2.14.1 (and its finding). Snapshot 2: log4j-core 2.17.1.
pub(crate) fn store(db: &Path) {
    let mut store = vigie_store::open(
        &vigie_store::Location::from(db),
        vigie_store::Mode::ReadWrite,
    )
    .unwrap();
    let project = ProjectRecord {
        path: "api".into(),
        name: "api".into(),
        files: vec!["api/pom.xml".into()],
        licence_categories: Default::default(),
        file_components: Vec::new(),
        fingerprint: None,
        uncovered: Default::default(),
    };
    for (day, version) in [("01", "2.14.1"), ("02", "2.17.1")] {
        let c = Component::new(
            Ecosystem::Maven,
            "org.apache.logging.log4j:log4j-core",
            Some(version),
        );
        let findings = if version == "2.14.1" {
            vec![finding("api", &c)]
        } else {
            vec![]
        };
        let mut w = store
            .begin_snapshot(&SnapshotMeta {
                taken_at: format!("2026-11-{day}T00:00:00Z"),
                tool_version: "test".into(),
                roots: vec![".".into()],
                label: None,
            })
            .unwrap();
        w.add_project(&project, &[c], &findings).unwrap();
        w.commit().unwrap();
    }
}

#[test]
fn diff_who_uses_show_triage_export_import() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigie.db");
    store(&db);

    let d = json(&vigie(&db, &["diff", "--format", "json"]));
    assert_eq!((d["from"].as_i64(), d["to"].as_i64()), (Some(1), Some(2)));
    let changed = &d["projects_changed"][0]["changed"][0];
    assert_eq!(
        (changed["from"].as_str(), changed["to"].as_str()),
        (Some("2.14.1"), Some("2.17.1"))
    );
    assert_eq!(d["findings_resolved"][0]["id"], "GHSA-jfh8-c2jp-5v3q");
    let table = vigie(&db, &["diff"]);
    assert!(String::from_utf8_lossy(&table.stdout).contains("2.14.1"));

    // An empty advisory is a usage error, not "0 results" (issue 19, defect 9).
    let empty = vigie(&db, &["who-uses", "--advisory", ""]);
    assert_eq!(empty.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&empty.stderr).contains("--advisory needs"));

    // Snapshot 2 is fixed; snapshot 1 was hit.
    let u = json(&vigie(
        &db,
        &["who-uses", "log4j-core@<2.15.0", "--format", "json"],
    ));
    assert_eq!(u.as_array().unwrap().len(), 0);
    let u = json(&vigie(
        &db,
        &[
            "who-uses",
            "log4j-core@<2.15.0",
            "--snapshot",
            "1",
            "--format",
            "json",
        ],
    ));
    assert_eq!(u[0]["project_path"], "api");
    let a = json(&vigie(
        &db,
        &[
            "who-uses",
            "--advisory",
            "CVE-2021-44228",
            "--snapshot",
            "1",
            "--format",
            "json",
        ],
    ));
    assert_eq!(a[0]["finding"]["project_path"], "api");

    let s = json(&vigie(&db, &["show", "api", "--format", "json"]));
    assert_eq!(s[0]["type"], "project");
    assert_eq!(s[0]["components"][0]["version"], "2.17.1");
    assert!(!vigie(&db, &["show", "nothing"]).status.success());

    // Triage by alias in snapshot 1, then the list says accepted until the last day.
    let out = vigie(
        &db,
        &[
            "triage",
            "CVE-2021-44228",
            "--snapshot",
            "1",
            "--state",
            "accepted-risk",
            "--until",
            "2026-12-31",
            "--reason",
            "patched by config",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let l = json(&vigie(
        &db,
        &[
            "triage",
            "list",
            "--snapshot",
            "1",
            "--today",
            "2026-12-31",
            "--format",
            "json",
        ],
    ));
    assert_eq!(l[0]["effective"], "accepted_risk");
    assert_eq!(l[0]["triage"]["by"], "tester");
    let l = json(&vigie(
        &db,
        &[
            "triage",
            "list",
            "--snapshot",
            "1",
            "--today",
            "2027-01-01",
            "--format",
            "json",
        ],
    ));
    assert_eq!(l[0]["effective"], "acceptance_expired");
    assert!(
        !vigie(
            &db,
            &[
                "triage",
                "CVE-2021-44228",
                "--snapshot",
                "1",
                "--state",
                "not-affected",
                "--reason",
                "x"
            ]
        )
        .status
        .success()
    );

    // Export, import into a fresh store, export again: identical.
    let first = dir.path().join("a.json");
    assert!(
        vigie(&db, &["export", "-o", first.to_str().unwrap()])
            .status
            .success()
    );
    let db2 = dir.path().join("b.db");
    let out = vigie(&db2, &["import", first.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let second = vigie(&db2, &["export"]);
    assert_eq!(std::fs::read(&first).unwrap(), second.stdout);
}
