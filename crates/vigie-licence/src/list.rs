//! The SPDX licence list (`licenses.json`, `exceptions.json` of
//! spdx/license-list-data), with case-insensitive look-up and the upgrade of
//! deprecated identifiers (`data/deprecated.toml`).

use std::collections::HashMap;

use serde::Deserialize;

use crate::expr::{ExceptionItem, Expression, LicenceItem, ParseError, ParseErrorKind, Term};

/// The embedded table of replacements for deprecated identifiers.
pub const DEPRECATED_TOML: &str = include_str!("../data/deprecated.toml");

/// One licence of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Licence {
    /// The canonical identifier (`GPL-2.0-only`).
    pub id: String,
    /// The full name (`GNU General Public License v2.0 only`).
    pub name: String,
    /// `isOsiApproved`.
    pub osi_approved: bool,
    /// `isFsfLibre` (absent means false).
    pub fsf_libre: bool,
    /// `isDeprecatedLicenseId`.
    pub deprecated: bool,
    /// `seeAlso`: URLs of the text.
    pub see_also: Vec<String>,
}

/// One exception of the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exception {
    /// The canonical identifier (`Classpath-exception-2.0`).
    pub id: String,
    /// The full name.
    pub name: String,
    /// `isDeprecatedLicenseId`.
    pub deprecated: bool,
}

/// Why the list could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// `licenses.json` or `exceptions.json` is not the expected JSON.
    #[error("{file}: {source}")]
    Json {
        /// Which file.
        file: &'static str,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
    /// The embedded deprecation table is not valid TOML of the right shape.
    #[error("data/deprecated.toml: {0}")]
    Table(#[from] toml::de::Error),
    /// A replacement in the deprecation table is wrong for this list.
    #[error("data/deprecated.toml: {id} -> {replacement}: {problem}")]
    Upgrade {
        /// The deprecated identifier.
        id: String,
        /// Its replacement as written.
        replacement: String,
        /// What is wrong.
        problem: String,
    },
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLicences {
    license_list_version: String,
    licenses: Vec<RawLicence>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawLicence {
    license_id: String,
    name: String,
    #[serde(default)]
    is_osi_approved: bool,
    #[serde(default)]
    is_fsf_libre: bool,
    #[serde(default)]
    is_deprecated_license_id: bool,
    #[serde(default)]
    see_also: Vec<String>,
}

#[derive(Deserialize)]
struct RawExceptions {
    exceptions: Vec<RawException>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawException {
    license_exception_id: String,
    name: String,
    #[serde(default)]
    is_deprecated_license_id: bool,
}

#[derive(Deserialize)]
struct DeprecatedTable {
    licences: HashMap<String, String>,
    exceptions: HashMap<String, String>,
}

/// The SPDX licence and exception lists of one release.
#[derive(Debug, Clone)]
pub struct LicenceList {
    version: String,
    licences: Vec<Licence>,
    exceptions: Vec<Exception>,
    licence_index: HashMap<String, usize>,
    exception_index: HashMap<String, usize>,
    upgrades: HashMap<String, Term>,
    exception_upgrades: HashMap<String, String>,
}

impl LicenceList {
    /// Reads the list from the contents of `licenses.json` and
    /// `exceptions.json`, and checks the embedded deprecation table against it.
    pub fn from_json(licenses_json: &str, exceptions_json: &str) -> Result<LicenceList, ListError> {
        let raw: RawLicences =
            serde_json::from_str(licenses_json).map_err(|source| ListError::Json {
                file: "licenses.json",
                source,
            })?;
        let raw_exc: RawExceptions =
            serde_json::from_str(exceptions_json).map_err(|source| ListError::Json {
                file: "exceptions.json",
                source,
            })?;
        let licences: Vec<Licence> = raw
            .licenses
            .into_iter()
            .map(|l| Licence {
                id: l.license_id,
                name: l.name,
                osi_approved: l.is_osi_approved,
                fsf_libre: l.is_fsf_libre,
                deprecated: l.is_deprecated_license_id,
                see_also: l.see_also,
            })
            .collect();
        let exceptions: Vec<Exception> = raw_exc
            .exceptions
            .into_iter()
            .map(|e| Exception {
                id: e.license_exception_id,
                name: e.name,
                deprecated: e.is_deprecated_license_id,
            })
            .collect();
        let licence_index = index(licences.iter().map(|l| l.id.as_str()));
        let exception_index = index(exceptions.iter().map(|e| e.id.as_str()));
        let mut list = LicenceList {
            version: raw.license_list_version,
            licences,
            exceptions,
            licence_index,
            exception_index,
            upgrades: HashMap::new(),
            exception_upgrades: HashMap::new(),
        };
        list.load_upgrades()?;
        Ok(list)
    }

    fn load_upgrades(&mut self) -> Result<(), ListError> {
        let table: DeprecatedTable = toml::from_str(DEPRECATED_TOML)?;
        let bad = |id: &str, rep: &str, problem: String| ListError::Upgrade {
            id: id.to_owned(),
            replacement: rep.to_owned(),
            problem,
        };
        let mut upgrades = HashMap::new();
        for (id, rep) in &table.licences {
            let Some(old) = self.licence(id) else {
                // An older list without this identifier: nothing to upgrade.
                continue;
            };
            if !old.deprecated {
                return Err(bad(id, rep, "not deprecated in this list".into()));
            }
            let term = match self.parse(rep) {
                Ok(Expression::Term(t)) => t,
                Ok(_) => return Err(bad(id, rep, "not a single licence".into())),
                Err(e) => return Err(bad(id, rep, e.to_string())),
            };
            let LicenceItem::Spdx { id: new, or_later } = &term.licence else {
                return Err(bad(id, rep, "not a list licence".into()));
            };
            if *or_later
                || self
                    .licence(new)
                    .is_none_or(|l| l.deprecated || l.id != *new)
            {
                return Err(bad(id, rep, "not a current list identifier".into()));
            }
            if let Some(ExceptionItem::Spdx(e)) = &term.exception
                && self.exception(e).is_none_or(|x| x.deprecated || x.id != *e)
            {
                return Err(bad(id, rep, "exception not current".into()));
            }
            upgrades.insert(old.id.clone(), term);
        }
        let mut exception_upgrades = HashMap::new();
        for (id, rep) in &table.exceptions {
            let Some(old) = self.exception(id) else {
                continue;
            };
            match self.exception(rep) {
                Some(new) if !new.deprecated && new.id == *rep && old.deprecated => {
                    exception_upgrades.insert(old.id.clone(), new.id.clone());
                }
                _ => return Err(bad(id, rep, "not a current exception".into())),
            }
        }
        self.upgrades = upgrades;
        self.exception_upgrades = exception_upgrades;
        Ok(())
    }

    /// The list release (`licenseListVersion`, e.g. `3.28.0`).
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Every licence, in the file's order.
    pub fn licences(&self) -> &[Licence] {
        &self.licences
    }

    /// Every exception, in the file's order.
    pub fn exceptions(&self) -> &[Exception] {
        &self.exceptions
    }

    /// The licence with this identifier, compared case-insensitively.
    pub fn licence(&self, id: &str) -> Option<&Licence> {
        let i = self.licence_index.get(&id.to_ascii_lowercase())?;
        self.licences.get(*i)
    }

    /// The exception with this identifier, compared case-insensitively.
    pub fn exception(&self, id: &str) -> Option<&Exception> {
        let i = self.exception_index.get(&id.to_ascii_lowercase())?;
        self.exceptions.get(*i)
    }

    /// The replacement of a deprecated licence (by canonical identifier), if
    /// the list gives one.
    pub fn upgrade(&self, id: &str) -> Option<&Term> {
        self.upgrades.get(id)
    }

    /// The replacement of a deprecated exception (by canonical identifier).
    pub fn exception_upgrade(&self, id: &str) -> Option<&str> {
        self.exception_upgrades.get(id).map(String::as_str)
    }

    /// Parses `input` and requires every list-form identifier to be on this
    /// list (in any case). `LicenseRef-`/`AdditionRef-` are always accepted.
    pub fn parse(&self, input: &str) -> Result<Expression, ParseError> {
        crate::expr::parse_with_list(input, self)
    }

    pub(crate) fn check_licence(&self, id: &str, plus: bool) -> Result<(), ParseErrorKind> {
        if self.licence(id).is_some() {
            return Ok(());
        }
        if plus && self.licence(&format!("{id}+")).is_some() {
            return Ok(());
        }
        Err(ParseErrorKind::UnknownLicence(id.to_owned()))
    }

    pub(crate) fn check_exception(&self, id: &str) -> Result<(), ParseErrorKind> {
        match self.exception(id) {
            Some(_) => Ok(()),
            None => Err(ParseErrorKind::UnknownException(id.to_owned())),
        }
    }
}

fn index<'a>(ids: impl Iterator<Item = &'a str>) -> HashMap<String, usize> {
    let mut map = HashMap::new();
    for (i, id) in ids.enumerate() {
        map.entry(id.to_ascii_lowercase()).or_insert(i);
    }
    map
}
