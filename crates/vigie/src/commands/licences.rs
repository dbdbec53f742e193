//! `vigie licences`: the licence inventory of every project (table, JSON, CSV), from the
//! application core's survey (`vigie_app::inventory`; the setup and the `[licences]`
//! section are `vigie_app::licensing`'s).

use std::io::Write;
use std::process::ExitCode;

use vigie_licence::Lang;

use crate::cli::{LicencesArgs, LicencesFormat};
use crate::output::Output;
use crate::progress::Bars;
use crate::render::print_diagnostics;

pub fn run(args: LicencesArgs) -> anyhow::Result<ExitCode> {
    let survey = args.input.survey(&args.paths);
    let inventory = survey.licences()?;
    let lang: Lang = args.lang.into();
    let mut w = Output::open(args.output.as_deref())?;
    let mut first = true;
    let (mut total, mut known) = (0, 0);
    match args.format {
        LicencesFormat::Json => write!(w, "{{\"projects\":[")?,
        LicencesFormat::Csv => writeln!(w, "{}", vigie_export::licences::CSV_HEADER)?,
        LicencesFormat::Table => {}
    }
    let reading = inventory.each(&Bars::new(true), |p, r| {
        total += r.components_total;
        known += r.components_known;
        match args.format {
            LicencesFormat::Json => {
                if !first {
                    write!(w, ",")?;
                }
                let v = serde_json::json!({ "name": p.name, "path": p.path, "licences": r });
                serde_json::to_writer(&mut w, &v)?;
            }
            LicencesFormat::Csv => {
                vigie_export::licences::write_csv_rows(&mut w, &p.name, &p.path, r)?
            }
            LicencesFormat::Table => super::licence_tables::write_table(&mut w, p, r, lang)?,
        }
        first = false;
        Ok(())
    })?;
    match args.format {
        LicencesFormat::Json => writeln!(w, "]}}")?,
        LicencesFormat::Table => writeln!(
            w,
            "{}",
            lang.pick(
                &format!("{known} of {total} components with a known licence"),
                &format!("{known} composants sur {total} avec une licence connue"),
            )
        )?,
        LicencesFormat::Csv => {}
    }
    w.finish()?;
    let scanned = &reading.scanned;
    if !args.input.quiet {
        print_diagnostics(scanned.walk_diagnostics.iter().chain(&reading.diagnostics));
    }
    Ok(if scanned.nothing || scanned.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
