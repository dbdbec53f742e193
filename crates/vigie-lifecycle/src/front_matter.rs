//! Reading one endoflife.date product file (`products/<name>.md`): the YAML
//! front matter between the first two `---` lines, with serde-saphyr (its
//! default budgets stop alias bombs and deep nesting).
//!
//! Every scalar is read as the text written (`3.10` stays `3.10`, never the
//! number 3.1) and interpreted here: the date fields accept `YYYY-MM-DD`,
//! `true` or `false`. A file whose front matter is missing, is not YAML, or
//! lacks `title` or `releases` is refused as a whole; a cycle with a field
//! that cannot be read is skipped and reported, the rest of the file is kept.

use serde::Deserialize;

use crate::Skipped;
use crate::product::{Cycle, DateOrBool, Identifiers, Product, parse_date};

/// Longest text kept for a name-like field; longer ones are refused.
const MAX_NAME: usize = 200;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawProduct {
    title: String,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    tags: Option<String>,
    #[serde(default, rename = "alternate_urls")]
    alternate_urls: Option<Vec<String>>,
    #[serde(default)]
    release_label: Option<String>,
    #[serde(default)]
    identifiers: Option<Vec<RawIdentifier>>,
    releases: Vec<RawCycle>,
}

#[derive(Deserialize)]
struct RawIdentifier {
    #[serde(default)]
    purl: Option<String>,
    #[serde(default)]
    cpe: Option<String>,
    #[serde(default)]
    repology: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawCycle {
    release_cycle: String,
    #[serde(default)]
    codename: Option<String>,
    #[serde(default)]
    release_label: Option<String>,
    #[serde(default)]
    release_date: Option<String>,
    #[serde(default)]
    eol: Option<String>,
    #[serde(default)]
    eoas: Option<String>,
    #[serde(default)]
    eoes: Option<String>,
    #[serde(default)]
    lts: Option<String>,
    #[serde(default)]
    discontinued: Option<String>,
    #[serde(default)]
    latest: Option<String>,
    #[serde(default)]
    latest_release_date: Option<String>,
}

/// The YAML between the opening `---` line and the next `---` (or `...`).
fn front_matter(text: &str) -> Option<&str> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != "---" {
        return None;
    }
    let start = first.len();
    let mut end = start;
    for line in lines {
        let l = line.trim_end();
        if l == "---" || l == "..." {
            return text.get(start..end);
        }
        end += line.len();
    }
    None
}

/// Parses the product file `name` (`python` for `products/python.md`).
/// Returns the product and the cycles skipped, or why the file is refused.
pub fn parse_product(name: &str, bytes: &[u8]) -> Result<(Product, Vec<Skipped>), String> {
    let file = format!("products/{name}.md");
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8: {e}"))?;
    let yaml = front_matter(text).ok_or("no YAML front matter between `---` lines")?;
    let raw: RawProduct = serde_saphyr::from_str(yaml).map_err(|e| {
        let msg = e.to_string();
        format!(
            "front matter is not valid: {}",
            msg.lines().next().unwrap_or("")
        )
    })?;
    if raw.title.trim().is_empty() || raw.title.len() > MAX_NAME {
        return Err("`title` is empty or too long".into());
    }
    let mut identifiers = Identifiers::default();
    for id in raw.identifiers.unwrap_or_default() {
        let keep = |v: Option<String>, into: &mut Vec<String>| {
            if let Some(v) = v.map(|v| v.trim().to_owned())
                && !v.is_empty()
                && v.len() <= MAX_NAME
            {
                into.push(v);
            }
        };
        keep(id.purl, &mut identifiers.purl);
        keep(id.cpe, &mut identifiers.cpe);
        keep(id.repology, &mut identifiers.repology);
    }
    let mut skipped = Vec::new();
    let mut cycles = Vec::with_capacity(raw.releases.len());
    for rc in raw.releases {
        let cycle_name = rc.release_cycle.trim().to_owned();
        match cycle(rc) {
            Ok(c) => {
                if cycles.iter().any(|k: &Cycle| k.name == c.name) {
                    skipped.push(Skipped::cycle(&file, &c.name, "listed twice"));
                } else {
                    cycles.push(c);
                }
            }
            Err(reason) => skipped.push(Skipped::cycle(&file, &cycle_name, reason)),
        }
    }
    let product = Product {
        name: name.to_owned(),
        title: raw.title.trim().to_owned(),
        category: raw.category.unwrap_or_default().trim().to_owned(),
        tags: raw
            .tags
            .unwrap_or_default()
            .split_whitespace()
            .map(str::to_owned)
            .collect(),
        aliases: raw
            .alternate_urls
            .unwrap_or_default()
            .iter()
            .map(|u| u.trim().trim_start_matches('/').to_owned())
            .filter(|u| !u.is_empty() && u.len() <= MAX_NAME)
            .collect(),
        release_label: raw.release_label,
        identifiers,
        cycles,
        versions: Vec::new(),
    };
    Ok((product, skipped))
}

fn cycle(rc: RawCycle) -> Result<Cycle, String> {
    let name = rc.release_cycle.trim().to_owned();
    if name.is_empty() || name.len() > MAX_NAME || name.chars().any(char::is_control) {
        return Err("`releaseCycle` is empty, too long or holds control characters".into());
    }
    let support = |field: &str, v: Option<String>| -> Result<Option<DateOrBool>, String> {
        match v {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => DateOrBool::parse(&s)
                .map(Some)
                .ok_or_else(|| format!("`{field}` is neither a date nor a boolean: {s:?}")),
        }
    };
    let date = |field: &str, v: Option<String>| -> Result<Option<jiff::civil::Date>, String> {
        match v {
            None => Ok(None),
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) => parse_date(&s)
                .map(Some)
                .ok_or_else(|| format!("`{field}` is not a date: {s:?}")),
        }
    };
    let text = |v: Option<String>| v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty());
    Ok(Cycle {
        codename: text(rc.codename),
        label: text(rc.release_label),
        release_date: date("releaseDate", rc.release_date)?,
        eol: support("eol", rc.eol)?,
        eoas: support("eoas", rc.eoas)?,
        eoes: support("eoes", rc.eoes)?,
        lts: support("lts", rc.lts)?,
        discontinued: support("discontinued", rc.discontinued)?,
        latest: text(rc.latest),
        latest_release_date: date("latestReleaseDate", rc.latest_release_date)?,
        name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PYTHON: &str = "---\ntitle: Python\ncategory: lang\ntags: lang scripting\n\
        alternate_urls:\n  - /py\nidentifiers:\n  - purl: pkg:pypi/x\n  - cpe: cpe:/a:python:python\n\
        # a comment\nauto:\n  methods:\n    - git: https://x\n\
        releases:\n  - releaseCycle: \"3.10\"\n    releaseDate: 2021-10-04\n    eoas: true\n\
        \x20   eol: 2026-10-31 # comment\n    latest: \"3.10.21\"\n    link: null\n\
        \x20 - releaseCycle: 2.7\n    releaseDate: 2010-07-03\n    eol: sometime\n---\n\n> text\n";

    #[test]
    fn reads_text_as_written_and_skips_bad_cycles() {
        let (p, skipped) = parse_product("python", PYTHON.as_bytes()).unwrap();
        assert_eq!(p.title, "Python");
        assert_eq!(p.tags, ["lang", "scripting"]);
        assert_eq!(p.aliases, ["py"]);
        assert_eq!(p.identifiers.purl, ["pkg:pypi/x"]);
        assert_eq!(p.cycles.len(), 1);
        let c = &p.cycles[0];
        assert_eq!(c.name, "3.10");
        assert_eq!(c.eoas, Some(DateOrBool::Bool(true)));
        assert_eq!(c.eol, DateOrBool::parse("2026-10-31"));
        assert_eq!(c.latest.as_deref(), Some("3.10.21"));
        assert_eq!(skipped.len(), 1);
        assert!(skipped[0].reason.contains("eol"), "{skipped:?}");
    }

    #[test]
    fn refuses_files_without_front_matter() {
        assert!(parse_product("x", b"title: x\n").is_err());
        assert!(parse_product("x", b"---\ntitle: x\n").is_err());
        assert!(parse_product("x", b"---\ntitle: x\n---\n").is_err()); // no releases
        assert!(parse_product("x", b"---\ntitle: [x\n---\n").is_err());
        assert!(parse_product("x", b"\xff---\n").is_err());
    }
}
