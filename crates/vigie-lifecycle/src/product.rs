//! The knowledge about one product: its identity (name, aliases,
//! identifiers) and its release cycles with their support dates, as
//! endoflife.date states them.

use jiff::civil::Date;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A support date of endoflife.date: a date, or a boolean when the date is
/// not known (`eol: true`: it has ended, on an unknown date) or there is none
/// yet (`eol: false`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateOrBool {
    /// The day it ends (or, for `lts`, the day the cycle becomes LTS).
    Date(Date),
    /// Ended (`true`) or not (`false`), no date given.
    Bool(bool),
}

impl DateOrBool {
    /// Whether it has happened on `today` (a date on `today` has happened:
    /// support ends *on* the end date).
    pub fn reached(self, today: Date) -> bool {
        match self {
            DateOrBool::Date(d) => d <= today,
            DateOrBool::Bool(b) => b,
        }
    }

    /// The date, when there is one.
    pub fn date(self) -> Option<Date> {
        match self {
            DateOrBool::Date(d) => Some(d),
            DateOrBool::Bool(_) => None,
        }
    }

    /// Reads `YYYY-MM-DD`, `true` or `false`.
    pub fn parse(s: &str) -> Option<DateOrBool> {
        match s.trim() {
            "true" | "True" | "TRUE" => Some(DateOrBool::Bool(true)),
            "false" | "False" | "FALSE" => Some(DateOrBool::Bool(false)),
            s => parse_date(s).map(DateOrBool::Date),
        }
    }
}

/// Reads a strict `YYYY-MM-DD` date.
pub fn parse_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() != 10 || s.as_bytes().get(4) != Some(&b'-') || s.as_bytes().get(7) != Some(&b'-') {
        return None;
    }
    s.parse().ok()
}

impl Serialize for DateOrBool {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DateOrBool::Date(d) => d.serialize(s),
            DateOrBool::Bool(b) => s.serialize_bool(*b),
        }
    }
}

impl<'de> Deserialize<'de> for DateOrBool {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<DateOrBool, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = DateOrBool;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a YYYY-MM-DD date or a boolean")
            }
            fn visit_bool<E: serde::de::Error>(self, b: bool) -> Result<DateOrBool, E> {
                Ok(DateOrBool::Bool(b))
            }
            fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<DateOrBool, E> {
                DateOrBool::parse(s).ok_or_else(|| E::custom(format!("not a date: {s:?}")))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// The identifiers endoflife.date gives a product, for matching.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifiers {
    /// Package URLs without version (`pkg:pypi/django`, `pkg:docker/library/python`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub purl: Vec<String>,
    /// CPE names (`cpe:2.3:a:python:python`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cpe: Vec<String>,
    /// Repology project names.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub repology: Vec<String>,
}

/// One release cycle of a product (`releaseCycle` and its dates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycle {
    /// The cycle as endoflife.date names it (`3.12`, `22`, `10`).
    pub name: String,
    /// The cycle's codename (`Bookworm`, `Jammy Jellyfish`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub codename: Option<String>,
    /// A human label for the cycle, when the file gives one (may hold HTML).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// The first release of the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_date: Option<Date>,
    /// End of life: end of all support, security included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eol: Option<DateOrBool>,
    /// End of active support (bug fixes); security support goes on to `eol`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eoas: Option<DateOrBool>,
    /// End of extended (often paid) support, after `eol`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eoes: Option<DateOrBool>,
    /// Long-term support: `true`, or the day the cycle becomes LTS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lts: Option<DateOrBool>,
    /// For devices: no longer made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discontinued: Option<DateOrBool>,
    /// The newest release of the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    /// The date of `latest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_release_date: Option<Date>,
}

impl Cycle {
    /// Whether the cycle is a long-term-support one on `today`.
    pub fn is_lts(&self, today: Date) -> bool {
        self.lts.is_some_and(|l| l.reached(today))
    }

    /// Whether the end of life has come on `today`.
    pub fn eol_reached(&self, today: Date) -> bool {
        self.eol.is_some_and(|e| e.reached(today))
    }

    /// Whether the cycle is still supported on `day` (no end of life
    /// announced, or announced after `day`).
    pub fn supported_on(&self, day: Date) -> bool {
        !self.eol_reached(day)
    }
}

/// A product of endoflife.date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    /// The product's id: its file name without `.md` (`python`, `nodejs`).
    pub name: String,
    /// The display name (`Python`, `Node.js`).
    pub title: String,
    /// `lang`, `os`, `framework`, `db`, `server-app`, ...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub category: String,
    /// endoflife.date's tags (`linux-distribution`, `java-distribution`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// Other names of the product on endoflife.date (`node`, `postgres`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The label template of a cycle (`__RELEASE_CYCLE__ (__CODENAME__)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release_label: Option<String>,
    /// Package URLs, CPEs and Repology names of the product.
    #[serde(default)]
    pub identifiers: Identifiers,
    /// The cycles, as listed (newest first, by endoflife.date's convention).
    pub cycles: Vec<Cycle>,
    /// Every release with its date, from release-data, sorted by date (for
    /// "how far behind"); empty when release-data has no file for it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<(String, Date)>,
}

impl Product {
    /// The cycle named `name`.
    pub fn cycle(&self, name: &str) -> Option<&Cycle> {
        self.cycles.iter().find(|c| c.name == name)
    }

    /// How a cycle is shown: its own label, or the product's template
    /// filled in, or its name.
    pub fn cycle_label(&self, cycle: &Cycle) -> String {
        let template = cycle.label.as_deref().or(self.release_label.as_deref());
        match template {
            Some(t) => t
                .replace("__RELEASE_CYCLE__", &cycle.name)
                .replace("__CODENAME__", cycle.codename.as_deref().unwrap_or("")),
            None => cycle.name.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_or_bool() {
        let d = |s: &str| parse_date(s).unwrap();
        assert_eq!(
            DateOrBool::parse("2024-10-07"),
            Some(DateOrBool::Date(d("2024-10-07")))
        );
        assert_eq!(DateOrBool::parse("true"), Some(DateOrBool::Bool(true)));
        assert_eq!(DateOrBool::parse("2024-13-07"), None);
        assert_eq!(DateOrBool::parse("2024-1-7"), None);
        assert_eq!(DateOrBool::parse("soon"), None);
        let eol = DateOrBool::Date(d("2024-10-07"));
        assert!(eol.reached(d("2024-10-07")));
        assert!(!eol.reached(d("2024-10-06")));
        let json = serde_json::to_string(&[eol, DateOrBool::Bool(false)]).unwrap();
        assert_eq!(json, r#"["2024-10-07",false]"#);
        let back: Vec<DateOrBool> = serde_json::from_str(&json).unwrap();
        assert_eq!(back, [eol, DateOrBool::Bool(false)]);
    }
}
