//! The `renv_lock` reader on any text, as the file `p/renv.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::renv_lock::READER,
        "p/renv.lock",
        data,
    );
});
