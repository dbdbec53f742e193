//! The scoring model: likelihood and impact on 1–5, score = likelihood × impact on 1–25, four
//! levels, and an explanation in English and French of what moved each factor.
//!
//! The rules are stated in the crate documentation and in `docs/risk-model.md`; the tables
//! below are those rules, one line each.

use serde::{Deserialize, Serialize};

use crate::facts::SystemFacts;
use crate::text::{NBSP, Text, join_phrases, quote};

/// Impact assumed for a component in no system of the catalog, and for a system whose
/// criticality is not stated: the middle of the scale.
pub const DEFAULT_IMPACT: u8 = 3;

/// Days past end of life from which likelihood rises from 3 to 4 (one year).
pub const EOL_DAYS_4: i64 = 365;
/// Days past end of life from which likelihood is 5 (three years).
pub const EOL_DAYS_5: i64 = 1095;
/// An end of life this close (days) makes an `eol-soon` finding likelihood 3 instead of 2.
pub const EOL_SOON_DAYS: i64 = 90;

/// A risk level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Score 1–4.
    Low,
    /// Score 5–9.
    Medium,
    /// Score 10–15.
    High,
    /// Score 16–25.
    Critical,
}

impl Level {
    /// Every level, lowest first.
    pub const ALL: [Level; 4] = [Level::Low, Level::Medium, Level::High, Level::Critical];

    /// The level of a score: 1–4 low, 5–9 medium, 10–15 high, 16–25 critical.
    pub fn of(score: u8) -> Level {
        match score {
            0..=4 => Level::Low,
            5..=9 => Level::Medium,
            10..=15 => Level::High,
            _ => Level::Critical,
        }
    }

    /// The stable id: `low`, `medium`, `high`, `critical`.
    pub fn id(self) -> &'static str {
        match self {
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// The level in words: `critical` / `critique`.
    pub fn label(self) -> Text {
        match self {
            Level::Low => Text::new("low", "faible"),
            Level::Medium => Text::new("medium", "moyen"),
            Level::High => Text::new("high", "élevé"),
            Level::Critical => Text::new("critical", "critique"),
        }
    }
}

/// One factor (likelihood or impact), 1–5, with the facts that set it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Factor {
    /// The value, 1–5.
    pub value: u8,
    /// The facts that set it, in words.
    pub reasons: Vec<Text>,
}

impl Factor {
    pub(crate) fn new(value: u8, reason: Text) -> Factor {
        Factor {
            value: value.clamp(1, 5),
            reasons: vec![reason],
        }
    }
}

/// A score with its factors and its explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Likelihood, 1–5.
    pub likelihood: u8,
    /// Impact, 1–5.
    pub impact: u8,
    /// Likelihood × impact, 1–25.
    pub score: u8,
    /// The level of the score.
    pub level: Level,
    /// Why, in words.
    pub explanation: Text,
}

/// The score of a likelihood and an impact, with the sentence that explains it:
/// `Likelihood 5/5: … Impact 4/5: … Score 20/25 (5 × 4): critical.`
pub fn combine(likelihood: &Factor, impact: &Factor) -> Score {
    let l = likelihood.value.clamp(1, 5);
    let i = impact.value.clamp(1, 5);
    let score = l * i;
    let level = Level::of(score);
    let lr = join_phrases(&likelihood.reasons);
    let ir = join_phrases(&impact.reasons);
    let label = level.label();
    let explanation = Text::new(
        format!(
            "Likelihood {l}/5: {}. Impact {i}/5: {}. Score {score}/25 ({l} × {i}): {}.",
            lr.en, ir.en, label.en
        ),
        format!(
            "Probabilité {l}/5{NBSP}: {}. Impact {i}/5{NBSP}: {}. Score {score}/25 ({l} × {i}){NBSP}: {}.",
            lr.fr, ir.fr, label.fr
        ),
    );
    Score {
        likelihood: l,
        impact: i,
        score,
        level,
        explanation,
    }
}

/// The impact of a finding in one system (`None`: a component in no system of the catalog).
pub fn impact(system: Option<&SystemFacts>) -> Factor {
    let Some(s) = system else {
        return Factor::new(
            DEFAULT_IMPACT,
            Text::new(
                "in no system of the catalog, assumed medium (3/5)",
                "dans aucun système du catalogue, impact supposé moyen (3/5)",
            ),
        );
    };
    let name = quote(if s.name.trim().is_empty() {
        &s.entity_ref
    } else {
        &s.name
    });
    let mut reasons = Vec::new();
    let base = match s.criticality {
        Some(c @ 1..=5) => {
            reasons.push(Text::new(
                format!("business criticality {c}/5 ({name})"),
                format!("criticité métier {c}/5 ({name})"),
            ));
            c
        }
        Some(c) => {
            reasons.push(Text::new(
                format!("criticality {c} of {name} off the 1–5 scale, assumed 3/5"),
                format!("criticité {c} de {name} hors de l’échelle 1–5, supposée 3/5"),
            ));
            DEFAULT_IMPACT
        }
        None => {
            reasons.push(Text::new(
                format!("criticality of {name} not stated, assumed 3/5"),
                format!("criticité de {name} non renseignée, supposée 3/5"),
            ));
            DEFAULT_IMPACT
        }
    };
    let mut value = base;
    if s.internet_exposed == Some(true) {
        value += 1;
        reasons.push(Text::new(
            "exposed to the internet (+1)",
            "exposé sur Internet (+1)",
        ));
    }
    if s.sensitive_data {
        value += 2;
        reasons.push(Text::new(
            "holds sensitive data (+2)",
            "détient des données sensibles (+2)",
        ));
    } else if s.personal_data {
        value += 1;
        reasons.push(Text::new(
            "holds personal data (+1)",
            "détient des données personnelles (+1)",
        ));
    }
    if value > 5 {
        reasons.push(Text::new("capped at 5", "plafonné à 5"));
    }
    Factor {
        value: value.clamp(1, 5),
        reasons,
    }
}
