//! Shared support of the binary's end-to-end tests: running vigie, and a data directory
//! synced once. Where the workspace and the reference data are, the JSON of an output and
//! schema validation are `vigie-testkit`'s.

#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

pub use vigie_testkit::{data_dir, json_of, validate, workspace};

/// vigie to be run from the workspace with `args` and `data` as its data directory (no store
/// from the environment).
pub fn command(data: &Path, args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vigie"));
    c.args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", data)
        .env_remove("VIGIE_DB");
    c
}

/// Runs vigie as [`command`] makes it, to its end.
pub fn run(data: &Path, args: &[&str]) -> Output {
    command(data, args).output().expect("vigie runs")
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
