//! Package URLs (purl, ECMA-427): parse, build, normalise and validate.
//!
//! `Purl::for_component` is how every reader names a component; `FromStr`
//! reads the purls that SBOMs carry. Both apply the same normalisation, so
//! equal packages get equal purls.
//!
//! A purl is `pkg:type/namespace/name@version?qualifiers#subpath`. The parts
//! are percent-decoded in the struct and percent-encoded by `Display`, which
//! writes the canonical form: everything but ASCII letters, digits, `.-_~`
//! and `:` is encoded within a part, qualifiers are sorted by key and
//! empty values, empty segments and `.`/`..` subpath segments are dropped.
//!
//! Three levels:
//! - [`Purl::normalize`] never fails: it lower-cases the type and qualifier
//!   keys, tidies the segments and applies the case folding and name rules of
//!   the type (see [`TYPES`], a table written by hand from the
//!   `types/*-definition.json` files of the purl specification).
//! - [`Purl::validate`] checks what the specification requires: a valid type,
//!   a name, valid and unique qualifier keys, and the rules of the type
//!   (namespace required or prohibited, required qualifiers, permitted
//!   characters). A type-specific failure is [`PurlError::TypeRule`].
//! - `FromStr` parses, normalises and validates; [`Purl::into_canonical`]
//!   does the same for a purl built from its parts; [`Purl::parse_lenient`]
//!   parses and normalises but skips the type-specific checks.
//!
//! Parsing is lenient where the specification allows it: `pkg:` and the type
//! are case-insensitive, `pkg://` slashes are ignored, qualifier keys are
//! lower-cased, an unencoded `@` in a name (`pkg:npm/@babel/core`) is read
//! since only the last segment can carry the version.

use std::fmt;
use std::str::FromStr;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::Ecosystem;

/// A parsed Package URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Purl {
    /// Lower-case type (`npm`, `maven`, ...).
    pub ty: String,
    /// Decoded segments joined with `/`; `None` when there is none.
    pub namespace: Option<String>,
    /// Decoded name (for `git`, the repository path, which may hold `/`).
    pub name: String,
    /// Decoded version; `None` when there is none (normalisation drops an empty one).
    pub version: Option<String>,
    /// Sorted by key, keys lower-case, no empty values.
    pub qualifiers: Vec<(String, String)>,
    /// Decoded segments joined with `/`, without empty, `.` or `..` segments.
    pub subpath: Option<String>,
}

/// Why a string (or a set of parts) is not a valid Package URL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    /// The string does not start with `pkg:` (in any case).
    #[error("a purl starts with `pkg:`")]
    MissingScheme,
    /// No type after `pkg:` (leading slashes aside), or an empty `ty` in a built purl.
    #[error("the purl has no type")]
    MissingType,
    /// The type does not start with an ASCII letter or holds other characters than ASCII
    /// letters, digits, `.` and `-`.
    #[error("invalid purl type `{0}`")]
    InvalidType(String),
    /// The name is missing or empty once decoded.
    #[error("the purl has no name")]
    MissingName,
    /// A qualifier without `=`, or whose key (as written) is not a lower-case ASCII letter
    /// followed by lower-case letters, digits, `.`, `-` or `_`.
    #[error("invalid qualifier `{0}`")]
    InvalidQualifier(String),
    /// A `%` not followed by two hex digits, or decoded bytes that are not UTF-8; holds the
    /// part as written.
    #[error("invalid percent-encoding in `{0}`")]
    InvalidEncoding(String),
    /// A rule of the purl type is broken (a syntactically valid purl).
    #[error("{0}")]
    TypeRule(String),
    /// A namespace segment that holds a `/` once decoded (`%2F`); holds the decoded segment.
    #[error("invalid namespace segment `{0}`")]
    InvalidNamespace(String),
    /// A subpath segment that holds a `/` once decoded (`%2F`); holds the decoded segment.
    #[error("invalid subpath segment `{0}`")]
    InvalidSubpath(String),
    /// The same qualifier key twice (keys compare lower-cased); holds the key.
    #[error("qualifier `{0}` given twice")]
    DuplicateQualifier(String),
}

/// Whether a purl type wants a namespace.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Requirement {
    /// A namespace may be given or not.
    Optional,
    /// A purl without a namespace breaks the type's rules ([`PurlError::TypeRule`]).
    Required,
    /// A purl with a namespace breaks the type's rules ([`PurlError::TypeRule`]).
    Prohibited,
}

/// The case folding of one part of a purl in its canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// Kept as given.
    Sensitive,
    /// Lower-cased (the definition says `"case_sensitive": false`).
    Lower,
    /// Upper-cased (CPAN author IDs).
    Upper,
}

/// The rules of one registered purl type, from its `<type>-definition.json`.
///
/// Rules that a table cannot say (PyPI and pub name normalisation, MLflow
/// names on Databricks, the `git` path split, permitted characters of
/// `chrome-extension`, `cpan`, `cocoapods`, `pub`, SWID namespace segments)
/// are applied in code, keyed by type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeRules {
    /// The type, lower-case (`npm`, `maven`, ...).
    pub ty: &'static str,
    /// Whether the type wants a namespace.
    pub namespace: Requirement,
    /// Case folding of the namespace.
    pub namespace_case: Case,
    /// Case folding of the name.
    pub name_case: Case,
    /// Case folding of the version.
    pub version_case: Case,
    /// Case folding of the subpath.
    pub subpath_case: Case,
    /// Qualifier keys the definition marks `"requirement": "required"`.
    pub required_qualifiers: &'static [&'static str],
}

const fn rule(
    ty: &'static str,
    namespace: Requirement,
    namespace_case: Case,
    name_case: Case,
    version_case: Case,
) -> TypeRules {
    TypeRules {
        ty,
        namespace,
        namespace_case,
        name_case,
        version_case,
        subpath_case: Case::Sensitive,
        required_qualifiers: &[],
    }
}

impl TypeRules {
    const fn requires(mut self, keys: &'static [&'static str]) -> TypeRules {
        self.required_qualifiers = keys;
        self
    }

    const fn subpath(mut self, case: Case) -> TypeRules {
        self.subpath_case = case;
        self
    }
}

use Case::{Lower, Sensitive as Keep, Upper};
use Requirement::{Optional, Prohibited, Required};

/// Every registered purl type (`purl-types-index.json`), sorted by type.
///
/// Notes on choices where a definition is ambiguous:
/// - `golang`: the flags say case sensitive, a note says "shall be
///   lowercased"; Go module paths are case sensitive, the flags win.
/// - `cpan`: the namespace "shall be uppercase" (a note), so it is upper-cased.
/// - `mlflow`: the name is lower-cased only for Databricks servers (in code).
/// - Not applied: hackage "kebab-case" and alpm `vercmp` version
///   normalisation (no mechanical rule), PyPI `.` to `_` (file names only).
pub const TYPES: &[TypeRules] = &[
    rule("alpm", Required, Lower, Lower, Keep),
    rule("apk", Required, Lower, Lower, Keep),
    rule("bazel", Prohibited, Keep, Keep, Keep),
    rule("bitbucket", Required, Lower, Lower, Keep),
    rule("bitnami", Prohibited, Keep, Lower, Keep),
    rule("brew", Optional, Lower, Lower, Keep),
    rule("cargo", Prohibited, Keep, Keep, Keep),
    rule("chrome-extension", Prohibited, Keep, Lower, Keep),
    rule("cocoapods", Prohibited, Keep, Keep, Keep),
    rule("composer", Required, Lower, Lower, Keep),
    rule("conan", Optional, Keep, Keep, Keep),
    rule("conda", Prohibited, Keep, Keep, Keep),
    rule("cpan", Optional, Upper, Keep, Keep),
    rule("cran", Prohibited, Keep, Keep, Keep),
    rule("deb", Required, Lower, Lower, Keep),
    rule("docker", Optional, Keep, Keep, Keep),
    rule("gem", Prohibited, Keep, Keep, Keep),
    rule("generic", Optional, Keep, Keep, Keep),
    rule("git", Required, Keep, Keep, Keep),
    rule("github", Required, Lower, Lower, Keep),
    rule("golang", Required, Keep, Keep, Keep),
    rule("hackage", Prohibited, Keep, Keep, Keep),
    rule("hex", Optional, Lower, Lower, Keep),
    rule("huggingface", Required, Keep, Keep, Lower),
    rule("julia", Prohibited, Keep, Keep, Keep).requires(&["uuid"]),
    rule("luarocks", Optional, Lower, Lower, Keep),
    rule("maven", Required, Keep, Keep, Keep),
    rule("mlflow", Prohibited, Keep, Keep, Keep),
    rule("npm", Optional, Keep, Keep, Keep),
    rule("nuget", Prohibited, Keep, Keep, Keep),
    rule("oci", Prohibited, Keep, Lower, Lower),
    rule("opam", Prohibited, Keep, Keep, Keep),
    rule("otp", Prohibited, Keep, Lower, Keep).subpath(Lower),
    rule("pub", Prohibited, Keep, Lower, Keep),
    rule("pypi", Prohibited, Keep, Lower, Lower),
    rule("qpkg", Required, Lower, Keep, Keep),
    rule("rpm", Required, Lower, Keep, Keep),
    rule("swid", Optional, Keep, Keep, Keep).requires(&["tag_id"]),
    rule("swift", Required, Keep, Keep, Keep),
    rule("vcpkg", Prohibited, Keep, Keep, Keep),
    rule("vscode-extension", Required, Lower, Lower, Lower),
    rule("yocto", Optional, Lower, Keep, Keep),
];

/// The rules of a registered purl type (lower-case), `None` for other types.
pub fn type_rules(ty: &str) -> Option<&'static TypeRules> {
    TYPES
        .binary_search_by(|r| r.ty.cmp(ty))
        .ok()
        .and_then(|i| TYPES.get(i))
}

/// Characters written as they are in a purl part: ASCII letters and digits,
/// `.-_~` and `:` (never encoded). Everything else is percent-encoded.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b':');

fn enc(s: &str) -> percent_encoding::PercentEncode<'_> {
    utf8_percent_encode(s, ENCODE)
}

fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one part; a `%` not followed by two hex digits or bytes
/// that are not UTF-8 are errors.
fn dec(s: &str) -> Result<String, PurlError> {
    if !s.contains('%') {
        return Ok(s.to_owned());
    }
    let err = || PurlError::InvalidEncoding(s.to_owned());
    let mut out = Vec::with_capacity(s.len());
    let mut bytes = s.bytes();
    while let Some(b) = bytes.next() {
        if b == b'%' {
            let hi = bytes.next().and_then(hex_value).ok_or_else(err)?;
            let lo = bytes.next().and_then(hex_value).ok_or_else(err)?;
            out.push((hi << 4) | lo);
        } else {
            out.push(b);
        }
    }
    String::from_utf8(out).map_err(|_| err())
}

fn is_valid_type(ty: &str) -> bool {
    ty.starts_with(|c: char| c.is_ascii_alphabetic())
        && ty
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
}

fn is_valid_key(key: &str) -> bool {
    key.starts_with(|c: char| c.is_ascii_lowercase())
        && key.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'_')
        })
}

fn fold(s: &mut String, case: Case) {
    match case {
        Case::Sensitive => {}
        Case::Lower if s.is_ascii() => s.make_ascii_lowercase(),
        Case::Upper if s.is_ascii() => s.make_ascii_uppercase(),
        Case::Lower => *s = s.to_lowercase(),
        Case::Upper => *s = s.to_uppercase(),
    }
}

/// Joins the non-empty segments of a `/`-separated string (without `.` and
/// `..` when `drop_dots`); `None` when nothing is left.
fn clean_segments(s: String, drop_dots: bool) -> Option<String> {
    let bad = |seg: &str| seg.is_empty() || (drop_dots && (seg == "." || seg == ".."));
    if !s.split('/').any(bad) {
        return Some(s);
    }
    let joined = s
        .split('/')
        .filter(|seg| !bad(seg))
        .collect::<Vec<_>>()
        .join("/");
    (!joined.is_empty()).then_some(joined)
}

/// A pub package name: `[a-z0-9_]+`.
fn is_pub_name(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// A UUID (`8-4-4-4-12` hex digits), which SWID wants lower-cased.
fn is_guid(s: &str) -> bool {
    let lens = [8, 4, 4, 4, 12];
    let mut parts = s.split('-');
    lens.iter().all(|&n| {
        parts
            .next()
            .is_some_and(|p| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
    }) && parts.next().is_none()
}

fn type_error(ty: &str, msg: impl fmt::Display) -> PurlError {
    PurlError::TypeRule(format!("{ty}: {msg}"))
}

impl Purl {
    /// A purl with only a type and a name (call [`Purl::normalize`] after
    /// setting the other fields).
    pub fn new(ty: &str, name: &str) -> Purl {
        Purl {
            ty: ty.to_ascii_lowercase(),
            namespace: None,
            name: name.to_owned(),
            version: None,
            qualifiers: Vec::new(),
            subpath: None,
        }
    }

    /// The purl of a component named as vigie names it (OSV conventions).
    ///
    /// Normalised but not validated: a name the type does not allow (a Maven
    /// name without a group, an RPM without a vendor) still gives a purl.
    pub fn for_component(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> Purl {
        let ty = ecosystem.purl_type();
        let (namespace, short) = match ecosystem {
            Ecosystem::Maven => match name.split_once(':') {
                Some((g, a)) => (Some(g.to_owned()), a.to_owned()),
                None => (None, name.to_owned()),
            },
            Ecosystem::Npm
            | Ecosystem::Go
            | Ecosystem::Packagist
            | Ecosystem::GitHubActions
            | Ecosystem::Docker
            | Ecosystem::Generic => split_last(name),
            Ecosystem::Debian => (Some("debian".to_owned()), name.to_owned()),
            Ecosystem::Alpine => (Some("alpine".to_owned()), name.to_owned()),
            Ecosystem::AlmaLinux => (Some("almalinux".to_owned()), name.to_owned()),
            _ => (None, name.to_owned()),
        };
        let mut p = Purl {
            ty: ty.to_owned(),
            namespace,
            name: short,
            version: version.map(str::to_owned),
            qualifiers: Vec::new(),
            subpath: None,
        };
        p.normalize();
        p
    }

    /// The name of the package as vigie names components (see [`Purl::for_component`]).
    pub fn component_name(&self) -> String {
        match (self.ty.as_str(), &self.namespace) {
            ("maven", Some(ns)) => format!("{ns}:{}", self.name),
            ("deb" | "apk" | "rpm", _) => self.name.clone(),
            (_, Some(ns)) => format!("{ns}/{}", self.name),
            (_, None) => self.name.clone(),
        }
    }

    /// Parses, normalises and checks the syntax, but not the rules of the
    /// type: for readers that would rather keep a purl that breaks them
    /// (`pkg:maven/artifact` without a group) than lose the component.
    pub fn parse_lenient(s: &str) -> Result<Purl, PurlError> {
        let mut p = parse_parts(s)?;
        p.normalize();
        p.validate_syntax()?;
        Ok(p)
    }

    /// Normalises and validates a purl built from its parts (the "build"
    /// operation of the specification); `to_string()` is then canonical.
    pub fn into_canonical(mut self) -> Result<Purl, PurlError> {
        self.normalize();
        self.validate()?;
        Ok(self)
    }

    /// Applies the normalisation rules of the purl specification and of the type.
    pub fn normalize(&mut self) {
        self.ty.make_ascii_lowercase();
        self.namespace = self
            .namespace
            .take()
            .and_then(|ns| clean_segments(ns, false));
        if self.name.starts_with('/') || self.name.ends_with('/') {
            self.name = self.name.trim_matches('/').to_owned();
        }
        if self.version.as_ref().is_some_and(String::is_empty) {
            self.version = None;
        }
        self.qualifiers.retain(|(_, v)| !v.is_empty());
        for (k, _) in &mut self.qualifiers {
            k.make_ascii_lowercase();
        }
        if !self.qualifiers.is_sorted_by(|a, b| a.0 <= b.0) {
            self.qualifiers.sort_by(|a, b| a.0.cmp(&b.0));
        }
        self.subpath = self.subpath.take().and_then(|s| clean_segments(s, true));

        let Some(rules) = type_rules(&self.ty) else {
            return;
        };
        if rules.ty == "git" {
            self.split_git_path();
        }
        if let Some(ns) = &mut self.namespace {
            fold(ns, rules.namespace_case);
        }
        fold(&mut self.name, rules.name_case);
        if let Some(v) = &mut self.version {
            fold(v, rules.version_case);
        }
        if let Some(sp) = &mut self.subpath {
            fold(sp, rules.subpath_case);
        }
        match rules.ty {
            "pypi" if self.name.contains('_') => self.name = self.name.replace('_', "-"),
            "pub" if !is_pub_name(&self.name) => {
                self.name = self
                    .name
                    .chars()
                    .map(|c| match c {
                        'a'..='z' | '0'..='9' | '_' => c,
                        _ => '_',
                    })
                    .collect();
            }
            "mlflow" => {
                let databricks = self.qualifier("repository_url").is_some_and(|url| {
                    let url = url.to_ascii_lowercase();
                    url.contains("databricks") && !url.contains("azureml")
                });
                if databricks {
                    fold(&mut self.name, Case::Lower);
                }
            }
            "swid" => {
                for (k, v) in &mut self.qualifiers {
                    if k == "tag_id" && is_guid(v) {
                        v.make_ascii_lowercase();
                    }
                }
            }
            _ => {}
        }
    }

    /// `git`: the namespace is the host, the name the path on the host.
    fn split_git_path(&mut self) {
        let full = match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name),
            None => self.name.clone(),
        };
        let mut segs = full.split('/').filter(|s| !s.is_empty());
        let first = segs.next().unwrap_or_default().to_owned();
        let rest = segs.collect::<Vec<_>>().join("/");
        if rest.is_empty() {
            self.namespace = None;
            self.name = first;
        } else {
            self.namespace = Some(first);
            self.name = rest;
        }
    }

    /// The value of a qualifier.
    pub fn qualifier(&self, key: &str) -> Option<&str> {
        self.qualifiers
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Checks a normalised purl against the specification and the rules of its type.
    pub fn validate(&self) -> Result<(), PurlError> {
        self.validate_syntax()?;
        self.validate_type_rules()
    }

    fn validate_syntax(&self) -> Result<(), PurlError> {
        if self.ty.is_empty() {
            return Err(PurlError::MissingType);
        }
        if !is_valid_type(&self.ty) {
            return Err(PurlError::InvalidType(self.ty.clone()));
        }
        if self.name.is_empty() {
            return Err(PurlError::MissingName);
        }
        for (k, _) in &self.qualifiers {
            if !is_valid_key(k) {
                return Err(PurlError::InvalidQualifier(k.clone()));
            }
        }
        let mut keys: Vec<&str> = self.qualifiers.iter().map(|(k, _)| k.as_str()).collect();
        keys.sort_unstable();
        if let Some(w) = keys.windows(2).find(|w| w.first() == w.get(1)) {
            let key = w.first().copied().unwrap_or_default();
            return Err(PurlError::DuplicateQualifier(key.to_owned()));
        }
        Ok(())
    }

    fn validate_type_rules(&self) -> Result<(), PurlError> {
        let Some(rules) = type_rules(&self.ty) else {
            return Ok(());
        };
        let ty = rules.ty;
        match (rules.namespace, &self.namespace) {
            (Requirement::Required, None) => return Err(type_error(ty, "a namespace is required")),
            (Requirement::Prohibited, Some(ns)) => {
                return Err(type_error(ty, format!("no namespace is allowed (`{ns}`)")));
            }
            _ => {}
        }
        for key in rules.required_qualifiers {
            if self.qualifier(key).is_none() {
                return Err(type_error(ty, format!("the `{key}` qualifier is required")));
            }
        }
        match ty {
            "chrome-extension" => {
                let name_ok =
                    self.name.len() == 32 && self.name.bytes().all(|b| (b'a'..=b'p').contains(&b));
                if !name_ok {
                    return Err(type_error(ty, "the name is 32 letters a-p"));
                }
                if let Some(v) = &self.version {
                    let mut segs = v.split('.');
                    let ok = segs.clone().count() <= 4
                        && segs.all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()));
                    if !ok {
                        return Err(type_error(
                            ty,
                            "the version is 1 to 4 numbers separated by `.`",
                        ));
                    }
                }
            }
            "cpan" if self.name.contains("::") => {
                return Err(type_error(
                    ty,
                    "the name is a distribution name, without `::`",
                ));
            }
            "cocoapods"
                if self.name.starts_with('.')
                    || self.name.chars().any(|c| c.is_whitespace() || c == '+') =>
            {
                return Err(type_error(
                    ty,
                    "a pod name has no whitespace or `+` and does not start with `.`",
                ));
            }
            "pub" if !is_pub_name(&self.name) => {
                return Err(type_error(ty, "the name is made of [a-z0-9_]"));
            }
            "swid"
                if self
                    .namespace
                    .as_ref()
                    .is_some_and(|ns| ns.split('/').count() > 2) =>
            {
                return Err(type_error(ty, "the namespace has at most two segments"));
            }
            _ => {}
        }
        Ok(())
    }
}

/// `Purl::for_component(ecosystem, name, version).to_string()`, written
/// straight into one string when the parts are ASCII and the type has no
/// rule beyond case folding (every ecosystem but `pub`); the general path
/// otherwise. A test compares the two on every ecosystem.
pub(crate) fn component_purl(ecosystem: Ecosystem, name: &str, version: Option<&str>) -> String {
    let ty = ecosystem.purl_type();
    let rules = type_rules(ty);
    let simple = rules.is_none_or(|r| !matches!(r.ty, "git" | "pub" | "mlflow" | "swid"));
    if !(simple && name.is_ascii() && version.is_none_or(str::is_ascii)) {
        return Purl::for_component(ecosystem, name, version).to_string();
    }
    let (namespace, short) = match ecosystem {
        Ecosystem::Maven => match name.split_once(':') {
            Some((g, a)) => (Some(g), a),
            None => (None, name),
        },
        Ecosystem::Npm
        | Ecosystem::Go
        | Ecosystem::Packagist
        | Ecosystem::GitHubActions
        | Ecosystem::Docker
        | Ecosystem::Generic => match name.rsplit_once('/') {
            Some((ns, n)) => (Some(ns), n),
            None => (None, name),
        },
        Ecosystem::Debian => (Some("debian"), name),
        Ecosystem::Alpine => (Some("alpine"), name),
        Ecosystem::AlmaLinux => (Some("almalinux"), name),
        _ => (None, name),
    };
    let (ns_case, name_case, version_case) = rules
        .map_or((Case::Sensitive, Case::Sensitive, Case::Sensitive), |r| {
            (r.namespace_case, r.name_case, r.version_case)
        });
    let version = version.filter(|v| !v.is_empty());
    let mut out =
        String::with_capacity(8 + ty.len() + name.len() + version.map_or(0, |v| v.len() + 8));
    out.push_str("pkg:");
    out.push_str(ty);
    out.push('/');
    if let Some(ns) = namespace {
        for seg in ns.split('/').filter(|s| !s.is_empty()) {
            enc_ascii(&mut out, seg, ns_case, false);
            out.push('/');
        }
    }
    enc_ascii(&mut out, short.trim_matches('/'), name_case, ty == "pypi");
    if let Some(v) = version {
        out.push('@');
        enc_ascii(&mut out, v, version_case, false);
    }
    out
}

/// Appends an ASCII part folded to `case` and percent-encoded as `enc`
/// does (`_` made `-` for PyPI names).
fn enc_ascii(out: &mut String, s: &str, case: Case, underscore_to_dash: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for b in s.bytes() {
        let b = match case {
            Case::Sensitive => b,
            Case::Lower => b.to_ascii_lowercase(),
            Case::Upper => b.to_ascii_uppercase(),
        };
        let b = if underscore_to_dash && b == b'_' {
            b'-'
        } else {
            b
        };
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b':') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
}

fn split_last(name: &str) -> (Option<String>, String) {
    match name.rsplit_once('/') {
        Some((ns, n)) => (Some(ns.to_owned()), n.to_owned()),
        None => (None, name.to_owned()),
    }
}

/// Splits a purl string into decoded parts (no normalisation, no validation
/// beyond what the split itself needs).
fn parse_parts(s: &str) -> Result<Purl, PurlError> {
    let rest = match s.get(..4) {
        Some(scheme) if scheme.eq_ignore_ascii_case("pkg:") => s.get(4..).unwrap_or_default(),
        _ => return Err(PurlError::MissingScheme),
    };
    // The subpath follows the last `#`. Qualifiers follow the first `?`
    // (a qualifier value, often a URL, is more likely to hold a stray `?`
    // than the name or version).
    let (rest, subpath) = match rest.rsplit_once('#') {
        Some((r, sp)) => (r, Some(sp)),
        None => (rest, None),
    };
    let (rest, qualifiers) = match rest.split_once('?') {
        Some((r, q)) => (r, Some(q)),
        None => (rest, None),
    };
    let rest = rest.trim_start_matches('/');
    let (ty, rest) = match rest.split_once('/') {
        Some(split) => split,
        None if rest.is_empty() => return Err(PurlError::MissingType),
        None if is_valid_type(rest) => return Err(PurlError::MissingName),
        None => return Err(PurlError::InvalidType(rest.to_owned())),
    };
    if ty.is_empty() {
        return Err(PurlError::MissingType);
    }
    // Only the last segment can carry the version: `pkg:npm/@babel/core`.
    let rest = rest.trim_end_matches('/');
    let (path, last) = rest.rsplit_once('/').unwrap_or(("", rest));
    let (name, version) = match last.rsplit_once('@') {
        Some((n, v)) => (n, Some(dec(v)?)),
        None => (last, None),
    };
    let name = dec(name)?;
    if name.is_empty() {
        return Err(PurlError::MissingName);
    }
    let mut namespace = Vec::new();
    for seg in path.split('/').filter(|s| !s.is_empty()) {
        let seg = dec(seg)?;
        if seg.contains('/') {
            return Err(PurlError::InvalidNamespace(seg));
        }
        namespace.push(seg);
    }
    let mut quals = Vec::new();
    for pair in qualifiers.into_iter().flat_map(|q| q.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair
            .split_once('=')
            .ok_or_else(|| PurlError::InvalidQualifier(pair.to_owned()))?;
        let v = dec(v)?;
        if !v.is_empty() {
            quals.push((k.to_ascii_lowercase(), v));
        }
    }
    let mut segments = Vec::new();
    for seg in subpath.into_iter().flat_map(|sp| sp.split('/')) {
        let seg = dec(seg)?;
        if seg.contains('/') {
            return Err(PurlError::InvalidSubpath(seg));
        }
        if !(seg.is_empty() || seg == "." || seg == "..") {
            segments.push(seg);
        }
    }
    Ok(Purl {
        ty: ty.to_ascii_lowercase(),
        namespace: (!namespace.is_empty()).then(|| namespace.join("/")),
        name,
        version: version.filter(|v| !v.is_empty()),
        qualifiers: quals,
        subpath: (!segments.is_empty()).then(|| segments.join("/")),
    })
}

impl fmt::Display for Purl {
    /// The canonical string of a normalised purl.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/').filter(|s| !s.is_empty()) {
                write!(f, "{}/", enc(seg))?;
            }
        }
        let name = self.name.trim_matches('/');
        if self.ty == "git" {
            let mut first = true;
            for seg in name.split('/').filter(|s| !s.is_empty()) {
                let sep = if first { "" } else { "/" };
                write!(f, "{sep}{}", enc(seg))?;
                first = false;
            }
        } else {
            write!(f, "{}", enc(name))?;
        }
        if let Some(v) = self.version.as_deref().filter(|v| !v.is_empty()) {
            write!(f, "@{}", enc(v))?;
        }
        let mut quals: Vec<&(String, String)> = self
            .qualifiers
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .collect();
        if !quals.is_sorted_by(|a, b| a.0 <= b.0) {
            quals.sort_by(|a, b| a.0.cmp(&b.0));
        }
        for (i, (k, v)) in quals.into_iter().enumerate() {
            let sep = if i == 0 { '?' } else { '&' };
            write!(f, "{sep}{k}={}", enc(v))?;
        }
        if let Some(sp) = &self.subpath {
            let mut segs = sp
                .split('/')
                .filter(|s| !s.is_empty() && *s != "." && *s != "..")
                .peekable();
            if segs.peek().is_some() {
                f.write_str("#")?;
                for (i, seg) in segs.enumerate() {
                    let sep = if i == 0 { "" } else { "/" };
                    write!(f, "{sep}{}", enc(seg))?;
                }
            }
        }
        Ok(())
    }
}

impl FromStr for Purl {
    type Err = PurlError;

    /// Parses, normalises and validates (including the rules of the type).
    fn from_str(s: &str) -> Result<Purl, PurlError> {
        let mut p = parse_parts(s)?;
        p.normalize();
        p.validate()?;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_component_purls() {
        let cases = [
            (
                Ecosystem::PyPI,
                "Django_Rest",
                Some("1.0"),
                "pkg:pypi/django-rest@1.0",
            ),
            // npm names are case sensitive (npm-definition.json): old
            // packages with capitals are distinct packages.
            (
                Ecosystem::Npm,
                "@Angular/core",
                Some("1.0.0"),
                "pkg:npm/%40Angular/core@1.0.0",
            ),
            (
                Ecosystem::Npm,
                "JSONStream",
                Some("1.3.5"),
                "pkg:npm/JSONStream@1.3.5",
            ),
            (
                Ecosystem::Maven,
                "org.apache:commons-io",
                Some("2.6"),
                "pkg:maven/org.apache/commons-io@2.6",
            ),
            (
                Ecosystem::Go,
                "github.com/pkg/errors",
                Some("v0.9.1"),
                "pkg:golang/github.com/pkg/errors@v0.9.1",
            ),
            (
                Ecosystem::Go,
                "github.com/Azure/go-autorest",
                Some("v14.2.0+incompatible"),
                "pkg:golang/github.com/Azure/go-autorest@v14.2.0%2Bincompatible",
            ),
            (
                Ecosystem::Cargo,
                "serde",
                Some("1.0.0"),
                "pkg:cargo/serde@1.0.0",
            ),
            (
                Ecosystem::Packagist,
                "Laravel/Framework",
                Some("v10.0.0"),
                "pkg:composer/laravel/framework@v10.0.0",
            ),
            (
                Ecosystem::Debian,
                "libc6",
                Some("2.36-9+deb12u4"),
                "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4",
            ),
            (
                Ecosystem::NuGet,
                "Newtonsoft.Json",
                None,
                "pkg:nuget/Newtonsoft.Json",
            ),
        ];
        for (e, n, v, want) in cases {
            let p = Purl::for_component(e, n, v);
            assert_eq!(p.to_string(), want);
            let back: Purl = want.parse().unwrap();
            assert_eq!(back, p);
            assert_eq!(back.to_string(), want);
        }
    }

    #[test]
    fn component_purl_is_for_component_to_string() {
        // Parts made of the characters that matter (separators, case,
        // encoded bytes, non-ASCII), on every ecosystem.
        let alphabet = [
            "a", "Z", "/", ":", "@", "_", "-", ".", "%", " ", "+", "~", "é", "#", "?", "",
        ];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        fn next(state: &mut u64) -> u64 {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *state
        }
        let part = |state: &mut u64, len: u64| -> String {
            let n = next(state) % (len + 1);
            (0..n)
                .map(|_| alphabet[(next(state) % alphabet.len() as u64) as usize])
                .collect()
        };
        let mut cases: Vec<(String, Option<String>)> = vec![
            ("/".into(), Some(String::new())),
            ("a//b/".into(), Some("1.0_RC".into())),
            (":".into(), None),
            ("@Scope/Name_x".into(), Some("V1+Build".into())),
        ];
        for _ in 0..3000 {
            let name = part(&mut state, 12);
            let version = (!next(&mut state).is_multiple_of(4)).then(|| part(&mut state, 6));
            cases.push((name, version));
        }
        for e in Ecosystem::ALL {
            for (name, version) in &cases {
                let want = Purl::for_component(e, name, version.as_deref()).to_string();
                let got = component_purl(e, name, version.as_deref());
                assert_eq!(got, want, "{e:?} {name:?} {version:?}");
            }
        }
    }

    #[test]
    fn component_names_round_trip() {
        for (e, n) in [
            (Ecosystem::Maven, "org.apache:commons-io"),
            (Ecosystem::Npm, "@babel/core"),
            (Ecosystem::Go, "golang.org/x/net"),
            (Ecosystem::Debian, "curl"),
        ] {
            assert_eq!(Purl::for_component(e, n, Some("1")).component_name(), n);
        }
    }

    #[test]
    fn parses_leniently_where_the_spec_allows() {
        let p: Purl = "PKG:///NPM/@babel/core@7.0.0?Foo=bar&empty=#/lib/./x/"
            .parse()
            .unwrap();
        assert_eq!(p.ty, "npm");
        assert_eq!(p.namespace.as_deref(), Some("@babel"));
        assert_eq!(p.name, "core");
        assert_eq!(p.version.as_deref(), Some("7.0.0"));
        assert_eq!(p.qualifiers, vec![("foo".to_owned(), "bar".to_owned())]);
        assert_eq!(p.subpath.as_deref(), Some("lib/x"));
        assert_eq!(p.to_string(), "pkg:npm/%40babel/core@7.0.0?foo=bar#lib/x");
        // A qualifier value keeps an unencoded `?`.
        let p: Purl = "pkg:generic/x?download_url=https://h/f?a=b"
            .parse()
            .unwrap();
        assert_eq!(p.qualifier("download_url"), Some("https://h/f?a=b"));
    }

    #[test]
    fn rejects_malformed_purls() {
        let cases = [
            ("", PurlError::MissingScheme),
            ("pkg", PurlError::MissingScheme),
            ("pkg:", PurlError::MissingType),
            ("pkg:/", PurlError::MissingType),
            ("pkg:npm", PurlError::MissingName),
            ("pkg:npm/", PurlError::MissingName),
            ("pkg:npm/@1.0", PurlError::MissingName),
            ("pkg:1npm/x", PurlError::InvalidType("1npm".into())),
            ("pkg:n+pm/x", PurlError::InvalidType("n+pm".into())),
            ("pkg:npm/x%", PurlError::InvalidEncoding("x%".into())),
            ("pkg:npm/x%4", PurlError::InvalidEncoding("x%4".into())),
            ("pkg:npm/x%zz", PurlError::InvalidEncoding("x%zz".into())),
            ("pkg:npm/x%ff", PurlError::InvalidEncoding("x%ff".into())),
            ("pkg:npm/x?a", PurlError::InvalidQualifier("a".into())),
            ("pkg:npm/x?1a=b", PurlError::InvalidQualifier("1a".into())),
            (
                "pkg:npm/x?a%20b=c",
                PurlError::InvalidQualifier("a%20b".into()),
            ),
            (
                "pkg:npm/x?a=b&A=c",
                PurlError::DuplicateQualifier("a".into()),
            ),
            ("pkg:npm/a%2Fb/x", PurlError::InvalidNamespace("a/b".into())),
            ("pkg:npm/x#a%2Fb", PurlError::InvalidSubpath("a/b".into())),
        ];
        for (s, want) in cases {
            assert_eq!(s.parse::<Purl>(), Err(want), "{s}");
        }
    }

    #[test]
    fn applies_type_rules() {
        let p: Purl = "pkg:pub/Flutter-Foo@1.0".parse().unwrap();
        assert_eq!(p.name, "flutter_foo");
        let p: Purl = "pkg:cpan/drolsky/DateTime@1.55".parse().unwrap();
        assert_eq!(p.to_string(), "pkg:cpan/DROLSKY/DateTime@1.55");
        let p: Purl = "pkg:git/github.com/a/b/c@1".parse().unwrap();
        assert_eq!(p.namespace.as_deref(), Some("github.com"));
        assert_eq!(p.name, "a/b/c");
        assert_eq!(p.to_string(), "pkg:git/github.com/a/b/c@1");
        let tag = "pkg:swid/Acme/x@1?tag_id=75B8C285-FA7B-485B-B199-4745E3004D0D";
        let p: Purl = tag.parse().unwrap();
        assert_eq!(
            p.qualifier("tag_id"),
            Some("75b8c285-fa7b-485b-b199-4745e3004d0d")
        );
        for bad in [
            "pkg:maven/commons-io@2.6",
            "pkg:cargo/ns/serde@1",
            "pkg:julia/Dates@1.9.0",
            "pkg:swid/a/b/c/name?tag_id=x",
            "pkg:cocoapods/.Hidden@1",
            "pkg:cocoapods/a+b@1",
        ] {
            assert!(
                matches!(bad.parse::<Purl>(), Err(PurlError::TypeRule(_))),
                "{bad}"
            );
            assert!(Purl::parse_lenient(bad).is_ok(), "{bad}");
        }
    }

    #[test]
    fn into_canonical_normalises_and_validates() {
        let mut p = Purl::new("PyPI", "Foo_Bar");
        p.version = Some("1.0RC1".into());
        p.qualifiers = vec![("Z".into(), "1".into()), ("a".into(), "".into())];
        let p = p.into_canonical().unwrap();
        assert_eq!(p.to_string(), "pkg:pypi/foo-bar@1.0rc1?z=1");
        let mut bad = Purl::new("npm", "x");
        bad.qualifiers = vec![("in production".into(), "true".into())];
        assert!(bad.into_canonical().is_err());
        assert!(Purl::new("", "x").into_canonical().is_err());
    }

    #[test]
    fn type_table_is_sorted_and_unique() {
        assert!(TYPES.windows(2).all(|w| w[0].ty < w[1].ty));
        for r in TYPES {
            assert_eq!(type_rules(r.ty), Some(r));
        }
        assert_eq!(type_rules("unknown"), None);
    }
}
