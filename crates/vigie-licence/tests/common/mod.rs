//! Shared test support: where the public reference data lives, and the
//! licence knowledge built from its SPDX list.
//!
//! The data is found through `VIGIE_DATA` (default: `../shared/data` beside
//! the workspace). When it is missing, tests say so loudly and skip, unless
//! `VIGIE_REQUIRE_DATA=1` (set by `.ci/run`), where they fail.

#![allow(dead_code)]

use std::path::PathBuf;
use std::sync::OnceLock;

use vigie_licence::LicenceKnowledge;

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

/// The contents of `spdx/licenses.json` and `spdx/exceptions.json`.
pub fn spdx_files() -> Option<(String, String)> {
    let dir = data_dir()?.join("spdx");
    let read = |f: &str| {
        std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("cannot read {f}: {e}"))
    };
    Some((read("licenses.json"), read("exceptions.json")))
}

/// The knowledge built from the reference SPDX list (once per test binary).
pub fn kb() -> Option<&'static LicenceKnowledge> {
    static KB: OnceLock<Option<LicenceKnowledge>> = OnceLock::new();
    KB.get_or_init(|| {
        let (l, e) = spdx_files()?;
        Some(LicenceKnowledge::from_json(&l, &e).expect("the reference list loads"))
    })
    .as_ref()
}
