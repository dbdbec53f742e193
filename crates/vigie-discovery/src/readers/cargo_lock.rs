//! `Cargo.lock`, versions 1 to 4.
//!
//! Every `[[package]]` is a component, except the packages of the workspace
//! itself (no `source`): those are the project, and a single one names it.
//! Dependencies are `name` or `name version` or `name version (source)`
//! strings; v1 files keep checksums in a `[metadata]` table, which is ignored.

use std::collections::HashMap;

use serde::Deserialize;
use vigie_model::{Component, Ecosystem, Relation};

use super::util::parse_toml;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "cargo-lock",
    description: "Cargo.lock (v1-v4)",
    ecosystem: Some(Ecosystem::Cargo),
    matches: |name| name == "Cargo.lock",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    version: String,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    let Some(lock) = parse_toml::<Lock>(input, out) else {
        return;
    };
    // Index of each package, by name and by name+version, for the edges.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, p) in lock.package.iter().enumerate() {
        by_name.entry(p.name.as_str()).or_default().push(i);
    }
    let find = |dep: &str| -> Option<usize> {
        let mut parts = dep.split(' ');
        let name = parts.next()?;
        let version = parts.next();
        let candidates = by_name.get(name)?;
        match version {
            None => candidates.first().copied(),
            Some(v) => candidates
                .iter()
                .copied()
                .find(|&i| lock.package[i].version == v),
        }
    };
    let local: Vec<bool> = lock.package.iter().map(|p| p.source.is_none()).collect();
    // Direct dependencies: those of the workspace members.
    let mut direct = vec![false; lock.package.len()];
    for (i, p) in lock.package.iter().enumerate() {
        if local[i] {
            for d in &p.dependencies {
                if let Some(j) = find(d) {
                    direct[j] = true;
                }
            }
        }
    }
    // One local package names the project; a workspace of several does not
    // (its Cargo.toml or the folder does).
    let mut locals = lock.package.iter().zip(&local).filter(|(_, l)| **l);
    if let (Some((p, _)), None) = (locals.next(), locals.next()) {
        out.project_name = Some(p.name.clone());
    }
    let mut index: Vec<Option<u32>> = vec![None; lock.package.len()];
    for (i, p) in lock.package.iter().enumerate() {
        if local[i] {
            continue;
        }
        let relation = if direct[i] {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        let mut c =
            Component::new(Ecosystem::Cargo, &p.name, Some(&p.version)).with_relation(relation);
        if let Some(src) = &p.source
            && !src.starts_with("registry+")
            && !src.starts_with("sparse+")
        {
            c = c.with_note(format!("from {src}"));
        }
        index[i] = Some(out.push(c));
    }
    for (i, p) in lock.package.iter().enumerate() {
        let Some(from) = index[i] else { continue };
        for d in &p.dependencies {
            if let Some(to) = find(d).and_then(|j| index[j]) {
                out.depend(from, to);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    #[test]
    fn reads_packages_and_skips_the_workspace() {
        let text = r#"
version = 4

[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde"]

[[package]]
name = "serde"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["serde_derive 1.0.200"]

[[package]]
name = "serde_derive"
version = "1.0.200"
source = "registry+https://github.com/rust-lang/crates.io-index"
"#;
        let out = read_file_as(&READER, "Cargo.lock", text, &MemorySource::new());
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.project_name.as_deref(), Some("app"));
        let names: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.relation))
            .collect();
        assert_eq!(
            names,
            [
                ("serde", Relation::Direct),
                ("serde_derive", Relation::Transitive)
            ]
        );
        assert_eq!(out.dependencies, [(0, 1)]);
        assert_eq!(out.components[0].purl, "pkg:cargo/serde@1.0.200");
    }

    #[test]
    fn bad_toml_is_a_located_diagnostic() {
        let out = read_file_as(
            &READER,
            "Cargo.lock",
            "[[package]]\nname = \n",
            &MemorySource::new(),
        );
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(2));
    }
}
