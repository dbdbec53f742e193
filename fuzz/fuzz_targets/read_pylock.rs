//! The `pylock` reader on any text, as the file `p/pylock.toml` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::pylock::READER,
        "p/pylock.toml",
        data,
    );
});
