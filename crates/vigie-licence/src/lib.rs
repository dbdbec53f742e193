//! Licences: SPDX expressions, categories and distribution-model policy.
//!
//! Pure: no IO. The caller passes the contents of the SPDX list files
//! (`licenses.json`, `exceptions.json`); the alias, category and deprecation
//! tables are data files of this crate (`data/*.toml`), embedded.
//!
//! ```
//! # fn demo(licenses: &str, exceptions: &str) -> Result<(), Box<dyn std::error::Error>> {
//! use vigie_licence::{DistributionModel, LicenceKnowledge, Policy, Verdict};
//! let kb = LicenceKnowledge::from_json(licenses, exceptions)?;
//! let mapping = kb.map("Apache License, Version 2.0");
//! let policy = Policy::default();
//! let decision = policy.evaluate_mapping(&kb, &mapping, DistributionModel::NetworkService, None);
//! assert_eq!(decision.verdict, Verdict::Allowed);
//! # Ok(()) }
//! ```
//!
//! Main entry points: [`LicenceList`] (the SPDX list; `parse`, `normalise`),
//! [`Expression`] (the syntax tree; `parse`, `Display` = canonical text),
//! [`LicenceKnowledge::map`] (free text → SPDX with a [`Confidence`]),
//! [`CategoryTable`] / [`Category`], [`Policy`] (user configuration,
//! [`Policy::evaluate`] → [`Decision`]), and
//! [`LicenceKnowledge::compatible_with_project`].

pub mod alias;
mod category;
mod compat;
pub mod expr;
mod i18n;
mod list;
mod normalise;
pub mod policy;

pub use alias::{AliasError, AliasTable, Confidence, Mapping, Rule};
pub use category::{CATEGORIES_TOML, Category, CategoryError, CategoryTable, ExceptionEffect};
pub use compat::{Compat, Compatibility};
pub use expr::{ExceptionItem, Expression, LicenceItem, ParseError, ParseErrorKind, Span, Term};
pub use i18n::{Lang, Text};
pub use list::{DEPRECATED_TOML, Exception, Licence, LicenceList, ListError};
pub use normalise::{Change, Normalised};
pub use policy::{
    Choice, ComponentException, ConfigError, Decision, DistributionModel, Obligation, Policy,
    PolicyConfig, Reason, TermDecision, Verdict,
};

/// Why the licence knowledge could not be built.
#[derive(Debug, thiserror::Error)]
pub enum KnowledgeError {
    /// The SPDX list or the deprecation table.
    #[error(transparent)]
    List(#[from] ListError),
    /// The category table.
    #[error(transparent)]
    Category(#[from] CategoryError),
    /// The alias table.
    #[error(transparent)]
    Alias(#[from] AliasError),
}

/// The SPDX list with vigie's tables: everything needed to map, categorise
/// and evaluate licences. Build it once and share it.
#[derive(Debug, Clone)]
pub struct LicenceKnowledge {
    list: LicenceList,
    categories: CategoryTable,
    aliases: AliasTable,
}

impl LicenceKnowledge {
    /// Builds from the SPDX list and the embedded tables.
    pub fn new(list: LicenceList) -> Result<LicenceKnowledge, KnowledgeError> {
        let categories = CategoryTable::embedded()?;
        let aliases = AliasTable::embedded(&list)?;
        Ok(LicenceKnowledge {
            list,
            categories,
            aliases,
        })
    }

    /// Builds from the contents of `licenses.json` and `exceptions.json`.
    pub fn from_json(
        licenses_json: &str,
        exceptions_json: &str,
    ) -> Result<LicenceKnowledge, KnowledgeError> {
        LicenceKnowledge::new(LicenceList::from_json(licenses_json, exceptions_json)?)
    }

    /// The SPDX list.
    pub fn list(&self) -> &LicenceList {
        &self.list
    }

    /// The category table.
    pub fn categories(&self) -> &CategoryTable {
        &self.categories
    }

    /// The alias table.
    pub fn aliases(&self) -> &AliasTable {
        &self.aliases
    }

    /// Maps a licence string found in metadata (see [`alias`]).
    pub fn map(&self, text: &str) -> Mapping {
        alias::map(&self.list, &self.aliases, text)
    }

    /// The category of a term's licence (its exception is not considered;
    /// see [`Policy::evaluate`] for that).
    pub fn category(&self, term: &Term) -> Category {
        self.categories.of(&self.list, &term.licence)
    }
}
