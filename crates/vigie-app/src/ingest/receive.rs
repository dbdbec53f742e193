//! The server's side of a push: a validated [`PushDocument`] audited with the server's
//! knowledge (when it has an index) into the projects the store ingests, each with the key
//! its push is idempotent on.

use rayon::prelude::*;
use sha2::{Digest, Sha256};
use vigie_store::{PushedProject, SnapshotMeta};

use super::document::{PushDocument, PushedProjectDoc};
use crate::checks::Knowledge;

/// The projects of `doc`, audited by `knowledge` (`None`: no index, stored without
/// findings). `doc` must have been validated.
pub fn audit(
    doc: &PushDocument,
    knowledge: Option<&Knowledge>,
) -> anyhow::Result<Vec<PushedProject>> {
    let auditor = knowledge.map(Knowledge::auditor);
    doc.projects
        .par_iter()
        .map(|p| {
            let scanned = p.to_scanned();
            let audit = match &auditor {
                Some(a) => a.audit(&scanned)?,
                None => None,
            };
            let findings = audit
                .as_ref()
                .map(vigie_audit::findings::findings)
                .unwrap_or_default();
            let project = scanned.project;
            Ok(PushedProject {
                record: crate::scan::record_of(
                    project.path,
                    project.name,
                    &project.files,
                    audit.as_ref(),
                ),
                components: project.components,
                findings,
                key: key_of(doc.commit.as_deref(), p)?,
            })
        })
        .collect()
}

/// What a project's push is idempotent on: the commit when given, else the SHA-256 of the
/// project as sent.
pub fn key_of(commit: Option<&str>, p: &PushedProjectDoc) -> anyhow::Result<String> {
    Ok(match commit {
        Some(c) => format!("commit:{c}"),
        None => {
            let bytes = serde_json::to_vec(p)?;
            format!("sha256:{}", crate::access::hex(&Sha256::digest(&bytes)))
        }
    })
}

/// The meta of the snapshot of a push: when, by which vigie, which projects.
pub fn meta(doc: &PushDocument, label: &str) -> SnapshotMeta {
    SnapshotMeta {
        taken_at: crate::access::now(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        roots: doc.projects.iter().map(|p| p.path.clone()).collect(),
        label: Some(label.to_owned()),
    }
}
