//! The integration tests of `vigie-sync`, one module per file, in one test binary (one link
//! instead of one per file).

mod common;
mod download;
mod failures;
mod feeds;
mod generations;
