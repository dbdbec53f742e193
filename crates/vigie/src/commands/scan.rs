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
    let mut writer = store.begin_snapshot(&meta)?;
    let mut diagnostics = Vec::new();
    let scanned = crate::estate::scan(
        &args.paths,
        args.max_file_size,
        auditor.extra(),
        |projects| {
            // Audit in parallel, write on this thread (one transaction).
            let audits: Vec<anyhow::Result<Option<_>>> =
                projects.par_iter().map(|s| auditor.audit(s)).collect();
            for (s, a) in projects.iter().zip(audits) {
                let Some(a) = a? else { continue };
                let p = &s.project;
                let record = ProjectRecord {
                    path: p.path.clone(),
                    name: p.name.clone(),
                    files: p.files.iter().map(|f| f.path.clone()).collect(),
                };
                writer.add_project(&record, &p.components, &crate::records::findings(&a))?;
                if !args.quiet {
                    diagnostics.extend(a.diagnostics);
                }
            }
            Ok(())
        },
    )?;
    if scanned.nothing {
        crate::estate::print_diagnostics(&scanned.walk_diagnostics);
        return Ok(ExitCode::from(2));
    }
    let (entities, relations) = entity_records(&catalog);
    writer.add_entities(&entities, &relations)?;
    let snapshot = writer.commit()?;
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
