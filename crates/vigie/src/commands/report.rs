//! `vigie report`: the executive report of a snapshot (HTML, Markdown, PDF through headless
//! Chromium), or the risk analysis as JSON or CSV, with the trend against the snapshot before;
//! or the snapshot's findings as CycloneDX with VEX, or SARIF (`vigie_app::report`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};
use vigie_app::report;
use vigie_report::Lang;
use vigie_store::Store;

use crate::cli::StoreArgs;
use crate::output::Output;

/// What `vigie report` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One self-contained HTML file (inline CSS and SVG, no script).
    Html,
    /// Markdown tables, for a wiki.
    Md,
    /// PDF, printed from the HTML by headless Chromium.
    Pdf,
    /// The risk analysis (`docs/schemas/risk.v1.schema.json`) and the trend.
    Json,
    /// The risk register, one row per risk.
    Csv,
    /// Every finding, one row each, with its triage state.
    CsvFindings,
    /// A CycloneDX 1.6 BOM with the vulnerabilities and their VEX analysis from triage.
    Cyclonedx,
    /// Every finding as SARIF 2.1.0, triaged-away ones as suppressions.
    Sarif,
}

#[derive(Args)]
pub struct ReportArgs {
    /// The report's language.
    #[arg(long, default_value = "en", value_parser = ["en", "fr"])]
    pub lang: String,
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Html)]
    pub format: ReportFormat,
    /// Write to this file [default: standard output; required for pdf].
    #[arg(long, short = 'o')]
    pub output: Option<PathBuf>,
    /// The snapshot to report on [default: the latest]; the trend compares it with the one
    /// before it.
    #[arg(long)]
    pub snapshot: Option<i64>,
    /// The estate's name in the title [default: the scanned folder's name].
    #[arg(long)]
    pub title: Option<String>,
    /// Score and evaluate triage as of this day (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE", hide = true)]
    pub today: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let lang: Lang = args.lang.parse()?;
    if args.format == ReportFormat::Pdf && args.output.is_none() {
        bail!("--format pdf needs -o FILE");
    }
    let store = crate::commands::store_io::open_read_only(&args.store)?;
    let scope = report::scope(&*store, args.snapshot, args.today.as_deref())?
        .with_knowledge(args.store.data.dir());
    let format = match args.format {
        ReportFormat::Html | ReportFormat::Pdf => report::Format::Html,
        ReportFormat::Md => report::Format::Markdown,
        ReportFormat::Json => report::Format::Json,
        ReportFormat::Csv => report::Format::Csv,
        ReportFormat::CsvFindings => report::Format::CsvFindings,
        ReportFormat::Cyclonedx => report::Format::Cyclonedx,
        ReportFormat::Sarif => report::Format::Sarif,
    };
    if format.is_streamed() {
        return machine(&args, &*store, scope, format, lang);
    }
    let mut out: Vec<u8> = Vec::new();
    report::render(
        &*store,
        scope,
        format,
        lang,
        args.title.as_deref(),
        &mut out,
    )?;
    match (&args.output, args.format) {
        (Some(path), ReportFormat::Pdf) => return pdf(&out, path),
        (output, _) => {
            let mut w = Output::open(output.as_deref())?;
            w.write_all(&out)?;
            w.finish()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The machine outputs, streamed to the output (an `-o` file written whole).
fn machine(
    args: &ReportArgs,
    store: &dyn Store,
    scope: report::Scope,
    format: report::Format,
    lang: Lang,
) -> anyhow::Result<ExitCode> {
    let mut w = Output::open(args.output.as_deref())?;
    report::render(store, scope, format, lang, None, &mut w)?;
    w.finish()?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the HTML to `path` with headless Chromium; exit 2 when Chromium is not installed.
fn pdf(html: &[u8], path: &Path) -> anyhow::Result<ExitCode> {
    match report::pdf::print(html, path)? {
        report::pdf::Printed::Done => Ok(ExitCode::SUCCESS),
        report::pdf::Printed::NoRenderer => {
            eprintln!(
                "vigie: the PDF renderer `{}` is not installed (Debian: apt-get install chromium); \
                 write HTML with --format html and print it from a browser",
                report::pdf::CHROMIUM
            );
            Ok(ExitCode::from(2))
        }
    }
}
