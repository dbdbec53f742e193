//! The integration tests of `vigie-versions`, one module per file, in one test binary (one link
//! instead of one per file).

mod osv;
mod props;
mod schemes;
mod schemes_more;
mod vectors;
mod vers;
