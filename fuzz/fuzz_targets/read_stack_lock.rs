//! The `stack_lock` reader on any text, as the file `p/stack.yaml.lock` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::stack_lock::READER,
        "p/stack.yaml.lock",
        data,
    );
});
