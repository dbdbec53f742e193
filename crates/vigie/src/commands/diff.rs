//! `vigie diff [A] [B]`: what changed between two snapshots of the store.

use std::io::Write;
use std::process::ExitCode;

use vigie_store::{FindingRecord, SnapshotDiff};

use crate::cli::{DiffArgs, ListFormat};
use crate::render::{Style, Table, paint, stdout_colour};

pub fn run(args: DiffArgs) -> anyhow::Result<ExitCode> {
    let store = super::store_io::open_read_only(&args.store)?;
    let (from, to) = match (args.from, args.to) {
        (Some(a), Some(b)) => (a, b),
        (Some(a), None) => (a, store.latest()?),
        (None, _) => {
            let ids: Vec<i64> = store.snapshots()?.iter().map(|s| s.id).collect();
            match ids.as_slice() {
                [.., a, b] => (*a, *b),
                _ => anyhow::bail!(
                    "the store holds {} snapshot(s): a diff needs two (run `vigie scan` again)",
                    ids.len()
                ),
            }
        }
    };
    let diff = store.diff(from, to)?;
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &diff)?;
            writeln!(out)?;
        }
        ListFormat::Table => write_table(&mut out, &diff)?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn findings(w: &mut impl Write, title: &str, list: &[FindingRecord]) -> anyhow::Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    writeln!(w, "\n{}", paint(stdout_colour(), Style::Bold, title))?;
    let mut t = Table::new(["RATING", "ID", "PROJECT", "PACKAGE", "FIXED"]);
    for f in list {
        t.row([
            f.rating.to_string(),
            f.id.clone(),
            f.project_path.clone(),
            f.purl.clone().unwrap_or_default(),
            f.fixed.clone().unwrap_or_default(),
        ]);
    }
    t.write(w)?;
    Ok(())
}

pub(crate) fn write_table(w: &mut impl Write, d: &SnapshotDiff) -> anyhow::Result<()> {
    let colour = stdout_colour();
    writeln!(
        w,
        "{}",
        paint(
            colour,
            Style::Bold,
            &format!("Snapshot {} → {}", d.from, d.to)
        )
    )?;
    for p in &d.projects_added {
        writeln!(w, "+ project {p}")?;
    }
    for p in &d.projects_removed {
        writeln!(w, "- project {p}")?;
    }
    if !d.projects_changed.is_empty() {
        writeln!(w, "\n{}", paint(colour, Style::Bold, "Components"))?;
        let mut t = Table::new(["PROJECT", "CHANGE", "PACKAGE", "FROM", "TO"]);
        for p in &d.projects_changed {
            for c in &p.changed {
                t.row([
                    p.path.clone(),
                    "changed".into(),
                    format!("{} {}", c.ecosystem, c.name),
                    c.from.clone().unwrap_or_default(),
                    c.to.clone().unwrap_or_default(),
                ]);
            }
            for (sign, list) in [("added", &p.added), ("removed", &p.removed)] {
                for k in list {
                    let v = k.version.clone().unwrap_or_default();
                    let (from, to) = if sign == "added" {
                        (String::new(), v)
                    } else {
                        (v, String::new())
                    };
                    t.row([
                        p.path.clone(),
                        sign.into(),
                        format!("{} {}", k.ecosystem, k.name),
                        from,
                        to,
                    ]);
                }
            }
        }
        t.write(w)?;
    }
    findings(w, "Findings appeared", &d.findings_appeared)?;
    findings(w, "Findings resolved", &d.findings_resolved)?;
    if !d.findings_changed.is_empty() {
        writeln!(w, "\n{}", paint(colour, Style::Bold, "Findings changed"))?;
        let mut t = Table::new(["ID", "PROJECT", "RATING", "FIXED", "EXPLOITED"]);
        for c in &d.findings_changed {
            let (a, b) = (&c.before, &c.after);
            t.row([
                b.id.clone(),
                b.project_path.clone(),
                format!("{} → {}", a.rating, b.rating),
                format!(
                    "{} → {}",
                    a.fixed.as_deref().unwrap_or("-"),
                    b.fixed.as_deref().unwrap_or("-")
                ),
                format!("{} → {}", a.known_exploited, b.known_exploited),
            ]);
        }
        t.write(w)?;
    }
    let nothing = d.projects_added.is_empty()
        && d.projects_removed.is_empty()
        && d.projects_changed.is_empty()
        && d.findings_appeared.is_empty()
        && d.findings_resolved.is_empty()
        && d.findings_changed.is_empty();
    if nothing {
        writeln!(w, "no change")?;
    }
    Ok(())
}
