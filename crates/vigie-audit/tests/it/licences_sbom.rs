//! The licence check on the real SBOMs of the reference data, read through
//! vigie's readers, against counts made here on the raw JSON
//! (`serde_json::Value`) and the category table read as plain TOML:
//!
//! - components counted = distinct (name, version) of the CycloneDX
//!   `components` tree (nested ones included);
//! - components with a licence statement = those with a `licenses` entry
//!   holding an `id`, a `name` or an `expression`;
//! - every component whose only licence is one SPDX id gets the category
//!   `data/categories.toml` lists it under;
//! - every statement found maps to SPDX or is reported as an `unknown`
//!   finding (nothing silent), in every SBOM of the set.

use crate::common;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde_json::Value;
use vigie_audit::licences::{Check, LicenceContext, ProjectLicences, Statement, check};
use vigie_discovery::{MemorySource, read_file_as, registry};
use vigie_licence::{LicenceKnowledge, Policy};
use vigie_model::Project;

/// id → category id, from the `[licences]` table of categories.toml.
fn table() -> HashMap<String, String> {
    let text = include_str!("../../../vigie-licence/data/categories.toml");
    let v: toml::Value = toml::from_str(text).unwrap();
    let mut out = HashMap::new();
    for (cat, ids) in v["licences"].as_table().unwrap() {
        for id in ids.as_array().unwrap() {
            out.insert(id.as_str().unwrap().to_owned(), cat.clone());
        }
    }
    out
}

fn audit(kb: &LicenceKnowledge, path: &Path) -> ProjectLicences {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy();
    let reader = registry::READERS
        .iter()
        .copied()
        .find(|r| {
            (r.id.starts_with("cyclonedx") || r.id.starts_with("spdx"))
                && ((r.matches)(&name) || r.sniff.is_some_and(|s| s(&name, text.as_bytes())))
        })
        .unwrap_or_else(|| panic!("no SBOM reader for {name}"));
    let out = read_file_as(reader, &name, &text, &MemorySource::new());
    let p = Project {
        components: out.components,
        ..Project::default()
    };
    let st: Vec<Vec<Statement>> = p
        .components
        .iter()
        .map(|c| {
            c.licence
                .iter()
                .map(|l| Statement {
                    licence: l.clone(),
                    kind: "declared".into(),
                    file: name.to_string(),
                })
                .collect()
        })
        .collect();
    let policy = Policy::default();
    let ctx = LicenceContext {
        explain_all: true,
        knowledge: kb,
        policy: &policy,
        model: None,
        own: None,
    };
    let files = vec![""; p.components.len()];
    check(&ctx, &p, &files, &st)
}

/// Every statement maps or is reported.
fn nothing_silent(r: &ProjectLicences, what: &str) {
    for (i, c) in r.components.iter().enumerate() {
        if !c.known {
            assert!(
                r.findings
                    .iter()
                    .any(|f| f.component == i && f.check == Check::Unknown),
                "{what}: {} {:?} not reported",
                c.name,
                c.statements
            );
        }
    }
    assert_eq!(
        r.categories.values().sum::<usize>(),
        r.components_total,
        "{what}"
    );
}

struct Raw {
    total: usize,
    with_statement: usize,
    /// purl (made canonical, to compare with vigie's) → the single SPDX
    /// id, when that is the component's only licence.
    single: BTreeMap<String, String>,
}

fn raw_cyclonedx(path: &Path) -> Raw {
    fn walk(v: &Value, seen: &mut HashSet<(String, String)>, raw: &mut Raw) {
        for c in v.as_array().into_iter().flatten() {
            let key = (
                c["name"].as_str().unwrap_or_default().to_owned(),
                c["version"].as_str().unwrap_or_default().to_owned(),
            );
            if seen.insert(key.clone()) {
                raw.total += 1;
                let ls = c["licenses"].as_array().cloned().unwrap_or_default();
                let has = |l: &Value| {
                    l["expression"].is_string()
                        || l["license"]["id"].is_string()
                        || l["license"]["name"].is_string()
                };
                if ls.iter().any(has) {
                    raw.with_statement += 1;
                }
                if let [one] = ls.as_slice()
                    && let Some(id) = one["license"]["id"].as_str()
                    && let Some(purl) = c["purl"].as_str()
                    && let Ok(purl) = vigie_model::Purl::parse_lenient(purl)
                {
                    raw.single.insert(purl.to_string(), id.to_owned());
                }
            }
            walk(&c["components"], seen, raw);
        }
    }
    let v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut raw = Raw {
        total: 0,
        with_statement: 0,
        single: BTreeMap::new(),
    };
    walk(&v["components"], &mut HashSet::new(), &mut raw);
    raw
}

#[test]
fn named_cyclonedx_sboms_match_the_raw_counts() {
    let (Some(data), Some(kb)) = (common::data_dir(), common::kb()) else {
        return;
    };
    let table = table();
    let base = data.join("sbom/cyclonedx-bom-examples/SBOM");
    for f in [
        "keycloak-10.0.2/bom.json",
        "dropwizard-1.3.15/bom.json",
        "juice-shop/v11.1.2/bom.json",
        "laravel-7.12.0/bom.1.4.json",
    ] {
        let path = base.join(f);
        let raw = raw_cyclonedx(&path);
        let r = audit(kb, &path);
        assert_eq!(r.components_total, raw.total, "{f}");
        let stated = r
            .components
            .iter()
            .filter(|c| !c.statements.is_empty())
            .count();
        assert_eq!(stated, raw.with_statement, "{f}");
        assert!(r.components_known <= stated, "{f}");
        let mut compared = 0;
        for c in &r.components {
            let Some(id) = raw.single.get(&c.purl) else {
                continue;
            };
            if let Some(cat) = table.get(id) {
                assert_eq!(c.category.id(), cat, "{f}: {} {id}", c.name);
                compared += 1;
            }
        }
        assert!(compared > 0, "{f}");
        nothing_silent(&r, f);
        eprintln!(
            "{f}: {} components, {} stated, {} known, {compared} categories compared, {:?}",
            r.components_total, stated, r.components_known, r.categories
        );
    }
    // laravel: 62 components, all with one SPDX id (counted with jq).
    let r = audit(kb, &base.join("laravel-7.12.0/bom.1.4.json"));
    assert_eq!((r.components_total, r.components_known), (62, 62));
}

#[test]
fn every_in_the_wild_statement_maps_or_is_reported() {
    let (Some(data), Some(kb)) = (common::data_dir(), common::kb()) else {
        return;
    };
    let mut files = 0;
    for sub in ["cyclonedx", "spdx"] {
        let dir = data.join("sbom/bom-shelter-in-the-wild").join(sub);
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).unwrap_or_default();
            let has_reader = registry::READERS.iter().any(|r| {
                (r.id.starts_with("cyclonedx") || r.id.starts_with("spdx"))
                    && ((r.matches)(&name) || r.sniff.is_some_and(|s| s(&name, text.as_bytes())))
            });
            if !has_reader {
                continue;
            }
            let r = audit(kb, &path);
            nothing_silent(&r, &name);
            files += 1;
        }
    }
    assert!(files >= 50, "{files} SBOMs read");
}
