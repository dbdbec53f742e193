//! The real download code against a loopback HTTP server serving the reference data: a full
//! sync mirrors the files byte for byte; a second one gets 304s and hard-links them.

use crate::common;

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::sync::{Recorder, assert_same_as_data, sync};
use common::{TempDir, data_dir, manifest_sha256, serve};
use vigie_sync::{FileMeta, Generation, Generations, Limits, Outcome, Source};

#[test]
fn a_full_sync_mirrors_the_files_byte_for_byte() {
    let Some(data) = data_dir() else { return };
    let (server, sources) = serve(&data);
    let tmp = TempDir::new("full");
    let gens = Generations::open(&tmp.0).expect("open");
    let progress = Recorder::default();
    let (g, report) = sync(&gens, &sources, &Limits::default(), &progress).expect("sync");

    // 2 OSV ecosystems + 2 endoflife.date archives + 2 SPDX files + KEV + 3 native
    // advisory databases.
    assert_eq!(sources.len(), 10);
    assert_eq!(report.count(Outcome::Downloaded), 10);
    assert_same_as_data(&g, &sources, &data);
    let total: u64 = sources
        .iter()
        .map(|s| fs::metadata(data.join(s.path())).expect("stat").len())
        .sum();
    assert_eq!(report.downloaded_bytes(), total);
    for (file, s) in report.files.iter().zip(&sources) {
        assert_eq!(
            file.sha256.as_deref(),
            Some(manifest_sha256(&data, s.path()).as_str())
        );
    }
    // Progress: one start/finish per file, the advances adding up to its size.
    let events = progress.0.borrow();
    assert_eq!(events.len(), 10);
    for ((path, total, advanced, outcome), s) in events.iter().zip(&sources) {
        let size = fs::metadata(data.join(s.path())).expect("stat").len();
        assert_eq!(
            (path.as_str(), *total, *advanced),
            (s.path(), Some(size), size)
        );
        assert_eq!(*outcome, Some(Outcome::Downloaded));
    }
    assert!(
        server
            .take_log()
            .iter()
            .all(|l| l.status == 200 && !l.conditional)
    );
    assert_eq!(gens.current().expect("current"), Some(g.clone()));
    // Nothing but the sources and their metadata in the mirror (no temporary file).
    let mut files = Vec::new();
    walk(&g.mirror_dir(), &g.mirror_dir(), &mut files);
    let mut want: Vec<String> = sources.iter().map(|s| s.path().to_string()).collect();
    want.extend(sources.iter().map(|s| format!(".sync/{}.json", s.path())));
    want.sort();
    assert_eq!(files, want);
}

fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            walk(root, &path, out);
        } else {
            let rel = path.strip_prefix(root).expect("below root");
            out.push(rel.to_string_lossy().into_owned());
        }
    }
    out.sort();
}

#[test]
fn a_second_sync_gets_304s_and_links_the_previous_files() {
    let Some(data) = data_dir() else { return };
    let (server, sources) = serve(&data);
    let tmp = TempDir::new("304");
    let gens = Generations::open(&tmp.0).expect("open");
    let limits = Limits::default();
    let (first, _) = sync(&gens, &sources, &limits, &Recorder::default()).expect("sync 1");
    server.take_log();
    let progress = Recorder::default();
    let (second, report) = sync(&gens, &sources, &limits, &progress).expect("sync 2");

    let log = server.take_log();
    assert_eq!(log.len(), sources.len());
    assert!(
        log.iter().all(|l| l.status == 304 && l.conditional),
        "{log:?}"
    );
    assert_eq!(report.count(Outcome::Reused), sources.len());
    assert_eq!(report.downloaded_bytes(), 0);
    assert!(
        progress
            .0
            .borrow()
            .iter()
            .all(|e| e.3 == Some(Outcome::Reused))
    );
    assert_ne!(first.id(), second.id());
    assert_eq!(gens.current().expect("current"), Some(second.clone()));
    assert_same_as_data(&second, &sources, &data);
    for s in &sources {
        let a = fs::metadata(first.mirror_dir().join(s.path())).expect("stat");
        let b = fs::metadata(second.mirror_dir().join(s.path())).expect("stat");
        assert_eq!(
            (a.dev(), a.ino()),
            (b.dev(), b.ino()),
            "{} is a hard link",
            s.path()
        );
        assert!(b.nlink() >= 2);
    }
    // Either validator alone is enough: keep only the ETag (If-None-Match), then only
    // Last-Modified (If-Modified-Since).
    keep_one_validator(&second, &sources, true);
    let (third, report) = sync(&gens, &sources, &limits, &Recorder::default()).expect("sync 3");
    assert_eq!(report.count(Outcome::Reused), sources.len());
    keep_one_validator(&third, &sources, false);
    let (fourth, report) = sync(&gens, &sources, &limits, &Recorder::default()).expect("sync 4");
    assert_eq!(report.count(Outcome::Reused), sources.len());
    assert!(
        server
            .take_log()
            .iter()
            .all(|l| l.status == 304 && l.conditional)
    );
    assert_same_as_data(&fourth, &sources, &data);

    // A changed URL is not the same file: no validator is sent, the file is downloaded.
    let moved: Vec<Source> = sources
        .iter()
        .map(|s| Source::new(s.path(), &format!("{}?v=2", s.url())).expect("source"))
        .collect();
    server.route(
        "/kev/known_exploited_vulnerabilities.json?v=2",
        "kev/known_exploited_vulnerabilities.json",
    );
    let kev = moved
        .iter()
        .find(|s| s.path().starts_with("kev/"))
        .expect("kev");
    let (_, report) = sync(
        &gens,
        std::slice::from_ref(kev),
        &limits,
        &Recorder::default(),
    )
    .expect("sync 5");
    assert_eq!(report.count(Outcome::Downloaded), 1);
    assert!(
        server
            .take_log()
            .iter()
            .all(|l| l.status == 200 && !l.conditional)
    );
}

/// Rewrites the metadata of `g` with only the ETag (`etag`) or only Last-Modified.
fn keep_one_validator(g: &Generation, sources: &[Source], etag: bool) {
    for s in sources {
        let mut meta = FileMeta::load(&g.mirror_dir(), s.path()).expect("metadata");
        if etag {
            meta.last_modified = None;
        } else {
            meta.etag = None;
        }
        let path = FileMeta::path_in(&g.mirror_dir(), s.path());
        fs::write(path, serde_json::to_string(&meta).expect("json")).expect("write");
    }
}
