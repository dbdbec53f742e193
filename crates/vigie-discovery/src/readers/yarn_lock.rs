//! `yarn.lock`, classic (v1) and berry (v2+).
//!
//! **Classic** has its own indented format, read line by line: an entry is a
//! header of comma-separated descriptors (`a@^1, "@s/b@~2":`, quotes
//! optional, aliases `alias@npm:real@^1`), then `key "value"` fields
//! (`version`, `resolved`) and nested `dependencies:` /
//! `optionalDependencies:` maps. The parser also takes the `key: value`
//! spelling, as yarn's own does.
//!
//! **Berry** is YAML with a `__metadata` entry; each entry has a `resolution`
//! (`name@npm:1.2.3`) that gives the real name and version. Workspace, link,
//! portal and `file:` folder resolutions are the project, not components;
//! `patch:` resolutions are the patched package (`patch:a@npm%3A1.0.0#...`).
//!
//! Speed: yarn writes berry lockfiles in one regular shape, which a line
//! scanner (`yaml_scan`) reads five times faster than serde-saphyr; any line
//! it does not fully understand (anchors, flow mappings over several lines,
//! comments after values, duplicate keys...) sends the whole file to
//! serde-saphyr, which also gives the located diagnostics of a malformed
//! file. Both give the same entries.
//!
//! The same name and version is one component whatever its descriptors.
//! Direct dependencies are those of berry's workspaces, or, for classic,
//! those the `package.json` beside the lockfile declares (when that manifest
//! has workspaces, whose own manifests are not read, the other relations
//! stay unknown); with no workspaces, the manifest also gives the scopes
//! (dev, optional) by reachability. Git, tarball and local tarball entries
//! are kept with a note.

use std::borrow::Cow;

use serde::Deserialize;
use serde_saphyr::Spanned;
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::package_json::{Deps, neighbour_manifest};
use super::package_lock::{
    Components, Ordered, is_plain_version, is_tarball_path, scopes_by_reach, source_note,
    split_name,
};
use super::util::parse_yaml;
use super::yaml_scan::{Cursor, Scan};
use crate::hash::HashMap;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "yarn-lock",
    description: "yarn.lock (classic v1 and berry v2+)",
    ecosystem: Some(Ecosystem::Npm),
    matches: |name| name == "yarn.lock",
    sniff: None,
    read,
};

/// How deep `patch:` / `virtual:` resolutions may wrap one another.
const MAX_WRAP: usize = 4;

/// One entry, from either format.
/// Borrowed from the text where nothing was unquoted.
#[derive(Default)]
struct Entry<'a> {
    line: Option<u32>,
    descriptors: Vec<Cow<'a, str>>,
    version: Option<Cow<'a, str>>,
    /// Classic `resolved`.
    resolved: Option<Cow<'a, str>>,
    /// Berry `resolution`.
    resolution: Option<Cow<'a, str>>,
    /// `(name, range)` of `dependencies` and `optionalDependencies`.
    deps: Vec<(Cow<'a, str>, Cow<'a, str>)>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    let berry = is_berry(input.text);
    if !(berry && read_berry_fast(input, out)) {
        read_slow(input, berry, out);
    }
}

fn is_berry(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("__metadata:"))
}

/// Reads a berry file with the line scanner only: `false` (and nothing
/// read) for a classic file or when the scanner declines. For tests
/// comparing the two ways.
#[doc(hidden)]
pub fn read_fast(input: &Input<'_>, out: &mut Output) -> bool {
    is_berry(input.text) && read_berry_fast(input, out)
}

/// Reads the file without the line scanner (serde-saphyr for berry). For
/// tests comparing the two ways.
#[doc(hidden)]
pub fn read_fallback(input: &Input<'_>, out: &mut Output) {
    read_slow(input, is_berry(input.text), out);
}

fn read_berry_fast(input: &Input<'_>, out: &mut Output) -> bool {
    match fast_berry(input.text) {
        Ok(entries) => {
            let manifest = neighbour_manifest(input);
            resolve(&entries, true, manifest.as_ref(), out);
            true
        }
        Err(_) => false,
    }
}

fn read_slow(input: &Input<'_>, berry: bool, out: &mut Output) {
    let entries = if berry {
        match read_berry(input, out) {
            Some(e) => e,
            None => return,
        }
    } else {
        read_classic(input.text, out)
    };
    let manifest = neighbour_manifest(input);
    resolve(&entries, berry, manifest.as_ref(), out);
}

// ---------------------------------------------------------------------------
// Turning entries into components.

/// What an entry is, from its resolution or descriptors (borrowed from
/// the entry where it can be).
enum Identity<'e> {
    Local,
    Package {
        name: Cow<'e, str>,
        version: Option<Cow<'e, str>>,
        note: Option<String>,
    },
}

fn resolve(entries: &[Entry], berry: bool, manifest: Option<&Deps>, out: &mut Output) {
    let mut comps = Components::default();
    let mut comp_of: Vec<Option<u32>> = Vec::with_capacity(entries.len());
    let mut by_descriptor: HashMap<&str, usize> = crate::hash::map_with_capacity(entries.len() * 2);
    let mut workspaces: Vec<usize> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        for d in &e.descriptors {
            by_descriptor.entry(d.as_ref()).or_insert(i);
        }
        let identity = if berry {
            berry_identity(e)
        } else {
            classic_identity(e)
        };
        let Identity::Package {
            name,
            version,
            note,
        } = identity
        else {
            if e.resolution
                .as_deref()
                .is_some_and(|r| r.contains("@workspace:"))
            {
                workspaces.push(i);
            }
            comp_of.push(None);
            continue;
        };
        if name.is_empty() {
            out.warning(Code::UnexpectedContent, "an entry has no package name")
                .line = e.line;
            comp_of.push(None);
            continue;
        }
        let mut c = Component::new(Ecosystem::Npm, name, version.as_deref()).with_line(e.line);
        if version.is_none() {
            let why = match note {
                Some(n) => format!("no version in the lockfile ({n})"),
                None => "no version in the lockfile".to_owned(),
            };
            out.warning(
                Code::UnresolvedVersion,
                format!("`{}` has no version", c.name),
            )
            .line = e.line;
            c = c.with_note(why);
        } else if let Some(n) = note {
            c = c.with_note(n);
        }
        comp_of.push(Some(comps.add(out, c)));
    }

    // The entry of `name` and `range`: `name@range`, or for berry also
    // `name@npm:range`. One buffer for the descriptor looked up.
    let mut buf = String::new();
    let mut find = |name: &str, range: &str| -> Option<usize> {
        buf.clear();
        buf.push_str(name);
        buf.push('@');
        buf.push_str(range);
        if let Some(&i) = by_descriptor.get(buf.as_str()) {
            return Some(i);
        }
        if berry && !range.starts_with("npm:") {
            buf.truncate(name.len() + 1);
            buf.push_str("npm:");
            buf.push_str(range);
            return by_descriptor.get(buf.as_str()).copied();
        }
        None
    };
    for (i, e) in entries.iter().enumerate() {
        let Some(from) = comp_of[i] else { continue };
        for (name, range) in &e.deps {
            if let Some(to) = find(name, range).and_then(|j| comp_of[j]) {
                comps.edge(out, from, to);
            }
        }
    }

    // Direct dependencies: the workspaces' (berry), else the manifest's.
    let mut roots: Vec<(u32, Scope)> = Vec::new();
    let mut known = false;
    if !workspaces.is_empty() {
        known = true;
        for &w in &workspaces {
            for (name, range) in &entries[w].deps {
                if let Some(c) = find(name, range).and_then(|j| comp_of[j]) {
                    roots.push((c, Scope::Unknown));
                }
            }
        }
    }
    if let Some(m) = manifest {
        known = true;
        let lists = [
            (&m.dependencies, Scope::Runtime),
            (&m.peer_dependencies, Scope::Runtime),
            (&m.optional_dependencies, Scope::Optional),
            (&m.dev_dependencies, Scope::Dev),
        ];
        for (list, scope) in lists {
            for (name, range) in &list.entries {
                let range = range.as_deref().unwrap_or_default();
                if let Some(c) = find(name, range).and_then(|j| comp_of[j]) {
                    roots.push((c, scope));
                }
            }
        }
    }
    if !known {
        return;
    }
    // Classic lockfiles do not list the workspace members' own dependencies:
    // with workspaces, what the root does not name may still be direct.
    let complete = berry || manifest.is_some_and(|m| !m.workspaces.0);
    if complete {
        for c in &mut out.components {
            c.relation = Relation::Transitive;
        }
    }
    for &(c, _) in &roots {
        if let Some(comp) = out.components.get_mut(c as usize) {
            comp.relation = Relation::Direct;
        }
    }
    // Scopes by reachability, only when the manifest names every root: one
    // package.json and no other workspace.
    let single = manifest.is_some_and(|m| !m.workspaces.0) && workspaces.len() <= 1;
    if single {
        let roots: Vec<(u32, Scope)> = roots
            .into_iter()
            .filter(|(_, s)| *s != Scope::Unknown)
            .collect();
        scopes_by_reach(out, &roots);
    }
}

fn classic_identity<'e>(e: &'e Entry) -> Identity<'e> {
    let Some(first) = e.descriptors.first() else {
        return Identity::Package {
            name: Cow::Borrowed(""),
            version: None,
            note: None,
        };
    };
    let range = |d: &'e Cow<str>| split_name(d).map_or("", |(_, r)| r);
    if e.descriptors.iter().any(|d| range(d).starts_with("link:")) {
        return Identity::Local;
    }
    let file_range = e
        .descriptors
        .iter()
        .find_map(|d| range(d).strip_prefix("file:"));
    if file_range.is_some_and(|path| !is_tarball_path(path)) {
        return Identity::Local; // a local folder: part of the project
    }
    let name = Cow::Borrowed(descriptor_name(first));
    let version = e
        .version
        .as_deref()
        .filter(|v| !v.is_empty())
        .map(Cow::Borrowed);
    let note = match (e.resolved.as_deref(), file_range) {
        (Some(r), _) => source_note(r),
        (None, Some(path)) => Some(format!("from local file {path}")),
        (None, None) => None,
    };
    Identity::Package {
        name,
        version,
        note,
    }
}

/// The package a descriptor names: `a@^1` -> `a`, `alias@npm:real@^1` -> `real`.
fn descriptor_name(d: &str) -> &str {
    match split_name(d) {
        Some((name, range)) => match range.strip_prefix("npm:").and_then(split_name) {
            Some((real, _)) => real,
            None => name,
        },
        None => d,
    }
}

fn berry_identity<'e>(e: &'e Entry) -> Identity<'e> {
    let fallback = e.descriptors.first().map(|d| descriptor_name(d));
    let Some(resolution) = e.resolution.as_deref() else {
        // No resolution: name from the descriptor, version as written.
        return Identity::Package {
            name: Cow::Borrowed(fallback.unwrap_or("")),
            version: e.version.as_deref().map(Cow::Borrowed),
            note: None,
        };
    };
    // The common `name@npm:1.2.3`, borrowed (the loop below, on its first
    // turn, gives the same).
    if let Some((name, reference)) = split_name(resolution)
        && let Some(rest) = reference.strip_prefix("npm:")
    {
        return Identity::Package {
            name: Cow::Borrowed(name),
            version: Some(rest)
                .filter(|v| is_plain_version(v))
                .or(e.version.as_deref())
                .map(Cow::Borrowed),
            note: None,
        };
    }
    let mut locator = resolution.to_owned();
    let mut patched = None;
    for _ in 0..MAX_WRAP {
        let Some((name, reference)) = split_name(&locator) else {
            break;
        };
        let (protocol, rest) = reference.split_once(':').unwrap_or(("", reference));
        match protocol {
            "npm" => {
                return Identity::Package {
                    name: Cow::Owned(name.to_owned()),
                    version: Some(Cow::Owned(rest.to_owned()))
                        .filter(|v| is_plain_version(v))
                        .or_else(|| e.version.as_deref().map(Cow::Borrowed)),
                    note: patched,
                };
            }
            "workspace" | "link" | "portal" => return Identity::Local,
            "file" if !is_tarball_path(rest) => return Identity::Local,
            "patch" => {
                // patch:<url-encoded locator>#<patch source>::<params>
                let (inner, source) = rest.split_once('#').unwrap_or((rest, ""));
                if !source.contains("builtin<") {
                    patched = Some("patched (yarn patch: protocol)".to_owned());
                }
                locator = percent_decode(inner);
            }
            "virtual" => {
                locator = match rest.split_once('#') {
                    Some((_, inner)) => format!("{name}@{inner}"),
                    None => break,
                };
            }
            _ => {
                let note = match protocol {
                    "exec" => Some(format!("built by a script ({reference})")),
                    "file" => Some(format!("from local file {rest}")),
                    _ => source_note(reference),
                };
                return Identity::Package {
                    name: Cow::Owned(name.to_owned()),
                    version: e
                        .version
                        .as_deref()
                        .filter(|v| !v.is_empty())
                        .map(Cow::Borrowed),
                    note: patched.or(note),
                };
            }
        }
    }
    Identity::Package {
        name: Cow::Borrowed(fallback.unwrap_or("")),
        version: e.version.as_deref().map(Cow::Borrowed),
        note: Some(format!("unreadable resolution `{resolution}`")),
    }
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------
// Berry: YAML.

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BerryEntry {
    version: Option<String>,
    resolution: Option<String>,
    dependencies: Option<Ordered<String, String>>,
}

fn read_berry(input: &Input<'_>, out: &mut Output) -> Option<Vec<Entry<'static>>> {
    let doc = parse_yaml::<Option<Ordered<Spanned<String>, Option<BerryEntry>>>>(input, out)?;
    let entries = doc
        .map(|d| d.0)
        .unwrap_or_default()
        .into_iter()
        .filter(|(k, _)| k.value != "__metadata")
        .map(|(key, e)| {
            let e = e.unwrap_or(BerryEntry {
                version: None,
                resolution: None,
                dependencies: None,
            });
            Entry {
                line: u32::try_from(key.referenced.line()).ok().filter(|&l| l > 0),
                descriptors: split_descriptors(&key.value)
                    .into_iter()
                    .map(|d| Cow::Owned(d.into_owned()))
                    .collect(),
                version: e.version.map(Cow::Owned),
                resolved: None,
                resolution: e.resolution.map(Cow::Owned),
                deps: e
                    .dependencies
                    .map(|d| d.0)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(n, r)| (Cow::Owned(n), Cow::Owned(r)))
                    .collect(),
            }
        })
        .collect();
    Some(entries)
}

/// The line scanner, for the shape yarn writes (see `yaml_scan`); the same
/// entries as [`read_berry`].
fn fast_berry(text: &str) -> Scan<Vec<Entry<'_>>> {
    let mut entries = Vec::new();
    Cursor::new(text)?.document(|c, e| {
        let (key, line) = (e.key, e.line);
        let mut entry = Entry::default();
        let mut deps = None;
        c.map(e, |c, e| {
            match e.key {
                "version" => entry.version = c.opt_str(e)?,
                "resolution" => entry.resolution = c.opt_str(e)?,
                "dependencies" => {
                    let mut list = Vec::new();
                    let present = c.map(e, |c, e| {
                        list.push((Cow::Borrowed(e.key), c.str(e)?));
                        Ok(())
                    })?;
                    deps = present.then_some(list);
                }
                _ => {}
            }
            Ok(())
        })?;
        if key != "__metadata" {
            entry.line = Some(line);
            entry.descriptors = split_descriptors(key);
            entry.deps = deps.unwrap_or_default();
            entries.push(entry);
        }
        Ok(())
    })?;
    Ok(entries)
}

// ---------------------------------------------------------------------------
// Classic: yarn's own indented format.

fn read_classic<'a>(text: &'a str, out: &mut Output) -> Vec<Entry<'a>> {
    let mut entries: Vec<Entry> = Vec::new();
    // Whether lines at indent 2 belong to an entry, and which nested map
    // lines at indent 4 belong to (`None`: one that is ignored).
    let mut in_entry = false;
    let mut nested: Option<bool> = None;
    let mut errors = 0usize;
    let mut bad = |out: &mut Output, line: u32, msg: &str| {
        errors += 1;
        if errors <= 20 {
            out.error(Code::InvalidSyntax, msg.to_owned()).line = Some(line);
        }
    };
    for (n, raw) in text.lines().enumerate() {
        let line_no = u32::try_from(n + 1).unwrap_or(u32::MAX);
        let line = raw.trim_end();
        let content = line.trim_start_matches(' ');
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        let indent = line.len() - content.len();
        match indent {
            0 => {
                nested = None;
                let Some(header) = content.strip_suffix(':') else {
                    in_entry = false;
                    bad(out, line_no, "an entry header must end with `:`");
                    continue;
                };
                in_entry = true;
                entries.push(Entry {
                    line: Some(line_no),
                    descriptors: split_descriptors(header),
                    ..Entry::default()
                });
            }
            2 if in_entry => {
                let Some((key, value)) = key_value(content) else {
                    bad(out, line_no, "unreadable field");
                    nested = None;
                    continue;
                };
                let Some(e) = entries.last_mut() else {
                    continue;
                };
                nested = None;
                match (key.as_ref(), value) {
                    ("dependencies" | "optionalDependencies", None) => nested = Some(true),
                    (_, None) => nested = Some(false),
                    ("version", Some(v)) => e.version = Some(v),
                    ("resolved", Some(v)) => e.resolved = Some(v),
                    ("resolution", Some(v)) => e.resolution = Some(v),
                    _ => {}
                }
            }
            4 if in_entry && nested.is_some() => {
                let Some((name, Some(range))) = key_value(content) else {
                    bad(out, line_no, "unreadable dependency");
                    continue;
                };
                if nested == Some(true)
                    && let Some(e) = entries.last_mut()
                {
                    e.deps.push((name, range));
                }
            }
            _ if in_entry && nested.is_some() && indent > 4 => {}
            _ => bad(out, line_no, "unexpected indentation"),
        }
    }
    if errors > 20 {
        out.error(
            Code::InvalidSyntax,
            format!("{} more unreadable lines", errors - 20),
        );
    }
    entries
}

/// Splits `a@1, "b@2", c@3` into its descriptors, quotes removed.
fn split_descriptors(header: &str) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    let mut rest = header.trim();
    while !rest.is_empty() {
        let (token, after) = if rest.starts_with('"') {
            match quoted(rest) {
                Some((t, after)) => (t, after),
                None => (Cow::Borrowed(rest.trim_matches('"')), ""),
            }
        } else {
            match rest.find(',') {
                Some(i) => (Cow::Borrowed(rest[..i].trim()), &rest[i..]),
                None => (Cow::Borrowed(rest.trim()), ""),
            }
        };
        if !token.is_empty() {
            out.push(token);
        }
        rest = after.trim_start().trim_start_matches(',').trim_start();
    }
    out
}

/// `key value`, `key: value`, `"key" "value"` or `key:` (value `None`).
/// Borrowed from the line unless a quoted part has escapes.
fn key_value(content: &str) -> Option<(Cow<'_, str>, Option<Cow<'_, str>>)> {
    let (key, rest) = if content.starts_with('"') {
        quoted(content)?
    } else {
        let end = content
            .bytes()
            .position(|b| b == b' ' || b == b':')
            .unwrap_or(content.len());
        (Cow::Borrowed(&content[..end]), &content[end..])
    };
    let rest = rest.strip_prefix(':').unwrap_or(rest).trim();
    if rest.is_empty() {
        return Some((key, None));
    }
    let value = if rest.starts_with('"') {
        quoted(rest)?.0
    } else {
        Cow::Borrowed(rest)
    };
    Some((key, Some(value)))
}

/// A double-quoted string at the start of `s` (JSON escapes), and what
/// follows; borrowed when it has no escape.
fn quoted(s: &str) -> Option<(Cow<'_, str>, &str)> {
    let body = s.strip_prefix('"')?;
    match body.bytes().position(|b| b == b'"' || b == b'\\') {
        Some(i) if body.as_bytes().get(i) == Some(&b'"') => {
            return Some((Cow::Borrowed(&body[..i]), &body[i + 1..]));
        }
        Some(_) => {}
        None => return None,
    }
    let mut value = String::new();
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(value), &body[i + 1..])),
            '\\' => match chars.next()?.1 {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
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
        let out = read_file_as(&READER, "yarn.lock", text, &files);
        let input = Input {
            path: "yarn.lock",
            text,
            files: &files,
        };
        let mut slow = Output::new("yarn.lock");
        read_fallback(&input, &mut slow);
        assert_eq!(out.components, slow.components);
        assert_eq!(out.dependencies, slow.dependencies);
        assert_eq!(out.diagnostics, slow.diagnostics);
        out
    }

    fn find<'o>(out: &'o Output, name: &str, version: Option<&str>) -> &'o Component {
        out.components
            .iter()
            .find(|c| c.name == name && c.version.as_deref() == version)
            .unwrap_or_else(|| panic!("{name} {version:?} not in {:#?}", out.components))
    }

    const CLASSIC: &str = r#"# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.
# yarn lockfile v1


"@s/a@^1.0.0", "@s/a@^1.1.0":
  version "1.2.0"
  resolved "https://registry.yarnpkg.com/@s/a/-/a-1.2.0.tgz#abc"
  integrity sha512-xyz==
  dependencies:
    b "^2.0.0"
    "c-alias" "npm:c@^3"
  optionalDependencies:
    d "1"

b@^2.0.0, b@~2.1:
  version "2.1.0"

c-alias@npm:c@^3:
  "version" "3.0.1"
  "resolved" "https://user:pass@example.com/c.tgz"

c@^3.0.0:
  version "3.0.1"

d@1:
  version: 1.0.0
  resolved: "git+ssh://git@github.com/o/d.git#123"

"loc@file:./loc", loc@^1:
  version "0.0.0"

ln@link:../ln:
  version "0.0.0"

tar@file:./tar-1.0.0.tgz:
  version "1.0.0"
  resolved "file:./tar-1.0.0.tgz#abc"

nover@^1:
  resolved "https://registry.yarnpkg.com/nover/-/nover-1.0.0.tgz"

tar2@file:../tar2-2.0.0.tgz:
  version "2.0.0"
"#;

    #[test]
    fn classic_entries_aliases_locals_and_edges() {
        let out = read_text(CLASSIC);
        assert!(
            out.diagnostics
                .iter()
                .all(|d| d.code == "unresolved-version"),
            "{:?}",
            out.diagnostics
        );
        // @s/a, b, c (alias and plain: once), d, tar, nover, tar2.
        let names: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.line))
            .collect();
        assert_eq!(
            names,
            [
                ("@s/a", Some("1.2.0"), Some(5)),
                ("b", Some("2.1.0"), Some(15)),
                ("c", Some("3.0.1"), Some(18)),
                ("d", Some("1.0.0"), Some(25)),
                ("tar", Some("1.0.0"), Some(35)),
                ("nover", None, Some(39)),
                ("tar2", Some("2.0.0"), Some(42)),
            ]
        );
        assert_eq!(
            find(&out, "tar2", Some("2.0.0")).note.as_deref(),
            Some("from local file ../tar2-2.0.0.tgz")
        );
        assert_eq!(find(&out, "@s/a", Some("1.2.0")).note, None);
        assert_eq!(
            find(&out, "c", Some("3.0.1")).note.as_deref(),
            Some("from tarball https://example.com/c.tgz")
        );
        assert_eq!(
            find(&out, "d", Some("1.0.0")).note.as_deref(),
            Some("from git git+ssh://git@github.com/o/d.git#123")
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(39));
        // @s/a -> b, c (through the alias), d.
        assert_eq!(out.dependencies, [(0, 1), (0, 2), (0, 3)]);
        assert!(
            out.components
                .iter()
                .all(|c| c.relation == Relation::Unknown)
        );
    }

    #[test]
    fn classic_direct_and_scopes_from_the_manifest() {
        let manifest = r#"{"dependencies": {"@s/a": "^1.0.0"}, "devDependencies": {"c": "^3.0.0"},
            "optionalDependencies": {"tar": "file:./tar-1.0.0.tgz"}}"#;
        let files = MemorySource::new().with("p/package.json", manifest);
        let out = read_file_as(&READER, "p/yarn.lock", CLASSIC, &files);
        let got = |n: &str| {
            let c = out.components.iter().find(|c| c.name == n).unwrap();
            (c.relation, c.scope)
        };
        assert_eq!(got("@s/a"), (Relation::Direct, Scope::Runtime));
        assert_eq!(got("b"), (Relation::Transitive, Scope::Runtime));
        // c is dev-direct but also reached from @s/a: runtime.
        assert_eq!(got("c"), (Relation::Direct, Scope::Runtime));
        assert_eq!(got("tar"), (Relation::Direct, Scope::Optional));
        // Not reached from any root: left as the format says (runtime).
        assert_eq!(got("nover"), (Relation::Transitive, Scope::Runtime));
    }

    #[test]
    fn classic_bad_lines_are_located_and_the_rest_kept() {
        let text = "a@^1:\n  version \"1.0.0\"\nnot a header\n  version \"2\"\n      odd\nb@1:\n  version \"1.0.0\"\n  dependencies:\n    \"unterminated\n";
        let out = read_text(text);
        assert_eq!(out.components.len(), 2);
        let lines: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            lines,
            [
                ("invalid-syntax", Some(3)),
                ("invalid-syntax", Some(4)),
                ("invalid-syntax", Some(5)),
                ("invalid-syntax", Some(9)),
            ]
        );
    }

    const BERRY: &str = r#"# This file is generated by running "yarn install" inside your project.

__metadata:
  version: 8
  cacheKey: 10c0

"a@npm:^1.0.0, a@npm:^1.1":
  version: 1.10.0
  resolution: "a@npm:1.10.0"
  dependencies:
    b: "npm:^2.0.0"
    old: ^1.0.0
  checksum: 10c0/abc
  languageName: node
  linkType: hard

"b-alias@npm:b@^2.0.0, b@npm:^2.0.0":
  version: 2.0.0
  resolution: "b@npm:2.0.0"

"b@patch:b@npm%3A^2.0.0#./.yarn/patches/b.patch::locator=app%40workspace%3A.":
  version: 2.0.0
  resolution: "b@patch:b@npm%3A2.0.0#./.yarn/patches/b.patch::version=2.0.0&hash=1&locator=app%40workspace%3A."

"old@npm:^1.0.0":
  version: 1.0.0
  resolution: "old@npm:1.0.0"

"g@https://github.com/o/g.git#main":
  version: 0.1.0
  resolution: "g@https://github.com/o/g.git#commit=abc"

"app@workspace:.":
  version: 0.0.0-use.local
  resolution: "app@workspace:."
  dependencies:
    a: "npm:^1.1"
    b-alias: "npm:b@^2.0.0"
  languageName: unknown
  linkType: soft

"lib@workspace:packages/lib":
  version: 0.0.0-use.local
  resolution: "lib@workspace:packages/lib"
  dependencies:
    g: "https://github.com/o/g.git#main"

"p@portal:../p::locator=app%40workspace%3A.":
  version: 0.0.0-use.local
  resolution: "p@portal:../p::locator=app%40workspace%3A."
"#;

    #[test]
    fn berry_resolutions_patches_workspaces_and_edges() {
        assert!(fast_berry(BERRY).is_ok(), "the scanner reads it");
        let out = read_text(BERRY);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.line, c.relation))
            .collect();
        assert_eq!(
            got,
            [
                ("a", Some("1.10.0"), Some(7), Relation::Direct),
                ("b", Some("2.0.0"), Some(17), Relation::Direct),
                ("old", Some("1.0.0"), Some(25), Relation::Transitive),
                ("g", Some("0.1.0"), Some(29), Relation::Direct),
            ]
        );
        assert_eq!(
            out.components[1].note.as_deref(),
            Some("patched (yarn patch: protocol)")
        );
        assert_eq!(
            out.components[3].note.as_deref(),
            Some("from git https://github.com/o/g.git#commit=abc")
        );
        assert_eq!(out.dependencies, [(0, 1), (0, 2)]);
    }

    #[test]
    fn berry_bad_yaml_is_a_diagnostic() {
        let out = read_text("__metadata:\n  version: 8\n\"a@npm:1\":\n  version: [1\n");
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert!(out.diagnostics[0].line.is_some());
    }

    #[test]
    fn helpers() {
        assert_eq!(
            split_descriptors(r#"a@1, "b@git+ssh://x@y#z", c@npm:d@^2"#),
            ["a@1", "b@git+ssh://x@y#z", "c@npm:d@^2"]
        );
        assert_eq!(descriptor_name("c@npm:@s/d@^2"), "@s/d");
        assert_eq!(descriptor_name("debug@npm:^4"), "debug");
        assert_eq!(percent_decode("a@npm%3A1.0.0%"), "a@npm:1.0.0%");
        let kv = |k: &'static str, v: Option<&'static str>| {
            Some((Cow::Borrowed(k), v.map(Cow::Borrowed)))
        };
        assert_eq!(key_value(r#""@s/a" "^1""#), kv("@s/a", Some("^1")));
        assert_eq!(key_value("dependencies:"), kv("dependencies", None));
        assert_eq!(key_value("a: b c"), kv("a", Some("b c")));
        assert_eq!(key_value(r#"a "b\"c\\d\ne""#), kv("a", Some("b\"c\\d\ne")));
        assert_eq!(key_value(r#"a "b"#), None);
        assert_eq!(quoted(r#""x" y"#), Some((Cow::Borrowed("x"), " y")));
        assert_eq!(quoted(r#""x\"" y"#), Some((Cow::Borrowed("x\""), " y")));
        assert!(matches!(quoted(r#""x\"" y"#), Some((Cow::Owned(_), _))));
        assert!(matches!(quoted(r#""x" y"#), Some((Cow::Borrowed(_), _))));
        assert_eq!(quoted(r#""x\"#), None);
    }
}
