//! The `composer_lock` reader on any text, as the file `p/composer.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::composer_lock::READER,
        "p/composer.lock",
        data,
    );
});
