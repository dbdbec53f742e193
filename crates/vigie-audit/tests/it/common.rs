//! Shared test support: the reference mirror compiled, and the SPDX list loaded, once per
//! test binary.
//!
//! Where the data is (`data_dir`) is `vigie-testkit`'s, for every crate.

#![allow(dead_code)]

pub use vigie_testkit::data_dir;

/// The licence knowledge of the reference SPDX list, built once per test binary.
pub fn kb() -> Option<&'static vigie_licence::LicenceKnowledge> {
    use std::sync::OnceLock;
    static KB: OnceLock<Option<vigie_licence::LicenceKnowledge>> = OnceLock::new();
    KB.get_or_init(|| {
        let dir = data_dir()?.join("spdx");
        let l = std::fs::read_to_string(dir.join("licenses.json")).unwrap();
        let e = std::fs::read_to_string(dir.join("exceptions.json")).unwrap();
        Some(vigie_licence::LicenceKnowledge::from_json(&l, &e).unwrap())
    })
    .as_ref()
}

/// The reference mirror compiled once per test binary into a temporary folder.
pub fn index() -> Option<&'static vigie_knowledge::index::Index> {
    use std::sync::OnceLock;
    static INDEX: OnceLock<Option<(tempfile::TempDir, vigie_knowledge::index::Index)>> =
        OnceLock::new();
    INDEX
        .get_or_init(|| {
            let data = data_dir()?;
            let dir = tempfile::tempdir().expect("temp dir");
            vigie_knowledge::compile::compile_mirror(&data, dir.path(), "2026-11-26T00:00:00Z")
                .expect("the reference mirror compiles");
            let index = vigie_knowledge::index::Index::open(dir.path()).expect("index opens");
            Some((dir, index))
        })
        .as_ref()
        .map(|(_, i)| i)
}
