//! Package URLs: parsing never panics, and where the code says a purl is canonical it is:
//! `parse(to_string(parse(x))) == parse(x)` and the text prints back unchanged.

#![no_main]

use vigie_model::Purl;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(text) = vigie_fuzz::text(data) else {
        return;
    };
    vigie_fuzz::run(data.len(), || {
        if let Ok(p) = text.parse::<Purl>() {
            let shown = p.to_string();
            let again: Purl = shown
                .parse()
                .unwrap_or_else(|e| panic!("{text:?} parsed, its text {shown:?} not: {e}"));
            assert_eq!(again, p, "{text:?} -> {shown:?} reads back otherwise");
            assert_eq!(again.to_string(), shown);
            let _ = (p.component_name(), p.clone().into_canonical());
        }
        if let Ok(p) = Purl::parse_lenient(text) {
            let shown = p.to_string();
            let again = Purl::parse_lenient(&shown)
                .unwrap_or_else(|e| panic!("{text:?} read leniently, {shown:?} not: {e}"));
            assert_eq!(
                again, p,
                "{text:?} -> {shown:?} reads back otherwise (lenient)"
            );
        }
        for e in vigie_model::Ecosystem::ALL {
            let p = Purl::for_component(e, text, Some(text));
            let _ = Purl::parse_lenient(&p.to_string());
        }
    });
});
