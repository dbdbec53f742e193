//! One software component found in one file.

use serde::{Deserialize, Serialize};

use crate::{Ecosystem, Purl};

/// How a component is used by the project, where the format says so.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// Needed at run time (the default of most formats).
    #[default]
    Runtime,
    /// Needed only to develop or test the project.
    Dev,
    /// Installed only when an optional feature or extra is asked for.
    Optional,
    /// Needed only to build the project (build scripts, plugins, toolchains).
    Build,
    /// The format does not say.
    Unknown,
}

impl Scope {
    /// The serialized name: `runtime`, `dev`, `optional`, `build` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Runtime => "runtime",
            Scope::Dev => "dev",
            Scope::Optional => "optional",
            Scope::Build => "build",
            Scope::Unknown => "unknown",
        }
    }
}

/// Whether the project asks for a component itself or gets it through another.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Relation {
    /// The project depends on it itself (its manifest, or its lockfile root, names it).
    Direct,
    /// Pulled in by another component, not declared by the project.
    Transitive,
    /// The format does not say.
    #[default]
    Unknown,
}

impl Relation {
    /// The serialized name: `direct`, `transitive` or `unknown`.
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Direct => "direct",
            Relation::Transitive => "transitive",
            Relation::Unknown => "unknown",
        }
    }
}

/// One package at one version, as found in one file.
///
/// `name` follows the OSV naming convention of the ecosystem: Maven is
/// `group:artifact`, npm keeps its `@scope/`, Go is the module path, Packagist
/// is `vendor/package`. `version` is `None` when the file does not pin one:
/// the component is then *unresolved* and `note` says why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// The package universe the component belongs to.
    pub ecosystem: Ecosystem,
    /// Package name, in the OSV convention of the ecosystem (see above).
    pub name: String,
    /// The version as the file pins it; `None` when it pins none (the component is unresolved).
    pub version: Option<String>,
    /// Canonical Package URL.
    pub purl: String,
    /// How the project uses the component; [`Scope::Runtime`] unless the reader knows better.
    pub scope: Scope,
    /// Direct or transitive; [`Relation::Unknown`] when the format does not say.
    pub relation: Relation,
    /// The licence as the file states it (an SPDX expression or free text).
    pub licence: Option<String>,
    /// 1-based line in the source file where the component is declared, when known.
    pub line: Option<u32>,
    /// Why the component is unresolved, or another remark of the reader.
    pub note: Option<String>,
}

impl Component {
    /// A runtime component of unknown relation, with its canonical purl.
    pub fn new(ecosystem: Ecosystem, name: impl Into<String>, version: Option<&str>) -> Component {
        let name = name.into();
        let version = version.filter(|v| !v.is_empty()).map(str::to_owned);
        let purl = crate::purl::component_purl(ecosystem, &name, version.as_deref());
        Component {
            ecosystem,
            name,
            version,
            purl,
            scope: Scope::Runtime,
            relation: Relation::Unknown,
            licence: None,
            line: None,
            note: None,
        }
    }

    /// A component whose identity comes from a Package URL (SBOMs).
    pub fn from_purl(purl: &Purl) -> Component {
        let ecosystem = match (purl.ty.as_str(), purl.namespace.as_deref()) {
            ("rpm", Some("almalinux")) => Ecosystem::AlmaLinux,
            (ty, _) => Ecosystem::from_purl_type(ty),
        };
        let name = purl.component_name();
        Component {
            ecosystem,
            name,
            version: purl.version.clone(),
            purl: purl.to_string(),
            scope: Scope::Runtime,
            relation: Relation::Unknown,
            licence: None,
            line: None,
            note: None,
        }
    }

    /// Sets the scope.
    pub fn with_scope(mut self, scope: Scope) -> Component {
        self.scope = scope;
        self
    }

    /// Sets the relation.
    pub fn with_relation(mut self, relation: Relation) -> Component {
        self.relation = relation;
        self
    }

    /// Sets the 1-based declaration line; `None` when unknown.
    pub fn with_line(mut self, line: Option<u32>) -> Component {
        self.line = line;
        self
    }

    /// Sets the licence as the file states it; `None`, empty or blank text leaves none.
    pub fn with_licence(mut self, licence: Option<String>) -> Component {
        self.licence = licence.filter(|l| !l.trim().is_empty());
        self
    }

    /// Sets the note (why the component is unresolved, or another remark), replacing any.
    pub fn with_note(mut self, note: impl Into<String>) -> Component {
        self.note = Some(note.into());
        self
    }

    /// True when the file pins no version.
    pub fn is_unresolved(&self) -> bool {
        self.version.is_none()
    }
}
