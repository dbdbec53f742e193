//! Shared test support: where the public reference data lives, a loopback file server, and
//! the feeds of a small mirror served by it.
//!
//! The data is found through `VIGIE_DATA` (default: `../shared/data` beside
//! the workspace). When it is missing, tests say so loudly and skip, unless
//! `VIGIE_REQUIRE_DATA=1` (set by `.ci/run`), where they fail.

#![allow(dead_code)]

pub mod server;
pub mod sync;

use std::path::{Path, PathBuf};

use vigie_sync::{Feeds, Source};

/// The reference data folder, or `None` (after a loud message) when absent.
pub fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("VIGIE_DATA") {
        Some(d) => PathBuf::from(d),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    };
    if dir.join("SOURCES.md").is_file() {
        return Some(dir);
    }
    let msg = format!(
        "reference data not found at {} (set VIGIE_DATA to the shared/data folder)",
        dir.display()
    );
    if std::env::var("VIGIE_REQUIRE_DATA").is_ok_and(|v| v == "1") {
        panic!("{msg}");
    }
    eprintln!("\n!!! SKIPPED: {msg} !!!\n");
    None
}

/// The two OSV ecosystems of the small mirror (small ones, to keep the tests quick).
pub const ECOSYSTEMS: &[&str] = &["crates.io", "CRAN"];

/// A file server over the reference data, with the endoflife.date archive URLs routed to the
/// data's `endoflife/` files, and the sources of a small mirror served by it: two OSV
/// ecosystems, endoflife.date, SPDX, KEV.
pub fn serve(data: &Path) -> (server::Server, Vec<Source>) {
    let server = server::Server::start(data);
    server.route(
        "/endoflife-date/endoflife.date/tar.gz/refs/heads/master",
        "endoflife/products.tar.gz",
    );
    server.route(
        "/endoflife-date/release-data/tar.gz/refs/heads/main",
        "endoflife/release-data.tar.gz",
    );
    let sources = Feeds::all_from(&server.url(), ECOSYSTEMS)
        .sources()
        .expect("valid feeds");
    (server, sources)
}

/// The SHA-256 of `path` as listed in the data's `MANIFEST.sha256` (computed when the data
/// was laid out, independently of this crate).
pub fn manifest_sha256(data: &Path, path: &str) -> String {
    let manifest = std::fs::read_to_string(data.join("MANIFEST.sha256")).expect("manifest");
    manifest
        .lines()
        .find_map(|l| {
            let (hash, name) = l.split_once("  ")?;
            (name == path).then(|| hash.to_string())
        })
        .unwrap_or_else(|| panic!("{path} is not in MANIFEST.sha256"))
}

/// A fresh empty folder in the system's temporary folder, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(name: &str) -> TempDir {
        let base = std::env::temp_dir().join(format!(
            "vigie-sync-test-{}-{name}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos())
        ));
        std::fs::create_dir_all(&base).expect("create temp dir");
        TempDir(base)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
