//! The licence finding: the [`Check`] that fired, the [`ComponentLicence`] it is about (its
//! statements, the SPDX expression they map to, category, verdict, obligations) and the
//! [`LicenceFinding`] with its bilingual message.

use serde::{Deserialize, Serialize};
use vigie_licence::{Category, Lang, Obligation};
use vigie_model::Ecosystem;

use crate::Rating;

/// One licence statement of a component and where it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    /// As written.
    pub licence: String,
    /// Kind of source (`declared`, `node-modules`, `dist-info`...).
    pub kind: String,
    /// The file.
    pub file: String,
}

/// A licence check, the `licence/<id>` rule of SARIF.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// The policy denies the licence for the project's distribution model.
    Denied,
    /// The licence is incompatible with the project's own licence.
    Incompatible,
    /// The policy asks for a review (GPL in a distributed product...).
    NeedsReview,
    /// No licence known, or not understood.
    Unknown,
    /// A copyleft licence whose obligations apply.
    CopyleftObligation,
    /// The licence was mapped from free text with low confidence.
    LowConfidence,
}

impl Check {
    /// Every check.
    pub const ALL: [Check; 6] = [
        Check::Denied,
        Check::Incompatible,
        Check::NeedsReview,
        Check::Unknown,
        Check::CopyleftObligation,
        Check::LowConfidence,
    ];

    /// The stable id.
    pub fn id(self) -> &'static str {
        match self {
            Check::Denied => "denied",
            Check::Incompatible => "incompatible",
            Check::NeedsReview => "needs-review",
            Check::Unknown => "unknown",
            Check::CopyleftObligation => "copyleft-obligation",
            Check::LowConfidence => "low-confidence",
        }
    }

    /// The rule id of its findings in SARIF, JSON and the store: `licence/<id>`.
    pub fn rule_id(self) -> String {
        format!("{}/{}", crate::Family::Licence.id(), self.id())
    }

    /// High (denied, incompatible), medium (needs review) or low (unknown, obligations,
    /// low-confidence mappings). An unknown licence is low because most lockfiles carry none:
    /// it asks for evidence (an SBOM, the installed packages), not for an alarm in every
    /// pipeline.
    pub fn rating(self) -> Rating {
        match self {
            Check::Denied | Check::Incompatible => Rating::High,
            Check::NeedsReview => Rating::Medium,
            Check::Unknown | Check::CopyleftObligation | Check::LowConfidence => Rating::Low,
        }
    }

    /// What the check means, in `lang`.
    pub fn title(self, lang: Lang) -> &'static str {
        let (en, fr) = match self {
            Check::Denied => ("licence denied", "licence refusée"),
            Check::Incompatible => (
                "incompatible with the project's licence",
                "incompatible avec la licence du projet",
            ),
            Check::NeedsReview => ("licence to review", "licence à examiner"),
            Check::Unknown => ("licence unknown", "licence inconnue"),
            Check::CopyleftObligation => ("copyleft obligation", "obligation de copyleft"),
            Check::LowConfidence => ("licence guessed", "licence devinée"),
        };
        lang.pick(en, fr)
    }
}

/// The licence of one component, as evaluated.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentLicence {
    /// The component's ecosystem.
    pub ecosystem: Ecosystem,
    /// Its name.
    pub name: String,
    /// Its version, when resolved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Its Package URL.
    pub purl: String,
    /// The file the component was found in.
    pub file: String,
    /// The line of that file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Every statement found, the one used first.
    pub statements: Vec<Statement>,
    /// Copyright lines found in the evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub copyright: Vec<String>,
    /// The SPDX expression it maps to, or the special value (`NOASSERTION`,
    /// `UNLICENSED`, `unknown`...).
    pub expression: String,
    /// `exact`, `high` or `low` for an SPDX mapping.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<String>,
    /// The worst category of the licences relied on (serialised as its id).
    pub category: Category,
    /// The policy's verdict (`allowed`, `denied`, `review`...).
    pub verdict: String,
    /// The obligations, as ids.
    pub obligations: Vec<String>,
    /// The licences relied on, after the `OR` choices (`MIT`,
    /// `GPL-2.0-only WITH Classpath-exception-2.0`...).
    pub terms: Vec<String>,
    /// The `OR` option kept, when there was a choice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
    /// Whether the licence is known (an SPDX expression or `UNLICENSED`).
    pub known: bool,
    /// Why, in English and French (left out of the audit report for a
    /// component whose only findings are an unknown or guessed licence).
    #[serde(default, skip_serializing_if = "no_text")]
    pub explanation: [String; 2],
    /// The obligations (not serialised: `obligations` holds their ids).
    #[serde(skip)]
    pub obligation_ids: Vec<Obligation>,
    /// Index of the component in the project (the first occurrence; not serialised).
    #[serde(skip)]
    pub index: usize,
}

/// A licence finding.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LicenceFinding {
    /// The check that fired.
    pub check: Check,
    /// Its rating ([`Check::rating`]).
    pub severity: Rating,
    /// Index of the component in the project audit's list of components.
    pub component: usize,
    /// What happened, in English and French.
    pub message: [String; 2],
}

fn no_text(t: &[String; 2]) -> bool {
    t.iter().all(String::is_empty)
}
