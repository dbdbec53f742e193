//! Version orderings and ranges of every ecosystem vigie matches advisories in.
//!
//! [`Scheme`] is a versioning scheme (SemVer, PEP 440, Maven, dpkg, ...); it parses a string
//! into a [`Version`] and orders versions the way the ecosystem's own tool does (and so the way
//! osv-scanner does). [`osv::range_contains`] evaluates an OSV `affected[].ranges[]` entry,
//! [`vers`] reads and evaluates `vers:` range specifiers, and [`normalize_name`] puts a package
//! name in the form advisories use.
//!
//! Everything here is pure: no IO, no global state. Parsing never panics, is linear in the
//! length of the input and refuses inputs over [`MAX_VERSION_LEN`] bytes; comparing two parsed
//! versions allocates nothing.

#![deny(missing_docs)]

mod alpine;
mod composer;
mod debian;
mod maven;
mod names;
mod num;
pub mod osv;
mod pep440;
mod rpm;
mod rubygems;
mod scheme;
mod semver;
mod simple;
pub mod vers;

pub use names::normalize_name;
pub use scheme::Scheme;

use std::cmp::Ordering;
use std::fmt;

/// The longest version string accepted, in bytes. Real versions are a few dozen bytes; the
/// bound keeps hostile input from costing more than a few microseconds.
pub const MAX_VERSION_LEN: usize = 1024;

/// A parsed version of one [`Scheme`].
///
/// Equality and ordering are those of the scheme (`1.0` and `1.0.0` are equal in PEP 440);
/// versions of different schemes order by scheme first. [`fmt::Display`] gives the original
/// text, without surrounding whitespace. Every scheme's order is total (checked by property
/// tests), so sorting never misbehaves; `Hash` is not implemented because equal versions may
/// be spelled differently.
#[derive(Clone, Debug)]
pub struct Version {
    scheme: Scheme,
    text: Box<str>,
    key: scheme::Key,
}

impl Version {
    /// The scheme this version was parsed with.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    /// The original text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether this version is a pre-release in its scheme (SemVer `-x`, PEP 440 `a`/`b`/`rc`/
    /// `dev`, Maven `alpha`..`snapshot`, RubyGems letters, ...). Schemes without the notion
    /// (dpkg, RPM, ...) say `false`.
    pub fn is_prerelease(&self) -> bool {
        scheme::is_prerelease(self.scheme, &self.text, &self.key)
    }

    /// Whether the scheme read this text only as a "legacy" version, outside its grammar
    /// (PEP 440's: `2019-09-12`, `0.2.0-n653`), ordered before every version of the grammar,
    /// as pip and osv-scanner order it. Other schemes refuse what they cannot read.
    pub fn is_legacy(&self) -> bool {
        matches!(&self.key, scheme::Key::Pep440(k) if k.is_legacy())
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.scheme.cmp(&other.scheme).then_with(|| {
            scheme::compare_keys(self.scheme, &self.text, &self.key, &other.text, &other.key)
        })
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A version string a scheme refuses.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {scheme:?} version {text:?}: {reason}")]
pub struct VersionError {
    /// The scheme that refused it.
    pub scheme: Scheme,
    /// The refused text (cut to 64 characters).
    pub text: String,
    /// What is wrong, in a few words.
    pub reason: &'static str,
}

impl VersionError {
    pub(crate) fn new(scheme: Scheme, text: &str, reason: &'static str) -> Self {
        let text = match text.char_indices().nth(64) {
            Some((i, _)) => format!("{}…", &text[..i]),
            None => text.to_owned(),
        };
        VersionError {
            scheme,
            text,
            reason,
        }
    }
}
