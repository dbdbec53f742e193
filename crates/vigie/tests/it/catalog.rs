//! End-to-end tests of `vigie catalog`: the example estate's catalog, a
//! broken catalog (exit 2, file:line), and `[catalog] files` in vigie.toml.

use std::process::{Command, Output};

use crate::common;
use common::{json_of, workspace};

fn vigie_in(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("vigie runs")
}

#[test]
fn example_catalog_checks_with_warnings_only() {
    let out = vigie_in(
        &workspace(),
        &[
            "catalog",
            "check",
            "examples/acme",
            "--today",
            "2026-11-26",
            "-f",
            "json",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let doc = json_of(&out);
    // 4 files in examples/acme/catalog and edge-proxy/catalog-info.yaml.
    assert_eq!(doc["files"].as_array().unwrap().len(), 5);
    // Hand count of the example: 11 org + 13 systems.yaml + 2 data stores
    // + 5 saas.yaml + 1 edge-proxy.
    assert_eq!(doc["entities"], 32);
    assert_eq!(doc["errors"], 0);
    // The nine warnings worked out in crates/vigie-catalog/tests/it/acme.rs.
    assert_eq!(doc["warnings"], 9);
    let unlinked: Vec<&str> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "repository-not-linked")
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert_eq!(unlinked, ["examples/acme/ops-tools"]);
}

#[test]
fn broken_catalog_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let text = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
spec:
  type: website
  lifecycle: production
  owner: team-nobody
";
    std::fs::write(dir.path().join("catalog-info.yaml"), text).unwrap();
    let out = vigie_in(dir.path(), &["catalog", "check", "."]);
    assert_eq!(out.status.code(), Some(2));
    let stdout = String::from_utf8_lossy(&out.stdout);
    // line 8 is `owner: team-nobody`, a group that does not exist.
    assert!(
        stdout.contains("catalog-info.yaml:8: error[dangling-reference]"),
        "{stdout}"
    );
}

#[test]
fn a_config_given_lists_files_outside_the_tree_and_show_prints_json() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    std::fs::create_dir_all(dir.path().join("org")).unwrap();
    std::fs::write(
        dir.path().join("org/teams.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {name: team-a}\nspec: {type: team, children: []}\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("vigie.toml"),
        "[catalog]\nfiles = [\"../org/teams.yaml\"]\n",
    )
    .unwrap();
    std::fs::write(
        repo.join("catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: s}\nspec: {owner: team-a}\n",
    )
    .unwrap();
    // Found in the scanned folder, the file is the repository's: it names nothing outside.
    let out = vigie_in(dir.path(), &["catalog", "show", "repo", "-f", "json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("catalog.files[0] = \"../org/teams.yaml\""),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Named by the user, it may.
    let args = [
        "catalog",
        "show",
        "repo",
        "-f",
        "json",
        "--config",
        "repo/vigie.toml",
    ];
    let out = vigie_in(dir.path(), &args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json_of(&out);
    let refs: Vec<&str> = doc["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entityRef"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["system:default/s", "group:default/team-a"]);
    assert!(
        doc["relations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["type"] == "ownedBy")
    );
}
