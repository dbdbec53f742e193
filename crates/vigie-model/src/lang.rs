//! [`Lang`]: the two languages vigie speaks, in its reports, notices and messages.

use serde::{Deserialize, Serialize};

/// A language of vigie's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (British usage).
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `en` in English, `fr` in French.
    pub fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }

    /// The language's code: `en`, `fr`.
    pub fn code(self) -> &'static str {
        self.pick("en", "fr")
    }

    /// The name of month `month` (1 to 12): `January` / `janvier`; `None` outside 1–12.
    pub fn month(self, month: i8) -> Option<&'static str> {
        let table = match self {
            Lang::En => &MONTHS_EN,
            Lang::Fr => &MONTHS_FR,
        };
        table
            .get(usize::try_from(month.checked_sub(1)?).ok()?)
            .copied()
    }

    /// The abbreviation of month `month` (1 to 12): `Jan` / `janv.` (the Imprimerie
    /// nationale's, as CLDR); `None` outside 1–12.
    pub fn month_short(self, month: i8) -> Option<&'static str> {
        let table = match self {
            Lang::En => &SHORT_EN,
            Lang::Fr => &SHORT_FR,
        };
        table
            .get(usize::try_from(month.checked_sub(1)?).ok()?)
            .copied()
    }
}

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_FR: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];
const SHORT_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];
const SHORT_FR: [&str; 12] = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
    "déc.",
];

/// A language code that is neither `en` nor `fr` (the first 16 characters of it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownLang(pub String);

impl std::fmt::Display for UnknownLang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "unknown report language {:?} (expected en or fr)",
            self.0
        )
    }
}

impl std::error::Error for UnknownLang {}

impl std::str::FromStr for Lang {
    type Err = UnknownLang;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "en" => Ok(Lang::En),
            "fr" => Ok(Lang::Fr),
            other => Err(UnknownLang(other.chars().take(16).collect())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_serialise_as_themselves() {
        for l in Lang::ALL {
            assert_eq!(l.code().parse::<Lang>(), Ok(l));
            assert_eq!(
                serde_json::to_string(&l).unwrap(),
                format!("\"{}\"", l.code())
            );
        }
        let e = "english-and-more-than-sixteen".parse::<Lang>().unwrap_err();
        assert_eq!(e.0.chars().count(), 16);
        assert!(e.to_string().contains("expected en or fr"));
    }

    #[test]
    fn months_are_named_from_1_to_12_only() {
        assert_eq!(Lang::En.month(1), Some("January"));
        assert_eq!(Lang::Fr.month(8), Some("août"));
        assert_eq!(Lang::Fr.month_short(2), Some("févr."));
        assert_eq!(Lang::En.month_short(12), Some("Dec"));
        for bad in [0, 13, -1, i8::MIN, i8::MAX] {
            assert_eq!(Lang::En.month(bad), None);
            assert_eq!(Lang::Fr.month_short(bad), None);
        }
    }
}
