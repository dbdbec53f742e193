//! The `pubspec_lock` reader on any text, as the file `p/pubspec.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::pubspec_lock::READER,
        "p/pubspec.lock",
        data,
    );
});
