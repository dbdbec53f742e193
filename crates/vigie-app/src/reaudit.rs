//! A re-audit: the latest snapshot's stored components matched again against the current
//! knowledge index, without reading the repositories, into a new snapshot whose diff with
//! the previous one is what the new knowledge changed (`vigie reaudit`; the server runs it
//! after each sync).
//!
//! Only the vulnerability findings are computed again: they are what a sync changes every
//! day (OSV, the native feeds, CISA's exploited list) and they need nothing but the
//! components. Lifecycle and licence findings need the files themselves (a Dockerfile's
//! image, a licence text) and are carried forward as the snapshot has them; a scan
//! refreshes them. The projects, their components and keys, and the catalog are carried
//! forward unchanged.
//!
//! The store is read through a second, read-only handle (one consistent view of the
//! snapshot) on its own thread, which matches a chunk of projects at a time on the pool
//! while the writer stores the previous chunk: memory holds a few chunks, not the estate.

use std::collections::BTreeMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;
use vigie_findings::Family;
use vigie_model::{Component, Ecosystem, FileReport, Project};
use vigie_store::{FindingRecord, ProjectRecord, SnapshotDiff, SnapshotId, SnapshotMeta, Store};

use crate::Progress;
use crate::checks::{CheckFamily, Knowledge, LoadOptions};
use crate::config::{Config, LifecycleOptions};
use crate::store::StoreLocation;

/// Components per chunk handed to the pool.
const CHUNK_COMPONENTS: usize = 50_000;

/// Attempts when other writers store snapshots between the read and the write.
const ATTEMPTS: usize = 3;

/// What to re-audit.
pub struct ReauditRequest<'a> {
    /// The store.
    pub store: &'a StoreLocation,
    /// The configuration file given explicitly (`[store] keep`).
    pub config_file: Option<&'a Path>,
    /// The new snapshot's label (else `reaudit`).
    pub label: Option<String>,
    /// Snapshots kept (else `[store] keep`, else [`crate::scan::DEFAULT_KEEP`]).
    pub keep: Option<usize>,
}

/// What a re-audit stored.
#[derive(Clone, Debug, Serialize)]
pub struct ReauditSummary {
    /// The new snapshot.
    pub snapshot: SnapshotId,
    /// The snapshot it checks again.
    pub from: SnapshotId,
    /// The store, as it may be printed (a URL without its password).
    pub db: String,
    /// The knowledge generation matched against.
    pub generation: String,
    /// Projects (all carried forward).
    pub projects: u64,
    /// Components matched (resolved, of an ecosystem the index covers; distinct per project).
    pub checked: u64,
    /// Components not checked because the index holds no advisory for their ecosystem.
    pub uncovered: BTreeMap<Ecosystem, usize>,
    /// Vulnerability findings of the snapshot checked again.
    pub vulnerabilities_before: u64,
    /// Vulnerability findings of the new snapshot.
    pub vulnerabilities: u64,
    /// Snapshots deleted by the retention.
    pub pruned_snapshots: u64,
}

/// What a re-audit did: its summary and what changed from the snapshot it checked again.
pub struct ReauditOutcome {
    /// The summary.
    pub summary: ReauditSummary,
    /// The diff of the two snapshots: only findings can differ.
    pub diff: SnapshotDiff,
}

/// Re-audits the latest snapshot of the store of `req` (see the module's text).
pub fn reaudit(
    req: &ReauditRequest<'_>,
    progress: &dyn Progress,
) -> anyhow::Result<ReauditOutcome> {
    let mut store = req.store.open()?;
    reaudit_into(req, &mut *store, progress)
}

/// [`reaudit`] into a store already open to write (the server's one writable handle).
pub fn reaudit_into(
    req: &ReauditRequest<'_>,
    store: &mut dyn Store,
    progress: &dyn Progress,
) -> anyhow::Result<ReauditOutcome> {
    let db = req.store.location()?;
    let config = Config::load(req.config_file, None)?;
    let knowledge = Knowledge::load(&LoadOptions {
        checks: &[CheckFamily::Vulns],
        lifecycle: &LifecycleOptions::default(),
        data_dir: req.store.data_dir.as_deref(),
        config: &config,
        config_file: req.config_file,
        paths: &[],
        max_file_size: crate::estate::DEFAULT_MAX_FILE_SIZE,
        progress,
    })?;
    let matcher = vigie_audit::Matcher::new(&knowledge.index);
    let meta = SnapshotMeta {
        taken_at: crate::access::now(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        roots: Vec::new(),
        label: Some(req.label.clone().unwrap_or_else(|| "reaudit".to_owned())),
    };
    let mut attempt = 0;
    let (rematched, counts) = loop {
        attempt += 1;
        let from = store.latest().map_err(|e| match e {
            vigie_store::Error::Empty => {
                anyhow::anyhow!("the store holds no snapshot to re-audit (run `vigie scan` first)")
            }
            e => e.into(),
        })?;
        let info = store
            .snapshots()?
            .into_iter()
            .find(|s| s.id == from)
            .ok_or_else(|| anyhow::anyhow!("snapshot {from} not found"))?;
        let meta = SnapshotMeta {
            roots: info.meta.roots.clone(),
            ..meta.clone()
        };
        let reader = req.store.open_read_only()?;
        progress.start("re-audit", Some(info.projects));
        let done = rematch(reader, store, &matcher, &meta, from, progress);
        progress.finish();
        match done {
            Err(Attempt::Changed) if attempt < ATTEMPTS => continue,
            Err(Attempt::Changed) => {
                anyhow::bail!("the store kept changing during {ATTEMPTS} attempts to re-audit it")
            }
            Err(Attempt::Failed(e)) => return Err(e),
            Ok(done) => break done,
        }
    };
    let keep = req
        .keep
        .or(config.store.keep)
        .unwrap_or(crate::scan::DEFAULT_KEEP)
        .max(1);
    let pruned = store.retain(keep)?;
    store.checkpoint()?;
    let diff = store.diff(rematched.from, rematched.snapshot)?;
    // Only vulnerability findings differ between the two snapshots.
    let after = counts.findings;
    let before = (after + diff.findings_resolved.len() as u64)
        .saturating_sub(diff.findings_appeared.len() as u64);
    Ok(ReauditOutcome {
        summary: ReauditSummary {
            snapshot: rematched.snapshot,
            from: rematched.from,
            db: db.to_string(),
            generation: knowledge.generation.id().to_owned(),
            projects: rematched.projects,
            checked: counts.checked,
            uncovered: counts.uncovered,
            vulnerabilities_before: before,
            vulnerabilities: after,
            pruned_snapshots: pruned.snapshots,
        },
        diff,
    })
}

/// Why one attempt stored nothing.
enum Attempt {
    /// Another snapshot was stored after the one read: read the new latest.
    Changed,
    Failed(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Attempt {
    fn from(e: E) -> Attempt {
        Attempt::Failed(e.into())
    }
}

/// What the matching counted.
#[derive(Default)]
struct Counts {
    checked: u64,
    findings: u64,
    uncovered: BTreeMap<Ecosystem, usize>,
}

/// The findings of one project, by path, or the error that stops the re-audit.
type Matched = anyhow::Result<(String, Vec<FindingRecord>)>;

/// One attempt: `reader` streams the projects of `from` to the pool, `store` writes.
fn rematch(
    reader: Box<dyn Store>,
    store: &mut dyn Store,
    matcher: &vigie_audit::Matcher<'_>,
    meta: &SnapshotMeta,
    from: SnapshotId,
    progress: &dyn Progress,
) -> Result<(vigie_store::Rematched, Counts), Attempt> {
    let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Matched>>(2);
    let counts = std::sync::Mutex::new(Counts::default());
    let shared = &counts;
    let (read, written) = std::thread::scope(|threads| {
        // The read-only handle moves to its thread (a store is not shared between threads).
        let read = threads.spawn(move || -> anyhow::Result<()> {
            let counts = shared;
            let mut chunk: Vec<(ProjectRecord, Vec<Component>)> = Vec::new();
            let mut size = 0;
            let flush = |chunk: &mut Vec<(ProjectRecord, Vec<Component>)>| {
                let matched: Vec<Matched> = std::mem::take(chunk)
                    .into_par_iter()
                    .map(|(record, components)| {
                        let audit = audit(matcher, record, components)?;
                        let mut c = counts.lock().unwrap_or_else(|e| e.into_inner());
                        c.checked += audit.checked as u64;
                        for u in &audit.uncovered {
                            *c.uncovered.entry(u.ecosystem).or_default() += 1;
                        }
                        drop(c);
                        let findings: Vec<FindingRecord> = vigie_audit::findings::findings(&audit)
                            .into_iter()
                            .filter(|f| f.family == Family::Vulnerability)
                            .collect();
                        counts.lock().unwrap_or_else(|e| e.into_inner()).findings +=
                            findings.len() as u64;
                        Ok((audit.path, findings))
                    })
                    .collect();
                progress.advance(matched.len() as u64);
                send.send(matched)
                    .map_err(|_| anyhow::anyhow!("the store writer stopped"))
            };
            reader.for_each_project(from, &mut |record, components| {
                size += components.len() + 1;
                chunk.push((record, components));
                if size >= CHUNK_COMPONENTS {
                    size = 0;
                    flush(&mut chunk).map_err(|e| vigie_store::Error::Invalid(format!("{e:#}")))?;
                }
                Ok(())
            })?;
            flush(&mut chunk)
        });
        let written = store.rematch(meta, from, Family::Vulnerability, &mut |add| {
            for batch in &receive {
                for m in batch {
                    let (path, findings) =
                        m.map_err(|e| vigie_store::Error::Invalid(format!("{e:#}")))?;
                    add(&path, &findings)?;
                }
            }
            Ok(())
        });
        // The reader stops at its next send once the writer has dropped the channel.
        drop(receive);
        (read.join(), written)
    });
    let read = read.map_err(|_| anyhow::anyhow!("the store reader panicked"))?;
    match (written, read) {
        // The reader's error first: the writer's is then only that the channel closed early.
        (_, Err(e)) => Err(Attempt::Failed(e)),
        (Err(vigie_store::Error::Superseded(_)), Ok(())) => Err(Attempt::Changed),
        (Err(e), Ok(())) => Err(e.into()),
        (Ok(r), Ok(())) => Ok((r, counts.into_inner().unwrap_or_else(|e| e.into_inner()))),
    }
}

/// The vulnerability audit of a stored project: its components placed in their files by
/// the counts the snapshot kept (a project stored by an older vigie names no file).
fn audit(
    matcher: &vigie_audit::Matcher<'_>,
    record: ProjectRecord,
    components: Vec<Component>,
) -> anyhow::Result<vigie_audit::ProjectAudit> {
    let files: Vec<FileReport> = if record.file_components.len() == record.files.len()
        && record.file_components.iter().sum::<u64>() == components.len() as u64
    {
        record
            .files
            .iter()
            .zip(&record.file_components)
            .map(|(path, n)| FileReport {
                path: path.clone(),
                format: String::new(),
                components: *n as usize,
            })
            .collect()
    } else {
        Vec::new()
    };
    let project = Project {
        name: record.name,
        path: record.path,
        files,
        components,
        dependencies: Vec::new(),
        diagnostics: Vec::new(),
    };
    let component_files = vigie_export::json::component_files(&project);
    Ok(vigie_audit::audit_project(
        Some(matcher),
        &project,
        &component_files,
    )?)
}
