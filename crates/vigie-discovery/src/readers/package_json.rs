//! `package.json`: names the project (`name`) and, when no lockfile covers
//! it, lists the dependencies it declares.
//!
//! A lockfile covers a `package.json` when it is beside it and read by the
//! same scan (`package-lock.json`, `npm-shrinkwrap.json`, `yarn.lock`,
//! `pnpm-lock.yaml`, `bun.lock`: their readers give the components, at the
//! versions installed, and this one gives none), or when it is in a folder
//! above it in the scanned tree (a workspace member is locked by its root's
//! lockfile). Beside is asked of the walk ([`crate::FileSource::exists`]: a
//! lockfile the ignore rules leave out is not read, so it covers nothing);
//! above is looked for on disk, at most [`MAX_UP`] folders up. A project
//! nested in another's tree without being one of its workspaces, and
//! without a lockfile of its own, is taken for a member: its dependencies
//! are not listed.
//!
//! Without a lockfile, every dependency is a direct component, scoped as
//! the lockfile readers scope them: `dependencies` runtime,
//! `devDependencies` dev, `optionalDependencies` optional (an entry there
//! replaces the same name in `dependencies`, as npm does),
//! `peerDependencies` runtime with a note (npm 7 and later install them).
//!
//! * An exact version, as npm's loose `semver.valid` reads one (`17.0.2`,
//!   `=17.0.2`, `v17.0.2`, `1.0.0-rc.1`), is the version npm installs
//!   (`17.0.2`). An alias `npm:real@17.0.2` is the real package at that
//!   version, with a note naming the alias.
//! * Anything else is pushed unresolved, with the reason in the note and an
//!   `unresolved-version` warning, as the requirements.txt reader does: a
//!   range (`^17`, `~1.2`, `>=1 <2`, `1.x`, `*`, empty), a dist-tag
//!   (`latest`), git (`github:a/b`, `a/b#v1`, `git+https://...`), a tarball
//!   URL or a local tarball, and a range that is not a string.
//! * Local code is the project's own, not a component, as the lockfile
//!   readers have it: `file:` and paths to a folder, `link:`, `portal:`,
//!   `workspace:`.
//! * One name given twice in a map is read as npm reads JSON: the later one
//!   wins, and the earlier one is a `duplicate-dependency` warning. A name
//!   pinned somewhere makes its unpinned mentions redundant (a library's dev
//!   pin and its peer range are one component); the same name and version
//!   in several maps is one component, of the widest scope. A field that is
//!   not a map is an `unexpected-content` warning.
//!
//! The lockfile readers that cannot tell direct dependencies by themselves
//! (package-lock v1, yarn.lock) read the `package.json` beside them with
//! [`neighbour_manifest`].

use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::package_lock::{
    KeyLines, PEER_NOTE, is_tarball_path, parse_json_checked, scope_rank, source_note, split_name,
};
use crate::hash::{HashMap, HashSet};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "package-json",
    description: "npm package.json (the project's name; its dependencies when no lockfile covers it)",
    ecosystem: Some(Ecosystem::Npm),
    matches: |name| name == "package.json",
    sniff: None,
    read,
};

/// The lockfiles whose readers give the components of the `package.json`
/// beside them (a test checks that each is read by a JavaScript lockfile reader).
pub(crate) const LOCKFILES: [&str; 5] = [
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "bun.lock",
];

/// How many folders above a `package.json` a workspace root's lockfile is
/// looked for.
pub const MAX_UP: usize = 16;

fn read(input: &Input<'_>, out: &mut Output) {
    let Some(m) = parse_json_checked::<Deps>(input.text, out) else {
        return;
    };
    out.project_name = m.name.0.clone().filter(|n| !n.trim().is_empty());
    if !locked(input) {
        list(input.text, &m, out);
    }
}

/// Whether a lockfile covers the file: beside it, or in a folder above.
fn locked(input: &Input<'_>) -> bool {
    let mut rel = String::new();
    for depth in 0..=MAX_UP {
        for name in LOCKFILES {
            rel.clear();
            for _ in 0..depth {
                rel.push_str("../");
            }
            rel.push_str(name);
            // Above the start of the path: no folder further up to look in.
            if crate::source::resolve(input.path, &rel).is_none() {
                return false;
            }
            if input.files.exists(input.path, &rel) {
                return true;
            }
        }
    }
    false
}

/// The maps of dependencies, in the order their components are listed
/// (widest scope first), with their scope and whether they are peers.
const SECTIONS: [(&str, Scope, bool); 4] = [
    ("dependencies", Scope::Runtime, false),
    ("optionalDependencies", Scope::Optional, false),
    ("peerDependencies", Scope::Runtime, true),
    ("devDependencies", Scope::Dev, false),
];

/// What a dependency's range says is installed.
#[derive(Debug, PartialEq)]
enum Spec {
    /// One version (npm's clean form).
    Exact(String),
    /// The project's own code.
    Local,
    /// No one version; why.
    Unresolved(String),
}

/// One declared dependency, once its range is read.
struct Declared<'m> {
    /// The package installed (an alias's target).
    name: &'m str,
    /// The key of the map, when it is an alias of `name`.
    alias: Option<&'m str>,
    spec: Spec,
    scope: Scope,
    peer: bool,
    line: Option<u32>,
}

/// The declared dependencies as components (see the module documentation).
fn list(text: &str, m: &Deps, out: &mut Output) {
    let optional: HashSet<&str> = m
        .optional_dependencies
        .entries
        .iter()
        .map(|(k, _)| k.as_str())
        .collect();
    let mut declared: Vec<Declared<'_>> = Vec::new();
    for (field, scope, peer) in SECTIONS {
        let pairs = m.section(field);
        let mut lines = KeyLines::new(text);
        let opened = lines.find_key(field, b'{').is_some();
        if pairs.not_a_map {
            out.warning(
                Code::UnexpectedContent,
                format!("`{field}` is not an object: its dependencies are not read"),
            );
        }
        // The last of one name wins, as in JavaScript's JSON.parse.
        let mut last: HashMap<&str, usize> = HashMap::default();
        for (i, (key, _)) in pairs.entries.iter().enumerate() {
            last.insert(key.as_str(), i);
        }
        for (i, (key, range)) in pairs.entries.iter().enumerate() {
            let line = match range {
                Some(_) if opened => lines.find_key(key, b'"'),
                _ => None,
            };
            if last.get(key.as_str()) != Some(&i) {
                out.warning(
                    Code::DuplicateDependency,
                    format!("`{key}` is declared again in `{field}`: the later one is read"),
                )
                .line = line;
                continue;
            }
            if field == "dependencies" && optional.contains(key.as_str()) {
                continue; // npm installs it as optional
            }
            let (name, alias, spec) = read_range(key, range.as_deref());
            declared.push(Declared {
                name,
                alias,
                spec,
                scope,
                peer,
                line,
            });
        }
    }
    let pinned: HashSet<&str> = declared
        .iter()
        .filter(|d| matches!(d.spec, Spec::Exact(_)))
        .map(|d| d.name)
        .collect();
    // (name, version) -> component, to merge one package declared twice.
    let mut index: HashMap<(&str, Option<&str>), u32> = HashMap::default();
    for d in &declared {
        let version = match &d.spec {
            Spec::Local => continue,
            Spec::Unresolved(_) if pinned.contains(d.name) => continue,
            Spec::Exact(v) => Some(v.as_str()),
            Spec::Unresolved(_) => None,
        };
        if let Some(&i) = index.get(&(d.name, version)) {
            if let Some(c) = out.components.get_mut(i as usize)
                && scope_rank(d.scope) < scope_rank(c.scope)
            {
                c.scope = d.scope;
            }
            continue;
        }
        let mut notes: Vec<String> = Vec::new();
        if let Spec::Unresolved(why) = &d.spec {
            notes.push(why.clone());
            out.warning(Code::UnresolvedVersion, format!("`{}`: {why}", d.name))
                .line = d.line;
        }
        if let Some(alias) = d.alias {
            notes.push(format!("installed as `{alias}`"));
        }
        if d.peer {
            notes.push(PEER_NOTE.to_owned());
        }
        let mut c = Component::new(Ecosystem::Npm, d.name, version)
            .with_scope(d.scope)
            .with_relation(Relation::Direct)
            .with_line(d.line);
        if !notes.is_empty() {
            c = c.with_note(notes.join("; "));
        }
        let i = out.push(c);
        index.insert((d.name, version), i);
    }
}

/// The package a dependency installs, the alias it is installed as, and
/// what its range says.
fn read_range<'m>(key: &'m str, range: Option<&'m str>) -> (&'m str, Option<&'m str>, Spec) {
    let Some(range) = range else {
        return (
            key,
            None,
            Spec::Unresolved("the range is not a string".to_owned()),
        );
    };
    let range = range.trim();
    if let Some(target) = range.strip_prefix("npm:") {
        // `npm:real@range`; `npm:real` alone is its latest version.
        let (name, inner) = split_name(target).unwrap_or((target, ""));
        if !name.is_empty() {
            return (name, Some(key), spec(inner.trim()));
        }
    }
    (key, None, spec(range))
}

/// What a range (not an alias) says is installed.
fn spec(range: &str) -> Spec {
    if let Some(v) = exact_version(range) {
        return Spec::Exact(v);
    }
    let unresolved = Spec::Unresolved;
    if range.is_empty() {
        return unresolved("an empty range: any version".to_owned());
    }
    if range == "*" || range.eq_ignore_ascii_case("x") {
        return unresolved(format!("`{range}`: any version"));
    }
    if ["link:", "portal:", "workspace:"]
        .iter()
        .any(|p| range.starts_with(p))
    {
        return Spec::Local;
    }
    let path = range.strip_prefix("file:").or_else(|| {
        let b = range.as_bytes();
        let drive = b.first().is_some_and(u8::is_ascii_alphabetic)
            && b.get(1) == Some(&b':')
            && matches!(b.get(2), Some(b'/' | b'\\'));
        (range.starts_with(['.', '/', '\\']) || range.starts_with("~/") || drive).then_some(range)
    });
    if let Some(path) = path {
        return if is_tarball_path(path) {
            unresolved(format!("from the local file {path}"))
        } else {
            Spec::Local
        };
    }
    let first = range.chars().next().unwrap_or(' ');
    let ranged = first.is_ascii_digit()
        || "^~<>=*".contains(first)
        || range.contains("||")
        || (matches!(first, 'v' | 'x' | 'X')
            && range[1..].starts_with(|c: char| c.is_ascii_digit() || c == '.'));
    if ranged {
        return unresolved(format!("`{range}` is a range, not one version"));
    }
    if range.contains(':') {
        let from = source_note(range).unwrap_or_else(|| format!("from {range}"));
        return unresolved(from);
    }
    if range.contains('/') {
        // GitHub's `owner/repo[#ref]` shorthand.
        return unresolved(format!("from git github:{range}"));
    }
    if range
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return unresolved(format!(
            "`{range}` is a dist-tag: the version it names changes"
        ));
    }
    unresolved(format!("`{range}` is not one version"))
}

/// The version of an exact range, as npm's loose `semver.valid` reads it
/// (any `v`, `=` and spaces before `MAJOR.MINOR.PATCH`, then a `-`
/// prerelease and a `+` build), in its clean form: `=v01.2.3-rc.1` is
/// `1.2.3-rc.1`.
fn exact_version(range: &str) -> Option<String> {
    let v = range.trim_start_matches(['v', '=', ' ', '\t']);
    let core_end = v.find(['-', '+']).unwrap_or(v.len());
    let (core, rest) = v.split_at(core_end);
    let mut numbers = core.split('.').map(|n| {
        (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            .then(|| n.parse::<u64>().ok())
            .flatten()
            // JavaScript's safe integers, as semver has them.
            .filter(|&n| n < 1 << 53)
    });
    let (major, minor, patch) = (numbers.next()??, numbers.next()??, numbers.next()??);
    if numbers.next().is_some() {
        return None;
    }
    let (pre, build) = match rest.split_once('+') {
        Some((pre, build)) => (pre, Some(build)),
        None => (rest, None),
    };
    let idents = |s: &str| {
        s.split('.')
            .all(|i| !i.is_empty() && i.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
    };
    let pre_ok = pre.is_empty() || pre.strip_prefix('-').is_some_and(idents);
    if !pre_ok || build.is_some_and(|b| !idents(b)) {
        return None;
    }
    Some(format!("{major}.{minor}.{patch}{rest}"))
}

/// The dependencies a `package.json` declares, `(name, range)` in file order.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct Deps {
    /// The package's name.
    #[serde(default)]
    pub name: Text,
    #[serde(default)]
    pub dependencies: Pairs,
    #[serde(default)]
    pub dev_dependencies: Pairs,
    #[serde(default)]
    pub optional_dependencies: Pairs,
    #[serde(default)]
    pub peer_dependencies: Pairs,
    /// Whether the project has workspaces (members have their own manifests).
    #[serde(default)]
    pub workspaces: Present,
}

impl Deps {
    /// Every dependency name (runtime, dev, optional and peer).
    pub(super) fn all_names(&self) -> HashSet<String> {
        self.dependencies
            .entries
            .iter()
            .chain(&self.dev_dependencies.entries)
            .chain(&self.optional_dependencies.entries)
            .chain(&self.peer_dependencies.entries)
            .map(|(n, _)| n.clone())
            .collect()
    }

    /// The map of a field of [`SECTIONS`].
    fn section(&self, field: &str) -> &Pairs {
        match field {
            "dependencies" => &self.dependencies,
            "optionalDependencies" => &self.optional_dependencies,
            "peerDependencies" => &self.peer_dependencies,
            _ => &self.dev_dependencies,
        }
    }
}

/// The `package.json` in the folder of the file being read, if there is one
/// and it can be read. Its own problems are reported by its own reader.
pub(super) fn neighbour_manifest(input: &Input<'_>) -> Option<Deps> {
    let (_, text) = input.files.read_relative(input.path, "package.json").ok()?;
    serde_json::from_str::<Deps>(&text).ok()
}

/// A string value; anything else reads as nothing.
#[derive(Debug, Default)]
pub(super) struct Text(pub Option<String>);

/// A `name -> range` map, read leniently.
#[derive(Debug, Default)]
pub(super) struct Pairs {
    /// `(name, range)` in file order, repeats kept; `None` for a range that
    /// is not a string.
    pub entries: Vec<(String, Option<String>)>,
    /// The field is there but is not a map (it reads as no entries).
    pub not_a_map: bool,
}

/// Whether a field is there at all (with any value).
#[derive(Debug, Default)]
pub(super) struct Present(pub bool);

/// One visitor for the three lenient types: consumes any value.
struct Lenient<T>(fn(Option<Value>) -> T);

enum Value {
    Str(String),
    Map(Vec<(String, Option<String>)>),
    Other,
}

impl<'de, T> Visitor<'de> for Lenient<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(Some(Value::Str(v.to_owned()))))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        let mut pairs = Vec::new();
        while let Some(k) = map.next_key::<String>()? {
            let v = map.next_value::<Text>()?;
            pairs.push((k, v.0));
        }
        Ok((self.0)(Some(Value::Map(pairs))))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Ok((self.0)(Some(Value::Other)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok((self.0)(None))
    }
}

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient(|v| match v {
            Some(Value::Str(s)) => Text(Some(s)),
            _ => Text(None),
        }))
    }
}

impl<'de> Deserialize<'de> for Pairs {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient(|v| match v {
            Some(Value::Map(entries)) => Pairs {
                entries,
                not_a_map: false,
            },
            Some(_) => Pairs {
                entries: Vec::new(),
                not_a_map: true,
            },
            None => Pairs::default(),
        }))
    }
}

impl<'de> Deserialize<'de> for Present {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(Lenient(|v| Present(v.is_some())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "package.json", text, &MemorySource::new())
    }

    /// (name, version, scope, note) of each component.
    fn summary(out: &Output) -> Vec<(&str, Option<&str>, Scope, Option<&str>)> {
        out.components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.scope,
                    c.note.as_deref(),
                )
            })
            .collect()
    }

    const MANIFEST: &str = r#"{
  "name": "@acme/app",
  "version": "1.0.0",
  "devDependencies": {
    "react": "17.0.2",
    "jest": "^29.7.0"
  },
  "dependencies": {
    "express": "=4.17.1",
    "lodash": "v4.17.15",
    "left-pad": "latest",
    "old": "npm:lodash@4.17.21",
    "ui": "workspace:*",
    "lib": "file:../lib",
    "packed": "file:./vendor/x-1.0.0.tgz",
    "gh": "acme/widgets#v2",
    "maybe": "1.0.0"
  },
  "optionalDependencies": {"maybe": "^2.0.0"},
  "peerDependencies": {"react": "^17.0.0 || ^18.0.0", "zod": "3.22.4-beta.1+b7"}
}"#;

    #[test]
    fn a_manifest_alone_lists_what_it_declares() {
        let out = read_text(MANIFEST);
        assert_eq!(out.project_name.as_deref(), Some("@acme/app"));
        let runtime = Scope::Runtime;
        assert_eq!(
            summary(&out),
            [
                ("express", Some("4.17.1"), runtime, None),
                ("lodash", Some("4.17.15"), runtime, None),
                (
                    "left-pad",
                    None,
                    runtime,
                    Some("`latest` is a dist-tag: the version it names changes")
                ),
                (
                    "lodash",
                    Some("4.17.21"),
                    runtime,
                    Some("installed as `old`")
                ),
                (
                    "packed",
                    None,
                    runtime,
                    Some("from the local file ./vendor/x-1.0.0.tgz")
                ),
                ("gh", None, runtime, Some("from git github:acme/widgets#v2")),
                (
                    "maybe",
                    None,
                    Scope::Optional,
                    Some("`^2.0.0` is a range, not one version")
                ),
                ("zod", Some("3.22.4-beta.1+b7"), runtime, Some(PEER_NOTE)),
                ("react", Some("17.0.2"), Scope::Dev, None),
                (
                    "jest",
                    None,
                    Scope::Dev,
                    Some("`^29.7.0` is a range, not one version")
                ),
            ]
        );
        assert!(
            out.components
                .iter()
                .all(|c| c.relation == Relation::Direct)
        );
        assert_eq!(out.components[0].purl, "pkg:npm/express@4.17.1");
        // Lines of the keys, in their map.
        let lines: Vec<Option<u32>> = out.components.iter().map(|c| c.line).collect();
        assert_eq!(
            lines,
            [9, 10, 11, 12, 15, 16, 19, 20, 5, 6].map(Some).to_vec()
        );
        // One warning per unresolved component, on its line, and nothing else.
        let unresolved: Vec<Option<u32>> = out
            .diagnostics
            .iter()
            .filter(|d| d.code == "unresolved-version")
            .map(|d| d.line)
            .collect();
        assert_eq!(unresolved, [11, 15, 16, 19, 6].map(Some));
        assert_eq!(out.diagnostics.len(), unresolved.len());
        assert!(
            out.diagnostics[0]
                .message
                .starts_with("`left-pad`: `latest`")
        );
    }

    #[test]
    fn a_lockfile_beside_or_above_takes_the_components() {
        for lock in LOCKFILES {
            let beside = MemorySource::new().with(&format!("app/{lock}"), "");
            let out = read_file_as(&READER, "app/package.json", MANIFEST, &beside);
            assert!(out.components.is_empty(), "{lock}");
            assert!(out.diagnostics.is_empty(), "{lock}");
            assert_eq!(out.project_name.as_deref(), Some("@acme/app"));
            // A workspace member: the root's lockfile, two folders up.
            let above = MemorySource::new().with(&format!("repo/{lock}"), "");
            let out = read_file_as(&READER, "repo/packages/ui/package.json", MANIFEST, &above);
            assert!(out.components.is_empty(), "{lock}");
        }
        // A lockfile vigie does not read (bun's binary one), or in a sibling folder, covers
        // nothing.
        let files = MemorySource::new()
            .with("app/bun.lockb", "")
            .with("other/yarn.lock", "");
        let out = read_file_as(&READER, "app/package.json", MANIFEST, &files);
        assert_eq!(out.components.len(), 10);
    }

    #[test]
    fn each_lockfile_name_is_read_by_a_javascript_lockfile_reader() {
        for lock in LOCKFILES {
            let reader = crate::registry::reader_for(lock).expect(lock);
            assert_eq!(reader.ecosystem, Some(Ecosystem::Npm), "{lock}");
            assert_ne!(reader.id, READER.id);
        }
    }

    #[test]
    fn exact_versions_as_npm_reads_them() {
        let exact = [
            ("17.0.2", "17.0.2"),
            ("=17.0.2", "17.0.2"),
            ("v17.0.2", "17.0.2"),
            ("=v 17.0.2", "17.0.2"),
            ("01.002.3", "1.2.3"),
            ("1.0.0-rc.1", "1.0.0-rc.1"),
            ("1.0.0+build.5", "1.0.0+build.5"),
        ];
        for (range, version) in exact {
            assert_eq!(spec(range), Spec::Exact(version.to_owned()), "{range}");
        }
        let ranges = [
            "^17",
            "~1.2",
            ">=1 <2",
            "1.x",
            "1.2",
            "1",
            "v1",
            "1.2.3 - 2.0.0",
            "1.0.0 || 2.0.0",
            "<=1.2.3",
            "1.2.3-",
            "1.2.3+",
            "1.2.3-a..b",
            "1.2.3.4",
            "9007199254740992.0.0",
        ];
        for range in ranges {
            assert!(
                matches!(spec(range), Spec::Unresolved(ref why) if why.contains("range")),
                "{range}: {:?}",
                spec(range)
            );
        }
        for (range, why) in [
            ("", "an empty range: any version"),
            ("*", "`*`: any version"),
            ("next", "`next` is a dist-tag: the version it names changes"),
            (
                "git+https://tok@github.com/a/b.git",
                "from git git+https://github.com/a/b.git",
            ),
            (
                "https://example.com/x-1.0.0.tgz",
                "from tarball https://example.com/x-1.0.0.tgz",
            ),
            ("github:a/b", "from git github:a/b"),
            (
                "patch:a@npm%3A1.0.0#x.patch",
                "from patch:a@npm%3A1.0.0#x.patch",
            ),
            ("what?", "`what?` is not one version"),
        ] {
            assert_eq!(spec(range), Spec::Unresolved(why.to_owned()), "{range}");
        }
        for local in [
            "file:../lib",
            "link:../x",
            "portal:../y",
            "workspace:^1.0.0",
            "./lib",
            "../lib",
            "~/lib",
            "/abs/lib",
            "C:\\lib",
        ] {
            assert_eq!(spec(local), Spec::Local, "{local}");
        }
    }

    #[test]
    fn repeats_peers_and_odd_values() {
        let out = read_text(
            r#"{
  "dependencies": {"a": "1.0.0", "a": "2.0.0", "b": {"x": 1}, "c": 3, "d": null},
  "devDependencies": ["odd"],
  "peerDependencies": {"a": "^2", "e": ">=1"},
  "optionalDependencies": "no"
}"#,
        );
        assert_eq!(
            summary(&out),
            [
                ("a", Some("2.0.0"), Scope::Runtime, None),
                ("b", None, Scope::Runtime, Some("the range is not a string")),
                ("c", None, Scope::Runtime, Some("the range is not a string")),
                ("d", None, Scope::Runtime, Some("the range is not a string")),
                (
                    "e",
                    None,
                    Scope::Runtime,
                    Some("`>=1` is a range, not one version; installed as a peer dependency")
                ),
            ]
        );
        let codes: Vec<&str> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "duplicate-dependency",
                "unexpected-content",
                "unexpected-content",
                "unresolved-version",
                "unresolved-version",
                "unresolved-version",
                "unresolved-version",
            ]
        );
        assert_eq!(out.diagnostics[0].line, Some(2));
        // A key given twice at the top is not one JSON.parse would refuse, but is one serde
        // refuses: the file is not of the expected shape, and nothing is guessed.
        let out = read_text(r#"{"dependencies": {"a": "1.0.0"}, "dependencies": {"b": "1.0.0"}}"#);
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
    }

    #[test]
    fn odd_names_and_bad_files() {
        let out = read_text(r#"{"name": 42, "private": true}"#);
        assert_eq!(out.project_name, None);
        assert!(out.diagnostics.is_empty());
        let out = read_text(r#"{"name": "  "}"#);
        assert_eq!(out.project_name, None);
        let out = read_text("{\n  \"name\": \"a\",\n}");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
        let out = read_text(r#"["a"]"#);
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
    }

    #[test]
    fn dependencies_for_lockfile_readers() {
        let d: Deps = serde_json::from_str(
            r#"{"dependencies": {"a": "^1", "b": {"x": 1}}, "devDependencies": ["odd"],
                "peerDependencies": {"p": "*"}, "workspaces": {"packages": ["x"]}}"#,
        )
        .unwrap();
        assert_eq!(
            d.dependencies.entries,
            [
                ("a".to_owned(), Some("^1".to_owned())),
                ("b".to_owned(), None)
            ]
        );
        assert!(d.dev_dependencies.entries.is_empty() && d.dev_dependencies.not_a_map);
        assert!(d.workspaces.0);
        let mut names: Vec<_> = d.all_names().into_iter().collect();
        names.sort();
        assert_eq!(names, ["a", "b", "p"]);
        let files = MemorySource::new().with("p/package.json", r#"{"dependencies": {"a": "1"}}"#);
        let input = Input {
            path: "p/yarn.lock",
            text: "",
            files: &files,
        };
        assert_eq!(
            neighbour_manifest(&input)
                .unwrap()
                .dependencies
                .entries
                .len(),
            1
        );
    }
}
