//! The alias table (`data/aliases.toml`), plus the names and `seeAlso` URLs
//! of the SPDX list, loaded into look-up maps.

use std::collections::HashMap;

use serde::Deserialize;

use super::Confidence;
use super::key::{name_key, url_key};
use crate::expr::Expression;
use crate::list::LicenceList;

/// The embedded alias table.
pub const ALIASES_TOML: &str = include_str!("../../data/aliases.toml");

/// Why the alias table could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum AliasError {
    /// Not valid TOML of the expected shape.
    #[error("data/aliases.toml: {0}")]
    Toml(#[from] toml::de::Error),
    /// A value is not an expression valid against the list.
    #[error("data/aliases.toml: {key:?} = {value:?}: {error}")]
    Value {
        /// The key.
        key: String,
        /// The value.
        value: String,
        /// Why it is refused.
        error: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    names: RawLevels,
    urls: RawLevels,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLevels {
    #[serde(default)]
    high: HashMap<String, String>,
    #[serde(default)]
    low: HashMap<String, String>,
}

/// One entry: the expression and how sure the table is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The SPDX expression (normalised against the list).
    pub expression: Expression,
    /// How sure.
    pub confidence: Confidence,
}

/// The loaded alias table.
#[derive(Debug, Clone)]
pub struct AliasTable {
    pub(crate) names: HashMap<String, Entry>,
    pub(crate) urls: HashMap<String, Entry>,
    /// Loose keys of the list's licence names → canonical id (unique only).
    pub(crate) list_names: HashMap<String, String>,
    /// URL keys of the list's `seeAlso` → canonical id (unique only).
    pub(crate) see_also: HashMap<String, String>,
}

fn load(
    list: &LicenceList,
    levels: RawLevels,
    out: &mut HashMap<String, Entry>,
) -> Result<(), AliasError> {
    for (confidence, map) in [
        (Confidence::High, levels.high),
        (Confidence::Low, levels.low),
    ] {
        for (key, value) in map {
            let expression = list.parse(&value).map_err(|e| AliasError::Value {
                key: key.clone(),
                value: value.clone(),
                error: e.to_string(),
            })?;
            let expression = list.normalise(&expression).expression;
            let entry = Entry {
                expression,
                confidence,
            };
            if out.insert(key.clone(), entry).is_some() {
                return Err(AliasError::Value {
                    key,
                    value,
                    error: "key present at both confidences".into(),
                });
            }
        }
    }
    Ok(())
}

/// Keeps the keys that name one identifier only.
fn unique(pairs: impl Iterator<Item = (String, String)>) -> HashMap<String, String> {
    let mut seen: HashMap<String, Option<String>> = HashMap::new();
    for (k, id) in pairs {
        seen.entry(k)
            .and_modify(|v| {
                if v.as_deref() != Some(id.as_str()) {
                    *v = None;
                }
            })
            .or_insert(Some(id));
    }
    seen.into_iter()
        .filter_map(|(k, v)| v.map(|id| (k, id)))
        .collect()
}

impl AliasTable {
    /// Loads the embedded `data/aliases.toml` against `list`.
    pub fn embedded(list: &LicenceList) -> Result<AliasTable, AliasError> {
        AliasTable::from_toml(list, ALIASES_TOML)
    }

    /// Loads a table of the shape of `data/aliases.toml` against `list`.
    pub fn from_toml(list: &LicenceList, text: &str) -> Result<AliasTable, AliasError> {
        let raw: Raw = toml::from_str(text)?;
        let mut names = HashMap::new();
        load(list, raw.names, &mut names)?;
        let mut urls = HashMap::new();
        load(list, raw.urls, &mut urls)?;
        let current = || list.licences().iter().filter(|l| !l.deprecated);
        let list_names = unique(current().map(|l| (name_key(&l.name), l.id.clone())));
        let see_also = unique(current().flat_map(|l| {
            l.see_also
                .iter()
                .filter_map(|u| url_key(u))
                .map(|k| (k, l.id.clone()))
                .collect::<Vec<_>>()
        }));
        Ok(AliasTable {
            names,
            urls,
            list_names,
            see_also,
        })
    }

    /// Every `[names]` key, for tests and documentation.
    pub fn name_keys(&self) -> impl Iterator<Item = &str> {
        self.names.keys().map(String::as_str)
    }

    /// Every `[urls]` key.
    pub fn url_keys(&self) -> impl Iterator<Item = &str> {
        self.urls.keys().map(String::as_str)
    }
}
