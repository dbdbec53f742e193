//! The `gemfile_lock` reader on any text, as the file `p/Gemfile.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::gemfile_lock::READER,
        "p/Gemfile.lock",
        data,
    );
});
