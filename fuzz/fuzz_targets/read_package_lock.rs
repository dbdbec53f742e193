//! The `package_lock` reader on any text, as the file `p/package-lock.json` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::package_lock::READER,
        "p/package-lock.json",
        data,
    );
});
