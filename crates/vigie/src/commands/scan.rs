//! `vigie scan`: one snapshot of the estate into the store — the catalog,
//! every project's components and the findings of every check — written in
//! one transaction, then the retention applied.

use std::io::Write;
use std::process::ExitCode;

use rayon::prelude::*;
use serde::Serialize;
use vigie_store::{EntityRecord, ProjectRecord, RelationRecord, SnapshotMeta, Store};

use crate::checks::{Knowledge, LoadOptions};
use crate::cli::{CatalogArgs, ListFormat, ScanArgs, StoreArgs};
use crate::settings::Config;

/// Snapshots kept when neither `--keep` nor `store.keep` says.
pub const DEFAULT_KEEP: usize = 30;

/// What the scan stored, for the summary.
#[derive(Serialize)]
struct Summary {
    snapshot: i64,
    db: String,
    projects: u64,
    components: u64,
    findings: u64,
    entities: u64,
    catalog_errors: usize,
    input_errors: usize,
    pruned_snapshots: u64,
    db_bytes: u64,
}

pub fn run(args: ScanArgs) -> anyhow::Result<ExitCode> {
    let first_dir = args.paths.first().filter(|p| p.is_dir());
    let config = Config::load(args.config.as_deref(), first_dir.map(|p| p.as_path()))?;
    let knowledge = Knowledge::load(&LoadOptions {
        checks: &args.checks,
        lifecycle: &args.lifecycle,
        data: &args.data,
        config: &config,
        config_file: args.config.as_deref(),
        paths: &args.paths,
        max_file_size: args.max_file_size,
        quiet: args.quiet,
    })?;
    let auditor = knowledge.auditor(&args.checks);

    // The catalog first: a broken file is reported, the rest is kept.
    let found = super::catalog::find(&CatalogArgs {
        paths: args.paths.clone(),
        format: ListFormat::Table,
        today: None,
        config: args.config.clone(),
        quiet: true,
    })?;
    let catalog = super::catalog::load(&found);
    let catalog_errors = found.problems.len()
        + catalog
            .diagnostics
            .iter()
            .filter(|d| d.severity == vigie_catalog::Severity::Error)
            .count();
    if !args.quiet {
        for d in found.problems.iter().chain(&catalog.diagnostics) {
            eprintln!("{}", d.to_string().replace(|c: char| c.is_control(), "?"));
        }
    }

    let store_args = StoreArgs {
        db: args.db.clone(),
        data: args.data.clone(),
    };
    let db = super::store_io::db_path(&store_args)?;
    let mut store = super::store_io::open(&store_args)?;
    let meta = SnapshotMeta {
        taken_at: jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        roots: args.paths.iter().map(|p| p.display().to_string()).collect(),
        label: args.label.clone(),
    };
    // The store is written on its own thread (SQLite writes are serial) while the pool reads
    // and audits the next chunks; a bounded channel keeps at most a few chunks in flight.
    let (send, receive) = std::sync::mpsc::sync_channel::<Message>(2);
    let mut diagnostics = Vec::new();
    let (scanned, written) = std::thread::scope(|threads| {
        let writer = threads.spawn(|| write_snapshot(&mut *store, &meta, receive));
        let scanned = crate::estate::scan(
            &args.paths,
            args.max_file_size,
            auditor.extra(),
            |projects| {
                let audited: Vec<anyhow::Result<Option<(Stored, Vec<_>)>>> = projects
                    .into_par_iter()
                    .map(|s| {
                        let Some(a) = auditor.audit(&s)? else {
                            return Ok(None);
                        };
                        let findings = crate::records::findings(&a);
                        let p = s.project;
                        let record = ProjectRecord {
                            path: p.path,
                            name: p.name,
                            files: p.files.into_iter().map(|f| f.path).collect(),
                            licence_categories: a
                                .licences
                                .as_ref()
                                .map(|l| {
                                    l.categories
                                        .iter()
                                        .map(|(c, n)| ((*c).to_owned(), *n as u64))
                                        .collect()
                                })
                                .unwrap_or_default(),
                        };
                        let stored = Stored {
                            record,
                            components: p.components,
                            findings,
                        };
                        Ok(Some((stored, a.diagnostics)))
                    })
                    .collect();
                let mut batch = Vec::with_capacity(audited.len());
                for a in audited {
                    let Some((stored, diags)) = a? else { continue };
                    if !args.quiet {
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
            // A failed send means the writer stopped: its own error says why.
            let _ = send.send(Message::Finish(entities, relations));
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
    let Some(snapshot) = snapshot.filter(|_| !scanned.nothing) else {
        crate::estate::print_diagnostics(&scanned.walk_diagnostics);
        return Ok(ExitCode::from(2));
    };
    let keep = args
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
    let summary = Summary {
        snapshot,
        db: db.display().to_string(),
        projects: info.projects,
        components: info.components,
        findings: info.findings,
        entities: info.entities,
        catalog_errors,
        input_errors: scanned.errors,
        pruned_snapshots: pruned.snapshots,
        db_bytes: stats.bytes,
    };
    if !args.quiet {
        crate::estate::print_diagnostics(scanned.walk_diagnostics.iter().chain(&diagnostics));
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        }
        ListFormat::Table => writeln!(
            out,
            "snapshot {} in {} ({:.1} MB): {} projects, {} components, {} findings, \
             {} catalog entities{}",
            summary.snapshot,
            summary.db,
            summary.db_bytes as f64 / 1e6,
            summary.projects,
            summary.components,
            summary.findings,
            summary.entities,
            if pruned.snapshots > 0 {
                format!("; {} old snapshots deleted", pruned.snapshots)
            } else {
                String::new()
            }
        )?,
    }
    out.flush()?;
    Ok(if scanned.errors > 0 || catalog_errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
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
    /// The catalog, last: the snapshot is complete and is committed.
    Finish(Vec<EntityRecord>, Vec<RelationRecord>),
}

/// Writes the snapshot from what arrives on `receive`: committed at `Finish`, rolled back
/// when the channel closes before it (`Ok(None)`).
fn write_snapshot(
    store: &mut dyn Store,
    meta: &SnapshotMeta,
    receive: std::sync::mpsc::Receiver<Message>,
) -> anyhow::Result<Option<vigie_store::SnapshotId>> {
    let mut writer = store.begin_snapshot(meta)?;
    for message in receive {
        match message {
            Message::Projects(batch) => {
                for p in batch {
                    writer.add_project(&p.record, &p.components, &p.findings)?;
                }
            }
            Message::Finish(entities, relations) => {
                writer.add_entities(&entities, &relations)?;
                return Ok(Some(writer.commit()?));
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
