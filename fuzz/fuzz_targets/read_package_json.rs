//! The `package_json` reader on any text, as the file `p/package.json` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::package_json::READER,
        "p/package.json",
        data,
    );
});
