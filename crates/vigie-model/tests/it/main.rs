//! The integration tests of `vigie-model`, one module per file, in one test binary (one link
//! instead of one per file).

mod purl_spec;
