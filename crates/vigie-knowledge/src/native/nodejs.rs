//! The Node.js Security WG's npm advisories (`vuln/npm/<n>.json` of nodejs/security-wg):
//! `module_name`, `vulnerable_versions` and `patched_versions` in npm's range syntax, `cves`,
//! `cvss_vector`. Each is advisory `NSWG-ECO-<n>` (the id GitHub and npm give them), its CVEs
//! as aliases. The database is frozen (its last npm entry dates from 2020); `vuln/core/`
//! (Node.js itself) has no component to match and is not read.

use serde::Deserialize;

use super::{Native, Record, lower_bounds, one_line, vers_of};

#[derive(Deserialize)]
struct Raw {
    id: u64,
    #[serde(default)]
    title: Option<String>,
    module_name: String,
    #[serde(default)]
    cves: Vec<String>,
    vulnerable_versions: Option<String>,
    #[serde(default)]
    patched_versions: Option<String>,
    #[serde(default)]
    overview: Option<String>,
    #[serde(default)]
    created_at: Option<String>,
    #[serde(default)]
    updated_at: Option<String>,
    #[serde(default)]
    publish_date: Option<String>,
    #[serde(default)]
    cvss_vector: Option<String>,
}

/// `vuln/npm/<n>.json` (not the `index.json` beside them).
pub fn wants(path: &str) -> bool {
    path.strip_prefix("vuln/npm/")
        .and_then(|f| f.strip_suffix(".json"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Reads one record.
pub fn read(_name: &str, bytes: &[u8]) -> Result<Record, String> {
    let raw: Raw = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let name = raw.module_name.trim();
    if name.is_empty() {
        return Err("empty module_name".to_owned());
    }
    let Some(vulnerable) = raw
        .vulnerable_versions
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    else {
        return Err("no vulnerable_versions".to_owned());
    };
    let vers = vers_of("npm", vulnerable)?;
    let fixed = raw
        .patched_versions
        .as_deref()
        .map(|p| lower_bounds("npm", p))
        .unwrap_or_default();
    let mut aliases: Vec<String> = raw.cves.iter().filter_map(|c| super::cve_id(c)).collect();
    aliases.sort();
    aliases.dedup();
    let severity = raw.cvss_vector.as_deref().and_then(|v| {
        crate::cvss::parse(v)
            .ok()
            .map(|s| crate::osv::scored(v, &s))
    });
    let summary = raw
        .title
        .as_deref()
        .or(raw.overview.as_deref())
        .map(one_line)
        .unwrap_or_default();
    Ok(Native {
        id: format!("NSWG-ECO-{}", raw.id),
        aliases,
        summary,
        published: raw.publish_date.or(raw.created_at),
        modified: raw.updated_at,
        severity,
        url: Some(format!(
            "https://github.com/nodejs/security-wg/blob/main/vuln/npm/{}.json",
            raw.id
        )),
        ecosystem: "npm",
        package: name.to_owned(),
        vers: Some(vers),
        unaffected_vers: None,
        fixed,
    }
    .record())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_of_the_feed() {
        let text = br#"{"id": 1, "title": "Arbitrary JavaScript Execution",
            "module_name": "bassmaster", "cves": ["CVE-2014-7205"],
            "vulnerable_versions": "<=1.5.1", "patched_versions": ">=1.5.2",
            "updated_at": "2016-04-28", "publish_date": "2014-09-27",
            "cvss_vector": "CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N"}"#;
        let (a, affected) = read("vuln/npm/1.json", text).unwrap();
        assert_eq!(a.id, "NSWG-ECO-1");
        assert_eq!(a.aliases, ["CVE-2014-7205"]);
        assert_eq!(a.severity.unwrap().score, Some(6.5));
        assert_eq!(affected[0].vers.as_deref(), Some("vers:npm/<=1.5.1"));
        assert_eq!(affected[0].fixed, ["1.5.2"]);
        assert!(wants("vuln/npm/12.json"));
        assert!(!wants("vuln/npm/index.json"));
        assert!(!wants("vuln/core/1.json"));
    }
}
