//! A snapshot that is another checked again with newer knowledge: every project of `from`
//! is carried forward (components, catalog, keys, findings), and the findings of one family
//! are replaced by those the caller computed again from the stored components (a project
//! the caller gives nothing for has none left) (`vigie reaudit`: vulnerabilities after a sync), so that the diff of the two
//! snapshots is what the new knowledge changed.
//!
//! Written once here over the storage primitives of an ingest ([`IngestWriter`]): the write
//! lock is taken first, and when another writer committed a snapshot after `from`, nothing
//! is stored and [`Error::Superseded`] says so (the caller checks again the new latest).

use vigie_findings::Family;

use crate::storage::Storage;
use crate::{Error, FindingRecord, Result, SnapshotId, SnapshotMeta};

/// What [`Store::rematch`](crate::Store::rematch) stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rematched {
    /// The new snapshot.
    pub snapshot: SnapshotId,
    /// The snapshot it is a new check of.
    pub from: SnapshotId,
    /// Its projects (all carried forward).
    pub projects: u64,
}

/// Gives the findings of one project (by path) to the snapshot being written.
pub type AddFindings<'a> = dyn FnMut(&str, &[FindingRecord]) -> Result<()> + 'a;

/// See [`Store::rematch`](crate::Store::rematch).
pub(crate) fn rematch(
    s: &mut dyn Storage,
    meta: &SnapshotMeta,
    from: SnapshotId,
    family: Family,
    fill: &mut dyn FnMut(&mut AddFindings<'_>) -> Result<()>,
) -> Result<Rematched> {
    s.check_snapshot(from)?;
    let paths: Vec<String> = s.projects(from)?.into_iter().map(|p| p.path).collect();
    let mut writer = s.begin_ingest(meta)?;
    if writer.previous() != Some(from) {
        return Err(Error::Superseded(from));
    }
    let projects = writer.carry_forward(from, &[])?;
    let mut given = std::collections::HashSet::new();
    fill(&mut |path, findings| {
        if let Some(f) = findings
            .iter()
            .find(|f| f.family != family || f.project_path != path)
        {
            return Err(Error::Invalid(format!(
                "finding {:?} given for project {path:?} in a new check of the {} findings",
                f.key,
                family.id()
            )));
        }
        given.insert(path.to_owned());
        writer.replace_findings(path, family, findings)
    })?;
    // A project the caller gave nothing for has none of the family any more.
    for path in paths.iter().filter(|p| !given.contains(*p)) {
        writer.replace_findings(path, family, &[])?;
    }
    let snapshot = writer.commit()?;
    Ok(Rematched {
        snapshot,
        from,
        projects,
    })
}
