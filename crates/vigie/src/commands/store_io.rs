//! `vigie export` / `vigie import`, and opening the store for every store command.

use std::process::ExitCode;

use anyhow::Context;
use vigie_store::{SnapshotId, Store};

use vigie_app::store::StoreLocation;

use crate::cli::{ExportArgs, ImportArgs, StoreArgs};
use crate::output::Output;

impl StoreArgs {
    /// Where the store is, as the flags and the environment say.
    pub fn location(&self) -> StoreLocation {
        StoreLocation {
            db: self.db.clone(),
            data_dir: self.data.data_dir.clone(),
        }
    }
}

/// Opens (creating and migrating) the store.
pub fn open(args: &StoreArgs) -> anyhow::Result<Box<dyn Store>> {
    args.location().open()
}

/// Opens the store to read it only.
pub fn open_read_only(args: &StoreArgs) -> anyhow::Result<Box<dyn Store>> {
    args.location().open_read_only()
}

/// The snapshot asked for, or the latest one.
pub fn snapshot(store: &dyn Store, asked: Option<SnapshotId>) -> anyhow::Result<SnapshotId> {
    vigie_app::store::snapshot(store, asked)
}

/// Today as `YYYY-MM-DD` (UTC), or the day given.
pub fn today(asked: Option<&str>) -> anyhow::Result<String> {
    Ok(vigie_app::config::today(asked)?.to_string())
}

pub fn export(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let store = open_read_only(&args.store)?;
    let mut out = Output::open(args.output.as_deref())?;
    store.export(&mut out)?;
    out.finish()?;
    Ok(ExitCode::SUCCESS)
}

pub fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let mut store = open(&args.store)?;
    let file = vigie_fs::open_regular(&args.file)
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
