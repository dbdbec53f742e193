//! The push document: the inventory of the folders `vigie scan --push` read, as one JSON
//! value (format `vigie-push`, version 1, documented in `docs/ingest.md`). It carries what
//! the checks need and nothing they produce: projects with their files, components (scope,
//! relation, licence, line), dependency edges, the extra files the lifecycle check reads,
//! and the licence evidence found on disk beside the components. The server runs the checks
//! with its own index.
//!
//! The document comes from the network: [`PushDocument::validate`] bounds every count and
//! every string, refuses paths that are absolute, hold `..` or control characters, and purls
//! that are not `pkg:` URLs, before anything is audited or stored.

use serde::{Deserialize, Serialize};
use vigie_discovery::licence_evidence::{ComponentEvidence, Evidence, EvidenceKind};
use vigie_model::{Component, FileReport, Project};

use crate::estate::ScannedProject;

/// The format's name.
pub const FORMAT: &str = "vigie-push";
/// The format's version.
pub const VERSION: u32 = 1;

/// Most projects in one push.
pub const MAX_PROJECTS: usize = 1_000;
/// Most components of one project.
pub const MAX_COMPONENTS: usize = 200_000;
/// Most files (and extra files) of one project.
pub const MAX_FILES: usize = 10_000;
/// Most licence statements of one component.
pub const MAX_STATEMENTS: usize = 32;
/// Longest path (bytes).
pub const MAX_PATH: usize = 1_024;
/// Longest short string: names, versions, formats, the commit (bytes).
pub const MAX_SHORT: usize = 1_024;
/// Longest long string: purls, licences, notes (bytes).
pub const MAX_LONG: usize = 8_192;
/// Largest extra file's text (bytes).
pub const MAX_EXTRA: usize = 1024 * 1024;

/// One push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushDocument {
    /// Always `vigie-push` ([`FORMAT`]).
    pub format: String,
    /// Always 1 ([`VERSION`]).
    pub version: u32,
    /// The vigie that read the folders.
    pub tool_version: String,
    /// The commit the folders were at (CI's), when known: the push is idempotent on it,
    /// else on each project's content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The projects read.
    pub projects: Vec<PushedProjectDoc>,
}

/// One project of a push.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PushedProjectDoc {
    /// Its folder, relative, `/`-separated, without `..`: its identity in the estate.
    pub path: String,
    /// Its name.
    pub name: String,
    /// The files read, with their reader and how many components each gave.
    pub files: Vec<FileDoc>,
    /// The components, in the files' order, each as `vigie inventory -f json` writes one
    /// (`ecosystem`, `name`, `version`, `purl`, `scope`, `relation`, `licence`, `line`...).
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Object>))]
    pub components: Vec<Component>,
    /// Dependency edges between components (indices).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<Vec<u32>>))]
    pub dependencies: Vec<(u32, u32)>,
    /// The extra files the lifecycle check reads (Dockerfiles, runtime declarations).
    #[serde(default)]
    pub extras: Vec<ExtraFile>,
    /// The licence evidence on disk, when it was gathered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceDoc>,
}

/// A file read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FileDoc {
    /// Its path.
    pub path: String,
    /// The reader's id (`package-lock`, `cyclonedx-json`...).
    pub format: String,
    /// Components it gave.
    pub components: usize,
}

/// An extra file and its text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ExtraFile {
    /// Its path.
    pub path: String,
    /// Its text.
    pub text: String,
}

/// The licence evidence of a project.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EvidenceDoc {
    /// The project's own licence, from its manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub own: Option<Statement>,
    /// Per component, in order: its licence statements.
    pub components: Vec<ComponentStatements>,
}

/// The licence statements of one component.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ComponentStatements {
    /// Its statements, the declared one first.
    #[serde(default)]
    pub licences: Vec<Statement>,
    /// Copyright lines found beside the installed package.
    #[serde(default)]
    pub copyright: Vec<String>,
}

/// A licence statement and where it was read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Statement {
    /// The licence as written.
    pub licence: String,
    /// Where: `declared`, `node-modules`, `dist-info`, `cargo-registry`, `vendored`,
    /// `manifest`.
    pub kind: String,
    /// The file.
    pub file: String,
}

const KINDS: [EvidenceKind; 6] = [
    EvidenceKind::Declared,
    EvidenceKind::NodeModules,
    EvidenceKind::DistInfo,
    EvidenceKind::CargoRegistry,
    EvidenceKind::Vendored,
    EvidenceKind::Manifest,
];

impl Statement {
    fn from_evidence(e: &Evidence) -> Statement {
        Statement {
            licence: e.licence.clone(),
            kind: e.kind.id().to_owned(),
            file: e.file.clone(),
        }
    }

    fn to_evidence(&self) -> Option<Evidence> {
        let kind = KINDS.into_iter().find(|k| k.id() == self.kind)?;
        Some(Evidence {
            licence: self.licence.clone(),
            kind,
            file: self.file.clone(),
        })
    }
}

impl EvidenceDoc {
    /// The evidence gathered on disk, as sent.
    pub fn from_evidence(e: &vigie_discovery::licence_evidence::ProjectEvidence) -> EvidenceDoc {
        EvidenceDoc {
            own: e.own.as_ref().map(Statement::from_evidence),
            components: e
                .components
                .iter()
                .map(|c| ComponentStatements {
                    licences: c.licences.iter().map(Statement::from_evidence).collect(),
                    copyright: c.copyright.clone(),
                })
                .collect(),
        }
    }

    fn to_evidence(&self) -> vigie_discovery::licence_evidence::ProjectEvidence {
        vigie_discovery::licence_evidence::ProjectEvidence {
            components: self
                .components
                .iter()
                .map(|c| ComponentEvidence {
                    licences: c
                        .licences
                        .iter()
                        .filter_map(Statement::to_evidence)
                        .collect(),
                    copyright: c.copyright.clone(),
                })
                .collect(),
            own: self.own.as_ref().and_then(Statement::to_evidence),
            diagnostics: Vec::new(),
        }
    }
}

/// Why a document is refused: the field and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// A JSON pointer-like location (`projects[3].components[12].purl`).
    pub at: String,
    /// What is wrong.
    pub message: String,
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.at, self.message)
    }
}

impl std::error::Error for Invalid {}

fn invalid(at: impl Into<String>, message: impl Into<String>) -> Invalid {
    Invalid {
        at: at.into(),
        message: message.into(),
    }
}

/// A string of at most `max` bytes without control characters.
fn text(at: &str, s: &str, max: usize) -> Result<(), Invalid> {
    if s.len() > max {
        return Err(invalid(at, format!("longer than {max} bytes")));
    }
    if s.chars().any(|c| c.is_control()) {
        return Err(invalid(at, "holds a control character"));
    }
    Ok(())
}

/// A relative, `/`-separated path without `.`, `..` or empty segments.
pub fn check_path(at: &str, p: &str) -> Result<(), Invalid> {
    text(at, p, MAX_PATH)?;
    if p.is_empty() {
        return Err(invalid(at, "empty path"));
    }
    if p.starts_with('/') || p.contains('\\') || p.contains(':') {
        return Err(invalid(at, "not a relative `/`-separated path"));
    }
    if p.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
        return Err(invalid(at, "a path segment is empty, `.` or `..`"));
    }
    Ok(())
}

/// A long text (licence, note, copyright): at most `MAX_LONG` bytes, control characters
/// other than line breaks and tabs refused.
fn long_text(at: &str, s: &str) -> Result<(), Invalid> {
    if s.len() > MAX_LONG {
        return Err(invalid(at, format!("longer than {MAX_LONG} bytes")));
    }
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(invalid(at, "holds a control character"));
    }
    Ok(())
}

fn count(at: &str, n: usize, max: usize) -> Result<(), Invalid> {
    if n > max {
        return Err(invalid(at, format!("more than {max}")));
    }
    Ok(())
}

impl PushDocument {
    /// Checks the format, the bounds of every field, the paths and the purls.
    pub fn validate(&self) -> Result<(), Invalid> {
        if self.format != FORMAT {
            return Err(invalid("format", format!("expected {FORMAT:?}")));
        }
        if self.version != VERSION {
            return Err(invalid(
                "version",
                format!("only version {VERSION} is known"),
            ));
        }
        text("tool_version", &self.tool_version, MAX_SHORT)?;
        if let Some(c) = &self.commit {
            text("commit", c, 200)?;
            if c.is_empty() {
                return Err(invalid("commit", "empty"));
            }
        }
        if self.projects.is_empty() {
            return Err(invalid("projects", "no project"));
        }
        count("projects", self.projects.len(), MAX_PROJECTS)?;
        let mut paths = std::collections::HashSet::new();
        for (i, p) in self.projects.iter().enumerate() {
            let at = format!("projects[{i}]");
            p.validate(&at)?;
            if !paths.insert(p.path.as_str()) {
                return Err(invalid(format!("{at}.path"), "given twice"));
            }
        }
        Ok(())
    }
}

impl PushedProjectDoc {
    fn validate(&self, at: &str) -> Result<(), Invalid> {
        check_path(&format!("{at}.path"), &self.path)?;
        text(&format!("{at}.name"), &self.name, MAX_SHORT)?;
        count(&format!("{at}.files"), self.files.len(), MAX_FILES)?;
        count(&format!("{at}.extras"), self.extras.len(), MAX_FILES)?;
        count(
            &format!("{at}.components"),
            self.components.len(),
            MAX_COMPONENTS,
        )?;
        count(
            &format!("{at}.dependencies"),
            self.dependencies.len(),
            MAX_COMPONENTS.saturating_mul(4),
        )?;
        // What the files say they gave adds up to at most the project's components (a count
        // is not a promise to allocate: 4,888,888,888 once reserved 78 GB, found by fuzzing).
        let mut declared = 0usize;
        for (i, f) in self.files.iter().enumerate() {
            check_path(&format!("{at}.files[{i}].path"), &f.path)?;
            text(&format!("{at}.files[{i}].format"), &f.format, MAX_SHORT)?;
            declared = declared.saturating_add(f.components);
            if declared > self.components.len() {
                return Err(invalid(
                    format!("{at}.files[{i}].components"),
                    format!(
                        "the files give more components than the project's {}",
                        self.components.len()
                    ),
                ));
            }
        }
        for (i, f) in self.extras.iter().enumerate() {
            check_path(&format!("{at}.extras[{i}].path"), &f.path)?;
            if f.text.len() > MAX_EXTRA {
                return Err(invalid(
                    format!("{at}.extras[{i}].text"),
                    format!("longer than {MAX_EXTRA} bytes"),
                ));
            }
        }
        for (i, c) in self.components.iter().enumerate() {
            check_component(&format!("{at}.components[{i}]"), c)?;
        }
        let n = self.components.len() as u32;
        if let Some(i) = self
            .dependencies
            .iter()
            .position(|(a, b)| *a >= n || *b >= n)
        {
            return Err(invalid(
                format!("{at}.dependencies[{i}]"),
                "names a component that is not there",
            ));
        }
        if let Some(e) = &self.evidence {
            if e.components.len() != self.components.len() {
                return Err(invalid(
                    format!("{at}.evidence.components"),
                    "not one entry per component",
                ));
            }
            let own = e.own.iter().map(|s| (format!("{at}.evidence.own"), s));
            let each = e.components.iter().enumerate().flat_map(|(i, c)| {
                c.licences
                    .iter()
                    .map(move |s| (format!("{at}.evidence.components[{i}]"), s))
            });
            for (where_, s) in own.chain(each) {
                check_statement(&where_, s)?;
            }
            for (i, c) in e.components.iter().enumerate() {
                let where_ = format!("{at}.evidence.components[{i}]");
                count(&where_, c.licences.len(), MAX_STATEMENTS)?;
                count(&where_, c.copyright.len(), MAX_STATEMENTS)?;
                for l in &c.copyright {
                    long_text(&where_, l)?;
                }
            }
        }
        Ok(())
    }

    /// The project as the checks read it (with its evidence when sent).
    pub fn to_scanned(&self) -> ScannedProject {
        ScannedProject {
            project: Project {
                name: self.name.clone(),
                path: self.path.clone(),
                files: self
                    .files
                    .iter()
                    .map(|f| FileReport {
                        path: f.path.clone(),
                        format: f.format.clone(),
                        components: f.components,
                    })
                    .collect(),
                components: self.components.clone(),
                dependencies: self.dependencies.clone(),
                diagnostics: Vec::new(),
            },
            extras: self
                .extras
                .iter()
                .map(|e| (e.path.clone(), e.text.clone()))
                .collect(),
            evidence: Some(
                self.evidence
                    .as_ref()
                    .map(EvidenceDoc::to_evidence)
                    .unwrap_or_else(|| declared_only(&self.components, &self.files)),
            ),
        }
    }
}

/// The evidence of components whose files were not on the pushing machine: what the files
/// declared, nothing from disk.
fn declared_only(
    components: &[Component],
    files: &[FileDoc],
) -> vigie_discovery::licence_evidence::ProjectEvidence {
    let mut file_of = Vec::with_capacity(components.len());
    for f in files {
        let room = components.len().saturating_sub(file_of.len());
        file_of.extend(std::iter::repeat_n(f.path.as_str(), f.components.min(room)));
    }
    vigie_discovery::licence_evidence::ProjectEvidence {
        components: components
            .iter()
            .enumerate()
            .map(|(i, c)| ComponentEvidence {
                licences: c
                    .licence
                    .iter()
                    .map(|l| Evidence {
                        licence: l.clone(),
                        kind: EvidenceKind::Declared,
                        file: file_of.get(i).copied().unwrap_or_default().to_owned(),
                    })
                    .collect(),
                copyright: Vec::new(),
            })
            .collect(),
        own: None,
        diagnostics: Vec::new(),
    }
}

fn check_statement(at: &str, s: &Statement) -> Result<(), Invalid> {
    long_text(at, &s.licence)?;
    text(at, &s.file, MAX_PATH)?;
    if !KINDS.iter().any(|k| k.id() == s.kind) {
        return Err(invalid(at, format!("unknown evidence kind {:?}", s.kind)));
    }
    Ok(())
}

fn check_component(at: &str, c: &Component) -> Result<(), Invalid> {
    text(&format!("{at}.name"), &c.name, MAX_SHORT)?;
    if c.name.is_empty() {
        return Err(invalid(format!("{at}.name"), "empty"));
    }
    if let Some(v) = &c.version {
        text(&format!("{at}.version"), v, MAX_SHORT)?;
    }
    for (field, value) in [("licence", &c.licence), ("note", &c.note)] {
        if let Some(v) = value {
            long_text(&format!("{at}.{field}"), v)?;
        }
    }
    text(&format!("{at}.purl"), &c.purl, MAX_LONG)?;
    // The readers' purls are kept as they are (some, like `pkg:golang/stdlib`, are not
    // canonical by the letter of the spec); a purl a client made up only misleads the
    // matching of its own project.
    if !c.purl.starts_with("pkg:") || c.purl.contains(char::is_whitespace) {
        return Err(invalid(format!("{at}.purl"), "not a purl"));
    }
    Ok(())
}
