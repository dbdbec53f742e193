//! Version schemes: parsing never panics, and each scheme's order is total (antisymmetric,
//! transitive, and the same through `Scheme::compare`) on triples of versions.
//!
//! Input: a byte choosing the scheme, then up to three versions, one per line.

#![no_main]

use std::cmp::Ordering;

use vigie_versions::Scheme;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (b, rest) = vigie_fuzz::split_first(data);
    let scheme = Scheme::ALL[usize::from(b) % Scheme::ALL.len()];
    let Some(text) = vigie_fuzz::text(rest) else {
        return;
    };
    vigie_fuzz::run(data.len(), || {
        let texts: Vec<&str> = text.splitn(3, '\n').collect();
        let mut parsed = Vec::new();
        for t in &texts {
            if let Ok(v) = scheme.parse(t) {
                let _ = (v.is_prerelease(), v.is_legacy());
                assert_eq!(v.cmp(&v), Ordering::Equal, "{t:?} is not equal to itself");
                // The text kept is the input without its surrounding whitespace, and it reads
                // back as an equal version.
                let again = scheme
                    .parse(v.as_str())
                    .unwrap_or_else(|e| panic!("{t:?} read, its text {:?} not: {e}", v.as_str()));
                assert_eq!(
                    again.cmp(&v),
                    Ordering::Equal,
                    "{t:?} changed when read again"
                );
                parsed.push(v);
            }
        }
        for a in &parsed {
            for b in &parsed {
                let ab = a.cmp(b);
                assert_eq!(ab, b.cmp(a).reverse(), "{a:?} vs {b:?}: not antisymmetric");
                assert_eq!(
                    scheme.compare(a.as_str(), b.as_str()).ok(),
                    Some(ab),
                    "{a:?} vs {b:?}: Scheme::compare disagrees"
                );
                for c in &parsed {
                    if ab != Ordering::Greater && b.cmp(c) != Ordering::Greater {
                        assert_ne!(a.cmp(c), Ordering::Greater, "{a:?} <= {b:?} <= {c:?}");
                    }
                }
            }
        }
    });
});
