//! `Cargo.lock`, versions 1 to 4.
//!
//! Every `[[package]]` is a component, except the packages of the workspace
//! itself (no `source`): those are the project, and a single one names it.
//! Dependencies are `name` or `name version` or `name version (source)`
//! strings; v1 files keep checksums in a `[metadata]` table, which is ignored.
//!
//! Speed: Cargo writes lockfiles in one regular shape, so a line scanner reads
//! that shape directly (several times faster than a general TOML parser); any
//! line it does not recognise sends the whole file to the `toml` crate, which
//! also gives the located diagnostics of a malformed file.

use serde::Deserialize;
use vigie_model::{Component, Ecosystem, Relation};

use super::toml_parts;
use crate::hash::HashMap;
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
struct OwnedLock {
    #[serde(default)]
    package: Vec<OwnedPackage>,
}

#[derive(Deserialize)]
struct OwnedPackage {
    name: String,
    version: String,
    source: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

struct Lock<'a> {
    package: Vec<Package<'a>>,
}

#[derive(Default)]
struct Package<'a> {
    name: &'a str,
    version: &'a str,
    source: Option<&'a str>,
    dependencies: Vec<&'a str>,
    /// 1-based line of `[[package]]` (known on the fast path only).
    line: Option<u32>,
}

/// The value of a `key = "string"` line, when it is a plain string.
fn plain_string(value: &str) -> Option<&str> {
    let inner = value.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.contains(['"', '\\'])).then_some(inner)
}

/// Reads the shape Cargo writes; `None` as soon as a line is anything else.
fn fast_parse(text: &str) -> Option<Lock<'_>> {
    enum At {
        Top,
        Package,
        Deps,
        Other,
    }
    let mut at = At::Top;
    let mut package: Vec<Package<'_>> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let At::Deps = at {
            if line == "]" {
                at = At::Package;
            } else {
                let dep = line.trim().strip_suffix(',')?;
                package.last_mut()?.dependencies.push(plain_string(dep)?);
            }
            continue;
        }
        if line == "[[package]]" {
            package.push(Package {
                line: u32::try_from(n + 1).ok(),
                ..Package::default()
            });
            at = At::Package;
            continue;
        }
        if line == "[metadata]" || line == "[[patch.unused]]" {
            // v1 checksums and unused patches: not packages.
            at = At::Other;
            continue;
        }
        let (key, value) = line.split_once(" = ")?;
        match at {
            At::Top if key == "version" => {}
            At::Top => return None,
            At::Other => {
                plain_string(value)?;
            }
            At::Package => {
                let p = package.last_mut()?;
                match key {
                    "name" => p.name = plain_string(value)?,
                    "version" => p.version = plain_string(value)?,
                    "source" => p.source = Some(plain_string(value)?),
                    "checksum" => {}
                    "dependencies" if value == "[" => at = At::Deps,
                    "dependencies" if value == "[]" => {}
                    _ => return None,
                }
            }
            At::Deps => return None,
        }
    }
    if matches!(at, At::Deps)
        || package
            .iter()
            .any(|p| p.name.is_empty() || p.version.is_empty())
    {
        return None;
    }
    Some(Lock { package })
}

fn read(input: &Input<'_>, out: &mut Output) {
    let owned;
    let lock = match fast_parse(input.text) {
        Some(lock) => lock,
        None => {
            // A part at a time (`toml_parts`): the TOML parser's tree of a whole 64 MiB
            // lock is gigabytes.
            let mut packages = Vec::new();
            let mut read_any = false;
            for part in toml_parts::parts(input.text, out) {
                match toml::from_str::<OwnedLock>(part.text) {
                    Ok(l) => {
                        packages.extend(l.package);
                        read_any = true;
                    }
                    Err(e) => part.error(&e, out),
                }
            }
            if !read_any {
                return;
            }
            owned = OwnedLock { package: packages };
            Lock {
                package: owned
                    .package
                    .iter()
                    .map(|p| Package {
                        name: &p.name,
                        version: &p.version,
                        source: p.source.as_deref(),
                        dependencies: p.dependencies.iter().map(String::as_str).collect(),
                        line: None,
                    })
                    .collect(),
            }
        }
    };
    // Index of each package, by name and by name+version, for the edges.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, p) in lock.package.iter().enumerate() {
        by_name.entry(p.name).or_default().push(i);
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
            for d in p.dependencies.iter().copied() {
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
        out.project_name = Some(p.name.to_owned());
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
        let mut c = Component::new(Ecosystem::Cargo, p.name, Some(p.version))
            .with_relation(relation)
            .with_line(p.line);
        if let Some(src) = p.source
            && !src.starts_with("registry+")
            && !src.starts_with("sparse+")
        {
            c = c.with_note(format!("from {src}"));
        }
        index[i] = Some(out.push(c));
    }
    for (i, p) in lock.package.iter().enumerate() {
        let Some(from) = index[i] else { continue };
        for d in p.dependencies.iter().copied() {
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
    fn fast_path_and_toml_parser_agree() {
        let unusual = "version = 3\n\n[[package]]\nname = 'a'\nversion = \"1.0.0\"\nsource = \"registry+x\"\n";
        assert!(
            fast_parse(unusual).is_none(),
            "literal strings go to the toml parser"
        );
        let out = read_file_as(&READER, "Cargo.lock", unusual, &MemorySource::new());
        assert_eq!(out.components.len(), 1);
        let v1 = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\ndependencies = [\n \"b 0.1.0 (registry+x)\",\n]\n\n[[package]]\nname = \"b\"\nversion = \"0.1.0\"\nsource = \"registry+x\"\n\n[metadata]\n\"checksum a 1.0.0 (registry+x)\" = \"abc\"\n";
        let fast = fast_parse(v1).expect("v1 is the regular shape");
        assert_eq!(fast.package.len(), 2);
        assert_eq!(fast.package[0].dependencies, ["b 0.1.0 (registry+x)"]);
        let out = read_file_as(&READER, "Cargo.lock", v1, &MemorySource::new());
        assert_eq!(out.dependencies, [(0, 1)]);
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
