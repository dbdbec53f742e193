//! `vigie who-uses`: every project and system that uses a package or is hit by an advisory.

use std::io::Write;
use std::process::ExitCode;

use vigie_store::{LinkedEntity, PackageQuery, Store};

use crate::cli::{ListFormat, WhoUsesArgs};
use crate::render::Table;

/// The systems (or elements) and the owners of a project, as two cells.
pub fn systems_and_owners(entities: &[LinkedEntity]) -> (String, String) {
    let mut systems: Vec<&str> = entities
        .iter()
        .map(|e| e.system.as_deref().unwrap_or(&e.entity_ref))
        .collect();
    systems.sort();
    systems.dedup();
    let mut owners: Vec<&str> = entities
        .iter()
        .flat_map(|e| e.owners.iter().map(String::as_str))
        .collect();
    owners.sort();
    owners.dedup();
    (systems.join(", "), owners.join(", "))
}

pub fn run(args: WhoUsesArgs) -> anyhow::Result<ExitCode> {
    let store = super::store_io::open(&args.store)?;
    let snapshot = super::store_io::snapshot(&store, args.snapshot)?;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    if let Some(id) = &args.advisory {
        let hits = store.who_uses_advisory(snapshot, id)?;
        match args.format {
            ListFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &hits)?;
                writeln!(out)?;
            }
            ListFormat::Table => {
                let mut t = Table::new([
                    "PROJECT", "FINDING", "RATING", "PACKAGE", "FIXED", "SYSTEMS", "OWNERS",
                ]);
                for h in &hits {
                    let (systems, owners) = systems_and_owners(&h.entities);
                    let f = &h.finding;
                    t.row([
                        f.project_path.clone(),
                        f.id.clone(),
                        f.rating.clone(),
                        f.purl.clone().unwrap_or_default(),
                        f.fixed.clone().unwrap_or_default(),
                        systems,
                        owners,
                    ]);
                }
                t.write(&mut out)?;
                writeln!(out, "{} finding(s) of {id}", hits.len())?;
            }
        }
    } else {
        let q = PackageQuery::parse(args.package.as_deref().unwrap_or_default())?;
        let uses = store.who_uses(snapshot, &q)?;
        match args.format {
            ListFormat::Json => {
                serde_json::to_writer_pretty(&mut out, &uses)?;
                writeln!(out)?;
            }
            ListFormat::Table => {
                let mut t = Table::new(["PROJECT", "PACKAGE", "SCOPE", "SYSTEMS", "OWNERS"]);
                for u in &uses {
                    let (systems, owners) = systems_and_owners(&u.entities);
                    t.row([
                        u.project_path.clone(),
                        u.purl.clone(),
                        u.scope.as_str().to_owned(),
                        systems,
                        owners,
                    ]);
                }
                t.write(&mut out)?;
                let mut projects: Vec<&str> =
                    uses.iter().map(|u| u.project_path.as_str()).collect();
                projects.dedup();
                writeln!(out, "{} project(s)", projects.len())?;
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
