//! `bun.lock`, bun's text lockfile (JSONC: comments and trailing commas).
//!
//! A tolerant pre-pass blanks comments and trailing commas outside strings
//! (keeping every byte offset, so lines stay right), then serde reads it.
//! `workspaces` maps each workspace folder (`""` is the root) to its name
//! and dependency groups. `packages` maps an install key (`name`, or
//! `parent/name` for a copy nested under a package or a workspace) to an
//! array whose first item is `name@version` (the real name, whatever the
//! key: aliases), then for registry packages the registry, an info object
//! (`dependencies`, `optionalDependencies`, `peerDependencies`, ...) and the
//! integrity. `workspace:`, `link:`, `root:` and `file:` folder packages are
//! the project; git, GitHub and tarball packages carry no version and are
//! kept unresolved with a note.
//!
//! Direct dependencies are the workspaces'; edges are found like Node's
//! resolution (`key/dep`, then up the key). Scopes come from reachability
//! from the workspaces' dependency groups. The same name and version is one
//! component.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::lenient::{Lenient, keep_map};
use super::package_lock::{
    Components, JsStr, KeyLines, Keys, Ordered, is_tarball_path, parse_json_checked,
    scopes_by_reach, source_note, split_name,
};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "bun-lock",
    description: "bun.lock (bun's text lockfile)",
    ecosystem: Some(Ecosystem::Npm),
    matches: |name| name == "bun.lock",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow)]
    workspaces: Option<Ordered<JsStr<'a>, Workspace<'a>>>,
    #[serde(borrow)]
    packages: Option<Ordered<JsStr<'a>, Lenient<'a, Entry<'a>>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Workspace<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    dependencies: Keys<'a>,
    #[serde(borrow, default)]
    dev_dependencies: Keys<'a>,
    #[serde(borrow, default)]
    optional_dependencies: Keys<'a>,
    #[serde(borrow, default)]
    peer_dependencies: Keys<'a>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Info<'a> {
    #[serde(borrow, default)]
    dependencies: Keys<'a>,
    #[serde(borrow, default)]
    optional_dependencies: Keys<'a>,
    #[serde(borrow, default)]
    peer_dependencies: Keys<'a>,
}

/// One `packages` array: `[ident, ...strings, info?, ...strings]`.
struct Entry<'a> {
    ident: Option<Cow<'a, str>>,
    info: Info<'a>,
}

impl<'de: 'a, 'a> Deserialize<'de> for Entry<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V_<'a> {
            type Value = Entry<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a package array")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Entry<'a>, A::Error> {
                let ident = seq.next_element::<Item>()?.and_then(|i| match i {
                    Item::Str(s) => Some(s),
                    _ => None,
                });
                let mut info = Info::default();
                while let Some(item) = seq.next_element::<Item>()? {
                    if let Item::Info(i) = item {
                        info = i;
                    }
                }
                Ok(Entry { ident, info })
            }
        }
        d.deserialize_seq(V_(PhantomData))
    }
}

/// An item of a package array: a string, the info object, or anything else.
enum Item<'a> {
    Str(Cow<'a, str>),
    Info(Info<'a>),
    Other,
}

impl<'de: 'a, 'a> Deserialize<'de> for Item<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V_<'a> {
            type Value = Item<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an object")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Item<'a>, E> {
                Ok(Item::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Item<'a>, E> {
                Ok(Item::Str(Cow::Owned(v.to_owned())))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Item<'a>, A::Error> {
                Info::deserialize(de::value::MapAccessDeserializer::new(map)).map(Item::Info)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Item<'a>, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Item::Other)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Item<'a>, E> {
                Ok(Item::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Item<'a>, E> {
                Ok(Item::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Item<'a>, E> {
                Ok(Item::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Item<'a>, E> {
                Ok(Item::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Item<'a>, E> {
                Ok(Item::Other)
            }
        }
        d.deserialize_any(V_(PhantomData))
    }
}

fn read(input: &Input<'_>, out: &mut Output) {
    let text = strip_jsonc(input.text);
    let Some(lock) = parse_json_checked::<Lock>(&text, out) else {
        return;
    };
    let workspaces = lock.workspaces.map(|w| w.0).unwrap_or_default();
    let packages = keep_map(
        &text,
        "packages",
        lock.packages.map(|p| p.0).unwrap_or_default(),
        out,
    );
    if let Some((_, root)) = workspaces.iter().find(|(k, _)| k.0.is_empty())
        && let Some(name) = root.name.as_deref().filter(|n| !n.is_empty())
    {
        out.project_name = Some(name.to_owned());
    }

    let index: HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, (k, _))| (k.0.as_ref(), i))
        .collect();
    let mut lines = KeyLines::new(&text);
    let mut comps = Components::default();
    let mut comp_of: Vec<Option<u32>> = vec![None; packages.len()];
    for (i, (key, entry)) in packages.iter().enumerate() {
        let line = lines.find(&key.0, b'[');
        let Some(ident) = entry.ident.as_deref() else {
            out.warning(
                Code::UnexpectedContent,
                format!("the package `{}` has no `name@version`", key.0),
            )
            .line = line;
            continue;
        };
        let Some((name, reference)) = split_name(ident) else {
            out.warning(
                Code::UnexpectedContent,
                format!("cannot read `{ident}` as `name@version`"),
            )
            .line = line;
            continue;
        };
        // An alias written `alias@npm:real@1.0.0`.
        let (name, reference) = match reference.strip_prefix("npm:").and_then(split_name) {
            Some(real) => real,
            None => (name, reference),
        };
        let protocol = reference.split_once(':').map(|(p, _)| p);
        let (version, note) = match protocol {
            None => (Some(reference), None),
            Some("workspace" | "link" | "root" | "portal") => continue,
            Some("file") => {
                let path = &reference["file:".len()..];
                if !is_tarball_path(path) {
                    continue; // a local folder: part of the project
                }
                (None, Some(format!("from local file {path}")))
            }
            Some(_) => (None, source_note(reference)),
        };
        let mut c = Component::new(Ecosystem::Npm, name, version).with_line(line);
        if version.is_none() {
            let why = match note {
                Some(n) => format!("no version in the lockfile ({n})"),
                None => "no version in the lockfile".to_owned(),
            };
            out.warning(
                Code::UnresolvedVersion,
                format!("`{}` ({ident}) has no version", key.0),
            )
            .line = line;
            c = c.with_note(why);
        }
        comp_of[i] = Some(comps.add(out, c));
    }

    // Edges, resolved from the package's key upwards.
    for (i, (key, entry)) in packages.iter().enumerate() {
        let Some(from) = comp_of[i] else { continue };
        let info = &entry.info;
        let deps = info
            .dependencies
            .0
            .iter()
            .chain(&info.optional_dependencies.0)
            .chain(&info.peer_dependencies.0);
        for dep in deps {
            if let Some(to) = resolve(&index, Some(&key.0), dep).and_then(|j| comp_of[j]) {
                comps.edge(out, from, to);
            }
        }
    }

    // Workspaces: direct dependencies, and the roots of the scopes. A
    // workspace's own copies are nested under its package name.
    if workspaces.is_empty() {
        return;
    }
    for c in &mut out.components {
        c.relation = Relation::Transitive;
    }
    let mut roots: Vec<(u32, Scope)> = Vec::new();
    for (path, ws) in &workspaces {
        let base = match ws.name.as_deref() {
            Some(n) if !path.0.is_empty() => Some(n),
            _ => None,
        };
        let groups = [
            (&ws.dependencies, Scope::Runtime),
            (&ws.peer_dependencies, Scope::Runtime),
            (&ws.optional_dependencies, Scope::Optional),
            (&ws.dev_dependencies, Scope::Dev),
        ];
        for (keys, scope) in groups {
            for dep in &keys.0 {
                if let Some(c) = resolve(&index, base, dep).and_then(|j| comp_of[j]) {
                    roots.push((c, scope));
                    if let Some(comp) = out.components.get_mut(c as usize) {
                        comp.relation = Relation::Direct;
                    }
                }
            }
        }
    }
    scopes_by_reach(out, &roots);
}

/// The package a dependency `dep` of the package at `from` resolves to:
/// `from/dep`, then the same from each enclosing key, then `dep` hoisted.
fn resolve(index: &HashMap<&str, usize>, from: Option<&str>, dep: &str) -> Option<usize> {
    let mut base = from;
    let mut buf = String::new();
    while let Some(b) = base {
        buf.clear();
        buf.push_str(b);
        buf.push('/');
        buf.push_str(dep);
        if let Some(&i) = index.get(buf.as_str()) {
            return Some(i);
        }
        base = parent_key(b);
    }
    index.get(dep).copied()
}

/// `a/@s/b/c` -> `a/@s/b`; `a` -> `None`. Package names are one segment, or
/// two for a scope (`@s/b`).
fn parent_key(key: &str) -> Option<&str> {
    let last = key.rfind('/')?;
    let before = &key[..last];
    let start = before.rfind('/').map_or(0, |i| i + 1);
    let cut = if before[start..].starts_with('@') {
        start.checked_sub(1)?
    } else {
        last
    };
    Some(&key[..cut])
}

/// Blanks JSONC comments and trailing commas outside strings, keeping every
/// byte offset (and so every line) of the input.
fn strip_jsonc(text: &str) -> String {
    let mut b = text.as_bytes().to_vec();
    let n = b.len();
    // Comments.
    let mut i = 0;
    let mut in_str = false;
    while i < n {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_str = false;
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        match (c, b.get(i + 1)) {
            (b'"', _) => {
                in_str = true;
                i += 1;
            }
            (b'/', Some(b'/')) => {
                while i < n && b[i] != b'\n' {
                    b[i] = b' ';
                    i += 1;
                }
            }
            (b'/', Some(b'*')) => {
                let mut closed = false;
                while i < n {
                    if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        b[i] = b' ';
                        b[i + 1] = b' ';
                        i += 2;
                        closed = true;
                        break;
                    }
                    if b[i] != b'\n' {
                        b[i] = b' ';
                    }
                    i += 1;
                }
                if !closed {
                    break;
                }
            }
            _ => i += 1,
        }
    }
    // Trailing commas: a comma followed by blanks and a closing bracket.
    let mut i = 0;
    in_str = false;
    while i < n {
        let c = b[i];
        if in_str {
            match c {
                b'\\' => i += 2,
                b'"' => {
                    in_str = false;
                    i += 1;
                }
                _ => i += 1,
            }
            continue;
        }
        if c == b'"' {
            in_str = true;
        } else if c == b',' {
            let mut j = i + 1;
            while j < n && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if j < n && (b[j] == b'}' || b[j] == b']') {
                b[i] = b' ';
            }
        }
        i += 1;
    }
    // Only ASCII bytes outside strings (and whole comments) were replaced
    // by spaces, so the text is still UTF-8.
    String::from_utf8(b).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "bun.lock", text, &MemorySource::new())
    }

    #[test]
    fn jsonc_is_blanked_in_place() {
        let text = "{\n  // a \"comment\", with a comma,\n  \"a\": [1, 2,], /* é, */\n  \"b\": \"x // not a comment, ]\",\n}";
        let clean = strip_jsonc(text);
        assert_eq!(clean.len(), text.len());
        assert_eq!(clean.lines().count(), text.lines().count());
        let v: serde_json::Value = serde_json::from_str(&clean).unwrap();
        assert_eq!(v["a"], serde_json::json!([1, 2]));
        assert_eq!(v["b"], "x // not a comment, ]");
        // Unterminated comment or string: no panic.
        strip_jsonc("{ /* open");
        strip_jsonc("{ \"open\\");
    }

    #[test]
    fn parent_keys() {
        assert_eq!(parent_key("a"), None);
        assert_eq!(parent_key("@s/a"), None);
        assert_eq!(parent_key("a/b"), Some("a"));
        assert_eq!(parent_key("@s/a/b"), Some("@s/a"));
        assert_eq!(parent_key("a/@s/b"), Some("a"));
        assert_eq!(parent_key("@s/a/@t/b/c"), Some("@s/a/@t/b"));
    }

    #[test]
    fn packages_workspaces_aliases_and_nesting() {
        let text = r#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": { "a": "^1", "alias": "npm:b@^2", "ws": "workspace:*" },
      "devDependencies": { "g": "github:o/g" },
    },
    "packages/ws": {
      "name": "ws",
      "dependencies": { "c": "^2" },
    },
  },
  "packages": {
    "a": ["a@1.0.0", "", { "dependencies": { "c": "^1" } }, "sha512-x"],
    "alias": ["b@2.0.0", "", {}, "sha512-x"],
    "c": ["c@1.0.0", "", {}, "sha512-x"],
    "g": ["g@github:o/g#abc", {}, "o-g-abc"],
    "ws": ["ws@workspace:packages/ws"],
    "ws/c": ["c@2.0.0", "", { "optionalDependencies": { "d": "1" } }, "sha512-x"],
    "d": ["d@1.0.0", "", {}, "sha512-x"],
    "t": ["t@https://example.com/t-1.0.0.tgz", {}],
    "odd": [42],
  },
}
"#;
        let out = read_text(text);
        assert_eq!(out.project_name.as_deref(), Some("app"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.scope,
                    c.relation,
                    c.line,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "a",
                    Some("1.0.0"),
                    Scope::Runtime,
                    Relation::Direct,
                    Some(15)
                ),
                (
                    "b",
                    Some("2.0.0"),
                    Scope::Runtime,
                    Relation::Direct,
                    Some(16)
                ),
                (
                    "c",
                    Some("1.0.0"),
                    Scope::Runtime,
                    Relation::Transitive,
                    Some(17)
                ),
                ("g", None, Scope::Dev, Relation::Direct, Some(18)),
                (
                    "c",
                    Some("2.0.0"),
                    Scope::Runtime,
                    Relation::Direct,
                    Some(20)
                ),
                (
                    "d",
                    Some("1.0.0"),
                    Scope::Runtime,
                    Relation::Transitive,
                    Some(21)
                ),
                ("t", None, Scope::Runtime, Relation::Transitive, Some(22)),
            ]
        );
        assert_eq!(
            out.components[3].note.as_deref(),
            Some("no version in the lockfile (from git github:o/g#abc)")
        );
        assert_eq!(out.dependencies, [(0, 2), (4, 5)]);
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [
                ("unresolved-version", Some(18)),
                ("unresolved-version", Some(22)),
                ("unexpected-content", Some(23)),
            ]
        );
    }

    #[test]
    fn bad_files_are_diagnostics() {
        let out = read_text("{\n  \"packages\": {\n    \"a\": [\"a@1.0.0\" \"\"],\n  },\n}");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
        let out = read_text("{\"packages\": {\"a\": {\"not\": \"an array\"}}}");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_text("");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    }
}
