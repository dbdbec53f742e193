//! End-to-end tests of the `vigie` binary: exit codes, outputs, schemas.

use std::process::{Command, Output};

use crate::common;
use common::{data_dir, json_of, validate, workspace};

fn vigie(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .output()
        .expect("vigie runs")
}

/// The components of the example estate, counted by hand from the files in
/// examples/acme (packages in each lockfile, minus the project itself).
#[test]
fn example_estate_json_matches_the_schema_and_the_hand_count() {
    let out = vigie(&["inventory", "-f", "json", "examples/acme"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc = json_of(&out);
    validate(
        &workspace().join("docs/schemas/inventory.v1.schema.json"),
        &[],
        &doc,
    );
    let mut by_name = std::collections::BTreeMap::new();
    for p in doc["projects"].as_array().unwrap() {
        by_name.insert(
            p["name"].as_str().unwrap().to_owned(),
            p["components"].as_array().unwrap().len(),
        );
    }
    // Hand counts: 14 crates besides edge-proxy itself; 11 poetry packages.
    assert_eq!(by_name.get("edge-proxy"), Some(&14), "{by_name:?}");
    assert_eq!(by_name.get("acme-billing-api"), Some(&11), "{by_name:?}");
    let total: usize = by_name.values().sum();
    assert_eq!(doc["summary"]["components"].as_u64(), Some(total as u64));
}

/// vigie looks at itself: its own Cargo.lock, counted on the raw text.
#[test]
fn vigie_inventories_its_own_cargo_lock() {
    let text = std::fs::read_to_string(workspace().join("Cargo.lock")).unwrap();
    let expected = text
        .split("[[package]]")
        .skip(1)
        .filter(|b| b.lines().any(|l| l.starts_with("source = ")))
        .count();
    let out = vigie(&["inventory", "-f", "json", "Cargo.lock"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    assert_eq!(doc["summary"]["components"].as_u64(), Some(expected as u64));
    assert!(expected > 50);
}

#[test]
fn a_broken_file_is_named_and_the_rest_is_kept() {
    let dir = std::env::temp_dir().join(format!("vigie-cli-broken-{}", std::process::id()));
    let good = dir.join("good");
    let bad = dir.join("bad");
    std::fs::create_dir_all(&good).unwrap();
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        good.join("Cargo.lock"),
        "version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .unwrap();
    std::fs::write(
        bad.join("Cargo.lock"),
        "version = 3\n[[package]\nname = 1\n",
    )
    .unwrap();
    let out = vigie(&["inventory", "-f", "json", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "partial result exits 2");
    let doc = json_of(&out);
    assert_eq!(doc["summary"]["components"].as_u64(), Some(1));
    assert_eq!(doc["summary"]["errors"].as_u64(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad/Cargo.lock:2"), "{stderr}");
    assert!(!stderr.contains('\x1b'), "NO_COLOR is respected");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_missing_root_is_an_error() {
    let out = vigie(&["inventory", "does/not/exist"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("does/not/exist"));
}

#[test]
fn cyclonedx_output_validates_against_the_1_6_schema() {
    let Some(data) = data_dir() else { return };
    let out = vigie(&["inventory", "-f", "cyclonedx", "examples/acme"]);
    assert_eq!(out.status.code(), Some(0));
    let bom = json_of(&out);
    let s = data.join("schemas/cyclonedx");
    validate(
        &s.join("bom-1.6.schema.json"),
        &[&s.join("spdx.schema.json"), &s.join("jsf-0.82.schema.json")],
        &bom,
    );
    let nested: usize = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["components"].as_array().map_or(0, Vec::len))
        .sum();
    let inv = json_of(&vigie(&["inventory", "-f", "json", "examples/acme"]));
    assert_eq!(Some(nested as u64), inv["summary"]["components"].as_u64());
}

#[test]
fn spdx_output_validates_against_the_2_3_schema() {
    let Some(data) = data_dir() else { return };
    let out = vigie(&["inventory", "-f", "spdx", "examples/acme"]);
    assert_eq!(out.status.code(), Some(0));
    let doc = json_of(&out);
    validate(&data.join("schemas/spdx/spdx-2.3-schema.json"), &[], &doc);
    let inv = json_of(&vigie(&["inventory", "-f", "json", "examples/acme"]));
    let projects = inv["projects"].as_array().unwrap().len();
    let packages = doc["packages"].as_array().unwrap().len();
    assert_eq!(
        Some((packages - projects) as u64),
        inv["summary"]["components"].as_u64()
    );
}

#[test]
fn formats_lists_every_reader_as_json() {
    let out = vigie(&["formats", "-f", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let list = json_of(&out);
    let ids: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"cargo-lock"));
}

/// The CycloneDX output reads back, through vigie's own CycloneDX reader, to
/// the same set of components (compared by purl) as the JSON inventory.
#[test]
fn cyclonedx_output_reads_back_to_the_same_inventory() {
    let bom = vigie(&["inventory", "-f", "cyclonedx", "examples/acme"]);
    assert_eq!(bom.status.code(), Some(0));
    let text = String::from_utf8(bom.stdout).unwrap();
    let out = vigie_discovery::read_file_as(
        &vigie_discovery::readers::cyclonedx_json::READER,
        "bom.json",
        &text,
        &vigie_discovery::MemorySource::new(),
    );
    let errors: Vec<_> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == vigie_model::Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut back: Vec<String> = out
        .components
        .iter()
        .filter(|c| c.ecosystem != vigie_model::Ecosystem::Generic)
        .map(|c| c.purl.clone())
        .collect();
    let inv = json_of(&vigie(&["inventory", "-f", "json", "examples/acme"]));
    let mut want: Vec<String> = inv["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["components"].as_array().unwrap().iter())
        .map(|c| c["purl"].as_str().unwrap().to_owned())
        .collect();
    back.sort();
    want.sort();
    assert_eq!(back, want);
}
