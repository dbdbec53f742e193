//! `pylock.toml` and `pylock.<name>.toml` (PEP 751, lock-version 1.x).
//!
//! Every `[[packages]]` entry is a component, except `[packages.directory]`
//! entries: a local source tree is the project's own code. Entries from a
//! `[packages.vcs]` or `[packages.archive]` are said in the note; PEP 751
//! forbids `version` when it cannot be guaranteed (a VCS checkout, say), and
//! such entries are unresolved. Edges come from `dependencies` (tables that
//! name a package, with its version when the name is ambiguous).
//!
//! Scope comes from the `marker`: a package installed only for some
//! `extras` is optional, one installed only for some `dependency_groups` is
//! dev; others are runtime. The lock does not say what the project asks for
//! itself, so the relation is unknown.

use std::collections::HashMap;

use serde::Deserialize;
use toml::Spanned;
use vigie_model::{Code, Component, Ecosystem, Scope};

use super::toml_parts;
use super::util::pep503_normalize as normalize;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "pylock-toml",
    description: "pylock.toml, pylock.<name>.toml (PEP 751)",
    ecosystem: Some(Ecosystem::PyPI),
    matches,
    sniff: None,
    read,
};

/// `pylock.toml`, or `pylock.<name>.toml` with a name without dots.
fn matches(name: &str) -> bool {
    name == "pylock.toml"
        || name
            .strip_prefix("pylock.")
            .and_then(|n| n.strip_suffix(".toml"))
            .is_some_and(|n| !n.is_empty() && !n.contains('.'))
}

#[derive(Deserialize)]
struct Lock {
    #[serde(rename = "lock-version")]
    lock_version: Option<String>,
    #[serde(default)]
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<Spanned<String>>,
    /// The file's line of `name`, set once its part is parsed.
    #[serde(skip)]
    line: Option<u32>,
    version: Option<String>,
    marker: Option<String>,
    index: Option<String>,
    vcs: Option<Vcs>,
    directory: Option<Directory>,
    archive: Option<Archive>,
    #[serde(default)]
    dependencies: Vec<Dep>,
}

#[derive(Deserialize)]
struct Vcs {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    path: Option<String>,
    #[serde(rename = "commit-id")]
    commit_id: Option<String>,
}

#[derive(Deserialize)]
struct Directory {}

#[derive(Deserialize)]
struct Archive {
    url: Option<String>,
    path: Option<String>,
}

#[derive(Deserialize)]
struct Dep {
    name: Option<String>,
    version: Option<String>,
}

impl Package {
    fn note(&self) -> Option<String> {
        if let Some(vcs) = &self.vcs {
            let kind = vcs.kind.as_deref().unwrap_or("vcs");
            let at = vcs.url.as_deref().or(vcs.path.as_deref()).unwrap_or("?");
            let commit = vcs.commit_id.as_deref().unwrap_or("?");
            Some(format!("from {kind} {at} at {commit}"))
        } else if let Some(a) = &self.archive {
            match (&a.url, &a.path) {
                (Some(url), _) => Some(format!("from {url}")),
                (None, Some(path)) => Some(format!("from the local file {path}")),
                (None, None) => None,
            }
        } else {
            self.index
                .as_deref()
                .filter(|i| i.trim_end_matches('/') != "https://pypi.org/simple")
                .map(|i| format!("from the package index {i}"))
        }
    }

    fn scope(&self) -> Scope {
        let Some(marker) = &self.marker else {
            return Scope::Runtime;
        };
        match (
            marker.contains("extras"),
            marker.contains("dependency_groups"),
        ) {
            (true, false) => Scope::Optional,
            (false, true) => Scope::Dev,
            _ => Scope::Runtime,
        }
    }
}

fn read(input: &Input<'_>, out: &mut Output) {
    // A part at a time, for bounded memory (see `toml_parts`).
    let mut lock: Option<Lock> = None;
    for part in toml_parts::parts_of(input.text, "packages", out) {
        match toml::from_str::<Lock>(part.text) {
            Ok(mut read) => {
                for p in &mut read.packages {
                    p.line = p.name.as_ref().map(|n| part.line_of(n.span().start));
                }
                match &mut lock {
                    Some(lock) => {
                        lock.packages.append(&mut read.packages);
                        lock.lock_version = lock.lock_version.take().or(read.lock_version);
                    }
                    None => lock = Some(read),
                }
            }
            Err(e) => part.error(&e, out),
        }
    }
    let Some(lock) = lock else {
        return;
    };
    match lock.lock_version.as_deref() {
        None => {
            out.warning(
                Code::UnexpectedContent,
                "no `lock-version`: not a PEP 751 lock file? read as version 1.0",
            );
        }
        Some(v) if v.split('.').next() != Some("1") => {
            out.warning(
                Code::UnsupportedVersion,
                format!("lock-version {v} is newer than 1.x; read as 1.0"),
            );
        }
        Some(_) => {}
    }
    let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
    let mut index: Vec<Option<u32>> = Vec::with_capacity(lock.packages.len());
    for p in &lock.packages {
        index.push(None);
        let Some(name) = &p.name else {
            out.error(
                Code::UnexpectedContent,
                "a [[packages]] entry without a name",
            );
            continue;
        };
        if p.directory.is_some() {
            continue;
        }
        let line = p.line;
        let name = name.get_ref();
        let version = p.version.as_deref().filter(|v| !v.trim().is_empty());
        let mut c = Component::new(Ecosystem::PyPI, name, version)
            .with_scope(p.scope())
            .with_line(line);
        let note = p.note();
        if version.is_none() {
            let why = match &note {
                Some(n) => format!("the lock gives no version ({n})"),
                None => "the lock gives no version".to_owned(),
            };
            c = c.with_note(why);
            out.warning(
                Code::UnresolvedVersion,
                format!("`{name}` has no version in the lock"),
            )
            .line = line;
        } else if let Some(note) = note {
            c = c.with_note(note);
        }
        let i = out.push(c);
        *index.last_mut().expect("pushed above") = Some(i);
        by_name.entry(normalize(name)).or_default().push(i);
    }
    for (p, from) in lock.packages.iter().zip(&index) {
        let Some(from) = *from else { continue };
        for dep in &p.dependencies {
            let Some(found) = dep.name.as_deref().and_then(|n| by_name.get(&normalize(n))) else {
                continue;
            };
            let exact: Vec<u32> = found
                .iter()
                .copied()
                .filter(|&i| {
                    dep.version.is_some()
                        && out
                            .components
                            .get(i as usize)
                            .and_then(|c| c.version.as_ref())
                            == dep.version.as_ref()
                })
                .collect();
            let targets = if exact.is_empty() {
                found.clone()
            } else {
                exact
            };
            for to in targets {
                if to != from {
                    out.depend(from, to);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "pylock.toml", text, &MemorySource::new())
    }

    #[test]
    fn file_names() {
        assert!(matches("pylock.toml"));
        assert!(matches("pylock.spam.toml"));
        assert!(!matches("pylock..toml"));
        assert!(!matches("pylock.a.b.toml"));
        assert!(!matches("pylock.toml.bak"));
        assert!(!matches("mypylock.toml"));
    }

    #[test]
    fn sources_markers_and_edges() {
        let text = r#"
lock-version = "1.0"
created-by = "test"

[[packages]]
name = "attrs"
version = "25.1.0"
index = "https://pypi.org/simple"

[[packages]]
name = "cattrs"
version = "24.1.2"
dependencies = [{ name = "attrs" }]

[[packages]]
name = "pytest"
version = "8.3.4"
marker = "'dev' in dependency_groups"

[[packages]]
name = "rich"
version = "13.9.4"
marker = "'cli' in extras"

[[packages]]
name = "mylib"
vcs = { type = "git", url = "https://github.com/example/mylib", requested-revision = "main", commit-id = "0123abcd" }
dependencies = [{ name = "cattrs", version = "24.1.2" }]

[[packages]]
name = "app"
directory = { path = ".", editable = true }
dependencies = [{ name = "attrs" }]
"#;
        let out = read_text(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.scope, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("attrs", Some("25.1.0"), Scope::Runtime, Some(6)),
                ("cattrs", Some("24.1.2"), Scope::Runtime, Some(11)),
                ("pytest", Some("8.3.4"), Scope::Dev, Some(16)),
                ("rich", Some("13.9.4"), Scope::Optional, Some(21)),
                ("mylib", None, Scope::Runtime, Some(26)),
            ]
        );
        assert_eq!(
            out.components[4].note.as_deref(),
            Some(
                "the lock gives no version (from git https://github.com/example/mylib at 0123abcd)"
            )
        );
        assert_eq!(out.dependencies, [(1, 0), (4, 1)]);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
        assert_eq!(out.diagnostics[0].line, Some(26));
    }

    #[test]
    fn versions_of_the_format() {
        let out = read_text("[[packages]]\nname = \"a\"\nversion = \"1\"\n");
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_text("lock-version = \"2.0\"\n");
        assert_eq!(out.diagnostics[0].code, "unsupported-version");
        let out = read_text("lock-version = \"1.0\"\npackages = [{ version = \"1\" }]\n");
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_text("lock-version = 1.0\n[[packages]\n");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    }
}
