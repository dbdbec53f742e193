//! One CycloneDX 1.6 JSON BOM for a whole scan.
//!
//! Layout: `metadata.component` is the scanned estate; each project is a
//! top-level component of type `application` whose nested `components` are
//! its software components; `dependencies` link the estate to its projects,
//! each project to its direct components (all of them when the format does
//! not say which are direct), and components to each other where the
//! lockfile gives edges. vigie-specific facts (ecosystem, scope, relation,
//! source file and line) are `properties` in the `vigie:` namespace.

use serde_json::{Value, json};
use vigie_model::{Component, Project, Relation, Scope};

use crate::json::component_files;
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

fn licences(c: &Component) -> Option<Value> {
    let l = c.licence.as_deref()?;
    Some(if looks_like_spdx_expression(l) {
        json!([{ "expression": l }])
    } else {
        json!([{ "license": { "name": l } }])
    })
}

fn component(c: &Component, bom_ref: &str, file: &str) -> Value {
    let (group, name) = match c.purl.parse::<vigie_model::Purl>() {
        Ok(p) => (p.namespace, p.name),
        Err(_) => (None, c.name.clone()),
    };
    let mut v = json!({
        "type": "library",
        "bom-ref": bom_ref,
        "name": name,
        "purl": c.purl,
        "scope": match c.scope {
            Scope::Optional => "optional",
            Scope::Dev | Scope::Build => "excluded",
            Scope::Runtime | Scope::Unknown => "required",
        },
    });
    let obj = v.as_object_mut().expect("built as an object");
    if let Some(g) = group {
        obj.insert("group".into(), json!(g));
    }
    if let Some(ver) = &c.version {
        obj.insert("version".into(), json!(ver));
    }
    if let Some(l) = licences(c) {
        obj.insert("licenses".into(), l);
    }
    let mut props = vec![
        json!({"name": "vigie:ecosystem", "value": c.ecosystem.as_str()}),
        json!({"name": "vigie:scope", "value": c.scope.as_str()}),
        json!({"name": "vigie:relation", "value": c.relation.as_str()}),
        json!({"name": "vigie:file", "value": file}),
    ];
    if let Some(line) = c.line {
        props.push(json!({"name": "vigie:line", "value": line.to_string()}));
    }
    if let Some(note) = &c.note {
        props.push(json!({"name": "vigie:note", "value": note}));
    }
    obj.insert("properties".into(), Value::Array(props));
    v
}

/// A version-4-shaped `urn:uuid:` made of two hashes (no randomness in a pure crate).
pub(crate) fn uuid_urn(a: u64, b: u64) -> String {
    format!(
        "urn:uuid:{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (a >> 32) as u32,
        (a >> 16) as u16,
        (a & 0xfff) as u16,
        (b >> 52) as u16 & 0xfff,
        b & 0xffff_ffff_ffff
    )
}

/// Builds the BOM of a whole scan.
pub fn bom(projects: &[Project], run: &RunInfo) -> Value {
    let serial = {
        let a = fnv64(&[&run.timestamp, &run.roots.join("\n")]);
        let b = fnv64(&[
            &run.roots.join("\n"),
            &projects.len().to_string(),
            &run.timestamp,
        ]);
        uuid_urn(a, b)
    };
    let mut components = Vec::with_capacity(projects.len());
    let mut dependencies = Vec::new();
    let mut project_refs = Vec::with_capacity(projects.len());
    for (pi, p) in projects.iter().enumerate() {
        let pref = format!("project-{pi}:{}", p.path);
        project_refs.push(Value::String(pref.clone()));
        let refs: Vec<String> = (0..p.components.len())
            .map(|i| format!("{pref}#{i}"))
            .collect();
        let files = component_files(p);
        let nested: Vec<Value> = p
            .components
            .iter()
            .zip(&files)
            .zip(&refs)
            .map(|((c, f), r)| component(c, r, f))
            .collect();
        components.push(json!({
            "type": "application",
            "bom-ref": pref,
            "name": p.name,
            "properties": [{"name": "vigie:path", "value": p.path}],
            "components": nested,
        }));
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
    json!({
        "$schema": "http://cyclonedx.org/schema/bom-1.6.schema.json",
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial,
        "version": 1,
        "metadata": {
            "timestamp": run.timestamp,
            "tools": {"components": [{"type": "application", "name": "vigie", "version": run.tool_version}]},
            "component": {"type": "application", "bom-ref": "estate", "name": if estate.is_empty() { "." } else { &estate }},
        },
        "components": components,
        "dependencies": dependencies,
    })
}

#[cfg(test)]
mod tests {
    use super::looks_like_spdx_expression as ok;

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
