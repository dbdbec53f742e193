//! Licence evidence from installed metadata, on a tree laid out by hand in
//! a temporary folder: every expected value is what the fixture files say.

use std::path::{Path, PathBuf};

use vigie_discovery::licence_evidence::{EvidenceKind, EvidenceSources, gather};
use vigie_discovery::{DEFAULT_MAX_FILE_SIZE, DiskSource};
use vigie_model::{Component, Ecosystem, Project};

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn project(dir: &Path, components: Vec<Component>) -> Project {
    Project {
        name: "p".into(),
        path: dir.display().to_string(),
        components,
        ..Project::default()
    }
}

#[test]
fn installed_and_vendored_metadata_give_licences_and_copyrights() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    let registry = tempfile::tempdir().unwrap();
    let reg = registry.path().canonicalize().unwrap();
    write(
        &root,
        "package.json",
        r#"{"name":"p","license":"Apache-2.0"}"#,
    );
    write(
        &root,
        "node_modules/left-pad/package.json",
        r#"{"version":"1.3.0","license":"WTFPL"}"#,
    );
    write(
        &root,
        "node_modules/left-pad/LICENSE",
        "Copyright (c) 2018 Azer\nDo what you want\n",
    );
    write(
        &root,
        "node_modules/@scope/old/package.json",
        r#"{"version":"0.1.0","licenses":[{"type":"MIT"},{"type":"GPL-2.0"}]}"#,
    );
    // Another version installed: no evidence for 2.0.0.
    write(
        &root,
        "node_modules/other/package.json",
        r#"{"version":"1.0.0","license":"ISC"}"#,
    );
    write(
        &root,
        ".venv/lib/python3.12/site-packages/Requests-2.31.0.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0\n\n",
    );
    write(
        &root,
        ".venv/lib/python3.12/site-packages/attrs-23.1.0.dist-info/METADATA",
        "Name: attrs\nLicense-Expression: MIT\n",
    );
    write(
        &root,
        ".venv/lib/python3.12/site-packages/attrs-23.1.0.dist-info/licenses/LICENSE",
        "Copyright (c) 2015 Hynek Schlawack\n",
    );
    write(
        &root,
        "vendor/serde-1.0.0/Cargo.toml",
        "[package]\nname='serde'\nversion='1.0.0'\nlicense='MIT OR Apache-2.0'\n",
    );
    write(
        &root,
        "vendor/monolog/monolog/composer.json",
        r#"{"license":"MIT"}"#,
    );
    write(
        &reg,
        "index.crates.io-1/libc-0.2.150/Cargo.toml",
        "[package]\nname='libc'\nversion='0.2.150'\nlicense-file='LICENSE'\n",
    );
    write(
        &reg,
        "index.crates.io-1/libc-0.2.150/LICENSE-MIT",
        "Copyright (c) 2014-2020 The Rust Project Developers\n",
    );

    let comps = vec![
        Component::new(Ecosystem::Npm, "left-pad", Some("1.3.0")),
        Component::new(Ecosystem::Npm, "@scope/old", Some("0.1.0")),
        Component::new(Ecosystem::Npm, "other", Some("2.0.0")),
        Component::new(Ecosystem::PyPI, "requests", Some("2.31.0")),
        Component::new(Ecosystem::PyPI, "attrs", Some("23.1.0")),
        Component::new(Ecosystem::Cargo, "serde", Some("1.0.0")),
        Component::new(Ecosystem::Cargo, "libc", Some("0.2.150")),
        Component::new(Ecosystem::Packagist, "monolog/monolog", Some("3.0.0")),
        Component::new(Ecosystem::Npm, "declared", Some("1.0.0"))
            .with_licence(Some("BSD-2-Clause".into())),
    ];
    let p = project(&root, comps);
    let tree = DiskSource::new(std::slice::from_ref(&root), DEFAULT_MAX_FILE_SIZE);
    let regsrc = DiskSource::new(std::slice::from_ref(&reg), DEFAULT_MAX_FILE_SIZE);
    let files = vec!["package-lock.json"; p.components.len()];
    let ev = gather(
        &p,
        &files,
        &EvidenceSources {
            tree: &tree,
            cargo_registry: Some((&regsrc, reg.clone())),
            cargo_cache: None,
        },
    );
    let first = |i: usize| {
        ev.components[i]
            .licences
            .first()
            .map(|e| (e.licence.as_str(), e.kind))
    };
    assert_eq!(first(0), Some(("WTFPL", EvidenceKind::NodeModules)));
    assert_eq!(ev.components[0].copyright, ["Copyright (c) 2018 Azer"]);
    assert_eq!(
        first(1),
        Some(("MIT OR GPL-2.0", EvidenceKind::NodeModules))
    );
    assert_eq!(first(2), None);
    assert_eq!(first(3), Some(("Apache 2.0", EvidenceKind::DistInfo)));
    assert_eq!(first(4), Some(("MIT", EvidenceKind::DistInfo)));
    assert_eq!(
        ev.components[4].copyright,
        ["Copyright (c) 2015 Hynek Schlawack"]
    );
    assert_eq!(
        first(5),
        Some(("MIT OR Apache-2.0", EvidenceKind::Vendored))
    );
    assert_eq!(
        first(6),
        Some(("SEE LICENSE IN LICENSE", EvidenceKind::CargoRegistry))
    );
    assert_eq!(
        ev.components[6].copyright,
        ["Copyright (c) 2014-2020 The Rust Project Developers"]
    );
    assert_eq!(first(7), Some(("MIT", EvidenceKind::Vendored)));
    let d = &ev.components[8].licences[0];
    assert_eq!(
        (d.licence.as_str(), d.kind, d.file.as_str()),
        ("BSD-2-Clause", EvidenceKind::Declared, "package-lock.json")
    );
    let own = ev.own.unwrap();
    assert_eq!(
        (own.licence.as_str(), own.kind),
        ("Apache-2.0", EvidenceKind::Manifest)
    );
    assert!(ev.diagnostics.is_empty(), "{:?}", ev.diagnostics);
}

#[cfg(unix)]
#[test]
fn a_link_out_of_the_tree_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root: PathBuf = tmp.path().canonicalize().unwrap().join("proj");
    let outside = tmp.path().canonicalize().unwrap().join("outside");
    write(
        &outside,
        "package.json",
        r#"{"version":"1.0.0","license":"MIT"}"#,
    );
    std::fs::create_dir_all(root.join("node_modules")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("node_modules/evil")).unwrap();
    let p = project(
        &root,
        vec![Component::new(Ecosystem::Npm, "evil", Some("1.0.0"))],
    );
    let tree = DiskSource::new(std::slice::from_ref(&root), DEFAULT_MAX_FILE_SIZE);
    let ev = gather(
        &p,
        &["package-lock.json"],
        &EvidenceSources {
            tree: &tree,
            cargo_registry: None,
            cargo_cache: None,
        },
    );
    assert!(ev.components[0].licences.is_empty());
    assert_eq!(ev.diagnostics.len(), 1, "{:?}", ev.diagnostics);
    assert!(
        ev.diagnostics[0].message.contains("outside"),
        "{:?}",
        ev.diagnostics
    );
}

#[test]
fn oversized_metadata_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().canonicalize().unwrap();
    write(
        &root,
        "node_modules/big/package.json",
        &format!(
            r#"{{"version":"1.0.0","license":"MIT","x":"{}"}}"#,
            "a".repeat(2000)
        ),
    );
    let p = project(
        &root,
        vec![Component::new(Ecosystem::Npm, "big", Some("1.0.0"))],
    );
    let tree = DiskSource::new(std::slice::from_ref(&root), 1000);
    let ev = gather(
        &p,
        &["package-lock.json"],
        &EvidenceSources {
            tree: &tree,
            cargo_registry: None,
            cargo_cache: None,
        },
    );
    assert!(ev.components[0].licences.is_empty());
    assert_eq!(ev.diagnostics[0].code, "unreadable-licence-evidence");
}
