//! `vigie reaudit`: the latest snapshot checked again with the current knowledge index
//! (`vigie_app::reaudit`), its summary and what changed on standard output.

use std::io::Write;
use std::process::ExitCode;

use vigie_app::reaudit::{ReauditRequest, reaudit};

use crate::cli::{ListFormat, ReauditArgs};
use crate::progress::Bars;

pub fn run(args: ReauditArgs) -> anyhow::Result<ExitCode> {
    let bars = Bars::new(args.quiet);
    let outcome = reaudit(
        &ReauditRequest {
            store: &args.store.location()?,
            config_file: args.store.config.as_deref(),
            label: args.label.clone(),
            keep: args.keep,
        },
        &bars,
    )?;
    let s = &outcome.summary;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({"summary": s, "diff": outcome.diff}),
            )?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            writeln!(
                out,
                "snapshot {} in {}: snapshot {} re-audited with knowledge {}: {} projects, \
                 {} components checked, vulnerability findings {} → {} ({} appeared, {} \
                 resolved, {} changed){}",
                s.snapshot,
                s.db,
                s.from,
                s.generation,
                s.projects,
                s.checked,
                s.vulnerabilities_before,
                s.vulnerabilities,
                outcome.diff.findings_appeared.len(),
                outcome.diff.findings_resolved.len(),
                outcome.diff.findings_changed.len(),
                if s.pruned_snapshots > 0 {
                    format!("; {} old snapshots deleted", s.pruned_snapshots)
                } else {
                    String::new()
                }
            )?;
            if let Some(gaps) =
                vigie_export::audit::uncovered_sentence(&s.uncovered, &Default::default())
            {
                writeln!(out, "{gaps}")?;
            }
            writeln!(out)?;
            super::diff::write_table(&mut out, &outcome.diff)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
