//! Shared test support: where the public reference data lives, and the
//! licence knowledge built from its SPDX list.
//!
//! Where the data is (`data_dir`) is `vigie-testkit`'s, for every crate.

#![allow(dead_code)]

use std::sync::OnceLock;

use vigie_licence::LicenceKnowledge;
pub use vigie_testkit::data_dir;

/// The contents of `spdx/licenses.json` and `spdx/exceptions.json`.
pub fn spdx_files() -> Option<(String, String)> {
    let dir = data_dir()?.join("spdx");
    let read = |f: &str| {
        std::fs::read_to_string(dir.join(f)).unwrap_or_else(|e| panic!("cannot read {f}: {e}"))
    };
    Some((read("licenses.json"), read("exceptions.json")))
}

/// The knowledge built from the reference SPDX list (once per test binary).
pub fn kb() -> Option<&'static LicenceKnowledge> {
    static KB: OnceLock<Option<LicenceKnowledge>> = OnceLock::new();
    KB.get_or_init(|| {
        let (l, e) = spdx_files()?;
        Some(LicenceKnowledge::from_json(&l, &e).expect("the reference list loads"))
    })
    .as_ref()
}
