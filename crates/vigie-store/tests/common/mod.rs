//! Shared test support: small builders of snapshot inputs.

#![allow(dead_code)]

use vigie_model::{Component, Ecosystem};
use vigie_store::{EntityRecord, FindingRecord, ProjectRecord, SnapshotMeta};

pub fn meta(taken_at: &str) -> SnapshotMeta {
    SnapshotMeta {
        taken_at: taken_at.to_owned(),
        tool_version: "0.1.0".to_owned(),
        roots: vec!["/srv/estate".to_owned()],
        label: None,
    }
}

pub fn project(path: &str, file: &str) -> ProjectRecord {
    ProjectRecord {
        path: path.to_owned(),
        name: path.rsplit('/').next().unwrap_or(path).to_owned(),
        files: vec![format!("{path}/{file}")],
        licence_categories: Default::default(),
    }
}

pub fn npm(name: &str, version: &str) -> Component {
    Component::new(Ecosystem::Npm, name, Some(version))
}

/// A vulnerability finding keyed as the audit keys it: family/id/project/purl.
pub fn vuln(
    id: &str,
    project: &str,
    c: &Component,
    rating: &str,
    fixed: Option<&str>,
) -> FindingRecord {
    FindingRecord {
        key: format!("vulnerability/{id}/{project}/{}", c.purl),
        family: vigie_findings::Family::Vulnerability,
        id: id.to_owned(),
        aliases: vec![format!("CVE-{}", id.len())],
        rating: vigie_findings::Rating::parse(rating).expect("a rating word"),
        project_path: project.to_owned(),
        purl: Some(c.purl.clone()),
        title: format!("{id} in {}", c.name),
        fixed: fixed.map(str::to_owned),
        known_exploited: false,
        // Not a whole vulnerability detail: stored and read back as it is.
        detail: vigie_findings::Detail::Unparsed(
            serde_json::json!({"id": id, "score": 7.5, "nested": {"b": [1, 2.5, null], "a": "x"}}),
        ),
    }
}

pub fn entity(
    entity_ref: &str,
    kind: &str,
    owners: &[&str],
    system: Option<&str>,
    repos: &[&str],
) -> EntityRecord {
    let name = entity_ref
        .rsplit('/')
        .next()
        .unwrap_or(entity_ref)
        .to_owned();
    EntityRecord {
        entity_ref: entity_ref.to_owned(),
        kind: kind.to_owned(),
        name,
        title: None,
        owners: owners.iter().map(|s| (*s).to_owned()).collect(),
        system: system.map(str::to_owned),
        criticality: Some(3),
        internet_exposed: Some(true),
        personal_data: false,
        repositories: repos.iter().map(|s| (*s).to_owned()).collect(),
        json: serde_json::json!({"kind": kind, "metadata": {"name": entity_ref}}),
    }
}
