//! The integration tests of `vigie-export`, one module per file, in one test binary (one link
//! instead of one per file).

mod licence_outputs;
