//! The `vers` version range specifier (`vers:<scheme>/<constraint>|<constraint>...`,
//! package-url/vers-spec): parsing, canonical printing and containment.
//!
//! [`parse`] is lenient (whitespace, empty constraints, unsorted constraints, a lowercase or
//! uppercase scheme and `=` are accepted and normalised); [`parse_canonical`] accepts only the
//! canonical form. Printing gives the canonical form: constraints sorted by version (stably,
//! duplicates kept), `=` omitted, versions percent-encoded where needed.

mod native;

use std::fmt;

pub use native::from_native;

use crate::{Scheme, Version, VersionError};

/// A constraint's operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Comparator {
    /// `=` (printed without operator).
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl Comparator {
    /// The operator as written (`""` for `=`).
    pub fn as_str(self) -> &'static str {
        match self {
            Comparator::Eq => "",
            Comparator::Ne => "!=",
            Comparator::Lt => "<",
            Comparator::Le => "<=",
            Comparator::Gt => ">",
            Comparator::Ge => ">=",
        }
    }
}

/// One constraint: an operator and a (percent-decoded) version.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Constraint {
    /// The operator.
    pub comparator: Comparator,
    /// The version, decoded.
    pub version: String,
}

/// A parsed `vers:` range.
#[derive(Clone, Debug)]
pub struct VersRange {
    scheme_name: String,
    scheme: Option<Scheme>,
    /// `None` for `*` (every version).
    constraints: Option<Vec<Constraint>>,
}

/// What is wrong with a `vers` string, or with a version tested against it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersError {
    /// Not `vers` syntax, or (for [`parse_canonical`]) not its canonical form.
    #[error("invalid vers {0:?}: {1}")]
    Syntax(String, &'static str),
    /// The versioning scheme has no [`Scheme`] here, so versions cannot be compared.
    #[error("vers scheme {0:?} is not supported")]
    UnsupportedScheme(String),
    /// A version that the scheme refuses.
    #[error(transparent)]
    Version(#[from] VersionError),
}

/// The [`Scheme`] of a `vers` versioning scheme (a Package URL type, or a vers-only scheme such
/// as `semver` or `generic`), when there is one.
pub fn scheme_of(name: &str) -> Option<Scheme> {
    Some(match name {
        "npm" | "cargo" | "semver" | "hex" | "bitnami" | "swift" => Scheme::Semver,
        "pub" | "julia" => Scheme::SemverBuild,
        "golang" => Scheme::Go,
        "pypi" => Scheme::Pep440,
        "maven" => Scheme::Maven,
        "gem" => Scheme::RubyGems,
        "nuget" => Scheme::NuGet,
        "composer" => Scheme::Composer,
        "deb" | "debian" => Scheme::Debian,
        "apk" | "alpine" => Scheme::Alpine,
        "rpm" => Scheme::Rpm,
        "hackage" => Scheme::Hackage,
        "opam" => Scheme::Opam,
        "cran" => Scheme::Cran,
        "generic" => Scheme::Generic,
        _ => return None,
    })
}

/// Parses a `vers` string leniently.
pub fn parse(s: &str) -> Result<VersRange, VersError> {
    read(s, false)
}

/// Parses a `vers` string that must be in canonical form.
pub fn parse_canonical(s: &str) -> Result<VersRange, VersError> {
    read(s, true)
}

fn syntax(s: &str, why: &'static str) -> VersError {
    VersError::Syntax(s.chars().take(200).collect(), why)
}

fn read(s: &str, strict: bool) -> Result<VersRange, VersError> {
    if strict && s.chars().any(char::is_whitespace) {
        return Err(syntax(s, "whitespace is not permitted"));
    }
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = match compact.get(..5) {
        Some("vers:") => compact.get(5..),
        Some(p) if !strict && p.eq_ignore_ascii_case("vers:") => compact.get(5..),
        _ => None,
    }
    .ok_or_else(|| syntax(s, "does not start with vers:"))?;
    let (name, body) = rest
        .split_once('/')
        .ok_or_else(|| syntax(s, "no / after the scheme"))?;
    if name.is_empty()
        || !name
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b".-+".contains(&c))
    {
        return Err(syntax(s, "bad versioning scheme"));
    }
    if strict && name.bytes().any(|c| c.is_ascii_uppercase()) {
        return Err(syntax(s, "the scheme must be lowercase"));
    }
    let scheme_name = name.to_ascii_lowercase();
    let scheme = scheme_of(&scheme_name);
    if body.is_empty() {
        return Err(syntax(s, "no constraint"));
    }
    if body == "*" {
        return Ok(VersRange {
            scheme_name,
            scheme,
            constraints: None,
        });
    }
    let mut constraints = Vec::new();
    for c in body.split('|') {
        if c.is_empty() {
            if strict {
                return Err(syntax(
                    s,
                    "empty constraint (leading, trailing or double |)",
                ));
            }
            continue;
        }
        let (comparator, v) = [
            (">=", Comparator::Ge),
            ("<=", Comparator::Le),
            ("!=", Comparator::Ne),
            ("<", Comparator::Lt),
            (">", Comparator::Gt),
            ("=", Comparator::Eq),
        ]
        .iter()
        .find_map(|(op, cmp)| c.strip_prefix(op).map(|v| (*cmp, v)))
        .unwrap_or((Comparator::Eq, c));
        if strict && c.starts_with('=') {
            return Err(syntax(s, "= is implicit in canonical form"));
        }
        if v.is_empty() || v == "*" {
            return Err(syntax(s, "constraint without a version"));
        }
        if v.starts_with(['<', '>', '=', '!']) {
            return Err(syntax(s, "two operators in one constraint"));
        }
        let version = decode(v, strict).map_err(|why| syntax(s, why))?;
        constraints.push(Constraint {
            comparator,
            version,
        });
    }
    if constraints.is_empty() {
        return Err(syntax(s, "no constraint"));
    }
    if strict {
        if let Some(scheme) = scheme
            && let Ok(parsed) = parse_all(scheme, &constraints)
            && !parsed.windows(2).all(|w| matches!(w, [a, b] if a.1 <= b.1))
        {
            return Err(syntax(s, "constraints are not sorted by version"));
        }
        return Ok(VersRange {
            scheme_name,
            scheme,
            constraints: Some(constraints),
        });
    }
    VersRange::sorted(scheme_name, scheme, constraints)
}

fn parse_all(
    scheme: Scheme,
    constraints: &[Constraint],
) -> Result<Vec<(Comparator, Version)>, VersionError> {
    constraints
        .iter()
        .map(|c| Ok((c.comparator, scheme.parse(&c.version)?)))
        .collect()
}

/// Percent-decodes a version. Strict: hex digits must be uppercase and only characters that
/// canonical printing encodes may be encoded.
fn decode(v: &str, strict: bool) -> Result<String, &'static str> {
    let b = v.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = |k: usize| b.get(k).and_then(|&h| (h as char).to_digit(16));
            let (Some(h), Some(l)) = (hex(i + 1), hex(i + 2)) else {
                return Err("invalid percent-encoding in version");
            };
            if strict
                && b.get(i + 1..i + 3)
                    .is_some_and(|p| p.iter().any(u8::is_ascii_lowercase))
            {
                return Err("percent-encoding in version is not canonical");
            }
            let byte = (h * 16 + l) as u8;
            if strict && !must_encode(byte) {
                return Err("percent-encoding in version is not canonical");
            }
            out.push(byte);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "percent-encoded version is not UTF-8")
}

/// Bytes that canonical printing percent-encodes: `%`, `|`, `/`, space, controls and non-ASCII.
fn must_encode(c: u8) -> bool {
    matches!(c, b'%' | b'|' | b'/' | b' ') || c.is_ascii_control() || !c.is_ascii()
}

impl VersRange {
    /// The versioning scheme as written (lowercased).
    pub fn scheme_name(&self) -> &str {
        &self.scheme_name
    }

    /// The [`Scheme`] its versions compare with, when it has one.
    pub fn scheme(&self) -> Option<Scheme> {
        self.scheme
    }

    /// The constraints, in canonical order; `None` for `*`.
    pub fn constraints(&self) -> Option<&[Constraint]> {
        self.constraints.as_deref()
    }

    fn parsed(&self, scheme: Scheme) -> Result<Vec<(Comparator, Version)>, VersError> {
        Ok(parse_all(
            scheme,
            self.constraints.as_deref().unwrap_or(&[]),
        )?)
    }

    /// A range of these constraints, sorted by version (stably) when the scheme is known and
    /// every version parses; kept in the given order otherwise.
    pub(crate) fn sorted(
        scheme_name: String,
        scheme: Option<Scheme>,
        mut constraints: Vec<Constraint>,
    ) -> Result<VersRange, VersError> {
        if let Some(parsed) = scheme.and_then(|s| parse_all(s, &constraints).ok()) {
            let mut order: Vec<usize> = (0..parsed.len()).collect();
            order.sort_by(|&i, &j| match (parsed.get(i), parsed.get(j)) {
                (Some(a), Some(b)) => a.1.cmp(&b.1),
                _ => std::cmp::Ordering::Equal,
            });
            constraints = order
                .iter()
                .filter_map(|&i| constraints.get(i).cloned())
                .collect();
        }
        Ok(VersRange {
            scheme_name,
            scheme,
            constraints: Some(constraints),
        })
    }

    /// Whether `v` is inside the range, with the algorithm of the vers specification.
    /// A range of only `!=` constraints contains every other version.
    pub fn contains(&self, v: &str) -> Result<bool, VersError> {
        if self.constraints.is_none() {
            return Ok(true);
        }
        let scheme = self
            .scheme
            .ok_or_else(|| VersError::UnsupportedScheme(self.scheme_name.clone()))?;
        let v = scheme.parse(v)?;
        let cs = self.parsed(scheme)?;
        for (c, at) in &cs {
            match c {
                Comparator::Eq if v == *at => return Ok(true),
                Comparator::Ne if v == *at => return Ok(false),
                _ => {}
            }
        }
        let bounds: Vec<&(Comparator, Version)> = cs
            .iter()
            .filter(|(c, _)| !matches!(c, Comparator::Eq | Comparator::Ne))
            .collect();
        let below = |c: Comparator, at: &Version| match c {
            Comparator::Lt => v < *at,
            Comparator::Le => v <= *at,
            _ => false,
        };
        let above = |c: Comparator, at: &Version| match c {
            Comparator::Gt => v > *at,
            Comparator::Ge => v >= *at,
            _ => false,
        };
        if bounds.is_empty() {
            let only_ne = cs.iter().all(|(c, _)| *c == Comparator::Ne);
            return Ok(only_ne);
        }
        if let Some((c, at)) = bounds.first()
            && below(*c, at)
        {
            return Ok(true);
        }
        if let Some((c, at)) = bounds.last()
            && above(*c, at)
        {
            return Ok(true);
        }
        for w in bounds.windows(2) {
            if let [(lc, lo), (hc, hi)] = w
                && above(*lc, lo)
                && below(*hc, hi)
            {
                return Ok(true);
            }
        }
        Ok(false)
    }
}

impl fmt::Display for VersRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "vers:{}/", self.scheme_name)?;
        let Some(cs) = &self.constraints else {
            return f.write_str("*");
        };
        for (n, c) in cs.iter().enumerate() {
            if n > 0 {
                f.write_str("|")?;
            }
            f.write_str(c.comparator.as_str())?;
            for &b in c.version.as_bytes() {
                if must_encode(b) {
                    write!(f, "%{b:02X}")?;
                } else {
                    write!(f, "{}", b as char)?;
                }
            }
        }
        Ok(())
    }
}
