//! The `poetry_lock` reader on any text, as the file `p/poetry.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::poetry_lock::READER,
        "p/poetry.lock",
        data,
    );
});
