//! The `requirements_txt` reader on any text, as the file `p/requirements.txt` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::requirements_txt::READER,
        "p/requirements.txt",
        data,
    );
});
