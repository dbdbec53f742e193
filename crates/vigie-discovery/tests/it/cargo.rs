//! Cargo.lock on real lockfiles: the component count equals the number of
//! `[[package]]` entries that have a `source` line, counted on the raw text.

use crate::common;

use vigie_discovery::readers::cargo_lock;

/// Counts the registry/git packages of a Cargo.lock without a TOML parser:
/// each `[[package]]` block that contains a `source = ` line.
fn count_sourced_packages(text: &str) -> usize {
    text.split("[[package]]")
        .skip(1)
        .filter(|block| block.lines().any(|l| l.starts_with("source = ")))
        .count()
}

#[test]
fn real_cargo_locks() {
    let Some(data) = common::data_dir() else {
        return;
    };
    for project in ["rust-lang-cargo", "astral-sh-ruff"] {
        let path = data.join("lockfiles").join(project).join("Cargo.lock");
        let text = std::fs::read_to_string(&path).unwrap();
        let out = common::read_data_file(&cargo_lock::READER, &path);
        assert!(
            out.diagnostics.is_empty(),
            "{project}: {:?}",
            out.diagnostics
        );
        assert_eq!(
            out.components.len(),
            count_sourced_packages(&text),
            "{project}"
        );
        assert!(
            out.components
                .iter()
                .all(|c| c.purl.starts_with("pkg:cargo/"))
        );
    }
    let cargo = common::read_data_file(
        &cargo_lock::READER,
        &data.join("lockfiles/rust-lang-cargo/Cargo.lock"),
    );
    // A workspace of several local packages does not name the project.
    assert_eq!(cargo.project_name, None);
    assert!(
        cargo
            .components
            .iter()
            .any(|c| c.name == "serde" && c.purl.starts_with("pkg:cargo/serde@1."))
    );
}

#[test]
fn osv_scanner_cargo_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/cargo");
    let expect = [
        ("empty.lock", 0, false),
        ("not-toml.txt", 0, true),
        ("one-package.lock", 1, false),
        ("package-with-build-string.lock", 1, false),
        ("two-packages-with-local.lock", 1, false),
        ("two-packages.lock", 2, false),
    ];
    for (file, n, err) in expect {
        let out = common::read_data_file(&cargo_lock::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}");
        assert_eq!(
            !out.diagnostics.is_empty(),
            err,
            "{file}: {:?}",
            out.diagnostics
        );
    }
}
