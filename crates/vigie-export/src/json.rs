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
        // Counted per project first: one map key (a String) per ecosystem,
        // not one per component.
        let mut counts: Vec<(&'static str, usize)> = Vec::new();
        for c in &p.components {
            let eco = c.ecosystem.as_str();
            match counts.iter_mut().find(|(e, _)| *e == eco) {
                Some((_, n)) => *n += 1,
                None => counts.push((eco, 1)),
            }
        }
        for (eco, n) in counts {
            match self.by_ecosystem.get_mut(eco) {
                Some(total) => *total += n,
                None => {
                    self.by_ecosystem.insert(eco.to_owned(), n);
                }
            }
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

/// The file each component came from: components are laid out file after
/// file, in the order of `project.files`.
pub fn component_files(p: &Project) -> Vec<&str> {
    let mut out = Vec::with_capacity(p.components.len());
    for f in &p.files {
        out.extend(std::iter::repeat_n(f.path.as_str(), f.components));
    }
    out
}

/// `buf` is written out to `w` once it holds this much: a project of a million components
/// is 200 MB of JSON, which is never held whole.
const SPILL: usize = 1 << 20;

fn spill(buf: &mut Vec<u8>, w: &mut dyn Write) -> io::Result<()> {
    if buf.len() >= SPILL {
        w.write_all(buf)?;
        buf.clear();
    }
    Ok(())
}

/// Writes one project as [`ProjectOut`] would be serialised by serde_json
/// (the same bytes: a test compares them), without serde's per-field
/// machinery: the inventory of an estate is gigabytes of components. What
/// passes [`SPILL`] bytes goes to `w` as it is made, the rest stays in `buf`.
fn write_project(buf: &mut Vec<u8>, p: &Project, w: &mut dyn Write) -> io::Result<()> {
    buf.extend_from_slice(b"{\"name\":");
    write_str(buf, &p.name);
    buf.extend_from_slice(b",\"path\":");
    write_str(buf, &p.path);
    buf.extend_from_slice(b",\"ecosystems\":[");
    for (i, e) in p.ecosystems().into_iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_str(buf, e.as_str());
    }
    buf.extend_from_slice(b"],\"files\":[");
    for (i, f) in p.files.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.extend_from_slice(b"{\"path\":");
        write_str(buf, &f.path);
        buf.extend_from_slice(b",\"format\":");
        write_str(buf, &f.format);
        buf.extend_from_slice(b",\"components\":");
        write_uint(buf, f.components as u64);
        buf.push(b'}');
    }
    buf.extend_from_slice(b"],\"components\":[");
    let files = component_files(p);
    for (i, (c, file)) in p.components.iter().zip(files).enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        write_component(buf, c, file);
        spill(buf, w)?;
    }
    buf.extend_from_slice(b"],\"dependencies\":[");
    for (i, &(a, b)) in p.dependencies.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        buf.push(b'[');
        write_uint(buf, a.into());
        buf.push(b',');
        write_uint(buf, b.into());
        buf.push(b']');
        spill(buf, w)?;
    }
    buf.extend_from_slice(b"],\"diagnostics\":");
    serde_json::to_writer(&mut *buf, &p.diagnostics)?;
    buf.push(b'}');
    Ok(())
}

/// [`ComponentOut`], field by field.
fn write_component(buf: &mut Vec<u8>, c: &Component, file: &str) {
    buf.extend_from_slice(b"{\"ecosystem\":");
    write_str(buf, c.ecosystem.as_str());
    buf.extend_from_slice(b",\"name\":");
    write_str(buf, &c.name);
    buf.extend_from_slice(b",\"version\":");
    match &c.version {
        Some(v) => write_str(buf, v),
        None => buf.extend_from_slice(b"null"),
    }
    buf.extend_from_slice(b",\"purl\":");
    write_str(buf, &c.purl);
    buf.extend_from_slice(b",\"scope\":");
    write_str(buf, c.scope.as_str());
    buf.extend_from_slice(b",\"relation\":");
    write_str(buf, c.relation.as_str());
    if let Some(l) = &c.licence {
        buf.extend_from_slice(b",\"licence\":");
        write_str(buf, l);
    }
    buf.extend_from_slice(b",\"file\":");
    write_str(buf, file);
    if let Some(line) = c.line {
        buf.extend_from_slice(b",\"line\":");
        write_uint(buf, line.into());
    }
    if let Some(n) = &c.note {
        buf.extend_from_slice(b",\"note\":");
        write_str(buf, n);
    }
    buf.push(b'}');
}

/// A JSON string as serde_json writes it: `"` and `\\` escaped, control
/// characters as `\b \t \n \f \r` or `\u00xx`, everything else as is.
fn write_str(buf: &mut Vec<u8>, s: &str) {
    buf.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        buf.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        match b {
            b'"' => buf.extend_from_slice(b"\\\""),
            b'\\' => buf.extend_from_slice(b"\\\\"),
            0x08 => buf.extend_from_slice(b"\\b"),
            b'\t' => buf.extend_from_slice(b"\\t"),
            b'\n' => buf.extend_from_slice(b"\\n"),
            0x0C => buf.extend_from_slice(b"\\f"),
            b'\r' => buf.extend_from_slice(b"\\r"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                buf.extend_from_slice(b"\\u00");
                buf.push(HEX[usize::from(b >> 4)]);
                buf.push(HEX[usize::from(b & 0xF)]);
            }
        }
    }
    buf.extend_from_slice(&bytes[start..]);
    buf.push(b'"');
}

fn write_uint(buf: &mut Vec<u8>, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&digits[i..]);
}

/// Writes the inventory document one project at a time.
pub struct InventoryWriter<W: Write> {
    w: W,
    first: bool,
    pub summary: Summary,
    /// One project's JSON, written out with a single `write_all`.
    buf: Vec<u8>,
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
            buf: Vec::new(),
        })
    }

    pub fn project(&mut self, p: &Project) -> io::Result<()> {
        self.summary.add(p);
        self.buf.clear();
        if !self.first {
            self.buf.push(b',');
        }
        self.first = false;
        self.buf.push(b'\n');
        write_project(&mut self.buf, p, &mut self.w)?;
        self.w.write_all(&self.buf)?;
        // A huge project does not keep its buffer for the rest of the run.
        if self.buf.capacity() > 16 << 20 {
            self.buf = Vec::new();
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use vigie_model::{Code, Ecosystem, FileReport, Relation, Scope};

    // The shape serde_json would write: the reference of `write_project`.
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

    #[test]
    fn a_large_project_is_written_out_as_it_is_made_with_the_same_bytes() {
        let n = 20_000;
        let p = Project {
            name: "big".into(),
            path: "big".into(),
            files: vec![FileReport {
                path: "big/package-lock.json".into(),
                format: "package-lock".into(),
                components: n,
            }],
            components: (0..n)
                .map(|i| Component::new(Ecosystem::Npm, format!("c{i}"), Some("1.0.0")))
                .collect(),
            dependencies: (1..n as u32).map(|i| (i - 1, i)).collect(),
            ..Project::default()
        };
        let (mut out, mut buf) = (Vec::new(), Vec::new());
        write_project(&mut buf, &p, &mut out).unwrap();
        assert!(
            out.len() >= SPILL && buf.len() < SPILL,
            "written out as made"
        );
        out.extend_from_slice(&buf);
        assert_eq!(out, serde_project(&p));
    }

    fn serde_project(p: &Project) -> Vec<u8> {
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
        serde_json::to_vec(&out).unwrap()
    }

    #[test]
    fn hand_written_json_is_serde_json() {
        // Every byte that JSON escapes, non-ASCII text, and the optional fields.
        let nasty: String = (0u8..0x80)
            .map(char::from)
            .chain("é中\u{1F600}\"\\/".chars())
            .collect();
        let mut a = Component::new(Ecosystem::Npm, nasty.as_str(), Some(nasty.as_str()))
            .with_licence(Some(nasty.clone()))
            .with_note(nasty.clone())
            .with_line(Some(u32::MAX))
            .with_scope(Scope::Dev)
            .with_relation(Relation::Direct);
        a.purl = nasty.clone();
        let b = Component::new(Ecosystem::PyPI, "b", None);
        let c = Component::new(Ecosystem::Cargo, "c", Some("1.0.0")).with_line(Some(0));
        let p = Project {
            name: nasty.clone(),
            path: "a/\"b\"".to_owned(),
            files: vec![
                FileReport {
                    path: nasty.clone(),
                    format: "package-lock".to_owned(),
                    components: 2,
                },
                FileReport {
                    path: "Cargo.lock".to_owned(),
                    format: "cargo-lock".to_owned(),
                    components: 1,
                },
            ],
            components: vec![a, b, c],
            dependencies: vec![(0, 1), (1, 2), (u32::MAX, 10)],
            diagnostics: vec![
                Diagnostic::error(nasty.as_str(), Code::InvalidSyntax, nasty.as_str())
                    .at_line(Some(3)),
                Diagnostic::warning("x", Code::UnresolvedVersion, "m").at_field("f"),
            ],
        };
        let mut buf = Vec::new();
        write_project(&mut buf, &p, &mut io::sink()).unwrap();
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            String::from_utf8(serde_project(&p)).unwrap()
        );
        let empty = Project::default();
        let mut buf = Vec::new();
        write_project(&mut buf, &empty, &mut io::sink()).unwrap();
        assert_eq!(buf, serde_project(&empty));
    }

    #[test]
    fn numbers() {
        for n in [
            0u64,
            1,
            9,
            10,
            99,
            100,
            12345,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut buf = Vec::new();
            write_uint(&mut buf, n);
            assert_eq!(buf, n.to_string().into_bytes());
        }
    }
}
