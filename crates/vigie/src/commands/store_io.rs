//! `vigie export` / `vigie import` / `vigie store copy`, and opening the store for every
//! store command.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use vigie_store::{Location, SnapshotId, Store};

use vigie_app::store::StoreLocation;

use crate::cli::{
    DbArg, ExportArgs, ImportArgs, ListFormat, StoreArgs, StoreCommand, StoreCopyArgs,
    StoreStatsArgs,
};
use crate::output::Output;

impl StoreArgs {
    /// Where the store is, as the flags, the environment and the configuration file say.
    pub fn location(&self) -> anyhow::Result<StoreLocation> {
        StoreLocation::load(
            self.db.given()?,
            self.config.as_deref(),
            self.data.data_dir.clone(),
        )
    }
}

impl DbArg {
    /// The store `--db` names, if any, parsed (an unknown scheme is an error naming it).
    pub fn given(&self) -> anyhow::Result<Option<Location>> {
        given("--db", self.db.as_deref())
    }
}

/// The store a flag names, if any, parsed (an unknown scheme is an error naming `flag`).
fn given(flag: &str, text: Option<&str>) -> anyhow::Result<Option<Location>> {
    text.map(|t| vigie_app::store::parse_location(flag, t))
        .transpose()
}

/// Opens (creating and migrating) the store.
pub fn open(args: &StoreArgs) -> anyhow::Result<Box<dyn Store>> {
    args.location()?.open()
}

/// Opens the store to read it only.
pub fn open_read_only(args: &StoreArgs) -> anyhow::Result<Box<dyn Store>> {
    args.location()?.open_read_only()
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

pub fn store(cmd: StoreCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        StoreCommand::Copy(args) => copy(args),
        StoreCommand::Stats(args) => stats(args),
    }
}

/// `vigie store stats`.
fn stats(args: StoreStatsArgs) -> anyhow::Result<ExitCode> {
    let report = vigie_app::store::stats(&args.store.location()?)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &report)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            let s = &report.stats;
            writeln!(
                out,
                "store          {} ({})",
                report.location, report.backend
            )?;
            writeln!(out, "schema         {}", s.schema_version)?;
            writeln!(out, "snapshots      {}", s.snapshots)?;
            writeln!(out, "packages       {}", s.packages)?;
            writeln!(
                out,
                "components     {} (in {} distinct lists)",
                s.components, s.component_lists
            )?;
            writeln!(
                out,
                "findings       {} ({} stored)",
                s.findings, s.findings_stored
            )?;
            writeln!(out, "triage         {}", s.triage_records)?;
            writeln!(out, "size           {:.1} MB", s.bytes as f64 / 1e6)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// `vigie store copy`: the summary on standard output, as `vigie scan` prints its own.
fn copy(args: StoreCopyArgs) -> anyhow::Result<ExitCode> {
    let from = StoreLocation::load(
        given("--from", args.from.as_deref())?,
        args.config.as_deref(),
        args.data.data_dir.clone(),
    )?
    .location()?;
    let to = vigie_app::store::parse_location("--to", &args.to)?;
    let summary = vigie_app::store::copy(&from, &to, &crate::progress::Bars::new(args.quiet))?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &summary)?;
            writeln!(out)?;
        }
        ListFormat::Table => writeln!(
            out,
            "copied {} ({}) into {} ({}, {:.1} MB): {} snapshots, {} components, {} findings, \
             {} triage decisions",
            summary.from,
            summary.from_backend,
            summary.to,
            summary.to_backend,
            summary.bytes as f64 / 1e6,
            summary.snapshots,
            summary.components,
            summary.findings,
            summary.triage_records,
        )?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
