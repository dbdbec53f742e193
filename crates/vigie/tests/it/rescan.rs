//! A rescan reads only what changed (issue 17, part 5): a project whose files (size,
//! modification time, identity), knowledge, day and settings are those of the previous
//! snapshot is carried from it unread; one that changed, one modified in the last seconds,
//! one with installed dependencies beside it, and every project after a new sync are read.
//! The truth is the store itself: the carried snapshot's projects and findings are the
//! previous one's, and a changed lockfile gives the diff a fresh scan gives.

use std::path::Path;

use serde_json::Value;

use crate::common::{age_files, copy_dir, data_dir, json_of, ok, run, workspace};

fn scan(data: &Path, estate: &Path, db: &str) -> Value {
    json_of(&ok(run(
        data,
        &[
            "scan",
            "-q",
            "-f",
            "json",
            estate.to_str().unwrap(),
            "--db",
            db,
        ],
    )))
}

/// The projects of snapshot `id` of the store, whole (components and findings), by path.
fn snapshot(data: &Path, db: &str, id: i64) -> Vec<Value> {
    let export = json_of(&ok(run(data, &["export", "--db", db])));
    let mut projects = export["snapshots"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == id)
        .unwrap()["projects"]
        .as_array()
        .unwrap()
        .clone();
    projects.sort_by(|a, b| a["path"].as_str().cmp(&b["path"].as_str()));
    projects
}

#[test]
fn a_rescan_carries_unchanged_projects_and_reads_the_changed_ones() {
    let Some(mirror) = data_dir() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    ok(run(
        &data,
        &["sync", "-q", "--mirror", mirror.to_str().unwrap()],
    ));
    let estate = dir.path().join("acme");
    copy_dir(&workspace().join("examples/acme"), &estate);
    // Files written in the last seconds are never trusted: the copy is made an hour old.
    age_files(&estate, 3600);
    let db = dir.path().join("estate.db");
    let db = db.to_str().unwrap();

    let first = scan(&data, &estate, db);
    let projects = first["projects"].as_u64().unwrap();
    assert!(projects >= 8, "{first}");
    assert_eq!(first["unchanged"], 0);

    // Nothing changed: every project carried, the snapshot equal to the first.
    let second = scan(&data, &estate, db);
    assert_eq!(second["unchanged"], projects);
    assert_eq!(second["findings"], first["findings"]);
    assert_eq!(second["uncovered"], first["uncovered"]);
    assert_eq!(snapshot(&data, db, 2), snapshot(&data, db, 1));

    // lodash moved from 4.17.15 to 4.17.21 in one lockfile: that project is read again and
    // the diff is the one of a fresh scan of the changed estate.
    let lock = estate.join("storefront/package-lock.json");
    let text = std::fs::read_to_string(&lock).unwrap();
    assert!(text.contains("4.17.15"));
    std::fs::write(&lock, text.replace("4.17.15", "4.17.21")).unwrap();
    age_files(&estate.join("storefront"), 600);
    let third = scan(&data, &estate, db);
    assert_eq!(third["unchanged"], projects - 1);
    let diff = json_of(&ok(run(&data, &["diff", "-f", "json", "--db", db])));
    let fresh_db = dir.path().join("fresh.db");
    let fresh_db = fresh_db.to_str().unwrap();
    scan(&data, &estate, fresh_db);
    let changed: Vec<&str> = diff["projects_changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    let storefront = estate.join("storefront").display().to_string();
    assert_eq!(changed, [storefront.as_str()], "{diff}");
    assert!(
        diff["findings_resolved"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["id"] == "NSWG-ECO-516"),
        "{diff}"
    );
    assert_eq!(snapshot(&data, db, 3), snapshot(&data, fresh_db, 1));

    // A file written just now is not trusted, whatever its content: its project is read.
    let now = estate.join("billing-api/pyproject.toml");
    std::fs::write(&now, std::fs::read(&now).unwrap()).unwrap();
    let fourth = scan(&data, &estate, db);
    assert_eq!(fourth["unchanged"], projects - 1);

    // Installed dependencies beside a project (the licence check reads them): always read;
    // and the project written just now, older now, is read once more to be trusted.
    age_files(&estate.join("billing-api"), 3600);
    std::fs::create_dir(estate.join("storefront/node_modules")).unwrap();
    let fifth = scan(&data, &estate, db);
    assert_eq!(fifth["unchanged"], projects - 2);
    let sixth = scan(&data, &estate, db);
    assert_eq!(sixth["unchanged"], projects - 1);

    // A new knowledge generation: everything is read again.
    ok(run(
        &data,
        &["sync", "-q", "--mirror", mirror.to_str().unwrap()],
    ));
    let seventh = scan(&data, &estate, db);
    assert_eq!(seventh["unchanged"], 0);
    assert_eq!(seventh["findings"], sixth["findings"]);
}
