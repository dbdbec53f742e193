//! Shared test support: where the public reference data lives.
//!
//! The data is found through `VIGIE_DATA` (default: `../shared/data` beside
//! the workspace). When it is missing, tests say so loudly and skip, unless
//! `VIGIE_REQUIRE_DATA=1` (set by `.ci/run`), where they fail.

#![allow(dead_code)]

use std::path::PathBuf;

use vigie_discovery::{DiskSource, Output, Reader, read_file_as};

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

/// Reads one file of the data folder with one reader, as the scanner would,
/// the other files of its folder being reachable (`go.sum`, `-r` includes,
/// the `package.json` or `composer.json` beside a lockfile).
pub fn read_data_file(reader: &Reader, path: &std::path::Path) -> Output {
    let root = path.parent().expect("a file has a folder");
    read_in_tree(reader, root, path)
}

/// Reads `path` with `reader`, every file below `root` being reachable
/// (parent POMs and BOMs in other folders of a multi-module tree).
pub fn read_in_tree(reader: &Reader, root: &std::path::Path, path: &std::path::Path) -> Output {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let source = DiskSource::new(
        &[root.to_path_buf()],
        vigie_discovery::DEFAULT_MAX_FILE_SIZE,
    );
    let display = path.to_string_lossy();
    read_file_as(reader, &display, &text, &source)
}
