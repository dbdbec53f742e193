//! CycloneDX 1.6 JSON: the one CycloneDX writer, of `vigie inventory -f cyclonedx` (the
//! components of a scan: [`bom`]), `vigie audit -f cyclonedx` (the same with the audit's
//! vulnerabilities, no triage) and `vigie report -f cyclonedx` (a stored snapshot's
//! components and vulnerabilities with the triage in force as VEX, streamed: [`stream`]).
//!
//! Layout: `metadata.component` is the scanned estate; each project is a
//! top-level component of type `application` whose nested `components` are
//! its software components; `dependencies` link the estate to its projects,
//! each project to its direct components (all of them when the format does
//! not say which are direct), and components to each other where the
//! lockfile gives edges. vigie-specific facts (ecosystem, scope, relation,
//! source file and line) are `properties` in the `vigie:` namespace; the store keeps no
//! file, scope, relation or edge, so a stored snapshot's BOM has none of them.
//! `vulnerabilities` ([`vex`]) are the vulnerability findings, each `affects` item a
//! component of the BOM.

pub mod stream;
pub mod vex;

use serde::ser::{Serialize, SerializeMap, SerializeSeq, Serializer};
use serde_json::{Value, json};
use vigie_model::{Component, Project, Relation, Scope};

use crate::json::component_files;
use crate::triage::Triaged;
use crate::{RunInfo, fnv64};

/// Whether a licence string can stand as an SPDX license expression.
pub(crate) fn looks_like_spdx_expression(s: &str) -> bool {
    !s.is_empty()
        && s.len() < 512
        && s.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '+' | ':' | '(' | ')' | ' ')
        })
        && !s.starts_with(['(', ')', ' '].as_slice())
        && s.split_whitespace()
            .all(|t| !t.is_empty() && (t == "AND" || t == "OR" || t == "WITH" || !t.contains(' ')))
        && s.split_whitespace().count() % 2 == 1
}

fn licences(l: &str) -> Value {
    if looks_like_spdx_expression(l) {
        json!([{ "expression": l }])
    } else {
        json!([{ "license": { "name": l } }])
    }
}

/// One software component, as a `library`.
#[derive(Clone, Debug)]
pub struct Library<'a> {
    /// Its OSV ecosystem name.
    pub ecosystem: &'a str,
    pub name: &'a str,
    /// `None` when unresolved.
    pub version: Option<&'a str>,
    pub purl: &'a str,
    /// The licence expression read, if any.
    pub licence: Option<&'a str>,
    /// Where and how the inventory found it (the store keeps none of this).
    pub found: Option<Found<'a>>,
}

/// How the inventory found a component.
#[derive(Clone, Debug)]
pub struct Found<'a> {
    pub scope: Scope,
    pub relation: Relation,
    /// The file it came from.
    pub file: &'a str,
    pub line: Option<u32>,
    pub note: Option<&'a str>,
}

impl<'a> Library<'a> {
    /// A component of the inventory, read in `file`.
    pub fn of(c: &'a Component, file: &'a str) -> Library<'a> {
        Library {
            ecosystem: c.ecosystem.as_str(),
            name: &c.name,
            version: c.version.as_deref(),
            purl: &c.purl,
            licence: c.licence.as_deref(),
            found: Some(Found {
                scope: c.scope,
                relation: c.relation,
                file,
                line: c.line,
                note: c.note.as_deref(),
            }),
        }
    }
}

/// A component as a CycloneDX `library`.
pub fn library(bom_ref: &str, c: &Library<'_>) -> Value {
    let (group, name) = match c.purl.parse::<vigie_model::Purl>() {
        Ok(p) => (p.namespace, p.name),
        Err(_) => (None, c.name.to_owned()),
    };
    let mut v = json!({ "type": "library", "bom-ref": bom_ref, "name": name, "purl": c.purl });
    if let Some(g) = group {
        v["group"] = json!(g);
    }
    if let Some(ver) = c.version {
        v["version"] = json!(ver);
    }
    if let Some(l) = c.licence {
        v["licenses"] = licences(l);
    }
    let mut props = vec![json!({"name": "vigie:ecosystem", "value": c.ecosystem})];
    if let Some(f) = &c.found {
        v["scope"] = json!(match f.scope {
            Scope::Optional => "optional",
            Scope::Dev | Scope::Build => "excluded",
            Scope::Runtime | Scope::Unknown => "required",
        });
        props.push(json!({"name": "vigie:scope", "value": f.scope.as_str()}));
        props.push(json!({"name": "vigie:relation", "value": f.relation.as_str()}));
        props.push(json!({"name": "vigie:file", "value": f.file}));
        if let Some(line) = f.line {
            props.push(json!({"name": "vigie:line", "value": line.to_string()}));
        }
        if let Some(note) = f.note {
            props.push(json!({"name": "vigie:note", "value": note}));
        }
    }
    v["properties"] = Value::Array(props);
    v
}

/// The bom-ref of the `i`th project.
pub fn project_ref(i: usize, path: &str) -> String {
    format!("project-{i}:{path}")
}

/// The `i`th project as an `application`, without its components.
pub fn application(i: usize, path: &str, name: &str) -> Value {
    json!({
        "type": "application",
        "bom-ref": project_ref(i, path),
        "name": name,
        "properties": [{"name": "vigie:path", "value": path}],
    })
}

/// A version-4-shaped `urn:uuid:` made of two hashes (no randomness in a pure crate).
fn uuid_urn(a: u64, b: u64) -> String {
    format!(
        "urn:uuid:{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        (a & 0xfff) as u16,
        (b >> 52) as u16 & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

/// A version-4-shaped `urn:uuid:` derived from `parts` (no randomness in a pure crate).
pub fn serial_number(parts: &[&str]) -> String {
    let a = fnv64(parts);
    let b = fnv64(&[&a.to_string(), &parts.join("\n")]);
    uuid_urn(a, b)
}

/// What a BOM says before its components.
#[derive(Clone, Debug)]
pub struct Head<'a> {
    pub serial_number: String,
    /// RFC 3339.
    pub timestamp: &'a str,
    pub tool_version: &'a str,
    /// The scanned roots, joined.
    pub estate: &'a str,
    /// The estate's `properties`, if any.
    pub properties: Option<Value>,
}

/// The BOM's fields before its components: `$schema`, `bomFormat`, `specVersion`,
/// `serialNumber`, `version` and `metadata`.
pub fn head(h: &Head<'_>) -> Value {
    let mut estate = json!({
        "type": "application",
        "bom-ref": "estate",
        "name": if h.estate.is_empty() { "." } else { h.estate },
    });
    if let Some(p) = &h.properties {
        estate["properties"] = p.clone();
    }
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": h.serial_number,
        "version": 1,
        "metadata": {
            "timestamp": h.timestamp,
            "tools": {"components": [{"type": "application", "name": "vigie", "version": h.tool_version}]},
            "component": estate,
        },
    })
}

/// The BOM of a whole scan; with `findings` (an audit), its vulnerabilities too. It is
/// serialised as it is written (`serde_json::to_writer_pretty`), a component at a time:
/// built whole as a `serde_json::Value`, 600,000 components held 5.5 GB.
pub fn bom<'a>(
    projects: &'a [Project],
    run: &RunInfo,
    findings: Option<&[Triaged<'_>]>,
) -> Bom<'a> {
    let roots = run.roots.join("\n");
    let serial_number = match findings {
        None => uuid_urn(
            fnv64(&[&run.timestamp, &roots]),
            fnv64(&[&roots, &projects.len().to_string(), &run.timestamp]),
        ),
        Some(_) => serial_number(&[&run.timestamp, &roots, "audit"]),
    };
    let estate = run.roots.join(", ");
    let head = head(&Head {
        serial_number,
        timestamp: &run.timestamp,
        tool_version: &run.tool_version,
        estate: &estate,
        properties: None,
    });
    let vulnerabilities = findings.map(|findings| {
        let mut affected = vex::Affected::of(findings);
        for (pi, p) in projects.iter().enumerate() {
            let pref = project_ref(pi, &p.path);
            for (i, c) in p.components.iter().enumerate() {
                if affected.wants(&p.path, &c.purl) {
                    affected.note(&p.path, &c.purl, &format!("{pref}#{i}"));
                }
            }
        }
        Value::Array(vex::vulnerabilities(findings, &affected))
    });
    Bom {
        projects,
        head,
        vulnerabilities,
    }
}

/// The BOM of a whole scan, made by [`bom`]: serialise it.
pub struct Bom<'a> {
    projects: &'a [Project],
    /// Every field but the components, the dependencies and the vulnerabilities.
    head: Value,
    vulnerabilities: Option<Value>,
}

/// Serialises the fields of `base` and one more, `key`, in the order of serde_json's map
/// (sorted by key), so the bytes are those of the whole `Value`.
struct WithField<'v, T> {
    base: &'v Value,
    fields: Vec<(&'static str, T)>,
}

impl<T: Serialize> Serialize for WithField<'_, T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let empty = serde_json::Map::new();
        let base = self.base.as_object().unwrap_or(&empty);
        let mut keys: Vec<(&str, Option<&T>)> = base
            .keys()
            .map(|k| (k.as_str(), None))
            .chain(self.fields.iter().map(|(k, v)| (*k, Some(v))))
            .collect();
        keys.sort_by(|a, b| a.0.cmp(b.0));
        let mut map = s.serialize_map(Some(keys.len()))?;
        for (k, v) in keys {
            match v {
                Some(v) => map.serialize_entry(k, v)?,
                None => map.serialize_entry(k, &base[k])?,
            }
        }
        map.end()
    }
}

/// A part of the BOM written as it is serialised.
enum Part<'a> {
    Components(&'a [Project]),
    Dependencies(&'a [Project]),
    Libraries(usize, &'a Project),
    /// The bom-refs of the projects.
    ProjectRefs(&'a [Project]),
    /// The bom-refs of the components of a project a project depends on.
    Direct(usize, &'a Project),
    Value(&'a Value),
}

impl Serialize for Bom<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut fields = vec![
            ("components", Part::Components(self.projects)),
            ("dependencies", Part::Dependencies(self.projects)),
        ];
        if let Some(v) = &self.vulnerabilities {
            fields.push(("vulnerabilities", Part::Value(v)));
        }
        WithField {
            base: &self.head,
            fields,
        }
        .serialize(s)
    }
}

impl Serialize for Part<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match *self {
            Part::Value(v) => v.serialize(s),
            Part::Components(projects) => {
                let mut seq = s.serialize_seq(Some(projects.len()))?;
                for (pi, p) in projects.iter().enumerate() {
                    seq.serialize_element(&WithField {
                        base: &application(pi, &p.path, &p.name),
                        fields: vec![("components", Part::Libraries(pi, p))],
                    })?;
                }
                seq.end()
            }
            Part::Libraries(pi, p) => {
                let pref = project_ref(pi, &p.path);
                let files = component_files(p);
                let mut seq = s.serialize_seq(Some(p.components.len()))?;
                for (i, (c, f)) in p.components.iter().zip(&files).enumerate() {
                    seq.serialize_element(&library(&format!("{pref}#{i}"), &Library::of(c, f)))?;
                }
                seq.end()
            }
            Part::ProjectRefs(projects) => s.collect_seq(
                projects
                    .iter()
                    .enumerate()
                    .map(|(pi, p)| project_ref(pi, &p.path)),
            ),
            Part::Direct(pi, p) => {
                let pref = project_ref(pi, &p.path);
                let any_direct = p.components.iter().any(|c| c.relation == Relation::Direct);
                s.collect_seq(
                    p.components
                        .iter()
                        .enumerate()
                        .filter(|(_, c)| !any_direct || c.relation == Relation::Direct)
                        .map(|(i, _)| format!("{pref}#{i}")),
                )
            }
            Part::Dependencies(projects) => {
                let mut seq = s.serialize_seq(None)?;
                let estate = json!({"ref": "estate"});
                seq.serialize_element(&WithField {
                    base: &estate,
                    fields: vec![("dependsOn", Part::ProjectRefs(projects))],
                })?;
                for (pi, p) in projects.iter().enumerate() {
                    let pref = project_ref(pi, &p.path);
                    seq.serialize_element(&WithField {
                        base: &json!({"ref": pref}),
                        fields: vec![("dependsOn", Part::Direct(pi, p))],
                    })?;
                    // Each component's edges, in the order of its first edge to each target.
                    let n = p.components.len();
                    let mut edges: Vec<(u32, u32)> = p
                        .dependencies
                        .iter()
                        .copied()
                        .filter(|&(from, to)| (from as usize) < n && (to as usize) < n)
                        .collect();
                    edges.sort_by_key(|e| e.0);
                    for group in edges.chunk_by(|a, b| a.0 == b.0) {
                        let mut targets: Vec<u32> = Vec::with_capacity(group.len());
                        for &(_, to) in group {
                            if !targets.contains(&to) {
                                targets.push(to);
                            }
                        }
                        let refs: Vec<String> =
                            targets.iter().map(|to| format!("{pref}#{to}")).collect();
                        seq.serialize_element(
                            &json!({"ref": format!("{pref}#{}", group[0].0), "dependsOn": refs}),
                        )?;
                    }
                }
                seq.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::looks_like_spdx_expression as ok;
    use super::*;
    use vigie_model::{Ecosystem, FileReport};

    /// The BOM built whole, as vigie did before it was written as serialised: the reference
    /// the streamed bytes must equal.
    fn bom_value(projects: &[Project], run: &RunInfo, findings: Option<&[Triaged<'_>]>) -> Value {
        let roots = run.roots.join("\n");
        let serial_number = match findings {
            None => uuid_urn(
                fnv64(&[&run.timestamp, &roots]),
                fnv64(&[&roots, &projects.len().to_string(), &run.timestamp]),
            ),
            Some(_) => serial_number(&[&run.timestamp, &roots, "audit"]),
        };
        let mut affected = vex::Affected::of(findings.unwrap_or_default());
        let mut components = Vec::new();
        let mut dependencies = Vec::new();
        let mut project_refs = Vec::new();
        for (pi, p) in projects.iter().enumerate() {
            let pref = project_ref(pi, &p.path);
            project_refs.push(Value::String(pref.clone()));
            let refs: Vec<String> = (0..p.components.len())
                .map(|i| format!("{pref}#{i}"))
                .collect();
            let files = component_files(p);
            let mut nested = Vec::new();
            for ((c, f), r) in p.components.iter().zip(&files).zip(&refs) {
                nested.push(library(r, &Library::of(c, f)));
                affected.note(&p.path, &c.purl, r);
            }
            let mut project = application(pi, &p.path, &p.name);
            project["components"] = Value::Array(nested);
            components.push(project);
            let any_direct = p.components.iter().any(|c| c.relation == Relation::Direct);
            let direct: Vec<&String> = p
                .components
                .iter()
                .zip(&refs)
                .filter(|(c, _)| !any_direct || c.relation == Relation::Direct)
                .map(|(_, r)| r)
                .collect();
            dependencies.push(json!({"ref": pref, "dependsOn": direct}));
            let mut edges: Vec<Vec<&String>> = vec![Vec::new(); p.components.len()];
            for &(from, to) in &p.dependencies {
                if let (Some(list), Some(r)) = (edges.get_mut(from as usize), refs.get(to as usize))
                    && !list.contains(&r)
                {
                    list.push(r);
                }
            }
            for (r, deps) in refs.iter().zip(edges) {
                if !deps.is_empty() {
                    dependencies.push(json!({"ref": r, "dependsOn": deps}));
                }
            }
        }
        let estate = run.roots.join(", ");
        dependencies.insert(0, json!({"ref": "estate", "dependsOn": project_refs}));
        let mut doc = head(&Head {
            serial_number,
            timestamp: &run.timestamp,
            tool_version: &run.tool_version,
            estate: &estate,
            properties: None,
        });
        doc["components"] = Value::Array(components);
        doc["dependencies"] = Value::Array(dependencies);
        if let Some(findings) = findings {
            doc["vulnerabilities"] = Value::Array(vex::vulnerabilities(findings, &affected));
        }
        doc
    }

    fn project(path: &str, direct: bool) -> Project {
        let mut components = vec![
            Component::new(Ecosystem::Npm, "x", Some("1.0")),
            Component::new(Ecosystem::Npm, "y", Some("2.0")).with_note("a note"),
            Component::new(Ecosystem::Npm, "z", None),
        ];
        if direct {
            components[1].relation = Relation::Direct;
        }
        components[0].licence = Some("MIT".into());
        Project {
            name: path.rsplit('/').next().unwrap_or(path).into(),
            path: path.into(),
            files: vec![FileReport {
                path: format!("{path}/package-lock.json"),
                format: "package-lock".into(),
                components: 3,
            }],
            components,
            dependencies: vec![(0, 1), (0, 2), (0, 1), (2, 0), (1, 9), (9, 1)],
            diagnostics: Vec::new(),
        }
    }

    #[test]
    fn the_streamed_bom_is_the_bytes_of_the_whole_value() {
        let projects = vec![
            project("a", false),
            project("b/c", true),
            Project::default(),
        ];
        let run = RunInfo {
            tool_version: "0.1.0".into(),
            timestamp: "2026-12-07T00:00:00Z".into(),
            roots: vec!["a".into(), "b".into()],
        };
        let finding = crate::fixtures::finding("a");
        let findings = Triaged::untriaged(std::slice::from_ref(&finding));
        for findings in [None, Some(&findings[..])] {
            let whole =
                serde_json::to_string_pretty(&bom_value(&projects, &run, findings)).unwrap();
            let streamed = serde_json::to_string_pretty(&bom(&projects, &run, findings)).unwrap();
            assert_eq!(streamed, whole);
            let compact = serde_json::to_string(&bom(&projects, &run, findings)).unwrap();
            assert_eq!(
                compact,
                serde_json::to_string(&bom_value(&projects, &run, findings)).unwrap()
            );
        }
    }

    #[test]
    fn spdx_expression_shapes() {
        assert!(ok("MIT"));
        assert!(ok("MIT OR Apache-2.0"));
        assert!(ok("GPL-2.0-only WITH Classpath-exception-2.0"));
        assert!(!ok("MIT License"));
        assert!(!ok("Apache 2.0"));
        assert!(!ok("https://example.com/LICENSE"));
        assert!(!ok(""));
    }
}
