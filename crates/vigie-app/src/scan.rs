//! A snapshot of the estate into the store — the catalog, every project's components and
//! the findings of every check — written in one transaction, then the retention applied.
//!
//! The store is written on its own thread (SQLite writes are serial) while the pool reads
//! and audits the next chunks; a bounded channel keeps at most a few chunks in flight.

use rayon::prelude::*;
use serde::Serialize;
use vigie_model::Diagnostic;
use vigie_store::{EntityRecord, ProjectRecord, RelationRecord, SnapshotMeta, Store};

use sha2::{Digest, Sha256};

use crate::Progress;
use crate::checks::{Estate, Knowledge};
use crate::store::StoreLocation;

/// A project audited for the store: what is stored, its diagnostics, and the components
/// no advisory source covers (counted in the summary).
type Audited = (Stored, Vec<Diagnostic>, Vec<vigie_audit::Uncovered>);

/// Snapshots kept when neither `--keep` nor `store.keep` says.
pub const DEFAULT_KEEP: usize = 30;

/// What the scan stored, for the summary.
#[allow(missing_docs)]
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub snapshot: i64,
    pub db: String,
    pub projects: u64,
    pub components: u64,
    pub findings: u64,
    pub entities: u64,
    pub catalog_errors: usize,
    pub input_errors: usize,
    pub pruned_snapshots: u64,
    pub db_bytes: u64,
    /// Projects pushed by CI to the store, outside the scanned folders, kept in this snapshot.
    pub pushed_kept: u64,
    /// Projects whose files, knowledge, day and settings were those of the previous
    /// snapshot: carried from it without being read.
    pub unchanged: u64,
    /// Components (distinct per project) not checked for vulnerabilities because the index
    /// holds no advisory for their ecosystem, per ecosystem.
    pub uncovered: std::collections::BTreeMap<vigie_model::Ecosystem, usize>,
}

/// What to scan, with which checks, into which store.
pub struct ScanRequest<'a> {
    /// The estate and its checks.
    pub estate: Estate<'a>,
    /// The store.
    pub store: &'a StoreLocation,
    /// The snapshot's label.
    pub label: Option<String>,
    /// Snapshots kept (else `[store] keep`, else [`DEFAULT_KEEP`]).
    pub keep: Option<usize>,
}

/// What a scan did.
pub struct ScanOutcome {
    /// The snapshot stored, with its sizes; `None` when nothing could be read at all.
    pub summary: Option<Summary>,
    /// The catalog's problems: files that could not be read, and the catalog's own checks.
    pub catalog_diagnostics: Vec<vigie_catalog::Diagnostic>,
    /// What the walk met.
    pub walk_diagnostics: Vec<Diagnostic>,
    /// The projects' diagnostics (when asked).
    pub diagnostics: Vec<Diagnostic>,
}

impl ScanOutcome {
    /// True when some input could not be read (the snapshot is partial).
    pub fn partial(&self) -> bool {
        self.summary
            .as_ref()
            .is_none_or(|s| s.input_errors > 0 || s.catalog_errors > 0)
    }
}

/// Scans the estate of `req` into a new snapshot of its store.
pub fn scan(req: &ScanRequest<'_>, progress: &dyn Progress) -> anyhow::Result<ScanOutcome> {
    let mut store = req.store.open()?;
    scan_into(req, &mut *store, progress)
}

/// Fails, naming the file, when the store's own check finds it damaged: a scan would write a
/// new snapshot into it and exit 0 while older ones (and what it carries from them) are lost.
fn refuse_damaged(store: &dyn Store, db: &vigie_store::Location) -> anyhow::Result<()> {
    use anyhow::Context;
    let problems = store
        .quick_check()
        .with_context(|| format!("store {db} cannot be checked"))?;
    if problems != ["ok"] {
        let shown: Vec<&str> = problems.iter().take(3).map(String::as_str).collect();
        anyhow::bail!(
            "store {db} is damaged, nothing was written into it (restore it, or move it aside \
             and scan again): {}{}",
            shown.join("; "),
            if problems.len() > shown.len() {
                "; ..."
            } else {
                ""
            }
        );
    }
    Ok(())
}

/// [`scan`] into a store already open (the server's one writable handle, so that its scans
/// and the other writes it serves take turns).
pub fn scan_into(
    req: &ScanRequest<'_>,
    store: &mut dyn Store,
    progress: &dyn Progress,
) -> anyhow::Result<ScanOutcome> {
    let db = req.store.location()?;
    refuse_damaged(store, &db)?;
    let estate = &req.estate;
    let (config, knowledge) = estate.load(req.store.data_dir.as_deref(), progress)?;
    let auditor = knowledge.auditor();

    // The catalog first: a broken file is reported, the rest is kept.
    let found = crate::catalog::find(estate.paths, estate.config_file)?;
    let catalog = crate::catalog::load(&found);
    let catalog_errors = found.problems.len()
        + catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity == vigie_catalog::Severity::Error)
            .count();
    let mut outcome = ScanOutcome {
        summary: None,
        catalog_diagnostics: found.problems.clone(),
        walk_diagnostics: Vec::new(),
        diagnostics: Vec::new(),
    };
    outcome
        .catalog_diagnostics
        .extend(catalog.diagnostics.iter().cloned());

    let meta = SnapshotMeta {
        taken_at: jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        roots: estate
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
        label: req.label.clone(),
    };
    let previous = match store.latest_if_any()? {
        Some(id) => Some((id, store.project_states(id)?)),
        None => None,
    };
    let context = context(estate, &config, &knowledge);
    let fingerprints = Fingerprints::new(
        &context,
        previous.as_ref().map(|(_, states)| states.as_slice()),
    );
    let (send, receive) = std::sync::mpsc::sync_channel::<Message>(2);
    let mut diagnostics = Vec::new();
    let mut uncovered = std::collections::BTreeMap::new();
    let (scanned, written) = std::thread::scope(|threads| {
        let writer = threads.spawn(|| write_snapshot(store, &meta, receive));
        let scanned = crate::estate::scan_some(
            estate.paths,
            estate.max_file_size,
            auditor.extra(),
            &|d| fingerprints.read(d),
            progress,
            |projects| {
                let audited: Vec<anyhow::Result<Option<Audited>>> = projects
                    .into_par_iter()
                    .map(|s| {
                        let Some(mut a) = auditor.audit(&s)? else {
                            return Ok(None);
                        };
                        let gaps = std::mem::take(&mut a.uncovered);
                        let findings = vigie_audit::findings::findings(&a);
                        let p = s.project;
                        let mut record = record_of(p.path, p.name, &p.files, Some(&a));
                        // A project read with errors is read again next time.
                        if !p
                            .diagnostics
                            .iter()
                            .any(|d| d.severity == vigie_model::Severity::Error)
                        {
                            record.fingerprint = fingerprints.of_read(&record.path);
                        }
                        for u in &gaps {
                            *record
                                .uncovered
                                .entry(u.ecosystem.as_str().to_owned())
                                .or_default() += 1;
                        }
                        let stored = Stored {
                            record,
                            components: p.components,
                            findings,
                        };
                        Ok(Some((stored, a.diagnostics, gaps)))
                    })
                    .collect();
                let mut batch = Vec::with_capacity(audited.len());
                for a in audited {
                    let Some((stored, diags, gaps)) = a? else {
                        continue;
                    };
                    for u in gaps {
                        *uncovered.entry(u.ecosystem).or_default() += 1;
                    }
                    if estate.diagnostics {
                        diagnostics.extend(diags);
                    }
                    batch.push(stored);
                }
                send.send(Message::Projects(batch))
                    .map_err(|_| anyhow::anyhow!("the store writer stopped"))
            },
        );
        if let Ok(s) = &scanned
            && !s.nothing
        {
            let (entities, relations) = entity_records(&catalog);
            let unchanged = previous
                .as_ref()
                .map(|(id, _)| (*id, fingerprints.unchanged()));
            // A failed send means the writer stopped: its own error says why.
            let _ = send.send(Message::Finish(entities, relations, unchanged));
        }
        drop(send);
        let written = writer
            .join()
            .map_err(|_| anyhow::anyhow!("the store writer panicked"));
        (scanned, written)
    });
    // The writer's error first: a scan error after it is only its consequence.
    let snapshot = written??;
    let scanned = scanned?;
    outcome.walk_diagnostics = scanned.walk_diagnostics;
    let Some((snapshot, pushed_kept, unchanged)) = snapshot.filter(|_| !scanned.nothing) else {
        return Ok(outcome);
    };
    // The carried projects' components not checked, as they were stored.
    for state in fingerprints.carried() {
        for (ecosystem, n) in &state.uncovered {
            if let Some(e) = vigie_model::Ecosystem::from_osv(ecosystem) {
                *uncovered.entry(e).or_default() += *n as usize;
            }
        }
    }
    let keep = req
        .keep
        .or(config.store.keep)
        .unwrap_or(DEFAULT_KEEP)
        .max(1);
    let pruned = store.retain(keep)?;
    let info = store
        .snapshots()?
        .into_iter()
        .find(|s| s.id == snapshot)
        .ok_or_else(|| anyhow::anyhow!("snapshot {snapshot} not found after commit"))?;
    // The log holds the whole snapshot until checkpointed (closing would do it): done now so
    // that the size reported is the store's.
    store.checkpoint()?;
    let stats = store.stats()?;
    outcome.summary = Some(Summary {
        snapshot,
        db: db.to_string(),
        projects: info.projects,
        components: info.components,
        findings: info.findings,
        entities: info.entities,
        catalog_errors,
        input_errors: scanned.errors,
        pruned_snapshots: pruned.snapshots,
        db_bytes: stats.bytes,
        pushed_kept,
        unchanged,
        uncovered,
    });
    outcome.diagnostics = diagnostics;
    Ok(outcome)
}

/// The store's record of a project read from `files` and audited (`audit`: `None` when no
/// check ran).
pub(crate) fn record_of(
    path: String,
    name: String,
    files: &[vigie_model::FileReport],
    audit: Option<&vigie_audit::ProjectAudit>,
) -> ProjectRecord {
    ProjectRecord {
        path,
        name,
        files: files.iter().map(|f| f.path.clone()).collect(),
        licence_categories: audit
            .and_then(|a| a.licences.as_ref())
            .map(|l| {
                l.categories
                    .iter()
                    .map(|(c, n)| ((*c).to_owned(), *n as u64))
                    .collect()
            })
            .unwrap_or_default(),
        file_components: files.iter().map(|f| f.components as u64).collect(),
        fingerprint: None,
        uncovered: Default::default(),
    }
}

/// A project as the store keeps it.
struct Stored {
    record: ProjectRecord,
    components: Vec<vigie_model::Component>,
    findings: Vec<vigie_store::FindingRecord>,
}

/// What the scan hands to the store's thread.
enum Message {
    Projects(Vec<Stored>),
    /// The catalog, last, and the unchanged projects to carry from the previous snapshot:
    /// the snapshot is complete and is committed.
    Finish(
        Vec<EntityRecord>,
        Vec<RelationRecord>,
        Option<(vigie_store::SnapshotId, Vec<String>)>,
    ),
}

/// Writes the snapshot from what arrives on `receive`: committed at `Finish` with the
/// unchanged projects and those CI pushed to the store carried forward (answered with the
/// pushed ones' count and the unchanged ones'), rolled back when the channel closes before it
/// (`Ok(None)`).
fn write_snapshot(
    store: &mut dyn Store,
    meta: &SnapshotMeta,
    receive: std::sync::mpsc::Receiver<Message>,
) -> anyhow::Result<Option<(vigie_store::SnapshotId, u64, u64)>> {
    let mut writer = store.begin_snapshot(meta)?;
    for message in receive {
        match message {
            Message::Projects(batch) => {
                for p in batch {
                    writer.add_project(&p.record, &p.components, &p.findings)?;
                }
            }
            Message::Finish(entities, relations, unchanged) => {
                let carried = match unchanged {
                    Some((from, paths)) => writer.carry_unchanged(from, &paths)?,
                    None => 0,
                };
                let kept = writer.carry_pushed()?;
                writer.add_entities(&entities, &relations)?;
                return Ok(Some((writer.commit()?, kept, carried)));
            }
        }
    }
    Ok(None)
}

/// The catalog as the store keeps it.
fn entity_records(catalog: &vigie_catalog::Catalog) -> (Vec<EntityRecord>, Vec<RelationRecord>) {
    let entities = catalog
        .summaries()
        .into_iter()
        .map(|s| EntityRecord {
            entity_ref: s.entity_ref.to_string(),
            kind: s.kind.as_str().to_owned(),
            name: s.name.clone(),
            title: s.title.clone(),
            owners: s.owners.iter().map(ToString::to_string).collect(),
            system: s.system.as_ref().map(ToString::to_string),
            criticality: s.criticality.map(|c| c.0),
            internet_exposed: s
                .exposure
                .map(|e| !matches!(e, vigie_catalog::Exposure::Internal)),
            personal_data: s.personal_data,
            repositories: s.repositories.clone(),
            json: catalog
                .get(&s.entity_ref)
                .and_then(|e| serde_json::to_value(e).ok())
                .unwrap_or(serde_json::Value::Null),
        })
        .collect();
    let relations = catalog
        .relations
        .iter()
        .map(|r| RelationRecord {
            source: r.source.to_string(),
            relation: serde_json::to_value(r.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            target: r.target.to_string(),
        })
        .collect();
    (entities, relations)
}

/// What every project of a scan is read with, hashed once: vigie's version, its readers'
/// revision and the running binary itself (its size and time: a new build of one version
/// reads everything again), the knowledge generation, the day and horizon, the checks, the
/// size limit and the settings.
fn context(estate: &Estate<'_>, config: &crate::config::Config, knowledge: &Knowledge) -> Vec<u8> {
    let mut h = Sha256::new();
    for part in [
        env!("CARGO_PKG_VERSION").to_owned(),
        vigie_discovery::READERS_REVISION.to_string(),
        binary_identity(),
        knowledge.generation.id().to_owned(),
        format!("{:?}", knowledge.policy),
        format!("{:?}", estate.checks),
        estate.max_file_size.to_string(),
        format!("{config:?}"),
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    h.finalize().to_vec()
}

/// The running executable's size and modification time (empty when unknown).
fn binary_identity() -> String {
    std::env::current_exe()
        .and_then(std::fs::metadata)
        .and_then(|m| Ok((m.len(), m.modified()?)))
        .map(|(len, t)| format!("{len} {t:?}"))
        .unwrap_or_default()
}

/// Which projects changed since the previous snapshot, told by their fingerprint: the
/// [`context`] and, for each input file and extra file of the project, its path, size,
/// modification time and identity (device and inode). On doubt a project is read: a file
/// modified in the last seconds (a write may still be going on, within the clock's
/// resolution), one that is not a regular file, or a project with installed dependencies
/// beside it (`node_modules`, `vendor`, a virtualenv: the licence check reads them, and
/// they change without the lockfile changing).
struct Fingerprints<'a> {
    context: &'a [u8],
    previous: std::collections::HashMap<&'a str, &'a vigie_store::ProjectState>,
    /// Files modified after this are not trusted.
    trusted_before: std::time::SystemTime,
    /// Each project's fingerprint, as computed before it was read (`None`: not trusted).
    seen: std::sync::Mutex<std::collections::HashMap<String, Option<String>>>,
    /// The projects not read, as their previous snapshot has them.
    carried: std::sync::Mutex<Vec<&'a vigie_store::ProjectState>>,
}

/// Folders of installed dependencies that the licence check reads beside a project.
const INSTALLED: [&str; 6] = ["node_modules", "vendor", ".venv", "venv", "env", ".tox"];

impl<'a> Fingerprints<'a> {
    fn new(context: &'a [u8], previous: Option<&'a [vigie_store::ProjectState]>) -> Self {
        Fingerprints {
            context,
            previous: previous
                .unwrap_or_default()
                .iter()
                .map(|s| (s.path.as_str(), s))
                .collect(),
            trusted_before: std::time::SystemTime::now() - std::time::Duration::from_secs(2),
            seen: Default::default(),
            carried: Default::default(),
        }
    }

    /// Whether project `d` is to be read (its fingerprint is recorded either way).
    fn read(&self, d: &vigie_discovery::ProjectDir) -> bool {
        let fingerprint = self.of(d);
        let same = fingerprint.as_deref().and_then(|f| {
            self.previous
                .get(d.path.as_str())
                .filter(|s| s.fingerprint == f)
        });
        if let Some(state) = same {
            self.carried
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(state);
            return false;
        }
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(d.path.clone(), fingerprint);
        true
    }

    /// The fingerprint of project `path`, as computed before it was read.
    fn of_read(&self, path: &str) -> Option<String> {
        self.seen
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(path)
            .cloned()
            .flatten()
    }

    /// The projects carried from the previous snapshot, by path.
    fn carried(&self) -> Vec<&'a vigie_store::ProjectState> {
        let mut c = self
            .carried
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        c.sort_by(|a, b| a.path.cmp(&b.path));
        c
    }

    /// The paths of [`carried`](Self::carried).
    fn unchanged(&self) -> Vec<String> {
        self.carried().iter().map(|s| s.path.clone()).collect()
    }

    fn of(&self, d: &vigie_discovery::ProjectDir) -> Option<String> {
        let dir = std::path::Path::new(&d.path);
        if INSTALLED
            .iter()
            .any(|name| std::fs::symlink_metadata(dir.join(name)).is_ok())
        {
            return None;
        }
        let mut h = Sha256::new();
        h.update(self.context);
        let paths = d
            .files
            .iter()
            .map(|f| f.path.as_str())
            .chain(d.extras.iter().map(String::as_str));
        for path in paths {
            let meta = std::fs::symlink_metadata(path).ok()?;
            let modified = meta.modified().ok()?;
            if !meta.is_file() || modified >= self.trusted_before {
                return None;
            }
            let nanos = modified
                .duration_since(std::time::UNIX_EPOCH)
                .ok()?
                .as_nanos();
            h.update((path.len() as u64).to_le_bytes());
            h.update(path.as_bytes());
            h.update(meta.len().to_le_bytes());
            h.update(nanos.to_le_bytes());
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                h.update(meta.dev().to_le_bytes());
                h.update(meta.ino().to_le_bytes());
            }
        }
        Some(crate::access::hex(&h.finalize()))
    }
}
