//! The shape every reader shares.

use vigie_model::{Code, Component, Diagnostic, Ecosystem};

use crate::FileSource;

/// A format vigie reads. One `const READER: Reader` per file in `readers/`.
pub struct Reader {
    /// Stable kebab-case id (`cargo-lock`), shown in reports.
    pub id: &'static str,
    /// One line for `vigie formats`.
    pub description: &'static str,
    /// The ecosystem of the components, when the format has a single one.
    pub ecosystem: Option<Ecosystem>,
    /// Whether a file name (no folder) is of this format.
    pub matches: fn(&str) -> bool,
    /// For generic names (`*.json`, `*.xml`): whether the first bytes of the
    /// file are of this format. Called only when `matches` said no.
    pub sniff: Option<fn(&str, &[u8]) -> bool>,
    pub read: fn(&Input<'_>, &mut Output),
}

/// What a reader is given: one file's text, and a way to read its neighbours.
pub struct Input<'a> {
    /// Path relative to the scan root, with `/` separators (for messages).
    pub path: &'a str,
    pub text: &'a str,
    /// Other files of the tree, for formats that refer to them.
    pub files: &'a dyn FileSource,
}

/// What a reader gives back: the good part, and the problems.
#[derive(Debug, Default)]
pub struct Output {
    pub components: Vec<Component>,
    /// `(from, to)` indices into `components`.
    pub dependencies: Vec<(u32, u32)>,
    pub diagnostics: Vec<Diagnostic>,
    /// The project's name, for manifests that state it.
    pub project_name: Option<String>,
    path: String,
}

impl Output {
    pub fn new(path: &str) -> Output {
        Output {
            path: path.to_owned(),
            ..Output::default()
        }
    }

    /// The file being read, relative to the scan root.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Adds a component and returns its index.
    pub fn push(&mut self, component: Component) -> u32 {
        self.components.push(component);
        (self.components.len() - 1) as u32
    }

    pub fn depend(&mut self, from: u32, to: u32) {
        self.dependencies.push((from, to));
    }

    /// Records an error (part of the file could not be read) and returns it
    /// for locating: `out.error(Code::InvalidSyntax, msg).line = Some(3)`.
    pub fn error(&mut self, code: Code, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::error(self.path.clone(), code, message));
        self.diagnostics.last_mut().expect("just pushed")
    }

    /// Records a warning (the file was read, something is off or unresolved).
    pub fn warning(&mut self, code: Code, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::warning(self.path.clone(), code, message));
        self.diagnostics.last_mut().expect("just pushed")
    }
}
