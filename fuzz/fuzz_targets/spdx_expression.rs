//! SPDX licence expressions: parsing never panics, the canonical text reads back as the same
//! expression, and the mapping of any licence string (aliases, URLs, names) never panics.
//! The SPDX list comes from `$VIGIE_DATA/spdx` when it is there (the mapping part is skipped
//! otherwise).

#![no_main]

use std::sync::OnceLock;

use vigie_licence::{Expression, LicenceKnowledge};

fn knowledge() -> Option<&'static LicenceKnowledge> {
    static K: OnceLock<Option<LicenceKnowledge>> = OnceLock::new();
    K.get_or_init(|| {
        let dir = std::path::PathBuf::from(std::env::var_os("VIGIE_DATA")?).join("spdx");
        let licences = std::fs::read_to_string(dir.join("licenses.json")).ok()?;
        let exceptions = std::fs::read_to_string(dir.join("exceptions.json")).ok()?;
        LicenceKnowledge::from_json(&licences, &exceptions).ok()
    })
    .as_ref()
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(text) = vigie_fuzz::text(data) else {
        return;
    };
    let k = knowledge();
    vigie_fuzz::run(data.len(), || {
        if let Ok(e) = Expression::parse(text) {
            let shown = e.to_string();
            let again = Expression::parse(&shown)
                .unwrap_or_else(|err| panic!("{text:?} parsed, its text {shown:?} not: {err}"));
            assert_eq!(again, e, "{text:?} -> {shown:?} reads back otherwise");
            let _ = e.terms();
        }
        if let Some(k) = k {
            let _ = k.list().parse(text);
            let m = k.map(text);
            if let Some(e) = m.expression() {
                let _ = k.list().parse(&e.to_string());
            }
        }
    });
});
