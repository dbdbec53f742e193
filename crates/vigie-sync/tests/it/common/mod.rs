//! Shared test support: where the public reference data lives, a loopback file server, and
//! the feeds of a small mirror served by it.
//!
//! Where the data is (`data_dir`) is `vigie-testkit`'s, for every crate.

#![allow(dead_code)]

pub mod server;
pub mod sync;

use std::path::{Path, PathBuf};

use vigie_sync::{Feeds, Source};
pub use vigie_testkit::data_dir;

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
    for (path, url) in vigie_sync::NATIVE {
        server.route(&format!("/native/{url}"), path);
    }
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
