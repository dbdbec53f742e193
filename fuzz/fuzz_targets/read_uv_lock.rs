//! The `uv_lock` reader on any text, as the file `p/uv.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::uv_lock::READER,
        "p/uv.lock",
        data,
    );
});
