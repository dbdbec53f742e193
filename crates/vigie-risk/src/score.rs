//! The scoring model: likelihood and impact on 1–5, score = likelihood × impact on 1–25, four
//! levels, and an explanation in English and French of what moved each factor.
//!
//! The rules are stated in the crate documentation and in `docs/risk-model.md`; the tables
//! below are those rules, one line each.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::facts::{Family, FindingFacts, Rating, SystemFacts};
use crate::text::{NBSP, Text, date, decimal1, join_phrases, quote};

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
    fn new(value: u8, reason: Text) -> Factor {
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

/// The likelihood of one finding, on `today`.
pub fn likelihood(f: &FindingFacts, today: Date) -> Factor {
    match f.family {
        Family::Vulnerability => vulnerability(f),
        Family::Lifecycle => lifecycle(f, today),
        Family::Licence => licence(f),
    }
}

fn vulnerability(f: &FindingFacts) -> Factor {
    let kind = f.kind.trim();
    if kind.eq_ignore_ascii_case("malicious") {
        return Factor::new(
            5,
            Text::new(
                "malicious package: its code itself is hostile",
                format!("paquet malveillant{NBSP}: son code même est hostile"),
            ),
        );
    }
    if f.known_exploited || f.ransomware {
        let mut factor = Factor::new(
            5,
            Text::new(
                "exploited in the wild (CISA KEV catalogue)",
                "exploitée activement (catalogue KEV de la CISA)",
            ),
        );
        if f.ransomware {
            factor.reasons.push(Text::new(
                "used in ransomware campaigns",
                "utilisée dans des campagnes de rançongiciels",
            ));
        }
        return factor;
    }
    match kind.to_ascii_lowercase().as_str() {
        "unmaintained" => {
            return Factor::new(
                1,
                Text::new(
                    "unmaintained package: no flaw known, but none would be fixed",
                    format!(
                        "paquet abandonné{NBSP}: aucune faille connue, mais aucune ne serait corrigée"
                    ),
                ),
            );
        }
        "notice" => {
            return Factor::new(
                1,
                Text::new(
                    "informational notice, no known flaw",
                    "avis pour information, sans faille connue",
                ),
            );
        }
        "unsound" => {
            return Factor::new(
                2,
                Text::new(
                    "unsound code: memory safety can be broken, no known exploit",
                    format!(
                        "code incorrect{NBSP}: la sûreté mémoire peut être rompue, sans exploitation connue"
                    ),
                ),
            );
        }
        _ => {}
    }
    let score = f
        .cvss_score
        .filter(|s| s.is_finite() && (0.0..=10.0).contains(s));
    let rating = f.rating.or_else(|| score.and_then(Rating::from_score));
    let cvss = score.map(decimal1);
    let with_cvss = |en: &str, fr: &str| match &cvss {
        Some(c) => Text::new(
            format!("{en} (CVSS {})", c.en),
            format!("{fr} (CVSS {})", c.fr),
        ),
        None => Text::new(en, fr),
    };
    let mut factor = match rating {
        Some(Rating::Critical) => {
            Factor::new(4, with_cvss("critical severity", "gravité critique"))
        }
        Some(Rating::High) => Factor::new(3, with_cvss("high severity", "gravité élevée")),
        Some(Rating::Medium) => Factor::new(2, with_cvss("medium severity", "gravité moyenne")),
        Some(Rating::Low) => Factor::new(1, with_cvss("low severity", "gravité faible")),
        Some(Rating::None) => Factor::new(1, with_cvss("no severity", "gravité nulle")),
        None => Factor::new(
            2,
            Text::new(
                "severity unknown, assumed medium",
                "gravité inconnue, supposée moyenne",
            ),
        ),
    };
    factor.reasons.push(Text::new(
        "not known to be exploited",
        "pas d’exploitation connue",
    ));
    if !kind.eq_ignore_ascii_case("vulnerability") {
        factor.reasons.push(unknown_kind(kind));
    }
    factor
}

fn unknown_kind(kind: &str) -> Text {
    let k = quote(kind);
    Text::new(
        format!("kind “{k}” unknown to the model, scored by default"),
        format!("type «{NBSP}{k}{NBSP}» inconnu du modèle, noté par défaut"),
    )
}

fn lifecycle(f: &FindingFacts, today: Date) -> Factor {
    let kind = f.kind.trim().to_ascii_lowercase();
    let eol = f.eol_date.map(date);
    match kind.as_str() {
        "eol-passed" => {
            let days = f
                .days_past_eol
                .or_else(|| f.eol_date.map(|d| days_between(d, today)))
                .map(|d| d.max(0));
            let value = match days {
                Some(d) if d >= EOL_DAYS_5 => 5,
                Some(d) if d >= EOL_DAYS_4 => 4,
                _ => 3,
            };
            let text = match (days, &eol) {
                (Some(d), Some(e)) => Text::new(
                    format!(
                        "end of life passed {d} days ago ({}): no more security fixes",
                        e.en
                    ),
                    format!(
                        "fin de vie dépassée depuis {d}{NBSP}jours ({}){NBSP}: plus aucun correctif de sécurité",
                        e.fr
                    ),
                ),
                (Some(d), None) => Text::new(
                    format!("end of life passed {d} days ago: no more security fixes"),
                    format!(
                        "fin de vie dépassée depuis {d}{NBSP}jours{NBSP}: plus aucun correctif de sécurité"
                    ),
                ),
                _ => Text::new(
                    "end of life passed (date unknown): no more security fixes",
                    format!(
                        "fin de vie dépassée (date inconnue){NBSP}: plus aucun correctif de sécurité"
                    ),
                ),
            };
            Factor::new(value, text)
        }
        "extended-support-only" => Factor::new(
            2,
            Text::new(
                "only paid extended support remains",
                "seul le support étendu payant subsiste",
            ),
        ),
        "eol-soon" => {
            let left = f.eol_date.map(|d| days_between(today, d));
            match (left, &eol) {
                (Some(l), Some(e)) if l <= EOL_SOON_DAYS => Factor::new(
                    3,
                    Text::new(
                        format!(
                            "end of life in {} days ({}), within 90 days",
                            l.max(0),
                            e.en
                        ),
                        format!(
                            "fin de vie dans {}{NBSP}jours ({}), moins de 90{NBSP}jours",
                            l.max(0),
                            e.fr
                        ),
                    ),
                ),
                (_, Some(e)) => Factor::new(
                    2,
                    Text::new(
                        format!("end of life coming on {}", e.en),
                        format!("fin de vie prochaine, le {}", e.fr),
                    ),
                ),
                _ => Factor::new(
                    2,
                    Text::new("end of life coming soon", "fin de vie prochaine"),
                ),
            }
        }
        "behind-latest" => {
            let latest = f
                .platform
                .as_ref()
                .and_then(|p| p.latest.as_deref())
                .map(quote);
            let text = match latest {
                Some(l) => Text::new(
                    format!(
                        "behind the latest patch release of its cycle ({l}), which may carry security fixes"
                    ),
                    format!(
                        "en retard sur le dernier correctif de son cycle ({l}), qui peut contenir des correctifs de sécurité"
                    ),
                ),
                None => Text::new(
                    "behind the latest patch release of its cycle, which may carry security fixes",
                    "en retard sur le dernier correctif de son cycle, qui peut contenir des correctifs de sécurité",
                ),
            };
            Factor::new(2, text)
        }
        "security-only" => Factor::new(
            1,
            Text::new(
                "security fixes only, no more bug fixes",
                "correctifs de sécurité seulement, plus de corrections de bogues",
            ),
        ),
        "unpinned" => Factor::new(
            1,
            Text::new(
                "version not pinned: what runs is not known exactly",
                format!("version non figée{NBSP}: on ne sait pas exactement ce qui tourne"),
            ),
        ),
        "unknown-cycle" => Factor::new(
            1,
            Text::new(
                "release cycle not recognised",
                "cycle de versions non reconnu",
            ),
        ),
        _ => Factor::new(2, unknown_kind(&f.kind)),
    }
}

fn licence(f: &FindingFacts) -> Factor {
    let kind = f.kind.trim().to_ascii_lowercase();
    let (value, en, fr) = match kind.as_str() {
        "denied" => (
            4,
            "licence denied by the policy for this distribution model",
            "licence refusée par la politique pour ce mode de diffusion",
        ),
        "incompatible" => (
            4,
            "licence incompatible with the licence of the project",
            "licence incompatible avec celle du projet",
        ),
        "unknown" => (
            3,
            "licence unknown: no right of use established",
            "licence inconnue\u{a0}: aucun droit d’usage établi",
        ),
        "review" => (
            2,
            "licence needs a legal review",
            "licence à faire examiner par un juriste",
        ),
        "copyleft-obligation" => (
            2,
            "copyleft obligations to meet",
            "obligations de copyleft à respecter",
        ),
        "low-confidence" => (
            1,
            "licence identified with low confidence",
            "licence identifiée avec une confiance faible",
        ),
        _ => return Factor::new(2, unknown_kind(&f.kind)),
    };
    Factor::new(value, Text::new(en, fr))
}

/// Days from `a` to `b` (negative when `b` is before `a`); 0 if the span cannot be computed.
fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// The impact of a finding in one system (`None`: a component in no system of the catalog).
pub fn impact(system: Option<&SystemFacts>) -> Factor {
    let Some(s) = system else {
        return Factor::new(
            DEFAULT_IMPACT,
            Text::new(
                "in no system of the catalog, assumed medium (3/5)",
                "dans aucun système du catalogue, supposé moyen (3/5)",
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
