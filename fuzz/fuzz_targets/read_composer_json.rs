//! The `composer_json` reader on any text, as the file `p/composer.json` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::composer_json::READER,
        "p/composer.json",
        data,
    );
});
