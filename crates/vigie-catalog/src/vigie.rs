//! vigie's additions to an entity (docs/catalog.md): kind detail, lifecycle,
//! criticality, exposure, repositories, platforms, hosting, personal data,
//! cost, contract, SaaS category, backup owner.

use jiff::civil::Date;
use serde::{Serialize, Serializer};

use crate::entity_ref::EntityRef;

/// The kinds of element vigie knows (`vigie.dev/kind`).
pub const KIND_DETAILS: [&str; 19] = [
    "application",
    "service",
    "website",
    "library",
    "batch",
    "api",
    "database",
    "cache",
    "queue",
    "storage",
    "server",
    "virtual-machine",
    "container-platform",
    "network-device",
    "saas",
    "bought-software",
    "identity-provider",
    "workstation",
    "other",
];

/// Transfer bases for personal data leaving the EEA (GDPR chapter V).
pub const TRANSFER_BASES: [&str; 7] = [
    "adequacy",
    "dpf",
    "scc",
    "bcr",
    "code-of-conduct",
    "certification",
    "derogation",
];

/// Where an element is in its life (`vigie.dev/lifecycle`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Lifecycle {
    /// Planned, not yet in use.
    Plan,
    /// In use.
    Active,
    /// Still in use, being replaced.
    PhaseOut,
    /// No longer in use.
    Retired,
}

impl Lifecycle {
    /// Parses `plan`, `active`, `phase-out`, `retired`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "plan" => Some(Lifecycle::Plan),
            "active" => Some(Lifecycle::Active),
            "phase-out" => Some(Lifecycle::PhaseOut),
            "retired" => Some(Lifecycle::Retired),
            _ => None,
        }
    }
}

/// Business criticality, 1 to 5 (names in [`Criticality::NAMES`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Criticality(pub u8);

impl Criticality {
    /// The names of levels 1 to 5.
    pub const NAMES: [&str; 5] = ["minimal", "low", "moderate", "high", "vital"];

    /// Parses `1`..`5` or a level name.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim().to_ascii_lowercase();
        if let Ok(n) = t.parse::<u8>() {
            return (1..=5).contains(&n).then_some(Criticality(n));
        }
        Criticality::NAMES
            .iter()
            .position(|n| *n == t)
            .and_then(|i| u8::try_from(i + 1).ok())
            .map(Criticality)
    }

    /// The level's name.
    pub fn name(self) -> &'static str {
        Criticality::NAMES
            .get(usize::from(self.0).saturating_sub(1))
            .copied()
            .unwrap_or("unknown")
    }
}

/// Who can reach the element (`vigie.dev/exposure`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Exposure {
    /// Only from the company's own networks.
    Internal,
    /// From the Internet, restricted to partners (VPN, allow-list, mTLS).
    Partners,
    /// From anywhere on the Internet.
    Public,
}

impl Exposure {
    /// Parses `internal`, `partners`, `public`, or `true` (public) / `false` (internal).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "internal" | "false" => Some(Exposure::Internal),
            "partners" => Some(Exposure::Partners),
            "public" | "true" => Some(Exposure::Public),
            _ => None,
        }
    }
}

/// The lawful basis of a processing (GDPR article 6(1)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LegalBasis {
    /// (a) consent.
    Consent,
    /// (b) performance of a contract.
    Contract,
    /// (c) legal obligation.
    LegalObligation,
    /// (d) vital interests.
    VitalInterests,
    /// (e) public task.
    PublicTask,
    /// (f) legitimate interests.
    LegitimateInterests,
}

impl LegalBasis {
    /// Parses the kebab-case names.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "consent" => LegalBasis::Consent,
            "contract" => LegalBasis::Contract,
            "legal-obligation" => LegalBasis::LegalObligation,
            "vital-interests" => LegalBasis::VitalInterests,
            "public-task" => LegalBasis::PublicTask,
            "legitimate-interests" => LegalBasis::LegitimateInterests,
            _ => return None,
        })
    }
}

/// A repository holding the element's code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Repository {
    /// As written.
    pub spec: String,
    /// A local path, resolved against the catalog file's folder and normalised.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// A remote URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A platform the element runs on: `postgresql 12, managed`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Platform {
    /// Product name, lower-cased (`postgresql`).
    pub name: String,
    /// Version, when given (`12`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Qualifiers after the first comma (`managed`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub qualifiers: Vec<String>,
}

/// Where it is hosted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Hosting {
    /// Provider (`aws`, `ovh`, `on-premises`...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Provider region (`eu-west-3`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// ISO 3166-1 alpha-2 country code, upper-case.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Transfer basis when the country is outside the EEA (one of [`TRANSFER_BASES`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_basis: Option<String>,
}

/// A processor (GDPR article 28) receiving the personal data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Processor {
    /// Name as written (an entity reference or a plain name).
    pub name: String,
    /// The catalog entity, when the processor is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<EntityRef>,
    /// Country, when written here (else the entity's hosting country).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Transfer basis, when written here (else the entity's).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transfer_basis: Option<String>,
    /// What it does with the data.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// 1-based line (not serialized).
    #[serde(skip)]
    pub line: u32,
}

/// Personal data held: enough for a GDPR record of processing (article 30).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PersonalData {
    /// Categories of data (`identity`, `contact`, `payment`...).
    pub categories: Vec<String>,
    /// Categories of data subjects (`customers`, `employees`...).
    pub subjects: Vec<String>,
    /// Special categories (article 9) or offences data (article 10).
    pub sensitive: bool,
    /// Lawful basis.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub legal_basis: Option<LegalBasis>,
    /// Purposes of the processing.
    pub purposes: Vec<String>,
    /// Retention period, as written (`10 years after the last invoice`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retention: Option<String>,
    /// Processors receiving the data.
    pub processors: Vec<Processor>,
}

/// Cost per year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cost {
    /// Amount per year.
    pub amount: f64,
    /// ISO 4217 currency code.
    pub currency: String,
}

/// The contract of bought software or SaaS.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Contract {
    /// Vendor name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<String>,
    /// End of the current term.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_date")]
    pub end: Option<Date>,
    /// Renewal date (defaults to `end` in checks).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "opt_date")]
    pub renewal: Option<Date>,
    /// Notice period in days before the renewal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notice_days: Option<u32>,
    /// Whether it renews by itself unless cancelled.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auto_renew: Option<bool>,
}

impl Contract {
    /// The date the contract renews (or ends): `renewal`, else `end`.
    pub fn renewal_date(&self) -> Option<Date> {
        self.renewal.or(self.end)
    }
}

fn opt_date<S: Serializer>(d: &Option<Date>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => s.collect_str(d),
        None => s.serialize_none(),
    }
}

/// Everything vigie adds to an entity.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VigieInfo {
    /// Kind detail (one of [`KIND_DETAILS`]).
    #[serde(rename = "kind", skip_serializing_if = "Option::is_none")]
    pub kind_detail: Option<String>,
    /// Lifecycle.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lifecycle: Option<Lifecycle>,
    /// Business criticality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criticality: Option<Criticality>,
    /// Internet exposure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exposure: Option<Exposure>,
    /// Repositories holding its code.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub repositories: Vec<Repository>,
    /// Platforms it runs on.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub platforms: Vec<Platform>,
    /// Hosting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hosting: Option<Hosting>,
    /// Personal data held.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub personal_data: Option<PersonalData>,
    /// Cost per year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost: Option<Cost>,
    /// Contract.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<Contract>,
    /// SaaS category (`chat`, `crm`, ...), to spot duplicate tools.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saas_category: Option<String>,
    /// A second owner (a User or Group).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_owner: Option<EntityRef>,
}
