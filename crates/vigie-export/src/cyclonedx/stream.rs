//! The BOM written as it is read (`vigie report -f cyclonedx`: an estate has millions of
//! components): the head, then each component as it comes, project by project, then the
//! dependencies and the vulnerabilities. Compact JSON; only the bom-refs of the components
//! some vulnerability affects are kept.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::vex::{self, Affected};
use super::{Head, Library, application, head, library, project_ref};
use crate::project_name;
use crate::triage::Triaged;

/// A BOM being written.
pub struct BomStream<'o, 'a> {
    out: &'o mut dyn Write,
    /// The projects' paths, in the order of their bom-refs.
    paths: &'a [String],
    /// The next path of `paths` not yet opened.
    next: usize,
    /// The open project: (index, path).
    open: Option<(usize, String)>,
    /// Components written in the open project.
    index: usize,
    findings: &'a [Triaged<'a>],
    affected: Affected,
}

/// Writes `value` without its closing brace: more fields follow.
fn open_object(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    let text = serde_json::to_string(value)?;
    out.write_all(
        text.get(..text.len().saturating_sub(1))
            .unwrap_or("{")
            .as_bytes(),
    )
}

impl<'o, 'a> BomStream<'o, 'a> {
    /// Writes the head; `paths` are the projects (each one an `application`, empty ones
    /// included), `findings` what the `vulnerabilities` will say.
    pub fn start(
        out: &'o mut dyn Write,
        h: &Head<'_>,
        paths: &'a [String],
        findings: &'a [Triaged<'a>],
    ) -> io::Result<BomStream<'o, 'a>> {
        open_object(out, &head(h))?;
        out.write_all(b",\"components\":[")?;
        Ok(BomStream {
            out,
            paths,
            next: 0,
            open: None,
            index: 0,
            findings,
            affected: Affected::of(findings),
        })
    }

    /// Writes a component of the project at `project_path`. Components come project by
    /// project, in the order of `paths`.
    pub fn component(&mut self, project_path: &str, c: &Library<'_>) -> io::Result<()> {
        self.enter(project_path)?;
        let Some((pi, path)) = &self.open else {
            return Ok(());
        };
        let bom_ref = format!("{}#{}", project_ref(*pi, path), self.index);
        self.index += 1;
        if self.index > 1 {
            self.out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *self.out, &library(&bom_ref, c))?;
        self.affected.note(project_path, c.purl, &bom_ref);
        Ok(())
    }

    /// Writes the projects left, the dependencies and the vulnerabilities.
    pub fn finish(mut self) -> io::Result<()> {
        self.close()?;
        while let Some(p) = self.paths.get(self.next) {
            let i = self.next;
            self.next += 1;
            self.begin(i, p)?;
            self.close()?;
        }
        let project_refs: Vec<String> = self
            .paths
            .iter()
            .enumerate()
            .map(|(i, p)| project_ref(i, p))
            .collect();
        let out = self.out;
        out.write_all(b"],\"dependencies\":")?;
        serde_json::to_writer(
            &mut *out,
            &json!([{"ref": "estate", "dependsOn": project_refs}]),
        )?;
        out.write_all(b",\"vulnerabilities\":")?;
        let vulnerabilities = vex::vulnerabilities(self.findings, &self.affected);
        serde_json::to_writer(&mut *out, &Value::Array(vulnerabilities))?;
        out.write_all(b"}\n")
    }

    /// Makes `path` the open project, writing the empty projects before it.
    fn enter(&mut self, path: &str) -> io::Result<()> {
        if self.open.as_ref().is_some_and(|(_, p)| p == path) {
            return Ok(());
        }
        self.close()?;
        while let Some(p) = self.paths.get(self.next) {
            let i = self.next;
            self.next += 1;
            self.begin(i, p)?;
            if p == path {
                return Ok(());
            }
            self.close()?;
        }
        // Not among the paths (a store written meanwhile): a project of its own.
        let i = self.next;
        self.next += 1;
        self.begin(i, path)
    }

    fn begin(&mut self, i: usize, path: &str) -> io::Result<()> {
        if i > 0 {
            self.out.write_all(b",")?;
        }
        open_object(self.out, &application(i, path, project_name(path)))?;
        self.out.write_all(b",\"components\":[")?;
        self.open = Some((i, path.to_owned()));
        self.index = 0;
        Ok(())
    }

    fn close(&mut self) -> io::Result<()> {
        if self.open.take().is_some() {
            self.out.write_all(b"]}")?;
        }
        Ok(())
    }
}
