//! The `cyclonedx_json` reader on any text, as the file `p/bom.json` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::cyclonedx_json::READER,
        "p/bom.json",
        data,
    );
});
