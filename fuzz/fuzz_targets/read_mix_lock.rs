//! The `mix_lock` reader on any text, as the file `p/mix.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::mix_lock::READER,
        "p/mix.lock",
        data,
    );
});
