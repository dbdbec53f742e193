//! What only the PostgreSQL backend has: connections the server ends in the middle of a
//! write (`pg_terminate_backend`, what a restart or an administrator does), and several
//! writers on one database.
//!
//! The truth compared with: what each call reported (a snapshot reported committed must be
//! there whole), counts made from the inputs, and the engine's own consistency check.

use std::sync::atomic::{AtomicU64, Ordering};

use vigie_store::{Location, Mode, PushedProject, Store};

use crate::common::{POSTGRES, Scratch, meta, npm, project, vuln};

/// The location of `scratch` with an application name of its own, to find its connections
/// in `pg_stat_activity`.
fn named(scratch: &Scratch) -> (Location, String) {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name = format!(
        "vigie_victim_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let Location::Postgres(url) = &scratch.location else {
        panic!("a PostgreSQL location")
    };
    (
        Location::Postgres(format!("{url}&application_name={name}")),
        name,
    )
}

/// Ends every connection called `name`; how many there were.
fn terminate(name: &str) -> usize {
    let mut admin =
        postgres::Client::connect(&crate::common::postgres_url(), postgres::NoTls).unwrap();
    admin
        .query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1",
            &[&name],
        )
        .unwrap()
        .len()
}

fn components(n: usize, version: &str) -> Vec<vigie_model::Component> {
    (0..n).map(|j| npm(&format!("pkg-{j}"), version)).collect()
}

#[test]
fn a_write_whose_connection_is_ended_leaves_no_half_snapshot() {
    let scratch = POSTGRES.scratch();
    let (location, name) = named(&scratch);
    let mut store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
    let mut w = store.begin_snapshot(&meta("2026-12-01T00:00:00Z")).unwrap();
    for i in 0..30 {
        w.add_project(
            &project(&format!("p{i}"), "package-lock.json"),
            &components(20, "2.0.0"),
            &[],
        )
        .unwrap();
    }
    w.commit().unwrap();
    let before = (store.snapshots().unwrap(), store.stats().unwrap());

    // A scan half-way through its projects when the server ends its connection.
    let mut w = store.begin_snapshot(&meta("2026-12-02T00:00:00Z")).unwrap();
    for i in 0..50 {
        w.add_project(
            &project(&format!("q{i}"), "package-lock.json"),
            &components(20, &format!("3.{i}.0")),
            &[],
        )
        .unwrap();
    }
    assert_eq!(terminate(&name), 1, "the store's one connection");
    let next = w.add_project(
        &project("q50", "package-lock.json"),
        &components(20, "3.50.0"),
        &[],
    );
    assert!(next.is_err(), "a write on a lost connection fails");
    let committed = w.commit();
    let message = committed.expect_err("nothing to commit").to_string();
    assert!(message.contains("lost"), "{message}");

    // The same handle goes on, on a new connection: nothing of the lost write is there.
    assert_eq!(store.snapshots().unwrap(), before.0);
    let reader = vigie_store::open(&location, Mode::ReadOnly).unwrap();
    assert_eq!(reader.integrity_check().unwrap(), ["ok"]);
    assert_eq!(reader.snapshots().unwrap(), before.0);
    let stats = reader.stats().unwrap();
    assert_eq!(
        (stats.snapshots, stats.components, stats.packages),
        (before.1.snapshots, before.1.components, before.1.packages)
    );
    drop(reader);
    // And the scan done again is stored (under a new id: ids are never given twice).
    let mut w = store.begin_snapshot(&meta("2026-12-02T00:00:01Z")).unwrap();
    w.add_project(
        &project("q0", "package-lock.json"),
        &components(5, "3.0.0"),
        &[],
    )
    .unwrap();
    let id = w.commit().unwrap();
    assert!(id > before.0[0].id);
    assert_eq!(store.snapshots().unwrap().len(), 2);
}

/// A pushed batch: ten projects `b{batch}-{j}` of 20 components, one finding each.
fn batch(batch: usize) -> Vec<PushedProject> {
    (0..10)
        .map(|j| {
            let path = format!("b{batch}-{j}");
            let cs = components(20, &format!("1.{batch}.{j}"));
            PushedProject {
                record: project(&path, "package-lock.json"),
                findings: vec![vuln("GHSA-x", &path, &cs[0], "high", None)],
                components: cs,
                key: format!("commit:{batch}-{j}"),
            }
        })
        .collect()
}

#[test]
fn pushes_whose_connection_is_ended_are_there_whole_or_not_at_all() {
    let scratch = POSTGRES.scratch();
    let (location, name) = named(&scratch);
    const BATCHES: usize = 60;
    let mut store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
    let pusher = {
        std::thread::spawn(move || {
            (0..BATCHES)
                .map(|i| {
                    let done = store.ingest(&meta(&format!("2026-12-03T00:{i:02}:00Z")), &batch(i));
                    (i, done.map(|d| d.snapshot).map_err(|e| e.to_string()))
                })
                .collect::<Vec<_>>()
        })
    };
    // End the pusher's connection again and again while it pushes.
    let mut ended = 0;
    while !pusher.is_finished() {
        std::thread::sleep(std::time::Duration::from_millis(40));
        ended += terminate(&name);
    }
    let reported = pusher.join().unwrap();
    let failed = reported.iter().filter(|r| r.1.is_err()).count();
    eprintln!("{ended} connection(s) ended, {failed} of {BATCHES} pushes failed");

    let store = vigie_store::open(&location, Mode::ReadOnly).unwrap();
    assert_eq!(store.integrity_check().unwrap(), ["ok"]);
    let snapshots = store.snapshots().unwrap();
    // Every push reported stored is there, with its batch whole.
    for (i, r) in &reported {
        if let Ok(id) = r {
            assert!(snapshots.iter().any(|s| s.id == *id), "push {i} is lost");
            let paths = store.project_paths(*id).unwrap();
            let of_batch = paths
                .iter()
                .filter(|p| p.starts_with(&format!("b{i}-")))
                .count();
            assert_eq!(of_batch, 10, "push {i}: its batch whole");
        }
    }
    // Every snapshot there holds whole batches only, and each holds the one before it.
    let mut previous: Vec<String> = Vec::new();
    for s in &snapshots {
        let paths = store.project_paths(s.id).unwrap();
        for i in 0..BATCHES {
            let n = paths
                .iter()
                .filter(|p| p.starts_with(&format!("b{i}-")))
                .count();
            assert!(
                n == 0 || n == 10,
                "snapshot {}: batch {i} has {n} projects",
                s.id
            );
        }
        assert!(
            previous.iter().all(|p| paths.contains(p)),
            "snapshot {} dropped a project of the one before",
            s.id
        );
        assert_eq!(s.projects as usize, paths.len());
        assert_eq!(s.components, 20 * paths.len() as u64);
        assert_eq!(s.findings, paths.len() as u64);
        previous = paths;
    }
    assert!(
        snapshots.len() >= BATCHES - failed,
        "every reported push stored"
    );
}

#[test]
fn two_writers_on_one_database_lose_nothing() {
    let scratch = POSTGRES.scratch();
    let location = scratch.location.clone();
    // Two processes' worth of handles (two connections), pushing at once.
    let handles: Vec<_> = (0..2)
        .map(|w| {
            let location = location.clone();
            std::thread::spawn(move || {
                let mut store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
                for i in 0..15 {
                    store
                        .ingest(&meta("2026-12-04T00:00:00Z"), &batch(w * 100 + i))
                        .unwrap();
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let store: Box<dyn Store> = vigie_store::open(&location, Mode::ReadOnly).unwrap();
    let latest = store.latest().unwrap();
    assert_eq!(store.project_paths(latest).unwrap().len(), 2 * 15 * 10);
    assert_eq!(store.snapshots().unwrap().len(), 30);
}
