//! Cross-check with a peer tool: the licences vigie finds for the crates of
//! this workspace's own `Cargo.lock`, through the cargo registry's source
//! cache, equal the `license` that `cargo metadata --format-version 1`
//! reports for each registry package.
//!
//! The test brings what it needs itself: `cargo metadata --locked` (not
//! `--offline`) downloads and unpacks every package of `Cargo.lock`, the
//! Windows-only ones included that a Linux build never fetches, so it does
//! not depend on what earlier work left in the cache. Without a registry
//! to reach (an air-gapped machine whose cache lacks some package) it is
//! skipped loudly, unless `VIGIE_REQUIRE_DATA=1`, where that is a failure.

use std::collections::BTreeMap;
use std::path::PathBuf;

use vigie_discovery::licence_evidence::{
    EvidenceKind, EvidenceSources, cargo_registry_src, gather,
};
use vigie_discovery::{DEFAULT_MAX_FILE_SIZE, DiskSource, MemorySource, read_file_as, registry};
use vigie_model::Project;
use vigie_testkit::skip_or_fail;

#[test]
fn registry_licences_equal_cargo_metadata() {
    let workspace = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    // First, so that the registry cache holds every package of the lock.
    let out = std::process::Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked"])
        .current_dir(&workspace)
        .output()
        .unwrap();
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        skip_or_fail(&format!(
            "`cargo metadata --locked` failed (no registry to fetch from?): {err}"
        ));
        return;
    }
    let Some(reg) = cargo_registry_src() else {
        skip_or_fail("no cargo registry source cache ($CARGO_HOME/registry/src)");
        return;
    };
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // (name, version) → licence, for the packages that come from crates.io.
    let mut expected: BTreeMap<(String, String), Option<String>> = BTreeMap::new();
    for p in meta["packages"].as_array().unwrap() {
        let from_registry = p["source"]
            .as_str()
            .is_some_and(|s| s.starts_with("registry+"));
        if from_registry {
            let key = (
                p["name"].as_str().unwrap().to_owned(),
                p["version"].as_str().unwrap().to_owned(),
            );
            let licence = p["license"].as_str().map(str::to_owned).or_else(|| {
                p["license_file"].as_str().map(|f| {
                    // cargo metadata gives the absolute path; Cargo.toml the relative one.
                    let name = std::path::Path::new(f)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    format!("SEE LICENSE IN {name}")
                })
            });
            expected.insert(key, licence);
        }
    }
    assert!(expected.len() > 50, "{} registry packages", expected.len());

    let lock_path = workspace.join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path).unwrap();
    let reader = registry::by_id("cargo-lock").unwrap();
    let read = read_file_as(reader, "Cargo.lock", &lock, &MemorySource::new());
    let project = Project {
        path: workspace.display().to_string(),
        components: read.components,
        ..Project::default()
    };
    let tree = DiskSource::new(std::slice::from_ref(&workspace), DEFAULT_MAX_FILE_SIZE);
    let regsrc = DiskSource::new(std::slice::from_ref(&reg), DEFAULT_MAX_FILE_SIZE);
    let files = vec!["Cargo.lock"; project.components.len()];
    let ev = gather(
        &project,
        &files,
        &EvidenceSources {
            tree: &tree,
            cargo_registry: Some((&regsrc, reg)),
            cargo_cache: None,
        },
    );
    assert!(ev.diagnostics.is_empty(), "{:?}", ev.diagnostics);

    let mut compared = 0;
    let mut missing = Vec::new();
    for (c, e) in project.components.iter().zip(&ev.components) {
        let key = (c.name.clone(), c.version.clone().unwrap_or_default());
        let Some(want) = expected.get(&key) else {
            continue; // a workspace member or a git dependency
        };
        let got = e
            .licences
            .iter()
            .find(|l| l.kind == EvidenceKind::CargoRegistry);
        match got {
            Some(l) => {
                assert_eq!(Some(&l.licence), want.as_ref(), "{key:?}");
                compared += 1;
            }
            None => missing.push(key),
        }
    }
    // cargo metadata resolves for every platform; the lock lists them all,
    // so every registry package must have been found in the cache.
    assert!(missing.is_empty(), "not in the registry cache: {missing:?}");
    assert_eq!(compared, expected.len());
}
