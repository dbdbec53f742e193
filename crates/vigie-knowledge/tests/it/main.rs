//! The integration tests of `vigie-knowledge`, one module per file, in one test binary (one link
//! instead of one per file).

mod compile;
mod cvss;
mod licences;
