//! The `pipfile_lock` reader on any text, as the file `p/Pipfile.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::pipfile_lock::READER,
        "p/Pipfile.lock",
        data,
    );
});
