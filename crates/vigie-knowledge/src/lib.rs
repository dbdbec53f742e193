//! Public knowledge compiled into vigie's local index.
//!
//! - [`osv`]: OSV records (schema 1.0–1.8) compiled into [`osv::Advisory`]
//!   and [`osv::AffectedPackage`].
//! - [`cvss`]: CVSS v2, v3.0, v3.1 and v4.0 base scores and ratings.
//! - [`kev`]: CISA's Known Exploited Vulnerabilities catalogue.
//! - [`archive`]: the mirror's zip archives, read as hostile input.
//! - [`index`]: the on-disk advisory index and its lookups.
//! - [`ids`]: the advisory ids and aliases of the index, with the packages they affect.
//! - [`licences`]: the SPDX licence list and texts in the index.
//! - [`native`]: the native advisory databases (Node.js WG, RubySec, FriendsOfPHP) read
//!   into the OSV model.
//! - [`compile`]: from a mirror directory to the index (`vigie sync`).
//!
//! This crate reads and writes files of the mirror and the index; it never
//! touches the network (downloads are `vigie-sync`'s job).

use std::borrow::Cow;

use vigie_model::Ecosystem;

pub mod archive;
pub mod compile;
pub mod cvss;
pub mod ids;
pub mod index;
pub mod kev;
pub mod licences;
pub mod native;
pub mod osv;

/// The OSV ecosystem without its suffix: `AlmaLinux:9` → `AlmaLinux`.
pub fn ecosystem_base(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem)
}

/// The key a package is indexed and looked up under: its name normalised for
/// its ecosystem (PEP 503 for PyPI, ...; see `vigie_versions::normalize_name`).
/// Ecosystems vigie does not model (`OSS-Fuzz`, `GIT`) keep the name as is.
pub fn package_key<'a>(ecosystem_base: &str, name: &'a str) -> Cow<'a, str> {
    match Ecosystem::from_osv(ecosystem_base) {
        Some(e) => vigie_versions::normalize_name(e, name),
        None => Cow::Borrowed(name),
    }
}
