//! The likelihood of one finding (1–5): the rules of the model's likelihood table, one match
//! arm each, with the words that explain them.

use jiff::civil::Date;

use crate::facts::{Family, FindingFacts, Rating};
use crate::score::{EOL_DAYS_4, EOL_DAYS_5, EOL_SOON_DAYS, Factor};
use crate::text::{NBSP, Text, count, date, decimal1, quote};

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
                        "code non sûr{NBSP}: la sûreté mémoire peut être violée, sans exploitation connue"
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
            let text = match (days.map(days_text), &eol) {
                (Some(d), Some(e)) => Text::new(
                    format!(
                        "end of life passed {} ago ({}): no more security fixes",
                        d.en, e.en
                    ),
                    format!(
                        "fin de vie dépassée depuis {} ({}){NBSP}: plus aucun correctif de sécurité",
                        d.fr, e.fr
                    ),
                ),
                (Some(d), None) => Text::new(
                    format!("end of life passed {} ago: no more security fixes", d.en),
                    format!(
                        "fin de vie dépassée depuis {}{NBSP}: plus aucun correctif de sécurité",
                        d.fr
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
                            "end of life in {} ({}), within 90 days",
                            days_text(l.max(0)).en,
                            e.en
                        ),
                        format!(
                            "fin de vie dans {} ({}), soit moins de 90 jours",
                            days_text(l.max(0)).fr,
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
                        "en retard sur la dernière version corrective de son cycle ({l}), qui peut contenir des correctifs de sécurité"
                    ),
                ),
                None => Text::new(
                    "behind the latest patch release of its cycle, which may carry security fixes",
                    "en retard sur la dernière version corrective de son cycle, qui peut contenir des correctifs de sécurité",
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
            "licence identifiée avec un faible degré de confiance",
        ),
        _ => return Factor::new(2, unknown_kind(&f.kind)),
    };
    Factor::new(value, Text::new(en, fr))
}

/// `400 days` / `400 jours`, with thousands separators.
fn days_text(d: i64) -> Text {
    count(
        usize::try_from(d).unwrap_or(0),
        ("day", "days"),
        ("jour", "jours"),
    )
}

/// Days from `a` to `b` (negative when `b` is before `a`); 0 if the span cannot be computed.
fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}
