//! npm `package-lock.json` and `npm-shrinkwrap.json`, lockfile versions 1 to 3.
//!
//! Versions 2 and 3 have a `packages` map keyed by install path
//! (`node_modules/a`, `node_modules/a/node_modules/b`); it is read when
//! present. The root (`""`), `link: true` entries and folders outside any
//! `node_modules` (workspace members, `file:` folders) are the project, not
//! components. A component's name is the entry's `name` (aliases) or the last
//! package of its path. Flags map to scopes: `dev` -> dev, `optional` and
//! `devOptional` -> optional, `peer` -> runtime with a note. Direct components
//! are those the root and workspace members depend on, found with Node's
//! resolution (nearest `node_modules` upwards), as are the edges.
//!
//! Version 1 has only the nested `dependencies` tree, where `version` can be
//! `npm:real@1.2.3` (alias), a git URL, a tarball URL or `file:` path, and
//! `requires` names the dependencies. It says nothing of the root's own
//! dependencies: the `package.json` beside the lockfile is asked for them.
//!
//! The same name and version installed at several paths is one component;
//! the scopes of its copies are merged (runtime beats optional beats dev).
//! Git, tarball and `file:` tarball entries are kept with a note; when the
//! file gives no registry version, they are unresolved.
//!
//! The JSON helpers of this file (document-order maps, borrowed keys, key
//! lines, de-duplication) are shared with the other JavaScript readers.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::lenient::{Lenient, keep_map};
use crate::hash::{HashMap, HashSet};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "package-lock",
    description: "npm package-lock.json / npm-shrinkwrap.json (lockfile v1-v3)",
    ecosystem: Some(Ecosystem::Npm),
    matches: |name| name == "package-lock.json" || name == "npm-shrinkwrap.json",
    sniff: None,
    read,
};

/// Deepest `dependencies` nesting of a v1 lockfile that is followed.
const MAX_DEPTH: usize = 48;

/// The first pass: the v2/v3 `packages` map (v1 files have none).
#[derive(Deserialize)]
struct Head<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    packages: Option<Ordered<JsStr<'a>, Lenient<'a, Pkg<'a>>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Pkg<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    resolved: Option<Cow<'a, str>>,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dev_optional: bool,
    #[serde(default)]
    peer: bool,
    #[serde(borrow, default)]
    dependencies: Keys<'a>,
    #[serde(borrow, default)]
    optional_dependencies: Keys<'a>,
    #[serde(borrow, default)]
    peer_dependencies: Keys<'a>,
    #[serde(borrow, default)]
    dev_dependencies: Keys<'a>,
    #[serde(borrow, default)]
    license: Licence<'a>,
}

/// A v1 lockfile.
#[derive(Deserialize)]
struct V1<'a> {
    #[serde(borrow)]
    dependencies: Option<Ordered<JsStr<'a>, Lenient<'a, V1Dep<'a>>>>,
}

#[derive(Deserialize)]
struct V1Dep<'a> {
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    resolved: Option<Cow<'a, str>>,
    #[serde(borrow)]
    from: Option<Cow<'a, str>>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(borrow, default)]
    requires: Keys<'a>,
    #[serde(borrow)]
    dependencies: Option<Ordered<JsStr<'a>, V1Dep<'a>>>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    let Some(head) = parse_json_checked::<Head>(input.text, out) else {
        return;
    };
    if let Some(name) = head.name.as_deref().filter(|n| !n.is_empty()) {
        out.project_name = Some(name.to_owned());
    }
    match head.packages {
        Some(packages) => {
            let packages = keep_map(input.text, "packages", packages.0, out);
            read_packages(input.text, packages, out)
        }
        None => {
            let Some(v1) = parse_json_checked::<V1>(input.text, out) else {
                return;
            };
            let direct = super::package_json::neighbour_manifest(input).map(|m| m.all_names());
            let top = v1
                .dependencies
                .map(|d| keep_map(input.text, "dependencies", d.0, out));
            read_v1(input.text, top, direct, out);
        }
    }
}

// ---------------------------------------------------------------------------
// Versions 2 and 3: the `packages` map.

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Root,
    /// A workspace member or `file:` folder: part of the project.
    Local,
    /// `link: true`: a symlink to a local folder.
    Link,
    Installed,
}

fn read_packages(text: &str, packages: Vec<(JsStr<'_>, Pkg<'_>)>, out: &mut Output) {
    let index: HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.0.as_ref(), i))
        .collect();
    let kinds: Vec<Kind> = packages
        .iter()
        .map(|(path, p)| {
            let path = path.0.as_ref();
            if path.is_empty() {
                Kind::Root
            } else if p.link {
                Kind::Link
            } else if path.starts_with("node_modules/") || path.contains("/node_modules/") {
                Kind::Installed
            } else {
                Kind::Local
            }
        })
        .collect();
    let has_root = kinds.contains(&Kind::Root);
    if out.project_name.is_none()
        && let Some((_, root)) = packages.iter().find(|(k, _)| k.0.is_empty())
        && let Some(name) = root.name.as_deref().filter(|n| !n.is_empty())
    {
        out.project_name = Some(name.to_owned());
    }

    let mut lines = KeyLines::new(text);
    let mut comps = Components::default();
    let mut comp_of: Vec<Option<u32>> = vec![None; packages.len()];
    for (i, (path, p)) in packages.iter().enumerate() {
        if kinds[i] != Kind::Installed {
            continue;
        }
        let line = lines.find(&path.0, b'{');
        let name = match p.name.as_deref().filter(|n| !n.is_empty()) {
            Some(n) => n,
            None => name_from_path(&path.0),
        };
        if name.is_empty() {
            out.warning(
                Code::UnexpectedContent,
                format!("cannot tell the package name of `{}`", path.0),
            )
            .line = line;
            continue;
        }
        let version = p.version.as_deref().filter(|v| !v.is_empty());
        let mut c = Component::new(Ecosystem::Npm, name, version)
            .with_line(line)
            .with_licence(p.license.0.as_deref().map(str::to_owned))
            .with_relation(if has_root {
                Relation::Transitive
            } else {
                Relation::Unknown
            });
        c.scope = npm_scope(p.dev, p.optional, p.dev_optional);
        if let Some(note) = p.resolved.as_deref().and_then(source_note) {
            c = c.with_note(note);
        } else if p.peer {
            c = c.with_note(PEER_NOTE);
        }
        if version.is_none() {
            let why = match c.note.take() {
                Some(n) => format!("no version in the lockfile ({n})"),
                None => "no version in the lockfile".to_owned(),
            };
            out.warning(
                Code::UnresolvedVersion,
                format!("`{}` ({name}) has no version", path.0),
            )
            .line = line;
            c = c.with_note(why);
        }
        comp_of[i] = Some(comps.add(out, c));
    }

    // Resolves a dependency of the package at `from`, following links.
    let resolve = |from: &str, dep: &str| -> Option<usize> {
        let i = node_resolve(&index, from, dep)?;
        if kinds[i] == Kind::Link {
            let target = packages[i].1.resolved.as_deref()?;
            return index.get(target).copied();
        }
        Some(i)
    };

    for (i, (path, p)) in packages.iter().enumerate() {
        match kinds[i] {
            Kind::Root | Kind::Local => {
                let names = p
                    .dependencies
                    .0
                    .iter()
                    .chain(&p.dev_dependencies.0)
                    .chain(&p.optional_dependencies.0)
                    .chain(&p.peer_dependencies.0);
                for dep in names {
                    if let Some(c) = resolve(&path.0, dep).and_then(|j| comp_of[j]) {
                        out.components[c as usize].relation = Relation::Direct;
                    }
                }
            }
            Kind::Installed => {
                let Some(from) = comp_of[i] else { continue };
                let names = p
                    .dependencies
                    .0
                    .iter()
                    .chain(&p.optional_dependencies.0)
                    .chain(&p.peer_dependencies.0);
                for dep in names {
                    if let Some(to) = resolve(&path.0, dep).and_then(|j| comp_of[j]) {
                        comps.edge(out, from, to);
                    }
                }
            }
            Kind::Link => {}
        }
    }
}

/// The package name of an install path: what follows the last `node_modules/`.
fn name_from_path(path: &str) -> &str {
    match path.rfind("node_modules/") {
        Some(i) => &path[i + "node_modules/".len()..],
        None => path,
    }
}

/// Node's module resolution on install paths: `<from>/node_modules/<dep>`,
/// then the same from each enclosing package, up to the root.
fn node_resolve(index: &HashMap<&str, usize>, from: &str, dep: &str) -> Option<usize> {
    let mut base = from;
    let mut buf = String::with_capacity(from.len() + dep.len() + 14);
    loop {
        buf.clear();
        if !base.is_empty() {
            buf.push_str(base);
            buf.push('/');
        }
        buf.push_str("node_modules/");
        buf.push_str(dep);
        if let Some(&i) = index.get(buf.as_str()) {
            return Some(i);
        }
        if base.is_empty() {
            return None;
        }
        base = match base.rfind("/node_modules/") {
            Some(p) => &base[..p],
            None => "",
        };
    }
}

/// The scope of npm's `dev` / `optional` / `devOptional` flags. An optional
/// dependency of a dev dependency has both `dev` and `optional`: dev.
fn npm_scope(dev: bool, optional: bool, dev_optional: bool) -> Scope {
    if dev {
        Scope::Dev
    } else if optional || dev_optional {
        Scope::Optional
    } else {
        Scope::Runtime
    }
}

pub(super) const PEER_NOTE: &str = "installed as a peer dependency";

// ---------------------------------------------------------------------------
// Version 1: the nested `dependencies` tree.

struct V1Node<'d, 'a> {
    /// Node id of the parent (0 is the project; node `i` has id `i + 1`).
    parent: usize,
    key: &'d Cow<'a, str>,
    dep: &'d V1Dep<'a>,
    comp: Option<u32>,
}

type V1List<'d, 'a> = &'d [(JsStr<'a>, V1Dep<'a>)];

fn read_v1(
    text: &str,
    top: Option<Vec<(JsStr<'_>, V1Dep<'_>)>>,
    direct: Option<HashSet<String>>,
    out: &mut Output,
) {
    let Some(top) = &top else {
        return;
    };
    // Flatten the tree in document order (pre-order), without recursion.
    let mut nodes: Vec<V1Node> = Vec::new();
    let mut children: HashMap<(usize, &str), usize> = HashMap::default();
    let mut stack: Vec<(usize, V1List, usize)> = vec![(0, top.as_slice(), 1)];
    let mut too_deep = false;
    while let Some((parent, list, depth)) = stack.pop() {
        let Some(((key, dep), rest)) = list.split_first() else {
            continue;
        };
        stack.push((parent, rest, depth));
        nodes.push(V1Node {
            parent,
            key: &key.0,
            dep,
            comp: None,
        });
        let id = nodes.len();
        children.entry((parent, key.0.as_ref())).or_insert(id);
        if let Some(sub) = &dep.dependencies {
            if depth >= MAX_DEPTH {
                too_deep = true;
            } else {
                stack.push((id, &sub.0, depth + 1));
            }
        }
    }
    if too_deep {
        out.warning(
            Code::TooDeep,
            format!("dependencies nested deeper than {MAX_DEPTH} levels were not read"),
        );
    }

    let mut lines = KeyLines::new(text);
    let mut comps = Components::default();
    for node in nodes.iter_mut() {
        let line = lines.find(node.key, b'{');
        let key: &str = node.key;
        let dep = node.dep;
        let raw = dep.version.as_deref().unwrap_or("");
        // The real name: an alias's target, or the `from` spec's name.
        let from_name = dep
            .from
            .as_deref()
            .and_then(|f| split_name(f).map(|(n, _)| n))
            .filter(|n| !n.is_empty());
        let (name, version, note): (&str, Option<&str>, Option<String>) =
            if let Some(alias) = raw.strip_prefix("npm:") {
                match split_name(alias) {
                    Some((n, v)) => (n, Some(v), None),
                    None => (key, None, Some(format!("unreadable alias `{raw}`"))),
                }
            } else if let Some(path) = raw.strip_prefix("file:") {
                if !is_tarball_path(path) {
                    continue; // a local folder: part of the project
                }
                (
                    from_name.unwrap_or(key),
                    None,
                    Some(format!("local tarball {path}")),
                )
            } else if raw.is_empty() {
                (key, None, None)
            } else if is_plain_version(raw) {
                (key, Some(raw), None)
            } else {
                (from_name.unwrap_or(key), None, source_note(raw))
            };
        let relation = match &direct {
            Some(names) if node.parent == 0 && names.contains(key) => Relation::Direct,
            Some(_) => Relation::Transitive,
            None => Relation::Unknown,
        };
        let mut c = Component::new(Ecosystem::Npm, name, version)
            .with_line(line)
            .with_relation(relation)
            .with_scope(npm_scope(dep.dev, dep.optional, false));
        if version.is_none() {
            let why = note.unwrap_or_else(|| "no version in the lockfile".to_owned());
            out.warning(Code::UnresolvedVersion, format!("`{key}`: {why}"))
                .line = line;
            c = c.with_note(why);
        } else if let Some(n) = dep.resolved.as_deref().and_then(source_note) {
            c = c.with_note(n);
        }
        node.comp = Some(comps.add(out, c));
    }
    // `requires` edges, resolved from the node upwards.
    for (i, node) in nodes.iter().enumerate() {
        let Some(from) = node.comp else { continue };
        for dep in &node.dep.requires.0 {
            let mut cur = i + 1;
            let target = loop {
                if let Some(&t) = children.get(&(cur, dep.as_ref())) {
                    break Some(t);
                }
                if cur == 0 {
                    break None;
                }
                cur = nodes.get(cur - 1).map_or(0, |n| n.parent);
            };
            let to = target
                .and_then(|t| t.checked_sub(1))
                .and_then(|t| nodes.get(t))
                .and_then(|n| n.comp);
            if let Some(to) = to {
                comps.edge(out, from, to);
            }
        }
    }
}

/// `name@spec` split at the `@` that ends the (possibly scoped) name.
pub(super) fn split_name(spec: &str) -> Option<(&str, &str)> {
    let at = spec.get(1..)?.find('@')? + 1;
    Some((&spec[..at], &spec[at + 1..]))
}

/// A registry version, as opposed to a URL, path or git spec.
pub(super) fn is_plain_version(v: &str) -> bool {
    !v.is_empty() && !v.contains([':', '/', '#', ' '])
}

pub(super) fn is_tarball_path(path: &str) -> bool {
    let p = before_query(path);
    p.ends_with(".tgz") || p.ends_with(".tar.gz") || p.ends_with(".tar")
}

/// What comes before the first `#` or `?`.
fn before_query(s: &str) -> &str {
    match s.bytes().position(|b| b == b'#' || b == b'?') {
        Some(i) => &s[..i],
        None => s,
    }
}

/// A note on where a package came from, when it is not a registry: git,
/// tarball URL or local file. Credentials in URLs are removed.
pub(super) fn source_note(resolved: &str) -> Option<String> {
    let r = resolved.trim();
    if r.is_empty() {
        return None;
    }
    let web = r.starts_with("http://") || r.starts_with("https://");
    // A registry tarball (most entries), before any other work.
    if web {
        let path = before_query(r);
        if path.as_bytes().windows(3).any(|w| w == b"/-/") && is_tarball_path(path) {
            return None;
        }
    }
    let safe = redact_url(r);
    let git_prefix = [
        "git+",
        "git:",
        "git@",
        "github:",
        "gitlab:",
        "bitbucket:",
        "gist:",
        "ssh://",
    ];
    if git_prefix.iter().any(|p| r.starts_with(p)) {
        return Some(format!("from git {safe}"));
    }
    if let Some(path) = r.strip_prefix("file:") {
        return Some(format!("from local file {path}"));
    }
    if web {
        let path = before_query(r);
        let host = path
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .map(|h| h.rsplit('@').next().unwrap_or(h))
            .unwrap_or("");
        let git_hosts = [
            "github.com",
            "gitlab.com",
            "bitbucket.org",
            "codeload.github.com",
        ];
        if path.ends_with(".git") || git_hosts.contains(&host) {
            return Some(format!("from git {safe}"));
        }
        return Some(format!("from tarball {safe}"));
    }
    Some(format!("from {safe}"))
}

/// Drops the user information of a URL (`https://token@host` ->
/// `https://host`), except the conventional `git@`.
pub(super) fn redact_url(url: &str) -> Cow<'_, str> {
    let Some(scheme_end) = url.find("://") else {
        return Cow::Borrowed(url);
    };
    let rest = &url[scheme_end + 3..];
    let authority_end = rest.find(['/', '#', '?']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) if &rest[..at] != "git" => {
            Cow::Owned(format!("{}{}", &url[..scheme_end + 3], &rest[at + 1..]))
        }
        _ => Cow::Borrowed(url),
    }
}

// ---------------------------------------------------------------------------
// Helpers shared by the JavaScript readers.

/// JSON parsing that tells a syntax error (`invalid-syntax`) from a file of
/// the wrong shape (`unexpected-content`), with the line. The top level must
/// be an object (serde would read a struct from an array too).
pub(super) fn parse_json_checked<'a, T: Deserialize<'a>>(
    text: &'a str,
    out: &mut Output,
) -> Option<T> {
    let parsed = super::lenient::parse_json_lenient::<T>(text, out, |e, out| {
        let line = (e.line() > 0).then_some(e.line() as u32);
        let (code, what) = match e.classify() {
            serde_json::error::Category::Data => {
                (Code::UnexpectedContent, "not of the expected shape")
            }
            _ => (Code::InvalidSyntax, "not valid JSON"),
        };
        out.error(code, format!("{what}: {e}")).line = line;
    })?;
    if !text.trim_start().starts_with('{') {
        out.error(Code::UnexpectedContent, "the file is not a JSON object")
            .line = Some(1);
        return None;
    }
    Some(parsed)
}

/// A map read in document order.
pub(super) struct Ordered<K, V>(pub Vec<(K, V)>);

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Deserialize<'de> for Ordered<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<K, V>(PhantomData<(K, V)>);
        impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> Visitor<'de> for V_<K, V> {
            type Value = Ordered<K, V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
                while let Some(kv) = map.next_entry()? {
                    v.push(kv);
                }
                Ok(Ordered(v))
            }
            // YAML writes an empty map as nothing at all.
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Ordered(Vec::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Ordered(Vec::new()))
            }
        }
        d.deserialize_map(V_(PhantomData))
    }
}

/// A string that borrows from the input when it has no escapes (`Cow<str>`
/// only borrows as a direct `#[serde(borrow)]` field, not inside a map).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct JsStr<'a>(pub Cow<'a, str>);

impl AsRef<str> for JsStr<'_> {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for JsStr<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V_<'a> {
            type Value = JsStr<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(JsStr(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(JsStr(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(JsStr(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V_(PhantomData))
    }
}

/// The keys of a `name -> range` map (values ignored). Anything that is not
/// a map (`"requires": true` in old files) reads as no keys.
#[derive(Default)]
pub(super) struct Keys<'a>(pub Vec<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Keys<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V_<'a> {
            type Value = Keys<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map of dependencies")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some((k, IgnoredAny)) = map.next_entry::<JsStr, IgnoredAny>()? {
                    v.push(k.0);
                }
                Ok(Keys(v))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Keys(Vec::new()))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Keys(Vec::new()))
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Keys(Vec::new()))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Keys(Vec::new()))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Keys(Vec::new()))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Keys(Vec::new()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Keys(Vec::new()))
            }
        }
        d.deserialize_any(V_(PhantomData))
    }
}

/// A `license` field: an SPDX string, or the old `{ "type": ... }` object.
/// Anything else reads as no licence.
#[derive(Default)]
pub(super) struct Licence<'a>(pub Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for Licence<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V_<'a> {
            type Value = Licence<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a licence")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Licence(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Licence(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut found = None;
                while let Some(k) = map.next_key::<JsStr>()? {
                    if k.0 == "type" {
                        found = map.next_value::<Licence>()?.0;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(Licence(found))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Licence(None))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Licence(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Licence(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Licence(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Licence(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Licence(None))
            }
        }
        d.deserialize_any(V_(PhantomData))
    }
}

/// Finds the lines of JSON object keys, visited in document order, in one
/// forward pass over the text. Keys that were unescaped by the parser are
/// not looked for; after one key is not found, lines are no longer given
/// (so that hostile input cannot make the search quadratic).
pub(super) struct KeyLines<'t> {
    text: &'t str,
    /// Where the last key was found, and its line.
    pos: usize,
    line: u32,
    lost: bool,
    needle: String,
}

impl<'t> KeyLines<'t> {
    pub(super) fn new(text: &'t str) -> KeyLines<'t> {
        KeyLines {
            text,
            pos: 0,
            line: 1,
            lost: false,
            needle: String::new(),
        }
    }

    /// The line of the next `"key": <opener>` (opener `{` or `[`). Takes the
    /// `Cow` itself: only a borrowed key is verbatim in the text.
    #[allow(clippy::ptr_arg)]
    pub(super) fn find(&mut self, key: &Cow<'_, str>, opener: u8) -> Option<u32> {
        match key {
            Cow::Borrowed(k) => self.find_key(k, opener),
            Cow::Owned(_) => None,
        }
    }

    /// As [`KeyLines::find`], for a key known to be verbatim in the text.
    pub(super) fn find_key(&mut self, key: &str, opener: u8) -> Option<u32> {
        if self.lost || key.contains(['"', '\\']) {
            return None;
        }
        self.needle.clear();
        self.needle.push('"');
        self.needle.push_str(key);
        self.needle.push('"');
        let bytes = self.text.as_bytes();
        let mut from = self.pos;
        loop {
            let Some(found) = self.text.get(from..).and_then(|t| t.find(&self.needle)) else {
                self.lost = true;
                return None;
            };
            let start = from + found;
            let mut j = start + self.needle.len();
            let skip_ws = |j: &mut usize| {
                while bytes.get(*j).is_some_and(|b| b.is_ascii_whitespace()) {
                    *j += 1;
                }
            };
            skip_ws(&mut j);
            if bytes.get(j) == Some(&b':') {
                j += 1;
                skip_ws(&mut j);
                if bytes.get(j) == Some(&opener) {
                    self.line += bytes[self.pos..start]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count() as u32;
                    // Past the key (it has no newline), so it is not found twice.
                    self.pos = start + self.needle.len();
                    return Some(self.line);
                }
            }
            from = start + 1;
        }
    }
}

/// Components de-duplicated by name and version, and edges without repeats.
/// Unresolved components (no version) are told apart by their note (their
/// source): two git commits of one package stay two components.
#[derive(Default)]
pub(super) struct Components {
    /// Resolved components by the hash of their name and version (the key
    /// itself is the component's, in `out.components`: no copy of it).
    resolved: HashMap<u64, u32>,
    /// The rare keys whose hash was taken by another key.
    collided: HashMap<(String, String), u32>,
    /// Unresolved components by name and source.
    unresolved: HashMap<(String, Option<String>), u32>,
    hasher: crate::hash::FastState,
    edges: HashSet<(u32, u32)>,
}

/// Where a new key goes in [`Components`].
enum Slot {
    Resolved(u64),
    Collided((String, String)),
    Unresolved((String, Option<String>)),
}

impl Components {
    /// Adds a component, or merges it into the one of the same name and
    /// version: the widest scope wins, direct wins, the first line, licence
    /// and note are kept.
    pub(super) fn add(&mut self, out: &mut Output, c: Component) -> u32 {
        match self.lookup(out, &c) {
            Ok(i) => {
                if let Some(old) = out.components.get_mut(i as usize) {
                    merge(old, c);
                }
                i
            }
            Err(slot) => {
                let i = out.push(c);
                match slot {
                    Slot::Resolved(h) => self.resolved.insert(h, i),
                    Slot::Collided(key) => self.collided.insert(key, i),
                    Slot::Unresolved(key) => self.unresolved.insert(key, i),
                };
                i
            }
        }
    }

    /// The component already added with the key of `c`, or where to record
    /// `c`'s key.
    fn lookup(&self, out: &Output, c: &Component) -> Result<u32, Slot> {
        let Some(version) = c.version.as_deref() else {
            let key = (c.name.clone(), c.note.clone());
            return self
                .unresolved
                .get(&key)
                .copied()
                .ok_or(Slot::Unresolved(key));
        };
        let h = std::hash::BuildHasher::hash_one(&self.hasher, (c.name.as_str(), version));
        let Some(&i) = self.resolved.get(&h) else {
            return Err(Slot::Resolved(h));
        };
        let same = out
            .components
            .get(i as usize)
            .is_some_and(|o| o.name == c.name && o.version.as_deref() == Some(version));
        if same {
            return Ok(i);
        }
        let key = (c.name.clone(), version.to_owned());
        self.collided.get(&key).copied().ok_or(Slot::Collided(key))
    }

    pub(super) fn edge(&mut self, out: &mut Output, from: u32, to: u32) {
        if from != to && self.edges.insert((from, to)) {
            out.depend(from, to);
        }
    }
}

/// Scopes by reachability over the edges already recorded: what the
/// runtime roots reach is runtime, then what the optional roots reach is
/// optional, then what the dev roots reach is dev. Components reached from
/// no root keep their scope.
pub(super) fn scopes_by_reach(out: &mut Output, roots: &[(u32, Scope)]) {
    let n = out.components.len();
    let mut adj: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(a, b) in &out.dependencies {
        if let Some(v) = adj.get_mut(a as usize) {
            v.push(b);
        }
    }
    let mut mark: Vec<Option<Scope>> = vec![None; n];
    for scope in [Scope::Runtime, Scope::Optional, Scope::Dev] {
        let mut queue: Vec<u32> = roots.iter().filter(|r| r.1 == scope).map(|r| r.0).collect();
        while let Some(c) = queue.pop() {
            let Some(m) = mark.get_mut(c as usize) else {
                continue;
            };
            if m.is_some() {
                continue;
            }
            *m = Some(scope);
            if let Some(next) = adj.get(c as usize) {
                queue.extend(next.iter().copied());
            }
        }
    }
    for (c, m) in out.components.iter_mut().zip(mark) {
        if let Some(s) = m {
            c.scope = s;
        }
    }
}

/// Scopes from the widest (runtime) to the narrowest: the scope of a package declared or
/// installed several ways is the lowest rank.
pub(super) fn scope_rank(s: Scope) -> u8 {
    match s {
        Scope::Runtime => 0,
        Scope::Optional => 1,
        Scope::Build => 2,
        Scope::Dev => 3,
        Scope::Unknown => 4,
    }
}

fn merge(old: &mut Component, new: Component) {
    if scope_rank(new.scope) < scope_rank(old.scope) {
        old.scope = new.scope;
    }
    old.relation = match (old.relation, new.relation) {
        (Relation::Direct, _) | (_, Relation::Direct) => Relation::Direct,
        (Relation::Transitive, _) | (_, Relation::Transitive) => Relation::Transitive,
        _ => Relation::Unknown,
    };
    if old.licence.is_none() {
        old.licence = new.licence;
    }
    if old.line.is_none() {
        old.line = new.line;
    }
    // A copy that is not only a peer dependency makes the peer note wrong.
    let old_note = old.note.as_deref();
    if (old_note.is_none() || old_note == Some(PEER_NOTE)) && new.note.as_deref() != Some(PEER_NOTE)
    {
        old.note = new.note;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "package-lock.json", text, &MemorySource::new())
    }

    fn find<'o>(out: &'o Output, name: &str, version: Option<&str>) -> &'o Component {
        out.components
            .iter()
            .find(|c| c.name == name && c.version.as_deref() == version)
            .unwrap_or_else(|| panic!("{name} {version:?} not in {:#?}", out.components))
    }

    #[test]
    fn v3_paths_aliases_links_workspaces_and_flags() {
        let text = r#"{
  "name": "app",
  "lockfileVersion": 3,
  "packages": {
    "": {
      "name": "app",
      "workspaces": ["packages/*"],
      "dependencies": { "a": "^1", "cjs": "npm:string-width@^4" },
      "devDependencies": { "d": "^1" }
    },
    "node_modules/a": {
      "version": "1.0.0",
      "license": "MIT",
      "dependencies": { "b": "^2" }
    },
    "node_modules/a/node_modules/b": { "version": "2.0.0", "license": { "type": "ISC" } },
    "node_modules/b": { "version": "1.0.0", "dev": true },
    "node_modules/cjs": { "name": "string-width", "version": "4.2.3" },
    "node_modules/d": { "version": "1.0.0", "dev": true, "dependencies": { "b": "^1", "@s/p": "1" } },
    "node_modules/@s/p": { "version": "3.0.0", "devOptional": true, "peer": true },
    "node_modules/lib": { "resolved": "packages/lib", "link": true },
    "packages/lib": { "name": "lib", "version": "0.1.0", "dependencies": { "e": "1" } },
    "packages/lib/node_modules/e": { "version": "1.0.0", "optional": true },
    "node_modules/x/node_modules/a": { "version": "1.0.0", "dev": true }
  }
}"#;
        let out = read_text(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.project_name.as_deref(), Some("app"));
        // a@1.0.0 twice, lib is local: 7 components.
        assert_eq!(out.components.len(), 7, "{:#?}", out.components);
        let a = find(&out, "a", Some("1.0.0"));
        assert_eq!(
            (a.scope, a.relation, a.licence.as_deref(), a.line),
            (Scope::Runtime, Relation::Direct, Some("MIT"), Some(11))
        );
        let b2 = find(&out, "b", Some("2.0.0"));
        assert_eq!(
            (b2.relation, b2.licence.as_deref()),
            (Relation::Transitive, Some("ISC"))
        );
        assert_eq!(find(&out, "b", Some("1.0.0")).scope, Scope::Dev);
        let sw = find(&out, "string-width", Some("4.2.3"));
        assert_eq!(
            (sw.relation, sw.purl.as_str()),
            (Relation::Direct, "pkg:npm/string-width@4.2.3")
        );
        let d = find(&out, "d", Some("1.0.0"));
        assert_eq!((d.scope, d.relation), (Scope::Dev, Relation::Direct));
        let p = find(&out, "@s/p", Some("3.0.0"));
        assert_eq!(p.scope, Scope::Optional);
        assert_eq!(p.note.as_deref(), Some(PEER_NOTE));
        assert_eq!(p.purl, "pkg:npm/%40s/p@3.0.0");
        // A workspace member's dependency is direct.
        let e = find(&out, "e", Some("1.0.0"));
        assert_eq!((e.scope, e.relation), (Scope::Optional, Relation::Direct));
        // Edges: a -> b@2 (nested), d -> b@1 (hoisted), d -> @s/p.
        let idx = |n: &str, v: &str| {
            out.components
                .iter()
                .position(|c| c.name == n && c.version.as_deref() == Some(v))
                .unwrap() as u32
        };
        let mut edges = out.dependencies.clone();
        edges.sort();
        let mut want = vec![
            (idx("a", "1.0.0"), idx("b", "2.0.0")),
            (idx("d", "1.0.0"), idx("b", "1.0.0")),
            (idx("d", "1.0.0"), idx("@s/p", "3.0.0")),
        ];
        want.sort();
        assert_eq!(edges, want);
    }

    #[test]
    fn v2_git_tarball_and_missing_version() {
        let text = r#"{
  "lockfileVersion": 2,
  "packages": {
    "": { "dependencies": { "g": "github:o/g", "t": "https://example.com/t.tgz" } },
    "node_modules/g": { "version": "2.0.0", "resolved": "git+ssh://git@github.com/o/g.git#abc" },
    "node_modules/t": { "version": "1.0.0", "resolved": "https://token:secret@example.com/t.tgz" },
    "node_modules/r": { "version": "1.0.0", "resolved": "https://npm.corp/api/npm/r/-/r-1.0.0.tgz" },
    "node_modules/n": { "resolved": "https://example.com/n.tgz" }
  },
  "dependencies": { "ignored": { "version": "9.9.9" } }
}"#;
        let out = read_text(text);
        assert_eq!(out.components.len(), 4);
        assert_eq!(
            find(&out, "g", Some("2.0.0")).note.as_deref(),
            Some("from git git+ssh://git@github.com/o/g.git#abc")
        );
        assert_eq!(
            find(&out, "t", Some("1.0.0")).note.as_deref(),
            Some("from tarball https://example.com/t.tgz")
        );
        assert_eq!(find(&out, "r", Some("1.0.0")).note, None);
        let n = find(&out, "n", None);
        assert!(n.note.as_deref().unwrap().contains("no version"));
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
        assert_eq!(out.diagnostics[0].line, Some(8));
    }

    #[test]
    fn v1_tree_aliases_git_files_and_edges() {
        let text = r#"{
  "lockfileVersion": 1,
  "dependencies": {
    "a": {
      "version": "1.0.0",
      "requires": { "b": "^2", "c": "^1" },
      "dependencies": {
        "b": { "version": "2.0.0", "dev": true }
      }
    },
    "b": { "version": "1.0.0" },
    "c": { "version": "npm:@s/real@3.0.0", "optional": true },
    "g": { "version": "git+https://tok@github.com/o/g.git#abc", "from": "real-g@github:o/g" },
    "loc": { "version": "file:deps/loc", "dependencies": { "b": { "version": "1.0.0" } } },
    "tar": { "version": "file:deps/tar-1.0.0.tgz" }
  }
}"#;
        let out = read_text(text);
        // a, b@2, b@1 (twice), @s/real, real-g, tar: 6.
        assert_eq!(out.components.len(), 6, "{:#?}", out.components);
        let a = find(&out, "a", Some("1.0.0"));
        assert_eq!((a.line, a.relation), (Some(4), Relation::Unknown));
        assert_eq!(find(&out, "b", Some("2.0.0")).scope, Scope::Dev);
        assert_eq!(find(&out, "b", Some("1.0.0")).line, Some(11));
        assert_eq!(find(&out, "@s/real", Some("3.0.0")).scope, Scope::Optional);
        let g = find(&out, "real-g", None);
        assert_eq!(
            g.note.as_deref(),
            Some("from git git+https://github.com/o/g.git#abc")
        );
        assert!(
            find(&out, "tar", None)
                .note
                .as_deref()
                .unwrap()
                .contains("tar-1.0.0.tgz")
        );
        let unresolved: Vec<_> = out
            .diagnostics
            .iter()
            .filter(|d| d.code == "unresolved-version")
            .map(|d| d.line)
            .collect();
        assert_eq!(unresolved, [Some(13), Some(15)]);
        // a requires b (its own nested b@2) and c (hoisted alias).
        let idx = |n: &str| out.components.iter().position(|c| c.name == n).unwrap() as u32;
        assert_eq!(
            out.dependencies,
            [(idx("a"), 1), (idx("a"), idx("@s/real"))]
        );
        assert_eq!(out.components[1].version.as_deref(), Some("2.0.0"));
    }

    #[test]
    fn v1_direct_from_the_package_json_beside() {
        let text = r#"{"lockfileVersion":1,"dependencies":{
            "a":{"version":"1.0.0","requires":{"b":"1"}},"b":{"version":"1.0.0"}}}"#;
        let files = MemorySource::new().with("sub/package.json", r#"{"dependencies":{"a":"1"}}"#);
        let out = read_file_as(&READER, "sub/package-lock.json", text, &files);
        let rel: Vec<_> = out.components.iter().map(|c| c.relation).collect();
        assert_eq!(rel, [Relation::Direct, Relation::Transitive]);
    }

    #[test]
    fn bad_input_is_a_located_diagnostic() {
        let out = read_text("{\n  \"packages\": {\n    \"node_modules/a\": {\"version\": }\n");
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
        let out = read_text("[1, 2]");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_text(r#"{"packages": {"node_modules/a": {"version": "1", "dev": "yes"}}}"#);
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
    }

    #[test]
    fn hostile_nesting_is_bounded() {
        // Within serde_json's own nesting limit, but beyond ours.
        let nest = |n: usize| {
            let mut text = String::from(r#"{"lockfileVersion":1,"dependencies":"#);
            for _ in 0..n {
                text.push_str(r#"{"a":{"version":"1.0.0","dependencies":"#);
            }
            text.push_str("{}");
            for _ in 0..n {
                text.push_str("}}");
            }
            text.push('}');
            read_text(&text)
        };
        let out = nest(55);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        assert_eq!(out.diagnostics[0].code, "too-deep");
        // Beyond serde_json's limit: a clean error.
        let out = nest(500);
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    }

    #[test]
    fn helpers() {
        assert_eq!(split_name("@s/n@1.0.0"), Some(("@s/n", "1.0.0")));
        assert_eq!(split_name("n@npm:x@1"), Some(("n", "npm:x@1")));
        assert_eq!(split_name("n"), None);
        assert_eq!(redact_url("https://a:b@h/x"), "https://h/x");
        assert_eq!(redact_url("git+ssh://git@h/x"), "git+ssh://git@h/x");
        assert_eq!(redact_url("https://h/x@1"), "https://h/x@1");
        assert!(is_plain_version("1.0.0-beta.1+build"));
        assert!(!is_plain_version("github:o/r"));
    }
}
