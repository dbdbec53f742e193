//! The risk model: findings become a register of scored, explained risks, aggregated per
//! system, per owner and estate-wide, compared with the previous register; plus the
//! opportunities and the recommended actions that the executive report presents.
//!
//! The inputs are plain facts ([`FindingFacts`], [`SystemFacts`], [`ComponentFacts`]) that the
//! caller maps from the audit, the catalog and the inventory; [`analyse`] gives an
//! [`Analysis`] ([`Register`], [`Opportunity`] list, [`Action`] list) and [`trend`] compares
//! two registers. Every output is serde-serialisable; every explanation is a [`Text`] in
//! English and French.
//!
//! ```
//! use jiff::civil::date;
//! use vigie_risk::{Family, FindingFacts, Input, Level, SystemFacts, Thresholds, analyse};
//!
//! let billing = SystemFacts {
//!     entity_ref: "system:default/billing".into(),
//!     name: "Billing".into(),
//!     criticality: Some(4),
//!     internet_exposed: Some(true),
//!     ..SystemFacts::default()
//! };
//! let finding = FindingFacts {
//!     key: "f1".into(),
//!     family: Family::Vulnerability,
//!     id: "CVE-2021-44228".into(),
//!     aliases: vec![],
//!     title: "Log4Shell".into(),
//!     kind: "vulnerability".into(),
//!     rating: None,
//!     cvss_score: Some(10.0),
//!     known_exploited: true,
//!     ransomware: false,
//!     days_past_eol: None,
//!     eol_date: None,
//!     package: None,
//!     fixed_in: None,
//!     platform: None,
//!     project_path: "billing-api".into(),
//!     system_refs: vec!["system:default/billing".into()],
//! };
//! let systems = [billing];
//! let findings = [finding];
//! let analysis = analyse(&Input {
//!     today: date(2026, 6, 1),
//!     findings: &findings,
//!     systems: &systems,
//!     components: &[],
//!     thresholds: Thresholds::default(),
//! });
//! let risk = &analysis.register.risks[0];
//! // Known exploited: likelihood 5. Criticality 4 + 1 for the internet: impact 5.
//! assert_eq!((risk.likelihood, risk.impact, risk.score, risk.level), (5, 5, 25, Level::Critical));
//! assert!(risk.explanation.fr.starts_with("Probabilité 5/5"));
//! ```
//!
//! **Architecture invariant:** pure. No IO, no clock (`today` is a parameter), no dependency
//! on the store, the catalog or the knowledge index.
//!
//! # The model (also in `docs/risk-model.md`)
//!
//! **Likelihood** (1–5) of one finding:
//!
//! | family | fact | likelihood |
//! |---|---|---|
//! | vulnerability | kind `malicious` | 5 |
//! | vulnerability | known exploited (CISA KEV) or ransomware use | 5 |
//! | vulnerability | kind `unmaintained` or `notice` | 1 |
//! | vulnerability | kind `unsound` | 2 |
//! | vulnerability | rating critical / high / medium / low or none | 4 / 3 / 2 / 1 |
//! | vulnerability | no rating: from the CVSS score (9.0, 7.0, 4.0 thresholds); none: | 2 |
//! | lifecycle | `eol-passed`, 0–364 / 365–1094 / ≥ 1095 days ago (or unknown) | 3 / 4 / 5 (3) |
//! | lifecycle | `eol-soon` within 90 days / later | 3 / 2 |
//! | lifecycle | `extended-support-only`, `behind-latest` | 2 |
//! | lifecycle | `security-only`, `unpinned`, `unknown-cycle` | 1 |
//! | licence | `denied`, `incompatible` | 4 |
//! | licence | `unknown` | 3 |
//! | licence | `review`, `copyleft-obligation` | 2 |
//! | licence | `low-confidence` | 1 |
//! | any | a kind the model does not know | 2 |
//!
//! The advisory's rating wins over the CVSS score when both are given.
//!
//! **Impact** (1–5) in one system: its business criticality (1 lowest … 5 highest; 3 when not
//! stated or off the scale), +1 when exposed to the internet, +2 when it holds sensitive data,
//! else +1 when it holds personal data; capped at 5. A component in no system, or in a system
//! the catalog does not describe, has impact 3 ("unknown system, assumed medium").
//!
//! **Score** = likelihood × impact (1–25). **Levels:** 1–4 low, 5–9 medium, 10–15 high,
//! 16–25 critical.
//!
//! **Risks:** one per (advisory group | lifecycle product and cycle | licence) × system. An
//! advisory group joins every id and alias that findings share, and is named by its smallest
//! CVE id (else smallest id). A finding in several systems is in one risk per system; a
//! finding in no system is in the risk of system `-`. A risk's likelihood is the highest of
//! its findings (that finding explains it), its impact is its system's. Its key,
//! `family:group@system`, is what the trend compares.
//!
//! A finding alone (for actions) is scored with the highest impact over its systems.
//!
//! **Actions** and their effort: see [`actions`]. **Opportunities:** see [`opportunities`].

#![warn(missing_docs)]

pub mod actions;
mod aggregate;
mod bump;
mod duplicates;
mod facts;
mod groups;
mod likelihood;
pub mod opportunities;
mod plan;
mod register;
mod score;
mod systems;
mod text;
mod trend;

pub use actions::{Action, ActionKind, ChangeKind, Effort};
pub use aggregate::{LevelCounts, OwnerRollup, Rollup, Summary, SystemRollup, summarise};
pub use bump::{Bump, bump};
pub use duplicates::{DuplicateTools, duplicate_tools};
pub use facts::{
    ComponentFacts, Family, FindingFacts, PackageRef, PlatformRef, Rating, SystemFacts,
    VersionUses, version_uses,
};
pub use likelihood::likelihood;
pub use opportunities::{Opportunity, Thresholds};
pub use plan::recommend;
pub use register::{Register, Risk, build_register};
pub use score::{
    DEFAULT_IMPACT, EOL_DAYS_4, EOL_DAYS_5, EOL_SOON_DAYS, Factor, Level, Score, combine, impact,
};
pub use systems::{Catalog, finding_score};
pub use text::Text;
pub use trend::{Change, Trend, TrendEntry, trend};

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The version of the serialised model ([`Analysis`]); the report's JSON names it.
pub const SCHEMA_VERSION: &str = "risk.v1";

/// Everything the model reads.
#[derive(Clone, Copy, Debug)]
pub struct Input<'a> {
    /// The day of the audit (end-of-life distances are counted from it).
    pub today: Date,
    /// The findings.
    pub findings: &'a [FindingFacts],
    /// The systems of the catalog.
    pub systems: &'a [SystemFacts],
    /// The inventory's package versions and their uses (for version sprawl).
    pub components: &'a [VersionUses],
    /// The opportunities' thresholds.
    pub thresholds: Thresholds,
}

/// Everything the model gives.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// [`SCHEMA_VERSION`].
    pub schema: String,
    /// The risk register.
    pub register: Register,
    /// The opportunities.
    pub opportunities: Vec<Opportunity>,
    /// The recommended actions, highest risk removed per point of effort first.
    pub actions: Vec<Action>,
}

/// Scores, rolls up and plans. Findings with the same key count once (the first).
pub fn analyse(input: &Input<'_>) -> Analysis {
    let mut seen = std::collections::HashSet::new();
    let unique = input.findings.iter().all(|f| seen.insert(f.key.as_str()));
    let findings: std::borrow::Cow<'_, [FindingFacts]> = if unique {
        std::borrow::Cow::Borrowed(input.findings)
    } else {
        let mut seen = std::collections::HashSet::new();
        std::borrow::Cow::Owned(
            input
                .findings
                .iter()
                .filter(|f| seen.insert(f.key.as_str()))
                .cloned()
                .collect(),
        )
    };
    let catalog = Catalog::new(input.systems);
    let labels = groups::group_labels(&findings);
    let likelihoods: Vec<Factor> = findings
        .iter()
        .map(|f| likelihood(f, input.today))
        .collect();
    let register = register::build_with(&findings, &catalog, input.today, &labels, &likelihoods);
    // Each finding's score, as `finding_score` gives it, from the likelihoods above and the
    // impact of each system computed once.
    let mut impacts: std::collections::HashMap<&str, u8> = std::collections::HashMap::new();
    let scores: Vec<u8> = findings
        .iter()
        .zip(&likelihoods)
        .map(|(f, l)| {
            let refs = systems::system_refs(f);
            let i = if refs.is_empty() {
                DEFAULT_IMPACT
            } else {
                refs.into_iter()
                    .map(|r| {
                        *impacts
                            .entry(r)
                            .or_insert_with(|| catalog.impact_of(Some(r)).value)
                    })
                    .max()
                    .unwrap_or(DEFAULT_IMPACT)
            };
            l.value.clamp(1, 5) * i.clamp(1, 5)
        })
        .collect();
    let actions = recommend(&findings, &scores, &labels);
    let opportunities = opportunities::opportunities(
        input.components,
        &findings,
        input.systems,
        &actions,
        input.thresholds,
    );
    Analysis {
        schema: SCHEMA_VERSION.to_string(),
        register,
        opportunities,
        actions,
    }
}
