//! The model's inputs: the facts about one finding, one system and one component, as the
//! caller maps them from the audit, the catalog and the inventory.
//!
//! The crate depends on neither the store nor the catalog: these types are all it knows.
//! Every field may be missing, empty or absurd (a criticality of 9, a negative number of days):
//! the model never panics and says in its explanations what it assumed.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use vigie_model::Ecosystem;

/// The family of a finding and the severity scale: vigie's own, from `vigie-findings`.
pub use vigie_findings::{Family, Rating};

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

/// One version of a library and where it is used: what version sprawl reads, one per
/// package version of the estate rather than one per use (an estate of 10,000 projects holds
/// millions of uses; [`version_uses`] groups [`ComponentFacts`] into these).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionUses {
    /// Its ecosystem.
    pub ecosystem: Ecosystem,
    /// Its name.
    pub name: String,
    /// Its version.
    pub version: String,
    /// The projects using it, each as one number of the caller's (any numbering that gives
    /// each project its own number).
    pub projects: Vec<u32>,
    /// The systems that contain those projects.
    pub system_refs: Vec<String>,
}

/// `components` grouped by package version, in the order each version first appears,
/// projects numbered by their path.
pub fn version_uses(components: &[ComponentFacts]) -> Vec<VersionUses> {
    use std::collections::{BTreeSet, HashMap};
    let mut numbers: HashMap<&str, u32> = HashMap::new();
    let mut at: HashMap<(Ecosystem, &str, &str), usize> = HashMap::new();
    let mut out: Vec<VersionUses> = Vec::new();
    let mut sets: Vec<(BTreeSet<u32>, BTreeSet<&str>)> = Vec::new();
    for c in components {
        let next = u32::try_from(numbers.len()).unwrap_or(u32::MAX);
        let n = *numbers.entry(c.project_path.as_str()).or_insert(next);
        let i = *at
            .entry((c.ecosystem, c.name.as_str(), c.version.as_str()))
            .or_insert_with(|| {
                out.push(VersionUses {
                    ecosystem: c.ecosystem,
                    name: c.name.clone(),
                    version: c.version.clone(),
                    projects: Vec::new(),
                    system_refs: Vec::new(),
                });
                sets.push(Default::default());
                out.len() - 1
            });
        if let Some((projects, systems)) = sets.get_mut(i) {
            projects.insert(n);
            systems.extend(c.system_refs.iter().map(String::as_str));
        }
    }
    for (v, (projects, systems)) in out.iter_mut().zip(sets) {
        v.projects = projects.into_iter().collect();
        v.system_refs = systems.into_iter().map(str::to_owned).collect();
    }
    out
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
