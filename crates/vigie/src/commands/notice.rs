//! `vigie notice`: the third-party attribution file a distributed product
//! ships (components per licence, copyright lines, licence texts).

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use rayon::prelude::*;
use vigie_audit::licences::ProjectLicences;
use vigie_export::notice::{NoticeInput, write};
use vigie_licence::Lang;
use vigie_model::Diagnostic;

use crate::cli::NoticeArgs;
use crate::progress::Bars;
use vigie_app::config::{Config, current_generation};
use vigie_app::licensing::Licensing;

pub fn run(args: NoticeArgs) -> anyhow::Result<ExitCode> {
    let first_dir = args.paths.first().filter(|p| p.is_dir());
    let config = Config::load(args.config.as_deref(), first_dir.map(|p| p.as_path()))?;
    let generation = current_generation(args.data.dir())?;
    let index_dir = generation.index_dir();
    let Some(lic) = Licensing::load(
        &index_dir,
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
    let texts = vigie_knowledge::licences::load_texts(&index_dir);
    let mut projects: Vec<(String, ProjectLicences)> = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let scanned = vigie_app::estate::scan(
        &args.paths,
        args.max_file_size,
        None,
        &Bars::new(true),
        |chunk| {
            let results: Vec<_> = chunk
                .par_iter()
                .map(|s| lic.evaluate(&s.project, false))
                .collect();
            for (s, (mut r, d)) in chunk.iter().zip(results) {
                diagnostics.extend(s.project.diagnostics.iter().cloned());
                diagnostics.extend(d);
                // The notice needs the licences and copyrights, not the explanations.
                r.findings.clear();
                for c in &mut r.components {
                    c.explanation = Default::default();
                }
                projects.push((s.project.name.clone(), r));
            }
            Ok(())
        },
    )?;
    if scanned.nothing {
        crate::render::print_diagnostics(&scanned.walk_diagnostics);
        return Ok(ExitCode::from(2));
    }
    let lang: Lang = args.lang.into();
    let input = NoticeInput {
        projects: projects.iter().map(|(n, r)| (n.as_str(), r)).collect(),
        texts: texts.as_ref(),
        lang,
    };
    let mut w: Box<dyn Write> = match &args.output {
        Some(path) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let summary = write(&mut w, &input)?;
    w.flush()?;
    if !args.quiet {
        crate::render::print_diagnostics(scanned.walk_diagnostics.iter().chain(&diagnostics));
        if texts.is_none() {
            eprintln!(
                "{}",
                lang.pick(
                    "vigie: warning: licence texts missing: the knowledge index has no SPDX licence texts (sync a mirror that has spdx/details.tar.gz)",
                    "vigie : attention : textes des licences manquants : l'index n'a pas les textes SPDX (synchroniser un miroir qui contient spdx/details.tar.gz)"
                )
            );
        }
        eprintln!(
            "{}",
            lang.pick(
                &format!(
                    "vigie: notice: {} components under {} licences; {} without a known licence; {} licence texts missing",
                    summary.components, summary.licences, summary.unknown, summary.missing_texts.len()
                ),
                &format!(
                    "vigie : mentions : {} composants sous {} licences ; {} sans licence connue ; {} textes de licence manquants",
                    summary.components, summary.licences, summary.unknown, summary.missing_texts.len()
                ),
            )
        );
    }
    Ok(if scanned.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}
