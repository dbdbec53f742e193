//! The `gradle_lockfile` reader on any text, as the file `p/gradle.lockfile` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::gradle_lockfile::READER,
        "p/gradle.lockfile",
        data,
    );
});
