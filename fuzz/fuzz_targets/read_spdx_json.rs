//! The `spdx_json` reader on any text, as the file `p/sbom.spdx.json` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::spdx_json::READER,
        "p/sbom.spdx.json",
        data,
    );
});
