//! Download failures against a loopback HTTP server: a connection dropped half-way, a
//! truncated archive, an error status, a missing file, limits and redirects. Each one fails
//! with an error naming the URL and leaves `CURRENT` and the generation in use untouched.

use crate::common;

use std::fs;
use std::time::Duration;

use common::server::{Logged, Mode};
use common::sync::{Recorder, assert_same_as_data, assert_untouched, sync};
use common::{TempDir, data_dir, serve};
use vigie_sync::{Failure, Generations, Limits, Outcome, Source, SyncError};

/// Runs a sync that must fail after a good one, and checks nothing of the good one moved.
fn failing_sync(name: &str, path: &str, mode: Mode) -> (SyncError, Vec<Logged>) {
    let data = data_dir().expect("checked by the caller");
    let (server, sources) = serve(&data);
    let tmp = TempDir::new(name);
    let gens = Generations::open(&tmp.0).expect("open");
    let (good, _) = sync(&gens, &sources, &Limits::default(), &Recorder::default()).expect("ok");
    server.take_log();
    server.set_mode(path, mode);
    let progress = Recorder::default();
    let err = sync(&gens, &sources, &Limits::default(), &progress).expect_err("must fail");
    eprintln!("{err}");
    assert!(err.url.ends_with(path), "{err}");
    assert!(
        err.to_string().contains(&err.url),
        "the message names the URL: {err}"
    );
    let events = progress.0.borrow();
    assert_eq!(events.last().map(|e| e.3), Some(Some(Outcome::Failed)));
    assert_untouched(&gens, &good, &sources, &data);
    (err, server.take_log())
}

#[test]
fn a_connection_dropped_half_way_fails_and_keeps_the_previous_generation() {
    if data_dir().is_none() {
        return;
    }
    let path = "/kev/known_exploited_vulnerabilities.json";
    let (err, _) = failing_sync("drop", path, Mode::DropHalfway);
    // The server announced the whole file (1,257,565 bytes, SOURCES.md) and sent half.
    match err.failure {
        Failure::Truncated {
            expected, received, ..
        } => {
            assert_eq!(expected, 1_257_565);
            assert!(received < expected, "{received}");
        }
        other => panic!("expected a truncated body, got {other}"),
    }
}

#[test]
fn a_truncated_zip_fails_and_keeps_the_previous_generation() {
    if data_dir().is_none() {
        return;
    }
    let (err, _) = failing_sync("zip", "/osv/crates.io/all.zip", Mode::TruncatedBody);
    match &err.failure {
        Failure::Invalid { format, .. } => assert_eq!(*format, "zip", "{err}"),
        other => panic!("expected an invalid zip, got {other}"),
    }
}

#[test]
fn a_truncated_tar_gz_fails() {
    if data_dir().is_none() {
        return;
    }
    let path = "/endoflife-date/release-data/tar.gz/refs/heads/main";
    let (err, _) = failing_sync("targz", path, Mode::TruncatedBody);
    assert!(
        matches!(
            err.failure,
            Failure::Invalid {
                format: "tar.gz",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn a_server_error_fails_and_keeps_the_previous_generation() {
    if data_dir().is_none() {
        return;
    }
    let (err, log) = failing_sync("500", "/spdx/licenses.json", Mode::Status(500));
    assert!(matches!(err.failure, Failure::Status(500)), "{err}");
    // The sync stops at the first failure: nothing after spdx/licenses.json was asked for.
    assert_eq!(
        log.last().map(|l| l.path.as_str()),
        Some("/spdx/licenses.json")
    );
}

#[test]
fn a_missing_required_file_fails_and_an_optional_one_is_skipped() {
    let Some(data) = data_dir() else { return };
    let (server, _) = serve(&data);
    let url = format!("{}/fingerprints/nowhere/technologies.json", server.url());
    let kev = format!("{}/kev/known_exploited_vulnerabilities.json", server.url());
    let required = Source::new("fingerprints/technologies.json", &url).expect("source");
    let kev = Source::new("kev/known_exploited_vulnerabilities.json", &kev).expect("source");
    let tmp = TempDir::new("404");
    let gens = Generations::open(&tmp.0).expect("open");
    let limits = Limits::default();
    let err = sync(
        &gens,
        &[required.clone(), kev.clone()],
        &limits,
        &Recorder::default(),
    )
    .expect_err("404 on a required source");
    assert!(matches!(err.failure, Failure::Status(404)), "{err}");
    assert_eq!(gens.current().expect("current"), None);

    let sources = [required.optional(), kev];
    let (g, report) = sync(&gens, &sources, &limits, &Recorder::default()).expect("sync");
    assert_eq!(report.count(Outcome::Absent), 1);
    assert_eq!(report.count(Outcome::Downloaded), 1);
    assert!(!g.mirror_dir().join("fingerprints").exists());
    assert_same_as_data(&g, &sources[1..], &data);
}

#[test]
fn limits_are_enforced() {
    let Some(data) = data_dir() else { return };
    let (server, _) = serve(&data);
    let kev_url = format!("{}/kev/known_exploited_vulnerabilities.json", server.url());
    let kev = Source::new("kev/known_exploited_vulnerabilities.json", &kev_url).expect("src");
    let tmp = TempDir::new("limits");
    let gens = Generations::open(&tmp.0).expect("open");
    let small = Limits {
        max_file_size: 1_000_000,
        ..Limits::default()
    };
    let err = sync(
        &gens,
        std::slice::from_ref(&kev),
        &small,
        &Recorder::default(),
    )
    .expect_err("1.2 MB over a 1 MB limit");
    assert!(
        matches!(err.failure, Failure::TooLarge { limit: 1_000_000 }),
        "{err}"
    );

    // A stalled body times out instead of hanging.
    server.set_mode(
        "/kev/known_exploited_vulnerabilities.json",
        Mode::Stall(Duration::from_secs(3)),
    );
    let impatient = Limits {
        read_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let err = sync(
        &gens,
        std::slice::from_ref(&kev),
        &impatient,
        &Recorder::default(),
    )
    .expect_err("stalled");
    eprintln!("{err}");
    assert!(
        matches!(err.failure, Failure::Truncated { received: 10, .. }),
        "{err}"
    );
    assert_eq!(gens.current().expect("current"), None);
}

#[test]
fn redirects_are_followed_within_the_limit() {
    let Some(data) = data_dir() else { return };
    let (server, _) = serve(&data);
    server.set_mode(
        "/moved",
        Mode::Redirect("/kev/known_exploited_vulnerabilities.json".into()),
    );
    server.set_mode("/loop", Mode::Redirect("/loop".into()));
    let tmp = TempDir::new("redirect");
    let gens = Generations::open(&tmp.0).expect("open");
    let limits = Limits::default();
    let path = "kev/known_exploited_vulnerabilities.json";
    let moved = Source::new(path, &format!("{}/moved", server.url())).expect("source");
    let (g, _) = sync(
        &gens,
        std::slice::from_ref(&moved),
        &limits,
        &Recorder::default(),
    )
    .expect("one redirect");
    assert_eq!(
        fs::read(g.mirror_dir().join(path)).expect("read"),
        fs::read(data.join(path)).expect("read")
    );
    server.take_log();
    let looping = Source::new(path, &format!("{}/loop", server.url())).expect("source");
    let err = sync(&gens, &[looping], &limits, &Recorder::default()).expect_err("loop");
    eprintln!("{err}");
    assert!(matches!(err.failure, Failure::Http(_)), "{err}");
    // The first request, then at most `max_redirects` more.
    assert_eq!(server.take_log().len(), 1 + limits.max_redirects as usize);
}

#[test]
fn a_mirror_is_never_synced_onto_itself() {
    let Some(data) = data_dir() else { return };
    let (_server, sources) = serve(&data);
    let tmp = TempDir::new("self");
    let gens = Generations::open(&tmp.0).expect("open");
    let (good, _) = sync(&gens, &sources, &Limits::default(), &Recorder::default()).expect("ok");
    // Misuse: the previous mirror as the destination. The 304 must not copy a file onto
    // itself (which would empty it).
    let mirror = good.mirror_dir();
    let err = vigie_sync::download_mirror(
        &sources,
        Some(&mirror),
        &mirror,
        &Limits::default(),
        &vigie_sync::NoProgress,
    )
    .expect_err("a file cannot be linked onto itself");
    assert!(matches!(err.failure, Failure::Io { .. }), "{err}");
    assert_untouched(&gens, &good, &sources, &data);
}
