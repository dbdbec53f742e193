//! `vigie inventory`: every component of every project under the given folders.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::ExitCode;

use vigie_export::RunInfo;
use vigie_export::json::{InventoryWriter, Summary};
use vigie_model::{Diagnostic, Project};

use crate::cli::{InventoryArgs, InventoryFormat};
use crate::output::Output;
use crate::progress::Bars;
use crate::render::{Style, Table, paint};

pub fn run(args: InventoryArgs) -> anyhow::Result<ExitCode> {
    let run = RunInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        timestamp: jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        roots: args.paths.iter().map(|p| p.display().to_string()).collect(),
    };
    let mut sink: Box<dyn Sink> = match args.format {
        InventoryFormat::Json => Box::new(JsonSink::new(open_output(&args)?, &run)?),
        InventoryFormat::Table => Box::new(TableSink::new(open_output(&args)?, args.summary)),
        InventoryFormat::Cyclonedx | InventoryFormat::Spdx => Box::new(DocSink {
            w: open_output(&args)?,
            spdx: args.format == InventoryFormat::Spdx,
            projects: Vec::new(),
            run: run.clone(),
        }),
    };
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let scanned = vigie_app::estate::scan(
        &args.paths,
        args.max_file_size,
        None,
        &Bars::new(true),
        |projects| {
            for p in projects.into_iter().map(|s| s.project) {
                if !args.quiet {
                    diagnostics.extend(p.diagnostics.iter().cloned());
                }
                sink.project(p)?;
            }
            Ok(())
        },
    )?;
    if scanned.nothing {
        crate::render::print_diagnostics(&scanned.walk_diagnostics);
        return Ok(ExitCode::from(2));
    }
    sink.finish(&scanned.walk_diagnostics)?;
    if !args.quiet {
        crate::render::print_diagnostics(scanned.walk_diagnostics.iter().chain(&diagnostics));
    }
    Ok(if scanned.errors > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn open_output(args: &InventoryArgs) -> anyhow::Result<Output> {
    Output::open(args.output.as_deref())
}

/// Where projects go as they are read.
trait Sink {
    fn project(&mut self, p: Project) -> anyhow::Result<()>;
    fn finish(self: Box<Self>, walk_diags: &[Diagnostic]) -> anyhow::Result<()>;
}

struct JsonSink {
    w: Option<InventoryWriter<Output>>,
}

impl JsonSink {
    fn new(w: Output, run: &RunInfo) -> anyhow::Result<JsonSink> {
        Ok(JsonSink {
            w: Some(InventoryWriter::start(w, run)?),
        })
    }
}

impl Sink for JsonSink {
    fn project(&mut self, p: Project) -> anyhow::Result<()> {
        if let Some(w) = &mut self.w {
            w.project(&p)?;
        }
        Ok(())
    }

    fn finish(mut self: Box<Self>, walk_diags: &[Diagnostic]) -> anyhow::Result<()> {
        if let Some(w) = self.w.take() {
            w.finish(walk_diags)?.0.finish()?;
        }
        Ok(())
    }
}

/// CycloneDX and SPDX are one document: projects are kept until the end.
struct DocSink {
    w: Output,
    spdx: bool,
    projects: Vec<Project>,
    run: RunInfo,
}

impl Sink for DocSink {
    fn project(&mut self, p: Project) -> anyhow::Result<()> {
        self.projects.push(p);
        Ok(())
    }

    fn finish(mut self: Box<Self>, _walk_diags: &[Diagnostic]) -> anyhow::Result<()> {
        if self.spdx {
            let doc = vigie_export::spdx::document(&self.projects, &self.run);
            serde_json::to_writer_pretty(&mut self.w, &doc)?;
        } else {
            // Written as it is serialised, a component at a time.
            let bom = vigie_export::cyclonedx::bom(&self.projects, &self.run, None);
            serde_json::to_writer_pretty(&mut self.w, &bom)?;
        }
        writeln!(self.w)?;
        self.w.finish()
    }
}

struct TableSink {
    w: Output,
    summary_only: bool,
    summary: Summary,
    per_project: Table<6>,
}

impl TableSink {
    fn new(w: Output, summary_only: bool) -> TableSink {
        TableSink {
            w,
            summary_only,
            summary: Summary::default(),
            per_project: Table::new([
                "PROJECT",
                "PATH",
                "ECOSYSTEMS",
                "COMPONENTS",
                "UNRESOLVED",
                "PROBLEMS",
            ]),
        }
    }
}

impl Sink for TableSink {
    fn project(&mut self, p: Project) -> anyhow::Result<()> {
        self.summary.add(&p);
        let unresolved = p.components.iter().filter(|c| c.is_unresolved()).count();
        let ecos: Vec<&str> = p.ecosystems().into_iter().map(|e| e.as_str()).collect();
        self.per_project.row([
            p.name.clone(),
            p.path.clone(),
            ecos.join(", "),
            p.components.len().to_string(),
            unresolved.to_string(),
            p.diagnostics.len().to_string(),
        ]);
        if self.summary_only || p.components.is_empty() {
            return Ok(());
        }
        let bold = crate::render::stdout_colour();
        writeln!(
            self.w,
            "{} ({}, {} components)",
            paint(bold, Style::Bold, &crate::render::clean(&p.name)),
            crate::render::clean(&p.path),
            p.components.len()
        )?;
        let mut t = Table::new([
            "ECOSYSTEM",
            "NAME",
            "VERSION",
            "SCOPE",
            "RELATION",
            "LICENCE",
        ]);
        for c in &p.components {
            t.row([
                c.ecosystem.as_str().to_owned(),
                c.name.clone(),
                c.version
                    .clone()
                    .unwrap_or_else(|| "(unresolved)".to_owned()),
                c.scope.as_str().to_owned(),
                c.relation.as_str().to_owned(),
                c.licence.clone().unwrap_or_default(),
            ]);
        }
        t.write(&mut self.w)?;
        writeln!(self.w)?;
        Ok(())
    }

    fn finish(mut self: Box<Self>, walk_diags: &[Diagnostic]) -> anyhow::Result<()> {
        self.summary.add_diagnostics(walk_diags);
        let bold = crate::render::stdout_colour();
        writeln!(self.w, "{}", paint(bold, Style::Bold, "Projects"))?;
        self.per_project.write(&mut self.w)?;
        writeln!(self.w)?;
        writeln!(self.w, "{}", paint(bold, Style::Bold, "Ecosystems"))?;
        let mut t = Table::new(["ECOSYSTEM", "COMPONENTS"]);
        let by: BTreeMap<_, _> = self.summary.by_ecosystem.clone().into_iter().collect();
        for (e, n) in by {
            t.row([e, n.to_string()]);
        }
        t.write(&mut self.w)?;
        let s = &self.summary;
        writeln!(
            self.w,
            "\n{} projects, {} files, {} components ({} unresolved); {} errors, {} warnings",
            s.projects, s.files, s.components, s.unresolved, s.errors, s.warnings
        )?;
        self.w.finish()
    }
}
