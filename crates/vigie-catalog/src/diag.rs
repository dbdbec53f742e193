//! Diagnostics of a catalog: errors and warnings, each with its file and line.

use std::fmt;

use serde::Serialize;
pub use vigie_model::Code;

/// How bad a diagnostic is: errors make `vigie catalog check` exit 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The catalog is wrong (Backstage would reject it, or a vigie field is invalid).
    Error,
    /// The catalog is valid but something deserves a CTO's attention.
    Warning,
}

/// One problem found in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable code ([`Code::DanglingReference`] is `dangling-reference`).
    pub code: Code,
    /// The catalog file (or project path) it is about.
    pub file: String,
    /// 1-based line in `file`, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The entity it is about (`kind:namespace/name`), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entity: Option<String>,
    /// What is wrong, for a human.
    pub message: String,
}

impl Diagnostic {
    /// An error at `file:line`.
    pub fn error(code: Code, file: &str, line: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.to_owned(),
            line: (line > 0).then_some(line),
            entity: None,
            message: message.into(),
        }
    }

    /// A warning at `file:line`.
    pub fn warning(code: Code, file: &str, line: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, file, line, message)
        }
    }

    /// The same diagnostic, about `entity`.
    pub fn about(mut self, entity: impl ToString) -> Self {
        self.entity = Some(entity.to_string());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        if !self.file.is_empty() {
            write!(f, "{}", self.file)?;
            if let Some(l) = self.line {
                write!(f, ":{l}")?;
            }
            write!(f, ": ")?;
        }
        write!(f, "{sev}[{}]: {}", self.code, self.message)?;
        if let Some(e) = &self.entity {
            write!(f, " ({e})")?;
        }
        Ok(())
    }
}
