//! Shared support of the workspace's tests: a dev-dependency only, never published.
//!
//! - [`data_dir`]: the public reference data (`VIGIE_DATA`, default `../shared/data` beside
//!   the workspace). When it is missing, tests say so loudly and skip, unless
//!   `VIGIE_REQUIRE_DATA=1` (set by `.ci/run`), where they fail ([`skip_or_fail`], also for
//!   any other outside requirement a test reads).
//! - [`read_data`] and [`read_data_string`]: one file of that data.
//! - [`workspace`]: the repository's root, for `examples/` and `docs/`.
//! - [`json_of`] and [`validate`]: the JSON a command printed, checked against a schema of
//!   the repository (the schemas it refers to are served locally, never fetched).
//!
//! Each crate's integration tests are one binary, `tests/it/main.rs`, whose `common` module
//! keeps only what is that crate's own.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

/// The repository's root (the workspace).
pub fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Says loudly that a test is skipped for want of `what`, or fails when
/// `VIGIE_REQUIRE_DATA=1` (CI), where nothing may be skipped.
pub fn skip_or_fail(what: &str) {
    if std::env::var("VIGIE_REQUIRE_DATA").is_ok_and(|v| v == "1") {
        panic!("{what}");
    }
    eprintln!("\n!!! SKIPPED: {what} !!!\n");
}

/// The reference data folder, or `None` (after [`skip_or_fail`]) when absent.
pub fn data_dir() -> Option<PathBuf> {
    let dir = match std::env::var_os("VIGIE_DATA") {
        Some(d) => PathBuf::from(d),
        None => workspace().join("../shared/data"),
    };
    if dir.join("SOURCES.md").is_file() {
        return Some(dir);
    }
    skip_or_fail(&format!(
        "reference data not found at {} (set VIGIE_DATA to the shared/data folder)",
        dir.display()
    ));
    None
}

/// The bytes of `rel` in the reference data, `None` when the data is absent; a file missing
/// from present data is a failure.
pub fn read_data(rel: &str) -> Option<Vec<u8>> {
    let path = data_dir()?.join(rel);
    Some(std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())))
}

/// The folders of the reference data's `lockfiles/` that hold a file named `name`, by name
/// (`["bookstack", "excalidraw", ...]` for `package.json`), `None` when the data is absent.
pub fn lockfile_folders_with(name: &str) -> Option<Vec<String>> {
    let root = data_dir()?.join("lockfiles");
    let mut found: Vec<String> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", root.display()))
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.join(name).is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    found.sort();
    Some(found)
}

/// [`read_data`] as text.
pub fn read_data_string(rel: &str) -> Option<String> {
    let path = data_dir()?.join(rel);
    Some(
        std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display())),
    )
}

/// The standard output of a command as JSON; else a failure quoting both outputs.
pub fn json_of(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Serves the schemas a schema refers to from the files given (no network).
struct Local(HashMap<String, Value>);

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

/// Fails, with the first ten errors, unless `doc` is valid under the schema at `schema_path`;
/// `extra` are the schemas it refers to, found by their `$id`.
pub fn validate(schema_path: &Path, extra: &[&Path], doc: &Value) {
    let load = |p: &Path| -> Value {
        let text = std::fs::read_to_string(p)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", p.display()));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
    };
    let schema = load(schema_path);
    let mut schemas = HashMap::new();
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_workspace_is_the_repository_root() {
        assert!(workspace().join("ARCHITECTURE.md").is_file());
        assert!(
            workspace()
                .join("crates/vigie-testkit/Cargo.toml")
                .is_file()
        );
    }

    #[test]
    fn validate_accepts_a_valid_document_and_refuses_an_invalid_one() {
        let dir = std::env::temp_dir().join(format!("vigie-testkit-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let (schema, part) = (dir.join("s.json"), dir.join("part.json"));
        std::fs::write(
            &part,
            r#"{"$id": "https://example.invalid/part.json", "type": "integer"}"#,
        )
        .unwrap();
        std::fs::write(
            &schema,
            r#"{"type": "object", "properties": {"n": {"$ref": "https://example.invalid/part.json"}}}"#,
        )
        .unwrap();
        validate(&schema, &[&part], &serde_json::json!({"n": 3}));
        let refused = std::panic::catch_unwind(|| {
            validate(&schema, &[&part], &serde_json::json!({"n": "three"}))
        });
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            refused.is_err(),
            "a string where the schema wants an integer"
        );
    }
}
