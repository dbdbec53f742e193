//! A CycloneDX SBOM as a push (`POST /api/v1/scans` with an SBOM, and Dependency-Track's
//! `PUT`/`POST /api/v1/bom`): reading it and validating the document never panic.

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::run(data.len(), || {
        if let Ok(doc) = vigie_app::ingest::sbom::document("services/api", "api 1.0", data) {
            let _ = doc.validate();
        }
    });
});
