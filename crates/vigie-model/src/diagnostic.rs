//! Problems found in inputs. Bad input is a diagnostic, never a panic.

use serde::{Deserialize, Serialize};

use crate::Code;

/// The 1-based line of byte `offset` in `text` (an offset past the end counts as the end), as
/// diagnostics report it.
pub fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let head = text.as_bytes().get(..end).unwrap_or_default();
    u32::try_from(head.iter().filter(|&&b| b == b'\n').count() + 1).unwrap_or(u32::MAX)
}

/// How much a [`Diagnostic`] affects the result; serialized as `error` or `warning`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Part of the input could not be read: the result is partial.
    Error,
    /// The input was read, but something in it is suspicious or unresolved.
    Warning,
}

/// A problem in one input, located as precisely as the reader could.
///
/// `code` is a stable kebab-case identifier ([`Code::InvalidSyntax`] is `invalid-syntax`)
/// that tools and tests can rely on; `message` is for people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Whether the result is partial ([`Severity::Error`]) or only suspect.
    pub severity: Severity,
    /// Stable kebab-case identifier of the kind of problem (see above).
    pub code: Code,
    /// What is wrong, for people.
    pub message: String,
    /// The file, relative to the scan root.
    pub file: String,
    /// 1-based line, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// The field or key of the input concerned, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl Diagnostic {
    /// An error in `file` (relative to the scan root), with no line or field yet.
    pub fn error(file: impl Into<String>, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            file: file.into(),
            line: None,
            field: None,
        }
    }

    /// A warning in `file` (relative to the scan root), with no line or field yet.
    pub fn warning(file: impl Into<String>, code: Code, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, code, message)
        }
    }

    /// Sets the 1-based line; `None` when unknown.
    pub fn at_line(mut self, line: Option<u32>) -> Diagnostic {
        self.line = line;
        self
    }

    /// Sets the field or key of the input concerned.
    pub fn at_field(mut self, field: impl Into<String>) -> Diagnostic {
        self.field = Some(field.into());
        self
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sev = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{sev}[{}]: {}", self.code, self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, " (field `{field}`)")?;
        }
        write!(f, ": {}", self.message)
    }
}

#[cfg(test)]
mod tests {
    use super::line_at;

    #[test]
    fn lines_count_from_one_and_offsets_past_the_end_are_the_end() {
        let t = "a\nbc\n\nd";
        // The line of each byte, counted by hand.
        let want = [1, 1, 2, 2, 2, 3, 4];
        for (i, w) in want.iter().enumerate() {
            assert_eq!(line_at(t, i), *w, "offset {i}");
        }
        assert_eq!(line_at(t, t.len()), 4);
        assert_eq!(line_at(t, usize::MAX), 4);
        assert_eq!(line_at("", 3), 1);
        // An offset inside a multi-byte character counts the bytes before it.
        assert_eq!(line_at("é\né", 3), 2);
    }
}
