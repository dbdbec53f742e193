//! The SPDX licence list (`licenses.json` and `exceptions.json`): reading it never panics, and
//! the knowledge built on it (with vigie's alias and category tables) either builds or says why.
//!
//! Input: `licenses.json`, then `\0\0`, then `exceptions.json` (empty list when absent).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(text) = vigie_fuzz::text(data) else {
        return;
    };
    vigie_fuzz::run(data.len(), || {
        let (licences, exceptions) = text
            .split_once("\0\0")
            .unwrap_or((text, r#"{"exceptions":[]}"#));
        if let Ok(list) = vigie_licence::LicenceList::from_json(licences, exceptions) {
            for l in list.licences().iter().take(16) {
                let _ = list.parse(&l.id);
                let _ = list.upgrade(&l.id);
            }
            let _ = vigie_licence::LicenceKnowledge::new(list);
        }
    });
});
