//! The report's input: everything already computed by the caller, ready to render.
//!
//! The model is plain data (serde, JSON-friendly, kebab-case enum names) so that the risk
//! model, the CLI and tests can build it independently of this crate's rendering. Nothing in it
//! is trusted: every string may come from a scanned file and is escaped when rendered, every
//! number is only displayed (never used as an index), and lists may be of any length (the
//! renderers cap what they show, see [`crate::limits`]).

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The whole report, in the order of its sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct ReportModel {
    /// The day the report is about (shown in the title; the EOL timeline starts there).
    pub generated_at: Date,
    /// The estate's name ("ACME Corp").
    pub estate: String,
    /// The snapshots compared.
    pub snapshots: Snapshots,
    /// The headline figures.
    pub posture: Posture,
    /// The risks that matter most, most important first (the renderers show the first 10).
    pub top_risks: Vec<Risk>,
    /// The recommended actions, best first (the renderers show the first 10).
    pub top_actions: Vec<Action>,
    /// What changed since the previous snapshot; `None` when there is no previous snapshot.
    pub trend: Option<Trend>,
    /// Risks counted per likelihood and impact.
    pub heat_map: HeatMap,
    /// End-of-life dates of the platforms in use, soonest first.
    pub eol: Vec<EolEntry>,
    /// The licence posture.
    pub licences: LicencePosture,
    /// Risks per system, most exposed first.
    pub by_system: Vec<RiskRow>,
    /// Risks per owner, most exposed first.
    pub by_owner: Vec<RiskRow>,
    /// Every finding, in the order the caller wants them listed (most severe first).
    pub findings: Vec<Finding>,
    /// What the vulnerability check could see, stated on the first page; `None` when the
    /// caller had no knowledge index at hand to say it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Coverage>,
}

/// The vulnerability check's coverage of the estate.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Coverage {
    /// The ecosystems of the estate the knowledge index holds no advisory for (their
    /// components could not be checked), most components first; empty: every ecosystem
    /// was covered.
    pub gaps: Vec<CoverageGap>,
}

/// An ecosystem the vulnerability check could not see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoverageGap {
    /// Its name (`Maven`, `npm`).
    pub ecosystem: String,
    /// Its components (package uses) in the estate.
    pub components: u64,
}

/// The labels of the snapshots compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snapshots {
    /// The current snapshot ("2026-11").
    pub current: String,
    /// The previous one, if any.
    pub previous: Option<String>,
}

/// A text in the caller's words: one string, or one per language.
///
/// In JSON, either `"text"` or `{"en": "...", "fr": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum LocalText {
    /// The same text in every language (a name, an advisory title).
    Same(String),
    /// A text written in each language.
    Both {
        /// English.
        en: String,
        /// French.
        fr: String,
    },
}

impl LocalText {
    /// The text for `lang`.
    pub fn get(&self, lang: crate::Lang) -> &str {
        match (self, lang) {
            (LocalText::Same(s), _) => s,
            (LocalText::Both { en, .. }, crate::Lang::En) => en,
            (LocalText::Both { fr, .. }, crate::Lang::Fr) => fr,
        }
    }
}

impl From<&str> for LocalText {
    fn from(s: &str) -> Self {
        LocalText::Same(s.to_owned())
    }
}

/// A risk level, from the heat map's zones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    /// Act now.
    Critical,
    /// Act this quarter.
    High,
    /// Plan.
    Medium,
    /// Watch.
    Low,
}

impl Level {
    /// Every level, most severe first.
    pub const ALL: [Level; 4] = [Level::Critical, Level::High, Level::Medium, Level::Low];
}

/// A finding's severity rating: vigie's one scale. In a report, [`Rating::None`] reads as
/// "unrated" and is written `unknown` (an informational or unrated finding).
pub use vigie_findings::Rating;

/// The report's spelling of a rating: [`Rating::None`] is `unknown`.
mod rating_word {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::Rating;

    pub fn serialize<S: Serializer>(r: &Rating, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(match r {
            Rating::None => "unknown",
            r => r.as_str(),
        })
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Rating, D::Error> {
        let word = <&str>::deserialize(d)?;
        match word {
            "unknown" => Ok(Rating::None),
            "critical" => Ok(Rating::Critical),
            "high" => Ok(Rating::High),
            "medium" => Ok(Rating::Medium),
            "low" => Ok(Rating::Low),
            _ => Err(serde::de::Error::unknown_variant(
                word,
                &["critical", "high", "medium", "low", "unknown"],
            )),
        }
    }
}

/// The family of checks a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Family {
    /// Known vulnerabilities (OSV).
    Vulnerability,
    /// End of life, end of support.
    EndOfLife,
    /// Licence policy.
    Licence,
    /// Anything else (unmaintained, deprecated...).
    Other,
}

impl Family {
    /// Every family, in report order.
    pub const ALL: [Family; 4] = [
        Family::Vulnerability,
        Family::EndOfLife,
        Family::Licence,
        Family::Other,
    ];
}

/// Counts per risk level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    /// Critical risks.
    pub critical: u64,
    /// High risks.
    pub high: u64,
    /// Medium risks.
    pub medium: u64,
    /// Low risks.
    pub low: u64,
}

impl LevelCounts {
    /// The count of one level.
    pub fn get(&self, level: Level) -> u64 {
        match level {
            Level::Critical => self.critical,
            Level::High => self.high,
            Level::Medium => self.medium,
            Level::Low => self.low,
        }
    }

    /// The sum (saturating: the input is not trusted).
    pub fn total(&self) -> u64 {
        Level::ALL
            .iter()
            .fold(0u64, |t, l| t.saturating_add(self.get(*l)))
    }
}

/// Counts of findings per family.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub struct FamilyCounts {
    /// Vulnerability findings.
    pub vulnerability: u64,
    /// End-of-life findings.
    pub end_of_life: u64,
    /// Licence findings.
    pub licence: u64,
    /// Other findings.
    pub other: u64,
}

impl FamilyCounts {
    /// The count of one family.
    pub fn get(&self, family: Family) -> u64 {
        match family {
            Family::Vulnerability => self.vulnerability,
            Family::EndOfLife => self.end_of_life,
            Family::Licence => self.licence,
            Family::Other => self.other,
        }
    }

    /// The sum (saturating).
    pub fn total(&self) -> u64 {
        Family::ALL
            .iter()
            .fold(0u64, |t, f| t.saturating_add(self.get(*f)))
    }
}

/// The headline figures of the estate.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Posture {
    /// Risks per level.
    pub risks: LevelCounts,
    /// Findings per family.
    pub findings: FamilyCounts,
    /// Systems (business applications) in the estate.
    pub systems: u64,
    /// Projects (repositories or folders) scanned.
    pub projects: u64,
    /// Components (package versions) found.
    pub components: u64,
}

/// One risk of the register.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Risk {
    /// What is at risk, in a few words.
    pub title: LocalText,
    /// Its level.
    pub level: Level,
    /// Likelihood, 1 (rare) to 5 (almost certain).
    pub likelihood: u8,
    /// Impact, 1 (negligible) to 5 (severe).
    pub impact: u8,
    /// The model's score (for example likelihood × impact).
    pub score: f64,
    /// Why this score, in words.
    pub explanation: LocalText,
    /// The systems concerned.
    pub systems: Vec<String>,
    /// Their owners.
    pub owners: Vec<String>,
}

/// The kind of change an action needs, which sets its estimated effort.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Effort {
    /// A patch release: drop-in.
    Patch,
    /// A minor release: compatible, needs a test run.
    Minor,
    /// A major release: breaking changes.
    Major,
    /// A platform or runtime migration.
    Migration,
}

/// One recommended action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Action {
    /// What to do ("upgrade jackson-databind 2.9.8 → 2.12.7.1 in 14 projects of 5 systems").
    pub text: LocalText,
    /// The kind of change.
    pub effort: Effort,
    /// The risk score removed.
    pub risk_removed: f64,
    /// Findings fixed.
    pub findings_fixed: u64,
    /// Of which known exploited (CISA KEV).
    pub known_exploited_fixed: u64,
}

/// One risk in the trend lists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrendItem {
    /// The risk's title.
    pub title: LocalText,
    /// Its level now (for a resolved risk: its last level).
    pub level: Level,
    /// Its level in the previous snapshot, if it existed.
    pub previous: Option<Level>,
}

/// One group of the trend: a count and the risks (possibly fewer than the count).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrendGroup {
    /// How many risks are in this group.
    pub count: u64,
    /// Which, most important first.
    pub items: Vec<TrendItem>,
}

/// What changed since the previous snapshot.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Trend {
    /// Risks that did not exist.
    pub new: TrendGroup,
    /// Risks whose level rose.
    pub worsened: TrendGroup,
    /// Risks whose level fell.
    pub improved: TrendGroup,
    /// Risks that are gone.
    pub resolved: TrendGroup,
}

/// Risks counted per likelihood and impact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeatMap {
    /// `counts[likelihood - 1][impact - 1]`.
    pub counts: [[u64; 5]; 5],
    /// The risk model's level of each cell, `levels[likelihood - 1][impact - 1]`, so the
    /// chart's zones match its thresholds; when absent, zones by score = likelihood × impact
    /// (1–3 low, 4–7 medium, 8–14 high, 15–25 critical).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub levels: Option<[[Level; 5]; 5]>,
}

/// One platform release cycle and its end of life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EolEntry {
    /// The product ("Node.js").
    pub product: String,
    /// The release cycle ("14").
    pub cycle: String,
    /// The end-of-life date (may be in the past).
    pub eol: Date,
    /// Projects running it.
    pub projects: u64,
    /// Systems running it.
    pub systems: Vec<String>,
}

/// A licence category (the same names as `vigie-licence`'s `Category`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LicenceCategory {
    /// CC0, Unlicense, 0BSD...
    PublicDomain,
    /// MIT, BSD, Apache-2.0...
    Permissive,
    /// LGPL, MPL, EPL...
    WeakCopyleft,
    /// GPL...
    StrongCopyleft,
    /// AGPL, EUPL...
    NetworkCopyleft,
    /// BUSL, SSPL, CC-BY-NC...
    NonCommercialOrSourceAvailable,
    /// No public grant.
    Proprietary,
    /// Not known.
    Unknown,
}

/// The number of components of one licence category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryCount {
    /// The category.
    pub category: LicenceCategory,
    /// Components in it.
    pub components: u64,
}

/// The licence posture of the estate.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LicencePosture {
    /// Components per category.
    pub categories: Vec<CategoryCount>,
    /// Components whose licence the policy denies.
    pub denied: u64,
    /// Components whose licence needs a review.
    pub needs_review: u64,
    /// Components in all.
    pub components: u64,
    /// Components with a known licence (the coverage is `known / components`).
    pub known: u64,
}

/// Risks of one system or one owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskRow {
    /// The system's or owner's name.
    pub name: String,
    /// Its risks per level.
    pub risks: LevelCounts,
    /// Its findings.
    pub findings: u64,
}

/// One finding, for the appendix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The check family.
    pub family: Family,
    /// Its identifier (advisory id, `eol:nodejs@14`, licence id...).
    pub id: String,
    /// Its rating.
    #[serde(with = "rating_word")]
    pub rating: Rating,
    /// The component ("lodash 4.17.20").
    pub component: String,
    /// The project it is in.
    pub project: String,
    /// A one-line title.
    pub title: String,
}
