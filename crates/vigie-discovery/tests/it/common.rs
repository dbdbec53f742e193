//! Shared test support: where the public reference data lives.
//!
//! Where the data is (`data_dir`) is `vigie-testkit`'s, for every crate.

#![allow(dead_code)]

use vigie_discovery::{DiskSource, Output, Reader, read_file_as};
pub use vigie_testkit::data_dir;

/// Reads one file of the data folder with one reader, as the scanner would,
/// the other files of its folder being reachable (`go.sum`, `-r` includes,
/// the `package.json` or `composer.json` beside a lockfile).
pub fn read_data_file(reader: &Reader, path: &std::path::Path) -> Output {
    let root = path.parent().expect("a file has a folder");
    read_in_tree(reader, root, path)
}

/// Reads `path` with `reader`, every file below `root` being reachable
/// (parent POMs and BOMs in other folders of a multi-module tree).
pub fn read_in_tree(reader: &Reader, root: &std::path::Path, path: &std::path::Path) -> Output {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let source = DiskSource::new(
        &[root.to_path_buf()],
        vigie_discovery::DEFAULT_MAX_FILE_SIZE,
    );
    let display = path.to_string_lossy();
    read_file_as(reader, &display, &text, &source)
}

/// Reads `text` as the file `path` with the reader `reader` (its id), with no other file.
pub fn read_text(reader: &str, path: &str, text: &str) -> Output {
    read_file_as(
        vigie_discovery::registry::by_id(reader).unwrap(),
        path,
        text,
        &vigie_discovery::MemorySource::new(),
    )
}
