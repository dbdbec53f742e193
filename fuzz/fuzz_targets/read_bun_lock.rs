//! The `bun_lock` reader on any text, as the file `p/bun.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::bun_lock::READER,
        "p/bun.lock",
        data,
    );
});
