//! The model's inputs: the facts about one finding, one system and one component, as the
//! caller maps them from the audit, the catalog and the inventory.
//!
//! The crate depends on neither the store nor the catalog: these types are all it knows.
//! Every field may be missing, empty or absurd (a criticality of 9, a negative number of days):
//! the model never panics and says in its explanations what it assumed.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use vigie_model::Ecosystem;

/// The three families of findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// A known vulnerability or advisory (OSV, with CVSS and CISA KEV).
    Vulnerability,
    /// End of life and support status of a platform, runtime or framework.
    Lifecycle,
    /// A licence that the policy denies, or that needs review or carries obligations.
    Licence,
}

impl Family {
    /// The stable id: `vulnerability`, `lifecycle`, `licence`.
    pub fn id(self) -> &'static str {
        match self {
            Family::Vulnerability => "vulnerability",
            Family::Lifecycle => "lifecycle",
            Family::Licence => "licence",
        }
    }
}

/// A severity rating, as CVSS and advisories give it (the same five words as
/// `vigie_knowledge::cvss::Rating`; map with `Rating::parse(r.as_str())`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// No impact (CVSS 0.0).
    None,
    /// Low (0.1–3.9).
    Low,
    /// Medium, or "moderate" (4.0–6.9).
    Medium,
    /// High, or "important" (7.0–8.9).
    High,
    /// Critical (9.0–10.0).
    Critical,
}

impl Rating {
    /// The rating in lower case: `none`, `low`, `medium`, `high`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::None => "none",
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        }
    }

    /// Reads a rating word whatever its case (`moderate` is medium, `important` is high);
    /// anything else is `None` (the `Option`).
    pub fn parse(s: &str) -> Option<Rating> {
        let s = s.trim();
        let is = |w: &str| s.eq_ignore_ascii_case(w);
        if is("none") {
            Some(Rating::None)
        } else if is("low") {
            Some(Rating::Low)
        } else if is("medium") || is("moderate") {
            Some(Rating::Medium)
        } else if is("high") || is("important") {
            Some(Rating::High)
        } else if is("critical") {
            Some(Rating::Critical)
        } else {
            None
        }
    }

    /// The CVSS v3/v4 qualitative rating of a base score; `None` for a score that is not a
    /// number between 0 and 10.
    pub fn from_score(score: f32) -> Option<Rating> {
        if !score.is_finite() || !(0.0..=10.0).contains(&score) {
            None
        } else if score >= 9.0 {
            Some(Rating::Critical)
        } else if score >= 7.0 {
            Some(Rating::High)
        } else if score >= 4.0 {
            Some(Rating::Medium)
        } else if score > 0.0 {
            Some(Rating::Low)
        } else {
            Some(Rating::None)
        }
    }
}

/// The package a finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PackageRef {
    /// Its ecosystem.
    pub ecosystem: Ecosystem,
    /// Its name, as the ecosystem writes it.
    pub name: String,
    /// The version found.
    pub version: String,
    /// Its Package URL.
    pub purl: String,
}

/// The platform (runtime, framework, operating system, data store) a lifecycle finding is about.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PlatformRef {
    /// The endoflife.date product (`nodejs`, `python`, `postgresql`).
    pub product: String,
    /// The release cycle in use (`18`, `3.8`).
    pub cycle: String,
    /// The latest release of that cycle, when known.
    pub latest: Option<String>,
}

/// The facts about one finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingFacts {
    /// The finding's stable key (unique in one audit; the caller's own).
    pub key: String,
    /// Its family.
    pub family: Family,
    /// The advisory id (vulnerabilities), the product (lifecycle) or the licence (licences).
    pub id: String,
    /// Other ids of the same advisory (CVE, GHSA, ...).
    pub aliases: Vec<String>,
    /// A one-line title.
    pub title: String,
    /// The kind: `vulnerability`, `malicious`, `unmaintained`, `unsound`, `notice`;
    /// `eol-passed`, `extended-support-only`, `eol-soon`, `security-only`, `behind-latest`,
    /// `unpinned`, `unknown-cycle`; `denied`, `incompatible`, `review`, `copyleft-obligation`,
    /// `unknown`, `low-confidence`. Any other kind is scored with a stated default.
    pub kind: String,
    /// The advisory's severity rating, when it gives one.
    pub rating: Option<Rating>,
    /// The CVSS base score, when known.
    pub cvss_score: Option<f32>,
    /// On the CISA Known Exploited Vulnerabilities catalogue.
    pub known_exploited: bool,
    /// Known to be used in ransomware campaigns (KEV's `knownRansomwareCampaignUse`).
    pub ransomware: bool,
    /// Days since the end of life (lifecycle `eol-passed`).
    pub days_past_eol: Option<i64>,
    /// The end-of-life date, passed or coming.
    pub eol_date: Option<Date>,
    /// The package, for vulnerability and licence findings.
    pub package: Option<PackageRef>,
    /// The smallest upgrade that fixes every known vulnerability of the package, if any.
    pub fixed_in: Option<String>,
    /// The platform, for lifecycle findings.
    pub platform: Option<PlatformRef>,
    /// The project (folder) where it was found.
    pub project_path: String,
    /// The catalog entity refs of the systems that contain the project (may be empty).
    pub system_refs: Vec<String>,
}

/// The facts about one system of the catalog.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct SystemFacts {
    /// Its catalog entity ref (`system:default/billing`).
    pub entity_ref: String,
    /// Its display name.
    pub name: String,
    /// Its owners (entity refs of groups or users).
    pub owners: Vec<String>,
    /// Business criticality, 1 (lowest) to 5 (the business stops without it).
    pub criticality: Option<u8>,
    /// Reachable from the internet; `None` when the catalog does not say.
    pub internet_exposed: Option<bool>,
    /// Holds personal data.
    pub personal_data: bool,
    /// Holds sensitive personal data (GDPR art. 9: health, beliefs, ...) or other sensitive data.
    pub sensitive_data: bool,
    /// For a bought tool: its category (`crm`, `ticketing`); two systems of one category are
    /// duplicate tools.
    pub saas_category: Option<String>,
    /// Its cost per year, for bought software and SaaS.
    pub cost_per_year: Option<f64>,
}

/// One component of the inventory (for version sprawl, which looks at every component, not
/// only the vulnerable ones).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ComponentFacts {
    /// Its ecosystem.
    pub ecosystem: Ecosystem,
    /// Its name.
    pub name: String,
    /// Its version (unresolved components are left out by the caller).
    pub version: String,
    /// The project where it was found.
    pub project_path: String,
    /// The systems that contain the project.
    pub system_refs: Vec<String>,
}
