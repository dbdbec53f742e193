//! The `pyproject` reader on any text, as the file `p/pyproject.toml` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::pyproject::READER,
        "p/pyproject.toml",
        data,
    );
});
