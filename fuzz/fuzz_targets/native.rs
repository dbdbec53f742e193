//! The native advisory feeds (`vigie_knowledge::native`): first byte, the feed (Node.js WG,
//! RubySec, FriendsOfPHP); the rest, one record. Reading never panics, and every `vers:`
//! range a record keeps reads back and answers for the versions it names.

#![no_main]

use vigie_knowledge::native::FEEDS;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    vigie_fuzz::run(data.len(), || {
        let Some((&which, record)) = data.split_first() else {
            return;
        };
        let feed = &FEEDS[usize::from(which) % FEEDS.len()];
        let name = ["vuln/npm/1.json", "gems/a/CVE-2020-0001.yml", "a/b/x.yaml"]
            [usize::from(which) % FEEDS.len()];
        let Ok((advisory, affected)) = (feed.read)(name, record) else {
            return;
        };
        assert!(!advisory.id.is_empty());
        for p in &affected {
            for v in p.vers.iter().chain(&p.unaffected_vers) {
                let range = vigie_versions::vers::parse(v)
                    .unwrap_or_else(|e| panic!("{v} does not read back: {e}"));
                for f in &p.fixed {
                    let _ = range.contains(f);
                }
            }
        }
    });
});
