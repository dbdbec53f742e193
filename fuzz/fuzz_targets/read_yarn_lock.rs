//! The `yarn_lock` reader on any text, as the file `p/yarn.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::yarn_lock::READER,
        "p/yarn.lock",
        data,
    );
});
