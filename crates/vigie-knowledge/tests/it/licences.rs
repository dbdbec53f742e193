//! The SPDX licence list and texts compiled into the index: counts checked
//! against the raw files (`serde_json::Value` for the lists, the tar listing
//! for the texts), not against vigie's own model.

use std::io::Read;

use vigie_knowledge::compile::compile_mirror;
use vigie_knowledge::licences::{load_list, load_texts};

#[test]
fn the_spdx_list_and_texts_reach_the_index() {
    let Some(data) = vigie_testkit::data_dir() else {
        return;
    };
    let mirror = tempfile::tempdir().unwrap();
    std::fs::create_dir(mirror.path().join("osv")).unwrap();
    std::fs::create_dir(mirror.path().join("spdx")).unwrap();
    for f in ["licenses.json", "exceptions.json", "details.tar.gz"] {
        std::fs::copy(
            data.join("spdx").join(f),
            mirror.path().join("spdx").join(f),
        )
        .unwrap();
    }
    let out = tempfile::tempdir().unwrap();
    let manifest = compile_mirror(mirror.path(), out.path(), "2026-11-26T00:00:00Z").unwrap();

    // Independent counts: the arrays of the raw JSON files.
    let raw = |f: &str, key: &str| -> usize {
        let text = std::fs::read_to_string(data.join("spdx").join(f)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v[key].as_array().unwrap().len()
    };
    let (licences, exceptions) = (
        raw("licenses.json", "licenses"),
        raw("exceptions.json", "exceptions"),
    );
    assert_eq!((licences, exceptions), (727, 84), "SOURCES.md §2");
    assert_eq!(manifest.spdx_licences, licences);
    assert_eq!(manifest.spdx_exceptions, exceptions);
    let list = load_list(out.path()).unwrap().unwrap();
    assert_eq!(list.licences().len(), licences);
    assert_eq!(list.exceptions().len(), exceptions);

    // The texts: one per `.json` file of the archive, counted with flate2 + tar.
    let gz = std::fs::read(data.join("spdx/details.tar.gz")).unwrap();
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(&gz[..]));
    let (mut l, mut e) = (0, 0);
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().display().to_string();
        let mut s = String::new();
        entry.read_to_string(&mut s).unwrap();
        if path.starts_with("licenses/") && path.ends_with(".json") {
            l += 1;
        } else if path.starts_with("exceptions/") && path.ends_with(".json") {
            e += 1;
        }
    }
    assert_eq!(l + e, 811, "SOURCES.md §2: 811 files");
    let texts = load_texts(out.path()).unwrap();
    assert_eq!(texts.licences.len(), l);
    assert_eq!(texts.exceptions.len(), e);
    assert_eq!(manifest.licence_texts, l + e);
    let mit = &texts.licences["MIT"];
    assert!(
        mit.contains("Permission is hereby granted, free of charge"),
        "{mit}"
    );
    assert!(texts.exceptions["Classpath-exception-2.0"].contains("Linking this library"));
}

#[test]
fn a_mirror_without_spdx_compiles_without_licences() {
    let mirror = tempfile::tempdir().unwrap();
    std::fs::create_dir(mirror.path().join("osv")).unwrap();
    let out = tempfile::tempdir().unwrap();
    let manifest = compile_mirror(mirror.path(), out.path(), "2026-11-26T00:00:00Z").unwrap();
    assert_eq!(manifest.spdx_licences, 0);
    assert!(load_list(out.path()).is_none());
    assert!(load_texts(out.path()).is_none());
}

#[test]
fn a_broken_list_is_reported_not_written() {
    let mirror = tempfile::tempdir().unwrap();
    std::fs::create_dir(mirror.path().join("osv")).unwrap();
    std::fs::create_dir(mirror.path().join("spdx")).unwrap();
    std::fs::write(
        mirror.path().join("spdx/licenses.json"),
        "{\"licenses\": 3}",
    )
    .unwrap();
    std::fs::write(
        mirror.path().join("spdx/exceptions.json"),
        "{\"exceptions\": []}",
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let manifest = compile_mirror(mirror.path(), out.path(), "2026-11-26T00:00:00Z").unwrap();
    let s = manifest
        .sources
        .iter()
        .find(|s| s.path == "spdx/licenses.json")
        .unwrap();
    assert!(s.error.is_some());
    assert!(load_list(out.path()).is_none());
}
