//! The `apk_installed` reader on any text, as the file `p/lib/apk/db/installed` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::apk_installed::READER,
        "p/lib/apk/db/installed",
        data,
    );
});
