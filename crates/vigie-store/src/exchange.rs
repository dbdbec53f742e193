//! Export and import of the whole store as one JSON document.
//!
//! ```text
//! { "format": "vigie-store", "version": 1,
//!   "snapshots": [ { "id": 1, "meta": {taken_at, tool_version, roots, label},
//!                    "entities": [EntityRecord...], "relations": [RelationRecord...],
//!                    "projects": [ {path, name, files, components: [Component...],
//!                                   findings: [FindingRecord...]} ... ] } ... ],
//!   "triage": [ {id, finding_key, state, justification, until, reason, by, at} ... ] }
//! ```
//!
//! Export streams project by project (bounded memory); rows come in insertion order and ids
//! are kept, so an export imported into an empty store exports identically. Import streams
//! too (`sqlite/import.rs`), in one transaction.

use std::io::Write;

use serde::Serialize;

use crate::Result;
use crate::storage::{Packages, Storage, project_data};

/// The version of the export format.
pub const EXPORT_FORMAT_VERSION: u32 = 1;

/// The `format` field of an export.
pub(crate) const FORMAT: &str = "vigie-store";

fn json<T: Serialize + ?Sized>(out: &mut dyn Write, v: &T) -> Result<()> {
    serde_json::to_writer(&mut *out, v)?;
    Ok(())
}

pub(crate) fn export(s: &dyn Storage, out: &mut dyn Write) -> Result<()> {
    write!(
        out,
        "{{\"format\":\"{FORMAT}\",\"version\":{EXPORT_FORMAT_VERSION},\"snapshots\":["
    )?;
    for (i, info) in s.snapshots()?.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        write!(out, "\n{{\"id\":{},\"meta\":", info.id)?;
        json(out, &info.meta)?;
        let catalog = s.catalog(info.id)?;
        out.write_all(b",\"entities\":")?;
        json(out, &catalog.entities)?;
        out.write_all(b",\"relations\":")?;
        json(out, &catalog.relations)?;
        out.write_all(b",\"projects\":[")?;
        // In the order they were written (ids increase).
        let mut ids: Vec<i64> = s.projects(info.id)?.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        let mut packages = Packages::default();
        for (j, pid) in ids.into_iter().enumerate() {
            out.write_all(if j > 0 { b",\n" } else { b"\n" })?;
            json(out, &project_data(s, &mut packages, pid)?)?;
        }
        out.write_all(b"]}")?;
    }
    out.write_all(b"],\n\"triage\":")?;
    json(out, &s.triage(None)?)?;
    out.write_all(b"}\n")?;
    Ok(())
}
