//! CISA's Known Exploited Vulnerabilities catalogue
//! (`kev/known_exploited_vulnerabilities*.json` in the mirror).
//!
//! An advisory is flagged as known exploited when its id or one of its
//! aliases is a CVE of the catalogue.

use std::collections::HashMap;

use serde::Deserialize;

use crate::osv::{Advisory, KnownExploited};

/// The catalogue, by CVE id (upper case).
#[derive(Debug, Default, Clone)]
pub struct Kev {
    entries: HashMap<String, KnownExploited>,
    /// `catalogVersion` of the feed.
    pub version: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum KevError {
    #[error("not a KEV catalogue: {0}")]
    Json(#[from] serde_json::Error),
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCatalogue {
    #[serde(default)]
    catalog_version: Option<String>,
    vulnerabilities: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    #[serde(rename = "cveID")]
    cve_id: String,
    date_added: String,
    #[serde(default)]
    due_date: Option<String>,
    #[serde(default)]
    known_ransomware_campaign_use: Option<String>,
}

impl Kev {
    /// Reads the JSON feed. Entries whose id is not a CVE are kept as written.
    pub fn parse(bytes: &[u8]) -> Result<Kev, KevError> {
        let raw: RawCatalogue = serde_json::from_slice(bytes)?;
        let mut kev = Kev {
            entries: HashMap::with_capacity(raw.vulnerabilities.len()),
            version: raw.catalog_version,
        };
        kev.merge(raw.vulnerabilities);
        Ok(kev)
    }

    /// Adds the entries of another copy of the feed (an older mirror file);
    /// the first date seen for a CVE is kept.
    pub fn extend(&mut self, other: Kev) {
        for (cve, entry) in other.entries {
            self.entries.entry(cve).or_insert(entry);
        }
        if self.version.is_none() {
            self.version = other.version;
        }
    }

    fn merge(&mut self, entries: Vec<RawEntry>) {
        for e in entries {
            let cve = e.cve_id.trim().to_ascii_uppercase();
            let entry = KnownExploited {
                cve: cve.clone(),
                date_added: e.date_added,
                due_date: e.due_date,
                ransomware: e
                    .known_ransomware_campaign_use
                    .is_some_and(|k| k.eq_ignore_ascii_case("known")),
            };
            self.entries.entry(cve).or_insert(entry);
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The catalogue entry of a CVE id, if any.
    pub fn get(&self, cve: &str) -> Option<&KnownExploited> {
        self.entries.get(&cve.to_ascii_uppercase())
    }

    /// The entry through which an advisory is known exploited: its id, then
    /// its aliases, the earliest date added when several match.
    pub fn lookup(&self, advisory: &Advisory) -> Option<&KnownExploited> {
        std::iter::once(&advisory.id)
            .chain(&advisory.aliases)
            .filter_map(|id| self.get(id))
            .min_by(|a, b| a.date_added.cmp(&b.date_added))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::osv::AdvisoryKind;

    #[test]
    fn flags_through_an_alias() {
        let kev = Kev::parse(
            br#"{"catalogVersion":"2025.08.25","vulnerabilities":[
              {"cveID":"CVE-2021-44228","dateAdded":"2021-12-10","dueDate":"2021-12-24",
               "knownRansomwareCampaignUse":"Known"}]}"#,
        )
        .unwrap();
        let advisory = Advisory {
            id: "GHSA-jfh8-c2jp-5v3q".into(),
            aliases: vec!["cve-2021-44228".into()],
            related: vec![],
            summary: String::new(),
            kind: AdvisoryKind::Vulnerability,
            published: None,
            modified: None,
            withdrawn: None,
            severity: None,
            known_exploited: None,
            url: None,
        };
        let hit = kev.lookup(&advisory).unwrap();
        assert_eq!(hit.date_added, "2021-12-10");
        assert!(hit.ransomware);
        assert!(Kev::parse(b"{\"vulnerabilities\":3}").is_err());
    }
}
