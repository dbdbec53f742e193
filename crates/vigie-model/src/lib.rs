//! vigie's domain model: what the rest of vigie talks about.
//!
//! The main types are [`Ecosystem`] (a package universe such as crates.io or
//! npm), [`Component`] (one package at one version found in one file),
//! [`Purl`] (its Package URL), [`Project`] (a folder holding manifests or
//! lockfiles) and [`Diagnostic`] (a problem found in an input, never a panic) with its
//! stable [`Code`].
//!
//! **Architecture invariant:** this crate does no IO. It knows no file system,
//! SQL, HTTP or command line; paths are plain strings relative to a scan root.
//!
//! ```
//! use vigie_model::{Component, Ecosystem};
//! let c = Component::new(Ecosystem::PyPI, "Django", Some("4.2.1"));
//! assert_eq!(c.purl, "pkg:pypi/django@4.2.1");
//! ```

#![deny(missing_docs)]

mod code;
mod component;
mod diagnostic;
mod ecosystem;
mod lang;
mod project;
pub mod purl;
pub mod text;

pub use code::Code;
pub use component::{Component, Relation, Scope};
pub use diagnostic::{Diagnostic, Severity, line_at};
pub use ecosystem::Ecosystem;
pub use lang::{Lang, UnknownLang};
pub use project::{FileReport, Project};
pub use purl::{Purl, PurlError};
