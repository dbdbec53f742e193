//! endoflife.date: a product file (Markdown with YAML front matter) and a release-data file
//! never make the compile panic, nor does matching versions to the product's cycles.
//!
//! Input: the product file, then optionally `\0\0` and the release-data JSON; the lines of
//! the release data that are not JSON are not needed: versions to match are the product's own
//! cycles and latest releases.

#![no_main]

use vigie_lifecycle::{Knowledge, match_cycle, parse_product, parse_versions};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::run(data.len(), || {
        let (product_bytes, release_bytes) = match data.windows(2).position(|w| w == b"\0\0") {
            Some(i) => (&data[..i], Some(&data[i + 2..])),
            None => (data, None),
        };
        let Ok((mut product, _skipped)) = parse_product("fuzz", product_bytes) else {
            if let Some(r) = release_bytes {
                let _ = parse_versions(r);
            }
            return;
        };
        if let Some(r) = release_bytes {
            if let Ok((versions, _)) = parse_versions(r) {
                product.versions = versions;
            }
        }
        let mut asked: Vec<String> = Vec::new();
        for c in &product.cycles {
            asked.push(c.name.clone());
            asked.extend(c.latest.clone());
        }
        asked.extend(product.versions.iter().map(|(v, _)| v.clone()));
        for v in asked.iter().take(64) {
            let _ = match_cycle(&product, v);
            let _ = vigie_lifecycle::cycle::numeric_parts(v);
        }
        let _ = Knowledge::from_products(vec![product]);
    });
});
