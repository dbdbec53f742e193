//! Entity references, per Backstage: `[<kind>:][<namespace>/]<name>`, the
//! kind and namespace defaulting by context, compared case-insensitively.

use std::fmt;

use serde::{Serialize, Serializer};

/// The namespace of entities that do not name one.
pub const DEFAULT_NAMESPACE: &str = "default";

/// A full reference to an entity, lower-cased (Backstage compares kind,
/// namespace and name case-insensitively). Printed and serialized as
/// `kind:namespace/name`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EntityRef {
    /// Lower-case kind (`component`, `group`, ...).
    pub kind: String,
    /// Lower-case namespace.
    pub namespace: String,
    /// Lower-case name.
    pub name: String,
}

/// Why a reference string was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RefError {
    /// The reference has no kind and the field has no default kind.
    #[error("`{0}` needs an explicit kind here (write `kind:{0}`)")]
    NoKind(String),
    /// A part is empty or has characters Backstage does not allow.
    #[error("`{0}` is not a valid entity reference: {1}")]
    Invalid(String, &'static str),
}

impl EntityRef {
    /// A reference from its three parts (lower-cased).
    pub fn new(kind: &str, namespace: &str, name: &str) -> Self {
        EntityRef {
            kind: kind.to_ascii_lowercase(),
            namespace: namespace.to_ascii_lowercase(),
            name: name.to_ascii_lowercase(),
        }
    }

    /// Parses `[kind:][namespace/]name`; a missing kind takes
    /// `default_kind` (an error when there is none), a missing namespace
    /// takes `default_namespace` (the referring entity's, per Backstage).
    pub fn parse(
        text: &str,
        default_kind: Option<&str>,
        default_namespace: &str,
    ) -> Result<Self, RefError> {
        let t = text.trim();
        let bad = |why| RefError::Invalid(t.to_owned(), why);
        // A colon after the first slash would belong to the name, which
        // names never hold: the kind is what comes before the first colon.
        let (kind, rest) = match (t.find(':'), t.find('/')) {
            (Some(c), s) if s.is_none_or(|s| c < s) => (t.get(..c), t.get(c + 1..).unwrap_or("")),
            _ => (None, t),
        };
        let (namespace, name) = match rest.split_once('/') {
            Some((ns, n)) => (Some(ns), n),
            None => (None, rest),
        };
        let kind = match kind {
            Some(k) => k,
            None => default_kind.ok_or_else(|| RefError::NoKind(t.to_owned()))?,
        };
        let namespace = namespace.unwrap_or(default_namespace);
        if !valid_kind(kind) {
            return Err(bad("the kind must be letters and digits"));
        }
        if !valid_namespace(namespace) {
            return Err(bad(
                "the namespace must be letters and digits separated by dashes, at most 63",
            ));
        }
        if !valid_name(name) {
            return Err(bad(
                "the name must be letters and digits separated by `-`, `_` or `.`, at most 63",
            ));
        }
        Ok(EntityRef::new(kind, namespace, name))
    }
}

/// Backstage's kind rule: a letter, then letters and digits.
pub fn valid_kind(k: &str) -> bool {
    k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && k.chars().all(|c| c.is_ascii_alphanumeric())
}

/// Backstage's name rule: `[a-zA-Z0-9]+([-_.][a-zA-Z0-9]+)*`, 1 to 63 characters.
pub fn valid_name(n: &str) -> bool {
    separated(n, |c| matches!(c, '-' | '_' | '.'), false)
}

/// Backstage's namespace rule: `[a-z0-9]+(-+[a-z0-9]+)*`, 1 to 63
/// characters (compared case-insensitively here).
pub fn valid_namespace(n: &str) -> bool {
    separated(n, |c| c == '-', true)
}

/// Runs of ASCII alphanumerics separated by one separator (or, when
/// `runs`, by several), not starting or ending with one.
fn separated(s: &str, sep: impl Fn(char) -> bool, runs: bool) -> bool {
    if s.is_empty() || s.len() > 63 {
        return false;
    }
    let mut start = true;
    let mut prev_sep = false;
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            prev_sep = false;
            start = false;
        } else if sep(c) && !start && (runs || !prev_sep) {
            prev_sep = true;
        } else {
            return false;
        }
    }
    !prev_sep
}

impl fmt::Display for EntityRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}/{}", self.kind, self.namespace, self.name)
    }
}

impl Serialize for EntityRef {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values follow the examples of Backstage's "Entity
    // References" page: defaults by field, case folded, namespace of the
    // referrer.
    #[test]
    fn parses_backstage_forms() {
        let r = EntityRef::parse("artist-relations-team", Some("group"), "default").unwrap();
        assert_eq!(r.to_string(), "group:default/artist-relations-team");
        let r = EntityRef::parse("user:jdoe", Some("group"), "default").unwrap();
        assert_eq!(r.to_string(), "user:default/jdoe");
        let r = EntityRef::parse("Component:Ops/Log-Shipper", None, "default").unwrap();
        assert_eq!(r.to_string(), "component:ops/log-shipper");
        let r = EntityRef::parse("infra/db", Some("resource"), "team-a").unwrap();
        assert_eq!(r.to_string(), "resource:infra/db");
        let r = EntityRef::parse("db", Some("resource"), "team-a").unwrap();
        assert_eq!(r.to_string(), "resource:team-a/db");
    }

    #[test]
    fn refuses_bad_refs() {
        assert!(matches!(
            EntityRef::parse("db", None, "default"),
            Err(RefError::NoKind(_))
        ));
        for bad in [
            "",
            "component:",
            "a b",
            "-x",
            "x-",
            "a..b",
            "ns//x",
            "k:ns/",
            "1kind:x",
        ] {
            assert!(
                EntityRef::parse(bad, Some("component"), "default").is_err(),
                "{bad}"
            );
        }
        assert!(valid_name("a.b_c-d"));
        assert!(!valid_name(&"a".repeat(64)));
        assert!(valid_namespace("team--a"));
        assert!(!valid_namespace("team_a"));
    }
}
