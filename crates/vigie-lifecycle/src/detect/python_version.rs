//! `.python-version` (pyenv, uv, rye): the Python versions a project runs
//! on, one per line (the first is the default). CPython versions (`3.12.1`,
//! `3.12`, `3.13-dev`) name the `python` product; `system` says nothing;
//! other implementations (`pypy3.10-7.3.15`, `miniconda3-latest`) are not
//! CPython and get a `not-cpython` warning.

use super::util::{declare, numbered, strip_comment};
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "python-version",
    description: "pyenv/uv .python-version",
    matches: |name| name == ".python-version",
    sniff: None,
    detect,
};

fn detect(input: &Input<'_>, out: &mut Output) {
    for (line, text) in numbered(input.text) {
        for v in strip_comment(text).split_whitespace() {
            if v == "system" {
                continue;
            }
            if v.starts_with(|c: char| c.is_ascii_digit()) {
                declare(out, "python", v, Some(line));
            } else {
                out.warning(
                    Code::NotCpython,
                    format!("`{v}` is not a CPython version: not mapped"),
                    Some(line),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_per_line() {
        let mut out = Output::new(".python-version", "python-version");
        detect(
            &Input {
                path: ".python-version",
                text: "# default\n3.12.1\nsystem\npypy3.10-7.3.15\n3.8\n",
            },
            &mut out,
        );
        let got: Vec<_> = out
            .detections
            .iter()
            .map(|d| (d.version.as_deref(), d.evidence.line))
            .collect();
        assert_eq!(got, [(Some("3.12.1"), Some(2)), (Some("3.8"), Some(5))]);
        assert_eq!(out.diagnostics.len(), 1);
    }
}
