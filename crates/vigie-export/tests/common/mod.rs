//! Shared test support: where the public reference data lives.
//!
//! The data is found through `VIGIE_DATA` (default: `../shared/data` beside
//! the workspace). When it is missing, tests say so loudly and skip, unless
//! `VIGIE_REQUIRE_DATA=1` (set by `.ci/run`), where they fail.

#![allow(dead_code)]

use std::path::PathBuf;

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
