//! The `cargo_lock` reader on any text, as the file `p/Cargo.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::cargo_lock::READER,
        "p/Cargo.lock",
        data,
    );
});
