//! Every licence value of the real SBOMs and lockfiles of the reference data,
//! through the mapper: how many parse exactly, how many map through aliases
//! (and how sure), how many stay unknown. The values are extracted here,
//! independently of vigie's readers: `serde_json::Value` walks for JSON
//! (CycloneDX `licenses[].license.id|name`, `licenses[].expression`; SPDX
//! `licenseConcluded`/`licenseDeclared`; package-lock `packages.*.license`;
//! composer.lock `license[]`), line prefixes for SPDX tag-value, and a text
//! scan for CycloneDX XML.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use vigie_licence::{Confidence, Mapping};

#[derive(Default)]
struct Values {
    /// value → occurrences, per source kind.
    by_source: BTreeMap<&'static str, BTreeMap<String, usize>>,
}

impl Values {
    fn add(&mut self, source: &'static str, v: &str) {
        *self
            .by_source
            .entry(source)
            .or_default()
            .entry(v.to_owned())
            .or_default() += 1;
    }

    fn all(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for m in self.by_source.values() {
            for (k, n) in m {
                *out.entry(k.clone()).or_default() += n;
            }
        }
        out
    }

    fn occurrences(&self, source: &str) -> usize {
        self.by_source.get(source).map_or(0, |m| m.values().sum())
    }
}

fn walk_json(v: &Value, out: &mut Values) {
    match v {
        Value::Object(map) => {
            for (k, x) in map {
                match (k.as_str(), x) {
                    ("licenseConcluded" | "licenseDeclared", Value::String(s)) => {
                        out.add("spdx-json", s)
                    }
                    ("licenses", Value::Array(items)) => {
                        for it in items {
                            if let Some(l) = it.get("license") {
                                for key in ["id", "name"] {
                                    if let Some(s) = l.get(key).and_then(Value::as_str) {
                                        out.add(if key == "id" { "cdx-id" } else { "cdx-name" }, s);
                                    }
                                }
                            }
                            if let Some(s) = it.get("expression").and_then(Value::as_str) {
                                out.add("cdx-expression", s);
                            }
                        }
                    }
                    _ => {}
                }
                walk_json(x, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|x| walk_json(x, out)),
        _ => {}
    }
}

fn unescape_xml(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The first `<id>`/`<name>` child of each `<license>`, and each `<expression>`.
fn scan_xml(text: &str, out: &mut Values) {
    let mut rest = text;
    while let Some(i) = rest.find("<license") {
        rest = &rest[i + "<license".len()..];
        if !(rest.starts_with('>') || rest.starts_with(' ')) {
            continue;
        }
        let Some(close) = rest.find('>') else { break };
        let body = rest[close + 1..].trim_start();
        for (tag, source) in [("<id>", "cdx-id"), ("<name>", "cdx-name")] {
            if let Some(after) = body.strip_prefix(tag) {
                if let Some(cdata) = after.strip_prefix("<![CDATA[")
                    && let Some(end) = cdata.find("]]>")
                {
                    out.add(source, &cdata[..end]);
                } else if let Some(end) = after.find('<') {
                    out.add(source, &unescape_xml(&after[..end]));
                }
            }
        }
    }
    let mut rest = text;
    while let Some(i) = rest.find("<expression") {
        rest = &rest[i + "<expression".len()..];
        let Some(close) = rest.find('>') else { break };
        let after = &rest[close + 1..];
        if let Some(end) = after.find('<') {
            out.add("cdx-expression", &unescape_xml(&after[..end]));
        }
    }
}

fn collect(dir: &Path, sbom: bool, out: &mut Values) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, sbom, out);
            continue;
        }
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let Ok(bytes) = std::fs::read(&p) else {
            continue;
        };
        // Some tag-value SBOMs hold a few bytes that are not UTF-8.
        let text = String::from_utf8_lossy(&bytes);
        if !sbom {
            if name == "package-lock.json" {
                let v: Value = serde_json::from_str(&text).expect("valid package-lock");
                if let Some(pkgs) = v.get("packages").and_then(Value::as_object) {
                    for pkg in pkgs.values() {
                        if let Some(s) = pkg.get("license").and_then(Value::as_str) {
                            out.add("npm", s);
                        }
                    }
                }
            } else if name == "composer.lock" {
                let v: Value = serde_json::from_str(&text).expect("valid composer.lock");
                for sec in ["packages", "packages-dev"] {
                    for pkg in v.get(sec).and_then(Value::as_array).into_iter().flatten() {
                        for l in pkg
                            .get("license")
                            .and_then(Value::as_array)
                            .into_iter()
                            .flatten()
                        {
                            if let Some(s) = l.as_str() {
                                out.add("composer", s);
                            }
                        }
                    }
                }
            }
            continue;
        }
        if name.ends_with(".json") || name.ends_with(".sbom") {
            if let Ok(v) = serde_json::from_str::<Value>(&text) {
                walk_json(&v, out);
            }
        } else if name.ends_with(".spdx") {
            // Two of these files break lines with CR alone.
            for line in text.split(['\r', '\n']) {
                for tag in [
                    "PackageLicenseConcluded:",
                    "PackageLicenseDeclared:",
                    "LicenseConcluded:",
                ] {
                    if let Some(v) = line.strip_prefix(tag) {
                        out.add("spdx-tag-value", v.trim());
                    }
                }
            }
        } else if name.ends_with(".xml") && !name.to_ascii_lowercase().contains("spdx") {
            scan_xml(&text, out);
        }
    }
}

/// A check made without vigie's parser: every word (parentheses removed) is
/// an operator, a list identifier (with an optional `+`) or exception
/// identifier in any case, or a `LicenseRef-`.
fn independently_valid(v: &str, ids: &BTreeSet<String>, excs: &BTreeSet<String>) -> bool {
    let words: Vec<String> = v
        .replace(['(', ')'], " ")
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    !words.is_empty()
        && words.iter().all(|w| {
            let l = w.to_ascii_lowercase();
            matches!(w.as_str(), "AND" | "OR" | "WITH" | "and" | "or" | "with")
                || ids.contains(&l)
                || ids.contains(l.trim_end_matches('+'))
                || excs.contains(&l)
                || l.starts_with("licenseref-") && l.len() > 11
        })
}

#[test]
fn every_licence_value_of_the_real_data() {
    let (Some(kb), Some(dir)) = (common::kb(), common::data_dir()) else {
        return;
    };
    let mut values = Values::default();
    collect(&dir.join("sbom"), true, &mut values);
    collect(&dir.join("lockfiles"), false, &mut values);

    // Occurrence counts made independently with a Python script over the same
    // files (json.load walk, `^(Package)?LicenseConcluded|Declared:` lines,
    // and a regex on `<license>` first children / `<expression>`, CDATA
    // sections included: the laravel SBOMs wrap every id in one).
    assert_eq!(values.occurrences("spdx-tag-value"), 21742);
    assert_eq!(values.occurrences("spdx-json"), 12810);
    assert_eq!(values.occurrences("npm"), 1054);
    assert_eq!(values.occurrences("composer"), 151);
    assert_eq!(values.occurrences("cdx-name"), 208 + 206);
    assert_eq!(values.occurrences("cdx-id"), 10896 + 12854 + 4 * 62);
    assert_eq!(values.occurrences("cdx-expression"), 40 + 30);

    let (l, e) = common::spdx_files().expect("data present");
    let lj: Value = serde_json::from_str(&l).expect("json");
    let ej: Value = serde_json::from_str(&e).expect("json");
    let ids: BTreeSet<String> = lj["licenses"]
        .as_array()
        .expect("array")
        .iter()
        .map(|x| x["licenseId"].as_str().expect("id").to_ascii_lowercase())
        .collect();
    let excs: BTreeSet<String> = ej["exceptions"]
        .as_array()
        .expect("array")
        .iter()
        .map(|x| {
            x["licenseExceptionId"]
                .as_str()
                .expect("id")
                .to_ascii_lowercase()
        })
        .collect();

    let all = values.all();
    let mut by_conf: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut unknown = Vec::new();
    let mut mismatches = Vec::new();
    for (v, n) in &all {
        let m = kb.map(v);
        let key = match &m {
            Mapping::Spdx {
                confidence, rule, ..
            } => format!("{confidence} ({rule})"),
            Mapping::NoAssertion => "NOASSERTION".into(),
            Mapping::NoLicence => "NONE".into(),
            Mapping::Unlicensed => "UNLICENSED".into(),
            Mapping::SeeFile(_) => "SEE LICENSE IN".into(),
            Mapping::Unknown => {
                unknown.push((v.clone(), *n));
                "unknown".into()
            }
        };
        if let Mapping::Spdx {
            expression,
            confidence,
            rule,
            ..
        } = &m
            && *confidence != Confidence::Exact
        {
            eprintln!("  {v:?} -> {expression} ({confidence}, {rule})");
        }
        let e = by_conf.entry(key).or_default();
        e.0 += 1;
        e.1 += n;
        let exact = m.confidence() == Some(Confidence::Exact);
        if exact != independently_valid(v, &ids, &excs) {
            mismatches.push(v.clone());
        }
    }
    eprintln!(
        "{} distinct licence values, {} occurrences",
        all.len(),
        all.values().sum::<usize>()
    );
    for (k, (d, o)) in &by_conf {
        eprintln!("  {k:<32} {d:>4} distinct {o:>6} occurrences");
    }
    eprintln!("unknown values (to improve data/aliases.toml):");
    for (v, n) in &unknown {
        eprintln!("  {n:>4} {v:?}");
    }
    assert!(
        mismatches.is_empty(),
        "exact iff valid by the independent check: {mismatches:?}"
    );
    // SPDX special values: counted with grep over the same files.
    assert_eq!(all.get("NOASSERTION"), Some(&16594));
    assert_eq!(by_conf.get("NOASSERTION").map(|x| x.1), Some(16594));
    assert_eq!(by_conf.get("NONE").map(|x| x.1), Some(13452));
}
