//! `uv.lock` (lock `version = 1`, any revision).
//!
//! Every `[[package]]` is a component except the project's own packages:
//! those whose `source` is `editable`, `virtual`, `directory` or `workspace`
//! (the root project, workspace members, path dependencies). The package at
//! `"."` names the project. Edges come from `dependencies` and
//! `optional-dependencies` (`{ name, version?, source?, extra? }`, the
//! version given only when a name is locked at several versions).
//!
//! Relation and scope are worked out from the project's packages: what they
//! list themselves is direct, the rest transitive. A package reachable from
//! their `dependencies` is runtime; else from their `optional-dependencies`
//! (extras), optional; else from their `dev-dependencies` (dependency groups,
//! and `[manifest] dependency-groups` of a virtual workspace root), dev.
//! Reachability follows `dependencies` and, for extras asked for on the way
//! (`extra = [...]`), the `optional-dependencies` of those extras. A lock
//! with no project package gives runtime components of unknown relation.
//! Git, URL, local-file and non-PyPI index sources are said in the note.

use std::collections::{BTreeMap, VecDeque};

use serde::Deserialize;
use serde::de::IgnoredAny;
use toml::Spanned;
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::toml_parts::{self, Part};
use super::util::{blank_toml_values, pep503_normalize as normalize};
use crate::hash::{HashMap, HashSet};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "uv-lock",
    description: "uv.lock (uv)",
    ecosystem: Some(Ecosystem::PyPI),
    matches: |name| name == "uv.lock",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    package: Vec<Package>,
    manifest: Option<Manifest>,
}

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    requirements: Vec<Requirement>,
    #[serde(default, rename = "dependency-groups")]
    dependency_groups: BTreeMap<String, Vec<Requirement>>,
}

#[derive(Deserialize)]
struct Requirement {
    name: Option<String>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<Spanned<String>>,
    /// The file's line of `name`, set once its part is parsed.
    #[serde(skip)]
    line: Option<u32>,
    version: Option<String>,
    /// Boxed: most packages have one of the same few registries, and a lock may hold a
    /// million packages.
    source: Option<Box<Source>>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional_dependencies: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev_dependencies: BTreeMap<String, Vec<Dep>>,
}

#[derive(Deserialize)]
struct Source {
    registry: Option<String>,
    git: Option<String>,
    url: Option<String>,
    path: Option<String>,
    directory: Option<String>,
    editable: Option<String>,
    #[serde(rename = "virtual")]
    virtual_: Option<String>,
    workspace: Option<IgnoredAny>,
}

impl Source {
    /// The project's own code: not a component.
    fn is_local(&self) -> bool {
        self.directory.is_some()
            || self.editable.is_some()
            || self.virtual_.is_some()
            || self.workspace.is_some()
    }

    fn is_root(&self) -> bool {
        self.editable.as_deref() == Some(".") || self.virtual_.as_deref() == Some(".")
    }

    fn note(&self) -> Option<String> {
        if let Some(git) = &self.git {
            Some(format!("from git {git}"))
        } else if let Some(url) = &self.url {
            Some(format!("from {url}"))
        } else if let Some(path) = &self.path {
            Some(format!("from the local file {path}"))
        } else {
            self.registry
                .as_deref()
                .filter(|r| r.trim_end_matches('/') != "https://pypi.org/simple")
                .map(|r| format!("from the package index {r}"))
        }
    }
}

#[derive(Deserialize)]
struct Dep {
    name: Option<String>,
    version: Option<String>,
    #[serde(default)]
    extra: Vec<String>,
}

/// The packages a dependency entry designates.
struct Graph<'a> {
    lock: &'a Lock,
    by_name: HashMap<String, Vec<usize>>,
}

impl Graph<'_> {
    fn targets(&self, dep: &Dep) -> Vec<usize> {
        let Some(found) = dep
            .name
            .as_deref()
            .and_then(|n| self.by_name.get(&normalize(n)))
        else {
            return Vec::new();
        };
        if let Some(v) = &dep.version {
            let exact: Vec<usize> = found
                .iter()
                .copied()
                .filter(|&i| self.lock.package[i].version.as_ref() == Some(v))
                .collect();
            if !exact.is_empty() {
                return exact;
            }
        }
        found.clone()
    }

    /// Every package reachable from `roots`, following `dependencies` and
    /// the `optional-dependencies` of the extras asked for on the way.
    fn reach<'d>(&self, roots: impl Iterator<Item = &'d Dep>) -> Vec<bool> {
        let n = self.lock.package.len();
        let mut seen = vec![false; n];
        let mut seen_extra: HashSet<(usize, &str)> = HashSet::default();
        let mut queue: VecDeque<(usize, Option<&str>)> = VecDeque::new();
        let enqueue = |dep: &Dep, queue: &mut VecDeque<(usize, Option<&str>)>| {
            for t in self.targets(dep) {
                queue.push_back((t, None));
            }
        };
        for dep in roots {
            enqueue(dep, &mut queue);
            self.enqueue_extras(dep, &mut queue);
        }
        while let Some((i, extra)) = queue.pop_front() {
            let Some(p) = self.lock.package.get(i) else {
                continue;
            };
            let deps = match extra {
                None if !seen[i] => {
                    seen[i] = true;
                    &p.dependencies[..]
                }
                Some(e) if seen_extra.insert((i, e)) => {
                    p.optional_dependencies.get(e).map_or(&[][..], |v| &v[..])
                }
                _ => continue,
            };
            for dep in deps {
                enqueue(dep, &mut queue);
                self.enqueue_extras(dep, &mut queue);
            }
        }
        seen
    }

    fn enqueue_extras<'s>(&self, dep: &'s Dep, queue: &mut VecDeque<(usize, Option<&'s str>)>) {
        if dep.extra.is_empty() {
            return;
        }
        for t in self.targets(dep) {
            for e in &dep.extra {
                queue.push_back((t, Some(e.as_str())));
            }
        }
    }
}

fn read(input: &Input<'_>, out: &mut Output) {
    read_with(input, out, true);
}

/// Most `[[package]]` records of the wrong shape reported before the file is given up.
const MAX_BAD_PACKAGES: usize = 64;

/// Parses a part of the lock (`text`: the part, its file lists maybe emptied), its packages'
/// lines set. A `[[package]]` that does not read (`version = 12`) is an error naming it and
/// its field, and is skipped, up to [`MAX_BAD_PACKAGES`] in the file (`bad` counts them); any
/// other error is `invalid-syntax`, and the part is not read.
///
/// The part is parsed whole; only when that fails on a record is it read again a record at a
/// time (each `[[package]]` with what follows it up to the next parses alone, as a part
/// does), so that a bad record costs a parse of itself, not of the part: a part is parsed at
/// most three times over, however many of its records are bad.
fn parse_keeping_packages(
    part: &Part<'_>,
    text: &str,
    bad: &mut usize,
    out: &mut Output,
) -> Option<Lock> {
    let e = match parse_toml(text) {
        Ok(lock) => return Some(with_lines(lock, part, 0)),
        Err(e) => e,
    };
    let in_record = e
        .span()
        .is_some_and(|s| package_record(text, s.start).is_some());
    if !in_record || *bad >= MAX_BAD_PACKAGES {
        part.error_at(&e, 0, out);
        return None;
    }
    // Cut where `package_record` bounds a record, so that a piece holds at most one: once it
    // is blanked, what is left of the piece is not a record, and the piece is parsed at most
    // twice.
    let mut starts = vec![0];
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if offset > 0 && line.trim() == "[[package]]" {
            starts.push(offset);
        }
        offset += line.len();
    }
    let first = usize::from(
        text.split_inclusive('\n')
            .next()
            .is_some_and(|l| l.trim() == "[[package]]"),
    );
    let bad_before = *bad;
    let mut lock = Lock {
        package: Vec::with_capacity(part.records),
        manifest: None,
    };
    for (i, &start) in starts.iter().enumerate() {
        let end = starts.get(i + 1).copied().unwrap_or(text.len());
        // The records before this piece (the first piece may start with one).
        let records_before = (i + first).saturating_sub(1);
        let read = parse_skipping(part, &text[start..end], start, records_before, bad, out)?;
        merge(&mut lock, read);
    }
    if *bad == bad_before {
        // The records read alone, but not the part: an error between them.
        part.error_at(&e, 0, out);
        return None;
    }
    Some(lock)
}

/// Parses `text`, a record of a part at byte `offset` after `records_before` others of the
/// part (or what precedes the first): when it fails on the record, the record is reported
/// (see [`parse_keeping_packages`]), blanked out (spaces: lines and spans unchanged) and what
/// follows it parsed again.
fn parse_skipping(
    part: &Part<'_>,
    text: &str,
    offset: usize,
    records_before: usize,
    bad: &mut usize,
    out: &mut Output,
) -> Option<Lock> {
    let mut text = std::borrow::Cow::Borrowed(text);
    loop {
        let e = match parse_toml(&text) {
            Ok(lock) => return Some(with_lines(lock, part, offset)),
            Err(e) => e,
        };
        let found = e
            .span()
            .and_then(|s| package_record(&text, s.start).map(|r| (s.start, r)));
        let Some((at, record)) = found.filter(|_| *bad < MAX_BAD_PACKAGES) else {
            part.error_at(&e, offset, out);
            return None;
        };
        *bad += 1;
        let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
        let field = text[line_start..]
            .split_once('=')
            .map(|(k, _)| k.trim())
            .filter(|k| !k.is_empty() && !k.contains(['\n', '[']))
            .map_or(String::new(), |k| format!(".{k}"));
        let index = part.packages_before
            + records_before
            + text[..record.start]
                .lines()
                .filter(|l| l.trim() == "[[package]]")
                .count();
        out.error(
            Code::UnexpectedContent,
            format!(
                "package[{index}]{field}: {}: this record is skipped",
                e.message()
            ),
        )
        .line = Some(part.line_of(offset + at));
        let mut blanked = text.into_owned();
        let spaces: String = blanked[record.clone()]
            .chars()
            .map(|c| if c == '\n' { '\n' } else { ' ' })
            .collect();
        blanked.replace_range(record, &spaces);
        text = std::borrow::Cow::Owned(blanked);
    }
}

#[cfg(test)]
thread_local! {
    /// Bytes parsed as TOML by this thread, for the tests to count.
    static PARSED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

fn parse_toml(text: &str) -> Result<Lock, toml::de::Error> {
    #[cfg(test)]
    PARSED.with(|p| p.set(p.get() + text.len()));
    toml::from_str(text)
}

/// `lock`, parsed from the text at byte `offset` of `part`, with its packages' lines.
fn with_lines(mut lock: Lock, part: &Part<'_>, offset: usize) -> Lock {
    for p in &mut lock.package {
        p.line = p
            .name
            .as_ref()
            .map(|n| part.line_of(offset + n.span().start));
    }
    lock
}

/// Adds `read`, the lock's next part, to `lock`.
fn merge(lock: &mut Lock, mut read: Lock) {
    lock.package.append(&mut read.package);
    // The manifest's tables may lie in two parts.
    match (&mut lock.manifest, read.manifest) {
        (Some(have), Some(more)) => {
            have.requirements.extend(more.requirements);
            have.dependency_groups.extend(more.dependency_groups);
        }
        (have @ None, more) => *have = more,
        (Some(_), None) => {}
    }
}

/// The bytes of the `[[package]]` record (with its `[package.…]` sub-tables) holding `at`.
fn package_record(text: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let header = |line: &str| line.trim_start().starts_with('[');
    let is_package = |line: &str| line.trim_start() == "[[package]]";
    let mut start = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let end = offset + line.len();
        if header(line) {
            let sub = line.trim_start().starts_with("[package.")
                || line.trim_start().starts_with("[[package.");
            if is_package(line.trim_end()) {
                if start.is_some() && offset > at {
                    return start.map(|s| s..offset);
                }
                start = Some(offset);
            } else if !sub {
                if start.is_some() && offset > at {
                    return start.map(|s| s..offset);
                }
                start = None;
            }
        }
        offset = end;
    }
    start.filter(|_| at < text.len()).map(|s| s..text.len())
}

/// The lock, parsed a part at a time ([`toml_parts`]), each part's file lists emptied first
/// when `blank` (see [`blank_toml_values`]; tests compare both ways). `None` when no part
/// could be read.
fn parse_lock(input: &Input<'_>, out: &mut Output, blank: bool) -> Option<Lock> {
    let mut lock: Option<Lock> = None;
    let mut bad = 0;
    let parts = toml_parts::parts(input.text, out);
    // Sized once: a lock may hold a million packages.
    let records: usize = parts.iter().map(|p| p.records).sum();
    out.components.reserve_exact(records);
    for part in parts {
        let blanked = blank
            .then(|| blank_toml_values(part.text, &["sdist", "wheels"]))
            .flatten();
        let text = blanked.as_deref().unwrap_or(part.text);
        let Some(mut read) = parse_keeping_packages(&part, text, &mut bad, out) else {
            continue;
        };
        let Some(lock) = &mut lock else {
            read.package
                .reserve_exact(records.saturating_sub(read.package.len()));
            lock = Some(read);
            continue;
        };
        merge(lock, read);
    }
    lock
}

/// Reads with or without emptying the file lists first (see
/// [`blank_toml_values`]); tests compare the two.
fn read_with(input: &Input<'_>, out: &mut Output, blank: bool) {
    let Some(lock) = parse_lock(input, out, blank) else {
        return;
    };
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::default();
    for (i, p) in lock.package.iter().enumerate() {
        match &p.name {
            Some(name) => by_name
                .entry(normalize(name.get_ref()))
                .or_default()
                .push(i),
            None => {
                out.error(Code::UnexpectedContent, "a [[package]] without a name");
            }
        }
    }
    let graph = Graph {
        lock: &lock,
        by_name,
    };
    let local: Vec<bool> = lock
        .package
        .iter()
        .map(|p| p.source.as_deref().is_some_and(Source::is_local))
        .collect();
    let roots: Vec<&Package> = lock
        .package
        .iter()
        .zip(&local)
        .filter(|&(_, &l)| l)
        .map(|(p, _)| p)
        .collect();
    out.project_name = roots
        .iter()
        .find(|p| p.source.as_deref().is_some_and(Source::is_root))
        .or(roots.first())
        .and_then(|p| p.name.as_ref())
        .map(|n| n.get_ref().clone());

    // Names the manifest lists for a workspace without a root project.
    let manifest_deps = |reqs: &mut dyn Iterator<Item = &Requirement>| -> Vec<Dep> {
        reqs.filter_map(|r| r.name.clone())
            .map(|name| Dep {
                name: Some(name),
                version: None,
                extra: Vec::new(),
            })
            .collect()
    };
    let (manifest_run, manifest_dev) = match &lock.manifest {
        Some(m) => (
            manifest_deps(&mut m.requirements.iter()),
            manifest_deps(&mut m.dependency_groups.values().flatten()),
        ),
        None => (Vec::new(), Vec::new()),
    };
    let runtime_roots = || {
        roots
            .iter()
            .flat_map(|p| &p.dependencies)
            .chain(&manifest_run)
    };
    let optional_roots = || {
        roots
            .iter()
            .flat_map(|p| p.optional_dependencies.values().flatten())
    };
    let dev_roots = || {
        roots
            .iter()
            .flat_map(|p| p.dev_dependencies.values().flatten())
            .chain(&manifest_dev)
    };
    let known = !roots.is_empty() || !manifest_run.is_empty() || !manifest_dev.is_empty();
    let mut direct = vec![false; lock.package.len()];
    for dep in runtime_roots().chain(optional_roots()).chain(dev_roots()) {
        for t in graph.targets(dep) {
            direct[t] = true;
        }
    }
    let runtime = graph.reach(runtime_roots());
    let optional = graph.reach(optional_roots());
    let dev = graph.reach(dev_roots());

    let mut index: Vec<Option<u32>> = vec![None; lock.package.len()];
    for (i, p) in lock.package.iter().enumerate() {
        let Some(name) = &p.name else { continue };
        if local[i] {
            continue;
        }
        let line = p.line;
        let name = name.get_ref();
        let version = p.version.as_deref().filter(|v| !v.trim().is_empty());
        let (scope, relation) = if !known {
            (Scope::Runtime, Relation::Unknown)
        } else {
            let scope = if runtime[i] {
                Scope::Runtime
            } else if optional[i] {
                Scope::Optional
            } else if dev[i] {
                Scope::Dev
            } else {
                Scope::Unknown
            };
            let relation = if direct[i] {
                Relation::Direct
            } else {
                Relation::Transitive
            };
            (scope, relation)
        };
        let mut c = Component::new(Ecosystem::PyPI, name, version)
            .with_scope(scope)
            .with_relation(relation)
            .with_line(line);
        if let Some(note) = p.source.as_deref().and_then(Source::note) {
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
        index[i] = Some(out.push(c));
    }
    for (i, p) in lock.package.iter().enumerate() {
        let Some(from) = index[i] else { continue };
        let deps = p
            .dependencies
            .iter()
            .chain(p.optional_dependencies.values().flatten());
        let mut seen = HashSet::default();
        for dep in deps {
            for t in graph.targets(dep) {
                if let Some(to) = index[t]
                    && to != from
                    && seen.insert(to)
                {
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
        read_file_as(&READER, "uv.lock", text, &MemorySource::new())
    }

    /// Reads `text` with and without emptying the file lists first: both
    /// must give the same components, edges, diagnostics and name.
    fn same_both_ways(text: &str) -> Output {
        let files = MemorySource::new();
        let input = Input {
            path: "uv.lock",
            text,
            files: &files,
        };
        let (mut fast, mut plain) = (Output::new("uv.lock"), Output::new("uv.lock"));
        read_with(&input, &mut fast, true);
        read_with(&input, &mut plain, false);
        assert_eq!(fast.components, plain.components, "{text}");
        assert_eq!(fast.dependencies, plain.dependencies, "{text}");
        assert_eq!(fast.diagnostics, plain.diagnostics, "{text}");
        assert_eq!(fast.project_name, plain.project_name, "{text}");
        fast
    }

    const WITH_FILES: &str = r#"version = 1
revision = 3

[manifest]
members = ["app"]

[manifest.dependency-groups]
wheels = [{ name = "idna" }]

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [{ name = "httpx", extra = ["wheels"] }]

[package.optional-dependencies]
wheels = [{ name = "h2" }]

[[package]]
name = "httpx"
version = "0.28.1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "idna" }]
sdist = { url = "https://files.pythonhosted.org/packages/b1/df/httpx-0.28.1.tar.gz", hash = "sha256:75e98c5f16b0f35b567856f597f06ff2270a374470a5c2392242528e3e3e42fc", size = 141406, upload-time = "2024-12-06T15:37:23.222Z" }
wheels = [
    { url = "https://files.pythonhosted.org/packages/2a/39/httpx-0.28.1-py3-none-any.whl", hash = "sha256:d909fcccc110f8c7faf814ca82a9a4d816bc5a6dbfea25d6591d6985b8ba59ad", size = 73517, upload-time = "2024-12-06T15:37:21.509Z" },
]

[package.optional-dependencies]
wheels = [{ name = "h2" }]

[[package]]
name = "h2"
version = "4.1.0"
source = { registry = "https://pypi.org/simple" }
wheels = [{ url = "https://h/h2-4.1.0-py3-none-any.whl", size = 57488 }]

[[package]]
name = "idna"
version = "3.10"
source = { registry = "https://pypi.org/simple" }
sdist = { url = "https://h/idna-3.10.tar.gz", size = 190490 }
"#;

    #[test]
    fn emptying_the_file_lists_changes_nothing() {
        let out = same_both_ways(WITH_FILES);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.components.len(), 3);
        assert_eq!(out.dependencies.len(), 2, "{:?}", out.dependencies);
        assert!(
            blank_toml_values(WITH_FILES, &["sdist", "wheels"])
                .is_some_and(|t| !t.contains("files.pythonhosted.org"))
        );
        same_both_ways(&WITH_FILES.replace('\n', "\r\n"));
        same_both_ways(PROJECT);
        // Random edits of the structure: whatever the parser makes of them
        // (errors included, with their lines), it makes the same of both.
        // (About half of the edited texts still have lists to empty, and a
        // quarter of those are errors.)
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            same_both_ways(&crate::readers::util::testing::mutate(
                WITH_FILES, &mut state, 4,
            ));
        }
    }

    #[test]
    fn reference_uv_locks_read_the_same_both_ways() {
        let Some(dir) = crate::readers::util::testing::data_dir() else {
            return;
        };
        let files = crate::readers::util::testing::files_named(&dir, "uv.lock");
        assert!(!files.is_empty());
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            let out = same_both_ways(&text);
            assert!(!out.components.is_empty(), "{}", f.display());
        }
    }

    const PROJECT: &str = r#"
version = 1
revision = 3

[[package]]
name = "app"
version = "0.1.0"
source = { editable = "." }
dependencies = [
    { name = "httpx", extra = ["http2"] },
    { name = "member" },
]

[package.optional-dependencies]
cli = [{ name = "click" }]

[package.dev-dependencies]
dev = [{ name = "pytest" }]

[[package]]
name = "member"
version = "0.2.0"
source = { editable = "packages/member" }
dependencies = [{ name = "idna" }]

[[package]]
name = "httpx"
version = "0.28.1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "idna" }]

[package.optional-dependencies]
http2 = [{ name = "h2" }]
socks = [{ name = "socksio" }]

[[package]]
name = "h2"
version = "4.1.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "socksio"
version = "1.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "idna"
version = "3.10"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "click"
version = "8.1.8"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "colorama", marker = "sys_platform == 'win32'" }]

[[package]]
name = "colorama"
version = "0.4.6"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "pytest"
version = "8.3.4"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "colorama" }, { name = "idna" }]
"#;

    #[test]
    fn scopes_and_relations_from_the_project_packages() {
        let out = read_text(PROJECT);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.project_name.as_deref(), Some("app"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.scope, c.relation))
            .collect();
        use Relation::*;
        assert_eq!(
            got,
            [
                ("httpx", Scope::Runtime, Direct),
                // Asked for through the `http2` extra of httpx.
                ("h2", Scope::Runtime, Transitive),
                // Extra `socks` is asked for by nobody.
                ("socksio", Scope::Unknown, Transitive),
                // Needed by a workspace member: direct.
                ("idna", Scope::Runtime, Direct),
                ("click", Scope::Optional, Direct),
                ("colorama", Scope::Optional, Transitive),
                ("pytest", Scope::Dev, Direct),
            ]
        );
        assert_eq!(out.components[0].line, Some(27));
        // httpx -> idna, h2, socksio; click -> colorama; pytest -> colorama, idna.
        assert_eq!(
            out.dependencies,
            [(0, 3), (0, 1), (0, 2), (4, 5), (6, 5), (6, 3)]
        );
    }

    #[test]
    fn same_name_at_two_versions_and_sources() {
        let text = r#"
version = 1

[[package]]
name = "root"
version = "1"
source = { virtual = "." }
dependencies = [
    { name = "markdown-it-py", version = "3.0.0", source = { registry = "https://pypi.org/simple" }, marker = "python_full_version >= '3.12'" },
    { name = "black" },
]

[[package]]
name = "markdown-it-py"
version = "3.0.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "markdown-it-py"
version = "4.2.0"
source = { registry = "https://pypi.org/simple" }

[[package]]
name = "black"
version = "26.5.2.dev21+ge34bb1bef"
source = { git = "https://github.com/psf/black.git#e34bb1be" }

[[package]]
name = "private"
source = { registry = "https://example.com/simple" }

[[package]]
name = "vendored"
version = "1.0"
source = { path = "wheels/vendored-1.0-py3-none-any.whl" }

[[package]]
name = "lib"
version = "1.0"
source = { directory = "libs/lib" }
"#;
        let out = read_text(text);
        assert_eq!(out.project_name.as_deref(), Some("root"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.relation,
                    c.note.as_deref(),
                )
            })
            .collect();
        use Relation::*;
        assert_eq!(
            got,
            [
                ("markdown-it-py", Some("3.0.0"), Direct, None),
                ("markdown-it-py", Some("4.2.0"), Transitive, None),
                (
                    "black",
                    Some("26.5.2.dev21+ge34bb1bef"),
                    Direct,
                    Some("from git https://github.com/psf/black.git#e34bb1be")
                ),
                (
                    "private",
                    None,
                    Transitive,
                    Some(
                        "the lock gives no version (from the package index https://example.com/simple)"
                    )
                ),
                (
                    "vendored",
                    Some("1.0"),
                    Transitive,
                    Some("from the local file wheels/vendored-1.0-py3-none-any.whl")
                ),
            ]
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
        assert_eq!(out.diagnostics[0].line, Some(29));
    }

    #[test]
    fn virtual_workspace_manifest_groups_are_dev() {
        let text = r#"
version = 1

[manifest]
members = ["a"]

[manifest.dependency-groups]
lint = [{ name = "ruff", specifier = ">=0.8" }]

[[package]]
name = "ruff"
version = "0.8.0"
source = { registry = "https://pypi.org/simple" }
"#;
        let out = read_text(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].scope, Scope::Dev);
        assert_eq!(out.components[0].relation, Relation::Direct);
    }

    #[test]
    fn without_a_project_package_everything_is_runtime() {
        let text = "version = 1\n[[package]]\nname = \"six\"\nversion = \"1.17.0\"\nsource = { registry = \"https://pypi.org/simple\" }\n";
        let out = read_text(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].scope, Scope::Runtime);
        assert_eq!(out.components[0].relation, Relation::Unknown);
    }

    /// Reads `text` (both ways), and how many bytes were parsed as TOML meanwhile.
    fn read_counting(text: &str) -> (Output, usize) {
        let before = PARSED.with(std::cell::Cell::get);
        let out = same_both_ways(text);
        // Two reads.
        (out, (PARSED.with(std::cell::Cell::get) - before) / 2)
    }

    /// `text` with the `version` of the records at `broken` (indices of `[[package]]`
    /// records) made a number, and the lines of those `version`s.
    fn break_versions(text: &str, broken: &[usize]) -> (String, Vec<u32>) {
        let (mut out, mut lines) = (String::new(), Vec::new());
        let mut record = None::<usize>;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            if line.trim() == "[[package]]" {
                record = Some(record.map_or(0, |r| r + 1));
            } else if line.starts_with("version = ") && record.is_some_and(|r| broken.contains(&r))
            {
                out.push_str("version = 12\n");
                lines.push(n as u32 + 1);
                continue;
            }
            out.push_str(line);
        }
        (out, lines)
    }

    /// Found by fuzzing (FUZZING.md): a bad record blanked and the whole part parsed again,
    /// 65 parses of a part for 64 bad records. Now a part is parsed at most three times over,
    /// however many of its records are bad, with the same diagnostics.
    #[test]
    fn bad_records_cost_no_parse_of_the_whole_part_each() {
        let mut text = String::from("version = 1\nrevision = 3\n");
        for i in 0..96 {
            text.push_str(&format!(
                "\n[[package]]\nname = \"p{i}\"\nversion = \"1.0\"\n\
                 source = {{ registry = \"https://pypi.org/simple\" }}\n"
            ));
        }
        let broken: Vec<usize> = (0..96).filter(|i| i % 3 != 2).collect();
        assert_eq!(broken.len(), MAX_BAD_PACKAGES);
        let (bad_text, lines) = break_versions(&text, &broken);
        let (out, parsed) = read_counting(&bad_text);
        assert!(parsed <= 3 * bad_text.len(), "{parsed} bytes parsed");
        let names: Vec<&str> = out.components.iter().map(|c| c.name.as_str()).collect();
        let kept: Vec<String> = (0..96)
            .filter(|i| i % 3 == 2)
            .map(|i| format!("p{i}"))
            .collect();
        assert_eq!(names, kept);
        let skipped: Vec<(String, Option<u32>)> = out
            .diagnostics
            .iter()
            .map(|d| (d.message.split(':').next().unwrap().to_owned(), d.line))
            .collect();
        let expected: Vec<(String, Option<u32>)> = broken
            .iter()
            .zip(&lines)
            .map(|(i, &l)| (format!("package[{i}].version"), Some(l)))
            .collect();
        assert_eq!(skipped, expected);
        assert!(
            out.diagnostics
                .iter()
                .all(|d| d.code == "unexpected-content")
        );
        // One bad record more: the file is given up, with its syntax error.
        let (worse, _) = break_versions(&text, &[broken.clone(), vec![95]].concat());
        let (out, parsed) = read_counting(&worse);
        assert!(parsed <= 3 * worse.len(), "{parsed} bytes parsed");
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics.len(), MAX_BAD_PACKAGES + 1);
        assert_eq!(out.diagnostics[MAX_BAD_PACKAGES].code, "invalid-syntax");
    }

    /// The same on the largest reference uv.lock, records of the registry broken: what is
    /// read is what was read before less the broken records, parsed at most three times over
    /// (twice per part read whole).
    #[test]
    fn bad_records_of_a_reference_uv_lock_are_skipped_in_one_pass() {
        let Some(dir) = crate::readers::util::testing::data_dir() else {
            return;
        };
        let files = crate::readers::util::testing::files_named(&dir, "uv.lock");
        let text = files
            .iter()
            .map(|f| std::fs::read_to_string(f).unwrap())
            .max_by_key(String::len)
            .unwrap();
        let (good, parsed) = read_counting(&text);
        assert!(good.diagnostics.is_empty(), "{:?}", good.diagnostics);
        assert!(parsed <= text.len());
        // Every other record of the registry, up to the limit.
        let mut registry = Vec::new();
        let mut record = None::<usize>;
        for line in text.lines() {
            if line.trim() == "[[package]]" {
                record = Some(record.map_or(0, |r| r + 1));
            } else if line.starts_with("source = { registry = ") {
                registry.extend(record);
            }
        }
        let broken: Vec<usize> = registry
            .iter()
            .copied()
            .step_by(2)
            .take(MAX_BAD_PACKAGES)
            .collect();
        assert!(broken.len() >= 8, "{}", broken.len());
        let (bad_text, lines) = break_versions(&text, &broken);
        assert_eq!(lines.len(), broken.len());
        let (out, parsed) = read_counting(&bad_text);
        assert!(parsed <= 3 * bad_text.len(), "{parsed} bytes parsed");
        let lines_of = |o: &Output| o.diagnostics.iter().map(|d| d.line).collect::<Vec<_>>();
        assert_eq!(
            lines_of(&out),
            lines.iter().map(|&l| Some(l)).collect::<Vec<_>>()
        );
        let purls = |o: &Output| {
            o.components
                .iter()
                .map(|c| c.purl.clone())
                .collect::<std::collections::BTreeSet<_>>()
        };
        let (all, kept) = (purls(&good), purls(&out));
        assert!(kept.is_subset(&all));
        assert_eq!(all.len() - kept.len(), broken.len());
    }

    #[test]
    fn cycles_terminate_and_bad_toml_is_reported() {
        let text = r#"
[[package]]
name = "r"
source = { editable = "." }
dependencies = [{ name = "a", extra = ["x"] }]
[[package]]
name = "a"
version = "1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "b" }]
[package.optional-dependencies]
x = [{ name = "a", extra = ["x"] }, { name = "b", extra = ["y"] }]
[[package]]
name = "b"
version = "1"
source = { registry = "https://pypi.org/simple" }
dependencies = [{ name = "a", extra = ["x"] }]
"#;
        let out = read_text(text);
        assert_eq!(out.components.len(), 2);
        assert!(out.components.iter().all(|c| c.scope == Scope::Runtime));
        let out = read_text("[[package]\n");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(1));
    }
}
