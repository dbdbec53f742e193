//! The `pnpm_lock` reader on any text, as the file `p/pnpm-lock.yaml` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::pnpm_lock::READER,
        "p/pnpm-lock.yaml",
        data,
    );
});
