//! `poetry.lock`, Poetry 1.x (`category`, lock-version 1.x) and 2.x
//! (`groups`, lock-version 2.x).
//!
//! Every `[[package]]` is a component, except path dependencies
//! (`[package.source] type = "directory"`): those are local code, part of
//! the project. Scope: a package of the `main` group (or `category = "main"`
//! in old files) is runtime, or optional when `optional = true` (it comes
//! with an extra); a package only in other groups (`dev`, `test`, `docs`...)
//! is dev. Git, file, URL and custom-index sources are said in the note.
//! Edges come from `[package.dependencies]`, matched by normalised name
//! (PEP 503) to every locked package of that name. The lock does not say
//! which packages the project asks for itself, so the relation is unknown.
//! Poetry does not name the project in its lock; `pyproject.toml` does.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;
use vigie_model::{Code, Component, Ecosystem, Scope};

use super::toml_parts;
use super::util::{blank_toml_values, pep503_normalize as normalize};
use crate::hash::HashMap;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "poetry-lock",
    description: "poetry.lock (Poetry 1.x and 2.x)",
    ecosystem: Some(Ecosystem::PyPI),
    matches: |name| name == "poetry.lock",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<Spanned<String>>,
    version: Option<String>,
    category: Option<String>,
    #[serde(default)]
    optional: bool,
    groups: Option<Vec<String>>,
    source: Option<Source>,
    #[serde(default)]
    dependencies: BTreeMap<String, IgnoredAny>,
}

#[derive(Deserialize)]
struct Source {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    reference: Option<String>,
    resolved_reference: Option<String>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    read_with(input, out, true);
}

/// Reads with or without emptying the file lists first (see
/// [`blank_toml_values`]); tests compare the two. The lock is parsed a part at a time
/// ([`toml_parts`]), each part's packages made components before the next is parsed.
fn read_with(input: &Input<'_>, out: &mut Output, blank: bool) {
    // The dependency names of each component that has some.
    let mut deps: Vec<(u32, Vec<String>)> = Vec::new();
    let parts = toml_parts::parts(input.text, out);
    // Sized once: a lock may hold a million packages.
    out.components
        .reserve_exact(parts.iter().map(|p| p.records).sum());
    for part in parts {
        let blanked = blank
            .then(|| blank_toml_values(part.text, &["files"]))
            .flatten();
        let lock = match toml::from_str::<Lock>(blanked.as_deref().unwrap_or(part.text)) {
            Ok(lock) => lock,
            Err(e) => {
                part.error(&e, out);
                continue;
            }
        };
        drop(blanked);
        for p in lock.package {
            let Some(name) = &p.name else {
                out.error(Code::UnexpectedContent, "a [[package]] without a name");
                continue;
            };
            let line = Some(part.line_of(name.span().start));
            let name = name.get_ref();
            let kind = p.source.as_ref().and_then(|s| s.kind.as_deref());
            if kind == Some("directory") {
                continue;
            }
            let version = p.version.as_deref().filter(|v| !v.trim().is_empty());
            let mut c = Component::new(Ecosystem::PyPI, name, version)
                .with_scope(scope(&p))
                .with_line(line);
            if let Some(note) = p.source.as_ref().and_then(source_note) {
                c = c.with_note(note);
            }
            if version.is_none() {
                c = c.with_note("the lock gives no version");
                out.warning(
                    Code::UnresolvedVersion,
                    format!("`{name}` has no version in the lock"),
                )
                .line = line;
            }
            let i = out.push(c);
            if !p.dependencies.is_empty() {
                deps.push((i, p.dependencies.into_keys().collect()));
            }
        }
    }
    if deps.is_empty() {
        return;
    }
    let mut by_name: HashMap<String, Vec<u32>> = HashMap::default();
    for (i, c) in out.components.iter().enumerate() {
        by_name
            .entry(normalize(&c.name))
            .or_default()
            .push(i as u32);
    }
    for (from, names) in deps {
        for dep in names {
            for &to in by_name.get(&normalize(&dep)).into_iter().flatten() {
                if to != from {
                    out.depend(from, to);
                }
            }
        }
    }
}

/// Runtime for the `main` group, dev for packages only in other groups.
fn scope(p: &Package) -> Scope {
    let main = match (&p.groups, &p.category) {
        (Some(groups), _) if !groups.is_empty() => groups.iter().any(|g| g == "main"),
        (_, Some(category)) => category == "main",
        _ => true,
    };
    match (main, p.optional) {
        (false, _) => Scope::Dev,
        (true, true) => Scope::Optional,
        (true, false) => Scope::Runtime,
    }
}

fn source_note(s: &Source) -> Option<String> {
    let url = s.url.as_deref().unwrap_or("?");
    match s.kind.as_deref()? {
        "git" => {
            let rev = s
                .resolved_reference
                .as_deref()
                .or(s.reference.as_deref())
                .unwrap_or("?");
            Some(format!("from git {url} at {rev}"))
        }
        "file" => Some(format!("from the local file {url}")),
        "url" => Some(format!("from {url}")),
        _ => Some(format!("from the package index {url}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "poetry.lock", text, &MemorySource::new())
    }

    /// Reads `text` with and without emptying the file lists first: both
    /// must give the same components, edges, diagnostics and name.
    fn same_both_ways(text: &str) -> Output {
        let files = MemorySource::new();
        let input = Input {
            path: "poetry.lock",
            text,
            files: &files,
        };
        let (mut fast, mut plain) = (Output::new("poetry.lock"), Output::new("poetry.lock"));
        read_with(&input, &mut fast, true);
        read_with(&input, &mut plain, false);
        assert_eq!(fast.components, plain.components, "{text}");
        assert_eq!(fast.dependencies, plain.dependencies, "{text}");
        assert_eq!(fast.diagnostics, plain.diagnostics, "{text}");
        assert_eq!(fast.project_name, plain.project_name, "{text}");
        fast
    }

    const WITH_FILES: &str = r#"# This file is automatically @generated by Poetry 2.1.1 and should not be changed by hand.

[[package]]
name = "anyio"
version = "4.13.0"
description = "High-level concurrency and networking framework on top of asyncio or Trio"
optional = false
python-versions = ">=3.10"
groups = ["main"]
files = [
    {file = "anyio-4.13.0-py3-none-any.whl", hash = "sha256:08b310f9e24a9594186fd75b4f73f4a4152069e3853f1ed8bfbf58369f4ad708"},
    {file = "anyio-4.13.0.tar.gz", hash = "sha256:334b70e641fd2221c1505b3890c69882fe4a2df910cba14d97019b90b24439dc"},
]

[package.dependencies]
files = {version = ">=1.0.2", markers = "python_version < \"3.11\""}
idna = ">=2.8"

[package.extras]
files = ["trio (>=0.32.0)"]

[[package]]
name = "files"
version = "1.0.0"
description = "A package named like the key"
optional = false
python-versions = "*"
groups = ["dev"]
files = []

[[package]]
name = "idna"
version = "3.10"
description = "Internationalized Domain Names in Applications (IDNA)"
optional = false
python-versions = ">=3.6"
groups = ["main"]
files = [{file = "idna-3.10-py3-none-any.whl", hash = "sha256:946d195a0d259cbba61165e88e65941f16e9b36ea6ddb97f00452bae8b1287d3"}]

[metadata]
lock-version = "2.1"
python-versions = ">=3.10"
content-hash = "0000"
"#;

    #[test]
    fn emptying_the_file_lists_changes_nothing() {
        let out = same_both_ways(WITH_FILES);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.components.len(), 3);
        assert_eq!(out.dependencies, [(0, 1), (0, 2)]);
        assert!(blank_toml_values(WITH_FILES, &["files"]).is_some_and(|t| !t.contains("sha256")));
        same_both_ways(&WITH_FILES.replace('\n', "\r\n"));
        // Random edits of the structure: whatever the parser makes of them
        // (errors included, with their lines), it makes the same of both.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            same_both_ways(&crate::readers::util::testing::mutate(
                WITH_FILES, &mut state, 4,
            ));
        }
    }

    #[test]
    fn reference_poetry_locks_read_the_same_both_ways() {
        let Some(dir) = crate::readers::util::testing::data_dir() else {
            return;
        };
        let mut files = crate::readers::util::testing::files_named(&dir, "poetry.lock");
        let fixtures = dir.join("lockfiles/osv-scanner-fixtures/poetry");
        files.extend(
            std::fs::read_dir(fixtures)
                .unwrap()
                .flatten()
                .map(|e| e.path()),
        );
        assert!(files.len() > 5);
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap_or_default();
            same_both_ways(&text);
        }
    }

    #[test]
    fn groups_categories_and_optional() {
        let text = r#"
[[package]]
name = "requests"
version = "2.32.0"
optional = false
groups = ["main", "dev"]

[package.dependencies]
charset_normalizer = ">=2,<4"
urllib3 = {version = ">=1.21.1,<3", markers = "python_version >= \"3\""}

[[package]]
name = "pytest"
version = "8.0.0"
optional = false
groups = ["dev", "test"]

[[package]]
name = "Charset-Normalizer"
version = "3.3.2"
optional = true
groups = ["main"]

[[package]]
name = "urllib3"
version = "2.2.1"
category = "dev"
optional = false
"#;
        let out = read_text(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.scope, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("requests", Scope::Runtime, Some(3)),
                ("pytest", Scope::Dev, Some(13)),
                ("Charset-Normalizer", Scope::Optional, Some(19)),
                ("urllib3", Scope::Dev, Some(25)),
            ]
        );
        assert_eq!(out.components[2].purl, "pkg:pypi/charset-normalizer@3.3.2");
        // `charset_normalizer` finds `Charset-Normalizer` by its normalised name.
        assert_eq!(out.dependencies, [(0, 2), (0, 3)]);
    }

    #[test]
    fn sources_and_local_packages() {
        let text = r#"
[[package]]
name = "ike"
version = "0.2.0"
[package.source]
type = "git"
url = "https://github.com/dzshn/ike"
reference = "main"
resolved_reference = "cd66602c"

[[package]]
name = "my-lib"
version = "0.1.0"
develop = true
[package.source]
type = "directory"
url = "libs/my-lib"

[[package]]
name = "wheel-pkg"
version = "1.0"
[package.source]
type = "file"
url = "dist/wheel_pkg-1.0-py3-none-any.whl"

[[package]]
name = "appdirs"
version = "1.4.4"
[package.source]
type = "legacy"
url = "https://piwheels.org/simple"
reference = "piwheels"
"#;
        let out = read_text(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.note.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "ike",
                    Some("from git https://github.com/dzshn/ike at cd66602c")
                ),
                (
                    "wheel-pkg",
                    Some("from the local file dist/wheel_pkg-1.0-py3-none-any.whl")
                ),
                (
                    "appdirs",
                    Some("from the package index https://piwheels.org/simple")
                ),
            ]
        );
    }

    #[test]
    fn missing_name_or_version_is_reported_and_the_rest_kept() {
        let text = "[[package]]\nversion = \"1\"\n\n[[package]]\nname = \"a\"\n\n[[package]]\nname = \"b\"\nversion = \"2\"\n";
        let out = read_text(text);
        assert_eq!(out.components.len(), 2);
        assert!(out.components[0].is_unresolved());
        assert_eq!(out.components[0].line, Some(5));
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [
                ("unexpected-content", None),
                ("unresolved-version", Some(5))
            ]
        );
    }

    #[test]
    fn bad_toml_is_a_located_diagnostic() {
        let out = read_text("[[package]]\nname = \"a\"\nversion = \n");
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
    }
}
