//! The body of `POST /api/v1/scans` (a `vigie-push` document, JSON, gzip-compressed or not):
//! decoding and validation never panic, and a document that validates becomes the projects
//! the server audits and the keys it stores them under.
//!
//! Input: a byte saying whether the body is gzip-compressed (odd: yes), then the body.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (b, body) = vigie_fuzz::split_first(data);
    vigie_fuzz::run(data.len(), || {
        let Ok(doc) = vigie_app::ingest::decode(body, b & 1 == 1) else {
            return;
        };
        let _ = vigie_app::ingest::receive::meta(&doc, "fuzz");
        for p in &doc.projects {
            let _ = p.to_scanned();
            let _ = vigie_app::ingest::receive::key_of(doc.commit.as_deref(), p);
        }
    });
});
