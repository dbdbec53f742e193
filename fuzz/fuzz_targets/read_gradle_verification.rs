//! The `gradle_verification` reader on any text, as the file `p/gradle/verification-metadata.xml` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::gradle_verification::READER,
        "p/gradle/verification-metadata.xml",
        data,
    );
});
