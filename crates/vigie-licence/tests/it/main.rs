//! The integration tests of `vigie-licence`, one module per file, in one test binary (one link
//! instead of one per file).

mod aliases;
mod categories;
mod common;
mod compat;
mod expressions;
mod policy;
mod policy_config;
mod real_data;
mod spdx_list;
