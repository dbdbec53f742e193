//! FriendsOfPHP's security-advisories (`<vendor>/<package>/<name>.yaml`, the database of the
//! PHP security checker and `composer audit`'s predecessor): `reference:
//! composer://vendor/package`, `cve`, and `branches`, each with `versions`, a list of
//! Composer constraints that hold together (`['>=6', '<6.2.1']`); the branches are
//! alternatives. The advisory's id is `FOP-<vendor>-<package>-<name>` (the database has no
//! ids of its own), its CVE an alias.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{Native, Record, cve_id, one_line, parse_yaml, stem, upper_bounds, vers_of};

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    link: Option<String>,
    #[serde(default)]
    cve: Option<String>,
    #[serde(default)]
    branches: BTreeMap<String, Branch>,
    reference: String,
}

#[derive(Deserialize)]
struct Branch {
    #[serde(default)]
    versions: Vec<String>,
}

/// `<vendor>/<package>/<name>.yaml`.
pub fn wants(path: &str) -> bool {
    let mut parts = path.split('/');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some(v), Some(p), Some(f), None)
            if !v.is_empty() && !p.is_empty() && !v.starts_with('.') && f.ends_with(".yaml")
    )
}

/// Reads one record.
pub fn read(name: &str, bytes: &[u8]) -> Result<Record, String> {
    let raw: Raw = parse_yaml(bytes)?;
    let package = raw
        .reference
        .trim()
        .strip_prefix("composer://")
        .filter(|p| p.split('/').count() == 2 && !p.contains(char::is_whitespace))
        .ok_or_else(|| {
            format!(
                "reference {:?} is not composer://vendor/package",
                raw.reference
            )
        })?
        .to_ascii_lowercase();
    let alternatives: Vec<String> = raw
        .branches
        .values()
        .map(|b| {
            b.versions
                .iter()
                .map(|v| v.trim())
                .filter(|v| !v.is_empty())
                .collect::<Vec<_>>()
                .join(",")
        })
        .filter(|alt| !alt.is_empty())
        .collect();
    if alternatives.is_empty() {
        return Err("no branch with versions".to_owned());
    }
    let native = alternatives.join(" || ");
    let vers = vers_of("composer", &native)?;
    let mut fixed: Vec<String> = alternatives
        .iter()
        .flat_map(|a| upper_bounds("composer", a))
        .collect();
    fixed.sort();
    fixed.dedup();
    let stem = stem(name, ".yaml");
    Ok(Native {
        id: format!("FOP-{}-{stem}", package.replace('/', "-")),
        aliases: raw.cve.as_deref().and_then(cve_id).into_iter().collect(),
        summary: raw.title.as_deref().map(one_line).unwrap_or_default(),
        published: None,
        modified: None,
        severity: None,
        url: raw.link,
        ecosystem: "Packagist",
        package,
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
        let text = "title:     HTTP Proxy header vulnerability\n\
            link:      https://github.com/guzzle/guzzle/releases/tag/6.2.1\n\
            cve:       CVE-2016-5385\nbranches:\n    master:\n        time:     2016-07-18 14:09:08\n\
            \x20       versions: ['>=6', '<6.2.1']\n    4.x:\n        time:     2016-07-15 17:44:18\n\
            \x20       versions: ['>=4.0.0-rc2', '<4.2.4']\nreference: composer://guzzlehttp/guzzle\n";
        let (a, affected) = read("guzzlehttp/guzzle/CVE-2016-5385.yaml", text.as_bytes()).unwrap();
        assert_eq!(a.id, "FOP-guzzlehttp-guzzle-CVE-2016-5385");
        assert_eq!(a.aliases, ["CVE-2016-5385"]);
        let p = &affected[0];
        assert_eq!(p.name, "guzzlehttp/guzzle");
        assert_eq!(p.fixed, ["4.2.4", "6.2.1"]);
        let vers = vigie_versions::vers::parse(p.vers.as_deref().unwrap()).unwrap();
        for (v, affected) in [
            ("3.9.0", false),
            ("4.0.0", true),
            ("4.2.4", false),
            ("5.3.0", false),
            ("6.0.0", true),
            ("6.2.0", true),
            ("6.2.1", false),
        ] {
            assert_eq!(vers.contains(v).unwrap(), affected, "{v}");
        }
        assert!(wants("guzzlehttp/guzzle/CVE-2016-5385.yaml"));
        assert!(!wants("README.md"));
        assert!(!wants(".github/workflows/x.yaml"));
    }
}
