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
    // The driver's error, or the store's "lost during a write" once it saw the connection
    // closed: the commit fails either way.
    let committed = w.commit();
    assert!(
        committed.is_err(),
        "a write on a lost connection is not committed"
    );

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

#[test]
fn a_store_dumped_and_restored_exports_as_before() {
    use vigie_store::{AuditEntry, NewUser, Role, TriageInput, TriageState};
    let scratch = POSTGRES.scratch();
    let location = scratch.location.clone();
    let schema = crate::common::schema_of(scratch.dir.path());
    let mut store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
    for i in 0..3 {
        store
            .ingest(&meta(&format!("2026-12-05T00:0{i}:00Z")), &batch(i))
            .unwrap();
    }
    let key = store.findings(store.latest().unwrap()).unwrap()[0]
        .key
        .clone();
    store
        .record_triage(&TriageInput {
            finding_key: key,
            state: TriageState::InTriage,
            justification: None,
            until: None,
            reason: "looking".into(),
            by: "alice".into(),
            at: "2026-12-05T01:00:00Z".into(),
        })
        .unwrap();
    let audit = AuditEntry {
        at: "2026-12-05T01:00:00Z".into(),
        actor: "root".into(),
        action: "user.create".into(),
        target: "alice".into(),
        ip: None,
        detail: None,
    };
    store
        .create_user(
            &NewUser {
                name: "alice".into(),
                password_hash: Some("$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into()),
                role: Role::Triager,
                identity: None,
                created_at: "2026-12-05T01:00:00Z".into(),
            },
            &audit,
        )
        .unwrap();
    let export = |s: &dyn Store| {
        let mut out = Vec::new();
        s.export(&mut out).unwrap();
        out
    };
    let before = (
        export(&*store),
        store.users().unwrap(),
        store.audit_log(None, 10).unwrap(),
    );
    drop(store);

    // PostgreSQL's own backup of the store's schema, the schema lost, the backup restored.
    let url = crate::common::postgres_url();
    let dump = std::process::Command::new("pg_dump")
        .args(["--schema", &schema, "--no-owner", &url])
        .output()
        .expect("pg_dump (PostgreSQL's client) on the PATH");
    assert!(
        dump.status.success(),
        "{}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let mut admin = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    admin
        .batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .unwrap();
    assert!(
        vigie_store::open(&location, Mode::ReadOnly).is_err(),
        "the store is gone"
    );
    let mut psql = std::process::Command::new("psql")
        .args(["-X", "-q", "-v", "ON_ERROR_STOP=1", &url])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    psql.stdin.take().unwrap().write_all(&dump.stdout).unwrap();
    assert!(psql.wait().unwrap().success(), "the dump restores");

    let mut store = vigie_store::open(&location, Mode::ReadWrite).unwrap();
    let after = (
        export(&*store),
        store.users().unwrap(),
        store.audit_log(None, 10).unwrap(),
    );
    assert!(after.0 == before.0, "the restored store exports as before");
    assert_eq!((after.1, after.2), (before.1, before.2));
    // It goes on: the next snapshot gets a new id (the sequences were restored too).
    let last = store.latest().unwrap();
    let next = store
        .ingest(&meta("2026-12-06T00:00:00Z"), &batch(9))
        .unwrap();
    assert!(next.snapshot > last);
}
