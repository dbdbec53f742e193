//! The `dpkg_status` reader on any text, as the file `p/var/lib/dpkg/status` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::dpkg_status::READER,
        "p/var/lib/dpkg/status",
        data,
    );
});
