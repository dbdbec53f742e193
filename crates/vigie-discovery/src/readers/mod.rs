//! One module per format, each of the same shape: a `READER` constant and a
//! `read` function. To add a format, copy `cargo_lock.rs`, change it, and add
//! one line to [`crate::registry::READERS`].

mod lenient;
mod toml_parts;
pub mod util;
mod yaml_scan;

pub mod apk_installed;
pub mod bun_lock;
pub mod cabal_freeze;
pub mod cargo_lock;
pub mod cargo_toml;
pub mod composer_json;
pub mod composer_lock;
pub mod conan_lock;
pub mod cyclonedx_json;
pub mod cyclonedx_xml;
pub mod dpkg_status;
pub mod gemfile_lock;
pub mod go_mod;
pub mod gradle_lockfile;
pub mod gradle_verification;
pub mod mix_lock;
pub mod nuget_lock;
pub mod package_json;
pub mod package_lock;
pub mod pdm_lock;
pub mod pipfile_lock;
pub mod pnpm_lock;
pub mod poetry_lock;
pub mod pom_xml;
pub mod pubspec_lock;
pub mod pylock;
pub mod pyproject;
pub mod renv_lock;
pub mod requirements_txt;
pub mod spdx_json;
pub mod spdx_tag;
pub mod stack_lock;
pub mod uv_lock;
pub mod yarn_lock;
