//! `pyproject.toml`: names the project (`[project] name`, PEP 621, or
//! `[tool.poetry] name` for Poetry before 2.0). Its components come from the
//! lockfile beside it (`poetry.lock`, `uv.lock`, `pdm.lock`, `pylock.toml`):
//! the ranges a manifest declares are not what is installed.

use serde::Deserialize;
use vigie_model::Ecosystem;

use super::util::parse_toml;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "pyproject-toml",
    description: "pyproject.toml (project name only; components come from the lockfile)",
    ecosystem: Some(Ecosystem::PyPI),
    matches: |name| name == "pyproject.toml",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Manifest {
    project: Option<Named>,
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    poetry: Option<Named>,
}

#[derive(Deserialize)]
struct Named {
    name: Option<String>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    let Some(m) = parse_toml::<Manifest>(input, out) else {
        return;
    };
    // PEP 621 wins: Poetry 2 reads `[project]` first too.
    out.project_name = m
        .project
        .and_then(|p| p.name)
        .or_else(|| m.tool.and_then(|t| t.poetry).and_then(|p| p.name))
        .filter(|n| !n.trim().is_empty());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn name_of(text: &str) -> Option<String> {
        let out = read_file_as(&READER, "pyproject.toml", text, &MemorySource::new());
        assert!(out.components.is_empty());
        out.project_name
    }

    #[test]
    fn project_name_then_poetry_name() {
        assert_eq!(
            name_of("[project]\nname = \"ruff\"\n").as_deref(),
            Some("ruff")
        );
        assert_eq!(
            name_of("[tool.poetry]\nname = \"old-style\"\nversion = \"1\"\n").as_deref(),
            Some("old-style")
        );
        assert_eq!(
            name_of("[project]\nname = \"new\"\n[tool.poetry]\nname = \"old\"\n").as_deref(),
            Some("new")
        );
        // A pyproject.toml that only configures tools names nothing.
        assert_eq!(name_of("[tool.ruff]\nline-length = 100\n"), None);
        assert_eq!(name_of("[project]\nname = \"  \"\n"), None);
    }

    #[test]
    fn bad_toml_is_a_diagnostic() {
        let out = read_file_as(
            &READER,
            "pyproject.toml",
            "[project]\nname = \"x\"\n[project]\n",
            &MemorySource::new(),
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
        // A `name` of the wrong type is also reported, not a panic.
        let out = read_file_as(
            &READER,
            "pyproject.toml",
            "[project]\nname = 3\n",
            &MemorySource::new(),
        );
        assert_eq!(out.diagnostics.len(), 1);
    }
}
