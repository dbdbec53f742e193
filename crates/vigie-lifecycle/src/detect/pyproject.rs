//! `pyproject.toml`: `[project] requires-python` (PEP 621) and Poetry's
//! `[tool.poetry.dependencies] python`, the Python versions the project
//! accepts; the lower bound is mapped. The dependencies are inventory
//! components.

use serde::Deserialize;

use super::util::{declare, line_at};
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "pyproject",
    description: "pyproject.toml requires-python and Poetry's python",
    matches: |name| name == "pyproject.toml",
    sniff: None,
    detect,
};

type Text = Option<toml::Spanned<String>>;

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    project: Option<Project>,
    #[serde(default)]
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Project {
    #[serde(default, rename = "requires-python")]
    requires_python: Text,
}

#[derive(Deserialize)]
struct Tool {
    #[serde(default)]
    poetry: Option<Poetry>,
}

#[derive(Deserialize)]
struct Poetry {
    #[serde(default)]
    dependencies: Option<PoetryDeps>,
}

#[derive(Deserialize)]
struct PoetryDeps {
    #[serde(default)]
    python: Text,
}

fn detect(input: &Input<'_>, out: &mut Output) {
    let file: File = match toml::from_str(input.text) {
        Ok(f) => f,
        Err(e) => {
            let line = e.span().map(|s| line_at(input.text, s.start));
            out.error(
                Code::InvalidSyntax,
                format!("not valid TOML for pyproject.toml: {}", e.message()),
                line,
            );
            return;
        }
    };
    let requires = file.project.and_then(|p| p.requires_python);
    let poetry = file
        .tool
        .and_then(|t| t.poetry)
        .and_then(|p| p.dependencies)
        .and_then(|d| d.python);
    for v in [requires, poetry].into_iter().flatten() {
        let line = line_at(input.text, v.span().start);
        declare(out, "python", v.get_ref(), Some(line));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requires_python_and_poetry() {
        let text = "[project]\nname = \"x\"\nrequires-python = \">=3.9\"\n\n[tool.poetry.dependencies]\npython = \"^3.10\"\n";
        let mut out = Output::new("pyproject.toml", "pyproject");
        detect(
            &Input {
                path: "pyproject.toml",
                text,
            },
            &mut out,
        );
        let got: Vec<_> = out
            .detections
            .iter()
            .map(|d| (d.version.as_deref(), d.evidence.line))
            .collect();
        assert_eq!(got, [(Some("3.9"), Some(3)), (Some("3.10"), Some(6))]);
    }
}
