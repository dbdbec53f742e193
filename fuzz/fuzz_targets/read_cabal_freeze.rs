//! The `cabal_freeze` reader on any text, as the file `p/cabal.project.freeze` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::cabal_freeze::READER,
        "p/cabal.project.freeze",
        data,
    );
});
