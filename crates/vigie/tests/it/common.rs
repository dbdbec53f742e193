//! Shared support of the binary's end-to-end tests: running vigie, and a data directory
//! synced once. Where the workspace and the reference data are, the JSON of an output and
//! schema validation are `vigie-testkit`'s.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

pub use vigie_testkit::{data_dir, json_of, validate, workspace};

/// Runs vigie from the workspace with `data` as its data directory (no store from the
/// environment).
pub fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", data)
        .env_remove("VIGIE_DB")
        .output()
        .expect("vigie runs")
}

/// `out`, once checked to have exited 0 (else its stderr is the failure).
pub fn ok(out: Output) -> Output {
    assert_eq!(
        out.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A data directory with the reference mirror synced into it, once per test binary.
pub fn synced() -> Option<&'static Path> {
    static DIR: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    DIR.get_or_init(|| {
        let data = data_dir()?;
        let dir = tempfile::tempdir().unwrap();
        ok(run(
            dir.path(),
            &["sync", "-q", "--mirror", data.to_str().unwrap()],
        ));
        Some(dir)
    })
    .as_ref()
    .map(|d| d.path())
}
