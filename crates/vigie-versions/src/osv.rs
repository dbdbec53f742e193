//! OSV `affected[].ranges[]` evaluation, as the OSV schema specifies it
//! (<https://ossf.github.io/osv-schema/#evaluation>).
//!
//! Events are sorted by version (`introduced: "0"` first, ties kept in their given order); a
//! version is affected when the last event at or below it is an `introduced`, where `fixed`
//! ends the affected span at its version (exclusive) and `last_affected` just after it
//! (inclusive). `SEMVER` ranges compare with SemVer (build metadata ignored, semver.org §10)
//! whatever the ecosystem but Julia's and Pub's, whose own order breaks ties with it
//! ([`Scheme::SemverBuild`]); `ECOSYSTEM` ranges with the ecosystem's scheme; `GIT` ranges
//! (commit hashes) never match a version. `limit` events bound the range on every type, as the
//! schema's `BeforeLimits` says: with limits, a version is in the range only if it is below
//! one of them (a limit holding `*` is infinity); with none, there is no bound.

use std::cmp::Ordering;

use crate::{Scheme, Version, VersionError};

/// The `type` of a range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RangeKind {
    /// Versions compare with SemVer 2.0.
    Semver,
    /// Versions compare with the ecosystem's scheme.
    Ecosystem,
    /// Events are commit hashes.
    Git,
}

/// One event of a range.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Event {
    /// Affected from this version on (`"0"`: from the beginning).
    Introduced(String),
    /// Not affected from this version on.
    Fixed(String),
    /// Affected up to this version, included.
    LastAffected(String),
    /// Upper bound of the range (exclusive); several limits bound it by the highest.
    Limit(String),
}

/// One `affected[].ranges[]` entry.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Range {
    /// How to compare the events' versions.
    pub kind: RangeKind,
    /// The events, in any order.
    pub events: Vec<Event>,
}

/// Whether `version` is inside `range`. `scheme` is the ecosystem's scheme (used for
/// `ECOSYSTEM` ranges; `SEMVER` ranges use [`Scheme::Semver`], or [`Scheme::SemverBuild`] when
/// it is the ecosystem's); `version` is re-read with the
/// range's scheme when it was parsed with another. Errors: an event version, or `version`,
/// that the range's scheme refuses.
pub fn range_contains(
    scheme: Scheme,
    range: &Range,
    version: &Version,
) -> Result<bool, VersionError> {
    CompiledRange::new(scheme, range)?.contains(version)
}

/// What an event does at its version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Introduced,
    Fixed,
    LastAffected,
}

/// A range whose event versions are parsed and sorted once, to test many versions against it.
#[derive(Clone, Debug)]
pub struct CompiledRange {
    /// `None` for `GIT` ranges.
    scheme: Option<Scheme>,
    /// Sorted; `None` is the `"0"` of an `introduced`.
    events: Vec<(Kind, Option<Version>)>,
    /// The `limit` events; `None` is a `*` (infinity).
    limits: Vec<Option<Version>>,
}

/// The event versions of `range` that `scheme` cannot read, or reads only as a legacy
/// version ([`Version::is_legacy`]), each as `kind "text"` (`fixed "2019-09-12"`), with
/// why: what a compiled index reports, since such a range is either not evaluated (refused)
/// or orders the event before every real version (legacy). `GIT` ranges have none.
pub fn unreadable_events(scheme: Scheme, range: &Range) -> Vec<String> {
    let Some(scheme) = events_scheme(scheme, range.kind) else {
        return Vec::new();
    };
    range
        .events
        .iter()
        .filter_map(|e| {
            let (kind, v) = match e {
                Event::Introduced(v) if v.trim() == "0" => return None,
                Event::Limit(v) if v.contains('*') => return None,
                Event::Introduced(v) => ("introduced", v),
                Event::Fixed(v) => ("fixed", v),
                Event::LastAffected(v) => ("last_affected", v),
                Event::Limit(v) => ("limit", v),
            };
            let why = match scheme.parse(v) {
                Err(e) => format!("{}: the range is not evaluated", e.reason),
                Ok(parsed) if parsed.is_legacy() => {
                    "not a version of the scheme: ordered before every version".to_owned()
                }
                Ok(_) => return None,
            };
            Some(format!("{kind} {v:?}: {why}"))
        })
        .collect()
}

/// The scheme a range's events are read in, for a package of `scheme`: SemVer for a `SEMVER`
/// range (with build metadata breaking ties where the package's scheme does), the package's
/// own for an `ECOSYSTEM` one, none for `GIT` (commits, not versions).
fn events_scheme(scheme: Scheme, kind: RangeKind) -> Option<Scheme> {
    match kind {
        RangeKind::Git => None,
        RangeKind::Semver if scheme == Scheme::SemverBuild => Some(Scheme::SemverBuild),
        RangeKind::Semver => Some(Scheme::Semver),
        RangeKind::Ecosystem => Some(scheme),
    }
}

impl CompiledRange {
    /// Parses and sorts the events of `range` (see [`range_contains`]).
    pub fn new(scheme: Scheme, range: &Range) -> Result<CompiledRange, VersionError> {
        let Some(scheme) = events_scheme(scheme, range.kind) else {
            return Ok(CompiledRange {
                scheme: None,
                events: Vec::new(),
                limits: Vec::new(),
            });
        };
        let mut events = Vec::with_capacity(range.events.len());
        let mut limits = Vec::new();
        for e in &range.events {
            let (kind, v) = match e {
                Event::Introduced(v) => (Kind::Introduced, v),
                Event::Fixed(v) => (Kind::Fixed, v),
                Event::LastAffected(v) => (Kind::LastAffected, v),
                Event::Limit(v) if v.contains('*') => {
                    limits.push(None);
                    continue;
                }
                Event::Limit(v) => {
                    limits.push(Some(scheme.parse(v)?));
                    continue;
                }
            };
            let parsed = if kind == Kind::Introduced && v.trim() == "0" {
                None
            } else {
                Some(scheme.parse(v)?)
            };
            events.push((kind, parsed));
        }
        // Stable: events at equal versions keep the record's order.
        events.sort_by(|a, b| match (&a.1, &b.1) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(x), Some(y)) => x.cmp(y),
        });
        Ok(CompiledRange {
            scheme: Some(scheme),
            events,
            limits,
        })
    }

    /// Whether `version` is inside the range (always `false` for a `GIT` range).
    pub fn contains(&self, version: &Version) -> Result<bool, VersionError> {
        let Some(scheme) = self.scheme else {
            return Ok(false);
        };
        let reparsed;
        let v = if version.scheme() == scheme {
            version
        } else {
            reparsed = scheme.parse(version.as_str())?;
            &reparsed
        };
        // BeforeLimits: no limit is an implicit `*`.
        let before_limits =
            self.limits.is_empty() || self.limits.iter().any(|l| l.as_ref().is_none_or(|l| v < l));
        if !before_limits {
            return Ok(false);
        }
        let mut affected = false;
        for (kind, at) in &self.events {
            match (kind, at) {
                (Kind::Introduced, None) => affected = true,
                (Kind::Introduced, Some(at)) if v >= at => affected = true,
                (Kind::Fixed, Some(at)) if v >= at => affected = false,
                (Kind::LastAffected, Some(at)) if v > at => affected = false,
                _ => {}
            }
        }
        Ok(affected)
    }
}
