//! The stable codes of diagnostics: one [`Code`] per kind of problem, whichever part of vigie
//! finds it (the inventory's readers, the lifecycle detectors, the estate walk, the catalog).
//!
//! A diagnostic is built from a `Code`, never from a string, so a misspelt code does not
//! compile. Each code is written once, below: its variant, its kebab-case string (the one
//! every output prints, stable across versions) and its meaning (the variant's documentation,
//! also given by [`Code::meaning`]); `docs/codes.md` lists them for users, and a test of the
//! `vigie` binary keeps that list, and the codes' uniqueness across vigie, in check.
//!
//! One enum for all of vigie rather than one per crate: the same kind of problem has one
//! code wherever it is found (`invalid-syntax` from a lockfile reader or a lifecycle
//! detector, `unreadable-file` from the estate or the catalog), and uniqueness holds by
//! construction.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares [`Code`] from one line per code, so that the variant, its string, its meaning and
/// [`Code::ALL`] cannot disagree.
macro_rules! codes {
    ($( $(#[doc = $line:literal])+ $variant:ident = $code:literal, )+) => {
        /// The stable kebab-case code of a kind of problem (`invalid-syntax`); see the
        /// [module](self) documentation.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $( $(#[doc = $line])+ $variant, )+
        }

        impl Code {
            /// Every code, in alphabetical order of its string.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The code as every output prints it (`invalid-syntax`).
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            /// What the code means, in one sentence: its documentation, lines joined.
            pub fn meaning(self) -> &'static str {
                match self {
                    $(Code::$variant => concat!($($line),+).trim_ascii(),)+
                }
            }
        }
    };
}

codes! {
    /// A catalog contract's renewal or end date has passed and the entity is not retired.
    ContractPast = "contract-past",
    /// A catalog contract renews or ends within the renewal horizon (90 days by default).
    ContractRenewal = "contract-renewal",
    /// A catalog element of criticality 4 or 5 has no backup owner and rests on one person or a
    /// group of fewer than two members.
    CriticalSingleOwner = "critical-single-owner",
    /// A catalog relation names an entity that is not in the catalog.
    DanglingReference = "dangling-reference",
    /// An XML file declares a DOCTYPE; it is ignored and its entities are never expanded.
    DoctypeIgnored = "doctype-ignored",
    /// A manifest declares the same dependency twice (a POM, or one map of a `package.json`); the
    /// later declaration wins, as in Maven and npm.
    DuplicateDependency = "duplicate-dependency",
    /// Two catalog entities have the same kind, namespace and name; the later one is dropped.
    DuplicateEntity = "duplicate-entity",
    /// Two SaaS tools or more of the catalog are in the same SaaS category.
    DuplicateSaasCategory = "duplicate-saas-category",
    /// An XML file uses an entity defined in a DTD; DTD entities are never read, so the value is
    /// kept unexpanded.
    EntityNotExpanded = "entity-not-expanded",
    /// A file is over the size limit (`--max-file-size`, 64 MiB by default) and was not read.
    FileTooLarge = "file-too-large",
    /// A file is named like one format but holds another; it is read as what it holds.
    FormatMismatch = "format-mismatch",
    /// The `go.sum` beside a `go.mod` could not be read: the versions are not confirmed.
    GoSumMissing = "go-sum-missing",
    /// An ignore file (`.gitignore`, `.ignore`, `.git/info/exclude`) is over the limits (256 KiB,
    /// 20,000 patterns, 4 KiB a line), a link or not a regular file: none of its patterns apply.
    /// Also said of patterns that do not parse, which do not apply.
    IgnoreFileSkipped = "ignore-file-skipped",
    /// A catalog document is a Backstage Template (a software template), not part of the map; it is
    /// skipped.
    IgnoredKind = "ignored-kind",
    /// An include (a requirements file's `-r`) is past the limit of include depth or of included
    /// files, and was not read.
    IncludeLimit = "include-limit",
    /// A reader failed on a file (a bug in vigie, to report); the other files are read.
    InternalError = "internal-error",
    /// A version constraint does not start with a package name; it is skipped.
    InvalidConstraint = "invalid-constraint",
    /// A catalog field is not an ISO 3166-1 alpha-2 country code.
    InvalidCountry = "invalid-country",
    /// A catalog field is not a `YYYY-MM-DD` date.
    InvalidDate = "invalid-date",
    /// An installed package's licence metadata could not be parsed.
    InvalidLicenceEvidence = "invalid-licence-evidence",
    /// A catalog entity's `metadata.name` or `metadata.namespace` is not valid.
    InvalidName = "invalid-name",
    /// A package URL does not parse; the component's name is used instead.
    InvalidPurl = "invalid-purl",
    /// A reference does not parse: a catalog entity reference, a Conan `name/version` or a Hackage
    /// `name-version`; it is skipped.
    InvalidReference = "invalid-reference",
    /// A dpkg status field is not of the form `want flag state`; the package is skipped.
    InvalidStatus = "invalid-status",
    /// A file, or part of it, is not valid in its format (JSON, TOML, YAML, XML or the format's
    /// own); what could be read is kept.
    InvalidSyntax = "invalid-syntax",
    /// A `go.mod` `toolchain` line does not name a Go release.
    InvalidToolchain = "invalid-toolchain",
    /// A catalog field has a value outside its allowed set, or a cost is not a non-negative amount
    /// and an ISO 4217 currency.
    InvalidValue = "invalid-value",
    /// A declared runtime version (`global.json` SDK, a POM's Java version) is not a version.
    InvalidVersion = "invalid-version",
    /// A catalog file is not valid YAML; none of its entities are read.
    InvalidYaml = "invalid-yaml",
    /// A `go.mod` replaces a module by a local folder: local code, not a component.
    LocalReplace = "local-replace",
    /// A catalog entity lacks a required field (`metadata`, `spec`, `spec.definition`...).
    MissingField = "missing-field",
    /// A package record has no name (a dpkg or apk record, a Stack lock package); it is skipped.
    MissingName = "missing-name",
    /// A catalog entity of a kind that needs `spec.owner` has none.
    MissingOwner = "missing-owner",
    /// A path given to scan does not exist.
    MissingRoot = "missing-root",
    /// No catalog file was found in the paths given, nor in `[catalog] files` of `vigie.toml`.
    NoCatalog = "no-catalog",
    /// A package URL breaks a rule of the purl specification; it is kept as written.
    NonconformingPurl = "nonconforming-purl",
    /// A catalog YAML document is not a mapping.
    NotAnEntity = "not-an-entity",
    /// A Python version names another implementation than CPython; it is not mapped to a release
    /// cycle.
    NotCpython = "not-cpython",
    /// A module of `go.mod` has no line in `go.sum`: its content is not confirmed.
    NotInGoSum = "not-in-go-sum",
    /// A file is not text (not UTF-8); it was not read.
    NotText = "not-text",
    /// A file refers to another whose real location is outside the scanned folders; it was not
    /// read.
    OutsideTree = "outside-tree",
    /// A POM has more parent POMs than vigie follows; those above are not read.
    ParentChainTooLong = "parent-chain-too-long",
    /// A POM's chain of parents comes back to a POM already in it.
    ParentCycle = "parent-cycle",
    /// A POM's parent is not in the scanned tree: the versions and properties it defines are
    /// unknown.
    ParentNotInTree = "parent-not-in-tree",
    /// The parent POM found in the tree is not the version the POM names; it is used anyway.
    ParentVersionMismatch = "parent-version-mismatch",
    /// A dpkg package is not fully installed (half-installed, half-configured...); it is skipped.
    PartiallyInstalled = "partially-installed",
    /// Personal data is hosted, or sent to a processor, outside the EU/EEA without a transfer
    /// basis.
    PersonalDataTransfer = "personal-data-transfer",
    /// A POM read for this one (a parent, an imported BOM) has an error; what it gives may be
    /// incomplete.
    RelatedPomInvalid = "related-pom-invalid",
    /// A catalog relation that must form a tree (`subcomponentOf`, `subdomainOf`, a group's parent)
    /// has a cycle.
    RelationCycle = "relation-cycle",
    /// A project of the inventory is in no catalog entity's repositories.
    RepositoryNotLinked = "repository-not-linked",
    /// A catalog System has no owner, or its owners have no members.
    SystemWithoutOwner = "system-without-owner",
    /// A file nests deeper than vigie reads (SBOM components, lockfile dependencies, XML elements);
    /// the deeper part is not read.
    TooDeep = "too-deep",
    /// A file is valid in its format but not of the expected shape (a missing or mistyped field);
    /// that part is skipped.
    UnexpectedContent = "unexpected-content",
    /// A catalog document's `apiVersion` is neither Backstage's nor vigie's.
    UnknownApiVersion = "unknown-api-version",
    /// A .NET target framework is not one vigie knows.
    UnknownFramework = "unknown-framework",
    /// A catalog document's `kind` is not one of Backstage's (Component, API, Resource, System,
    /// Domain, Group, User, Location).
    UnknownKind = "unknown-kind",
    /// A detected platform or runtime is not in the lifecycle knowledge.
    UnknownProduct = "unknown-product",
    /// A declared runtime (`runtime.txt`, `.ruby-version`) is not one vigie knows.
    UnknownRuntime = "unknown-runtime",
    /// A catalog entity has a vigie field (annotation or `spec.vigie`) that vigie does not define.
    UnknownVigieField = "unknown-vigie-field",
    /// A component's version does not parse in its ecosystem's scheme; it is not checked for
    /// vulnerabilities.
    UnparsableVersion = "unparsable-version",
    /// A file of a project (or one it refers to) could not be read.
    Unreadable = "unreadable",
    /// A file found or named could not be read (missing, not a regular file, over the limit, not
    /// UTF-8).
    UnreadableFile = "unreadable-file",
    /// An included file (a requirements file's `-r`) could not be read, or is remote and not
    /// fetched.
    UnreadableInclude = "unreadable-include",
    /// A file of licence evidence (installed or vendored package metadata) could not be read.
    UnreadableLicenceEvidence = "unreadable-licence-evidence",
    /// A Dockerfile's `FROM` uses a build argument with no value in the file.
    UnresolvedArg = "unresolved-arg",
    /// A POM dependency has no groupId or artifactId, or one that cannot be resolved.
    UnresolvedName = "unresolved-name",
    /// A POM's Java version uses a property that is not set in the file.
    UnresolvedProperty = "unresolved-property",
    /// A Compose `image:` uses a variable with no default in the file.
    UnresolvedVariable = "unresolved-variable",
    /// A component's version could not be resolved to one version (absent, a range, a property); it
    /// is kept unresolved.
    UnresolvedVersion = "unresolved-version",
    /// A file is in a variant of its format that vigie does not read (SPDX in RDF or YAML...).
    UnsupportedFormat = "unsupported-format",
    /// A file declares a version of its format that vigie does not know; it is read as the nearest
    /// known one, or not at all.
    UnsupportedVersion = "unsupported-version",
    /// A catalog entity sets the same vigie field both as an annotation and in `spec.vigie`.
    VigieFieldTwice = "vigie-field-twice",
    /// An entry of a scanned folder could not be walked (permissions, a broken entry).
    WalkError = "walk-error",
    /// A catalog relation names an entity of a kind that relation does not accept.
    WrongTargetKind = "wrong-target-kind",
    /// A catalog field has the wrong type (a list where a mapping is expected...).
    WrongType = "wrong-type",
}

impl Code {
    /// The code of a string, when it is one.
    pub fn parse(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == code)
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Tests compare a diagnostic's code with its string: `assert_eq!(d.code, "too-deep")`.
impl PartialEq<&str> for Code {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A code unknown to this version is refused (it names a problem this version cannot have).
impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Code::parse(&s).ok_or_else(|| serde::de::Error::custom(format!("unknown code `{s}`")))
    }
}

#[cfg(test)]
mod tests {
    use super::Code;

    #[test]
    fn codes_are_sorted_kebab_case_and_read_back() {
        for pair in Code::ALL.windows(2) {
            assert!(
                pair[0].as_str() < pair[1].as_str(),
                "{pair:?}: keep ALL sorted"
            );
        }
        for &c in Code::ALL {
            let s = c.as_str();
            let kebab = s.split('-').all(|w| {
                !w.is_empty()
                    && w.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            });
            assert!(kebab, "{s} is not kebab-case");
            assert_eq!(Code::parse(s), Some(c));
            assert!(
                c.meaning().ends_with('.') && !c.meaning().contains('\n'),
                "{s}"
            );
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<Code>(&json).unwrap(), c);
        }
        assert!(serde_json::from_str::<Code>("\"no-such-code\"").is_err());
        assert_eq!(Code::parse("Invalid-Syntax"), None);
    }
}
