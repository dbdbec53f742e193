//! The `pom_xml` reader on any text, as the file `p/a/pom.xml` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::pom_xml::READER,
        "p/a/pom.xml",
        data,
    );
});
