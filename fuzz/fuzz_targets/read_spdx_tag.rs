//! The `spdx_tag` reader on any text, as the file `p/sbom.spdx` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::spdx_tag::READER,
        "p/sbom.spdx",
        data,
    );
});
