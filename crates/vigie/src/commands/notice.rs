//! `vigie notice`: the third-party attribution file a distributed product
//! ships (components per licence, copyright lines, licence texts).

use std::process::ExitCode;

use vigie_export::notice::{NoticeInput, write};
use vigie_licence::Lang;

use crate::cli::NoticeArgs;
use crate::output::Output;
use crate::progress::Bars;

pub fn run(args: NoticeArgs) -> anyhow::Result<ExitCode> {
    let survey = args.input.survey(&args.paths);
    let data = survey.notice(&Bars::new(true))?;
    let (projects, texts) = (&data.projects, &data.texts);
    let scanned = &data.reading.scanned;
    let diagnostics = &data.reading.diagnostics;
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
    let mut w = Output::open(args.output.as_deref())?;
    let summary = write(&mut w, &input)?;
    w.finish()?;
    if !args.input.quiet {
        crate::render::print_diagnostics(scanned.walk_diagnostics.iter().chain(diagnostics));
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
