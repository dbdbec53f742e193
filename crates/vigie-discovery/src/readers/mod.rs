//! One module per format, each of the same shape: a `READER` constant and a
//! `read` function. To add a format, copy `cargo_lock.rs`, change it, and add
//! one line to [`crate::registry::READERS`].

pub mod util;

pub mod bun_lock;
pub mod cargo_lock;
pub mod cargo_toml;
pub mod package_json;
pub mod package_lock;
pub mod pnpm_lock;
pub mod yarn_lock;
