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
//!
//! Speed: pnpm writes its lockfile in one regular shape, which a line
//! scanner (`yaml_scan`) reads five times faster than serde-saphyr; any line
//! it does not fully understand (anchors, flow mappings over several lines,
//! comments after values, duplicate keys...) sends the whole file to
//! serde-saphyr, which also gives the located diagnostics of a malformed
//! file. Both fill the same borrowed `Lock`.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_saphyr::Spanned;
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::package_lock::{
    Components, Ordered, is_plain_version, is_tarball_path, scopes_by_reach, source_note,
    split_name,
};
use super::util::parse_yaml;
use super::yaml_scan::{Cursor, Entry, Scan};
use crate::hash::{HashMap, HashSet};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "pnpm-lock",
    description: "pnpm-lock.yaml (lockfile v5.x, v6, v9)",
    ecosystem: Some(Ecosystem::Npm),
    matches: |name| name == "pnpm-lock.yaml",
    sniff: None,
    read,
};

fn read(input: &Input<'_>, out: &mut Output) {
    if !read_fast(input, out) {
        read_fallback(input, out);
    }
}

/// Reads the file with the line scanner only: `false` (and nothing read)
/// when the scanner declines it. For tests comparing the two ways.
#[doc(hidden)]
pub fn read_fast(input: &Input<'_>, out: &mut Output) -> bool {
    match fast_parse(input.text) {
        Ok(lock) => {
            process(lock, out);
            true
        }
        Err(_) => false,
    }
}

/// Reads the file with serde-saphyr only. For tests comparing the two ways.
#[doc(hidden)]
pub fn read_fallback(input: &Input<'_>, out: &mut Output) {
    let Some(lock) = parse_yaml::<Option<OwnedLock>>(input, out) else {
        return;
    };
    let Some(lock) = lock else {
        return; // an empty document
    };
    process(lock.into(), out);
}

// ---------------------------------------------------------------------------
// What both parsers give.

/// `(name, reference)` of an importer's dependencies.
type Deps<'a> = Option<Vec<(Cow<'a, str>, Option<Cow<'a, str>>)>>;
/// `name -> reference` of a package's or snapshot's dependencies.
type Refs<'a> = Option<Vec<(Cow<'a, str>, Cow<'a, str>)>>;

#[derive(Default)]
struct Lock<'a> {
    lockfile_version: Option<Cow<'a, str>>,
    importers: Option<Vec<Option<Importer<'a>>>>,
    dependencies: Deps<'a>,
    dev_dependencies: Deps<'a>,
    optional_dependencies: Deps<'a>,
    packages: Option<Vec<(Key<'a>, Option<Package<'a>>)>>,
    snapshots: Option<Vec<(Key<'a>, Option<Snapshot<'a>>)>>,
}

/// A `packages` or `snapshots` key and its line.
struct Key<'a> {
    value: Cow<'a, str>,
    line: Option<u32>,
}

#[derive(Default)]
struct Importer<'a> {
    dependencies: Deps<'a>,
    dev_dependencies: Deps<'a>,
    optional_dependencies: Deps<'a>,
}

#[derive(Default)]
struct Package<'a> {
    resolution: Option<Resolution<'a>>,
    name: Option<Cow<'a, str>>,
    version: Option<Cow<'a, str>>,
    dev: Option<bool>,
    optional: Option<bool>,
    dependencies: Refs<'a>,
    optional_dependencies: Refs<'a>,
}

#[derive(Default)]
struct Resolution<'a> {
    tarball: Option<Cow<'a, str>>,
    commit: Option<Cow<'a, str>>,
    repo: Option<Cow<'a, str>>,
    directory: Option<Cow<'a, str>>,
    kind: Option<Cow<'a, str>>,
}

#[derive(Default)]
struct Snapshot<'a> {
    optional: Option<bool>,
    dependencies: Refs<'a>,
    optional_dependencies: Refs<'a>,
}

// ---------------------------------------------------------------------------
// The line scanner, for the shape pnpm writes.

fn fast_parse(text: &str) -> Scan<Lock<'_>> {
    let mut lock = Lock::default();
    Cursor::new(text)?.document(|c, e| {
        match e.key {
            "lockfileVersion" => lock.lockfile_version = c.opt_str(e)?,
            "importers" => {
                let mut importers = Vec::new();
                let present = c.map(e, |c, e| {
                    let mut imp = Importer::default();
                    let present = c.map(e, |c, e| {
                        match e.key {
                            "dependencies" => imp.dependencies = fast_deps(c, e)?,
                            "devDependencies" => imp.dev_dependencies = fast_deps(c, e)?,
                            "optionalDependencies" => {
                                imp.optional_dependencies = fast_deps(c, e)?;
                            }
                            _ => {}
                        }
                        Ok(())
                    })?;
                    importers.push(present.then_some(imp));
                    Ok(())
                })?;
                lock.importers = present.then_some(importers);
            }
            "dependencies" => lock.dependencies = fast_deps(c, e)?,
            "devDependencies" => lock.dev_dependencies = fast_deps(c, e)?,
            "optionalDependencies" => lock.optional_dependencies = fast_deps(c, e)?,
            "packages" => {
                let mut packages = Vec::new();
                let present = c.map(e, |c, e| {
                    let key = Key {
                        value: Cow::Borrowed(e.key),
                        line: Some(e.line),
                    };
                    let mut p = Package::default();
                    let present = c.map(e, |c, e| {
                        match e.key {
                            "resolution" => p.resolution = fast_resolution(c, e)?,
                            "name" => p.name = c.opt_str(e)?,
                            "version" => p.version = c.opt_str(e)?,
                            "dev" => p.dev = c.opt_bool(e)?,
                            "optional" => p.optional = c.opt_bool(e)?,
                            "dependencies" => p.dependencies = fast_refs(c, e)?,
                            "optionalDependencies" => p.optional_dependencies = fast_refs(c, e)?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    packages.push((key, present.then_some(p)));
                    Ok(())
                })?;
                lock.packages = present.then_some(packages);
            }
            "snapshots" => {
                let mut snapshots = Vec::new();
                let present = c.map(e, |c, e| {
                    let key = Key {
                        value: Cow::Borrowed(e.key),
                        line: Some(e.line),
                    };
                    let mut s = Snapshot::default();
                    let present = c.map(e, |c, e| {
                        match e.key {
                            "optional" => s.optional = c.opt_bool(e)?,
                            "dependencies" => s.dependencies = fast_refs(c, e)?,
                            "optionalDependencies" => s.optional_dependencies = fast_refs(c, e)?,
                            _ => {}
                        }
                        Ok(())
                    })?;
                    snapshots.push((key, present.then_some(s)));
                    Ok(())
                })?;
                lock.snapshots = present.then_some(snapshots);
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(lock)
}

/// An importer's dependencies: `name: 1.2.3` (5.x) or
/// `name: {specifier, version}` (6, 9), as [`DepRef`] reads them.
fn fast_deps<'a>(c: &mut Cursor<'a>, e: Entry<'a>) -> Scan<Deps<'a>> {
    let mut deps = Vec::new();
    let present = c.map(e, |c, e| {
        let reference = if c.is_map(&e)? {
            let mut version = None;
            c.map(e, |c, e| {
                if e.key == "version" {
                    version = c.opt_str(e)?;
                }
                Ok(())
            })?;
            version
        } else {
            c.opt_any_str(e)?
        };
        deps.push((Cow::Borrowed(e.key), reference));
        Ok(())
    })?;
    Ok(present.then_some(deps))
}

fn fast_refs<'a>(c: &mut Cursor<'a>, e: Entry<'a>) -> Scan<Refs<'a>> {
    let mut refs = Vec::new();
    let present = c.map(e, |c, e| {
        refs.push((Cow::Borrowed(e.key), c.str(e)?));
        Ok(())
    })?;
    Ok(present.then_some(refs))
}

fn fast_resolution<'a>(c: &mut Cursor<'a>, e: Entry<'a>) -> Scan<Option<Resolution<'a>>> {
    let mut r = Resolution::default();
    let present = c.map(e, |c, e| {
        match e.key {
            "tarball" => r.tarball = c.opt_str(e)?,
            "commit" => r.commit = c.opt_str(e)?,
            "repo" => r.repo = c.opt_str(e)?,
            "directory" => r.directory = c.opt_str(e)?,
            "type" => r.kind = c.opt_str(e)?,
            _ => {}
        }
        Ok(())
    })?;
    Ok(present.then_some(r))
}

// ---------------------------------------------------------------------------
// serde-saphyr, for everything else.

type OwnedDeps = Option<Ordered<String, DepRef>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OwnedLock {
    lockfile_version: Option<String>,
    importers: Option<Ordered<String, Option<OwnedImporter>>>,
    dependencies: OwnedDeps,
    dev_dependencies: OwnedDeps,
    optional_dependencies: OwnedDeps,
    packages: Option<Ordered<Spanned<String>, Option<OwnedPackage>>>,
    snapshots: Option<Ordered<Spanned<String>, Option<OwnedSnapshot>>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OwnedImporter {
    dependencies: OwnedDeps,
    dev_dependencies: OwnedDeps,
    optional_dependencies: OwnedDeps,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OwnedPackage {
    resolution: Option<OwnedResolution>,
    name: Option<String>,
    version: Option<String>,
    dev: Option<bool>,
    optional: Option<bool>,
    dependencies: Option<Ordered<String, String>>,
    optional_dependencies: Option<Ordered<String, String>>,
}

#[derive(Deserialize)]
struct OwnedResolution {
    tarball: Option<String>,
    commit: Option<String>,
    repo: Option<String>,
    directory: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OwnedSnapshot {
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

fn owned_deps(d: OwnedDeps) -> Deps<'static> {
    d.map(|d| {
        d.0.into_iter()
            .map(|(k, v)| (Cow::Owned(k), v.0.map(Cow::Owned)))
            .collect()
    })
}

fn owned_refs(d: Option<Ordered<String, String>>) -> Refs<'static> {
    d.map(|d| {
        d.0.into_iter()
            .map(|(k, v)| (Cow::Owned(k), Cow::Owned(v)))
            .collect()
    })
}

fn owned_key(k: Spanned<String>) -> Key<'static> {
    let line = u32::try_from(k.referenced.line()).ok().filter(|&l| l > 0);
    Key {
        value: Cow::Owned(k.value),
        line,
    }
}

impl From<OwnedLock> for Lock<'static> {
    fn from(l: OwnedLock) -> Self {
        let o = |s: Option<String>| s.map(Cow::Owned);
        Lock {
            lockfile_version: o(l.lockfile_version),
            importers: l.importers.map(|i| {
                i.0.into_iter()
                    .map(|(_, imp)| {
                        imp.map(|imp| Importer {
                            dependencies: owned_deps(imp.dependencies),
                            dev_dependencies: owned_deps(imp.dev_dependencies),
                            optional_dependencies: owned_deps(imp.optional_dependencies),
                        })
                    })
                    .collect()
            }),
            dependencies: owned_deps(l.dependencies),
            dev_dependencies: owned_deps(l.dev_dependencies),
            optional_dependencies: owned_deps(l.optional_dependencies),
            packages: l.packages.map(|p| {
                p.0.into_iter()
                    .map(|(k, p)| {
                        let p = p.map(|p| Package {
                            resolution: p.resolution.map(|r| Resolution {
                                tarball: o(r.tarball),
                                commit: o(r.commit),
                                repo: o(r.repo),
                                directory: o(r.directory),
                                kind: o(r.kind),
                            }),
                            name: o(p.name),
                            version: o(p.version),
                            dev: p.dev,
                            optional: p.optional,
                            dependencies: owned_refs(p.dependencies),
                            optional_dependencies: owned_refs(p.optional_dependencies),
                        });
                        (owned_key(k), p)
                    })
                    .collect()
            }),
            snapshots: l.snapshots.map(|s| {
                s.0.into_iter()
                    .map(|(k, s)| {
                        let s = s.map(|s| Snapshot {
                            optional: s.optional,
                            dependencies: owned_refs(s.dependencies),
                            optional_dependencies: owned_refs(s.optional_dependencies),
                        });
                        (owned_key(k), s)
                    })
                    .collect()
            }),
        }
    }
}

// ---------------------------------------------------------------------------
// From the lockfile to components.

/// How dependency paths are spelled.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Style {
    /// 5.x: `/name/1.2.3_peer`.
    Slash,
    /// 6 and 9: `/name@1.2.3(peer)` and `name@1.2.3(peer)`.
    At,
}

const PATCH_NOTE: &str = "patched (pnpm patchedDependencies)";

fn process(lock: Lock<'_>, out: &mut Output) {
    let major: Option<u32> = lock
        .lockfile_version
        .as_deref()
        .and_then(|v| v.trim_matches(['\'', '"']).split('.').next()?.parse().ok());
    let style = match major {
        Some(m) if m < 6 => Style::Slash,
        _ => Style::At,
    };
    let v9 = lock.snapshots.is_some() || major.is_some_and(|m| m >= 9);
    let packages = lock.packages.unwrap_or_default();
    let snapshots = lock.snapshots.unwrap_or_default();

    let mut comps = Components::default();
    // Every dependency path (package and snapshot keys) to its component.
    let mut by_key: HashMap<&str, u32> =
        crate::hash::map_with_capacity(packages.len() + snapshots.len());
    // Components whose every snapshot is `optional: true`.
    let mut optional_only: HashMap<u32, bool> = HashMap::default();
    let seen: HashSet<&str> = packages.iter().map(|(k, _)| k.value.as_ref()).collect();
    for (key, pkg) in &packages {
        let Some(c) = package_component(&key.value, pkg.as_ref(), style, key.line, out) else {
            continue;
        };
        let i = comps.add(out, c);
        by_key.insert(&key.value, i);
    }
    for (key, snap) in &snapshots {
        let base = key.value.split('(').next().unwrap_or(&key.value);
        let i = match by_key.get(base) {
            Some(&i) => i,
            // A local folder, or a package that names nothing (warned).
            None if seen.contains(base) => continue,
            None if base.contains("@file:") || base.contains("@link:") => continue,
            None => {
                // A snapshot without its package entry: read its key.
                match package_component(&key.value, None, style, key.line, out) {
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
        by_key.insert(&key.value, i);
    }

    let mut finder = Finder {
        by_key,
        style,
        v9,
        buf: String::new(),
    };

    // Edges: from the snapshots (9), else from the packages.
    type Lists<'l, 'a> = [Option<&'l Vec<(Cow<'a, str>, Cow<'a, str>)>>; 2];
    let edge_lists: Vec<(&str, Lists)> = if v9 {
        snapshots
            .iter()
            .filter_map(|(k, s)| {
                let s = s.as_ref()?;
                let lists = [s.dependencies.as_ref(), s.optional_dependencies.as_ref()];
                Some((k.value.as_ref(), lists))
            })
            .collect()
    } else {
        packages
            .iter()
            .filter_map(|(k, p)| {
                let p = p.as_ref()?;
                let lists = [p.dependencies.as_ref(), p.optional_dependencies.as_ref()];
                Some((k.value.as_ref(), lists))
            })
            .collect()
    };
    for (key, lists) in edge_lists {
        let Some(&from) = finder.by_key.get(key) else {
            continue;
        };
        for (name, reference) in lists.into_iter().flatten().flatten() {
            if let Some(to) = finder.find(name, reference) {
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
    let importers = lock.importers.unwrap_or_default();
    for imp in importers.iter().flatten() {
        groups.push((&imp.dependencies, Scope::Runtime));
        groups.push((&imp.optional_dependencies, Scope::Optional));
        groups.push((&imp.dev_dependencies, Scope::Dev));
    }
    let mut roots: Vec<(u32, Scope)> = Vec::new();
    let mut any_group = false;
    for (deps, scope) in groups {
        let Some(deps) = deps else { continue };
        any_group = true;
        for (name, r) in deps {
            if let Some(c) = r.as_deref().and_then(|r| finder.find(name, r)) {
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

/// The component a dependency reference (`name` and `1.2.3(peer)`,
/// `/real/1.0.0`, `real@1.0.0`) points to, by the dependency paths of the
/// file's style.
struct Finder<'k> {
    by_key: HashMap<&'k str, u32>,
    style: Style,
    v9: bool,
    /// The path being looked up (no allocation per lookup).
    buf: String,
}

impl Finder<'_> {
    fn find(&mut self, name: &str, reference: &str) -> Option<u32> {
        if reference.starts_with("link:") {
            return None;
        }
        let candidates: [&[&str]; 3] = match self.style {
            Style::Slash => [
                &["/", name, "/", reference],
                &[reference],
                &["/", reference],
            ],
            Style::At if self.v9 => [
                &[name, "@", reference],
                &[reference],
                &["/", name, "@", reference],
            ],
            Style::At => [
                &["/", name, "@", reference],
                &[reference],
                &["/", reference],
            ],
        };
        candidates.iter().find_map(|parts| {
            self.buf.clear();
            parts.iter().for_each(|p| self.buf.push_str(p));
            self.by_key.get(self.buf.as_str()).copied()
        })
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
            Code::UnexpectedContent,
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
        out.warning(Code::UnresolvedVersion, format!("`{key}` has no version"))
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

    /// Reads as the scanner would, and checks that serde-saphyr alone gives
    /// the same (the line scanner's answer, when it takes the text, must be
    /// serde's).
    fn read_text(text: &str) -> Output {
        let files = MemorySource::new();
        let out = read_file_as(&READER, "pnpm-lock.yaml", text, &files);
        let input = Input {
            path: "pnpm-lock.yaml",
            text,
            files: &files,
        };
        let mut slow = Output::new("pnpm-lock.yaml");
        read_fallback(&input, &mut slow);
        assert_eq!(out.components, slow.components);
        assert_eq!(out.dependencies, slow.dependencies);
        assert_eq!(out.diagnostics, slow.diagnostics);
        out
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
        assert!(fast_parse(text).is_ok(), "the scanner reads it");
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
        assert!(fast_parse(text).is_ok(), "the scanner reads it");
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
        // Padded to 16 MB, so that the node budget, in proportion to the
        // text, is 8 million nodes: the fixed limits on aliases and the
        // events they copy still refuse it, not the node budget.
        let padded = format!("{}\n{text}", "#".repeat(16 << 20));
        let out = read_text(&padded);
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        let message = &out.diagnostics[0].message;
        assert!(
            message.contains("budget breached") && !message.contains("Nodes"),
            "{message}"
        );
    }
}
