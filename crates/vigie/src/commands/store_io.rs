//! `vigie export` / `vigie import`, and opening the store for every store command.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use vigie_store::{Location, Mode, SnapshotId, Store};

use crate::cli::{ExportArgs, ImportArgs, StoreArgs};

/// The store's file: `--db`, `$VIGIE_DB`, else `vigie.db` in the data directory.
pub fn db_path(args: &StoreArgs) -> anyhow::Result<PathBuf> {
    match &args.db {
        Some(p) => Ok(p.clone()),
        None => Ok(crate::settings::data_dir(&args.data)?.join("vigie.db")),
    }
}

/// Opens (creating and migrating) the store.
pub fn open(args: &StoreArgs) -> anyhow::Result<Box<dyn Store>> {
    open_in(args, Mode::ReadWrite)
}

/// Opens the store to read it only (see [`Mode::ReadOnly`]).
pub fn open_read_only(args: &StoreArgs) -> anyhow::Result<Box<dyn Store>> {
    open_in(args, Mode::ReadOnly)
}

fn open_in(args: &StoreArgs, mode: Mode) -> anyhow::Result<Box<dyn Store>> {
    let path = db_path(args)?;
    vigie_store::open(&Location::path(&path), mode)
        .with_context(|| format!("store {}", path.display()))
}

/// The snapshot asked for, or the latest one.
pub fn snapshot(store: &dyn Store, asked: Option<SnapshotId>) -> anyhow::Result<SnapshotId> {
    match asked {
        Some(id) => Ok(id),
        None => Ok(store.latest()?),
    }
}

/// Today as `YYYY-MM-DD` (UTC), or the day given.
pub fn today(asked: Option<&str>) -> anyhow::Result<String> {
    Ok(crate::settings::today(asked)?.to_string())
}

pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = open_read_only(&args.store)?;
    match &args.output {
        Some(path) => {
            // Written beside the target and renamed, so a failed export leaves no half file.
            let tmp = path.with_extension("json.partial");
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            let mut out = std::io::BufWriter::new(file);
            store.export(&mut out)?;
            out.flush()?;
            drop(out);
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            store.export(&mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(&args.store)?;
    let file = std::fs::File::open(&args.file)
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    store
        .import(&mut std::io::BufReader::new(file))
        .with_context(|| format!("import of {}", args.file.display()))?;
    let stats = store.stats()?;
    eprintln!(
        "imported {} snapshot(s), {} component rows, {} triage record(s)",
        stats.snapshots, stats.components, stats.triage_records
    );
    Ok(ExitCode::SUCCESS)
}
