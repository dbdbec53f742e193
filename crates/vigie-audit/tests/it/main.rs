//! The integration tests of `vigie-audit`, one module per file, in one test binary (one link
//! instead of one per file).

mod common;
mod licence_memo;
mod licences;
mod licences_sbom;
mod matching;
