//! `vigie report -f sarif` and `-f cyclonedx`: a stored snapshot's findings, with the triage
//! in force on the day asked, written by `vigie-export`'s SARIF and CycloneDX writers (the
//! ones `vigie audit` writes through).
//!
//! SARIF locates each finding in its file relative to its project (a project is usually a
//! repository, which GitHub code scanning locates from). The CycloneDX BOM's components are
//! streamed from the store straight to the output (an estate has millions).

use std::io::Write;

use serde_json::json;
use vigie_export::cyclonedx::stream::BomStream;
use vigie_export::cyclonedx::{Head, Library, serial_number};
use vigie_export::sarif::{self, SrcRoot};
use vigie_export::triage::{Decision, Triage, Triaged};
use vigie_findings::Family;
use vigie_store::{FindingStatus, SnapshotId, Store};

/// A stored finding and its triage, as the writers read them.
fn triaged(s: &FindingStatus) -> Triaged<'_> {
    Triaged {
        finding: &s.finding,
        triage: Some(Triage {
            state: s.effective.as_str(),
            active: s.effective.is_active(),
            decision: s.triage.as_ref().map(|t| Decision {
                state: t.input.state.as_str(),
                justification: t.input.justification.map(|j| j.as_str()),
                until: t.input.until.as_deref(),
                reason: &t.input.reason,
                by: &t.input.by,
                at: &t.input.at,
            }),
        }),
    }
}

/// Writes the SARIF log of `snapshot` with the triage in force on `today`.
pub fn sarif(
    store: &dyn Store,
    snapshot: SnapshotId,
    today: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let statuses = store.effective_triage(snapshot, today)?;
    let findings: Vec<Triaged<'_>> = statuses.iter().map(triaged).collect();
    let run = sarif::Run {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        src_root: SrcRoot::Project,
        properties: Some(json!({ "vigie:snapshot": snapshot, "vigie:triage-as-of": today })),
    };
    sarif::write(out, &findings, &run)?;
    Ok(())
}

/// Writes the CycloneDX BOM of `snapshot` with the triage in force on `today` as VEX.
pub fn cyclonedx(
    store: &dyn Store,
    snapshot: SnapshotId,
    today: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let info = store
        .snapshots()?
        .into_iter()
        .find(|s| s.id == snapshot)
        .ok_or_else(|| anyhow::anyhow!("no snapshot {snapshot}"))?;
    let statuses: Vec<FindingStatus> = store
        .effective_triage(snapshot, today)?
        .into_iter()
        .filter(|s| s.finding.family == Family::Vulnerability)
        .collect();
    let findings: Vec<Triaged<'_>> = statuses.iter().map(triaged).collect();
    let paths = store.project_paths(snapshot)?;
    let roots = info.meta.roots.join(", ");
    let id = snapshot.to_string();
    let head = Head {
        serial_number: serial_number(&[&info.meta.taken_at, &roots, &id, today]),
        timestamp: &info.meta.taken_at,
        tool_version: env!("CARGO_PKG_VERSION"),
        estate: &roots,
        properties: Some(json!([
            {"name": "vigie:snapshot", "value": id},
            {"name": "vigie:triage-as-of", "value": today},
        ])),
    };
    let mut bom = BomStream::start(out, &head, &paths, &findings)?;
    let mut error = None;
    store.for_each_component(snapshot, &mut |row| {
        if error.is_some() {
            return;
        }
        let c = Library {
            ecosystem: row.ecosystem,
            name: row.name,
            version: row.version,
            purl: row.purl,
            licence: row.licence.filter(|l| !l.is_empty()),
            found: None,
        };
        if let Err(e) = bom.component(row.project_path, &c) {
            error = Some(e);
        }
    })?;
    if let Some(e) = error {
        return Err(e.into());
    }
    bom.finish()?;
    Ok(())
}
