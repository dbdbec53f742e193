//! From the risk model's analysis and the snapshot's findings to the executive report's
//! [`ReportModel`]: posture, top risks and actions, trend, heat map, end-of-life timeline,
//! licence posture, risks per system and owner, and the appendix of every finding (the
//! findings set aside by triage are listed with their state in front of their title).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use serde_json::Value;
use vigie_findings::licence::Check;
use vigie_findings::{AdvisoryKind, Detail, Family};
use vigie_report as rep;
use vigie_risk as risk;
use vigie_store::{EffectiveState, FindingRecord};

use crate::report::facts::SystemMap;

/// What the report needs besides the analysis.
pub struct ReportInput<'a> {
    /// The report's day.
    pub today: Date,
    /// The estate's name, in the title.
    pub estate: String,
    /// The label of the snapshot reported on.
    pub current_label: String,
    /// The label of the one before, for the trend.
    pub previous_label: Option<String>,
    /// The risk analysis.
    pub analysis: &'a risk::Analysis,
    /// The trend against the snapshot before.
    pub trend: Option<&'a risk::Trend>,
    /// The findings the model scored.
    pub active: &'a [FindingRecord],
    /// The findings set aside by triage, with their state.
    pub set_aside: &'a [(FindingRecord, EffectiveState)],
    /// The catalog's systems and each project's.
    pub systems: &'a SystemMap,
    /// Catalog systems (kind System).
    pub system_count: u64,
    /// Projects of the snapshot.
    pub projects: u64,
    /// Components of the snapshot.
    pub components: u64,
    /// Of those, with a licence known.
    pub components_with_licence: u64,
    /// Components per licence category id over every project the licence check ran on.
    pub licence_categories: &'a BTreeMap<String, u64>,
    /// What the vulnerability check could see, when known.
    pub coverage: Option<rep::Coverage>,
}

fn text(t: &risk::Text) -> rep::LocalText {
    rep::LocalText::Both {
        en: t.en.clone(),
        fr: t.fr.clone(),
    }
}

fn level(l: risk::Level) -> rep::Level {
    match l {
        risk::Level::Low => rep::Level::Low,
        risk::Level::Medium => rep::Level::Medium,
        risk::Level::High => rep::Level::High,
        risk::Level::Critical => rep::Level::Critical,
    }
}

fn counts(c: &risk::LevelCounts) -> rep::LevelCounts {
    rep::LevelCounts {
        critical: c.critical.into(),
        high: c.high.into(),
        medium: c.medium.into(),
        low: c.low.into(),
    }
}

fn family_of(r: &FindingRecord) -> rep::Family {
    match (r.family, &r.detail) {
        (Family::Vulnerability, Detail::Vulnerability(d)) => match d.finding.kind {
            AdvisoryKind::Vulnerability | AdvisoryKind::Malicious => rep::Family::Vulnerability,
            _ => rep::Family::Other,
        },
        (Family::Vulnerability, _) => rep::Family::Vulnerability,
        (Family::Lifecycle, _) => rep::Family::EndOfLife,
        (Family::Licence, _) => rep::Family::Licence,
    }
}

fn effort(k: risk::ChangeKind) -> rep::Effort {
    match k {
        risk::ChangeKind::Patch | risk::ChangeKind::PlatformPatch => rep::Effort::Patch,
        risk::ChangeKind::Minor => rep::Effort::Minor,
        risk::ChangeKind::Major
        | risk::ChangeKind::UnknownVersion
        | risk::ChangeKind::LicenceReplacement => rep::Effort::Major,
        risk::ChangeKind::PlatformMigration => rep::Effort::Migration,
    }
}

fn trend(t: &risk::Trend) -> rep::Trend {
    let mut out = rep::Trend::default();
    for e in &t.entries {
        let group = match e.change {
            risk::Change::New => &mut out.new,
            risk::Change::Worsened => &mut out.worsened,
            risk::Change::Improved => &mut out.improved,
            risk::Change::Resolved => &mut out.resolved,
            risk::Change::Unchanged => continue,
        };
        let Some(now) = e.current_level.or(e.previous_level) else {
            continue;
        };
        group.items.push(rep::TrendItem {
            title: text(&e.title),
            level: level(now),
            previous: e.previous_level.map(level),
        });
    }
    out.new.count = t.new.into();
    out.worsened.count = t.worsened.into();
    out.improved.count = t.improved.into();
    out.resolved.count = t.resolved.into();
    out
}

fn heat_map(s: &risk::Summary) -> rep::HeatMap {
    let mut m = rep::HeatMap::default();
    let mut levels = [[rep::Level::Low; 5]; 5];
    for (l, row) in s.heat_map.iter().enumerate() {
        for (i, n) in row.iter().enumerate() {
            if let Some(cell) = m.counts.get_mut(l).and_then(|r| r.get_mut(i)) {
                *cell = (*n).into();
            }
            let score = u8::try_from((l + 1) * (i + 1)).unwrap_or(25);
            if let Some(cell) = levels.get_mut(l).and_then(|r| r.get_mut(i)) {
                *cell = level(risk::Level::of(score));
            }
        }
    }
    m.levels = Some(levels);
    m
}

/// The end-of-life timeline: one entry per (product, cycle) of lifecycle findings with a date.
fn eol(input: &ReportInput<'_>) -> Vec<rep::EolEntry> {
    type Acc = (Date, BTreeSet<String>, BTreeSet<String>);
    let mut by: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for r in input.active {
        let Some(l) = r.detail.lifecycle().map(|d| &d.finding) else {
            continue;
        };
        let Some(date) = l.date else {
            continue;
        };
        let product = l.title.clone();
        let cycle = l.cycle_label.as_deref().unwrap_or(&l.written).to_owned();
        let e = by
            .entry((product, cycle))
            .or_insert_with(|| (date, BTreeSet::new(), BTreeSet::new()));
        e.0 = e.0.min(date);
        e.1.insert(r.project_path.clone());
        for s in input
            .systems
            .by_project
            .get(&r.project_path)
            .into_iter()
            .flatten()
        {
            e.2.insert(system_name(input.systems, s));
        }
    }
    let mut out: Vec<rep::EolEntry> = by
        .into_iter()
        .map(
            |((product, cycle), (eol, projects, systems))| rep::EolEntry {
                product,
                cycle,
                eol,
                projects: projects.len() as u64,
                systems: systems.into_iter().collect(),
            },
        )
        .collect();
    out.sort_by(|a, b| a.eol.cmp(&b.eol).then_with(|| a.product.cmp(&b.product)));
    out
}

fn system_name(systems: &SystemMap, r: &str) -> String {
    systems
        .systems
        .iter()
        .find(|s| s.entity_ref == r)
        .map_or_else(|| r.to_owned(), |s| s.name.clone())
}

fn licence_category(c: &str) -> rep::LicenceCategory {
    serde_json::from_value(Value::String(c.to_owned())).unwrap_or(rep::LicenceCategory::Unknown)
}

/// The licence posture: categories of every component the licence check saw (of the
/// components its findings name, for a store written before categories were kept), denied and
/// to-review counts from the checks, coverage from every component's licence field.
fn licences(input: &ReportInput<'_>) -> rep::LicencePosture {
    let mut cats: BTreeMap<String, u64> = input.licence_categories.clone();
    let from_findings = cats.is_empty();
    let (mut denied, mut review) = (0u64, 0u64);
    for r in input.active.iter().filter(|r| r.family == Family::Licence) {
        let check = match &r.detail {
            Detail::Licence(d) => Some(d.finding.check),
            Detail::UnknownLicences(d) => Some(d.finding.check),
            _ => None,
        };
        match check {
            Some(Check::Denied | Check::Incompatible) => denied += 1,
            Some(_) => review += 1,
            None => {}
        }
        if let Some(d) = r.detail.licence().filter(|_| from_findings) {
            *cats
                .entry(d.component.category.id().to_owned())
                .or_default() += 1;
        }
    }
    rep::LicencePosture {
        categories: cats
            .into_iter()
            .map(|(c, n)| rep::CategoryCount {
                category: licence_category(&c),
                components: n,
            })
            .collect(),
        denied,
        needs_review: review,
        components: input.components,
        known: input.components_with_licence,
    }
}

fn appendix(r: &FindingRecord, state: Option<EffectiveState>) -> rep::Finding {
    let component = match &r.detail {
        Detail::Vulnerability(d) => format!("{} {}", d.component.name, d.component.version),
        Detail::Licence(d) => match &d.component.version {
            Some(v) => format!("{} {v}", d.component.name),
            None => d.component.name.clone(),
        },
        Detail::Lifecycle(d) => {
            let l = &d.finding;
            format!("{} {}", l.title, l.version.as_deref().unwrap_or(&l.written))
        }
        Detail::UnknownLicences(_) | Detail::Unparsed(_) => r.purl.clone().unwrap_or_default(),
    };
    let title = match state {
        Some(s) => format!("[{}] {}", s.as_str(), r.title),
        None => r.title.clone(),
    };
    rep::Finding {
        family: family_of(r),
        id: r.id.clone(),
        rating: r.rating,
        component,
        project: r.project_path.clone(),
        title,
    }
}

/// The report model.
pub fn build(input: &ReportInput<'_>) -> rep::ReportModel {
    let reg = &input.analysis.register;
    let mut findings_by_family = rep::FamilyCounts::default();
    for r in input.active {
        let slot = match family_of(r) {
            rep::Family::Vulnerability => &mut findings_by_family.vulnerability,
            rep::Family::EndOfLife => &mut findings_by_family.end_of_life,
            rep::Family::Licence => &mut findings_by_family.licence,
            rep::Family::Other => &mut findings_by_family.other,
        };
        *slot += 1;
    }
    // Findings per system and per owner, through the risks that hold them.
    let mut sys_findings: HashMap<Option<&str>, u64> = HashMap::new();
    let mut owner_findings: HashMap<&str, u64> = HashMap::new();
    for r in &reg.risks {
        *sys_findings.entry(r.system.as_deref()).or_default() += r.findings.len() as u64;
        if r.system.is_some() {
            for o in r.owners.iter().collect::<BTreeSet<_>>() {
                *owner_findings.entry(o).or_default() += r.findings.len() as u64;
            }
        }
    }
    let mut listed: Vec<rep::Finding> = input.active.iter().map(|r| appendix(r, None)).collect();
    // The most severe first (`Rating` orders from none to critical).
    listed.sort_by(|a, b| b.rating.cmp(&a.rating).then_with(|| a.id.cmp(&b.id)));
    listed.extend(input.set_aside.iter().map(|(r, s)| appendix(r, Some(*s))));
    rep::ReportModel {
        generated_at: input.today,
        estate: input.estate.clone(),
        snapshots: rep::Snapshots {
            current: input.current_label.clone(),
            previous: input.previous_label.clone(),
        },
        posture: rep::Posture {
            risks: counts(&reg.summary.estate.by_level),
            findings: findings_by_family,
            systems: input.system_count,
            projects: input.projects,
            components: input.components,
        },
        top_risks: reg
            .risks
            .iter()
            .map(|r| rep::Risk {
                title: text(&r.title),
                level: level(r.level),
                likelihood: r.likelihood,
                impact: r.impact,
                score: f64::from(r.score),
                explanation: text(&r.explanation),
                systems: r.system_name.iter().cloned().collect(),
                owners: r.owners.clone(),
            })
            .collect(),
        top_actions: input
            .analysis
            .actions
            .iter()
            .map(|a| rep::Action {
                text: text(&a.text),
                effort: effort(a.effort.kind),
                risk_removed: f64::from(a.risk_removed),
                findings_fixed: a.findings.len() as u64,
                known_exploited_fixed: a.known_exploited.into(),
            })
            .collect(),
        trend: input.trend.map(trend),
        heat_map: heat_map(&reg.summary),
        eol: eol(input),
        licences: licences(input),
        by_system: reg
            .summary
            .systems
            .iter()
            .map(|s| rep::RiskRow {
                name: s
                    .name
                    .clone()
                    .or_else(|| s.entity_ref.clone())
                    .unwrap_or_else(|| "-".into()),
                risks: counts(&s.rollup.by_level),
                findings: sys_findings
                    .get(&s.entity_ref.as_deref())
                    .copied()
                    .unwrap_or(0),
            })
            .collect(),
        by_owner: reg
            .summary
            .owners
            .iter()
            .map(|o| rep::RiskRow {
                name: o.owner.clone(),
                risks: counts(&o.rollup.by_level),
                findings: owner_findings.get(o.owner.as_str()).copied().unwrap_or(0),
            })
            .collect(),
        findings: listed,
        coverage: input.coverage.clone(),
    }
}
