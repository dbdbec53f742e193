//! `pnpm-lock.yaml`, lockfile versions 5.x, 6 and 9.
//!
//! Every entry of `packages` is a package, keyed by a dependency path:
//! `/name/1.2.3` and `/@scope/name/1.2.3_peer@1` in 5.x (`registry.host/...`
//! for other registries), `/name@1.2.3(peer@1)` in 6, `name@1.2.3` in 9,
//! where the peer-resolved copies and their edges move to `snapshots`.
//! Non-registry packages carry `name` and `version` fields and a
//! `resolution` with a `tarball` or a git `repo` and `commit` (kept with a
//! note) or a `directory` (a local folder: the project, not a component).
//!
//! Direct dependencies are those of `importers` (workspaces, and every 9
//! file) or of the root `dependencies` / `devDependencies` /
//! `optionalDependencies` (5.x and 6 without workspaces). Scopes come from
//! the `dev` and `optional` flags up to 6; version 9 has none, so they are
//! found by reachability from the importers' dependency groups, with the
//! snapshots' `optional` flag. The same name and version is one component.

use std::collections::{HashMap, HashSet};
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;
use vigie_model::{Component, Ecosystem, Relation, Scope};

use super::package_lock::{
    Components, Ordered, is_plain_version, is_tarball_path, scopes_by_reach, source_note,
    split_name,
};
use super::util::parse_yaml;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "pnpm-lock",
    description: "pnpm-lock.yaml (lockfile v5.x, v6, v9)",
    ecosystem: Some(Ecosystem::Npm),
    matches: |name| name == "pnpm-lock.yaml",
    sniff: None,
    read,
};

type Deps = Option<Ordered<String, DepRef>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock {
    lockfile_version: Option<String>,
    importers: Option<Ordered<String, Option<Importer>>>,
    dependencies: Deps,
    dev_dependencies: Deps,
    optional_dependencies: Deps,
    packages: Option<Ordered<Spanned<String>, Option<Package>>>,
    snapshots: Option<Ordered<Spanned<String>, Option<Snapshot>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Importer {
    dependencies: Deps,
    dev_dependencies: Deps,
    optional_dependencies: Deps,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Package {
    resolution: Option<Resolution>,
    name: Option<String>,
    version: Option<String>,
    dev: Option<bool>,
    optional: Option<bool>,
    dependencies: Option<Ordered<String, String>>,
    optional_dependencies: Option<Ordered<String, String>>,
}

#[derive(Deserialize)]
struct Resolution {
    tarball: Option<String>,
    commit: Option<String>,
    repo: Option<String>,
    directory: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Snapshot {
    optional: Option<bool>,
    dependencies: Option<Ordered<String, String>>,
    optional_dependencies: Option<Ordered<String, String>>,
}

/// An importer's dependency: the resolved reference (`1.2.3`, `1.2.3_peer`,
/// `link:../x`, `/alias/1.0.0`), written alone (5.x) or as the `version` of a
/// `{specifier, version}` map (6 and 9).
struct DepRef(Option<String>);

impl<'de> Deserialize<'de> for DepRef {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V_;
        impl<'de> Visitor<'de> for V_ {
            type Value = DepRef;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a version or a {specifier, version} map")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DepRef, E> {
                Ok(DepRef(Some(v.to_owned())))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<DepRef, E> {
                Ok(DepRef(Some(v.to_string())))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<DepRef, E> {
                Ok(DepRef(Some(v.to_string())))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<DepRef, E> {
                Ok(DepRef(Some(v.to_string())))
            }
            fn visit_unit<E: de::Error>(self) -> Result<DepRef, E> {
                Ok(DepRef(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DepRef, A::Error> {
                let mut version = None;
                while let Some(k) = map.next_key::<String>()? {
                    if k == "version" {
                        version = map.next_value::<Option<String>>()?;
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(DepRef(version))
            }
        }
        d.deserialize_any(V_)
    }
}

/// How dependency paths are spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// 5.x: `/name/1.2.3_peer`.
    Slash,
    /// 6 and 9: `/name@1.2.3(peer)` and `name@1.2.3(peer)`.
    At,
}

const PATCH_NOTE: &str = "patched (pnpm patchedDependencies)";

fn read(input: &Input<'_>, out: &mut Output) {
    let Some(lock) = parse_yaml::<Option<Lock>>(input, out) else {
        return;
    };
    let Some(lock) = lock else {
        return; // an empty document
    };
    let major: Option<u32> = lock
        .lockfile_version
        .as_deref()
        .and_then(|v| v.trim_matches(['\'', '"']).split('.').next()?.parse().ok());
    let style = match major {
        Some(m) if m < 6 => Style::Slash,
        _ => Style::At,
    };
    let v9 = lock.snapshots.is_some() || major.is_some_and(|m| m >= 9);

    let mut comps = Components::default();
    // Every dependency path (package and snapshot keys) to its component.
    let mut by_key: HashMap<String, u32> = HashMap::new();
    // Components whose every snapshot is `optional: true`.
    let mut optional_only: HashMap<u32, bool> = HashMap::new();
    let packages = lock.packages.map(|p| p.0).unwrap_or_default();
    let seen: HashSet<&str> = packages.iter().map(|(k, _)| k.value.as_str()).collect();
    for (key, pkg) in &packages {
        let line = u32::try_from(key.referenced.line()).ok().filter(|&l| l > 0);
        let Some(c) = package_component(&key.value, pkg.as_ref(), style, line, out) else {
            continue;
        };
        let i = comps.add(out, c);
        by_key.insert(key.value.clone(), i);
    }
    let snapshots = lock.snapshots.map(|s| s.0).unwrap_or_default();
    for (key, snap) in &snapshots {
        let base = key.value.split('(').next().unwrap_or(&key.value);
        let i = match by_key.get(base) {
            Some(&i) => i,
            // A local folder, or a package that names nothing (warned).
            None if seen.contains(base) => continue,
            None if base.contains("@file:") || base.contains("@link:") => continue,
            None => {
                // A snapshot without its package entry: read its key.
                let line = u32::try_from(key.referenced.line()).ok().filter(|&l| l > 0);
                match package_component(&key.value, None, style, line, out) {
                    Some(c) => comps.add(out, c),
                    None => continue,
                }
            }
        };
        if key.value.contains("patch_hash=")
            && let Some(c) = out.components.get_mut(i as usize)
            && c.note.is_none()
        {
            c.note = Some(PATCH_NOTE.to_owned());
        }
        let optional = snap.as_ref().and_then(|s| s.optional).unwrap_or(false);
        let entry = optional_only.entry(i).or_insert(true);
        *entry &= optional;
        by_key.insert(key.value.clone(), i);
    }

    let find = |name: &str, reference: &str| -> Option<u32> {
        if reference.starts_with("link:") {
            return None;
        }
        let candidates = match style {
            Style::Slash => [
                format!("/{name}/{reference}"),
                reference.to_owned(),
                format!("/{reference}"),
            ],
            Style::At if v9 => [
                format!("{name}@{reference}"),
                reference.to_owned(),
                format!("/{name}@{reference}"),
            ],
            Style::At => [
                format!("/{name}@{reference}"),
                reference.to_owned(),
                format!("/{reference}"),
            ],
        };
        candidates
            .iter()
            .find_map(|k| by_key.get(k.as_str()).copied())
    };

    // Edges: from the snapshots (9), else from the packages.
    type Lists<'l> = [Option<&'l Ordered<String, String>>; 2];
    let edge_lists: Vec<(&str, Lists)> = if v9 {
        snapshots
            .iter()
            .filter_map(|(k, s)| {
                let s = s.as_ref()?;
                let lists = [s.dependencies.as_ref(), s.optional_dependencies.as_ref()];
                Some((k.value.as_str(), lists))
            })
            .collect()
    } else {
        packages
            .iter()
            .filter_map(|(k, p)| {
                let p = p.as_ref()?;
                let lists = [p.dependencies.as_ref(), p.optional_dependencies.as_ref()];
                Some((k.value.as_str(), lists))
            })
            .collect()
    };
    for (key, lists) in edge_lists {
        let Some(&from) = by_key.get(key) else {
            continue;
        };
        for (name, reference) in lists.into_iter().flatten().flat_map(|l| &l.0) {
            if let Some(to) = find(name, reference) {
                comps.edge(out, from, to);
            }
        }
    }

    // Importers: the root sections (5.x / 6) and the `importers` map.
    let mut groups: Vec<(&Deps, Scope)> = vec![
        (&lock.dependencies, Scope::Runtime),
        (&lock.optional_dependencies, Scope::Optional),
        (&lock.dev_dependencies, Scope::Dev),
    ];
    let importers = lock.importers.map(|i| i.0).unwrap_or_default();
    for imp in importers.iter().filter_map(|(_, i)| i.as_ref()) {
        groups.push((&imp.dependencies, Scope::Runtime));
        groups.push((&imp.optional_dependencies, Scope::Optional));
        groups.push((&imp.dev_dependencies, Scope::Dev));
    }
    let mut roots: Vec<(u32, Scope)> = Vec::new();
    let mut any_group = false;
    for (deps, scope) in groups {
        let Some(deps) = deps else { continue };
        any_group = true;
        for (name, r) in &deps.0 {
            if let Some(c) = r.0.as_deref().and_then(|r| find(name, r)) {
                roots.push((c, scope));
            }
        }
    }
    if any_group || !importers.is_empty() {
        for c in &mut out.components {
            c.relation = Relation::Transitive;
        }
        for &(c, _) in &roots {
            if let Some(comp) = out.components.get_mut(c as usize) {
                comp.relation = Relation::Direct;
            }
        }
    }
    if v9 {
        scopes_by_reach(out, &roots);
        for (&i, &only) in &optional_only {
            if let Some(c) = out.components.get_mut(i as usize)
                && only
                && c.scope == Scope::Runtime
            {
                c.scope = Scope::Optional;
            }
        }
    }
}

/// The component of one `packages` entry (or of a bare snapshot key), or
/// `None` for a local folder or a key that names nothing (with a warning).
fn package_component(
    key: &str,
    pkg: Option<&Package>,
    style: Style,
    line: Option<u32>,
    out: &mut Output,
) -> Option<Component> {
    let resolution = pkg.and_then(|p| p.resolution.as_ref());
    if resolution.is_some_and(|r| r.directory.is_some() || r.kind.as_deref() == Some("directory")) {
        return None; // a local folder: part of the project
    }
    let parsed = parse_key(key, style);
    let field_name = pkg
        .and_then(|p| p.name.as_deref())
        .filter(|n| !n.is_empty());
    let Some(name) = field_name.or(parsed.map(|(n, _)| n)) else {
        out.warning(
            "unexpected-content",
            format!("cannot tell the package of `{key}`"),
        )
        .line = line;
        return None;
    };
    let version = pkg
        .and_then(|p| p.version.as_deref())
        .filter(|v| !v.is_empty())
        .or(parsed.and_then(|(_, v)| v));
    let mut note = resolution.and_then(resolution_note);
    if note.is_none() && key.contains("patch_hash=") {
        note = Some(PATCH_NOTE.to_owned());
    }
    let mut c = Component::new(Ecosystem::Npm, name, version).with_line(line);
    if let Some(p) = pkg {
        c.scope = match (p.dev, p.optional) {
            (Some(true), _) => Scope::Dev,
            (_, Some(true)) => Scope::Optional,
            _ => Scope::Runtime,
        };
    }
    if version.is_none() {
        let why = match note {
            Some(n) => format!("no version in the lockfile ({n})"),
            None => "no version in the lockfile".to_owned(),
        };
        out.warning("unresolved-version", format!("`{key}` has no version"))
            .line = line;
        c = c.with_note(why);
    } else if let Some(n) = note {
        c = c.with_note(n);
    }
    Some(c)
}

fn resolution_note(r: &Resolution) -> Option<String> {
    if let (Some(repo), Some(commit)) = (&r.repo, &r.commit) {
        return source_note(&format!("git+{}#{commit}", repo.trim_start_matches("git+")));
    }
    let tarball = r.tarball.as_deref()?;
    match tarball.strip_prefix("file:") {
        Some(path) if is_tarball_path(path) => Some(format!("from local file {path}")),
        _ => source_note(tarball),
    }
}

/// `(name, version)` of a dependency path, in the file's style first, then
/// in the other (some files mix them). A `name@<url or path>` key (6 and 9)
/// gives a name only: the version is then the entry's `version` field.
fn parse_key(key: &str, style: Style) -> Option<(&str, Option<&str>)> {
    let at = parse_at(key).filter(|(n, _)| !n.is_empty());
    let slash = parse_slash(key).filter(|(n, v)| !n.is_empty() && looks_like_version(v));
    let at_versioned = at.filter(|(_, v)| looks_like_version(v));
    let found = match style {
        Style::Slash => slash.or(at_versioned),
        Style::At => at_versioned.or(slash),
    };
    match found {
        Some((n, v)) => Some((n, Some(v))),
        None if style == Style::At => at.map(|(n, _)| (n, None)),
        None => None,
    }
}

/// 5.x: `/name/1.2.3_peer`, `/@scope/name/1.2.3`, `host.tld/name/1.2.3`.
fn parse_slash(key: &str) -> Option<(&str, &str)> {
    let path = match key.strip_prefix('/') {
        Some(p) => p,
        None => {
            // A registry host first (`registry.npmjs.org/...`).
            let (host, rest) = key.split_once('/')?;
            if !host.contains('.') || host.starts_with('@') {
                return None;
            }
            rest
        }
    };
    let name_end = if path.starts_with('@') {
        let slash = path.find('/')?;
        slash + 1 + path[slash + 1..].find('/')?
    } else {
        path.find('/')?
    };
    let name = &path[..name_end];
    let rest = &path[name_end + 1..];
    let version = rest.split(['_', '(']).next().unwrap_or(rest);
    Some((name, version))
}

/// 6 and 9: `/name@1.2.3(peer@1)`, `@scope/name@1.2.3`.
fn parse_at(key: &str) -> Option<(&str, &str)> {
    let path = key.strip_prefix('/').unwrap_or(key);
    let (name, rest) = split_name(path)?;
    let version = rest.split('(').next().unwrap_or(rest);
    Some((name, version))
}

fn looks_like_version(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_digit()) && is_plain_version(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "pnpm-lock.yaml", text, &MemorySource::new())
    }

    fn summary(out: &Output) -> Vec<(&str, Option<&str>, Scope, Relation)> {
        out.components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.scope, c.relation))
            .collect()
    }

    #[test]
    fn keys_of_every_version() {
        let cases = [
            ("/a/1.0.0", Style::Slash, Some(("a", Some("1.0.0")))),
            (
                "/@s/a/1.0.0_b@2.0.0+c@1.0.0",
                Style::Slash,
                Some(("@s/a", Some("1.0.0"))),
            ),
            (
                "registry.npmjs.org/@s/a/1.1.0",
                Style::Slash,
                Some(("@s/a", Some("1.1.0"))),
            ),
            (
                "/a/1.4.0_@types+babel__core@7.1.14",
                Style::Slash,
                Some(("a", Some("1.4.0"))),
            ),
            ("/a/bar", Style::Slash, None),
            ("github.com/kevva/is-positive", Style::Slash, None),
            ("axios@1.2.5", Style::Slash, Some(("axios", Some("1.2.5")))),
            (
                "/@s/a@1.0.0(b@2.0.0)(c@1.0.0)",
                Style::At,
                Some(("@s/a", Some("1.0.0"))),
            ),
            (
                "a@1.0.0(patch_hash=abc)",
                Style::At,
                Some(("a", Some("1.0.0"))),
            ),
            ("/a/1.0.0", Style::At, Some(("a", Some("1.0.0")))),
            (
                "a@https://codeload.github.com/o/a/tar.gz/abc",
                Style::At,
                Some(("a", None)),
            ),
            ("/a/bar", Style::At, None),
        ];
        for (key, style, want) in cases {
            assert_eq!(parse_key(key, style), want, "{key}");
        }
    }

    #[test]
    fn v5_flags_importers_git_and_locals() {
        let text = r#"lockfileVersion: 5.4

importers:
  .:
    specifiers:
      a: ^1.0.0
      lib: link:packages/lib
    dependencies:
      a: 1.0.0_b@2.0.0
      lib: link:packages/lib
  packages/lib:
    specifiers:
      g: github:o/g
    devDependencies:
      g: github.com/o/g/abc123

packages:

  /a/1.0.0_b@2.0.0:
    resolution: {integrity: sha512-x}
    dependencies:
      b: 2.0.0
      alias: /real/3.0.0
    dev: false

  /a/1.0.0_b@3.0.0:
    resolution: {integrity: sha512-x}
    dev: true

  /b/2.0.0:
    resolution: {integrity: sha512-x}
    optional: true

  /real/3.0.0:
    resolution: {integrity: sha512-x}

  github.com/o/g/abc123:
    resolution: {tarball: https://codeload.github.com/o/g/tar.gz/abc123}
    name: g
    version: 0.1.0
    dev: true

  file:local:
    resolution: {directory: local, type: directory}
    name: local
    version: 1.0.0
"#;
        let out = read_text(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(
            summary(&out),
            [
                ("a", Some("1.0.0"), Scope::Runtime, Relation::Direct),
                ("b", Some("2.0.0"), Scope::Optional, Relation::Transitive),
                ("real", Some("3.0.0"), Scope::Runtime, Relation::Transitive),
                ("g", Some("0.1.0"), Scope::Dev, Relation::Direct),
            ]
        );
        assert_eq!(out.components[0].line, Some(19));
        assert_eq!(
            out.components[3].note.as_deref(),
            Some("from git https://codeload.github.com/o/g/tar.gz/abc123")
        );
        assert_eq!(out.dependencies, [(0, 1), (0, 2)]);
    }

    #[test]
    fn v9_snapshots_and_scopes_by_reach() {
        let text = r#"lockfileVersion: '9.0'

importers:

  .:
    dependencies:
      a:
        specifier: ^1.0.0
        version: 1.0.0(p@1.0.0)
    devDependencies:
      d:
        specifier: ^1.0.0
        version: 1.0.0
      dbg:
        specifier: npm:real@^2
        version: real@2.0.0
    optionalDependencies:
      o:
        specifier: ^1.0.0
        version: 1.0.0(patch_hash=ff)

packages:

  a@1.0.0:
    resolution: {integrity: sha512-x}

  p@1.0.0:
    resolution: {integrity: sha512-x}

  d@1.0.0:
    resolution: {integrity: sha512-x}

  real@2.0.0:
    resolution: {integrity: sha512-x}

  o@1.0.0:
    resolution: {integrity: sha512-x}

  gone@1.0.0:
    resolution: {integrity: sha512-x}

snapshots:

  a@1.0.0(p@1.0.0):
    dependencies:
      p: 1.0.0

  p@1.0.0: {}

  d@1.0.0:
    dependencies:
      p: 1.0.0
      real: 2.0.0

  real@2.0.0: {}

  o@1.0.0(patch_hash=ff):
    optional: true

  gone@1.0.0:
    optional: true
"#;
        let out = read_text(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(
            summary(&out),
            [
                ("a", Some("1.0.0"), Scope::Runtime, Relation::Direct),
                ("p", Some("1.0.0"), Scope::Runtime, Relation::Transitive),
                ("d", Some("1.0.0"), Scope::Dev, Relation::Direct),
                ("real", Some("2.0.0"), Scope::Dev, Relation::Direct),
                ("o", Some("1.0.0"), Scope::Optional, Relation::Direct),
                ("gone", Some("1.0.0"), Scope::Optional, Relation::Transitive),
            ]
        );
        assert_eq!(out.components[4].note.as_deref(), Some(PATCH_NOTE));
        assert_eq!(out.components[0].line, Some(24));
        assert_eq!(out.dependencies, [(0, 1), (2, 1), (2, 3)]);
    }

    #[test]
    fn odd_files() {
        let out = read_text("# nothing\n");
        assert!(out.components.is_empty() && out.diagnostics.is_empty());
        let out = read_text("lockfileVersion: 5.3\npackages:\n  /a/1.0.0:\n  /a/x:\n");
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(4));
        let out = read_text("lockfileVersion: '9.0'\npackages:\n  - a\n");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
    }

    #[test]
    fn yaml_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 {
                "a".to_owned()
            } else {
                format!("b{}", i - 1)
            };
            text.push_str(&format!(
                "b{i}: &b{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
            ));
        }
        let out = read_text(&text);
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
    }
}
