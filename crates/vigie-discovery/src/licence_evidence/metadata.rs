//! Pure readers of the licence fields of installed metadata: `package.json`
//! (`license`, legacy `licenses`), Python core metadata (`METADATA`,
//! `PKG-INFO`), `Cargo.toml` (`license`, `license-file`), `composer.json`
//! (`license`); and the copyright lines of a licence file.

use serde_json::Value;

/// Longest licence string kept (a `License:` field may hold a whole text).
const MAX_LICENCE: usize = 300;

/// Most copyright lines kept per file.
const MAX_COPYRIGHT: usize = 20;

fn short(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s.len() <= MAX_LICENCE && !s.contains('\n')).then(|| s.to_owned())
}

/// The type of one `license`/`licenses` entry: a string or `{"type": ...}`.
fn entry(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => short(s),
        Value::Object(o) => o.get("type").and_then(Value::as_str).and_then(short),
        _ => None,
    }
}

/// Several licences offered: an SPDX `OR` (npm's and Composer's reading),
/// each part parenthesised when it is itself an expression.
fn any_of(parts: Vec<String>) -> Option<String> {
    match parts.len() {
        0 => None,
        1 => parts.into_iter().next(),
        _ => Some(
            parts
                .iter()
                .map(|p| {
                    if p.contains(' ') {
                        format!("({p})")
                    } else {
                        p.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" OR "),
        ),
    }
}

/// The licence of a `package.json` or `composer.json`: `license` (a string,
/// `{"type"}`, or Composer's array), else the legacy `licenses` array.
pub fn package_json_licence(text: &str) -> Result<Option<String>, serde_json::Error> {
    let v: Value = serde_json::from_str(text)?;
    let from = |v: Option<&Value>| match v {
        Some(Value::Array(a)) => any_of(a.iter().filter_map(entry).collect()),
        Some(v) => entry(v),
        None => None,
    };
    Ok(from(v.get("license")).or_else(|| from(v.get("licenses"))))
}

/// The licence of Python core metadata (RFC 822 headers up to the first
/// blank line): `License-Expression` (metadata 2.4), else a one-line
/// `License` other than `UNKNOWN`, else the `License ::` trove classifiers
/// (several: each offered, joined with `OR`, as pip-licenses lists them).
pub fn dist_info_licence(text: &str) -> Option<String> {
    let mut expression = None;
    let mut licence = None;
    let mut licence_lines = 0;
    let mut classifiers = Vec::new();
    let mut current: Option<&str> = None;
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            if current == Some("license") {
                licence_lines += 1;
            }
            continue;
        }
        let Some((key, value)) = line.split_once(':') else {
            current = None;
            continue;
        };
        let key = key.trim().to_ascii_lowercase();
        let value = value.trim();
        match key.as_str() {
            "license-expression" => expression = short(value),
            "license" => {
                current = Some("license");
                licence = short(value).filter(|v| !v.eq_ignore_ascii_case("UNKNOWN"));
                continue;
            }
            "classifier" if value.starts_with("License ::") => {
                if let Some(v) = short(value) {
                    classifiers.push(v);
                }
            }
            _ => {}
        }
        current = None;
    }
    // A `License:` continued over several lines is a licence text, not a name.
    let licence = licence.filter(|_| licence_lines == 0);
    // "License :: OSI Approved" alone names no licence.
    classifiers.retain(|c| c.matches("::").count() >= 2);
    expression.or(licence).or_else(|| match classifiers.len() {
        0 => None,
        1 => classifiers.pop(),
        _ => Some(classifiers.join(" OR ")),
    })
}

/// The licence of a `Cargo.toml`: `package.license`, else
/// `package.license-file` as `SEE LICENSE IN <file>`.
pub fn cargo_toml_licence(text: &str) -> Result<Option<String>, toml::de::Error> {
    #[derive(serde::Deserialize)]
    struct Manifest {
        package: Option<Package>,
    }
    #[derive(serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    struct Package {
        license: Option<toml::Value>,
        license_file: Option<toml::Value>,
    }
    let m: Manifest = toml::from_str(text)?;
    let Some(p) = m.package else {
        return Ok(None);
    };
    if let Some(l) = p
        .license
        .as_ref()
        .and_then(toml::Value::as_str)
        .and_then(short)
    {
        return Ok(Some(l));
    }
    Ok(p.license_file
        .as_ref()
        .and_then(toml::Value::as_str)
        .and_then(short)
        .map(|f| format!("SEE LICENSE IN {f}")))
}

/// The licence of a `pyproject.toml`: `project.license` (a string, PEP 639,
/// or `{text = ...}`).
pub fn pyproject_licence(text: &str) -> Result<Option<String>, toml::de::Error> {
    let v: toml::Value = toml::from_str(text)?;
    let l = v.get("project").and_then(|p| p.get("license"));
    Ok(match l {
        Some(toml::Value::String(s)) => short(s),
        Some(toml::Value::Table(t)) => t.get("text").and_then(toml::Value::as_str).and_then(short),
        _ => None,
    })
}

/// The copyright lines of a licence or notice file: lines that start with
/// `Copyright`, `(c)` or `©`, trimmed, without the templates' placeholders
/// (`<year>`, `[yyyy]`, `{owner}`), at most 20.
pub fn copyright_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.trim().trim_start_matches(['#', '*', '/', ';']).trim();
        let lower = t.to_ascii_lowercase();
        let starts =
            lower.starts_with("copyright") || lower.starts_with("(c)") || t.starts_with('©');
        let template = [
            "<year>",
            "[yyyy]",
            "{yyyy}",
            "[year]",
            "<owner>",
            "[name of copyright owner]",
            "{owner}",
        ]
        .iter()
        .any(|p| lower.contains(p));
        let sentence = lower.starts_with("copyright notice")
            || lower.starts_with("copyright and ")
            || lower.starts_with("copyright holder")
            || lower.starts_with("copyright (c) <");
        let has_year_or_c =
            t.chars().any(|c| c.is_ascii_digit()) || lower.contains("(c)") || t.contains('©');
        if starts
            && !template
            && !sentence
            && has_year_or_c
            && t.len() <= 300
            && !out.iter().any(|o| o == t)
        {
            out.push(t.to_owned());
            if out.len() >= MAX_COPYRIGHT {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_json_forms() {
        let l = |t: &str| package_json_licence(t).unwrap();
        assert_eq!(l(r#"{"license":"MIT"}"#).as_deref(), Some("MIT"));
        assert_eq!(
            l(r#"{"license":{"type":"ISC","url":"x"}}"#).as_deref(),
            Some("ISC")
        );
        assert_eq!(
            l(r#"{"licenses":[{"type":"MIT"},{"type":"Apache-2.0"}]}"#).as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            l(r#"{"license":["MIT","GPL-2.0-only OR BSD-3-Clause"]}"#).as_deref(),
            Some("MIT OR (GPL-2.0-only OR BSD-3-Clause)")
        );
        assert_eq!(l(r#"{"name":"x"}"#), None);
        assert_eq!(l(r#"{"license":42}"#), None);
        assert!(package_json_licence("{").is_err());
    }

    #[test]
    fn python_metadata_forms() {
        let m = "Metadata-Version: 2.4\nName: a\nLicense-Expression: MIT\nLicense: BSD\n\nbody License: GPL";
        assert_eq!(dist_info_licence(m).as_deref(), Some("MIT"));
        let m = "Name: a\nLicense: UNKNOWN\nClassifier: License :: OSI Approved :: BSD License\n";
        assert_eq!(
            dist_info_licence(m).as_deref(),
            Some("License :: OSI Approved :: BSD License")
        );
        let m = "Name: a\nLicense: Copyright 2020 X\n        Permission is granted\nClassifier: License :: OSI Approved\n";
        assert_eq!(dist_info_licence(m), None);
        let m = "Name: a\nLicense: Apache 2.0\n";
        assert_eq!(dist_info_licence(m).as_deref(), Some("Apache 2.0"));
    }

    #[test]
    fn cargo_and_pyproject() {
        assert_eq!(
            cargo_toml_licence("[package]\nname='a'\nlicense='MIT OR Apache-2.0'\n")
                .unwrap()
                .as_deref(),
            Some("MIT OR Apache-2.0")
        );
        assert_eq!(
            cargo_toml_licence("[package]\nlicense-file='LICENSE.txt'\n")
                .unwrap()
                .as_deref(),
            Some("SEE LICENSE IN LICENSE.txt")
        );
        assert_eq!(cargo_toml_licence("[workspace]\n").unwrap(), None);
        assert_eq!(
            pyproject_licence("[project]\nlicense={text='BSD'}\n")
                .unwrap()
                .as_deref(),
            Some("BSD")
        );
        assert_eq!(
            pyproject_licence("[project]\nlicense='MIT'\n")
                .unwrap()
                .as_deref(),
            Some("MIT")
        );
    }

    #[test]
    fn copyright_lines_skip_templates() {
        let t = "MIT License\n\nCopyright (c) <year> <copyright holders>\nCopyright (c) 2014 Jane Doe\n * Copyright 2019-2021 ACME Inc.\nCopyright (c) 2014 Jane Doe\nCopyright notice and this permission notice\n";
        assert_eq!(
            copyright_lines(t),
            [
                "Copyright (c) 2014 Jane Doe",
                "Copyright 2019-2021 ACME Inc."
            ]
        );
    }
}
