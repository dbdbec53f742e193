//! The command line: one clap `Command` enum, each variant's doc is its help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  findings at or over the --fail-on threshold
  2  error, or some inputs could not be read (the output covers the rest)";

/// vigie, the CTO's control tower: a living map of the information system,
/// audited against public knowledge.
#[derive(Parser)]
#[command(name = "vigie", version, about, after_help = EXIT_CODES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// List the software components of every project found under the given folders.
    ///
    /// A project is a folder holding a manifest, a lockfile or an SBOM.
    /// `.gitignore` is honoured; `node_modules`, `target`, `vendor` and `.git`
    /// are skipped; links are never followed.
    Inventory(InventoryArgs),
    /// List the file formats vigie reads.
    Formats(FormatsArgs),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InventoryFormat {
    /// Human table: components per project, then summaries.
    Table,
    /// vigie's JSON schema (docs/schemas/inventory.v1.schema.json), streamed.
    Json,
    /// CycloneDX 1.6 JSON, one BOM for the whole scan.
    Cyclonedx,
    /// SPDX 2.3 JSON, one document for the whole scan.
    Spdx,
}

#[derive(Args)]
pub struct InventoryArgs {
    /// Folders to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = InventoryFormat::Table)]
    pub format: InventoryFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Table format: print only the per-project and per-ecosystem summaries.
    #[arg(long)]
    pub summary: bool,
    /// Files larger than this many bytes are refused with a diagnostic.
    #[arg(long, default_value_t = vigie_discovery::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Print no diagnostics on standard error (they stay in JSON outputs).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    Table,
    Json,
}

#[derive(Args)]
pub struct FormatsArgs {
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}
