//! The user's licence policy, as written in vigie's configuration file.
//!
//! TOML shape (the table that holds it is the caller's choice, e.g.
//! `[licences]` in `vigie.toml`):
//!
//! ```toml
//! # The model of projects that declare none (default: distributed-binary).
//! default-model = "network-service"
//! # Licences allowed / denied whatever the preset says. An entry without
//! # WITH matches the licence with or without an exception; an entry with
//! # WITH matches that combination only. Identifiers in any case; deprecated
//! # ones are upgraded (GPL-2.0 means GPL-2.0-only).
//! allow = ["MIT", "GPL-2.0-only WITH Classpath-exception-2.0"]
//! deny = ["AGPL-3.0-only", "AGPL-3.0-or-later"]
//!
//! # One component allowed whatever its licence says, with the reason.
//! [[exception]]
//! component = "pkg:npm/left-pad"     # a purl; without a version: every version
//! licences = ["WTFPL"]               # optional: only for these licences
//! reason = "Approved by legal, 2026-03-01, LEG-12"
//! ```
//!
//! Precedence: a component exception, then `deny`, then `allow`, then the
//! preset ([`super::preset`]).

use serde::Deserialize;
use vigie_model::Purl;

use super::DistributionModel;
use crate::LicenceKnowledge;
use crate::expr::{Expression, Term};

/// The policy as written (deserialised with serde).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct PolicyConfig {
    /// The model of projects that declare none.
    #[serde(default)]
    pub default_model: Option<DistributionModel>,
    /// Licences allowed whatever the preset says.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Licences denied whatever the preset says.
    #[serde(default)]
    pub deny: Vec<String>,
    /// Per-component exceptions.
    #[serde(default, rename = "exception")]
    pub exceptions: Vec<ComponentException>,
}

/// One component allowed whatever its licence, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ComponentException {
    /// A purl; without a version, every version matches.
    pub component: String,
    /// When not empty, only these licences are excepted.
    #[serde(default)]
    pub licences: Vec<String>,
    /// Why (shown in the report).
    pub reason: String,
}

/// Why a policy configuration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// An allow/deny/exception entry is not one SPDX licence of the list.
    #[error("licence policy: {field} entry {entry:?}: {problem}")]
    Licence {
        /// `allow`, `deny` or `exception.licences`.
        field: &'static str,
        /// The entry as written.
        entry: String,
        /// What is wrong.
        problem: String,
    },
    /// The same licence is both allowed and denied.
    #[error("licence policy: {0} is both in allow and deny")]
    Both(String),
    /// An exception's component is not a valid purl.
    #[error("licence policy: exception component {component:?}: {problem}")]
    Component {
        /// As written.
        component: String,
        /// What is wrong.
        problem: String,
    },
    /// An exception without a reason.
    #[error("licence policy: exception for {0} has an empty reason")]
    NoReason(String),
}

#[derive(Debug, Clone)]
pub(crate) struct CompiledException {
    pub purl: Purl,
    pub licences: Vec<Term>,
    pub reason: String,
}

impl CompiledException {
    /// Whether the exception's package is `purl` (any version when the
    /// exception gives none).
    fn names(&self, purl: &Purl) -> bool {
        self.purl.ty == purl.ty
            && self.purl.namespace == purl.namespace
            && self.purl.name == purl.name
            && (self.purl.version.is_none() || self.purl.version == purl.version)
    }
}

/// A checked policy, ready to evaluate expressions.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub(crate) default_model: DistributionModel,
    pub(crate) allow: Vec<Term>,
    pub(crate) deny: Vec<Term>,
    pub(crate) exceptions: Vec<CompiledException>,
}

fn term(kb: &LicenceKnowledge, field: &'static str, entry: &str) -> Result<Term, ConfigError> {
    let bad = |problem: String| ConfigError::Licence {
        field,
        entry: entry.to_owned(),
        problem,
    };
    let e = kb.list().parse(entry).map_err(|e| bad(e.to_string()))?;
    match kb.list().normalise(&e).expression {
        Expression::Term(t) => Ok(t),
        _ => Err(bad("one licence expected, not an AND/OR expression".into())),
    }
}

impl Policy {
    /// Checks `config` against the licence list.
    pub fn new(config: &PolicyConfig, kb: &LicenceKnowledge) -> Result<Policy, ConfigError> {
        let allow = config
            .allow
            .iter()
            .map(|a| term(kb, "allow", a))
            .collect::<Result<Vec<_>, _>>()?;
        let deny = config
            .deny
            .iter()
            .map(|d| term(kb, "deny", d))
            .collect::<Result<Vec<_>, _>>()?;
        if let Some(t) = deny.iter().find(|d| allow.contains(d)) {
            return Err(ConfigError::Both(t.to_string()));
        }
        let mut exceptions = Vec::new();
        for x in &config.exceptions {
            let purl = Purl::parse_lenient(&x.component).map_err(|e| ConfigError::Component {
                component: x.component.clone(),
                problem: e.to_string(),
            })?;
            if x.reason.trim().is_empty() {
                return Err(ConfigError::NoReason(x.component.clone()));
            }
            let licences = x
                .licences
                .iter()
                .map(|l| term(kb, "exception.licences", l))
                .collect::<Result<Vec<_>, _>>()?;
            exceptions.push(CompiledException {
                purl,
                licences,
                reason: x.reason.clone(),
            });
        }
        Ok(Policy {
            default_model: config.default_model.unwrap_or_default(),
            allow,
            deny,
            exceptions,
        })
    }

    /// The model of projects that declare none.
    pub fn default_model(&self) -> DistributionModel {
        self.default_model
    }

    /// The list entry matching `t`: an exact entry first, then one naming
    /// the same licence without an exception.
    pub(crate) fn find<'a>(entries: &'a [Term], t: &Term) -> Option<&'a Term> {
        entries.iter().find(|e| *e == t).or_else(|| {
            entries
                .iter()
                .find(|e| e.exception.is_none() && e.licence == t.licence)
        })
    }

    /// The exception for `component` (a purl) and term `t`, if any.
    pub(crate) fn exception_for(&self, component: Option<&str>, t: &Term) -> Option<&str> {
        if self.exceptions.is_empty() {
            return None;
        }
        let purl = Purl::parse_lenient(component?).ok()?;
        self.exceptions
            .iter()
            .find(|x| {
                CompiledException::names(x, &purl)
                    && (x.licences.is_empty() || Policy::find(&x.licences, t).is_some())
            })
            .map(|x| x.reason.as_str())
    }

    /// Whether a per-component exception of the policy names `component`
    /// (a purl), whatever its licences: when it does not, the decision for
    /// the component depends only on its licence and the model, so callers
    /// may reuse one decision for every such component with that licence.
    pub fn may_except(&self, component: Option<&str>) -> bool {
        if self.exceptions.is_empty() {
            return false;
        }
        let Some(purl) = component.and_then(|c| Purl::parse_lenient(c).ok()) else {
            return false;
        };
        self.exceptions.iter().any(|x| x.names(&purl))
    }
}
