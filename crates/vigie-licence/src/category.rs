//! Licence categories and exception effects, from `data/categories.toml`.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::expr::{ExceptionItem, LicenceItem};
use crate::i18n::Lang;
use crate::list::LicenceList;
use crate::policy::Obligation;

/// The embedded category table.
pub const CATEGORIES_TOML: &str = include_str!("../data/categories.toml");

/// What kind of licence this is, from the point of view of a company that
/// uses or ships the component. Ordered from the least to the most
/// constraining (`Unknown` last: it must be looked at).
/// Serialised as its [`id`](Category::id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// No condition at all (CC0, Unlicense, 0BSD...).
    PublicDomain,
    /// Keep the notices (MIT, BSD, Apache-2.0...).
    Permissive,
    /// The component's own files stay open (LGPL, MPL, EPL, CDDL...).
    WeakCopyleft,
    /// A distributed work that includes it must be under it (GPL...).
    StrongCopyleft,
    /// Copyleft also triggered by use over a network (AGPL, EUPL, OSL-3.0...).
    NetworkCopyleft,
    /// Public text, restricted use (CC-BY-NC, BUSL, SSPL, Elastic, PolyForm...).
    NonCommercialOrSourceAvailable,
    /// No public grant (npm `UNLICENSED`, EULAs).
    Proprietary,
    /// Not known to vigie.
    Unknown,
}

impl Category {
    /// Every category, in order.
    pub const ALL: [Category; 8] = [
        Category::PublicDomain,
        Category::Permissive,
        Category::WeakCopyleft,
        Category::StrongCopyleft,
        Category::NetworkCopyleft,
        Category::NonCommercialOrSourceAvailable,
        Category::Proprietary,
        Category::Unknown,
    ];

    /// The stable machine id (`weak-copyleft`).
    pub fn id(self) -> &'static str {
        match self {
            Category::PublicDomain => "public-domain",
            Category::Permissive => "permissive",
            Category::WeakCopyleft => "weak-copyleft",
            Category::StrongCopyleft => "strong-copyleft",
            Category::NetworkCopyleft => "network-copyleft",
            Category::NonCommercialOrSourceAvailable => "non-commercial-or-source-available",
            Category::Proprietary => "proprietary",
            Category::Unknown => "unknown",
        }
    }

    /// The name for a report, in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let (en, fr) = match self {
            Category::PublicDomain => ("public domain", "domaine public"),
            Category::Permissive => ("permissive", "permissive"),
            Category::WeakCopyleft => ("weak copyleft", "copyleft faible"),
            Category::StrongCopyleft => ("strong copyleft", "copyleft fort"),
            Category::NetworkCopyleft => ("network copyleft", "copyleft réseau"),
            Category::NonCommercialOrSourceAvailable => (
                "non-commercial or source-available",
                "non commerciale ou source disponible",
            ),
            Category::Proprietary => ("proprietary", "propriétaire"),
            Category::Unknown => ("unknown", "inconnue"),
        };
        lang.pick(en, fr)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// What an exception (`WITH`) changes in the licence it is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExceptionEffect {
    /// Linking with code under other terms does not extend the copyleft.
    Linking,
    /// Code compiled with the runtime may be shipped under any terms.
    RuntimeLibrary,
    /// What the tool generates is not covered.
    GeneratedOutput,
    /// Documents embedding the font are not covered.
    FontEmbedding,
    /// Not assessed: the licence is evaluated as if the exception were absent.
    Other,
}

/// Why the category table could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum CategoryError {
    /// Not valid TOML of the expected shape.
    #[error("data/categories.toml: {0}")]
    Toml(#[from] toml::de::Error),
    /// An identifier appears twice.
    #[error("data/categories.toml: {0} listed twice")]
    Duplicate(String),
}

#[derive(Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
struct RawTable {
    licences: HashMap<Category, Vec<String>>,
    refs: HashMap<Category, Vec<String>>,
    extra_obligations: HashMap<String, Vec<Obligation>>,
    exceptions: HashMap<ExceptionEffect, Vec<String>>,
}

/// The loaded category table. Keys are lower-case identifiers.
#[derive(Debug, Clone)]
pub struct CategoryTable {
    licences: HashMap<String, Category>,
    refs: HashMap<String, Category>,
    extra: HashMap<String, Vec<Obligation>>,
    exceptions: HashMap<String, ExceptionEffect>,
}

fn invert<K: Copy>(groups: HashMap<K, Vec<String>>) -> Result<HashMap<String, K>, CategoryError> {
    let mut out = HashMap::new();
    for (k, ids) in groups {
        for id in ids {
            if out.insert(id.to_ascii_lowercase(), k).is_some() {
                return Err(CategoryError::Duplicate(id));
            }
        }
    }
    Ok(out)
}

impl CategoryTable {
    /// Loads the embedded `data/categories.toml`.
    pub fn embedded() -> Result<CategoryTable, CategoryError> {
        CategoryTable::from_toml(CATEGORIES_TOML)
    }

    /// Loads a table of the same shape as `data/categories.toml`.
    pub fn from_toml(text: &str) -> Result<CategoryTable, CategoryError> {
        let raw: RawTable = toml::from_str(text)?;
        Ok(CategoryTable {
            licences: invert(raw.licences)?,
            refs: invert(raw.refs)?,
            extra: raw
                .extra_obligations
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            exceptions: invert(raw.exceptions)?,
        })
    }

    /// Every identifier the table names under `[licences]`, lower-cased.
    pub fn listed_ids(&self) -> impl Iterator<Item = (&str, Category)> {
        self.licences.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// Every exception the table names, lower-cased.
    pub fn listed_exceptions(&self) -> impl Iterator<Item = (&str, ExceptionEffect)> {
        self.exceptions.iter().map(|(k, v)| (k.as_str(), *v))
    }

    /// The category of a licence identifier: a deprecated one takes the
    /// category of its replacement; `+` does not change it.
    pub fn of_id(&self, list: &LicenceList, id: &str) -> Category {
        let canonical = list.licence(id).map_or(id, |l| l.id.as_str());
        let target = match list.upgrade(canonical) {
            Some(t) => match &t.licence {
                LicenceItem::Spdx { id, .. } => id.as_str(),
                LicenceItem::Ref { .. } => canonical,
            },
            None => canonical,
        };
        self.licences
            .get(&target.to_ascii_lowercase())
            .copied()
            .unwrap_or(Category::Unknown)
    }

    /// The category of the licence part of a term.
    pub fn of(&self, list: &LicenceList, item: &LicenceItem) -> Category {
        match item {
            LicenceItem::Spdx { id, or_later } => {
                let with_plus = format!("{id}+");
                if *or_later && list.licence(&with_plus).is_some() {
                    self.of_id(list, &with_plus)
                } else {
                    self.of_id(list, id)
                }
            }
            LicenceItem::Ref { document: None, id } => self
                .refs
                .get(&format!("licenseref-{}", id.to_ascii_lowercase()))
                .copied()
                .unwrap_or(Category::Unknown),
            LicenceItem::Ref { .. } => Category::Unknown,
        }
    }

    /// Obligations the licence adds to those of its category.
    pub fn extra_obligations(&self, id: &str) -> &[Obligation] {
        self.extra
            .get(&id.to_ascii_lowercase())
            .map_or(&[], Vec::as_slice)
    }

    /// The effect of an exception (`Other` when not assessed).
    pub fn exception_effect(&self, e: &ExceptionItem) -> ExceptionEffect {
        match e {
            ExceptionItem::Spdx(id) => self
                .exceptions
                .get(&id.to_ascii_lowercase())
                .copied()
                .unwrap_or(ExceptionEffect::Other),
            ExceptionItem::Ref { .. } => ExceptionEffect::Other,
        }
    }
}
