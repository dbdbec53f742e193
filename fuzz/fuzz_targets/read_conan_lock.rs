//! The `conan_lock` reader on any text, as the file `p/conan.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::conan_lock::READER,
        "p/conan.lock",
        data,
    );
});
