//! vigie's JSON inventory schema, version 1, written as a stream.
//!
//! ```text
//! {
//!   "schema": "https://vigie.dev/schemas/inventory/v1",
//!   "tool": {"name": "vigie", "version": "0.1.0"},
//!   "timestamp": "2026-11-26T08:00:00Z",
//!   "roots": ["examples/acme"],
//!   "projects": [ {name, path, ecosystems, files, components, dependencies, diagnostics}, ... ],
//!   "diagnostics": [ walk-level problems ],
//!   "summary": {projects, files, components, unresolved, errors, warnings, by_ecosystem}
//! }
//! ```
//! Field by field: `docs/schemas/inventory.v1.schema.json`. Additive changes
//! keep `v1`; anything else bumps the version in `schema`.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use vigie_model::{Component, Diagnostic, Project, Severity};

use crate::RunInfo;

pub const SCHEMA_ID: &str = "https://vigie.dev/schemas/inventory/v1";

/// Counts over a whole scan, kept while streaming.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Summary {
    pub projects: usize,
    pub files: usize,
    pub components: usize,
    pub unresolved: usize,
    pub errors: usize,
    pub warnings: usize,
    pub by_ecosystem: BTreeMap<String, usize>,
}

impl Summary {
    pub fn add(&mut self, p: &Project) {
        self.projects += 1;
        self.files += p.files.len();
        self.components += p.components.len();
        self.unresolved += p.components.iter().filter(|c| c.is_unresolved()).count();
        self.add_diagnostics(&p.diagnostics);
        for c in &p.components {
            *self
                .by_ecosystem
                .entry(c.ecosystem.as_str().to_owned())
                .or_default() += 1;
        }
    }

    pub fn add_diagnostics(&mut self, diags: &[Diagnostic]) {
        for d in diags {
            match d.severity {
                Severity::Error => self.errors += 1,
                Severity::Warning => self.warnings += 1,
            }
        }
    }
}

#[derive(Serialize)]
struct ComponentOut<'a> {
    ecosystem: &'a str,
    name: &'a str,
    version: Option<&'a str>,
    purl: &'a str,
    scope: &'a str,
    relation: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    licence: Option<&'a str>,
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

#[derive(Serialize)]
struct FileOut<'a> {
    path: &'a str,
    format: &'a str,
    components: usize,
}

#[derive(Serialize)]
struct ProjectOut<'a> {
    name: &'a str,
    path: &'a str,
    ecosystems: Vec<&'static str>,
    files: Vec<FileOut<'a>>,
    components: Vec<ComponentOut<'a>>,
    dependencies: &'a [(u32, u32)],
    diagnostics: &'a [Diagnostic],
}

/// The file each component came from: components are laid out file after
/// file, in the order of `project.files`.
pub fn component_files(p: &Project) -> Vec<&str> {
    let mut out = Vec::with_capacity(p.components.len());
    for f in &p.files {
        out.extend(std::iter::repeat_n(f.path.as_str(), f.components));
    }
    out
}

fn component_out<'a>(c: &'a Component, file: &'a str) -> ComponentOut<'a> {
    ComponentOut {
        ecosystem: c.ecosystem.as_str(),
        name: &c.name,
        version: c.version.as_deref(),
        purl: &c.purl,
        scope: c.scope.as_str(),
        relation: c.relation.as_str(),
        licence: c.licence.as_deref(),
        file,
        line: c.line,
        note: c.note.as_deref(),
    }
}

/// Writes the inventory document one project at a time.
pub struct InventoryWriter<W: Write> {
    w: W,
    first: bool,
    pub summary: Summary,
}

impl<W: Write> InventoryWriter<W> {
    /// Writes the head of the document.
    pub fn start(mut w: W, run: &RunInfo) -> io::Result<InventoryWriter<W>> {
        write!(
            w,
            "{{\"schema\":{},\"tool\":{{\"name\":\"vigie\",\"version\":{}}},\"timestamp\":{},\"roots\":{},\"projects\":[",
            serde_json::to_string(SCHEMA_ID)?,
            serde_json::to_string(&run.tool_version)?,
            serde_json::to_string(&run.timestamp)?,
            serde_json::to_string(&run.roots)?,
        )?;
        Ok(InventoryWriter {
            w,
            first: true,
            summary: Summary::default(),
        })
    }

    pub fn project(&mut self, p: &Project) -> io::Result<()> {
        self.summary.add(p);
        let files = component_files(p);
        let out = ProjectOut {
            name: &p.name,
            path: &p.path,
            ecosystems: p.ecosystems().into_iter().map(|e| e.as_str()).collect(),
            files: p
                .files
                .iter()
                .map(|f| FileOut {
                    path: &f.path,
                    format: &f.format,
                    components: f.components,
                })
                .collect(),
            components: p
                .components
                .iter()
                .zip(files)
                .map(|(c, f)| component_out(c, f))
                .collect(),
            dependencies: &p.dependencies,
            diagnostics: &p.diagnostics,
        };
        if !self.first {
            self.w.write_all(b",")?;
        }
        self.first = false;
        self.w.write_all(b"\n")?;
        serde_json::to_writer(&mut self.w, &out)?;
        Ok(())
    }

    /// Writes the walk-level diagnostics and the summary, and closes the document.
    pub fn finish(mut self, diagnostics: &[Diagnostic]) -> io::Result<(W, Summary)> {
        self.summary.add_diagnostics(diagnostics);
        write!(
            self.w,
            "\n],\"diagnostics\":{},\"summary\":{}}}\n",
            serde_json::to_string(diagnostics)?,
            serde_json::to_string(&self.summary)?
        )?;
        self.w.flush()?;
        Ok((self.w, self.summary))
    }
}
