//! Numbers, percentages, dates and plurals as each language writes them.
//!
//! English (British usage, as in the rest of vigie): `12,345`, `3.5`, `87.5%`,
//! `26 November 2026`. French (Imprimerie nationale, CLDR): a narrow no-break space (U+202F)
//! between groups of digits and before `%`, a decimal comma, `1er novembre 2026`, and the
//! singular for 0 and 1 (« 0 risque », « 1 risque », « 2 risques »).

use jiff::civil::Date;

use crate::Lang;

/// The narrow no-break space (U+202F) of French typography.
pub const NNBSP: char = '\u{202f}';

/// An integer with the language's digit grouping.
pub fn int(lang: Lang, n: u64) -> String {
    group(lang, &n.to_string())
}

fn group(lang: Lang, digits: &str) -> String {
    let sep = match lang {
        Lang::En => ',',
        Lang::Fr => NNBSP,
    };
    let len = digits.chars().count();
    let mut out = String::with_capacity(digits.len() + len / 3 * 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// A non-negative decimal with at most `places` decimals, trailing zeros dropped
/// (`7.5`, `20`); a negative, infinite or NaN value (hostile input) is shown as `–`.
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    if !(0.0..=1e15).contains(&x) {
        return "–".to_owned();
    }
    let fixed = format!("{x:.places$}");
    let (whole, frac) = match fixed.split_once('.') {
        Some((w, f)) => (w, f.trim_end_matches('0')),
        None => (fixed.as_str(), ""),
    };
    let mut out = group(lang, whole);
    if !frac.is_empty() {
        out.push(match lang {
            Lang::En => '.',
            Lang::Fr => ',',
        });
        out.push_str(frac);
    }
    out
}

/// `part / whole` as a percentage with one decimal at most (`87.5%`, `87,5 %`);
/// `–` when `whole` is zero.
pub fn percent(lang: Lang, part: u64, whole: u64) -> String {
    if whole == 0 {
        return "–".to_owned();
    }
    let value = (part as f64) * 100.0 / (whole as f64);
    percent_value(lang, value)
}

/// A percentage given as a number (`12.5` → `12.5%` / `12,5 %`).
pub fn percent_value(lang: Lang, value: f64) -> String {
    let number = decimal(lang, value, 1);
    match lang {
        Lang::En => format!("{number}%"),
        Lang::Fr => format!("{number}{NNBSP}%"),
    }
}

/// A full date: `26 November 2026`, `26 novembre 2026`, `1er novembre 2026`.
pub fn date(lang: Lang, d: Date) -> String {
    match lang {
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            Lang::En.month(d.month()).unwrap_or("?"),
            d.year()
        ),
        Lang::Fr => {
            let day = if d.day() == 1 {
                "1er".to_owned()
            } else {
                d.day().to_string()
            };
            format!(
                "{day} {} {}",
                Lang::Fr.month(d.month()).unwrap_or("?"),
                d.year()
            )
        }
    }
}

/// A month for a chart axis: `Nov 2026`, `nov. 2026`.
pub fn month(lang: Lang, d: Date) -> String {
    format!(
        "{} {}",
        lang.month_short(d.month()).unwrap_or("?"),
        d.year()
    )
}

/// A counted noun: `1 risk`, `12,345 risks`, `0 risque`, `2 risques`.
///
/// English takes the singular for 1 only, French for 0 and 1.
pub fn count(lang: Lang, n: u64, noun: (&str, &str)) -> String {
    let singular = match lang {
        Lang::En => n == 1,
        Lang::Fr => n < 2,
    };
    let word = if singular { noun.0 } else { noun.1 };
    format!("{} {word}", int(lang, n))
}

#[cfg(test)]
mod tests {
    //! Every expected string here was written by hand from the conventions in the module
    //! documentation, not copied from the output.
    use super::*;
    use jiff::civil::date as d;

    #[test]
    fn integers() {
        assert_eq!(int(Lang::En, 0), "0");
        assert_eq!(int(Lang::En, 999), "999");
        assert_eq!(int(Lang::En, 1000), "1,000");
        assert_eq!(int(Lang::En, 12345), "12,345");
        assert_eq!(int(Lang::En, 1234567), "1,234,567");
        assert_eq!(int(Lang::Fr, 999), "999");
        assert_eq!(int(Lang::Fr, 12345), "12\u{202f}345");
        assert_eq!(int(Lang::Fr, 1234567), "1\u{202f}234\u{202f}567");
        assert_eq!(
            int(Lang::En, u64::MAX),
            "18,446,744,073,709,551,615",
            "u64::MAX = 18446744073709551615"
        );
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal(Lang::En, 7.5, 1), "7.5");
        assert_eq!(decimal(Lang::Fr, 7.5, 1), "7,5");
        assert_eq!(decimal(Lang::En, 20.0, 1), "20");
        assert_eq!(decimal(Lang::Fr, 1234.25, 2), "1\u{202f}234,25");
        assert_eq!(decimal(Lang::En, 1234.25, 2), "1,234.25");
        assert_eq!(
            decimal(Lang::En, 2.04, 1),
            "2",
            "2.04 rounds to 2.0, zero dropped"
        );
        assert_eq!(decimal(Lang::En, f64::NAN, 1), "–");
        assert_eq!(decimal(Lang::En, -1.0, 1), "–");
        assert_eq!(decimal(Lang::En, f64::INFINITY, 1), "–");
    }

    #[test]
    fn percentages() {
        // 7 of 8 = 87.5 %; 1 of 3 = 33.33… % → 33.3; 2 of 3 = 66.66… → 66.7.
        assert_eq!(percent(Lang::En, 7, 8), "87.5%");
        assert_eq!(percent(Lang::Fr, 7, 8), "87,5\u{202f}%");
        assert_eq!(percent(Lang::En, 1, 3), "33.3%");
        assert_eq!(percent(Lang::Fr, 2, 3), "66,7\u{202f}%");
        assert_eq!(percent(Lang::En, 4, 4), "100%");
        assert_eq!(percent(Lang::Fr, 0, 5), "0\u{202f}%");
        assert_eq!(percent(Lang::En, 3, 0), "–");
    }

    #[test]
    fn dates() {
        assert_eq!(date(Lang::En, d(2026, 11, 26)), "26 November 2026");
        assert_eq!(date(Lang::Fr, d(2026, 11, 26)), "26 novembre 2026");
        assert_eq!(date(Lang::En, d(2027, 2, 1)), "1 February 2027");
        assert_eq!(date(Lang::Fr, d(2027, 2, 1)), "1er février 2027");
        assert_eq!(date(Lang::Fr, d(2028, 8, 15)), "15 août 2028");
        assert_eq!(date(Lang::Fr, d(2026, 12, 31)), "31 décembre 2026");
        assert_eq!(month(Lang::En, d(2026, 11, 26)), "Nov 2026");
        assert_eq!(month(Lang::Fr, d(2027, 2, 1)), "févr. 2027");
        assert_eq!(month(Lang::Fr, d(2027, 5, 1)), "mai 2027");
    }

    #[test]
    fn plurals() {
        let risk_en = ("risk", "risks");
        let risk_fr = ("risque", "risques");
        assert_eq!(count(Lang::En, 0, risk_en), "0 risks");
        assert_eq!(count(Lang::En, 1, risk_en), "1 risk");
        assert_eq!(count(Lang::En, 2, risk_en), "2 risks");
        assert_eq!(count(Lang::Fr, 0, risk_fr), "0 risque");
        assert_eq!(count(Lang::Fr, 1, risk_fr), "1 risque");
        assert_eq!(count(Lang::Fr, 2, risk_fr), "2 risques");
        assert_eq!(count(Lang::Fr, 12345, risk_fr), "12\u{202f}345 risques");
    }
}
