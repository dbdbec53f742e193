//! End of life: what an estate runs, mapped to the endoflife.date calendar.
//!
//! - **Knowledge** ([`Knowledge`]): the endoflife.date product files
//!   (`products/*.md`, YAML front matter) and release-data
//!   (`releases/*.json`), compiled from the mirror's archives with
//!   [`Knowledge::compile`], stored as one JSON document
//!   ([`Knowledge::to_json`], [`Knowledge::from_json`]).
//! - **Detection** ([`detect`]): one detector per kind of file (runtime
//!   declarations, Dockerfiles, Compose and Kubernetes images), from a path
//!   and a text to [`Detection`]s; and the inventory's components that are
//!   products ([`Knowledge::component_detections`]).
//! - **Platforms** ([`Knowledge::platforms`]): each detection's product and
//!   release cycle.
//! - **Findings** ([`Knowledge::findings`]) against a [`Policy`] (an injected
//!   `today` and a horizon), with texts in English and French
//!   ([`Finding::message`]), and the 24-month [`Forecast`]
//!   ([`Knowledge::forecast`]).
//!
//! Everything is pure: bytes and text in, values out; no IO, no clock.
//!
//! ```
//! use vigie_lifecycle::{Knowledge, Lang, Policy, detect};
//! # fn run(products_tgz: &[u8], release_data_tgz: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
//! let (knowledge, report) =
//!     Knowledge::compile(products_tgz, Some(release_data_tgz), &Default::default())?;
//! let stored = knowledge.to_json(); // into the index
//! let knowledge = Knowledge::from_json(&stored)?;
//!
//! let mut detections = detect::detect_file("Dockerfile", "FROM python:3.8-slim\n").detections;
//! // detections.extend(knowledge.component_detections(&project.components, &files));
//! let (platforms, _unknown) = knowledge.platforms(&detections);
//! let policy = Policy::new("2026-08-22".parse()?);
//! for f in knowledge.all_findings(&platforms, &policy) {
//!     println!("{}", f.message(Lang::En));
//! }
//! let forecast = knowledge.forecast(&platforms, &policy, 24);
//! # let _ = (report, forecast, &mut detections); Ok(()) }
//! ```

#![warn(missing_docs)]

pub mod archive;
mod assess;
mod components;
pub mod cycle;
pub mod detect;
mod forecast;
mod front_matter;
pub mod image;
mod knowledge;
mod product;
mod release_data;
mod resolve;
mod text;

pub use archive::{ArchiveError, Limits};
pub use assess::{
    Behind, Check, DEFAULT_HORIZON_DAYS, Finding, Policy, Severity, Target, add_days, days_between,
    targets,
};
pub use cycle::{CycleMatch, Unknown, Unpinned, match_cycle};
pub use detect::{Detection, Evidence, Kind, Subject};
pub use forecast::{DEFAULT_MONTHS, Event, Forecast, Milestone, Row, Status};
pub use front_matter::parse_product;
pub use knowledge::{CompileReport, FORMAT, Knowledge, LoadError, Skipped, purl_key};
pub use product::{Cycle, DateOrBool, Identifiers, Product, parse_date};
pub use release_data::parse_versions;
pub use resolve::Platform;
pub use text::Lang;
