//! `vigie triage`: record a decision about findings, or list the decisions.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use vigie_app::triage::Decision;
use vigie_store::{Justification, Store, TriageState};

use crate::cli::{JustificationArg, ListFormat, TriageArgs, TriageStateArg};
use crate::render::Table;

fn state(s: TriageStateArg) -> TriageState {
    match s {
        TriageStateArg::InTriage => TriageState::InTriage,
        TriageStateArg::Exploitable => TriageState::Exploitable,
        TriageStateArg::NotAffected => TriageState::NotAffected,
        TriageStateArg::FalsePositive => TriageState::FalsePositive,
        TriageStateArg::AcceptedRisk => TriageState::AcceptedRisk,
    }
}

fn justification(j: JustificationArg) -> Justification {
    match j {
        JustificationArg::CodeNotPresent => Justification::CodeNotPresent,
        JustificationArg::CodeNotReachable => Justification::CodeNotReachable,
        JustificationArg::RequiresConfiguration => Justification::RequiresConfiguration,
        JustificationArg::RequiresDependency => Justification::RequiresDependency,
        JustificationArg::RequiresEnvironment => Justification::RequiresEnvironment,
        JustificationArg::ProtectedByCompiler => Justification::ProtectedByCompiler,
        JustificationArg::ProtectedAtRuntime => Justification::ProtectedAtRuntime,
        JustificationArg::ProtectedAtPerimeter => Justification::ProtectedAtPerimeter,
        JustificationArg::ProtectedByMitigatingControl => {
            Justification::ProtectedByMitigatingControl
        }
    }
}

pub fn run(args: TriageArgs) -> anyhow::Result<ExitCode> {
    if args.target == "list" {
        return list(&*super::store_io::open_read_only(&args.store)?, &args);
    }
    let mut store = super::store_io::open(&args.store)?;
    let Some(st) = args.state else {
        bail!("--state is required to record a decision (or use `vigie triage list`)");
    };
    let Some(reason) = args.reason.clone().filter(|r| !r.trim().is_empty()) else {
        bail!("--reason is required: say why");
    };
    let snapshot = super::store_io::snapshot(&*store, args.snapshot)?;
    let by = args
        .by
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .filter(|b| !b.trim().is_empty())
        .unwrap_or_else(|| "unknown".to_owned());
    let decision = Decision {
        state: state(st),
        justification: args.justification.map(justification),
        until: args.until.clone(),
        reason,
        by,
    };
    let recorded = vigie_app::triage::record(
        &mut *store,
        snapshot,
        &args.target,
        &decision,
        jiff::Timestamp::now(),
    )?;
    eprintln!(
        "recorded {} for {} finding(s)",
        decision.state.as_str(),
        recorded.keys.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn list(store: &dyn Store, args: &TriageArgs) -> anyhow::Result<ExitCode> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.history {
        let history = store.triage_history(None)?;
        match args.format {
            ListFormat::Json => serde_json::to_writer_pretty(&mut out, &history)?,
            ListFormat::Table => {
                let mut t = Table::new(["AT", "BY", "STATE", "UNTIL", "FINDING", "REASON"]);
                for r in &history {
                    let i = &r.input;
                    t.row([
                        i.at.clone(),
                        i.by.clone(),
                        i.state.as_str().to_owned(),
                        i.until.clone().unwrap_or_default(),
                        i.finding_key.clone(),
                        i.reason.clone(),
                    ]);
                }
                t.write(&mut out)?;
            }
        }
    } else {
        let snapshot = super::store_io::snapshot(store, args.snapshot)?;
        let today = super::store_io::today(args.today.as_deref())?;
        let statuses = store.effective_triage(snapshot, &today)?;
        match args.format {
            ListFormat::Json => serde_json::to_writer_pretty(&mut out, &statuses)?,
            ListFormat::Table => {
                let mut t = Table::new(["STATE", "RATING", "ID", "PROJECT", "BY", "REASON"]);
                for s in &statuses {
                    let state = serde_json::to_value(s.effective)?;
                    let t_ = s.triage.as_ref().map(|t| &t.input);
                    t.row([
                        state.as_str().unwrap_or_default().to_owned(),
                        s.finding.rating.to_string(),
                        s.finding.id.clone(),
                        s.finding.project_path.clone(),
                        t_.map(|t| t.by.clone()).unwrap_or_default(),
                        t_.map(|t| t.reason.clone()).unwrap_or_default(),
                    ]);
                }
                t.write(&mut out)?;
            }
        }
    }
    if args.format == ListFormat::Json {
        writeln!(out)?;
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
