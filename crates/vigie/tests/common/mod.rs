//! Shared support of the binary's end-to-end tests: where the workspace and
//! the reference data are, JSON of an output, schema validation.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("VIGIE_DATA") {
        Some(d) => PathBuf::from(d),
        None => workspace().join("../shared/data"),
    };
    if dir.join("SOURCES.md").is_file() {
        return Some(dir);
    }
    let msg = format!("reference data not found at {}", dir.display());
    if std::env::var("VIGIE_REQUIRE_DATA").is_ok_and(|v| v == "1") {
        panic!("{msg}");
    }
    eprintln!("\n!!! SKIPPED: {msg} !!!\n");
    None
}

pub fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Serves the schemas a schema refers to from the data folder (no network).
pub struct Local(std::collections::HashMap<String, Value>);

impl jsonschema::Retrieve for Local {
    fn retrieve(
        &self,
        uri: &jsonschema::Uri<String>,
    ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
        self.0
            .get(uri.as_str())
            .cloned()
            .ok_or_else(|| format!("schema {uri} is not in the data folder").into())
    }
}

pub fn validate(schema_path: &Path, extra: &[&Path], doc: &Value) {
    let load =
        |p: &Path| -> Value { serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap() };
    let schema = load(schema_path);
    let mut schemas = std::collections::HashMap::new();
    for p in extra {
        let v = load(p);
        let id = v["$id"].as_str().expect("schema has an $id").to_owned();
        schemas.insert(id, v);
    }
    let validator = jsonschema::options()
        .with_retriever(Local(schemas))
        .build(&schema)
        .expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(doc)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{} invalid: {errors:#?}",
        schema_path.display()
    );
}

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
