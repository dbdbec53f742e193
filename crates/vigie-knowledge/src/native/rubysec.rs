//! RubySec's ruby-advisory-db (`gems/<gem>/<name>.yml`, the format bundler-audit reads):
//! `gem`, `cve` and `ghsa` without their prefixes, `patched_versions` and
//! `unaffected_versions` as lists of RubyGems requirements (`~> 5.2.4, >= 5.2.4.3` in one
//! item is one requirement; the items are alternatives). A version is affected when no item
//! of either list is satisfied, as bundler-audit decides. The advisory's id is the file's
//! name (`CVE-2020-8164`, `GHSA-…`, `OSVDB-…`), its CVE and GHSA ids its aliases.
//! `rubies/` (the Ruby interpreters) has no component to match and is not read.

use serde::Deserialize;
use vigie_findings::{Severity, SeveritySource};

use super::{Native, Record, cve_id, ghsa_id, lower_bounds, one_line, parse_yaml, stem, vers_of};
use crate::cvss::{CvssVersion, rating_for};

#[derive(Deserialize)]
struct Raw {
    gem: String,
    #[serde(default)]
    cve: Option<String>,
    #[serde(default)]
    ghsa: Option<String>,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    cvss_v2: Option<f32>,
    #[serde(default)]
    cvss_v3: Option<f32>,
    #[serde(default)]
    cvss_v4: Option<f32>,
    #[serde(default)]
    patched_versions: Vec<String>,
    #[serde(default)]
    unaffected_versions: Vec<String>,
}

/// `gems/<gem>/<name>.yml`.
pub fn wants(path: &str) -> bool {
    let mut parts = path.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("gems"), Some(g), Some(f), None) if !g.is_empty() && f.ends_with(".yml")
    )
}

/// Reads one record.
pub fn read(name: &str, bytes: &[u8]) -> Result<Record, String> {
    let raw: Raw = parse_yaml(bytes)?;
    let gem = raw.gem.trim();
    if gem.is_empty() {
        return Err("empty gem".to_owned());
    }
    let stem = stem(name, ".yml");
    // Every requirement not affected, as one `vers:` range (the items are alternatives).
    let not_affected: Vec<&str> = raw
        .patched_versions
        .iter()
        .chain(&raw.unaffected_versions)
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .collect();
    let unaffected_vers = if not_affected.is_empty() {
        // No patched version and nothing unaffected: every version is affected.
        None
    } else {
        Some(vers_of("gem", &not_affected.join(" || "))?)
    };
    let fixed: Vec<String> = raw
        .patched_versions
        .iter()
        .flat_map(|p| lower_bounds("gem", p))
        .collect();
    let mut aliases: Vec<String> = [
        raw.cve.as_deref().and_then(cve_id),
        raw.ghsa.as_deref().and_then(ghsa_id),
    ]
    .into_iter()
    .flatten()
    .filter(|a| !a.eq_ignore_ascii_case(stem))
    .collect();
    aliases.sort();
    let severity = [
        (raw.cvss_v4, CvssVersion::V4_0),
        (raw.cvss_v3, CvssVersion::V3_1),
        (raw.cvss_v2, CvssVersion::V2),
    ]
    .into_iter()
    .find_map(|(score, version)| {
        let score = score.filter(|s| (0.0..=10.0).contains(s))?;
        Some(Severity {
            rating: rating_for(version, score),
            score: Some(score),
            vector: None,
            source: SeveritySource::Database,
        })
    });
    Ok(Native {
        id: stem.to_owned(),
        aliases,
        summary: raw.title.as_deref().map(one_line).unwrap_or_default(),
        published: raw.date.clone(),
        modified: raw.date,
        severity,
        url: raw.url,
        ecosystem: "RubyGems",
        package: gem.to_owned(),
        // Without an unaffected range, every version: the `vers:` range of all.
        vers: unaffected_vers.is_none().then(|| "vers:gem/*".to_owned()),
        unaffected_vers,
        fixed,
    }
    .record())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_of_the_feed() {
        let text = "---\ngem: actionpack\nframework: rails\ncve: 2008-7248\n\
            ghsa: 8fqx-7pv4-3jwm\nurl: https://example.org/x\ntitle: Improper Input Validation\n\
            date: 2017-10-24\ncvss_v2: 6.8\nunaffected_versions:\n  - \"< 2.1.0\"\n\
            patched_versions:\n  - \"~> 2.1.3\"\n  - \">= 2.2.2\"\n";
        let (a, affected) = read("gems/actionpack/CVE-2008-7248.yml", text.as_bytes()).unwrap();
        assert_eq!(a.id, "CVE-2008-7248");
        assert_eq!(a.aliases, ["GHSA-8fqx-7pv4-3jwm"]);
        assert_eq!(a.severity.unwrap().score, Some(6.8));
        let p = &affected[0];
        assert_eq!(p.name, "actionpack");
        assert_eq!(p.fixed, ["2.1.3", "2.2.2"]);
        let unaffected =
            vigie_versions::vers::parse(p.unaffected_vers.as_deref().unwrap()).unwrap();
        // 2.0 is before the flaw, 2.1.3 and later 2.1.x patched, 2.2.2 and later patched.
        for (v, not_affected) in [
            ("2.0.9", true),
            ("2.1.0", false),
            ("2.1.2", false),
            ("2.1.3", true),
            ("2.1.9", true),
            ("2.2.0", false),
            ("2.2.2", true),
            ("3.0.0", true),
        ] {
            assert_eq!(unaffected.contains(v).unwrap(), not_affected, "{v}");
        }
        assert!(wants("gems/actionpack/CVE-2008-7248.yml"));
        assert!(!wants("rubies/ruby/CVE-2005-1992.yml"));
        assert!(!wants("gems/README.md"));
    }
}
