//! `vigie show`: a project or catalog element with its blast radius.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use vigie_store::{EntityView, FindingRecord, ProjectView, Shown};

use crate::cli::{ListFormat, ShowArgs};
use crate::render::{Style, Table, paint, stdout_colour};

pub fn run(args: ShowArgs) -> anyhow::Result<ExitCode> {
    let store = super::store_io::open_read_only(&args.query.store)?;
    let snapshot = super::store_io::snapshot(&*store, args.query.snapshot)?;
    let shown = store.show(snapshot, &args.name)?;
    if shown.is_empty() {
        bail!(
            "no project or catalog element {:?} in snapshot {snapshot}",
            args.name
        );
    }
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.query.format {
        ListFormat::Json => {
            serde_json::to_writer_pretty(&mut out, &shown)?;
            writeln!(out)?;
        }
        ListFormat::Table => {
            for s in &shown {
                match s {
                    Shown::Project(p) => project(&mut out, p)?,
                    Shown::Entity(e) => entity(&mut out, e)?,
                }
            }
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

use crate::render::clean;

fn heading(w: &mut impl Write, text: &str) -> std::io::Result<()> {
    writeln!(w, "\n{}", paint(stdout_colour(), Style::Bold, &clean(text)))
}

fn list(w: &mut impl Write, label: &str, items: &[String]) -> std::io::Result<()> {
    let text = if items.is_empty() {
        "-".to_owned()
    } else {
        items.join(", ")
    };
    writeln!(w, "{label}: {}", clean(&text))
}

fn findings(w: &mut impl Write, list: &[FindingRecord]) -> anyhow::Result<()> {
    heading(w, &format!("Findings ({})", list.len()))?;
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

fn project(w: &mut impl Write, p: &ProjectView) -> anyhow::Result<()> {
    let d = &p.data;
    heading(
        w,
        &format!("Project {} ({})", d.project.path, d.project.name),
    )?;
    let (systems, owners) = super::who_uses::systems_and_owners(&p.entities);
    writeln!(
        w,
        "systems: {}\nowners: {}",
        clean(&systems),
        clean(&owners)
    )?;
    list(w, "files", &d.project.files)?;
    list(w, "depends on", &p.depends_on)?;
    list(w, "depended on by", &p.depended_on_by)?;
    heading(w, &format!("Components ({})", d.components.len()))?;
    let mut t = Table::new(["ECOSYSTEM", "NAME", "VERSION", "SCOPE", "LICENCE"]);
    for c in &d.components {
        t.row([
            c.ecosystem.as_str().to_owned(),
            c.name.clone(),
            c.version.clone().unwrap_or_else(|| "(unresolved)".into()),
            c.scope.as_str().to_owned(),
            c.licence.clone().unwrap_or_default(),
        ]);
    }
    t.write(w)?;
    findings(w, &d.findings)
}

fn entity(w: &mut impl Write, v: &EntityView) -> anyhow::Result<()> {
    let e = &v.entity;
    let title = e.title.as_deref().unwrap_or(&e.name);
    heading(w, &format!("{} {} ({title})", e.kind, e.entity_ref))?;
    list(w, "owners", &e.owners)?;
    if let Some(s) = &e.system {
        writeln!(w, "system: {}", clean(s))?;
    }
    if let Some(c) = e.criticality {
        writeln!(w, "criticality: {c}")?;
    }
    if let Some(x) = e.internet_exposed {
        writeln!(w, "internet exposed: {x}")?;
    }
    writeln!(w, "personal data: {}", e.personal_data)?;
    list(w, "parts", &v.parts)?;
    list(w, "projects", &v.projects)?;
    list(w, "depends on", &v.depends_on)?;
    list(w, "depended on by", &v.depended_on_by)?;
    writeln!(w, "packages: {}", v.packages.len())?;
    findings(w, &v.findings)
}
