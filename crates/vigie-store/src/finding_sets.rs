//! Finding sets, backend-neutral: a project's findings stored once per distinct content and
//! shared by every project row whose findings are the same (each backend stores them its
//! way: `sqlite/finding_sets.rs`, `postgres/`).
//!
//! A set is named by the SHA-256 of its findings in key order, each field length-prefixed
//! (no two different sets share a name by accident: a collision would show one project the
//! findings of another).

use sha2::{Digest, Sha256};

use crate::{FindingRecord, Result};

/// One finding as its row stores it (the detail as JSON text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Raw {
    pub key: String,
    pub family: String,
    pub id: String,
    pub aliases: String,
    pub rating: String,
    pub purl: Option<String>,
    pub title: String,
    pub fixed: Option<String>,
    pub known_exploited: bool,
    pub json: String,
}

impl Raw {
    pub(crate) fn of(f: &FindingRecord) -> Result<Raw> {
        Ok(Raw {
            key: f.key.clone(),
            family: f.family.id().to_owned(),
            id: f.id.clone(),
            aliases: serde_json::to_string(&f.aliases)?,
            rating: f.rating.as_str().to_owned(),
            purl: f.purl.clone(),
            title: f.title.clone(),
            fixed: f.fixed.clone(),
            known_exploited: f.known_exploited,
            json: serde_json::to_string(&f.detail.to_value()?)?,
        })
    }
}

/// The name of a set: the SHA-256 of its findings (already in key order).
pub(crate) fn name(findings: &[Raw]) -> Vec<u8> {
    let mut h = Sha256::new();
    let mut field = |s: Option<&str>| match s {
        Some(s) => {
            h.update((s.len() as u64 + 1).to_le_bytes());
            h.update(s.as_bytes());
        }
        None => h.update(0u64.to_le_bytes()),
    };
    for f in findings {
        field(Some(&f.key));
        field(Some(&f.family));
        field(Some(&f.id));
        field(Some(&f.aliases));
        field(Some(&f.rating));
        field(f.purl.as_deref());
        field(Some(&f.title));
        field(f.fixed.as_deref());
        field(Some(if f.known_exploited { "1" } else { "0" }));
        field(Some(&f.json));
    }
    h.finalize().to_vec()
}

/// Puts `findings` in key order, keeping the first of each key: what a set holds.
pub(crate) fn normalize(findings: &mut Vec<Raw>) {
    findings.sort_by(|a, b| a.key.cmp(&b.key));
    findings.dedup_by(|b, a| a.key == b.key);
}

/// `findings` of `project`'s path, or [`Error::Invalid`](crate::Error::Invalid) naming the
/// first that is of another project.
pub(crate) fn check_of_project(
    project: &crate::ProjectRecord,
    findings: &[FindingRecord],
) -> Result<()> {
    match findings.iter().find(|f| f.project_path != project.path) {
        Some(f) => Err(crate::Error::Invalid(format!(
            "finding {} is of project {:?}, given with project {:?}",
            f.key, f.project_path, project.path
        ))),
        None => Ok(()),
    }
}

/// A set's findings with those of `family` replaced by `findings` (a re-audit's).
pub(crate) fn replace_family(
    mut raw: Vec<Raw>,
    family: vigie_findings::Family,
    findings: &[FindingRecord],
) -> Result<Vec<Raw>> {
    raw.retain(|f| f.family != family.id());
    for f in findings {
        raw.push(Raw::of(f)?);
    }
    Ok(raw)
}
