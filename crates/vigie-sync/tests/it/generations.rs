//! Generations of the data directory: build, commit, atomic switch of `CURRENT`, lock,
//! garbage collection, and what a crash leaves behind.

use crate::common;

use std::fs;
use std::path::Path;

use common::TempDir;
use vigie_sync::{GenerationError, Generations};

/// Builds and commits a generation holding one file, `mirror/marker.json` = `{"n": n}`.
fn commit_one(gens: &Generations, n: u32) -> vigie_sync::Generation {
    let partial = gens.begin().expect("begin");
    fs::write(
        partial.mirror_dir().join("marker.json"),
        format!("{{\"n\": {n}}}"),
    )
    .expect("write");
    fs::write(partial.index_dir().join("index.bin"), [n as u8]).expect("write");
    // Ids are sortable by time to the millisecond: keep commits apart.
    std::thread::sleep(std::time::Duration::from_millis(3));
    partial.commit().expect("commit")
}

fn current_line(data: &Path) -> String {
    fs::read_to_string(data.join("CURRENT")).expect("CURRENT")
}

fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_partial_generation_dropped_without_commit_is_removed() {
    let tmp = TempDir::new("drop");
    let gens = Generations::open(&tmp.0).expect("open");
    assert_eq!(gens.current().expect("current"), None);
    let partial = gens.begin().expect("begin");
    assert!(partial.mirror_dir().is_dir() && partial.index_dir().is_dir());
    let dir = partial.mirror_dir().parent().expect("parent").to_path_buf();
    assert_eq!(
        dir.file_name().and_then(|n| n.to_str()),
        Some(format!("{}.partial", partial.id()).as_str())
    );
    fs::write(partial.mirror_dir().join("half.zip"), b"PK").expect("write");
    drop(partial);
    assert!(!dir.exists());
    assert!(entries(&tmp.0.join("generations")).is_empty());
    assert!(!tmp.0.join("CURRENT").exists());
}

#[test]
fn commit_switches_current_and_keeps_the_content() {
    let tmp = TempDir::new("commit");
    let gens = Generations::open(&tmp.0).expect("open");
    let first = commit_one(&gens, 1);
    assert_eq!(current_line(&tmp.0), format!("{}\n", first.id()));
    assert_eq!(gens.current().expect("current").as_ref(), Some(&first));
    assert_eq!(first.dir(), tmp.0.join("generations").join(first.id()));
    let second = commit_one(&gens, 2);
    assert!(first.id() < second.id(), "ids sort by time");
    assert_eq!(current_line(&tmp.0), format!("{}\n", second.id()));
    assert_eq!(
        fs::read_to_string(second.mirror_dir().join("marker.json")).expect("read"),
        "{\"n\": 2}"
    );
    assert_eq!(
        fs::read(second.index_dir().join("index.bin")).expect("read"),
        [2]
    );
    assert_eq!(gens.list().expect("list"), [first.clone(), second]);
    // The older generation is untouched by the switch.
    assert_eq!(
        fs::read_to_string(first.mirror_dir().join("marker.json")).expect("read"),
        "{\"n\": 1}"
    );
    // No temporary file is left beside CURRENT.
    assert_eq!(entries(&tmp.0), ["CURRENT", "generations", "sync.lock"]);
}

#[test]
fn only_one_sync_at_a_time() {
    let tmp = TempDir::new("lock");
    let gens = Generations::open(&tmp.0).expect("open");
    let other = Generations::open(&tmp.0).expect("open");
    let partial = gens.begin().expect("begin");
    assert!(matches!(other.begin(), Err(GenerationError::Busy { .. })));
    assert!(matches!(other.gc(1), Err(GenerationError::Busy { .. })));
    assert!(
        partial.mirror_dir().is_dir(),
        "gc did not touch the running sync"
    );
    partial.commit().expect("commit");
    other.begin().expect("free again after commit");
}

#[test]
fn gc_keeps_the_newest_and_the_current_generation() {
    let tmp = TempDir::new("gc");
    let gens = Generations::open(&tmp.0).expect("open");
    let g: Vec<_> = (1..=5).map(|n| commit_one(&gens, n)).collect();
    let report = gens.gc(3).expect("gc");
    assert_eq!(report.removed, [g[0].id(), g[1].id()]);
    assert!(report.removed_partial.is_empty());
    assert_eq!(gens.list().expect("list"), &g[2..]);

    // An operator rolls back by hand: CURRENT names an older generation. gc(1) keeps the
    // newest one and the current one, whatever their order.
    fs::write(tmp.0.join("CURRENT"), format!("{}\n", g[2].id())).expect("write");
    let report = gens.gc(1).expect("gc");
    assert_eq!(report.removed, [g[3].id()]);
    assert_eq!(gens.list().expect("list"), [g[2].clone(), g[4].clone()]);
    assert_eq!(gens.current().expect("current").as_ref(), Some(&g[2]));

    // gc(0) still never removes the current generation.
    let report = gens.gc(0).expect("gc");
    assert_eq!(report.removed, [g[4].id()]);
    assert_eq!(gens.list().expect("list"), [g[2].clone()]);
    assert!(g[2].mirror_dir().join("marker.json").is_file());
}

#[test]
fn a_partial_generation_left_by_a_crash_is_ignored_then_cleaned() {
    let tmp = TempDir::new("crash");
    let gens = Generations::open(&tmp.0).expect("open");
    let good = commit_one(&gens, 1);
    // What a crash mid-download leaves: a newer partial generation with half a file, a
    // temporary CURRENT that was never renamed, and a folder that is not ours.
    let crashed = "29991231T235959999Z-deadbeef";
    let partial_dir = tmp.0.join("generations").join(format!("{crashed}.partial"));
    fs::create_dir_all(partial_dir.join("mirror/osv/npm")).expect("mkdir");
    fs::write(
        partial_dir.join("mirror/osv/npm/all.zip.download"),
        b"PK\x03\x04",
    )
    .expect("w");
    fs::write(tmp.0.join("CURRENT.tmp-0badf00d"), format!("{crashed}\n")).expect("write");
    fs::create_dir_all(tmp.0.join("generations/notes")).expect("mkdir");

    assert_eq!(gens.current().expect("current").as_ref(), Some(&good));
    assert_eq!(gens.list().expect("list"), std::slice::from_ref(&good));
    let report = gens.gc(5).expect("gc");
    assert_eq!(report.removed_partial, [crashed]);
    assert!(report.removed.is_empty());
    assert!(!partial_dir.exists());
    assert!(!tmp.0.join("CURRENT.tmp-0badf00d").exists());
    assert!(
        tmp.0.join("generations/notes").is_dir(),
        "foreign entries are left alone"
    );
    assert_eq!(current_line(&tmp.0), format!("{}\n", good.id()));
    assert!(good.mirror_dir().join("marker.json").is_file());
}

#[test]
fn a_damaged_current_is_an_error_not_a_guess() {
    let tmp = TempDir::new("damaged");
    let gens = Generations::open(&tmp.0).expect("open");
    fs::write(tmp.0.join("CURRENT"), "../../etc\n").expect("write");
    assert!(matches!(
        gens.current(),
        Err(GenerationError::BadCurrent { .. })
    ));
    fs::write(tmp.0.join("CURRENT"), "20260822T103000123Z-0badf00d\n").expect("write");
    assert!(matches!(
        gens.current(),
        Err(GenerationError::MissingCurrent { .. })
    ));
    // A new sync is still possible, and repairs it.
    let fresh = commit_one(&gens, 1);
    assert_eq!(gens.current().expect("current"), Some(fresh));
}
