//! A scan killed half-way (SIGKILL) leaves the previous snapshot complete and the database
//! consistent.
//!
//! The test re-runs its own binary as a child (`VIGIE_STORE_CRASH_CHILD=<backend>` selects the
//! child role, `VIGIE_STORE_CRASH_DIR` the store's folder) that starts a big snapshot, says so
//! on standard output, and keeps writing until it is killed; the parent then opens the store.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::{Backend, meta, npm, project};
use vigie_store::Mode;

const CHILD_ENV: &str = "VIGIE_STORE_CRASH_CHILD";
const DIR_ENV: &str = "VIGIE_STORE_CRASH_DIR";

/// The child role: writes projects forever (well, 10^6 of them) in one snapshot.
#[test]
fn crash_child() {
    let (Ok(backend), Some(dir)) = (std::env::var(CHILD_ENV), std::env::var_os(DIR_ENV)) else {
        return; // An ordinary test run: nothing to do.
    };
    let location = (crate::common::backend(&backend).location)(std::path::Path::new(&dir));
    let mut store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
    let mut w = store.begin_snapshot(&meta("2026-11-02T00:00:00Z")).unwrap();
    for i in 0..1_000_000u32 {
        let components: Vec<_> = (0..50)
            .map(|j| npm(&format!("pkg-{j}"), &format!("1.{i}.0")))
            .collect();
        w.add_project(
            &project(&format!("p{i}"), "package-lock.json"),
            &components,
            &[],
        )
        .unwrap();
        if i == 200 {
            println!("CHILD-STARTED");
        }
    }
    // Never reached in the test: the parent kills the child long before.
    w.commit().unwrap();
}

pub(crate) fn a_killed_scan_leaves_the_previous_snapshot_whole(b: &Backend) {
    let scratch = b.scratch();
    let (location, dir) = (scratch.location.clone(), &scratch.dir);
    // The previous snapshot: 30 projects of 20 components (600 rows, 20 packages... each
    // project has pkg-0..19 at 2.0.0, so 20 distinct packages).
    let before = {
        let mut store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
        let mut w = store.begin_snapshot(&meta("2026-11-01T00:00:00Z")).unwrap();
        let components: Vec<_> = (0..20).map(|j| npm(&format!("pkg-{j}"), "2.0.0")).collect();
        for i in 0..30 {
            w.add_project(
                &project(&format!("p{i}"), "package-lock.json"),
                &components,
                &[],
            )
            .unwrap();
        }
        w.commit().unwrap();
        let s = store.snapshots().unwrap();
        assert_eq!((s.len(), s[0].projects, s[0].components), (1, 30, 600));
        (s, store.stats().unwrap())
    };

    let exe = std::env::current_exe().unwrap();
    let mut child = Command::new(exe)
        .args([
            "crash::crash_child",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_ENV, b.name)
        .env(DIR_ENV, dir.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut started = false;
    for line in BufReader::new(stdout).lines() {
        if line.unwrap().contains("CHILD-STARTED") {
            started = true;
            break;
        }
    }
    assert!(started, "the child never started writing");
    // Let it write a good deal more (and spill pages to the WAL) before the kill.
    std::thread::sleep(Duration::from_millis(300));
    child.kill().unwrap(); // SIGKILL on Unix.
    let status = child.wait().unwrap();
    assert!(
        !status.success(),
        "the child finished instead of being killed"
    );
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9), "killed by SIGKILL");
    }
    // What the child left in the write-ahead log (uncommitted pages spilled from its cache).
    let wal = std::fs::metadata(dir.path().join("vigie.db-wal")).map_or(0, |m| m.len());
    eprintln!("write-ahead log left by the killed child: {wal} bytes");

    let store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
    assert_eq!(store.integrity_check().unwrap(), ["ok"]);
    let (snapshots, stats) = before;
    assert_eq!(
        store.snapshots().unwrap(),
        snapshots,
        "no partial snapshot is visible"
    );
    let after = store.stats().unwrap();
    assert_eq!(
        (after.packages, after.components),
        (stats.packages, stats.components)
    );
}

on_backends! {
    any: [
    ],
    persistent: [
        a_killed_scan_leaves_the_previous_snapshot_whole,
    ],
}
