//! NuGet `packages.lock.json`.
//!
//! `dependencies` maps each target framework (`net8.0`, or `net8.0/win-x64`
//! for a runtime-specific graph) to the packages resolved for it, each with
//! a `type` and a `resolved` version. Each package at each version is one
//! component, however many frameworks list it; it is direct if any
//! framework lists it as `Direct`, else transitive (`Transitive`,
//! `CentralTransitive`: a transitive package pinned by central package
//! management, which the note says). `Project` entries are other projects
//! of the solution: the project's own code, not components. The
//! `dependencies` of a package give the edges, resolved within its
//! framework. A package without `resolved` is kept unresolved, with a
//! warning. Package names keep their case; they are compared without it,
//! as NuGet does.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use vigie_model::{Code, Component, Ecosystem, Relation};

use super::lenient::{Lenient, keep_map};
use super::util::parse_json_borrowed;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "nuget-lock",
    description: "NuGet packages.lock.json",
    ecosystem: Some(Ecosystem::NuGet),
    matches: |name| name == "packages.lock.json",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow, default)]
    dependencies: BTreeMap<Cow<'a, str>, BTreeMap<Cow<'a, str>, Lenient<'a, Package<'a>>>>,
}

#[derive(Deserialize)]
struct Package<'a> {
    #[serde(rename = "type", borrow)]
    ty: Option<Cow<'a, str>>,
    #[serde(borrow)]
    resolved: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    dependencies: BTreeMap<Cow<'a, str>, Cow<'a, str>>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    let Some(lock) = parse_json_borrowed::<Lock<'_>>(input.text, out) else {
        return;
    };
    let is = |t: &Option<Cow<'_, str>>, what: &str| {
        t.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(what))
    };
    // One component per (name without case, version).
    let mut index: HashMap<(String, Option<&str>), u32> = HashMap::new();
    // Per framework: package name without case → component.
    let mut per_framework: Vec<HashMap<String, u32>> = Vec::new();
    let dependencies: Vec<_> = lock
        .dependencies
        .into_iter()
        .map(|(framework, packages)| {
            let section = format!("dependencies.{framework:?}");
            let packages = keep_map(input.text, &section, packages, out);
            (framework, packages)
        })
        .collect();
    for (framework, packages) in &dependencies {
        let mut here = HashMap::new();
        for (name, p) in packages {
            if is(&p.ty, "Project") {
                continue;
            }
            let resolved = p.resolved.as_deref();
            let key = (name.to_lowercase(), resolved);
            let at = match index.get(&key) {
                Some(&at) => at,
                None => {
                    let mut c = Component::new(Ecosystem::NuGet, name.as_ref(), resolved)
                        .with_relation(Relation::Transitive);
                    if is(&p.ty, "CentralTransitive") {
                        c = c.with_note("transitive, pinned by central package management");
                    }
                    if resolved.is_none() {
                        let why = format!("no resolved version for {framework}");
                        out.warning(Code::UnresolvedVersion, format!("{name}: {why}"));
                        c = c.with_note(why);
                    }
                    let at = out.push(c);
                    index.insert(key, at);
                    at
                }
            };
            if is(&p.ty, "Direct")
                && let Some(c) = out.components.get_mut(at as usize)
            {
                c.relation = Relation::Direct;
            }
            here.insert(name.to_lowercase(), at);
        }
        per_framework.push(here);
    }
    let mut edges = HashSet::new();
    for ((_, packages), here) in dependencies.iter().zip(&per_framework) {
        for (name, p) in packages {
            let Some(&from) = here.get(&name.to_lowercase()) else {
                continue;
            };
            for dep in p.dependencies.keys() {
                if let Some(&to) = here.get(&dep.to_lowercase())
                    && edges.insert((from, to))
                {
                    out.depend(from, to);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    const LOCK: &str = r#"{
  "version": 2,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": { "type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1", "contentHash": "x" },
      "Serilog": { "type": "Direct", "requested": "[3.0.0, )", "resolved": "3.0.0",
                   "dependencies": { "System.Memory": "4.5.0" } },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.5" },
      "MyLib": { "type": "Project", "dependencies": { "Serilog": "[3.0.0, )" } }
    },
    "net8.0": {
      "newtonsoft.json": { "type": "Transitive", "resolved": "13.0.1" },
      "Serilog": { "type": "Direct", "requested": "[3.1.0, )", "resolved": "3.1.0",
                   "dependencies": { "System.Memory": "4.5.0" } },
      "System.Memory": { "type": "CentralTransitive", "requested": "[4.5.5, )", "resolved": "4.5.5" },
      "Broken": { "type": "Transitive" }
    }
  }
}"#;

    #[test]
    fn frameworks_merge_and_projects_are_skipped() {
        let out = read_file_as(&READER, "packages.lock.json", LOCK, &MemorySource::new());
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.relation))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:nuget/Newtonsoft.Json@13.0.1", Relation::Direct),
                ("pkg:nuget/Serilog@3.0.0", Relation::Direct),
                ("pkg:nuget/System.Memory@4.5.5", Relation::Transitive),
                ("pkg:nuget/Broken", Relation::Transitive),
                ("pkg:nuget/Serilog@3.1.0", Relation::Direct),
            ]
        );
        // Serilog 3.0.0 and 3.1.0 both depend on System.Memory 4.5.5.
        assert_eq!(out.dependencies, [(1, 2), (4, 2)]);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
    }

    #[test]
    fn not_json_is_a_located_error() {
        let out = read_file_as(
            &READER,
            "packages.lock.json",
            "{\n  \"version\": 1,\n  \"dependencies\": [\n",
            &MemorySource::new(),
        );
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
    }
}
