//! `vigie sync --mirror` never replaces a good knowledge index with a poorer one: a small
//! mirror of real files (the crates.io OSV feed, KEV, the SPDX list, endoflife.date) is
//! synced, then one source is broken in each way a mirror breaks (a truncated zip or
//! tar.gz, a tar bomb, malformed JSON) or left out; the sync must fail naming the source and
//! its file, `CURRENT` must not move, no new generation may be left, and an audit must
//! still find smallvec 1.6.0's advisory.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

use crate::common::{data_dir, json_of, run};

/// The files of the small mirror, from the reference data.
const FILES: &[&str] = &[
    "osv/crates.io/all.zip",
    "kev/known_exploited_vulnerabilities.json",
    "spdx/licenses.json",
    "spdx/exceptions.json",
    "endoflife/products.tar.gz",
];

/// A mirror of links to the reference files; a test replaces a link by a broken file.
pub(crate) fn small_mirror(data: &Path) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for rel in FILES {
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(data.join(rel), &to).unwrap();
    }
    dir
}

/// Replaces the mirror's `rel` (a link to the reference file) by `bytes`.
fn replace(mirror: &Path, rel: &str, bytes: &[u8]) {
    let path = mirror.join(rel);
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, bytes).unwrap();
}

/// The first `n` bytes of a reference file.
fn head(data: &Path, rel: &str, n: usize) -> Vec<u8> {
    let mut bytes = std::fs::read(data.join(rel)).unwrap();
    assert!(bytes.len() > n, "{rel} is only {} bytes", bytes.len());
    bytes.truncate(n);
    bytes
}

fn sync(data_dir: &Path, mirror: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["sync", "--mirror", mirror.to_str().unwrap()];
    args.extend(extra);
    run(data_dir, &args)
}

fn current(data_dir: &Path) -> String {
    std::fs::read_to_string(data_dir.join("CURRENT")).unwrap()
}

/// The folders of `generations/`, sorted.
fn generations(data_dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(data_dir.join("generations"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A project whose Cargo.lock pins smallvec 1.6.0: RUSTSEC-2021-0003 (introduced 1.0.0,
/// fixed 1.6.1 in osv/crates.io/all.zip) is its only advisory.
fn smallvec_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Cargo.lock"),
        "version = 3\n\n\
         [[package]]\nname = \"demo\"\nversion = \"0.1.0\"\ndependencies = [\"smallvec\"]\n\n\
         [[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .unwrap();
    dir
}

/// The advisories `vigie audit --fail-on low` finds on smallvec 1.6.0 (it must exit 1).
fn smallvec_advisories(data_dir: &Path) -> Vec<String> {
    let project = smallvec_project();
    let out = run(
        data_dir,
        &[
            "audit",
            "-q",
            "--fail-on",
            "low",
            "-f",
            "json",
            project.path().to_str().unwrap(),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = json_of(&out);
    let mut ids: Vec<String> = report["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["components"].as_array().unwrap())
        .filter(|c| c["name"] == "smallvec")
        .flat_map(|c| c["findings"].as_array().unwrap())
        .flat_map(|f| f["advisories"].as_array().unwrap())
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

/// A data directory with the small mirror synced, and the mirror.
fn synced_small() -> Option<(PathBuf, tempfile::TempDir, tempfile::TempDir)> {
    let data = data_dir()?;
    let mirror = small_mirror(&data);
    let dir = tempfile::tempdir().unwrap();
    let out = sync(dir.path(), mirror.path(), &["-q"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(smallvec_advisories(dir.path()), ["RUSTSEC-2021-0003"]);
    Some((data, mirror, dir))
}

/// Breaks the small mirror with `corrupt`, syncs it, and checks that the sync is refused with
/// a message naming `source` and `file`, that nothing moved, and that the audit still finds
/// smallvec's advisory. Returns the error message.
fn refused(corrupt: impl FnOnce(&Path, &Path), source: &str, file: &str) -> Option<String> {
    let (data, mirror, dir) = synced_small()?;
    let before = current(dir.path());
    let generations_before = generations(dir.path());
    corrupt(&data, mirror.path());

    let out = sync(dir.path(), mirror.path(), &["-q"]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("sync refused"), "{stderr}");
    let line = stderr
        .lines()
        .find(|l| l.contains(file))
        .unwrap_or_else(|| panic!("{file} not named: {stderr}"));
    assert!(line.trim_start().starts_with(source), "{line}");
    assert!(stderr.contains(before.trim()), "the index kept: {stderr}");
    assert!(stderr.contains("--allow-partial"), "{stderr}");

    assert_eq!(current(dir.path()), before, "CURRENT moved");
    assert_eq!(generations(dir.path()), generations_before, "left behind");
    assert_eq!(smallvec_advisories(dir.path()), ["RUSTSEC-2021-0003"]);
    Some(line.to_owned())
}

#[test]
fn a_truncated_osv_zip_is_refused() {
    let Some(line) = refused(
        |data, mirror| {
            let rel = "osv/crates.io/all.zip";
            replace(mirror, rel, &head(data, rel, 600_000));
        },
        "OSV crates.io",
        "osv/crates.io/all.zip",
    ) else {
        return;
    };
    assert!(line.contains("zip"), "{line}");
}

#[test]
fn a_truncated_tar_gz_is_refused() {
    let Some(line) = refused(
        |data, mirror| {
            let rel = "endoflife/products.tar.gz";
            replace(mirror, rel, &head(data, rel, 200_000));
        },
        "endoflife.date products",
        "endoflife/products.tar.gz",
    ) else {
        return;
    };
    assert!(line.contains("tar.gz"), "{line}");
}

#[test]
fn a_tar_bomb_is_refused() {
    let Some(line) = refused(
        |_, mirror| replace(mirror, "endoflife/products.tar.gz", &tar_gz_bomb()),
        "endoflife.date products",
        "endoflife/products.tar.gz",
    ) else {
        return;
    };
    // vigie_lifecycle::Limits::default().max_total: 256 MiB.
    assert!(
        line.contains("inflates past the limit of 268435456 bytes"),
        "{line}"
    );
}

#[test]
fn a_malformed_kev_catalogue_is_refused() {
    let Some(line) = refused(
        |data, mirror| {
            let rel = "kev/known_exploited_vulnerabilities.json";
            replace(mirror, rel, &head(data, rel, 100_000));
        },
        "CISA KEV",
        "kev/known_exploited_vulnerabilities.json",
    ) else {
        return;
    };
    assert!(line.contains("EOF"), "{line}");
}

#[test]
fn a_malformed_licence_list_is_refused() {
    let Some(line) = refused(
        |data, mirror| {
            let rel = "spdx/licenses.json";
            replace(mirror, rel, &head(data, rel, 1_000));
        },
        "SPDX licence list",
        "spdx/licenses.json",
    ) else {
        return;
    };
    assert!(line.contains("licenses.json"), "{line}");
}

#[test]
fn a_source_the_index_in_use_holds_is_not_dropped_silently() {
    let Some((_, mirror, dir)) = synced_small() else {
        return;
    };
    let before = current(dir.path());
    std::fs::remove_dir_all(mirror.path().join("kev")).unwrap();

    let out = sync(dir.path(), mirror.path(), &["-q"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains(
            "CISA KEV: held by the index in use (kev/known_exploited_vulnerabilities.json), \
             absent from this sync"
        ),
        "{stderr}"
    );
    assert_eq!(current(dir.path()), before);

    // Accepted on request: switched, said, exit 0 (nothing failed).
    let out = sync(
        dir.path(),
        mirror.path(),
        &["--allow-partial", "-f", "json"],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "stderr: {stderr}");
    assert!(stderr.contains("warning: CISA KEV"), "{stderr}");
    let v = json_of(&out);
    assert_eq!(v["dropped"][0]["source"], "CISA KEV");
    assert_ne!(current(dir.path()), before);
    assert_eq!(
        v["generation"].as_str().unwrap(),
        current(dir.path()).trim()
    );
    assert_eq!(smallvec_advisories(dir.path()), ["RUSTSEC-2021-0003"]);

    // The new index holds no KEV: a sync without it is no loss any more.
    let out = sync(dir.path(), mirror.path(), &["-q"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn allow_partial_switches_to_an_index_without_the_failed_source_and_exits_2() {
    let Some((data, mirror, dir)) = synced_small() else {
        return;
    };
    let before = current(dir.path());
    let rel = "osv/crates.io/all.zip";
    replace(mirror.path(), rel, &head(&data, rel, 600_000));
    let out = sync(dir.path(), mirror.path(), &["--allow-partial"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(
        stderr.contains("warning: OSV crates.io:") && stderr.contains(rel),
        "{stderr}"
    );
    assert_ne!(current(dir.path()), before);
}

#[test]
fn a_first_sync_that_fails_makes_no_index() {
    let Some(data) = data_dir() else { return };
    let mirror = small_mirror(&data);
    let rel = "kev/known_exploited_vulnerabilities.json";
    replace(mirror.path(), rel, b"{\"vulnerabilities\": 3}");
    let dir = tempfile::tempdir().unwrap();
    let out = sync(dir.path(), mirror.path(), &["-q"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(stderr.contains("CISA KEV: "), "{stderr}");
    assert!(stderr.contains("no knowledge index was made"), "{stderr}");
    assert!(!dir.path().join("CURRENT").exists());
    assert!(
        generations(dir.path()).is_empty(),
        "{:?}",
        generations(dir.path())
    );
}

/// A gzipped tar whose one entry declares and holds 300 MiB of zeros: about 300 kB, made
/// without compressing 300 MiB. Each 1 MiB of zeros is one deflate run ended by a full
/// flush (byte-aligned, no reference to earlier data), so the same bytes can be repeated.
/// The gzip trailer's CRC is left wrong: the reader must stop at its limit long before.
fn tar_gz_bomb() -> Vec<u8> {
    use flate2::{Compress, Compression, FlushCompress};
    fn deflate(data: &[u8], flush: FlushCompress) -> Vec<u8> {
        let mut c = Compress::new(Compression::fast(), false);
        let mut out = Vec::with_capacity(data.len() + 1024);
        c.compress_vec(data, &mut out, flush).unwrap();
        assert_eq!(c.total_in(), data.len() as u64);
        out
    }
    const MIB: u64 = 1 << 20;
    let mut header = tar::Header::new_ustar();
    header.set_path("products/bomb.md").unwrap();
    header.set_size(300 * MIB);
    header.set_mode(0o644);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();

    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    gz.extend(deflate(header.as_bytes(), FlushCompress::Full));
    let zeros = deflate(&vec![0; MIB as usize], FlushCompress::Full);
    for _ in 0..300 {
        gz.extend_from_slice(&zeros);
    }
    gz.extend(deflate(&[], FlushCompress::Finish));
    gz.extend_from_slice(&[0; 4]); // CRC-32, wrong
    gz.extend_from_slice(&(300 * MIB as u32 + 512).to_le_bytes()); // ISIZE
    gz
}

/// A file server for `vigie sync --base-url`: GET of a routed path answers its file whole
/// (200, `Content-Length`), anything else 404. One connection at a time, as vigie fetches.
struct FileServer {
    url: String,
    routes: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, PathBuf>>>,
}

impl FileServer {
    fn start() -> FileServer {
        use std::io::{BufRead, BufReader, Write};
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let routes = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::<
            String,
            PathBuf,
        >::new()));
        let served = routes.clone();
        // The thread ends with the test binary; each answer closes its connection.
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut first = String::new();
                if reader.read_line(&mut first).is_err() {
                    continue;
                }
                loop {
                    let mut line = String::new();
                    match reader.read_line(&mut line) {
                        Ok(0) | Err(_) => break,
                        Ok(_) if line == "\r\n" => break,
                        Ok(_) => {}
                    }
                }
                let path = first.split(' ').nth(1).unwrap_or("").to_owned();
                let file = served.lock().unwrap().get(&path).cloned();
                let _ = match file.and_then(|f| std::fs::read(f).ok()) {
                    Some(body) => write!(
                        stream,
                        "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                        body.len()
                    )
                    .and_then(|()| stream.write_all(&body)),
                    None => write!(
                        stream,
                        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    ),
                };
            }
        });
        FileServer { url, routes }
    }

    /// Serves `file` at `path`, or nothing (404) when `None`.
    fn route(&self, path: &str, file: Option<PathBuf>) {
        let mut routes = self.routes.lock().unwrap();
        match file {
            Some(f) => routes.insert(path.to_owned(), f),
            None => routes.remove(path),
        };
    }
}

#[test]
fn an_online_sync_follows_the_same_rule() {
    let Some(data) = data_dir() else { return };
    let server = FileServer::start();
    // `Feeds::all_from`: where each feed is under one base URL.
    for (url_path, file) in [
        ("/osv/crates.io/all.zip", "osv/crates.io/all.zip"),
        (
            "/endoflife-date/endoflife.date/tar.gz/refs/heads/master",
            "endoflife/products.tar.gz",
        ),
        (
            "/endoflife-date/release-data/tar.gz/refs/heads/main",
            "endoflife/release-data.tar.gz",
        ),
        ("/spdx/licenses.json", "spdx/licenses.json"),
        ("/spdx/exceptions.json", "spdx/exceptions.json"),
        (
            "/kev/known_exploited_vulnerabilities.json",
            "kev/known_exploited_vulnerabilities.json",
        ),
    ] {
        server.route(url_path, Some(data.join(file)));
    }
    for (file, url) in vigie_sync::NATIVE {
        server.route(&format!("/native/{url}"), Some(data.join(file)));
    }
    let dir = tempfile::tempdir().unwrap();
    let online = |dir: &Path| {
        run(
            dir,
            &[
                "sync",
                "-q",
                "--base-url",
                &server.url,
                "--ecosystem",
                "crates.io",
            ],
        )
    };
    let out = online(dir.path());
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let before = current(dir.path());
    let generations_before = generations(dir.path());

    // Downloaded whole and valid JSON, but not a KEV catalogue: the compile fails.
    let files = tempfile::tempdir().unwrap();
    let bad_kev = files.path().join("kev.json");
    std::fs::write(&bad_kev, "{\"vulnerabilities\": 3}").unwrap();
    server.route("/kev/known_exploited_vulnerabilities.json", Some(bad_kev));
    let out = online(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let kev_url = format!("{}/kev/known_exploited_vulnerabilities.json", server.url);
    assert!(
        stderr.contains(&format!(
            "CISA KEV: kev/known_exploited_vulnerabilities.json ({kev_url}): "
        )),
        "{stderr}"
    );
    assert_eq!(current(dir.path()), before);
    assert_eq!(generations(dir.path()), generations_before);

    // A feed gone: the download fails, naming the file and its URL.
    server.route(
        "/kev/known_exploited_vulnerabilities.json",
        Some(data.join("kev/known_exploited_vulnerabilities.json")),
    );
    server.route("/osv/crates.io/all.zip", None);
    let out = online(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "OSV crates.io: osv/crates.io/all.zip ({}/osv/crates.io/all.zip): HTTP status 404",
            server.url
        )),
        "{stderr}"
    );
    assert_eq!(current(dir.path()), before);
    assert_eq!(generations(dir.path()), generations_before);
    assert_eq!(smallvec_advisories(dir.path()), ["RUSTSEC-2021-0003"]);
}
