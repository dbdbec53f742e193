//! The `go_mod` reader on any text, as the file `p/go.mod` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(&vigie_discovery::readers::go_mod::READER, "p/go.mod", data);
});
