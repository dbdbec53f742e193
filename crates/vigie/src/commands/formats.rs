//! `vigie formats`: the readers vigie has.

use std::io::Write;
use std::process::ExitCode;

use crate::cli::{FormatsArgs, ListFormat};
use crate::render::Table;

pub fn run(args: FormatsArgs) -> anyhow::Result<ExitCode> {
    let readers = vigie_discovery::registry::READERS;
    let mut out = std::io::stdout().lock();
    match args.format {
        ListFormat::Json => {
            let list: Vec<_> = readers
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id,
                        "description": r.description,
                        "ecosystem": r.ecosystem.map(|e| e.as_str()),
                        "content_sniffing": r.sniff.is_some(),
                    })
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &list)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            let mut t = Table::new(["FORMAT", "ECOSYSTEM", "FILES"]);
            for r in readers {
                t.row([
                    r.id.to_owned(),
                    r.ecosystem.map_or("(several)", |e| e.as_str()).to_owned(),
                    r.description.to_owned(),
                ]);
            }
            t.write(&mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
