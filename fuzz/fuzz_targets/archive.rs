//! The mirror's archives, read as hostile input: OSV `all.zip` (zip of JSON records), the
//! endoflife.date `*.tar.gz`, and the SPDX `details.tar.gz`. Reading never panics and stays
//! within the limits, which are small here so that the fuzzer reaches them.
//!
//! Input: a byte choosing the reader, then the archive.

#![no_main]

use std::io::Cursor;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (b, bytes) = vigie_fuzz::split_first(data);
    vigie_fuzz::run(data.len(), || match b % 3 {
        0 => {
            let limits = vigie_knowledge::archive::Limits {
                max_entry: 1 << 20,
                max_total: 4 << 20,
                max_ratio: 100,
                max_entries: 1000,
            };
            let _ = vigie_knowledge::archive::entry_count(Cursor::new(bytes), limits);
            let _ =
                vigie_knowledge::archive::for_each_json(Cursor::new(bytes), limits, |_, json| {
                    let _ = vigie_knowledge::osv::compile(json);
                });
        }
        1 => {
            let limits = vigie_lifecycle::Limits {
                max_entry: 1 << 20,
                max_total: 4 << 20,
                max_entries: 1000,
            };
            let _ = vigie_lifecycle::archive::for_each_file(
                bytes,
                &limits,
                |p| {
                    vigie_lifecycle::archive::product_name(p).is_some()
                        || vigie_lifecycle::archive::release_data_name(p).is_some()
                },
                |_, _| {},
            );
            let _ = vigie_lifecycle::Knowledge::compile(bytes, Some(bytes), &limits);
        }
        _ => {
            let mut report = vigie_knowledge::compile::SourceReport::default();
            let _ = vigie_knowledge::licences::read_details(bytes, &mut report);
        }
    });
});
