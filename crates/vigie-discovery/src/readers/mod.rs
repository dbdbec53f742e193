//! One module per format, each of the same shape: a `READER` constant and a
//! `read` function. To add a format, copy `cargo_lock.rs`, change it, and add
//! one line to [`crate::registry::READERS`].

pub mod util;

pub mod cargo_lock;
pub mod cargo_toml;
pub mod composer_json;
pub mod composer_lock;
pub mod gemfile_lock;
pub mod pdm_lock;
pub mod pipfile_lock;
pub mod poetry_lock;
pub mod pylock;
pub mod pyproject;
pub mod requirements_txt;
pub mod uv_lock;
