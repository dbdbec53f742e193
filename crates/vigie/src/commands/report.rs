//! `vigie report`: the executive report of a snapshot (HTML, Markdown, PDF through headless
//! Chromium), or the risk analysis as JSON or CSV, with the trend against the snapshot before;
//! or the snapshot's findings as CycloneDX with VEX, or SARIF (report_cdx.rs, report_sarif.rs).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use vigie_report::Lang;
use vigie_risk::{Analysis, Input, Thresholds, Trend};
use vigie_store::{EffectiveState, FindingRecord, SnapshotId, Store};

use crate::cli::StoreArgs;
use crate::report_facts::{self, ComponentTally, SystemMap};
use crate::report_model::{self, ReportInput};

/// The PDF renderer (Debian package `chromium`).
const CHROMIUM: &str = "chromium";

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

/// One snapshot read and analysed.
struct Analysed {
    analysis: Analysis,
    active: Vec<FindingRecord>,
    set_aside: Vec<(FindingRecord, EffectiveState)>,
    systems: SystemMap,
    system_count: u64,
    projects: u64,
    tally: ComponentTally,
}

fn analyse(
    store: &dyn Store,
    id: SnapshotId,
    today: &str,
    day: jiff::civil::Date,
) -> anyhow::Result<Analysed> {
    let catalog = store.catalog(id)?;
    let links = store.project_links(id)?;
    let systems = report_facts::systems(&catalog, &links);
    let system_count = catalog
        .entities
        .iter()
        .filter(|e| e.kind.eq_ignore_ascii_case("system"))
        .count() as u64;
    let mut active = Vec::new();
    let mut set_aside = Vec::new();
    for s in store.effective_triage(id, today)? {
        if s.effective.is_active() {
            active.push(s.finding);
        } else {
            set_aside.push((s.finding, s.effective));
        }
    }
    let facts: Vec<_> = active
        .iter()
        .filter_map(|r| report_facts::finding(r, &systems))
        .collect();
    let tally = ComponentTally::new(store.package_uses(id)?);
    let thresholds = Thresholds::default();
    let components = tally.sprawl_candidates(thresholds.sprawl_min_versions, &systems);
    let analysis = vigie_risk::analyse(&Input {
        today: day,
        findings: &facts,
        systems: &systems.systems,
        components: &components,
        thresholds,
    });
    let projects = store.project_paths(id)?.len() as u64;
    Ok(Analysed {
        analysis,
        active,
        set_aside,
        systems,
        system_count,
        projects,
        tally,
    })
}

fn label(store: &dyn Store, id: SnapshotId) -> anyhow::Result<(String, Option<String>)> {
    let info = store
        .snapshots()?
        .into_iter()
        .find(|s| s.id == id)
        .with_context(|| format!("no snapshot {id}"))?;
    let day = info.meta.taken_at.get(..10).unwrap_or(&info.meta.taken_at);
    let text = match &info.meta.label {
        Some(l) => format!("#{id} {l} ({day})"),
        None => format!("#{id} ({day})"),
    };
    // The scanned folder's own name (`examples/acme` → `acme`; `.` → the current folder's).
    let estate = info.meta.roots.first().map(|r| {
        let p = Path::new(r);
        let named = match p.components().next_back() {
            Some(std::path::Component::Normal(n)) => Some(n.to_string_lossy().into_owned()),
            _ => None,
        };
        named
            .or_else(|| {
                p.canonicalize()
                    .ok()
                    .and_then(|c| c.file_name().map(|n| n.to_string_lossy().into_owned()))
            })
            .unwrap_or_else(|| r.clone())
    });
    Ok((text, estate))
}

pub fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let lang: Lang = args.lang.parse()?;
    if args.format == ReportFormat::Pdf && args.output.is_none() {
        bail!("--format pdf needs -o FILE");
    }
    let store = crate::commands::store_io::open_read_only(&args.store)?;
    let current = crate::commands::store_io::snapshot(&*store, args.snapshot)?;
    let previous = store
        .snapshots()?
        .iter()
        .filter(|s| s.id < current)
        .map(|s| s.id)
        .max();
    let today = crate::commands::store_io::today(args.today.as_deref())?;
    if matches!(args.format, ReportFormat::Cyclonedx | ReportFormat::Sarif) {
        return machine(&args, &*store, current, &today);
    }
    let day: jiff::civil::Date = today.parse()?;
    let now = analyse(&*store, current, &today, day)?;
    let before = match previous {
        Some(p) => Some(analyse(&*store, p, &today, day)?),
        None => None,
    };
    let trend: Option<Trend> = before
        .as_ref()
        .map(|b| vigie_risk::trend(&b.analysis.register.risks, &now.analysis.register.risks));
    let mut out: Vec<u8> = Vec::new();
    match args.format {
        ReportFormat::Json => {
            let doc = serde_json::json!({
                "snapshot": current,
                "previous_snapshot": previous,
                "analysis": now.analysis,
                "trend": trend,
            });
            serde_json::to_writer_pretty(&mut out, &doc)?;
            out.push(b'\n');
        }
        ReportFormat::Csv => crate::commands::report_csv::risks(&now.analysis, lang, &mut out)?,
        ReportFormat::CsvFindings => {
            crate::commands::report_csv::findings(&now.active, &now.set_aside, &mut out)?
        }
        // Written by machine() above.
        ReportFormat::Cyclonedx | ReportFormat::Sarif => {}
        ReportFormat::Html | ReportFormat::Md | ReportFormat::Pdf => {
            let (current_label, estate) = label(&*store, current)?;
            let previous_label = match previous {
                Some(p) => Some(label(&*store, p)?.0),
                None => None,
            };
            let model = report_model::build(&ReportInput {
                today: day,
                estate: args
                    .title
                    .clone()
                    .or(estate)
                    .unwrap_or_else(|| "vigie".into()),
                current_label,
                previous_label,
                analysis: &now.analysis,
                trend: trend.as_ref(),
                active: &now.active,
                set_aside: &now.set_aside,
                systems: &now.systems,
                system_count: now.system_count,
                projects: now.projects,
                components: now.tally.uses.components,
                licence_categories: &now.tally.uses.licence_categories,
                components_with_licence: now.tally.uses.with_licence,
            });
            if args.format == ReportFormat::Md {
                vigie_report::render_markdown(&model, lang, &mut out)?;
            } else {
                vigie_report::render_html(&model, lang, &mut out)?;
            }
        }
    }
    match (&args.output, args.format) {
        (Some(path), ReportFormat::Pdf) => return pdf(&out, path),
        (Some(path), _) => std::fs::write(path, &out)
            .with_context(|| format!("cannot write {}", path.display()))?,
        (None, _) => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(&out)?;
            stdout.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The machine outputs, streamed to the output (written beside the target and renamed).
fn machine(
    args: &ReportArgs,
    store: &dyn Store,
    id: SnapshotId,
    today: &str,
) -> anyhow::Result<ExitCode> {
    let write = |out: &mut dyn Write| match args.format {
        ReportFormat::Sarif => crate::commands::report_sarif::write(store, id, today, out),
        _ => crate::commands::report_cdx::write(store, id, today, out),
    };
    match &args.output {
        Some(path) => {
            let tmp = path.with_extension("partial");
            let file = std::fs::File::create(&tmp)
                .with_context(|| format!("cannot write {}", tmp.display()))?;
            let mut out = std::io::BufWriter::new(file);
            let done = write(&mut out).and_then(|()| Ok(out.flush()?));
            drop(out);
            if let Err(e) = done {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            std::fs::rename(&tmp, path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)?;
            out.flush()?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints the HTML to `path` with headless Chromium; exit 2 when Chromium is not installed.
fn pdf(html: &[u8], path: &Path) -> anyhow::Result<ExitCode> {
    // A fresh folder (create_dir fails on an existing path, a planted link included).
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let dir = std::env::temp_dir().join(format!("vigie-report-{}-{nanos}", std::process::id()));
    std::fs::create_dir(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let page = dir.join("report.html");
    std::fs::write(&page, html)?;
    let target = std::path::absolute(path)?;
    // A profile of its own in the fresh folder (nothing read from or left in
    // the home folder, no lock shared with a running browser) and no
    // background connections: the page makes no request and needs none.
    let result = std::process::Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", dir.join("profile").display()))
        .arg(format!("--print-to-pdf={}", target.display()))
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .output();
    let _ = std::fs::remove_dir_all(&dir);
    match result {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "vigie: the PDF renderer `{CHROMIUM}` is not installed (Debian: apt-get install chromium); \
                 write HTML with --format html and print it from a browser"
            );
            Ok(ExitCode::from(2))
        }
        Err(e) => Err(e).context(CHROMIUM),
        Ok(o) if !o.status.success() || !target.is_file() => bail!(
            "{CHROMIUM} failed ({}): {}",
            o.status,
            String::from_utf8_lossy(&o.stderr)
                .chars()
                .take(2000)
                .collect::<String>()
        ),
        Ok(_) => Ok(ExitCode::SUCCESS),
    }
}
