//! `vigie serve`: the folders given are named once (`vigie_app::estate::scan_root`), so a path
//! written with `..` stores projects that the catalog links to their systems and owners, as
//! the plain path does; a folder that does not exist stops the start.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{ok, run, synced, workspace};

/// A server stopped when dropped.
struct Served(Child);

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// The projects' (path, systems, owners) that `vigie serve PATH` shows through the API once
/// its first scan is stored.
fn served_projects(data: &Path, path: &str) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigie.db");
    let db = db.to_str().unwrap();
    let made = ok(run(
        data,
        &[
            "token", "create", "--scope", "read", "--name", "t", "--db", db,
        ],
    ));
    let token = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(["serve", path, "--listen", "127.0.0.1:0", "--db", db])
        .current_dir(workspace())
        .env("VIGIE_DATA_DIR", data)
        .env("VIGIE_ADMIN_PASSWORD", "a long enough test password")
        .env("RUST_LOG", "warn")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let served = Served(child);
    let mut lines = BufReader::new(stderr).lines();
    let base = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split("serving on ")
                .nth(1)
                .and_then(|r| r.split('/').nth(2))
                .map(|addr| format!("http://{addr}"))
        })
        .expect("the server says where it listens");
    // Keep reading its standard error, so it never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let started = Instant::now();
    let body = loop {
        let r = agent
            .get(format!("{base}/api/v1/projects?limit=100"))
            .header("authorization", format!("Bearer {token}"))
            .call();
        if let Ok(mut r) = r
            && r.status() == 200
        {
            break r.body_mut().read_to_string().unwrap();
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the first scan is stored"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    drop(served);
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut out: Vec<(String, String, String)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["path"].as_str().unwrap().to_owned(),
                p["systems"].to_string(),
                p["owners"].to_string(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn a_path_with_dot_dot_links_projects_as_the_plain_path_does() {
    let Some(data) = synced() else { return };
    let plain = served_projects(data, "examples/acme");
    let billing = plain
        .iter()
        .find(|p| p.0 == "examples/acme/billing-api")
        .expect("billing-api is a project of examples/acme");
    assert_ne!(billing.1, "[]", "linked to its system: {billing:?}");
    assert_ne!(billing.2, "[]", "with its owners: {billing:?}");
    let dotted = served_projects(data, "examples/acme/../acme");
    assert_eq!(dotted, plain);
}

#[test]
fn a_folder_that_does_not_exist_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigie.db");
    let out = run(
        dir.path(),
        &[
            "serve",
            "examples/no-such-folder",
            "--listen",
            "127.0.0.1:0",
            "--db",
            db.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("examples/no-such-folder"), "{stderr}");
}
