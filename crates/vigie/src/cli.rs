//! The command line: one clap `Command` enum, each variant's doc is its help.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
pub use vigie_app::checks::CheckFamily;
pub use vigie_app::config::Threshold;

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
    /// Audit every project under the given folders against the knowledge index:
    /// vulnerabilities (with the smallest fixing upgrade) and informational
    /// advisories (unmaintained, unsound).
    ///
    /// Needs a knowledge index: run `vigie sync` (or `vigie sync --mirror DIR`) first.
    Audit(AuditArgs),
    /// The end-of-life forecast: every platform, runtime, image and framework
    /// in use, with its end dates over the coming months.
    Lifecycle(LifecycleCmdArgs),
    /// The licence of every component of every project: category, verdict
    /// under the project's distribution model, obligations, coverage.
    ///
    /// Needs the SPDX licence list of the knowledge index (`vigie sync`).
    Licences(LicencesArgs),
    /// The third-party notice a distributed product ships: the components
    /// under each licence, their copyright lines, and the licence texts.
    Notice(NoticeArgs),
    /// Take a snapshot of the estate into the store: the catalog, the
    /// inventory of every project and the findings of every check, in one
    /// transaction (an interrupted scan leaves the previous snapshots whole).
    ///
    /// Needs a knowledge index (`vigie sync`). `vigie diff`, `who-uses`, `show`,
    /// `triage` and `report` read the snapshots.
    Scan(ScanArgs),
    /// Match the latest snapshot's stored components again against the current knowledge
    /// index, without reading the repositories: a new snapshot whose difference with the
    /// latest is what the new knowledge changed (run it after `vigie sync`; `vigie serve`
    /// does after each of its syncs).
    ///
    /// Vulnerability findings are computed again; lifecycle and licence findings, which
    /// need the files, are carried forward (`vigie scan` refreshes them).
    Reaudit(ReauditArgs),
    /// Download the public feeds (OSV, CISA KEV, endoflife.date, SPDX) and
    /// compile the knowledge index; `--mirror DIR` compiles a local mirror instead.
    ///
    /// A failed or interrupted sync leaves the previous index in use. So does a sync whose
    /// new index would lack a source: one that could not be downloaded or read, or one the
    /// index in use holds and this sync did not find (exit 2, each source named);
    /// `--allow-partial` accepts such an index.
    ///
    /// When there is a store (`--db`), the ecosystems its latest snapshot uses that the new
    /// index holds no advisory for are named.
    Sync(SyncArgs),
    /// The catalog: systems, teams, data stores, SaaS, owners, criticality,
    /// personal data and contracts (Backstage `catalog-info.yaml` and vigie's
    /// fields, docs/catalog.md).
    #[command(subcommand)]
    Catalog(CatalogCommand),
    /// List the file formats vigie reads.
    Formats(FormatsArgs),
    /// What changed between two snapshots of the store: projects, components,
    /// findings appeared, resolved and changed (default: the last two snapshots).
    Diff(DiffArgs),
    /// Record a triage decision about a finding (by finding key, or by advisory id
    /// or alias for every finding of it), or `vigie triage list` the decisions.
    Triage(TriageArgs),
    /// Every project and system that uses a package, with owners:
    /// `vigie who-uses log4j-core@<2.17.1`, `vigie who-uses pkg:npm/lodash`,
    /// `vigie who-uses --advisory CVE-2021-44228`.
    WhoUses(WhoUsesArgs),
    /// Are we hit? An advisory id or alias (`CVE-2021-44228`), a purl or a package with a
    /// range (`log4j-core@<2.17.1`): the projects, systems and owners concerned, the fixing
    /// versions, and whether the knowledge index knows the advisory at all. Exits 1 when
    /// no project is concerned.
    Hit(HitArgs),
    /// What the knowledge index holds: advisories and packages per ecosystem, its feed
    /// files and when they were fetched; and the coverage of a snapshot: the ecosystems of
    /// the estate the index holds no advisory for, whose components cannot be checked.
    /// Exits 2 when there is no index.
    Knowledge(KnowledgeArgs),
    /// A project or catalog element: components, findings, owners, what it depends
    /// on and what depends on it.
    Show(ShowArgs),
    /// The executive report of a snapshot: risks, actions, trend, end of life, licences
    /// (HTML, Markdown, PDF), or the risk analysis as JSON or CSV.
    Report(crate::commands::report::ReportArgs),
    /// Write the whole store as one JSON document.
    Export(ExportArgs),
    /// Read a `vigie export` document into an empty store.
    Import(ImportArgs),
    /// The store as a whole: `vigie store copy` copies it into another (SQLite or
    /// PostgreSQL, either way).
    #[command(subcommand)]
    Store(StoreCommand),
    /// Serve the control tower on the web: log in, the overview, `/metrics`; scans the
    /// folders given at start and on `[server] scan-every`. Logs follow `RUST_LOG`.
    Serve(ServeArgs),
    /// API tokens for CI and scripts.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Users of the control tower: add, list, disable, change a role.
    #[command(subcommand)]
    User(UserCommand),
}

#[derive(Args)]
pub struct ScanArgs {
    /// Folders to scan.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    /// A label for the snapshot (a release, a date, a ticket).
    #[arg(long)]
    pub label: Option<String>,
    /// Keep this many snapshots, deleting older ones [default: `store.keep`, or 30].
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,
    /// Output format of the summary.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Send the inventory to the vigie server at URL (its address) instead of storing it:
    /// the server runs the checks with its own index. The token is read from `VIGIE_TOKEN`
    /// (a token with the `ingest` scope), never from a flag.
    #[arg(long, value_name = "URL")]
    pub push: Option<String>,
    /// With `--push`: the path the folders' projects are filed under on the server [default:
    /// each folder as given when it is a plain relative path, else its name].
    #[arg(long, value_name = "NAME", requires = "push")]
    pub project: Option<String>,
    /// With `--push`: the commit the folders are at; the push is idempotent on it (else on
    /// the content) [default: `GITHUB_SHA`, `CI_COMMIT_SHA`, `BUILD_SOURCEVERSION`].
    #[arg(long, value_name = "SHA", requires = "push")]
    pub commit: Option<String>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub checks: ChecksArgs,
}

#[derive(Args)]
pub struct ReauditArgs {
    /// A label for the snapshot [default: reaudit].
    #[arg(long)]
    pub label: Option<String>,
    /// Keep this many snapshots, deleting older ones [default: `store.keep` of --config, or
    /// 30].
    #[arg(long, value_name = "N")]
    pub keep: Option<usize>,
    /// Output format: the summary and the findings that changed.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// No progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// The store named on the command line (or by `$VIGIE_DB`): taken as text and parsed after
/// clap, so that no error of clap's echoes a URL's password, and never shown in the help.
#[derive(Args, Clone)]
pub struct DbArg {
    /// The store: a database file, `sqlite:FILE` or a PostgreSQL URL
    /// (`postgres://user@host/db`) [default: `[store] url` of --config, else vigie.db in the
    /// data directory].
    #[arg(
        long,
        env = "VIGIE_DB",
        hide_env_values = true,
        value_name = "PATH|URL"
    )]
    pub db: Option<String>,
}

/// Where the store is.
#[derive(Args, Clone)]
pub struct StoreArgs {
    #[command(flatten)]
    pub db: DbArg,
    /// Configuration file: its `[store] url` names the store when --db does not [default:
    /// none].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataDirArgs,
}

#[derive(Args)]
pub struct DiffArgs {
    /// The older snapshot [default: the one before the latest].
    pub from: Option<i64>,
    /// The newer snapshot [default: the latest].
    pub to: Option<i64>,
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// A triage state (CycloneDX VEX analysis states, and accepted risk).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TriageStateArg {
    InTriage,
    Exploitable,
    NotAffected,
    FalsePositive,
    AcceptedRisk,
}

/// Why a finding does not affect the project (CycloneDX VEX justifications).
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum JustificationArg {
    CodeNotPresent,
    CodeNotReachable,
    RequiresConfiguration,
    RequiresDependency,
    RequiresEnvironment,
    ProtectedByCompiler,
    ProtectedAtRuntime,
    ProtectedAtPerimeter,
    ProtectedByMitigatingControl,
}

#[derive(Args)]
pub struct TriageArgs {
    /// A finding key, an advisory id or alias, or `list`.
    pub target: String,
    /// The decision (required unless listing).
    #[arg(long, value_enum)]
    pub state: Option<TriageStateArg>,
    /// With `--state not-affected`: why.
    #[arg(long, value_enum)]
    pub justification: Option<JustificationArg>,
    /// With `--state accepted-risk`: the last day of the acceptance (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub until: Option<String>,
    /// Why this decision.
    #[arg(long)]
    pub reason: Option<String>,
    /// Who decides [default: $USER].
    #[arg(long, value_name = "WHO")]
    pub by: Option<String>,
    /// `list`: every decision ever recorded instead of the current findings.
    #[arg(long)]
    pub history: bool,
    /// The snapshot whose findings are meant [default: the latest].
    #[arg(long)]
    pub snapshot: Option<i64>,
    /// Evaluate expiries as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

/// What every question to a stored snapshot takes: which snapshot, the output format, the
/// store.
#[derive(Args)]
pub struct QueryArgs {
    /// The snapshot to ask [default: the latest].
    #[arg(long)]
    pub snapshot: Option<i64>,
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args)]
pub struct WhoUsesArgs {
    /// A purl (`pkg:maven/org.apache.logging.log4j/log4j-core`, with a version or a range:
    /// `pkg:pypi/django@<2`) or `name[@version]`, `name@<range>` (`log4j-core@<2.17.1`) or
    /// `name@vers:...`.
    #[arg(required_unless_present = "advisory", conflicts_with = "advisory")]
    pub package: Option<String>,
    /// Every project with a finding of this advisory (id or alias).
    #[arg(long, value_name = "ID")]
    pub advisory: Option<String>,
    #[command(flatten)]
    pub query: QueryArgs,
}

#[derive(Args)]
pub struct HitArgs {
    /// An advisory id or alias, a purl, or `name[@version|@<range|@vers:...]`.
    pub question: String,
    #[command(flatten)]
    pub query: QueryArgs,
}

#[derive(Args)]
pub struct KnowledgeArgs {
    #[command(flatten)]
    pub query: QueryArgs,
}

#[derive(Args)]
pub struct ShowArgs {
    /// A project path or name, or a catalog element's reference or name.
    pub name: String,
    #[command(flatten)]
    pub query: QueryArgs,
}

#[derive(Args)]
pub struct ExportArgs {
    /// Write to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args)]
pub struct ImportArgs {
    /// A document written by `vigie export`.
    pub file: PathBuf,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args)]
pub struct ServeArgs {
    /// Folders scanned at start and on the schedule (none: serve the store as it is).
    pub paths: Vec<PathBuf>,
    /// Address and port to listen on [default: `server.listen`, or 127.0.0.1:8080].
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<String>,
    /// Configuration file [default: vigie.toml in the first folder, if any: not a link,
    /// and naming only files inside that folder, and no store; a file given here may name
    /// any].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub db: DbArg,
    #[command(flatten)]
    pub data: DataDirArgs,
}

#[derive(Subcommand)]
pub enum StoreCommand {
    /// Copy a whole store into an empty one: SQLite or PostgreSQL, either way.
    ///
    /// Streamed: the source's export is read by the destination's import as it is written,
    /// and no document is held whole. What is copied is what `vigie export` writes: the
    /// snapshots and the triage decisions, not users, tokens or the audit log. The
    /// destination must hold no snapshot and no triage decision (a file that does not exist
    /// is created); it is filled in one transaction, so a failed copy leaves it empty.
    Copy(StoreCopyArgs),
    /// The store's counts and size: snapshots, packages, components, component lists,
    /// findings (as the snapshots count them and as stored once per content), triage
    /// decisions, schema version, and bytes (the file; on PostgreSQL, the tables and indexes
    /// of the store's schema).
    Stats(StoreStatsArgs),
}

#[derive(Args)]
pub struct StoreStatsArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Args)]
pub struct StoreCopyArgs {
    /// The store to copy: a database file, `sqlite:FILE` or a PostgreSQL URL
    /// (`postgres://user@host/db`) [default: `[store] url` of --config, else vigie.db in the
    /// data directory].
    #[arg(
        long,
        env = "VIGIE_DB",
        hide_env_values = true,
        value_name = "PATH|URL"
    )]
    pub from: Option<String>,
    /// The empty store to copy into: a database file, `sqlite:FILE` or a PostgreSQL URL.
    #[arg(long, value_name = "PATH|URL")]
    pub to: String,
    /// Configuration file: its `[store] url` is the store copied when --from does not name
    /// one [default: none].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataDirArgs,
    /// Output format of the summary.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// No progress.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Subcommand)]
pub enum TokenCommand {
    /// Create an API token and print it once (only its hash is stored).
    Create(TokenCreateArgs),
    /// List the tokens: prefix, name, scopes, expiry, last use (never a secret or hash).
    List(ListArgs),
    /// Revoke the token with this prefix (the part after `vigie_`).
    Revoke(TokenRevokeArgs),
}

#[derive(Args)]
pub struct TokenCreateArgs {
    /// What the token may do: viewer (read), triager (read, triage), admin (everything,
    /// metrics and ingest included) or ingest (only push inventories and SBOMs: for CI).
    #[arg(long, value_parser = ["viewer", "triager", "admin", "ingest"], required_unless_present = "scope")]
    pub role: Option<String>,
    /// A scope (repeatable): read, triage, ingest, admin, metrics; replaces the role's.
    #[arg(long, value_parser = ["read", "triage", "ingest", "admin", "metrics"])]
    pub scope: Vec<String>,
    /// What it is for.
    #[arg(long, default_value = "cli")]
    pub name: String,
    /// Days before it expires [default: never].
    #[arg(long, value_name = "DAYS")]
    pub expires: Option<u32>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args)]
pub struct TokenRevokeArgs {
    /// The token's prefix.
    pub prefix: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a local user; the password is asked without echo, or read from standard input.
    Add(UserAddArgs),
    /// List the users.
    List(ListArgs),
    /// Disable a user: it can no longer log in, and its sessions end.
    Disable(UserNameArgs),
    /// Change a user's role.
    SetRole(UserSetRoleArgs),
}

#[derive(Args)]
pub struct UserAddArgs {
    /// Login name.
    pub name: String,
    /// viewer (reads), triager (records triage decisions) or admin (users and tokens too).
    #[arg(long, value_parser = ["viewer", "triager", "admin"])]
    pub role: String,
    /// Read the password from the first line of standard input instead of asking.
    #[arg(long)]
    pub password_stdin: bool,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args)]
pub struct UserNameArgs {
    /// Login name.
    pub name: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Args)]
pub struct UserSetRoleArgs {
    /// Login name.
    pub name: String,
    /// viewer, triager or admin.
    #[arg(value_parser = ["viewer", "triager", "admin"])]
    pub role: String,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Subcommand)]
pub enum CatalogCommand {
    /// Check the catalog files found under the folders (`catalog-info.yaml`,
    /// `*.catalog.yaml`, `catalog/*.yaml`, and `[catalog] files` of vigie.toml):
    /// errors with file and line, and the warnings a CTO wants.
    Check(CatalogArgs),
    /// Print the resolved catalog: entities, relations and the GDPR record
    /// of processing (JSON), or one line per entity (table).
    Show(CatalogArgs),
}

#[derive(Args)]
pub struct CatalogArgs {
    /// Folders to look at (their projects are the repositories to link).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Evaluate contract dates as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub today: Option<String>,
    /// Configuration file [default: vigie.toml in the first folder, if any: not a link,
    /// and naming only files inside that folder; a file given here may name any].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Print no diagnostics on standard error (`show`).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// Where vigie keeps its mirror and knowledge index.
#[derive(Args, Clone)]
pub struct DataDirArgs {
    /// vigie's data directory [default: $XDG_DATA_HOME/vigie, or ~/.local/share/vigie].
    #[arg(long, env = "VIGIE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
}

impl DataDirArgs {
    /// The data directory given, if any.
    pub fn dir(&self) -> Option<&std::path::Path> {
        self.data_dir.as_deref()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum AuditFormat {
    /// Human table, grouped by project, most severe first.
    Table,
    /// vigie's audit JSON (docs/schemas/audit.v1.schema.json).
    Json,
    /// SARIF 2.1.0, for code-scanning tools (GitHub, GitLab).
    Sarif,
    /// Markdown, for pull requests and wikis.
    Markdown,
    /// CycloneDX 1.6 JSON: the inventory's BOM with the vulnerabilities found.
    Cyclonedx,
}

#[derive(Args)]
pub struct AuditArgs {
    /// Folders to audit.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = AuditFormat::Table)]
    pub format: AuditFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Exit with 1 when a vulnerability at or above this rating is found
    /// (known exploited counts as critical; no rating counts as medium).
    #[arg(long, value_enum)]
    pub fail_on: Option<Threshold>,
    /// Ignore an advisory by id or alias (repeatable); the config file can
    /// list ignored ids with a reason.
    #[arg(long, value_name = "ID")]
    pub ignore: Vec<String>,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub checks: ChecksArgs,
}

/// A report language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    En,
    Fr,
}

impl From<LangArg> for vigie_licence::Lang {
    fn from(l: LangArg) -> Self {
        match l {
            LangArg::En => vigie_licence::Lang::En,
            LangArg::Fr => vigie_licence::Lang::Fr,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LicencesFormat {
    /// Human table per project.
    Table,
    /// `{"projects": [{name, path, licences}]}`.
    Json,
    /// One row per component.
    Csv,
}

#[derive(Args)]
pub struct LicencesArgs {
    /// Folders to look at.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = LicencesFormat::Table)]
    pub format: LicencesFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Language of the texts.
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Args)]
pub struct NoticeArgs {
    /// Folders of the product.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Write the notice to this file instead of standard output.
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// Language of the notice's own texts (licence texts stay as published).
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    pub lang: LangArg,
    #[command(flatten)]
    pub input: InputArgs,
}

/// What every command that reads an estate takes besides its folders.
#[derive(Args, Clone)]
pub struct InputArgs {
    /// Configuration file [default: vigie.toml in the first folder, if any: not a link,
    /// and naming only files inside that folder; a file given here may name any].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub data: DataDirArgs,
    /// Files larger than this many bytes are refused with a diagnostic.
    #[arg(long, default_value_t = vigie_discovery::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Print no diagnostics on standard error (they stay in JSON outputs).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl InputArgs {
    /// The estate of `paths` as the core surveys it.
    pub fn survey<'a>(&'a self, paths: &'a [PathBuf]) -> vigie_app::inventory::Survey<'a> {
        vigie_app::inventory::Survey {
            paths,
            config_file: self.config.as_deref(),
            data_dir: self.data.dir(),
            max_file_size: self.max_file_size,
        }
    }
}

/// Which checks run, and how lifecycle dates are evaluated (`audit`, `scan`).
#[derive(Args, Clone)]
pub struct ChecksArgs {
    /// Families of checks to run (comma-separated).
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = CheckFamily::ALL)]
    pub checks: Vec<CheckFamily>,
    #[command(flatten)]
    pub lifecycle: LifecycleArgs,
}

impl ChecksArgs {
    /// The estate of `paths` with these checks, as the core reads and checks it.
    pub fn estate<'a>(
        &'a self,
        paths: &'a [PathBuf],
        input: &'a InputArgs,
    ) -> vigie_app::checks::Estate<'a> {
        vigie_app::checks::Estate {
            paths,
            checks: &self.checks,
            lifecycle: self.lifecycle.options(),
            config_file: input.config.as_deref(),
            max_file_size: input.max_file_size,
            diagnostics: !input.quiet,
        }
    }
}

/// How lifecycle dates are evaluated.
#[derive(Args, Clone)]
pub struct LifecycleArgs {
    /// Report ends of life within this many days [default: 180, or `lifecycle.horizon-days`].
    #[arg(long, value_name = "DAYS")]
    pub horizon_days: Option<i32>,
    /// Evaluate dates as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
}

impl LifecycleArgs {
    /// The lifecycle options of the application core.
    pub fn options(&self) -> vigie_app::config::LifecycleOptions {
        vigie_app::config::LifecycleOptions {
            horizon_days: self.horizon_days,
            today: self.today.clone(),
        }
    }
}

#[derive(Args)]
pub struct LifecycleCmdArgs {
    /// Folders to look at.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Months of the forecast.
    #[arg(long, default_value_t = 24)]
    pub months: i32,
    #[command(flatten)]
    pub lifecycle: LifecycleArgs,
    #[command(flatten)]
    pub input: InputArgs,
}

#[derive(Args)]
pub struct SyncArgs {
    /// Compile this directory (the layout of the offline mirror) instead of downloading.
    #[arg(long, value_name = "DIR")]
    pub mirror: Option<PathBuf>,
    /// Fetch every feed from this server instead of the public sources
    /// (`<URL>/osv/<Ecosystem>/all.zip`, `<URL>/kev/...`, ...).
    #[arg(long, value_name = "URL", conflicts_with = "mirror")]
    pub base_url: Option<String>,
    /// OSV ecosystems to download (repeatable) [default: every ecosystem OSV publishes that vigie reads].
    /// Leaving out one that the index in use holds needs --allow-partial.
    #[arg(long = "ecosystem", value_name = "NAME", conflicts_with = "mirror")]
    pub ecosystems: Vec<String>,
    /// Switch to the new knowledge index even when it lacks sources: some could not be
    /// downloaded or read, or the index in use holds sources this sync did not find.
    /// Without it such a sync fails (exit 2), naming each source, and the index in use
    /// stays current. With it the sources lacking are listed as warnings, and the exit
    /// status is still 2 when one failed.
    #[arg(long)]
    pub allow_partial: bool,
    // The store whose latest snapshot's ecosystems are compared with the new index.
    #[command(flatten)]
    pub store: StoreArgs,
    /// Output format of the report.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
    /// Print no progress and no warnings.
    #[arg(long, short = 'q')]
    pub quiet: bool,
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
