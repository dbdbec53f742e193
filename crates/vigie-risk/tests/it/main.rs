//! The integration tests of `vigie-risk`, one module per file, in one test binary (one link
//! instead of one per file).

mod common;
mod plan;
mod props;
mod register;
mod schema;
mod scores;
mod scores_more;
