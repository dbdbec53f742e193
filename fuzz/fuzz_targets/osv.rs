//! OSV records (schema 1.0–1.8): compiling one never panics, and every range it keeps
//! evaluates without panicking on the versions the record names.

#![no_main]

use vigie_versions::Scheme;
use vigie_versions::osv::{CompiledRange, unreadable_events};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::run(data.len(), || {
        let Ok((advisory, affected)) = vigie_knowledge::osv::compile(data) else {
            return;
        };
        let _ = serde_json::to_string(&advisory);
        for a in &affected {
            let base = vigie_knowledge::ecosystem_base(&a.ecosystem);
            let _ = vigie_knowledge::package_key(base, &a.name);
            let scheme = vigie_model::Ecosystem::from_osv(base)
                .map_or(Scheme::Generic, Scheme::for_ecosystem);
            for range in &a.ranges {
                let range = vigie_versions::osv::Range::from(range);
                let _ = unreadable_events(scheme, &range);
                let Ok(compiled) = CompiledRange::new(scheme, &range) else {
                    continue;
                };
                for v in &a.versions {
                    if let Ok(v) = scheme.parse(v) {
                        let _ = compiled.contains(&v);
                    }
                }
            }
        }
    });
});
