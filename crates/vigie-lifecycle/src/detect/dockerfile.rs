//! Dockerfiles and Containerfiles: every `FROM` of every stage is an image
//! detection, after `ARG` substitution.
//!
//! Read as BuildKit reads it: a `# escape=` parser directive, line
//! continuations, comment lines (also inside a continuation), instructions
//! in any case. The `ARG`s declared before the first `FROM` are the ones a
//! `FROM` may use; their defaults are substituted (`${VAR:-default}` forms
//! too). A `FROM` of an earlier stage's alias (`FROM build AS final`) or of
//! `scratch` is no image. A `FROM` whose variable has no value in the file
//! gets an `unresolved-arg` warning and no detection.

use std::collections::HashMap;

use super::util::substitute;
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "dockerfile",
    description: "Dockerfile/Containerfile FROM",
    matches: is_dockerfile,
    sniff: None,
    detect,
};

fn is_dockerfile(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "dockerfile"
        || n == "containerfile"
        || n.starts_with("dockerfile.")
        || n.starts_with("containerfile.")
        || n.ends_with(".dockerfile")
        || n.ends_with(".containerfile")
}

/// Instructions (lines joined across continuations) with their first line.
fn instructions(text: &str) -> Vec<(u32, String)> {
    let mut escape = '\\';
    let mut out = Vec::new();
    let mut current: Option<(u32, String)> = None;
    let mut directives = true;
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let t = raw.trim();
        if directives {
            let d = t.strip_prefix('#').map(str::trim).unwrap_or("");
            match d.split_once('=') {
                Some((k, v)) if t.starts_with('#') && k.trim().eq_ignore_ascii_case("escape") => {
                    escape = if v.trim() == "`" { '`' } else { '\\' };
                    continue;
                }
                _ => directives = false,
            }
        }
        if t.starts_with('#') || (t.is_empty() && current.is_none()) {
            continue;
        }
        let (body, continues) = match t.strip_suffix(escape) {
            Some(b) => (b, true),
            None => (t, false),
        };
        let entry = current.get_or_insert_with(|| (line, String::new()));
        if !entry.1.is_empty() {
            entry.1.push(' ');
        }
        entry.1.push_str(body.trim());
        if !continues && let Some(done) = current.take() {
            out.push(done);
        }
    }
    out.extend(current);
    out
}

fn detect(input: &Input<'_>, out: &mut Output) {
    let mut args: HashMap<String, Option<String>> = HashMap::new();
    let mut stages: Vec<String> = Vec::new();
    let mut seen_from = false;
    for (line, ins) in instructions(input.text) {
        let mut words = ins.split_whitespace();
        let Some(keyword) = words.next() else {
            continue;
        };
        if keyword.eq_ignore_ascii_case("ARG") && !seen_from {
            for decl in words {
                let (name, value) = match decl.split_once('=') {
                    Some((n, v)) => (n, Some(v.trim_matches(['"', '\'']).to_owned())),
                    None => (decl, None),
                };
                args.insert(name.to_owned(), value);
            }
        } else if keyword.eq_ignore_ascii_case("FROM") {
            seen_from = true;
            from(out, &mut stages, &args, words.collect(), line);
        }
    }
}

fn from(
    out: &mut Output,
    stages: &mut Vec<String>,
    args: &HashMap<String, Option<String>>,
    words: Vec<&str>,
    line: u32,
) {
    let mut rest = words.into_iter().skip_while(|w| w.starts_with("--"));
    let Some(image) = rest.next() else {
        out.warning(Code::InvalidSyntax, "FROM without an image", Some(line));
        return;
    };
    let alias = match (rest.next(), rest.next()) {
        (Some(kw), Some(alias)) if kw.eq_ignore_ascii_case("AS") => {
            Some(alias.to_ascii_lowercase())
        }
        _ => None,
    };
    let lookup = |name: &str| args.get(name).cloned().flatten();
    let resolved = substitute(image, lookup);
    // Only the stages before this one can be named by it.
    let is_stage = resolved
        .as_ref()
        .is_ok_and(|i| stages.contains(&i.to_ascii_lowercase()));
    stages.extend(alias);
    let image = match resolved {
        Ok(i) => i,
        Err(var) => {
            out.warning(
                Code::UnresolvedArg,
                format!("`FROM {image}`: ${var} has no value in this file"),
                Some(line),
            );
            return;
        }
    };
    if is_stage || image.eq_ignore_ascii_case("scratch") {
        return;
    }
    out.image(&image, Some(line));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn images(text: &str) -> (Vec<(String, Option<u32>)>, usize) {
        let mut out = Output::new("Dockerfile", "dockerfile");
        detect(
            &Input {
                path: "Dockerfile",
                text,
            },
            &mut out,
        );
        let got = out
            .detections
            .iter()
            .map(|d| (d.written.clone(), d.evidence.line))
            .collect();
        (got, out.diagnostics.len())
    }

    #[test]
    fn stages_args_continuations() {
        let text = "# syntax=docker/dockerfile:1\nARG PY=3.8\nARG BASE\n\
            FROM --platform=$BUILDPLATFORM python:${PY}-slim AS build\nRUN echo \\\n  hi\n\
            from build as test\nFROM \\\n  node:14-alpine\nFROM $BASE\nFROM scratch\n";
        let (got, diags) = images(text);
        assert_eq!(
            got,
            [
                ("python:3.8-slim".into(), Some(4)),
                ("node:14-alpine".into(), Some(8))
            ]
        );
        assert_eq!(diags, 1);
    }

    #[test]
    fn escape_directive() {
        let text = "# escape=`\nFROM mcr.microsoft.com/dotnet/aspnet:8.0 `\n  AS final\n";
        assert_eq!(
            images(text).0,
            [("mcr.microsoft.com/dotnet/aspnet:8.0".into(), Some(2))]
        );
    }
}
