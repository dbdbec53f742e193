//! The catalog: YAML entity files into a resolved `Catalog`, then its checks, lookups and
//! record of processing. Never panics, never fails as a whole.
//!
//! Input: files split at `\0\0`; the first is `catalog-info.yaml`, each later part is
//! `path\ntext` (entities of several files refer to each other).

#![no_main]

use vigie_catalog::{CheckOptions, load};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some(text) = vigie_fuzz::text(data) else {
        return;
    };
    vigie_fuzz::run(data.len(), || {
        let mut parts = vigie_fuzz::parts(text);
        let mut files = vec![("catalog-info.yaml", parts.next().unwrap_or_default())];
        files.extend(parts.filter_map(|p| p.split_once('\n')));
        for (path, text) in &files {
            let _ = (
                vigie_catalog::is_catalog_file(path),
                vigie_catalog::looks_like_catalog(path, text),
            );
        }
        let catalog = load(files.iter().copied());
        let mut opts = CheckOptions::new(jiff::civil::date(2026, 12, 7));
        opts.projects = vec!["repos/a".into(), "services/b".into()];
        let _ = catalog.check(&opts);
        let _ = catalog.record_of_processing();
        for e in catalog.entities.iter().take(32) {
            let r = &e.entity_ref;
            let _ = (
                catalog.owners(r),
                catalog.system_of(r),
                catalog.ownership_chain(r),
            );
            let _ = catalog.relations_from(r).count();
        }
        let _ = catalog.summaries();
        let _ = catalog.systems_of_repository("repos/a");
    });
});
