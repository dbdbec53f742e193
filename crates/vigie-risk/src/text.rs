//! Texts in English and French, and the small pieces of language the explanations are built
//! from: numbers, dates, plurals and lists, each following its language's conventions.
//!
//! French typography: a no-break space (U+00A0) before a colon, a narrow no-break space
//! (U+202F) before a semicolon and as the thousands separator, a decimal comma.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// No-break space, before a French colon.
pub(crate) const NBSP: char = '\u{a0}';
/// Narrow no-break space, before a French semicolon and between groups of digits.
pub(crate) const NNBSP: char = '\u{202f}';

/// The longest piece of input text (a kind, a name) quoted in an explanation, in characters.
const MAX_QUOTED: usize = 80;

/// A text written in English and in French.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Text {
    /// The English text.
    pub en: String,
    /// The French text.
    pub fr: String,
}

impl Text {
    /// A text from its two versions.
    pub fn new(en: impl Into<String>, fr: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            fr: fr.into(),
        }
    }

    /// The same text in both languages (a name, a version).
    pub fn same(s: impl Into<String>) -> Text {
        let s = s.into();
        Text {
            en: s.clone(),
            fr: s,
        }
    }
}

/// An input string fit to be quoted: control characters dropped, cut at [`MAX_QUOTED`]
/// characters. (Escaping for HTML or Markdown is the renderer's business.)
pub(crate) fn quote(s: &str) -> String {
    let mut out: String = s
        .trim()
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_QUOTED)
        .collect();
    if s.trim().chars().filter(|c| !c.is_control()).count() > MAX_QUOTED {
        out.push('…');
    }
    out
}

/// An integer with thousands separators: `12,345` / `12 345` (narrow no-break space).
pub(crate) fn int(n: i64) -> Text {
    let digits = n.unsigned_abs().to_string();
    let group = |sep: char| {
        let mut out = String::new();
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    };
    Text::new(group(','), group(NNBSP))
}

/// A CVSS score with one decimal: `9.8` / `9,8`.
pub(crate) fn decimal1(x: f32) -> Text {
    let en = format!("{x:.1}");
    let fr = en.replace('.', ",");
    Text::new(en, fr)
}

/// A date in words: `1 January 2020` / `1er janvier 2020`.
pub(crate) fn date(d: Date) -> Text {
    let m = d.month().clamp(1, 12);
    let en_month = vigie_model::Lang::En.month(m).unwrap_or("");
    let fr_month = vigie_model::Lang::Fr.month(m).unwrap_or("");
    let day_fr = if d.day() == 1 {
        "1er".to_string()
    } else {
        d.day().to_string()
    };
    Text::new(
        format!("{} {} {}", d.day(), en_month, d.year()),
        format!("{} {} {}", day_fr, fr_month, d.year()),
    )
}

/// `n` followed by the singular or plural noun: `1 project`, `3 projects` / `1 projet`,
/// `3 projets`. (French takes the singular for 0 and 1.)
pub(crate) fn count(n: usize, en: (&str, &str), fr: (&str, &str)) -> Text {
    let num = int(i64::try_from(n).unwrap_or(i64::MAX));
    Text::new(
        format!("{} {}", num.en, if n == 1 { en.0 } else { en.1 }),
        format!("{} {}", num.fr, if n <= 1 { fr.0 } else { fr.1 }),
    )
}

/// The first `max` items joined with commas, then `and N more` / `et N autres`.
pub(crate) fn list(items: &[String], max: usize) -> Text {
    let shown: Vec<String> = items.iter().take(max).map(|s| quote(s)).collect();
    let joined = shown.join(", ");
    let rest = items.len().saturating_sub(max);
    if rest == 0 {
        Text::same(joined)
    } else {
        let n = int(i64::try_from(rest).unwrap_or(i64::MAX));
        Text::new(
            format!("{joined} and {} more", n.en),
            format!("{joined} et {} autres", n.fr),
        )
    }
}

/// Phrases joined by semicolons, with French spacing.
pub(crate) fn join_phrases(parts: &[Text]) -> Text {
    let en: Vec<&str> = parts.iter().map(|t| t.en.as_str()).collect();
    let fr: Vec<&str> = parts.iter().map(|t| t.fr.as_str()).collect();
    Text::new(en.join("; "), fr.join(&format!("{NNBSP}; ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_follow_each_language() {
        assert_eq!(int(1234567).en, "1,234,567");
        assert_eq!(int(1234567).fr, "1\u{202f}234\u{202f}567");
        assert_eq!(int(999).en, "999");
        assert_eq!(int(-1000).en, "-1,000");
        assert_eq!(decimal1(9.8).fr, "9,8");
    }

    #[test]
    fn dates_and_plurals() {
        let d = jiff::civil::date(2020, 1, 1);
        assert_eq!(date(d).en, "1 January 2020");
        assert_eq!(date(d).fr, "1er janvier 2020");
        assert_eq!(date(jiff::civil::date(2025, 8, 15)).fr, "15 août 2025");
        assert_eq!(
            count(1, ("project", "projects"), ("projet", "projets")).en,
            "1 project"
        );
        assert_eq!(
            count(0, ("project", "projects"), ("projet", "projets")).fr,
            "0 projet"
        );
        assert_eq!(
            count(2, ("project", "projects"), ("projet", "projets")).fr,
            "2 projets"
        );
    }

    #[test]
    fn lists_are_cut_and_quotes_are_clean() {
        let items: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        assert_eq!(list(&items, 2).en, "a, b and 2 more");
        assert_eq!(list(&items, 2).fr, "a, b et 2 autres");
        assert_eq!(quote("x\u{1b}[31my\n"), "x[31my");
        assert_eq!(quote(&"é".repeat(200)).chars().count(), MAX_QUOTED + 1);
    }
}
