//! The `nuget_lock` reader on any text, as the file `p/packages.lock.json` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::nuget_lock::READER,
        "p/packages.lock.json",
        data,
    );
});
