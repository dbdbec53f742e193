//! The `pdm_lock` reader on any text, as the file `p/pdm.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::pdm_lock::READER,
        "p/pdm.lock",
        data,
    );
});
