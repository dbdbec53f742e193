//! The native advisory databases of the mirror (`advisories-native/`), read into the same
//! advisory model as OSV ([`crate::osv::Advisory`] and [`crate::osv::AffectedPackage`]):
//!
//! - [`nodejs`]: the Node.js Security WG's npm advisories (`vuln/npm/<n>.json`, npm ranges),
//!   ids `NSWG-ECO-<n>`;
//! - [`rubysec`]: RubySec's ruby-advisory-db (`gems/<gem>/<name>.yml`, patched and
//!   unaffected versions in RubyGems requirement syntax);
//! - [`friendsofphp`]: FriendsOfPHP's security-advisories (`<vendor>/<package>/<name>.yaml`,
//!   branches of Composer constraints).
//!
//! Each feed is one gzipped tar archive, read as hostile (`vigie_lifecycle::archive`: no
//! link, no path outside, bounded entries and total), and is one source of the manifest. The
//! ranges are kept in the feed's own syntax read into a `vers:` range
//! ([`vigie_versions::vers::from_native`]); the CVE and GHSA ids of a record are its aliases,
//! so that the matcher gives one finding when OSV knows the same vulnerability.

use std::path::Path;

use crate::compile::{MAX_PROBLEMS_LISTED, MAX_TAR_GZ, SourceReport, read_bounded};
use vigie_versions::vers::Comparator;

use crate::osv::{Advisory, AffectedPackage};

pub mod friendsofphp;
pub mod nodejs;
pub mod rubysec;

/// One record of a native feed, compiled.
pub type Record = (Advisory, Vec<AffectedPackage>);

/// A native feed: where it is in the mirror, which entries are records, how one is read.
pub struct Feed {
    /// Its path in the mirror.
    pub path: &'static str,
    /// Whether an entry (its path inside the archive, without the top folder) is a record.
    pub wants: fn(&str) -> bool,
    /// Reads one record.
    pub read: fn(&str, &[u8]) -> Result<Record, String>,
}

/// The native feeds vigie reads.
pub const FEEDS: [Feed; 3] = [
    Feed {
        path: "advisories-native/nodejs-security-wg-vuln.tar.gz",
        wants: nodejs::wants,
        read: nodejs::read,
    },
    Feed {
        path: "advisories-native/ruby-advisory-db.tar.gz",
        wants: rubysec::wants,
        read: rubysec::read,
    },
    Feed {
        path: "advisories-native/friendsofphp-security-advisories.tar.gz",
        wants: friendsofphp::wants,
        read: friendsofphp::read,
    },
];

/// Largest advisory file read (the largest real ones are under 20 kB).
const MAX_ENTRY: u64 = 1 << 20;

/// `path` without its first component (the archive's top folder), `None` for the folder.
fn inner(path: &str) -> Option<&str> {
    path.split_once('/')
        .map(|(_, rest)| rest)
        .filter(|r| !r.is_empty())
}

/// Reads every native feed present in the mirror: one report and its records each, in
/// [`FEEDS`] order. An absent feed gives nothing; one that cannot be read gives its error.
pub fn read_all(mirror: &Path) -> Vec<(SourceReport, Vec<Record>)> {
    FEEDS
        .iter()
        .filter_map(|feed| {
            let bytes = read_bounded(&mirror.join(feed.path), MAX_TAR_GZ)?;
            Some(read_feed(feed, bytes))
        })
        .collect()
}

/// Reads one feed's archive (or the error reading it gave).
pub fn read_feed(feed: &Feed, bytes: Result<Vec<u8>, String>) -> (SourceReport, Vec<Record>) {
    let mut report = SourceReport {
        path: feed.path.to_owned(),
        ..SourceReport::default()
    };
    let mut records = Vec::new();
    let gz = match bytes {
        Ok(b) => b,
        Err(e) => {
            report.error = Some(e);
            return (report, records);
        }
    };
    let limits = vigie_lifecycle::Limits {
        max_entry: MAX_ENTRY,
        ..vigie_lifecycle::Limits::default()
    };
    let wanted = |path: &str| inner(path).is_some_and(feed.wants);
    let result = vigie_lifecycle::archive::for_each_file(&gz, &limits, wanted, |path, bytes| {
        let name = inner(path).unwrap_or(path);
        report.records += 1;
        match (feed.read)(name, bytes) {
            Ok(r) => records.push(r),
            Err(e) => {
                report.invalid += 1;
                if report.problems.len() < MAX_PROBLEMS_LISTED {
                    report.problems.push(format!("{name}: {e}"));
                }
            }
        }
    });
    match result {
        Ok(refused) => {
            report.refused = refused.len();
            for r in refused {
                if report.problems.len() < MAX_PROBLEMS_LISTED {
                    report.problems.push(format!("{}: {}", r.file, r.reason));
                }
            }
        }
        Err(e) => {
            report.error = Some(e.to_string());
            records.clear();
        }
    }
    (report, records)
}

/// A `vers:` range read from a native range of `scheme` (`npm`, `gem`, `composer`), as text.
fn vers_of(scheme: &str, native: &str) -> Result<String, String> {
    vigie_versions::vers::from_native(scheme, native)
        .map(|v| v.to_string())
        .map_err(|e| format!("range {native:?}: {e}"))
}

/// The versions of a native range's constraints that `which` keeps.
fn bounds(scheme: &str, native: &str, which: fn(Comparator) -> bool) -> Vec<String> {
    let Ok(range) = vigie_versions::vers::from_native(scheme, native) else {
        return Vec::new();
    };
    range
        .constraints()
        .unwrap_or_default()
        .iter()
        .filter(|c| which(c.comparator))
        .map(|c| c.version.clone())
        .collect()
}

/// The lower bounds (`>=`, `>`) of a native range: the versions a patched range starts at.
fn lower_bounds(scheme: &str, native: &str) -> Vec<String> {
    bounds(scheme, native, |c| {
        matches!(c, Comparator::Ge | Comparator::Gt)
    })
}

/// The upper bounds (`<`) of a native range: the versions that end an affected range.
fn upper_bounds(scheme: &str, native: &str) -> Vec<String> {
    bounds(scheme, native, |c| c == Comparator::Lt)
}

/// A YAML record of a feed, with a small depth budget (the records are flat).
fn parse_yaml<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| "not UTF-8".to_owned())?;
    let options = serde_saphyr::options! {
        budget: serde_saphyr::budget! { max_depth: 16 },
    };
    serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        e.to_string()
            .lines()
            .next()
            .unwrap_or("invalid YAML")
            .to_owned()
    })
}

/// The file name of an entry without its extension (`gems/rack/CVE-2020-8161.yml` →
/// `CVE-2020-8161`).
fn stem<'a>(name: &'a str, extension: &str) -> &'a str {
    name.rsplit('/')
        .next()
        .and_then(|f| f.strip_suffix(extension))
        .unwrap_or(name)
}

/// What every native record is made of: the fields OSV gives that a feed may not have are
/// left empty.
struct Native {
    id: String,
    aliases: Vec<String>,
    summary: String,
    published: Option<String>,
    modified: Option<String>,
    severity: Option<vigie_findings::Severity>,
    url: Option<String>,
    ecosystem: &'static str,
    package: String,
    vers: Option<String>,
    unaffected_vers: Option<String>,
    fixed: Vec<String>,
}

impl Native {
    fn record(self) -> Record {
        let advisory = Advisory {
            id: self.id,
            aliases: self.aliases,
            related: Vec::new(),
            summary: self.summary,
            kind: vigie_findings::AdvisoryKind::Vulnerability,
            published: self.published,
            modified: self.modified,
            withdrawn: None,
            severity: self.severity,
            known_exploited: None,
            url: self.url,
        };
        let affected = AffectedPackage {
            ecosystem: self.ecosystem.to_owned(),
            name: self.package,
            ranges: Vec::new(),
            versions: Vec::new(),
            severity: None,
            vers: self.vers,
            unaffected_vers: self.unaffected_vers,
            fixed: self.fixed,
        };
        (advisory, vec![affected])
    }
}

/// A CVE id as the feeds write it (`2008-7248`, `CVE-2008-7248`), with its prefix.
fn cve_id(text: &str) -> Option<String> {
    let t = text.trim();
    let bare = t.strip_prefix("CVE-").unwrap_or(t);
    let (year, number) = bare.split_once('-')?;
    (year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && number.len() >= 4
        && number.bytes().all(|b| b.is_ascii_digit()))
    .then(|| format!("CVE-{bare}"))
}

/// A GHSA id as RubySec writes it (`8fqx-7pv4-3jwm`), with its prefix.
fn ghsa_id(text: &str) -> Option<String> {
    let t = text.trim();
    let bare = t.strip_prefix("GHSA-").unwrap_or(t);
    let parts: Vec<&str> = bare.split('-').collect();
    (parts.len() == 3
        && parts
            .iter()
            .all(|p| p.len() == 4 && p.bytes().all(|b| b.is_ascii_alphanumeric())))
    .then(|| format!("GHSA-{}", bare.to_ascii_lowercase()))
}

/// A text of a feed, on one line and bounded (titles go to terminals and pages).
fn one_line(text: &str) -> String {
    crate::osv::summary_of(Some(text.trim()), None)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_as_the_feeds_write_them() {
        assert_eq!(cve_id("2008-7248").as_deref(), Some("CVE-2008-7248"));
        assert_eq!(cve_id("CVE-2021-44228").as_deref(), Some("CVE-2021-44228"));
        assert_eq!(cve_id("~"), None);
        assert_eq!(cve_id("2008-72"), None);
        assert_eq!(
            ghsa_id("8fqx-7pv4-3jwm").as_deref(),
            Some("GHSA-8fqx-7pv4-3jwm")
        );
        assert_eq!(ghsa_id("8fqx-7pv4"), None);
    }

    #[test]
    fn bounds_of_native_ranges() {
        assert_eq!(lower_bounds("gem", "~> 2.1.3"), ["2.1.3"]);
        assert_eq!(lower_bounds("npm", ">=4.17.19"), ["4.17.19"]);
        assert_eq!(upper_bounds("composer", ">=6,<6.2.1"), ["6.2.1"]);
    }
}
