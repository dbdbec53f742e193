//! `vigie hit`: "are we hit?" by an advisory, a purl or a package range.

use std::io::Write;
use std::process::ExitCode;

use vigie_app::hit::{AdvisoryKnowledge, IndexAnswer, Question};

use crate::cli::{HitArgs, ListFormat};
use crate::render::clean;

pub fn run(args: HitArgs) -> anyhow::Result<ExitCode> {
    let question = Question::parse(&args.question)?;
    let store = super::store_io::open_read_only(&args.query.store)?;
    let snapshot = super::store_io::snapshot(&*store, args.query.snapshot)?;
    let knowledge = match &question {
        Question::Advisory { .. } => Some(
            AdvisoryKnowledge::open(args.query.store.data.data_dir.as_deref())
                .map_err(|e| format!("{e:#}")),
        ),
        Question::Package { .. } => None,
    };
    let knowledge = match &knowledge {
        Some(Ok(k)) => Ok(k),
        Some(Err(reason)) => Err(reason.as_str()),
        None => Err(""),
    };
    let answer = vigie_app::hit::answer(&*store, snapshot, &question, knowledge)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.query.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &answer)?;
            writeln!(out)?;
        }
        ListFormat::Table => match &question {
            Question::Advisory { id } => {
                match answer.index.as_ref() {
                    Some(IndexAnswer::Known { advisories }) => {
                        for a in advisories {
                            let kev = if a.known_exploited {
                                " [known exploited]"
                            } else {
                                ""
                            };
                            let withdrawn = if a.withdrawn.is_some() {
                                " [withdrawn]"
                            } else {
                                ""
                            };
                            writeln!(
                                out,
                                "{}{kev}{withdrawn}: {}",
                                clean(&a.id),
                                clean(&a.summary)
                            )?;
                            for p in &a.packages {
                                let fixed = if p.fixed.is_empty() {
                                    "no fixed version known".to_owned()
                                } else {
                                    format!("fixed in {}", p.fixed.join(", "))
                                };
                                writeln!(
                                    out,
                                    "  {} {}: {}",
                                    clean(&p.ecosystem),
                                    clean(&p.name),
                                    clean(&fixed)
                                )?;
                            }
                        }
                    }
                    Some(IndexAnswer::Unknown) => writeln!(
                        out,
                        "{}: unknown to the knowledge index (check the id, or run `vigie sync`)",
                        clean(id)
                    )?,
                    Some(IndexAnswer::NoIndex { reason }) => writeln!(
                        out,
                        "{}: cannot tell whether the index knows it: {}",
                        clean(id),
                        clean(reason)
                    )?,
                    None => {}
                }
                super::who_uses::advisory_table(&mut out, &answer.findings, id)?;
            }
            Question::Package { .. } => super::who_uses::usage_table(&mut out, &answer.uses)?,
        },
    }
    out.flush()?;
    // As grep: 0 when hit, 1 when not, so a script can ask.
    Ok(if answer.projects() > 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
