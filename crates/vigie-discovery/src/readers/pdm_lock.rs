//! `pdm.lock` (PDM 2.x, lock versions 4.x).
//!
//! Every `[[package]]` is a component, except local code: `path` (or a
//! `file://` `url`) naming a folder rather than an archive. PDM locks a
//! package asked for with extras as one more entry of the same name and
//! version (`extras = [...]`); such entries are merged into one component.
//!
//! Scope comes from `groups`: `default` is runtime. The lock does not say
//! whether another group is an extra (`[project.optional-dependencies]`) or
//! a development group (`[tool.pdm.dev-dependencies]`, `[dependency-groups]`),
//! so the `pyproject.toml` beside the lock is read to tell; without it, a
//! group named like `dev`, `test`, `lint`, `docs` or `typing` is dev and any
//! other optional. A component in several groups takes the widest scope
//! (runtime, then optional, then dev). Edges come from `dependencies`
//! (PEP 508 strings, matched by normalised name). Relation is unknown: the
//! lock does not list what the project asks for itself.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;
use vigie_model::{Code, Component, Ecosystem, Scope};

use super::toml_parts;
use super::util::pep503_normalize as normalize;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "pdm-lock",
    description: "pdm.lock (PDM)",
    ecosystem: Some(Ecosystem::PyPI),
    matches: |name| name == "pdm.lock",
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
    /// The file's line of `name`, set once its part is parsed.
    #[serde(skip)]
    line: Option<u32>,
    version: Option<String>,
    groups: Option<Vec<String>>,
    git: Option<String>,
    hg: Option<String>,
    svn: Option<String>,
    revision: Option<String>,
    url: Option<String>,
    path: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// The group names of the project's `pyproject.toml`, by kind.
#[derive(Default)]
struct Groups {
    optional: HashSet<String>,
    dev: HashSet<String>,
}

#[derive(Deserialize)]
struct Pyproject {
    project: Option<Project>,
    tool: Option<Tool>,
    #[serde(rename = "dependency-groups")]
    dependency_groups: Option<BTreeMap<String, IgnoredAny>>,
}

#[derive(Deserialize)]
struct Project {
    #[serde(rename = "optional-dependencies")]
    optional_dependencies: Option<BTreeMap<String, IgnoredAny>>,
}

#[derive(Deserialize)]
struct Tool {
    pdm: Option<Pdm>,
}

#[derive(Deserialize)]
struct Pdm {
    #[serde(rename = "dev-dependencies")]
    dev_dependencies: Option<BTreeMap<String, IgnoredAny>>,
}

/// Reads the group kinds from the `pyproject.toml` beside the lock. Any
/// problem with it is reported by its own reader, not here.
fn project_groups(input: &Input<'_>) -> Option<Groups> {
    let (_, text) = input
        .files
        .read_relative(input.path, "pyproject.toml")
        .ok()?;
    let p: Pyproject = toml::from_str(&text).ok()?;
    let names = |m: Option<BTreeMap<String, IgnoredAny>>| {
        m.into_iter()
            .flat_map(|m| m.into_keys())
            .map(|k| normalize(&k))
            .collect::<Vec<_>>()
    };
    let mut groups = Groups::default();
    groups
        .optional
        .extend(names(p.project.and_then(|p| p.optional_dependencies)));
    groups.dev.extend(names(p.dependency_groups));
    groups.dev.extend(names(
        p.tool.and_then(|t| t.pdm).and_then(|p| p.dev_dependencies),
    ));
    Some(groups)
}

const DEV_NAMES: [&str; 10] = [
    "dev", "develop", "test", "tests", "testing", "lint", "linting", "doc", "docs", "typing",
];

fn group_scope(group: &str, kinds: Option<&Groups>) -> Scope {
    let g = normalize(group);
    if g == "default" {
        return Scope::Runtime;
    }
    match kinds {
        Some(k) if k.optional.contains(&g) => Scope::Optional,
        Some(k) if k.dev.contains(&g) => Scope::Dev,
        _ if DEV_NAMES.contains(&g.as_str()) => Scope::Dev,
        _ => Scope::Optional,
    }
}

/// The widest of two scopes: runtime, then optional, then dev.
fn widest(a: Scope, b: Scope) -> Scope {
    let rank = |s| match s {
        Scope::Runtime => 0,
        Scope::Optional => 1,
        Scope::Dev => 2,
        _ => 3,
    };
    if rank(b) < rank(a) { b } else { a }
}

fn is_archive(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    [
        ".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2", ".tar.xz", ".egg",
    ]
    .iter()
    .any(|ext| p.ends_with(ext))
}

impl Package {
    /// Local code of the project: a folder, not a distribution.
    fn is_local(&self) -> bool {
        let local_url = self
            .url
            .as_deref()
            .is_some_and(|u| u.starts_with("file:") && !is_archive(u));
        let local_path = self.path.as_deref().is_some_and(|p| !is_archive(p));
        local_url || local_path
    }

    fn note(&self) -> Option<String> {
        let rev = self.revision.as_deref().unwrap_or("?");
        if let Some(git) = &self.git {
            Some(format!("from git {git} at {rev}"))
        } else if let Some(vcs) = self.hg.as_ref().or(self.svn.as_ref()) {
            Some(format!("from {vcs} at {rev}"))
        } else if let Some(url) = &self.url {
            Some(format!("from {url}"))
        } else {
            self.path
                .as_ref()
                .map(|p| format!("from the local file {p}"))
        }
    }
}

fn read(input: &Input<'_>, out: &mut Output) {
    // A part at a time, for bounded memory (see `toml_parts`).
    let mut lock: Option<Lock> = None;
    for part in toml_parts::parts(input.text, out) {
        match toml::from_str::<Lock>(part.text) {
            Ok(mut read) => {
                for p in &mut read.package {
                    p.line = p.name.as_ref().map(|n| part.line_of(n.span().start));
                }
                match &mut lock {
                    Some(lock) => lock.package.append(&mut read.package),
                    None => lock = Some(read),
                }
            }
            Err(e) => part.error(&e, out),
        }
    }
    let Some(lock) = lock else {
        return;
    };
    let kinds = if lock
        .package
        .iter()
        .flat_map(|p| p.groups.iter().flatten())
        .any(|g| g != "default")
    {
        project_groups(input)
    } else {
        None
    };
    // One component per (name, version, source note); extras entries merge.
    let mut seen: HashMap<(String, Option<String>, Option<String>), u32> = HashMap::new();
    let mut by_name: HashMap<String, Vec<u32>> = HashMap::new();
    let mut index: Vec<Option<u32>> = Vec::with_capacity(lock.package.len());
    for p in &lock.package {
        index.push(None);
        let Some(name) = &p.name else {
            out.error(Code::UnexpectedContent, "a [[package]] without a name");
            continue;
        };
        if p.is_local() {
            continue;
        }
        let line = p.line;
        let name = name.get_ref();
        let version = p.version.as_deref().filter(|v| !v.trim().is_empty());
        let note = p.note();
        let scope = match &p.groups {
            Some(g) if !g.is_empty() => g
                .iter()
                .map(|g| group_scope(g, kinds.as_ref()))
                .fold(Scope::Dev, widest),
            _ => Scope::Runtime,
        };
        let key = (normalize(name), version.map(str::to_owned), note.clone());
        if let Some(&i) = seen.get(&key) {
            if let Some(c) = out.components.get_mut(i as usize) {
                c.scope = widest(c.scope, scope);
            }
            *index.last_mut().expect("pushed above") = Some(i);
            continue;
        }
        let mut c = Component::new(Ecosystem::PyPI, name, version)
            .with_scope(scope)
            .with_line(line);
        if let Some(note) = note {
            c = c.with_note(note);
        }
        if version.is_none() {
            let why = match &c.note {
                Some(n) => format!("the lock gives no version ({n})"),
                None => "the lock gives no version".to_owned(),
            };
            c = c.with_note(why);
            out.warning(
                Code::UnresolvedVersion,
                format!("`{name}` has no version in the lock"),
            )
            .line = line;
        }
        let i = out.push(c);
        seen.insert(key.clone(), i);
        by_name.entry(key.0).or_default().push(i);
        *index.last_mut().expect("pushed above") = Some(i);
    }
    let mut edges = HashSet::new();
    for (p, from) in lock.package.iter().zip(&index) {
        let Some(from) = *from else { continue };
        for dep in &p.dependencies {
            for &to in by_name
                .get(&normalize(requirement_name(dep)))
                .into_iter()
                .flatten()
            {
                if to != from && edges.insert((from, to)) {
                    out.depend(from, to);
                }
            }
        }
    }
}

/// The project name at the start of a PEP 508 requirement string.
fn requirement_name(req: &str) -> &str {
    let req = req.trim_start();
    let end = req
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(req.len());
    &req[..end]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    const LOCK: &str = r#"
[metadata]
groups = ["default", "cli", "test", "extra"]

[[package]]
name = "uvicorn"
version = "0.20.0"
groups = ["default"]
dependencies = ["click>=7.0", "h11>=0.8"]

[[package]]
name = "uvicorn"
version = "0.20.0"
extras = ["standard"]
groups = ["cli"]
dependencies = ["uvicorn==0.20.0", "watchfiles>=0.13; platform_system != \"Windows\""]

[[package]]
name = "click"
version = "8.1.7"
groups = ["default", "test"]

[[package]]
name = "H11"
version = "0.14.0"
groups = ["default"]

[[package]]
name = "watchfiles"
version = "0.21.0"
groups = ["cli"]

[[package]]
name = "pytest"
version = "8.0.0"
groups = ["test"]
dependencies = ["click"]

[[package]]
name = "odd"
version = "1.0"
groups = ["extra"]

[[package]]
name = "toml"
version = "0.10.2"
git = "https://github.com/uiri/toml.git"
revision = "65bab758"
groups = ["default"]

[[package]]
name = "mylib"
version = "0.1.0"
path = "./libs/mylib"
editable = true
groups = ["default"]
"#;

    fn scopes(out: &Output) -> Vec<(&str, Scope)> {
        out.components
            .iter()
            .map(|c| (c.name.as_str(), c.scope))
            .collect()
    }

    #[test]
    fn groups_by_name_without_pyproject() {
        let out = read_file_as(&READER, "pdm.lock", LOCK, &MemorySource::new());
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(
            scopes(&out),
            [
                ("uvicorn", Scope::Runtime),
                ("click", Scope::Runtime),
                ("H11", Scope::Runtime),
                ("watchfiles", Scope::Optional),
                ("pytest", Scope::Dev),
                ("odd", Scope::Optional),
                ("toml", Scope::Runtime),
            ]
        );
        assert_eq!(
            out.components[6].note.as_deref(),
            Some("from git https://github.com/uiri/toml.git at 65bab758")
        );
        assert_eq!(out.components[1].line, Some(19));
        // uvicorn -> click, h11, watchfiles (through its extras entry); pytest -> click.
        assert_eq!(out.dependencies, [(0, 1), (0, 2), (0, 3), (4, 1)]);
    }

    #[test]
    fn groups_by_the_pyproject_beside_the_lock() {
        let pyproject = "[project]\nname = \"app\"\n[project.optional-dependencies]\nTest = [\"pytest\"]\n[tool.pdm.dev-dependencies]\nextra = [\"odd\"]\n";
        let files = MemorySource::new().with("app/pyproject.toml", pyproject);
        let out = read_file_as(&READER, "app/pdm.lock", LOCK, &files);
        let got = scopes(&out);
        assert_eq!(got[4], ("pytest", Scope::Optional));
        assert_eq!(got[5], ("odd", Scope::Dev));
        assert_eq!(got[3], ("watchfiles", Scope::Optional));
    }

    #[test]
    fn missing_version_and_bad_toml() {
        let out = read_file_as(
            &READER,
            "pdm.lock",
            "[[package]]\nname = \"x\"\nurl = \"https://example.com/x.zip\"\n",
            &MemorySource::new(),
        );
        assert_eq!(out.components.len(), 1);
        assert_eq!(
            out.components[0].note.as_deref(),
            Some("the lock gives no version (from https://example.com/x.zip)")
        );
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
        assert_eq!(out.diagnostics[0].line, Some(2));
        let out = read_file_as(&READER, "pdm.lock", "package = 3", &MemorySource::new());
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    }
}
