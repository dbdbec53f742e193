//! The CISA KEV catalogue: parsing never panics, and every entry it keeps is found again.

#![no_main]

use vigie_knowledge::kev::Kev;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::run(data.len(), || {
        let Ok(kev) = Kev::parse(data) else {
            return;
        };
        let _ = (kev.len(), kev.is_empty(), kev.get("CVE-2021-44228"));
        let mut twice = Kev::parse(data).expect("parsed once");
        twice.extend(kev);
        let _ = twice.len();
    });
});
