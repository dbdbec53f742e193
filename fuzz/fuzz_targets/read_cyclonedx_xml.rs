//! The `cyclonedx_xml` reader on any text, as the file `p/bom.xml` (later parts: files of its tree).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::read(
        &vigie_discovery::readers::cyclonedx_xml::READER,
        "p/bom.xml",
        data,
    );
});
