//! Reading one release-data file (`releases/<product>.json` of
//! endoflife-date/release-data): every version of the product with its
//! release date, for "how far behind" answers.
//!
//! The file is `{"releases": {...}, "versions": {"3.12.1": {"name":
//! "3.12.1", "date": "2023-12-07"}, ...}}`; only `versions` is read (the
//! cycles come from the product files). A version without a readable date is
//! left out; a file that is not of this shape is refused.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Deserialize;

use crate::product::parse_date;

/// Longest version string kept.
const MAX_VERSION: usize = 200;

#[derive(Deserialize)]
struct RawFile {
    versions: BTreeMap<String, RawVersion>,
}

#[derive(Deserialize)]
struct RawVersion {
    #[serde(default)]
    date: Option<String>,
}

/// The versions of one file, sorted by date then name, and how many were
/// left out for want of a date.
pub fn parse_versions(bytes: &[u8]) -> Result<(Vec<(String, Date)>, usize), String> {
    let raw: RawFile =
        serde_json::from_slice(bytes).map_err(|e| format!("not a release-data file: {e}"))?;
    let mut dropped = 0;
    let mut out: Vec<(String, Date)> = Vec::with_capacity(raw.versions.len());
    for (name, v) in raw.versions {
        match v.date.as_deref().and_then(parse_date) {
            Some(d) if !name.is_empty() && name.len() <= MAX_VERSION => out.push((name, d)),
            _ => dropped += 1,
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    Ok((out, dropped))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions_by_date() {
        let json = br#"{"releases": {"3.9": {"name": "3.9"}},
            "versions": {"3.9.1": {"name": "3.9.1", "date": "2020-12-07"},
                         "3.9.0": {"name": "3.9.0", "date": "2020-10-05"},
                         "3.9.x": {"name": "3.9.x"}}}"#;
        let (v, dropped) = parse_versions(json).unwrap();
        assert_eq!(dropped, 1);
        assert_eq!(v.len(), 2);
        assert_eq!(v[0].0, "3.9.0");
        assert!(parse_versions(b"[]").is_err());
        assert!(parse_versions(b"{\"versions\": 3}").is_err());
    }
}
