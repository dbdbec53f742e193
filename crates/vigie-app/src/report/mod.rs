//! From a stored snapshot to the executive report: the risk analysis of the snapshot and of
//! the one before it, the trend between them, the report model, and the machine outputs.
//!
//! - [`facts`]: store records → the risk model's facts (systems, findings, components).
//! - [`model`]: the analysis → `vigie_report::ReportModel`.
//! - [`csv`]: the risk register and the findings as CSV.
//! - [`machine`]: the findings with their triage as SARIF 2.1.0 and CycloneDX 1.6 with VEX,
//!   through `vigie-export`'s writers.
//! - [`pdf`]: the report's HTML printed to PDF by headless Chromium.
//! - [`render`]: any format of a snapshot's report, as `vigie report` and the web API write
//!   it (one dispatch, so both fronts give the same bytes).

pub mod csv;
pub mod facts;
pub mod machine;
pub mod model;
pub mod pdf;

use std::io::Write;
use std::path::Path;

use anyhow::Context;
use vigie_risk::{Analysis, Input, Thresholds, Trend};
use vigie_store::{EffectiveState, FindingRecord, SnapshotId, Store, TriageRecord};

use self::facts::{ComponentTally, SystemMap};
use self::model::ReportInput;

/// The snapshot a report is about and the day it is evaluated on.
pub struct Scope {
    /// The snapshot reported on.
    pub current: SnapshotId,
    /// The one before it, for the trend.
    pub previous: Option<SnapshotId>,
    /// Triage and scores as of this day.
    pub day: jiff::civil::Date,
    /// The ecosystems the knowledge index holds advisories for, when an index was at hand
    /// ([`Scope::with_knowledge`]): the report then states which ecosystems of the estate
    /// the vulnerability check could not see.
    pub covered: Option<Vec<String>>,
}

impl Scope {
    /// The scope, with the ecosystems covered by the current knowledge index of `data_dir`
    /// (unchanged when there is no index).
    pub fn with_knowledge(mut self, data_dir: Option<&Path>) -> Scope {
        self.covered = crate::admin::knowledge::covered_ecosystems(data_dir);
        self
    }

    /// The day as the store's triage reads it (`YYYY-MM-DD`).
    pub fn today(&self) -> String {
        self.day.to_string()
    }
}

/// The snapshot `asked` (else the latest), the one before it, and `today` (else the clock's).
pub fn scope<S: Store + ?Sized>(
    store: &S,
    asked: Option<SnapshotId>,
    today: Option<&str>,
) -> anyhow::Result<Scope> {
    let current = crate::store::snapshot(store, asked)?;
    let previous = store
        .snapshots()?
        .iter()
        .filter(|s| s.id < current)
        .map(|s| s.id)
        .max();
    let day = crate::config::today(today)?;
    Ok(Scope {
        current,
        previous,
        day,
        covered: None,
    })
}

/// One snapshot read and analysed.
pub struct Analysed {
    /// The risk analysis.
    pub analysis: Analysis,
    /// The findings the analysis scored.
    pub active: Vec<FindingRecord>,
    /// The findings set aside by triage, with their state.
    pub set_aside: Vec<(FindingRecord, EffectiveState)>,
    /// The current decision of every finding that has one, with the finding's key and the
    /// state it gives as of the day, sorted by that key (a finding without one is open). The
    /// key is the finding's: the decision may have been recorded under its former spelling
    /// (`vigie_findings::former_key`).
    pub decisions: Vec<(String, EffectiveState, TriageRecord)>,
    /// The catalog's systems and each project's.
    pub systems: SystemMap,
    /// Catalog elements of kind System.
    pub system_count: u64,
    /// Projects of the snapshot.
    pub projects: u64,
    /// The snapshot's components, aggregated.
    pub tally: ComponentTally,
}

/// Reads snapshot `id` and analyses it as of `day` (triage as of that day too).
pub fn analyse<S: Store + ?Sized>(
    store: &S,
    id: SnapshotId,
    day: jiff::civil::Date,
) -> anyhow::Result<Analysed> {
    let today = day.to_string();
    let catalog = store.catalog(id)?;
    let links = store.project_links(id)?;
    let systems = facts::systems(&catalog, &links);
    let system_count = catalog
        .entities
        .iter()
        .filter(|e| e.kind.eq_ignore_ascii_case("system"))
        .count() as u64;
    let mut active = Vec::new();
    let mut set_aside = Vec::new();
    let mut decisions = Vec::new();
    for s in store.effective_triage(id, &today)? {
        if let Some(t) = s.triage {
            decisions.push((s.finding.key.clone(), s.effective, t));
        }
        if s.effective.is_active() {
            active.push(s.finding);
        } else {
            set_aside.push((s.finding, s.effective));
        }
    }
    decisions.sort_by(|a, b| a.0.cmp(&b.0));
    let facts: Vec<_> = active
        .iter()
        .filter_map(|r| facts::finding(r, &systems))
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
        decisions,
        systems,
        system_count,
        projects,
        tally,
    })
}

/// The snapshot's label (`#3 2026-12 (2026-12-01)`) and the estate's name (the scanned
/// folder's).
pub fn label<S: Store + ?Sized>(
    store: &S,
    id: SnapshotId,
) -> anyhow::Result<(String, Option<String>)> {
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

/// The snapshot and the one before, analysed, with the trend between them.
pub struct Analyses {
    /// What is reported on.
    pub scope: Scope,
    /// The current snapshot.
    pub now: Analysed,
    /// The trend against the previous snapshot, when there is one.
    pub trend: Option<Trend>,
}

/// Analyses the snapshot of `scope` and the one before it.
pub fn analyse_scope<S: Store + ?Sized>(store: &S, scope: Scope) -> anyhow::Result<Analyses> {
    let day = scope.day;
    let now = analyse(store, scope.current, day)?;
    let before = match scope.previous {
        Some(p) => Some(analyse(store, p, day)?),
        None => None,
    };
    let trend = before
        .as_ref()
        .map(|b| vigie_risk::trend(&b.analysis.register.risks, &now.analysis.register.risks));
    Ok(Analyses { scope, now, trend })
}

impl Analyses {
    /// The JSON document of `vigie report -f json`: the analysis (risk.v1) and the trend.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "snapshot": self.scope.current,
            "previous_snapshot": self.scope.previous,
            "analysis": self.now.analysis,
            "trend": self.trend,
        })
    }

    /// The executive report's model; `title` is the estate's name (default: the scanned
    /// folder's).
    pub fn model<S: Store + ?Sized>(
        &self,
        store: &S,
        title: Option<&str>,
    ) -> anyhow::Result<vigie_report::ReportModel> {
        let (current_label, estate) = label(store, self.scope.current)?;
        let previous_label = match self.scope.previous {
            Some(p) => Some(label(store, p)?.0),
            None => None,
        };
        let now = &self.now;
        Ok(model::build(&ReportInput {
            today: self.scope.day,
            estate: title
                .map(str::to_owned)
                .or(estate)
                .unwrap_or_else(|| "vigie".into()),
            current_label,
            previous_label,
            analysis: &now.analysis,
            trend: self.trend.as_ref(),
            active: &now.active,
            set_aside: &now.set_aside,
            systems: &now.systems,
            system_count: now.system_count,
            projects: now.projects,
            components: now.tally.uses.components,
            licence_categories: &now.tally.uses.licence_categories,
            components_with_licence: now.tally.uses.with_licence,
            coverage: self.scope.covered.as_deref().map(|covered| {
                let gaps = crate::admin::knowledge::coverage_of(covered, &now.tally.uses)
                    .into_iter()
                    .filter(|c| !c.advisory_source)
                    .map(|c| vigie_report::CoverageGap {
                        ecosystem: c.ecosystem,
                        components: c.components,
                    });
                let mut gaps: Vec<_> = gaps.collect();
                gaps.sort_by_key(|g| std::cmp::Reverse(g.components));
                vigie_report::Coverage { gaps }
            }),
        }))
    }
}

/// The formats of [`render`] (the PDF is printed from [`Format::Html`] by the front).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// The executive report, one self-contained HTML file.
    Html,
    /// The executive report in Markdown.
    Markdown,
    /// The risk analysis (`docs/schemas/risk.v1.schema.json`) and the trend, pretty JSON.
    Json,
    /// The risk register, one row per risk.
    Csv,
    /// Every finding, one row each, with its triage state.
    CsvFindings,
    /// A CycloneDX 1.6 BOM with the vulnerabilities and their VEX analysis.
    Cyclonedx,
    /// Every finding as SARIF 2.1.0.
    Sarif,
}

impl Format {
    /// True for the formats streamed from the store without the risk analysis.
    pub fn is_streamed(self) -> bool {
        matches!(self, Format::Cyclonedx | Format::Sarif)
    }
}

/// Writes the report of `scope` in `format` and `lang` to `out`; `title` is the estate's name
/// in the executive report (default: the scanned folder's).
pub fn render(
    store: &dyn Store,
    scope: Scope,
    format: Format,
    lang: vigie_model::Lang,
    title: Option<&str>,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    match format {
        Format::Cyclonedx => {
            return machine::cyclonedx(store, scope.current, &scope.today(), out);
        }
        Format::Sarif => return machine::sarif(store, scope.current, &scope.today(), out),
        _ => {}
    }
    let analyses = analyse_scope(store, scope)?;
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut *out, &analyses.json())?;
            out.write_all(b"\n")?;
        }
        Format::Csv => csv::risks(&analyses.now.analysis, lang, out)?,
        Format::CsvFindings => csv::findings(&analyses.now.active, &analyses.now.set_aside, out)?,
        Format::Html | Format::Markdown => {
            let model = analyses.model(store, title)?;
            let mut out = out;
            if format == Format::Markdown {
                vigie_report::render_markdown(&model, lang, &mut out)?;
            } else {
                vigie_report::render_html(&model, lang, &mut out)?;
            }
        }
        Format::Cyclonedx | Format::Sarif => {}
    }
    Ok(())
}
