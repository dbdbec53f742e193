//! `vigie knowledge`: what the knowledge index holds (`vigie_app::admin::knowledge`): its
//! generation, advisories and packages per ecosystem, its feed files; and the coverage of a
//! snapshot: per ecosystem of the estate, whether the index holds any advisory for it.

use std::io::Write;
use std::process::ExitCode;

use vigie_app::admin::knowledge::{KnowledgeStatus, status_at};

use crate::cli::{KnowledgeArgs, ListFormat};
use crate::render::{Table, clean, coverage_gaps};

pub fn run(args: KnowledgeArgs) -> anyhow::Result<ExitCode> {
    let data_dir = args.query.store.data.data_dir.as_deref();
    let location = args.query.store.location()?;
    // Without a store, the index alone: coverage needs a snapshot.
    let status = match location.open_read_only_if_any()? {
        Some(store) => {
            let snapshot = match args.query.snapshot {
                Some(asked) => Some(super::store_io::snapshot(&*store, Some(asked))?),
                None => store.latest_if_any()?,
            };
            status_at(&*store, snapshot, data_dir)?
        }
        None if args.query.snapshot.is_some() => {
            anyhow::bail!("no store at {}", location.location()?);
        }
        None => KnowledgeStatus {
            index: vigie_app::admin::knowledge::index_status(data_dir)?,
            coverage: Vec::new(),
        },
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.query.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &status)?;
            writeln!(out)?;
        }
        ListFormat::Table => table(&mut out, &status)?,
    }
    out.flush()?;
    Ok(if status.index.is_some() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    })
}

fn table(out: &mut impl Write, s: &KnowledgeStatus) -> std::io::Result<()> {
    let Some(index) = &s.index else {
        writeln!(
            out,
            "no knowledge index: run `vigie sync` (or `vigie sync --mirror DIR`)"
        )?;
        return Ok(());
    };
    writeln!(
        out,
        "knowledge index {}, compiled {}{}",
        index.generation,
        index.created.as_deref().unwrap_or("at an unknown time"),
        index
            .mirror
            .as_deref()
            .map(|m| format!(" from {}", clean(m)))
            .unwrap_or_default()
    )?;
    writeln!(
        out,
        "{} advisories on {} packages; {} known exploited (CISA KEV, {} entries)\n",
        index.advisories, index.packages, index.known_exploited, index.kev_entries
    )?;
    let mut t = Table::new(["ECOSYSTEM", "ADVISORIES", "PACKAGES"]);
    for e in &index.ecosystems {
        t.row([
            clean(&e.ecosystem).into_owned(),
            e.advisories.to_string(),
            e.packages.to_string(),
        ]);
    }
    t.write(out)?;
    writeln!(out)?;
    let mut t = Table::new(["SOURCE", "RECORDS", "PROBLEMS", "FETCHED"]);
    for f in &index.sources {
        t.row([
            clean(&f.path).into_owned(),
            f.records.map_or_else(|| "-".to_owned(), |r| r.to_string()),
            f.problems.to_string(),
            f.fetched_at
                .as_deref()
                .map_or_else(|| "-".to_owned(), |d| clean(d).into_owned()),
        ]);
    }
    t.write(out)?;
    if s.coverage.is_empty() {
        return Ok(());
    }
    writeln!(out, "\ncoverage of the snapshot:")?;
    let mut t = Table::new(["ECOSYSTEM", "PACKAGES", "COMPONENTS", "ADVISORY SOURCE"]);
    for c in &s.coverage {
        t.row([
            clean(&c.ecosystem).into_owned(),
            c.packages.to_string(),
            c.components.to_string(),
            if c.advisory_source {
                "yes"
            } else {
                "none: not checked"
            }
            .to_owned(),
        ]);
    }
    t.write(out)?;
    if let Some(gaps) = coverage_gaps(&s.coverage) {
        writeln!(
            out,
            "not checked for vulnerabilities, no advisory source in this index: {gaps}"
        )?;
    }
    Ok(())
}
