//! `vigie scan` killed with SIGKILL half-way, as a process: the store keeps its previous
//! snapshots whole and stays consistent, and the next scan works.
//!
//! The store-level test (`vigie-store/tests/crash.rs`) kills a writer in a child process;
//! this one kills the real command, whose store writer runs on its own thread while the
//! reading and the checks go on. The estate is 300 copies of the example's projects; the
//! kills come at increasing delays so that some land before the commit.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use vigie_store::{Location, Mode};

use crate::common;
use common::{copy_dir, ok, run, synced, workspace};

/// (snapshot id, project count) of every snapshot, after checking the file's integrity.
fn snapshots(db: &Path) -> Vec<(i64, u64)> {
    let store = vigie_store::open(&Location::from(db), Mode::ReadWrite).unwrap();
    assert_eq!(store.integrity_check().unwrap(), ["ok"]);
    store
        .snapshots()
        .unwrap()
        .iter()
        .map(|s| (s.id, s.projects))
        .collect()
}

fn scan_acme(data: &Path, acme: &Path, db: &Path) {
    let (acme, db) = (acme.to_str().unwrap(), db.to_str().unwrap());
    ok(run(data, &["scan", "-q", acme, "--db", db]));
}

#[test]
fn a_scan_killed_half_way_leaves_the_previous_snapshot_whole() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigie.db");
    let acme = workspace().join("examples/acme");
    scan_acme(data, &acme, &db);
    let first = snapshots(&db);
    assert_eq!(first.len(), 1);
    let acme_projects = first[0].1;
    assert!(acme_projects > 0);

    // The big estate: the example's project folders (not its catalog) 300 times.
    let big = dir.path().join("big");
    for e in std::fs::read_dir(&acme).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_dir() && e.file_name() != "catalog" {
            for i in 0..300 {
                copy_dir(
                    &e.path(),
                    &big.join(format!("copy-{i:03}")).join(e.file_name()),
                );
            }
        }
    }
    let mut killed_before_commit = 0;
    for delay in [50u64, 100, 200, 400, 800, 1600, 3200] {
        let before = snapshots(&db).len();
        let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
            .args([
                "scan",
                "-q",
                big.to_str().unwrap(),
                "--db",
                db.to_str().unwrap(),
            ])
            .current_dir(workspace())
            .env("VIGIE_DATA_DIR", data)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let start = Instant::now();
        let mut exited = None;
        while start.elapsed() < Duration::from_millis(delay) {
            if let Some(status) = child.try_wait().unwrap() {
                exited = Some(status);
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        match exited {
            Some(status) => assert!(status.success(), "scan of the big estate failed: {status}"),
            None => {
                // Child::kill is SIGKILL on Unix: no handler, no cleanup.
                child.kill().unwrap();
                child.wait().unwrap();
            }
        }
        let after = snapshots(&db);
        // Every snapshot is whole: the example's projects, or the big estate's all.
        assert_eq!(
            after.first(),
            first.first(),
            "the first snapshot is kept as it was"
        );
        for (id, projects) in &after[1..] {
            assert_eq!(*projects, acme_projects * 300, "snapshot {id} is whole");
        }
        if exited.is_none() && after.len() == before {
            killed_before_commit += 1;
        }
    }
    let kept = snapshots(&db).len();
    eprintln!(
        "{killed_before_commit} kill(s) before a commit, {} big snapshot(s) committed",
        kept - 1
    );
    assert!(
        killed_before_commit > 0,
        "no kill landed before a commit (the scan was too fast): enlarge the estate"
    );
    // The store still takes a snapshot afterwards.
    scan_acme(data, &acme, &db);
    let last = snapshots(&db);
    assert_eq!(last.last().map(|s| s.1), Some(acme_projects));
    assert_eq!(last.len(), kept + 1);
}
