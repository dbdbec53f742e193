//! Detection: which platforms, runtimes and images a repository's files
//! declare.
//!
//! Every detector is one file of the same shape: a `DETECTOR` constant naming
//! the files it reads (by name, and for generic names such as `*.yaml` by a
//! look at the text) and a `detect` function from an [`Input`] (path and text)
//! to an [`Output`] (detections and diagnostics). Detectors know nothing of
//! the knowledge: a runtime declaration names its endoflife.date product
//! itself (`.nvmrc` → `nodejs`), an image is kept as its reference and mapped
//! to products later ([`crate::Knowledge::platforms`]). They never panic and
//! do no IO; what they cannot read is a diagnostic.
//!
//! [`DETECTORS`] lists them; [`detect_file`] runs the ones that match a file.

use serde::{Deserialize, Serialize};
use vigie_model::{Code, Diagnostic};

pub mod compose;
pub mod composer_json;
pub mod csproj;
pub mod dockerfile;
pub mod gemfile_lock;
pub mod global_json;
pub mod go_mod;
pub mod kubernetes;
pub mod node_version;
pub mod package_json;
pub mod pom_xml;
pub mod pyproject;
pub mod python_version;
pub mod ruby_version;
pub mod runtime_txt;
pub mod rust_toolchain;
pub mod tool_versions;
mod util;
mod xml;

pub use util::constraint_floor;

/// Largest file a detector reads; larger ones get a `file-too-large` diagnostic.
pub const MAX_FILE_SIZE: usize = 8 << 20;

/// How a platform was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A file that says which runtime runs the code (`.python-version`, `go.mod`).
    Runtime,
    /// A container image (`FROM`, `image:`).
    Image,
    /// A package of the inventory that is itself a product (Django, Spring Boot).
    Component,
}

/// Where a detection comes from.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Evidence {
    /// The file, relative to the scan root.
    pub file: String,
    /// 1-based line, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// What a detection names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "value", rename_all = "kebab-case")]
pub enum Subject {
    /// An endoflife.date product, by its id (`python`, `nodejs`).
    Product(String),
    /// A container image reference, as written after `ARG` substitution.
    Image(String),
}

/// One thing a file says runs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    /// The product or image.
    pub subject: Subject,
    /// What the file writes (`>=3.8`, `v18.17.0`, `python:3.8-slim`).
    pub written: String,
    /// The version to map to a cycle (`3.8`, `18.17.0`), when the file pins
    /// one; for an image, `None` (its tag is read with the knowledge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How it was found.
    pub kind: Kind,
    /// Where.
    pub evidence: Evidence,
    /// The detector id, or the package URL of a component.
    pub source: String,
    /// A remark (`lower bound of requires-python`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A kind of file detectors read. One `const DETECTOR: Detector` per file.
pub struct Detector {
    /// Stable kebab-case id (`python-version`).
    pub id: &'static str,
    /// One line for people.
    pub description: &'static str,
    /// Whether a file name (no folder) is of this kind.
    pub matches: fn(&str) -> bool,
    /// For generic names: whether the text is of this kind. Called only when
    /// `matches` said no.
    pub sniff: Option<fn(&str, &str) -> bool>,
    /// Reads one file.
    pub detect: fn(&Input<'_>, &mut Output),
}

/// What a detector is given.
pub struct Input<'a> {
    /// Path relative to the scan root, `/`-separated.
    pub path: &'a str,
    /// The file's text.
    pub text: &'a str,
}

/// What a detector gives back.
#[derive(Debug, Default)]
pub struct Output {
    /// What the file says runs.
    pub detections: Vec<Detection>,
    /// What could not be read.
    pub diagnostics: Vec<Diagnostic>,
    path: String,
    source: &'static str,
}

impl Output {
    /// An empty output for the file `path`, read by the detector `source`.
    pub fn new(path: &str, source: &'static str) -> Output {
        Output {
            path: path.to_owned(),
            source,
            ..Output::default()
        }
    }

    /// Records that the file names `product` at `written` (the version to
    /// map being `version`), on `line`.
    pub fn runtime(
        &mut self,
        product: &str,
        written: &str,
        version: Option<String>,
        line: Option<u32>,
    ) -> &mut Detection {
        self.push(
            Subject::Product(product.to_owned()),
            written,
            version,
            Kind::Runtime,
            line,
        )
    }

    /// Records an image reference on `line`.
    pub fn image(&mut self, reference: &str, line: Option<u32>) -> &mut Detection {
        self.push(
            Subject::Image(reference.to_owned()),
            reference,
            None,
            Kind::Image,
            line,
        )
    }

    fn push(
        &mut self,
        subject: Subject,
        written: &str,
        version: Option<String>,
        kind: Kind,
        line: Option<u32>,
    ) -> &mut Detection {
        self.detections.push(Detection {
            subject,
            written: written.to_owned(),
            version,
            kind,
            evidence: Evidence {
                file: self.path.clone(),
                line,
            },
            source: self.source.to_owned(),
            note: None,
        });
        let last = self.detections.len() - 1;
        &mut self.detections[last]
    }

    /// Records a warning on `line`.
    pub fn warning(&mut self, code: Code, message: impl Into<String>, line: Option<u32>) {
        self.diagnostics
            .push(Diagnostic::warning(self.path.clone(), code, message).at_line(line));
    }

    /// Records an error (part of the file could not be read) on `line`.
    pub fn error(&mut self, code: Code, message: impl Into<String>, line: Option<u32>) {
        self.diagnostics
            .push(Diagnostic::error(self.path.clone(), code, message).at_line(line));
    }
}

/// Every detector. One line per kind of file.
pub static DETECTORS: &[&Detector] = &[
    &python_version::DETECTOR,
    &runtime_txt::DETECTOR,
    &pyproject::DETECTOR,
    &node_version::DETECTOR,
    &package_json::DETECTOR,
    &go_mod::DETECTOR,
    &rust_toolchain::DETECTOR,
    &tool_versions::DETECTOR,
    &ruby_version::DETECTOR,
    &gemfile_lock::DETECTOR,
    &composer_json::DETECTOR,
    &pom_xml::DETECTOR,
    &global_json::DETECTOR,
    &csproj::DETECTOR,
    &dockerfile::DETECTOR,
    &compose::DETECTOR,
    &kubernetes::DETECTOR,
];

/// The detectors that read a file, by its name alone (no text needed).
pub fn detectors_for(file_name: &str) -> impl Iterator<Item = &'static Detector> + '_ {
    DETECTORS
        .iter()
        .copied()
        .filter(move |d| (d.matches)(file_name))
}

/// Whether any detector may read a file of this name (by its name, or for
/// YAML by a look at its text): the caller reads the text only then.
pub fn is_candidate(file_name: &str) -> bool {
    detectors_for(file_name).next().is_some() || is_yaml(file_name)
}

/// Whether a file name is YAML (`*.yaml`, `*.yml`).
pub fn is_yaml(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// Runs every detector that reads the file `path` (relative to the scan
/// root, `/`-separated) on its `text`.
pub fn detect_file(path: &str, text: &str) -> Output {
    let name = path.rsplit('/').next().unwrap_or(path);
    let mut all = Output::new(path, "");
    if text.len() > MAX_FILE_SIZE {
        all.error(
            Code::FileTooLarge,
            format!("{} bytes, over the limit of {MAX_FILE_SIZE}", text.len()),
            None,
        );
        return all;
    }
    for d in DETECTORS {
        let take = (d.matches)(name) || d.sniff.is_some_and(|s| s(name, text));
        if take {
            let mut out = Output::new(path, d.id);
            (d.detect)(&Input { path, text }, &mut out);
            all.detections.append(&mut out.detections);
            all.diagnostics.append(&mut out.diagnostics);
        }
    }
    all
}

/// Every product a detector may name (for checking them against the
/// knowledge): the runtime declarations', `.tool-versions`' tools and Java
/// distributions, and the image bases tags name.
pub fn product_names() -> Vec<&'static str> {
    let mut names = vec![
        "python",
        "nodejs",
        "go",
        "rust",
        "ruby",
        "jruby",
        "php",
        "eclipse-temurin",
        "dotnet",
        "dotnetfx",
        "pnpm",
        "yarn",
        "alpine-linux",
        "debian",
        "ubuntu",
        "amazon-corretto",
    ];
    names.extend(tool_versions::TOOLS.iter().map(|(_, p)| *p));
    names.extend(tool_versions::JAVA.iter().map(|(_, p)| *p));
    names.sort_unstable();
    names.dedup();
    names
}
