//! `vigie licences`: the licence inventory of every project (table, JSON,
//! CSV), and the licence setup shared with `vigie audit` and `vigie notice`
//! (the `[licences]` section of `vigie.toml`, the SPDX list of the index,
//! the evidence on disk).
//!
//! ```toml
//! [licences]
//! default-model = "network-service"   # internal | network-service | distributed-binary | library
//! allow = ["MPL-2.0"]
//! deny = ["AGPL-3.0-only", "AGPL-3.0-or-later"]
//!
//! [[licences.exception]]
//! component = "pkg:npm/left-pad"      # a purl; without a version: every version
//! licences = ["WTFPL"]                # optional
//! reason = "Approved by legal, LEG-12"
//!
//! [[licences.project]]
//! path = "services/api"               # the project folder (or its name)
//! model = "network-service"
//! licence = "Apache-2.0"              # optional: the project's own licence
//! ```

use std::io::Write;
use std::process::ExitCode;
use vigie_app::licensing::Licensing;

use anyhow::Context;
use rayon::prelude::*;
use vigie_licence::Lang;
use vigie_model::Diagnostic;

use crate::cli::{LicencesArgs, LicencesFormat};
use crate::progress::Bars;
use vigie_app::config::{Config, current_generation};

pub fn run(args: LicencesArgs) -> anyhow::Result<ExitCode> {
    let first_dir = args.paths.first().filter(|p| p.is_dir());
    let config = Config::load(args.config.as_deref(), first_dir.map(|p| p.as_path()))?;
    let generation = current_generation(args.data.dir())?;
    let Some(lic) = Licensing::load(
        &generation.index_dir(),
        &config,
        args.config.as_deref(),
        &args.paths,
        args.max_file_size,
        &vigie_app::Silent,
    )?
    else {
        anyhow::bail!(
            "the knowledge index has no SPDX licence list: run `vigie sync` \
             (or sync a mirror that has spdx/licenses.json)"
        );
    };
    let lang: Lang = args.lang.into();
    let mut w: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let mut first = true;
    let (mut total, mut known) = (0, 0);
    match args.format {
        LicencesFormat::Json => write!(w, "{{\"projects\":[")?,
        LicencesFormat::Csv => writeln!(w, "{}", vigie_export::licences::CSV_HEADER)?,
        LicencesFormat::Table => {}
    }
    let scanned = vigie_app::estate::scan(
        &args.paths,
        args.max_file_size,
        None,
        &Bars::new(true),
        |projects| {
            let results: Vec<_> = projects
                .par_iter()
                .map(|s| lic.evaluate(&s.project, true))
                .collect();
            for (s, (r, d)) in projects.iter().zip(results) {
                let p = &s.project;
                diagnostics.extend(p.diagnostics.iter().cloned());
                diagnostics.extend(d);
                total += r.components_total;
                known += r.components_known;
                match args.format {
                    LicencesFormat::Json => {
                        if !first {
                            write!(w, ",")?;
                        }
                        let v =
                            serde_json::json!({ "name": p.name, "path": p.path, "licences": r });
                        serde_json::to_writer(&mut w, &v)?;
                    }
                    LicencesFormat::Csv => {
                        vigie_export::licences::write_csv_rows(&mut w, &p.name, &p.path, &r)?
                    }
                    LicencesFormat::Table => {
                        super::licence_tables::write_table(&mut w, p, &r, lang)?
                    }
                }
                first = false;
            }
            Ok(())
        },
    )?;
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
    w.flush()?;
    if !args.quiet {
        crate::render::print_diagnostics(scanned.walk_diagnostics.iter().chain(&diagnostics));
    }
    Ok(if scanned.nothing || scanned.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
