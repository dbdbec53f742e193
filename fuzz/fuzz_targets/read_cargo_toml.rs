//! The `cargo_toml` reader on any text, as the file `p/Cargo.toml` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::cargo_toml::READER,
        "p/Cargo.toml",
        data,
    );
});
