//! Package URLs (purl, ECMA-427): parse, build and normalise.
//!
//! `Purl::for_component` is how every reader names a component; `FromStr`
//! reads the purls that SBOMs carry. Per-type rules (PyPI name normalisation,
//! lower-cased npm and GitHub names, Maven group/artifact, Go module paths)
//! are applied on both paths so that equal packages get equal purls.

use std::fmt;
use std::str::FromStr;

use percent_encoding::{AsciiSet, CONTROLS, percent_decode_str, utf8_percent_encode};

use crate::Ecosystem;

/// A parsed Package URL.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Purl {
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    /// Sorted by key, keys lower-case, no empty values.
    pub qualifiers: Vec<(String, String)>,
    pub subpath: Option<String>,
}

/// Why a string is not a valid Package URL.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    #[error("a purl starts with `pkg:`")]
    MissingScheme,
    #[error("the purl has no type")]
    MissingType,
    #[error("invalid purl type `{0}`")]
    InvalidType(String),
    #[error("the purl has no name")]
    MissingName,
    #[error("invalid qualifier `{0}`")]
    InvalidQualifier(String),
    #[error("invalid percent-encoding in `{0}`")]
    InvalidEncoding(String),
    #[error("{0}")]
    TypeRule(String),
}

/// Characters escaped in a purl component (everything but unreserved and a few safe ones).
const COMPONENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'@')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}')
    .add(b'/')
    .add(b'&')
    .add(b'=')
    .add(b'+')
    .add(b',')
    .add(b';')
    .add(b'!')
    .add(b'$')
    .add(b'\'')
    .add(b'(')
    .add(b')')
    .add(b'*');

/// Qualifier values may keep `/` and `:`.
const QUALIFIER_VALUE: &AsciiSet = &COMPONENT.remove(b'/');

fn enc(s: &str, set: &'static AsciiSet) -> String {
    utf8_percent_encode(s, set).to_string()
}

fn dec(s: &str) -> Result<String, PurlError> {
    percent_decode_str(s)
        .decode_utf8()
        .map(|c| c.into_owned())
        .map_err(|_| PurlError::InvalidEncoding(s.to_owned()))
}

impl Purl {
    /// A purl with only a type and a name.
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

    /// Applies the per-type normalisation rules of the purl specification.
    pub fn normalize(&mut self) {
        self.ty = self.ty.to_ascii_lowercase();
        let lower_ns = matches!(
            self.ty.as_str(),
            "bitbucket" | "github" | "composer" | "deb" | "apk" | "rpm" | "hex" | "npm" | "pypi"
        );
        let lower_name = matches!(
            self.ty.as_str(),
            "bitbucket" | "github" | "composer" | "deb" | "apk" | "hex" | "npm" | "pypi"
        );
        if lower_ns {
            self.namespace = self.namespace.take().map(|n| n.to_lowercase());
        }
        if lower_name {
            self.name = self.name.to_lowercase();
        }
        if self.ty == "pypi" {
            self.name = self.name.replace('_', "-");
        }
        if let Some(ns) = &self.namespace {
            let trimmed = ns.trim_matches('/');
            self.namespace = (!trimmed.is_empty()).then(|| trimmed.to_owned());
        }
        self.qualifiers.retain(|(_, v)| !v.is_empty());
        for (k, _) in &mut self.qualifiers {
            *k = k.to_ascii_lowercase();
        }
        self.qualifiers.sort();
    }
}

fn split_last(name: &str) -> (Option<String>, String) {
    match name.rsplit_once('/') {
        Some((ns, n)) => (Some(ns.to_owned()), n.to_owned()),
        None => (None, name.to_owned()),
    }
}

impl fmt::Display for Purl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "pkg:{}/", self.ty)?;
        if let Some(ns) = &self.namespace {
            for seg in ns.split('/').filter(|s| !s.is_empty()) {
                write!(f, "{}/", enc(seg, COMPONENT))?;
            }
        }
        f.write_str(&enc(&self.name, COMPONENT))?;
        if let Some(v) = &self.version {
            write!(f, "@{}", enc(v, COMPONENT))?;
        }
        for (i, (k, v)) in self.qualifiers.iter().enumerate() {
            let sep = if i == 0 { '?' } else { '&' };
            write!(f, "{sep}{k}={}", enc(v, QUALIFIER_VALUE))?;
        }
        if let Some(sp) = &self.subpath {
            let segs: Vec<String> = sp
                .split('/')
                .filter(|s| !s.is_empty() && *s != "." && *s != "..")
                .map(|s| enc(s, COMPONENT))
                .collect();
            if !segs.is_empty() {
                write!(f, "#{}", segs.join("/"))?;
            }
        }
        Ok(())
    }
}

impl FromStr for Purl {
    type Err = PurlError;

    fn from_str(s: &str) -> Result<Purl, PurlError> {
        let rest = s
            .strip_prefix("pkg:")
            .or_else(|| {
                s.get(..4)
                    .filter(|p| p.eq_ignore_ascii_case("pkg:"))
                    .map(|_| &s[4..])
            })
            .ok_or(PurlError::MissingScheme)?;
        let (rest, subpath) = match rest.split_once('#') {
            Some((r, sp)) => (r, Some(sp)),
            None => (rest, None),
        };
        let (rest, qualifiers) = match rest.split_once('?') {
            Some((r, q)) => (r, Some(q)),
            None => (rest, None),
        };
        let rest = rest.trim_start_matches('/');
        let (ty, rest) = rest.split_once('/').ok_or(PurlError::MissingName)?;
        if ty.is_empty() {
            return Err(PurlError::MissingType);
        }
        if !ty
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+'))
            || ty.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(PurlError::InvalidType(ty.to_owned()));
        }
        let rest = rest.trim_end_matches('/');
        let (path, version) = match rest.rsplit_once('@') {
            Some((p, v)) => (p, Some(dec(v)?)),
            None => (rest, None),
        };
        let (namespace, name) = match path.rsplit_once('/') {
            Some((ns, n)) => {
                let segs = ns
                    .split('/')
                    .filter(|s| !s.is_empty())
                    .map(dec)
                    .collect::<Result<Vec<_>, _>>()?;
                (Some(segs.join("/")), dec(n)?)
            }
            None => (None, dec(path)?),
        };
        if name.is_empty() {
            return Err(PurlError::MissingName);
        }
        let mut quals = Vec::new();
        if let Some(q) = qualifiers {
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair
                    .split_once('=')
                    .ok_or_else(|| PurlError::InvalidQualifier(pair.to_owned()))?;
                if k.is_empty()
                    || !k
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
                {
                    return Err(PurlError::InvalidQualifier(pair.to_owned()));
                }
                quals.push((k.to_owned(), dec(v)?));
            }
        }
        let mut p = Purl {
            ty: ty.to_owned(),
            namespace: namespace.filter(|n| !n.is_empty()),
            name,
            version: version.filter(|v| !v.is_empty()),
            qualifiers: quals,
            subpath: subpath.map(dec).transpose()?.filter(|s| !s.is_empty()),
        };
        p.normalize();
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
            (
                Ecosystem::Npm,
                "@Angular/core",
                Some("1.0.0"),
                "pkg:npm/%40angular/core@1.0.0",
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
                Ecosystem::Cargo,
                "serde",
                Some("1.0.0"),
                "pkg:cargo/serde@1.0.0",
            ),
        ];
        for (e, n, v, want) in cases {
            assert_eq!(Purl::for_component(e, n, v).to_string(), want);
            let back: Purl = want.parse().unwrap();
            assert_eq!(back.to_string(), want);
        }
    }
}
