//! OSV records (schema 1.0–1.8), read and compiled into vigie's advisory model.
//!
//! [`compile`] takes the bytes of one `<ID>.json` and gives an [`Advisory`]
//! (what a report shows) and its [`AffectedPackage`]s (what the matcher
//! evaluates). Only what vigie uses is kept: the long `details`, references
//! other than the advisory page, and `ecosystem_specific` blobs are dropped.
//!
//! Severity, in order of preference: the record's or the affected entry's
//! CVSS vector (v4.0, then v3.1/v3.0, then v2), scored by [`crate::cvss`];
//! then a rating given by the database (`database_specific.severity` of
//! GHSA and Bitnami, `ecosystem_specific.severity` of OSS-Fuzz, RustSec's
//! `database_specific.cvss`).

use serde::{Deserialize, Serialize};

use crate::cvss::{self, CvssVersion, Rating};

pub use vigie_findings::{AdvisoryKind, KnownExploited, Severity, SeveritySource};

/// An advisory as vigie keeps it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    pub summary: String,
    pub kind: AdvisoryKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    /// Set when the record is withdrawn; withdrawn advisories are never matched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_exploited: Option<KnownExploited>,
    /// The advisory's own page (first ADVISORY reference), else the first reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// How a range's events are ordered.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RangeKind {
    #[serde(rename = "SEMVER")]
    Semver,
    #[serde(rename = "ECOSYSTEM")]
    Ecosystem,
    #[serde(rename = "GIT")]
    Git,
}

/// One event of a range; exactly one of the fields is set in valid OSV.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Range {
    pub kind: RangeKind,
    pub events: Vec<Event>,
}

impl From<&Range> for vigie_versions::osv::Range {
    fn from(r: &Range) -> vigie_versions::osv::Range {
        use vigie_versions::osv as v;
        v::Range {
            kind: match r.kind {
                RangeKind::Semver => v::RangeKind::Semver,
                RangeKind::Ecosystem => v::RangeKind::Ecosystem,
                RangeKind::Git => v::RangeKind::Git,
            },
            events: r
                .events
                .iter()
                .map(|e| match e {
                    Event::Introduced(x) => v::Event::Introduced(x.clone()),
                    Event::Fixed(x) => v::Event::Fixed(x.clone()),
                    Event::LastAffected(x) => v::Event::LastAffected(x.clone()),
                    Event::Limit(x) => v::Event::Limit(x.clone()),
                })
                .collect(),
        }
    }
}

/// One `affected[]` entry: a package, and which of its versions are affected.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AffectedPackage {
    /// The OSV ecosystem as written, with its suffix (`AlmaLinux:9`, `Debian:12`).
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<Range>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    /// A severity given for this package only (schema 1.4+ `affected[].severity`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Native feeds ([`crate::native`]): the affected versions as a `vers:` range, read
    /// from the feed's own range syntax (Node.js WG `vulnerable_versions`, FriendsOfPHP
    /// branches), exact where OSV events could not say an exclusive lower bound.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vers: Option<String>,
    /// Native feeds: the versions *not* affected as a `vers:` range (RubySec's patched and
    /// unaffected versions); every other version is affected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unaffected_vers: Option<String>,
    /// Native feeds: the versions that fix it, as the feed gives them (the lower bounds of
    /// its patched versions, the upper bounds of its affected branches).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed: Vec<String>,
}

impl AffectedPackage {
    /// Every fixing version: the ranges' `fixed` events, then a native feed's.
    pub fn fixed_versions(&self) -> impl Iterator<Item = &String> {
        self.ranges
            .iter()
            .flat_map(|r| &r.events)
            .filter_map(|e| match e {
                Event::Fixed(v) => Some(v),
                _ => None,
            })
            .chain(&self.fixed)
    }
}

/// Why a record was refused.
#[derive(Debug, thiserror::Error)]
pub enum OsvError {
    #[error("not an OSV record: {0}")]
    Json(#[from] serde_json::Error),
    #[error("field `{field}`: {message}")]
    Field {
        field: &'static str,
        message: String,
    },
}

// --- The raw schema, as much as vigie reads of it. -------------------------

#[derive(Deserialize)]
struct RawRecord {
    id: String,
    #[serde(default)]
    modified: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    withdrawn: Option<String>,
    #[serde(default)]
    aliases: Option<Vec<String>>,
    #[serde(default)]
    related: Option<Vec<String>>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    details: Option<String>,
    #[serde(default)]
    severity: Option<Vec<RawSeverity>>,
    #[serde(default)]
    affected: Option<Vec<RawAffected>>,
    #[serde(default)]
    references: Option<Vec<RawReference>>,
    #[serde(default)]
    database_specific: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
struct RawSeverity {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Deserialize)]
struct RawAffected {
    #[serde(default)]
    package: Option<RawPackage>,
    #[serde(default)]
    severity: Option<Vec<RawSeverity>>,
    #[serde(default)]
    ranges: Option<Vec<RawRange>>,
    #[serde(default)]
    versions: Option<Vec<String>>,
    #[serde(default)]
    database_specific: Option<serde_json::Map<String, serde_json::Value>>,
    #[serde(default)]
    ecosystem_specific: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Deserialize)]
struct RawPackage {
    #[serde(default)]
    ecosystem: Option<String>,
    #[serde(default)]
    name: Option<String>,
}

#[derive(Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(default)]
    introduced: Option<String>,
    #[serde(default)]
    fixed: Option<String>,
    #[serde(default)]
    last_affected: Option<String>,
    #[serde(default)]
    limit: Option<String>,
}

#[derive(Deserialize)]
struct RawReference {
    #[serde(rename = "type", default)]
    kind: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

/// Longest summary kept; longer ones are cut at a character boundary.
const MAX_SUMMARY: usize = 300;

/// Compiles one OSV record.
///
/// Unknown range types, events without a version and packages without a name
/// are dropped from the record (they cannot be matched); a record without an
/// `id` is refused.
pub fn compile(bytes: &[u8]) -> Result<(Advisory, Vec<AffectedPackage>), OsvError> {
    let raw: RawRecord = serde_json::from_slice(bytes)?;
    if raw.id.trim().is_empty() {
        return Err(OsvError::Field {
            field: "id",
            message: "empty".into(),
        });
    }
    let mut kind = if raw.id.starts_with("MAL-") {
        AdvisoryKind::Malicious
    } else {
        AdvisoryKind::Vulnerability
    };
    let mut severity = best_severity(raw.severity.as_deref().unwrap_or_default());
    if severity.is_none() {
        severity = database_rating(raw.database_specific.as_ref());
    }

    let mut affected = Vec::new();
    for a in raw.affected.unwrap_or_default() {
        let Some(pkg) = a.package else { continue };
        let (Some(ecosystem), Some(name)) = (pkg.ecosystem, pkg.name) else {
            continue;
        };
        if name.is_empty() || ecosystem.is_empty() {
            continue;
        }
        if let Some(informational) = a
            .database_specific
            .as_ref()
            .and_then(|d| d.get("informational"))
            .and_then(|v| v.as_str())
        {
            kind = match informational {
                "unmaintained" => AdvisoryKind::Unmaintained,
                "unsound" => AdvisoryKind::Unsound,
                _ => AdvisoryKind::Notice,
            };
        }
        let mut pkg_severity = best_severity(a.severity.as_deref().unwrap_or_default());
        if pkg_severity.is_none() {
            pkg_severity = database_rating(a.database_specific.as_ref())
                .or_else(|| database_rating(a.ecosystem_specific.as_ref()));
        }
        let ranges = a
            .ranges
            .unwrap_or_default()
            .into_iter()
            .filter_map(compile_range)
            .collect();
        affected.push(AffectedPackage {
            ecosystem,
            name,
            ranges,
            versions: a.versions.unwrap_or_default(),
            severity: pkg_severity,
            vers: None,
            unaffected_vers: None,
            fixed: Vec::new(),
        });
    }
    // A record-level severity wins; otherwise the worst package-level one
    // stands for the whole advisory.
    if severity.is_none() {
        severity = affected
            .iter()
            .filter_map(|a| a.severity.clone())
            .max_by(|a, b| a.rating.cmp(&b.rating));
    }

    let url = raw.references.as_ref().and_then(|refs| {
        refs.iter()
            .find(|r| r.kind.as_deref() == Some("ADVISORY"))
            .or(refs.first())
            .and_then(|r| r.url.clone())
    });
    let summary = summary_of(raw.summary.as_deref(), raw.details.as_deref());
    let advisory = Advisory {
        id: raw.id,
        aliases: raw.aliases.unwrap_or_default(),
        related: raw.related.unwrap_or_default(),
        summary,
        kind,
        published: raw.published,
        modified: raw.modified,
        withdrawn: raw.withdrawn,
        severity,
        known_exploited: None,
        url,
    };
    Ok((advisory, affected))
}

fn compile_range(raw: RawRange) -> Option<Range> {
    let kind = match raw.kind.as_str() {
        "SEMVER" => RangeKind::Semver,
        "ECOSYSTEM" => RangeKind::Ecosystem,
        "GIT" => RangeKind::Git,
        _ => return None,
    };
    let events = raw
        .events
        .into_iter()
        .filter_map(|e| {
            if let Some(v) = e.introduced {
                Some(Event::Introduced(v))
            } else if let Some(v) = e.fixed {
                Some(Event::Fixed(v))
            } else if let Some(v) = e.last_affected {
                Some(Event::LastAffected(v))
            } else {
                e.limit.map(Event::Limit)
            }
        })
        .collect();
    Some(Range { kind, events })
}

/// The most recent CVSS version among the vectors that score.
fn best_severity(list: &[RawSeverity]) -> Option<Severity> {
    let mut best: Option<(u8, Severity)> = None;
    for s in list {
        let rank = match s.kind.as_str() {
            "CVSS_V4" => 3,
            "CVSS_V3" => 2,
            "CVSS_V2" => 1,
            _ => continue,
        };
        if best.as_ref().is_some_and(|(r, _)| *r >= rank) {
            continue;
        }
        let Ok(score) = cvss::parse(&s.score) else {
            continue;
        };
        best = Some((rank, scored(&s.score, &score)));
    }
    best.map(|(_, s)| s)
}

/// A severity from a vector that scored; the vector's own version names the source.
pub(crate) fn scored(vector: &str, score: &cvss::Score) -> Severity {
    Severity {
        rating: score.rating,
        score: Some(score.base),
        vector: Some(vector.to_owned()),
        source: match score.version {
            CvssVersion::V2 => SeveritySource::CvssV2,
            CvssVersion::V3_0 | CvssVersion::V3_1 => SeveritySource::CvssV3,
            CvssVersion::V4_0 => SeveritySource::CvssV4,
        },
    }
}

/// `severity` (GHSA, Bitnami, OSS-Fuzz) or `cvss` (RustSec) of a
/// `database_specific` / `ecosystem_specific` object.
fn database_rating(map: Option<&serde_json::Map<String, serde_json::Value>>) -> Option<Severity> {
    let map = map?;
    if let Some(vector) = map.get("cvss").and_then(|v| v.as_str())
        && let Ok(score) = cvss::parse(vector)
    {
        return Some(scored(vector, &score));
    }
    let rating = map
        .get("severity")
        .and_then(|v| v.as_str())
        .and_then(Rating::parse)?;
    Some(Severity {
        rating,
        score: None,
        vector: None,
        source: SeveritySource::Database,
    })
}

/// The summary, or the first line of the details, cut to [`MAX_SUMMARY`].
pub(crate) fn summary_of(summary: Option<&str>, details: Option<&str>) -> String {
    let text = summary
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .or_else(|| details.and_then(|d| d.trim().lines().next()).map(str::trim))
        .unwrap_or("");
    if text.len() <= MAX_SUMMARY {
        return text.to_owned();
    }
    let mut end = MAX_SUMMARY;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn informational_rustsec_record() {
        let json = br#"{"id":"RUSTSEC-2016-0004","modified":"2020-10-02T01:29:11Z",
          "summary":"libusb is unmaintained; use rusb instead","severity":[],
          "affected":[{"package":{"ecosystem":"crates.io","name":"libusb"},
            "database_specific":{"categories":[],"cvss":null,"informational":"unmaintained"},
            "ranges":[{"type":"SEMVER","events":[{"introduced":"0.0.0-0"},{"fixed":"0.3.1-0"}]}]}],
          "references":[{"type":"PACKAGE","url":"https://crates.io/crates/libusb"},
            {"type":"ADVISORY","url":"https://rustsec.org/advisories/RUSTSEC-2016-0004.html"}]}"#;
        let (adv, affected) = compile(json).unwrap();
        assert_eq!(adv.kind, AdvisoryKind::Unmaintained);
        assert!(adv.kind.is_informational());
        assert_eq!(
            adv.url.as_deref(),
            Some("https://rustsec.org/advisories/RUSTSEC-2016-0004.html")
        );
        assert_eq!(affected.len(), 1);
        assert_eq!(
            affected[0].ranges[0].events,
            vec![
                Event::Introduced("0.0.0-0".into()),
                Event::Fixed("0.3.1-0".into())
            ]
        );
        assert_eq!(adv.severity, None);
    }

    #[test]
    fn severity_prefers_the_newest_vector_then_the_database_rating() {
        let json = br#"{"id":"X-1","severity":[
            {"type":"CVSS_V2","score":"AV:N/AC:L/Au:N/C:N/I:N/A:C"},
            {"type":"CVSS_V3","score":"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
            "affected":[]}"#;
        let (adv, _) = compile(json).unwrap();
        let sev = adv.severity.unwrap();
        assert_eq!(sev.source, SeveritySource::CvssV3);
        assert_eq!(sev.score, Some(9.8));
        assert_eq!(sev.rating, Rating::Critical);

        let json = br#"{"id":"GHSA-x","database_specific":{"severity":"MODERATE"}}"#;
        let (adv, _) = compile(json).unwrap();
        let sev = adv.severity.unwrap();
        assert_eq!(
            (sev.rating, sev.source),
            (Rating::Medium, SeveritySource::Database)
        );
    }

    #[test]
    fn broken_records_are_errors_and_odd_parts_are_dropped() {
        assert!(compile(b"{").is_err());
        assert!(compile(br#"{"id":""}"#).is_err());
        assert!(compile(br#"{"summary":"no id"}"#).is_err());
        let json = br#"{"id":"X-2","affected":[{"package":{"ecosystem":"PyPI"}},
            {"package":{"ecosystem":"PyPI","name":"a"},
             "ranges":[{"type":"WEIRD","events":[]},{"type":"ECOSYSTEM","events":[{}]}]}]}"#;
        let (_, affected) = compile(json).unwrap();
        assert_eq!(affected.len(), 1);
        assert_eq!(affected[0].ranges.len(), 1);
        assert!(affected[0].ranges[0].events.is_empty());
    }

    #[test]
    fn long_summaries_are_cut_on_a_char_boundary() {
        let long = "é".repeat(400);
        let s = summary_of(None, Some(&format!("{long}\nsecond line")));
        assert!(s.ends_with('…'));
        assert!(s.len() <= MAX_SUMMARY + '…'.len_utf8());
    }
}
