//! `vigie lifecycle`: the end-of-life forecast of every platform in use.

use std::io::Write;
use std::process::ExitCode;

use vigie_lifecycle::{CycleMatch, DateOrBool, Forecast, Row};

use crate::cli::{LifecycleCmdArgs, ListFormat};
use crate::progress::Bars;
use crate::render::{Style, Table, paint, print_diagnostics, stdout_colour};

pub fn run(args: LifecycleCmdArgs) -> anyhow::Result<ExitCode> {
    let survey = args.input.survey(&args.paths);
    let (forecast, reading) =
        survey.forecast(&args.lifecycle.options(), args.months, &Bars::new(true))?;
    let Some(forecast) = forecast else {
        print_diagnostics(&reading.scanned.walk_diagnostics);
        return Ok(ExitCode::from(2));
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &forecast)?;
            writeln!(out)?;
        }
        ListFormat::Table => write_table(&mut out, &forecast)?,
    }
    out.flush()?;
    if !args.input.quiet {
        print_diagnostics(
            reading
                .scanned
                .walk_diagnostics
                .iter()
                .chain(&reading.diagnostics),
        );
    }
    Ok(if reading.scanned.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn date(d: &Option<DateOrBool>) -> String {
    match d {
        Some(DateOrBool::Date(d)) => d.to_string(),
        Some(DateOrBool::Bool(true)) => "ended".to_owned(),
        Some(DateOrBool::Bool(false)) => "-".to_owned(),
        None => String::new(),
    }
}

fn cycle(r: &Row) -> String {
    match (&r.cycle, &r.cycle_label) {
        (_, Some(label)) => label.clone(),
        (CycleMatch::Cycle { name }, None) => name.clone(),
        (CycleMatch::Unpinned { .. }, None) => "(unpinned)".to_owned(),
        (CycleMatch::Unknown { .. }, None) => "(unknown cycle)".to_owned(),
    }
}

fn write_table(w: &mut impl Write, f: &Forecast) -> anyhow::Result<()> {
    let colour = stdout_colour();
    writeln!(
        w,
        "{}",
        paint(
            colour,
            Style::Bold,
            &format!("End-of-life forecast, {} to {}", f.from, f.until)
        )
    )?;
    let mut t = Table::new([
        "STATUS",
        "PRODUCT",
        "CYCLE",
        "ACTIVE UNTIL",
        "EOL",
        "EXTENDED",
        "PLACES",
        "MOVE TO",
    ]);
    for r in &f.rows {
        let status = serde_json::to_value(r.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let status = match r.status {
            vigie_lifecycle::Status::EndOfLife => paint(colour, Style::Red, &status),
            vigie_lifecycle::Status::ExtendedOnly | vigie_lifecycle::Status::SecurityOnly => {
                paint(colour, Style::Yellow, &status)
            }
            _ => status,
        };
        t.row([
            status,
            r.title.clone(),
            cycle(r),
            date(&r.eoas),
            date(&r.eol),
            date(&r.eoes),
            r.places.to_string(),
            r.target
                .as_ref()
                .map(|t| t.label.clone())
                .unwrap_or_default(),
        ]);
    }
    t.write(w)?;
    Ok(())
}
