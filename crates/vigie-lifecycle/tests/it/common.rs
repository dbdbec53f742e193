//! Shared test support: where the public reference data lives, and the
//! knowledge compiled from it once per test binary.
//!
//! Where the data is (`data_dir`) is `vigie-testkit`'s, for every crate.

#![allow(dead_code)]

use std::sync::OnceLock;

use vigie_lifecycle::{Knowledge, Policy};
pub use vigie_testkit::data_dir;
/// The bytes of a file of the data folder.
pub use vigie_testkit::read_data as read;

/// The knowledge compiled from the real archives (once).
pub fn knowledge() -> Option<&'static Knowledge> {
    static K: OnceLock<Option<Knowledge>> = OnceLock::new();
    K.get_or_init(|| {
        let products = read("endoflife/products.tar.gz")?;
        let releases = read("endoflife/release-data.tar.gz")?;
        let (k, _) = Knowledge::compile(&products, Some(&releases), &Default::default())
            .expect("the real archives compile");
        Some(k)
    })
    .as_ref()
}

/// The day every expectation is worked out for: the day the reference data
/// was taken (SOURCES.md: newest commit 2026-08-22).
pub fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 8, 22)
}

/// [`today`] with the default horizon.
pub fn policy() -> Policy {
    Policy::new(today())
}

/// Reads one lockfile of the data folder with one discovery reader (by id),
/// as the scanner would, the other files of its folder being reachable.
/// Returns the output and the file's path as the components' file.
pub fn read_lockfile(reader_id: &str, rel: &str) -> Option<(vigie_discovery::Output, String)> {
    let dir = data_dir()?;
    let path = dir.join(rel);
    let reader = vigie_discovery::registry::by_id(reader_id).expect("a reader of that id");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let root = path.parent().expect("a file has a folder").to_path_buf();
    let source = vigie_discovery::DiskSource::new(&[root], vigie_discovery::DEFAULT_MAX_FILE_SIZE);
    Some((
        vigie_discovery::read_file_as(reader, rel, &text, &source),
        rel.to_owned(),
    ))
}
