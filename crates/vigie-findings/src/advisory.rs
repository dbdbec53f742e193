//! The vocabulary of advisories and the vulnerability finding: what an advisory is about
//! ([`AdvisoryKind`]), its [`Severity`], its entry in CISA's Known Exploited Vulnerabilities
//! catalogue ([`KnownExploited`]), and [`VulnFinding`], one advisory (or several that alias
//! each other) affecting one component.

use serde::{Deserialize, Serialize};

use crate::Rating;

/// What an advisory is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AdvisoryKind {
    /// A vulnerability.
    Vulnerability,
    /// Malicious package (OSV `MAL-` records).
    Malicious,
    /// RustSec informational: the crate is unmaintained.
    Unmaintained,
    /// RustSec informational: the crate exposes unsound APIs.
    Unsound,
    /// RustSec informational: any other notice.
    Notice,
}

impl AdvisoryKind {
    /// Every kind.
    pub const ALL: [AdvisoryKind; 5] = [
        AdvisoryKind::Vulnerability,
        AdvisoryKind::Malicious,
        AdvisoryKind::Unmaintained,
        AdvisoryKind::Unsound,
        AdvisoryKind::Notice,
    ];

    /// Informational kinds are reported apart from vulnerabilities.
    pub fn is_informational(self) -> bool {
        matches!(
            self,
            AdvisoryKind::Unmaintained | AdvisoryKind::Unsound | AdvisoryKind::Notice
        )
    }

    /// The kind as serialised: `vulnerability`, `malicious`, `unmaintained`, `unsound`, `notice`.
    pub fn as_str(self) -> &'static str {
        match self {
            AdvisoryKind::Vulnerability => "vulnerability",
            AdvisoryKind::Malicious => "malicious",
            AdvisoryKind::Unmaintained => "unmaintained",
            AdvisoryKind::Unsound => "unsound",
            AdvisoryKind::Notice => "notice",
        }
    }
}

/// Where a severity came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeveritySource {
    /// A CVSS v2 vector.
    CvssV2,
    /// A CVSS v3.0 or v3.1 vector.
    CvssV3,
    /// A CVSS v4.0 vector.
    CvssV4,
    /// A rating given by the database, without a vector.
    Database,
}

/// A severity: a rating, and the score and vector when a CVSS vector gave it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Severity {
    /// The rating.
    pub rating: Rating,
    /// The CVSS base score.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f32>,
    /// The CVSS vector, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vector: Option<String>,
    /// Where the rating came from.
    pub source: SeveritySource,
}

/// CISA's Known Exploited Vulnerabilities catalogue entry of an advisory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownExploited {
    /// The CVE through which the advisory is in the catalogue.
    pub cve: String,
    /// When CISA added it (`YYYY-MM-DD`).
    pub date_added: String,
    /// The remediation due date CISA set for federal agencies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<String>,
    /// `knownRansomwareCampaignUse` is "Known".
    #[serde(default)]
    pub ransomware: bool,
}

/// One advisory (or several that alias each other) affecting one component.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VulnFinding {
    /// What the advisory is about.
    pub kind: AdvisoryKind,
    /// The representative id: the most severe advisory of the group.
    pub id: String,
    /// Every other id of the group: aliases and merged advisories, sorted.
    pub aliases: Vec<String>,
    /// The advisory records merged into this finding (the representative
    /// included), sorted: two records of one database can describe the same
    /// vulnerability (RUSTSEC-2022-0016 and RUSTSEC-2022-0099).
    pub advisories: Vec<String>,
    /// The advisory's one-line summary.
    pub summary: String,
    /// The most severe rating of the group, when one is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// On CISA's Known Exploited Vulnerabilities catalogue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_exploited: Option<KnownExploited>,
    /// Versions that fix it (the `fixed` events of the ranges that matched).
    pub fixed: Vec<String>,
    /// The advisory's page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl VulnFinding {
    /// True when the id or one of the aliases is `id` (case-insensitive).
    pub fn is_known_as(&self, id: &str) -> bool {
        self.id.eq_ignore_ascii_case(id) || self.aliases.iter().any(|a| a.eq_ignore_ascii_case(id))
    }
}
