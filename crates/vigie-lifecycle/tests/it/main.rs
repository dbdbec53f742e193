//! The integration tests of `vigie-lifecycle`, one module per file, in one test binary (one link
//! instead of one per file).

mod common;
mod component_memo;
mod fixtures;
mod hostile;
mod knowledge;
mod lockfiles;
