//! vigie's findings: what every check gives, the store keeps, and every output reads.
//!
//! - [`Rating`]: the one qualitative severity scale (CVSS, advisories, thresholds, the risk
//!   model).
//! - [`Finding`]: one finding of one check on one project, with its [`Family`], a key stable
//!   across snapshots (and [`former_key`], its spelling before vigie spelt a part of it
//!   better), its rating, and a typed per-family [`Detail`]
//!   ([`VulnerabilityDetail`], [`LifecycleDetail`], [`LicenceDetail`],
//!   [`UnknownLicencesDetail`]).
//! - The data of each family: [`VulnFinding`] and the advisory vocabulary ([`AdvisoryKind`],
//!   [`Severity`], [`KnownExploited`]); the licence finding ([`licence`]); the lifecycle finding
//!   is `vigie_lifecycle::Finding`.
//! - The rating policy: [`VulnFinding::effective_rating`], [`lifecycle_rating`],
//!   [`licence::Check::rating`].
//! - The finding codes, each from a typed value: the advisory kinds ([`AdvisoryKind::as_str`]),
//!   the rule ids [`lifecycle_rule_id`] and [`licence::Check::rule_id`] (`docs/codes.md`).

//!
//! ```
//! use vigie_findings::{Detail, Family, Rating};
//!
//! let stored = r#"{"finding": {"check": "eol-passed"}}"#; // not a whole lifecycle finding
//! let detail = Detail::from_json_str(Family::Lifecycle, stored).unwrap();
//! assert!(matches!(detail, Detail::Unparsed(_))); // kept as stored, never lost
//! assert_eq!(Rating::parse("Moderate"), Some(Rating::Medium));
//! ```
//!
//! **Architecture invariant:** pure data and policy: no IO, no clock.

#![deny(missing_docs)]

mod advisory;

mod finding;
mod key;
pub mod licence;
mod rating;

pub use advisory::{AdvisoryKind, KnownExploited, Severity, SeveritySource, VulnFinding};
pub use finding::{
    ComponentRef, Detail, Family, Finding, LicenceDetail, LifecycleDetail, UnknownLicenceFinding,
    UnknownLicencesDetail, VulnerabilityDetail,
};
pub use key::former_key;
pub use rating::Rating;

impl VulnFinding {
    /// The rating a vulnerability finding counts as, for thresholds and the store: known
    /// exploited counts as critical; a vulnerability without any rating counts as medium.
    pub fn effective_rating(&self) -> Rating {
        if self.known_exploited.is_some() {
            return Rating::Critical;
        }
        self.severity.as_ref().map_or(Rating::Medium, |s| s.rating)
    }
}

/// The rating a lifecycle finding counts as, for thresholds and the store.
pub fn lifecycle_rating(f: &vigie_lifecycle::Finding) -> Rating {
    match f.severity {
        vigie_lifecycle::Severity::High => Rating::High,
        vigie_lifecycle::Severity::Medium => Rating::Medium,
        vigie_lifecycle::Severity::Low => Rating::Low,
        vigie_lifecycle::Severity::Info => Rating::None,
    }
}

/// The rule id of a lifecycle check's findings in SARIF and the stored keys:
/// `lifecycle/<check>` (the licence checks' is [`licence::Check::rule_id`]).
pub fn lifecycle_rule_id(check: vigie_lifecycle::Check) -> String {
    format!("{}/{}", Family::Lifecycle.id(), check.id())
}

/// Where a lifecycle finding's evidence is: `file:line`, or the file alone.
pub fn lifecycle_where(f: &vigie_lifecycle::Finding) -> String {
    match f.evidence.line {
        Some(l) => format!("{}:{l}", f.evidence.file),
        None => f.evidence.file.clone(),
    }
}
