//! pip requirements files: `requirements*.txt`, `*requirements.txt`,
//! `constraints*.txt` (so `requirements-dev.txt`, `dev-requirements.txt`;
//! files in a `requirements/` folder are read when another file includes
//! them).
//!
//! Lines are read as pip reads them: a `\` at the end of a line continues it
//! (comments are removed after joining), `#` starts a comment at the start of
//! a line or after a space, options after a requirement (`--hash=...`) are
//! ignored, and so are pip option lines (`-i`, `--index-url`,
//! `--extra-index-url`, `--no-binary`, ...).
//!
//! * `name==1.2.3` or `name===1.2.3` (with extras, markers, spaces) pins a
//!   version. Names are kept as written (the purl normalises them).
//! * Any other requirement (`name`, `name>=1`, `name~=1.1`, `name==1.*`,
//!   `name @ url`, a URL, a VCS URL, an archive path, `-e <url>`) is pushed
//!   unresolved, with the reason in the note and an `unresolved-version`
//!   warning. Its name comes from the requirement, the `#egg=` fragment or
//!   the archive's file name. A local folder (`.`, `-e ./lib`) is the
//!   project's own code, not a component.
//! * `-r`/`--requirement` includes are read where they appear, relative to
//!   the including file, through [`crate::FileSource`]; `-c`/`--constraint`
//!   files pin the versions of the requirements that do not. Each file is
//!   read once (cycles end), at most 16 deep and 256 files in all. An
//!   include that cannot be read is an `unreadable-include` error on the
//!   including file and line. Components from an included file carry their
//!   line in that file and say the file in their note.
//! * pip installs one version of each package: a name pinned somewhere
//!   makes the unpinned mentions of it redundant, and repeated pins are one
//!   component. A constraint nothing requires is still listed, with a note.
//! * The `# via` annotations of pip-compile and `uv pip compile` give the
//!   relation (`# via -r x.in` or `(pyproject.toml)`: direct; only package
//!   names: transitive) and the edges (`# via flask` : flask -> this).
//!   Without them the relation is unknown.
//! * Scope: the file's name is the only hint pip files have. A file whose
//!   name, split on `-_.`, has a word `dev`, `develop`, `development`,
//!   `test(s)`, `testing`, `lint`, `docs`/`doc` or `typing`
//!   (`requirements-dev.txt`, `test_requirements.txt`, `requirements/docs.txt`)
//!   declares dev components; any other, runtime. This is a convention, not
//!   a rule of pip, and a package pinned in both keeps runtime.

use vigie_model::{Code, Component, Diagnostic, Ecosystem, Relation, Scope};

use super::util::pep503_normalize as normalize;
use crate::hash::{HashMap, HashSet};
use crate::{FileSource, Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "requirements-txt",
    description: "requirements*.txt, *requirements.txt, constraints*.txt (pip)",
    ecosystem: Some(Ecosystem::PyPI),
    matches,
    sniff: None,
    read,
};

fn matches(name: &str) -> bool {
    let Some(stem) = name
        .len()
        .checked_sub(4)
        .filter(|&n| name.is_char_boundary(n) && name[n..].eq_ignore_ascii_case(".txt"))
        .map(|n| name[..n].to_ascii_lowercase())
    else {
        return false;
    };
    stem.starts_with("requirements")
        || stem.ends_with("requirements")
        || stem.starts_with("constraints")
}

const MAX_DEPTH: usize = 16;
const MAX_FILES: usize = 256;

/// One requirement or constraint line, before the set is resolved.
struct Entry {
    name: String,
    key: String,
    version: Option<String>,
    /// Why there is no version (when `version` is `None`).
    why: Option<String>,
    /// Where it is installed from, when not an index.
    source: Option<String>,
    file: String,
    line: u32,
    scope: Scope,
    constraint: bool,
    /// A name with a specifier (not a URL): a constraint can pin it.
    by_name: bool,
    via: Option<Via>,
}

#[derive(Default)]
struct Via {
    direct: bool,
    parents: Vec<String>,
}

struct Reading<'a> {
    files: &'a dyn FileSource,
    seen: HashSet<String>,
    entries: Vec<Entry>,
    diags: Vec<Diagnostic>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    let top = normalize_path(input.path);
    let mut r = Reading {
        files: input.files,
        seen: [top.clone()].into_iter().collect(),
        entries: Vec::new(),
        diags: Vec::new(),
    };
    r.read_text(&top, input.text, 0, false);
    let Reading { entries, diags, .. } = r;
    out.diagnostics.extend(diags);
    finish(entries, &top, out);
}

/// `a/./b/../c.txt` as `a/c.txt`, the form `read_relative` gives back.
fn normalize_path(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    crate::source::resolve(path, name).unwrap_or_else(|| path.to_owned())
}

impl Reading<'_> {
    fn read_text(&mut self, path: &str, text: &str, depth: usize, constraint: bool) {
        let scope = file_scope(path);
        // Index into `entries` of the requirement that `# via` lines describe.
        let mut via_of: Option<usize> = None;
        for (line, logical) in logical_lines(text) {
            let trimmed = logical.trim();
            if let Some(comment) = trimmed.strip_prefix('#') {
                via_of = via_of.filter(|&i| self.via_line(i, comment));
                continue;
            }
            via_of = None;
            let content = strip_comment(&logical);
            let content = content.trim();
            if content.is_empty() {
                continue;
            }
            if content.starts_with('-') {
                via_of = self.option(path, line, content, depth, constraint);
                continue;
            }
            if let Some(e) = self.requirement(path, line, content, false, scope, constraint) {
                self.entries.push(e);
                via_of = Some(self.entries.len() - 1);
            }
        }
    }

    /// Reads one `# via` comment line; false when it ends the annotation.
    fn via_line(&mut self, i: usize, comment: &str) -> bool {
        let Some(entry) = self.entries.get_mut(i) else {
            return false;
        };
        let text = comment.trim();
        let items = if let Some(rest) = text.strip_prefix("via") {
            if !(rest.is_empty() || rest.starts_with(char::is_whitespace)) {
                return false;
            }
            entry.via.get_or_insert_with(Via::default);
            rest
        } else if entry.via.is_some() && comment.starts_with(char::is_whitespace) {
            text
        } else {
            return false;
        };
        let Some(via) = entry.via.as_mut() else {
            return false;
        };
        for item in items.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            if item.starts_with("-r") || item.starts_with("-c") || item.contains(" (") {
                via.direct = true;
            } else {
                let name = item.split(['[', ' ']).next().unwrap_or(item);
                via.parents.push(normalize(name));
            }
        }
        true
    }

    /// An option line; returns the entry of an `-e` requirement.
    fn option(
        &mut self,
        path: &str,
        line: u32,
        content: &str,
        depth: usize,
        constraint: bool,
    ) -> Option<usize> {
        if let Some(rel) = option_value(content, "-r", "--requirement") {
            self.include(path, line, rel, depth, constraint);
        } else if let Some(rel) = option_value(content, "-c", "--constraint") {
            self.include(path, line, rel, depth, true);
        } else if let Some(target) = option_value(content, "-e", "--editable") {
            let scope = file_scope(path);
            let e = self.requirement(path, line, target, true, scope, constraint)?;
            self.entries.push(e);
            return Some(self.entries.len() - 1);
        }
        // Any other option (`-i`, `--index-url`, `--no-binary`, ...) says
        // where and how to install, not what.
        None
    }

    fn include(&mut self, from: &str, line: u32, rel: &str, depth: usize, constraint: bool) {
        let rel = rel.trim_matches(|c| c == '"' || c == '\'');
        if rel.contains("://") {
            self.diags.push(
                Diagnostic::warning(
                    from,
                    Code::UnreadableInclude,
                    format!("`{rel}` is remote; vigie does not fetch it"),
                )
                .at_line(Some(line)),
            );
            return;
        }
        // Read once: a cycle, or a file included twice, ends here.
        if crate::source::resolve(from, rel).is_some_and(|p| self.seen.contains(&p)) {
            return;
        }
        if depth + 1 > MAX_DEPTH || self.seen.len() >= MAX_FILES {
            self.diags.push(
                Diagnostic::error(
                    from,
                    Code::IncludeLimit,
                    format!(
                        "`{rel}` not read: includes are limited to {MAX_DEPTH} levels and {MAX_FILES} files"
                    ),
                )
                .at_line(Some(line)),
            );
            return;
        }
        match self.files.read_relative(from, rel) {
            Ok((path, text)) => {
                if self.seen.insert(path.clone()) {
                    self.read_text(&path, &text, depth + 1, constraint);
                }
            }
            Err(e) => self.diags.push(
                Diagnostic::error(
                    from,
                    Code::UnreadableInclude,
                    format!("cannot read the included file `{rel}`: {e}"),
                )
                .at_line(Some(line)),
            ),
        }
    }

    /// Parses one requirement (or the target of `-e`).
    fn requirement(
        &mut self,
        path: &str,
        line: u32,
        content: &str,
        editable: bool,
        scope: Scope,
        constraint: bool,
    ) -> Option<Entry> {
        let spec = cut_options(content);
        let entry = |name: &str, version: Option<&str>, why: Option<String>, by_name| Entry {
            name: name.to_owned(),
            key: normalize(name),
            version: version.map(str::to_owned),
            why,
            source: None,
            file: path.to_owned(),
            line,
            scope,
            constraint,
            by_name,
            via: None,
        };
        // `name [extras] @ url`: a direct reference.
        if let Some((name, rest)) = split_name(spec)
            && let Some(url) = rest.trim_start().strip_prefix('@')
        {
            let url = strip_url_markers(url).trim();
            let why = if editable {
                format!("editable install from {url}")
            } else {
                format!("installed from {url}")
            };
            return Some(entry(name, None, Some(why), false));
        }
        if editable || is_location(spec) {
            let location = strip_url_markers(spec).trim();
            if is_local_folder(location) {
                return None;
            }
            let Some(name) = name_from_location(location) else {
                self.diags.push(
                    Diagnostic::error(
                        path,
                        Code::InvalidSyntax,
                        format!("no package name can be told from `{location}`"),
                    )
                    .at_line(Some(line)),
                );
                return None;
            };
            let why = match (editable, location.contains("://")) {
                (true, _) => format!("editable install from {location}"),
                (false, true) => format!("installed from {location}"),
                (false, false) => format!("installed from the local file {location}"),
            };
            return Some(entry(&name, None, Some(why), false));
        }
        let Some((name, rest)) = split_name(spec) else {
            self.diags.push(
                Diagnostic::error(
                    path,
                    Code::InvalidSyntax,
                    format!("not a requirement: `{spec}`"),
                )
                .at_line(Some(line)),
            );
            return None;
        };
        let specifier = rest.split(';').next().unwrap_or("").trim();
        let specifier = specifier
            .strip_prefix('(')
            .and_then(|s| s.strip_suffix(')'))
            .unwrap_or(specifier)
            .trim();
        match pinned_version(specifier) {
            Some(v) => Some(entry(name, Some(v), None, true)),
            None if specifier.is_empty() => Some(entry(
                name,
                None,
                Some("no version specifier".to_owned()),
                true,
            )),
            None => Some(entry(
                name,
                None,
                Some(format!("`{specifier}` is not a pin")),
                true,
            )),
        }
    }
}

/// The value of `-x value`, `-xvalue`, `--long value` or `--long=value`.
fn option_value<'a>(line: &'a str, short: &str, long: &str) -> Option<&'a str> {
    if let Some(rest) = line.strip_prefix(long) {
        let value = rest
            .strip_prefix('=')
            .or_else(|| rest.starts_with(char::is_whitespace).then_some(rest))?;
        return Some(value.trim()).filter(|v| !v.is_empty());
    }
    if line.starts_with("--") {
        return None;
    }
    let rest = line.strip_prefix(short)?;
    Some(rest.trim()).filter(|v| !v.is_empty())
}

/// The logical lines of a file with their first line number: `\` at the
/// end of a line joins the next one, as pip does (a comment line is never
/// continued, and ends a continuation).
fn logical_lines(text: &str) -> Vec<(u32, String)> {
    let mut lines = Vec::new();
    let mut pending: Option<(u32, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = i as u32 + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let is_comment = raw.trim_start().starts_with('#');
        if raw.ends_with('\\') && !is_comment {
            let piece = raw.trim_matches('\\');
            match &mut pending {
                Some((_, s)) => s.push_str(piece),
                None => pending = Some((n, piece.to_owned())),
            }
            continue;
        }
        match pending.take() {
            Some((start, mut s)) => {
                if is_comment {
                    s.push(' ');
                }
                s.push_str(raw);
                lines.push((start, s));
            }
            None => lines.push((n, raw.to_owned())),
        }
    }
    lines.extend(pending);
    lines
}

/// Removes a comment: `#` at the start or after white space.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1].is_ascii_whitespace()) {
            return &line[..i];
        }
    }
    line
}

/// Removes per-requirement options (`--hash=...`, `--config-settings ...`).
fn cut_options(spec: &str) -> &str {
    let bytes = spec.as_bytes();
    for i in 1..bytes.len() {
        if bytes[i - 1].is_ascii_whitespace() && spec[i..].starts_with("--") {
            return spec[..i].trim_end();
        }
    }
    spec
}

/// Markers after a URL need a space before the `;`.
fn strip_url_markers(spec: &str) -> &str {
    let bytes = spec.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b';' && i > 0 && bytes[i - 1].is_ascii_whitespace() {
            return &spec[..i];
        }
    }
    spec
}

/// A PEP 508 name at the start, and what follows its extras.
fn split_name(spec: &str) -> Option<(&str, &str)> {
    let end = spec
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .unwrap_or(spec.len());
    let name = &spec[..end];
    if !name.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !name.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return None;
    }
    let rest = spec[end..].trim_start();
    let rest = match rest.strip_prefix('[') {
        Some(extras) => &extras[extras.find(']')? + 1..],
        None => rest,
    };
    // What follows a name is a specifier, a marker or a URL, never a word.
    let next = rest.trim_start();
    if next.is_empty() || next.starts_with(['=', '<', '>', '!', '~', ';', '@', '(', ',']) {
        Some((name, rest))
    } else {
        None
    }
}

/// The version of a specifier that pins one (`==1.2.3`, `===1.2.3`).
fn pinned_version(specifier: &str) -> Option<&str> {
    specifier.split(',').find_map(|clause| {
        let clause = clause.trim();
        let v = clause
            .strip_prefix("===")
            .or_else(|| clause.strip_prefix("=="))?
            .trim();
        (!v.is_empty() && !v.contains(['*', ' ', '\t'])).then_some(v)
    })
}

const ARCHIVES: [&str; 7] = [
    ".whl", ".tar.gz", ".zip", ".tgz", ".tar.bz2", ".tar.xz", ".egg",
];

fn is_archive(location: &str) -> bool {
    let path = location.split(['#', '?']).next().unwrap_or(location);
    let path = path.to_ascii_lowercase();
    ARCHIVES.iter().any(|ext| path.ends_with(ext))
}

/// A URL or a path rather than a name.
fn is_location(spec: &str) -> bool {
    spec.contains("://")
        || ["git+", "hg+", "svn+", "bzr+", "file:"]
            .iter()
            .any(|p| spec.starts_with(p))
        || spec.starts_with(['.', '/', '~', '\\'])
        || spec
            .split_whitespace()
            .next()
            .is_some_and(|w| w.contains('/') || is_archive(w))
}

/// A folder on disk (the project, or a package of it), not an archive.
fn is_local_folder(location: &str) -> bool {
    let remote = location.contains("://") && !location.starts_with("file:");
    let vcs = ["git+", "hg+", "svn+", "bzr+"]
        .iter()
        .any(|p| location.starts_with(p));
    !remote && !vcs && !is_archive(location)
}

/// A package name from `#egg=name`, a wheel or sdist file name, or the last
/// segment of a VCS URL.
fn name_from_location(location: &str) -> Option<String> {
    if let Some((_, fragment)) = location.split_once('#') {
        for part in fragment.split('&') {
            if let Some(egg) = part.strip_prefix("egg=") {
                let name = egg.split('[').next().unwrap_or(egg).trim();
                if !name.is_empty() {
                    return Some(name.to_owned());
                }
            }
        }
    }
    let path = location.split(['#', '?']).next().unwrap_or(location);
    let last = path.trim_end_matches('/').rsplit(['/', '\\']).next()?;
    let lower = last.to_ascii_lowercase();
    let name = if lower.ends_with(".whl") {
        last.split('-').next()?
    } else if let Some(ext) = ARCHIVES.iter().find(|e| lower.ends_with(*e)) {
        let stem = &last[..last.len() - ext.len()];
        // `name-1.0`: the name ends at the last `-` before a digit.
        let bytes = stem.as_bytes();
        let cut = (1..bytes.len())
            .rev()
            .find(|&i| bytes[i - 1] == b'-' && bytes[i].is_ascii_digit())
            .map_or(stem.len(), |i| i - 1);
        &stem[..cut]
    } else {
        let repo = last.split('@').next().unwrap_or(last);
        repo.strip_suffix(".git").unwrap_or(repo)
    };
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

const DEV_WORDS: [&str; 10] = [
    "dev",
    "develop",
    "development",
    "test",
    "tests",
    "testing",
    "lint",
    "doc",
    "docs",
    "typing",
];

/// Dev for files named like `requirements-dev.txt`, see the module doc.
fn file_scope(path: &str) -> Scope {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    let stem = name.strip_suffix(".txt").unwrap_or(&name);
    if stem.split(['-', '_', '.']).any(|w| DEV_WORDS.contains(&w)) {
        Scope::Dev
    } else {
        Scope::Runtime
    }
}

/// The widest of two scopes (runtime before dev).
fn widest(a: Scope, b: Scope) -> Scope {
    if a == Scope::Runtime || b == Scope::Runtime {
        Scope::Runtime
    } else {
        a
    }
}

/// Resolves the set of entries into components: constraints pin unpinned
/// requirements, pinned names make unpinned mentions redundant, repeats merge.
fn finish(mut entries: Vec<Entry>, top: &str, out: &mut Output) {
    let mut constraint_pins: HashMap<String, (String, String)> = HashMap::default();
    let mut required: HashSet<String> = HashSet::default();
    for e in &entries {
        if e.constraint {
            if let Some(v) = &e.version {
                constraint_pins
                    .entry(e.key.clone())
                    .or_insert_with(|| (v.clone(), e.file.clone()));
            }
        } else {
            required.insert(e.key.clone());
        }
    }
    for e in entries.iter_mut().filter(|e| !e.constraint) {
        if e.version.is_none()
            && e.by_name
            && let Some((v, file)) = constraint_pins.get(&e.key)
        {
            e.version = Some(v.clone());
            e.why = None;
            e.source = Some(format!("version from the constraints file {file}"));
        }
    }
    let pinned: HashSet<String> = entries
        .iter()
        .filter(|e| !e.constraint && e.version.is_some())
        .map(|e| e.key.clone())
        .collect();
    // (key, version) -> component index, to merge repeats.
    let mut index: HashMap<(String, Option<String>), u32> = HashMap::default();
    let mut vias: Vec<(u32, Vec<String>)> = Vec::new();
    let mut relation_known: HashMap<u32, Relation> = HashMap::default();
    for e in entries {
        if e.constraint && required.contains(&e.key) {
            continue;
        }
        if !e.constraint && e.version.is_none() && pinned.contains(&e.key) {
            continue;
        }
        let id = (e.key.clone(), e.version.clone());
        let relation = match &e.via {
            Some(v) if v.direct => Relation::Direct,
            Some(_) => Relation::Transitive,
            None => Relation::Unknown,
        };
        if let Some(&i) = index.get(&id) {
            if let Some(c) = out.components.get_mut(i as usize) {
                c.scope = widest(c.scope, e.scope);
            }
            merge_relation(&mut relation_known, i, relation);
            if let Some(via) = e.via {
                vias.push((i, via.parents));
            }
            continue;
        }
        let mut notes: Vec<String> = Vec::new();
        notes.extend(e.why.clone());
        notes.extend(e.source);
        if e.constraint {
            notes.push("a constraint: installed only if something requires it".to_owned());
        }
        if e.file != top {
            notes.push(format!("from {}", e.file));
        }
        let mut c = Component::new(Ecosystem::PyPI, &e.name, e.version.as_deref())
            .with_scope(e.scope)
            .with_line(Some(e.line));
        if !notes.is_empty() {
            c = c.with_note(notes.join("; "));
        }
        if let Some(why) = &e.why {
            out.diagnostics.push(
                Diagnostic::warning(
                    e.file.clone(),
                    Code::UnresolvedVersion,
                    format!("`{}`: {why}", e.name),
                )
                .at_line(Some(e.line)),
            );
        }
        let i = out.push(c);
        index.insert(id, i);
        merge_relation(&mut relation_known, i, relation);
        if let Some(via) = e.via {
            vias.push((i, via.parents));
        }
    }
    for (i, r) in relation_known {
        if let Some(c) = out.components.get_mut(i as usize) {
            c.relation = r;
        }
    }
    let mut by_key: HashMap<String, Vec<u32>> = HashMap::default();
    for (i, c) in out.components.iter().enumerate() {
        by_key.entry(normalize(&c.name)).or_default().push(i as u32);
    }
    let mut edges = HashSet::default();
    for (child, parents) in vias {
        for p in parents {
            for &from in by_key.get(&p).into_iter().flatten() {
                if from != child && edges.insert((from, child)) {
                    out.depend(from, child);
                }
            }
        }
    }
}

/// Direct wins over transitive, which wins over unknown.
fn merge_relation(known: &mut HashMap<u32, Relation>, i: u32, r: Relation) {
    let slot = known.entry(i).or_insert(Relation::Unknown);
    if r == Relation::Direct || (r == Relation::Transitive && *slot == Relation::Unknown) {
        *slot = r;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_in(path: &str, text: &str, files: &MemorySource) -> Output {
        read_file_as(&READER, path, text, files)
    }

    fn read_text(text: &str) -> Output {
        read_in("requirements.txt", text, &MemorySource::new())
    }

    fn summary(out: &Output) -> Vec<(&str, Option<&str>, Option<u32>)> {
        out.components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.line))
            .collect()
    }

    #[test]
    fn file_names() {
        for yes in [
            "requirements.txt",
            "requirements-dev.txt",
            "requirements_test.txt",
            "dev-requirements.txt",
            "Requirements.TXT",
            "constraints.txt",
            "constraints-py3.txt",
        ] {
            assert!(matches(yes), "{yes}");
        }
        for no in [
            "requirements.in",
            "dev.txt",
            "myrequirements-old.txt",
            "é.txt",
            "txt",
        ] {
            assert!(!matches(no), "{no}");
        }
    }

    #[test]
    fn pins_extras_markers_hashes_and_options() {
        let text = "\
--index-url https://example.com/simple
-i https://example.com/simple
--extra-index-url=https://other.example.com/simple
--no-binary :all:
Twisted[http2,tls] == 20.3.0 ; python_version >= \"3.8\"
boto3==1.26.121 --hash=sha256:f87d694c
zope.interface===5.4.0+local
FooProject == 1.2 \\
  --hash=sha256:2cf24dba \\
  --hash=sha256:486ea462
pkg (==2.0)
";
        let out = read_text(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(
            summary(&out),
            [
                ("Twisted", Some("20.3.0"), Some(5)),
                ("boto3", Some("1.26.121"), Some(6)),
                ("zope.interface", Some("5.4.0+local"), Some(7)),
                ("FooProject", Some("1.2"), Some(8)),
                ("pkg", Some("2.0"), Some(11)),
            ]
        );
        assert_eq!(out.components[0].purl, "pkg:pypi/twisted@20.3.0");
        assert!(out.components.iter().all(|c| c.scope == Scope::Runtime));
        assert!(
            out.components
                .iter()
                .all(|c| c.relation == Relation::Unknown)
        );
    }

    #[test]
    fn continuations_as_pip_joins_them() {
        // The osv-scanner fixture `line-continuation.txt`, worked out by
        // hand with pip's `join_lines`: `\\` pieces lose their backslashes,
        // a comment is removed only after joining.
        let text = "# unescaped\nfoo==\\\n\\\n \\\n  \\\n1.2.3\n\n# escaped\nbar == 4.5\\\\\n.6\n\nbaz == 7.8.9 # \\\nbaz == 1.2.3\n\nqux == 10.11.12\\";
        let out = read_text(text);
        assert_eq!(
            summary(&out),
            [
                ("foo", Some("1.2.3"), Some(2)),
                ("bar", Some("4.5.6"), Some(9)),
                ("baz", Some("7.8.9"), Some(12)),
                ("qux", Some("10.11.12"), Some(15)),
            ]
        );
    }

    #[test]
    fn unresolved_lines_are_kept_with_a_reason() {
        let text = "\
flask
keyring >= 4.1.1
django==4.*
requests @ https://example.com/requests-2.0.tar.gz ; python_version > \"3\"
./downloads/numpy-1.9.2-cp34-none-win32.whl
http://example.com/wxPython_Phoenix-3.0.3.dev1820+49a8884-cp34-none-win_amd64.whl
-e git+https://github.com/org/tool.git@v1.0#egg=my-tool
git+https://github.com/org/other.git@main
https://example.com/pkgs/simple-lib-1.0.tar.gz#sha256=abc
-e .
.
./libs/local_pkg
";
        let out = read_text(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.note.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                ("flask", None, Some("no version specifier")),
                ("keyring", None, Some("`>= 4.1.1` is not a pin")),
                ("django", None, Some("`==4.*` is not a pin")),
                (
                    "requests",
                    None,
                    Some("installed from https://example.com/requests-2.0.tar.gz")
                ),
                (
                    "numpy",
                    None,
                    Some(
                        "installed from the local file ./downloads/numpy-1.9.2-cp34-none-win32.whl"
                    )
                ),
                (
                    "wxPython_Phoenix",
                    None,
                    Some(
                        "installed from http://example.com/wxPython_Phoenix-3.0.3.dev1820+49a8884-cp34-none-win_amd64.whl"
                    )
                ),
                (
                    "my-tool",
                    None,
                    Some(
                        "editable install from git+https://github.com/org/tool.git@v1.0#egg=my-tool"
                    )
                ),
                (
                    "other",
                    None,
                    Some("installed from git+https://github.com/org/other.git@main")
                ),
                (
                    "simple-lib",
                    None,
                    Some(
                        "installed from https://example.com/pkgs/simple-lib-1.0.tar.gz#sha256=abc"
                    )
                ),
            ]
        );
        let warnings: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(warnings.len(), 9);
        assert!(warnings.iter().all(|(c, _)| *c == "unresolved-version"));
        assert_eq!(warnings[8].1, Some(9));
    }

    #[test]
    fn garbage_lines_are_located_errors_and_the_rest_is_kept() {
        let out = read_text("good==1.0\nthis is not a requirement\n[oops]==1\nalso-good==2\n");
        assert_eq!(out.components.len(), 2);
        let errors: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            errors,
            [("invalid-syntax", Some(2)), ("invalid-syntax", Some(3))]
        );
    }

    #[test]
    fn includes_are_read_once_relative_to_their_file() {
        let files = MemorySource::new()
            .with(
                "app/requirements/base.txt",
                "django==4.2.1\n-r ../requirements.txt\n",
            )
            .with(
                "app/requirements/test.txt",
                "# tests\n-r base.txt\npytest==8.0.0\nrequests==2.31.0\n",
            );
        let top = "-r requirements/base.txt\n--requirement=requirements/test.txt\nrequests==2.31.0\n-r missing.txt\n";
        let out = read_in("app/requirements.txt", top, &files);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.line, c.scope, c.note.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "django",
                    Some(1),
                    Scope::Runtime,
                    Some("from app/requirements/base.txt")
                ),
                (
                    "pytest",
                    Some(3),
                    Scope::Dev,
                    Some("from app/requirements/test.txt")
                ),
                // Pinned the same in test.txt (dev) and here (runtime): one
                // component, runtime, where it was first seen.
                (
                    "requests",
                    Some(4),
                    Scope::Runtime,
                    Some("from app/requirements/test.txt")
                ),
            ]
        );
        assert_eq!(out.diagnostics.len(), 1);
        let d = &out.diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.file.as_str(), d.line),
            ("unreadable-include", "app/requirements.txt", Some(4))
        );
        assert!(d.message.contains("missing.txt"), "{}", d.message);
    }

    #[test]
    fn include_problems_name_the_including_file() {
        let files = MemorySource::new().with("a/inner.txt", "x==1\n\n-r ../../outside.txt\n");
        let out = read_in("a/requirements.txt", "-r inner.txt\n", &files);
        assert_eq!(out.components.len(), 1);
        let d = &out.diagnostics[0];
        assert_eq!(
            (d.code.as_str(), d.file.as_str(), d.line),
            ("unreadable-include", "a/inner.txt", Some(3))
        );
        let out = read_text("-r https://example.com/requirements.txt\n");
        assert_eq!(out.diagnostics[0].code, "unreadable-include");
    }

    #[test]
    fn include_depth_is_bounded() {
        let mut files = MemorySource::new();
        for i in 0..40 {
            files = files.with(
                &format!("r{i}.txt"),
                &format!("-r r{}.txt\np{i}==1\n", i + 1),
            );
        }
        let out = read_in("requirements.txt", "-r r0.txt\n", &files);
        assert_eq!(out.components.len(), MAX_DEPTH);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "include-limit");
        assert_eq!(out.diagnostics[0].file, format!("r{}.txt", MAX_DEPTH - 1));
    }

    #[test]
    fn constraints_pin_what_requirements_leave_open() {
        let files = MemorySource::new().with(
            "constraints.txt",
            "flask==2.3.2\nwerkzeug==2.3.6\nkeyring==24.0\n",
        );
        let top = "-c constraints.txt\nflask\nkeyring>=20\nrequests\n";
        let out = read_in("requirements.txt", top, &files);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.note.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "werkzeug",
                    Some("2.3.6"),
                    Some(
                        "a constraint: installed only if something requires it; from constraints.txt"
                    )
                ),
                (
                    "flask",
                    Some("2.3.2"),
                    Some("version from the constraints file constraints.txt")
                ),
                (
                    "keyring",
                    Some("24.0"),
                    Some("version from the constraints file constraints.txt")
                ),
                ("requests", None, Some("no version specifier")),
            ]
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].line, Some(4));
    }

    #[test]
    fn a_pin_makes_unpinned_mentions_redundant() {
        let out = read_text("flask\nflask==2.0.0\nflask>=1\nflask==2.0.0\n");
        assert_eq!(summary(&out), [("flask", Some("2.0.0"), Some(2))]);
        assert!(out.diagnostics.is_empty());
    }

    #[test]
    fn pip_compile_annotations_give_relations_and_edges() {
        let text = "\
#
#    pip-compile --output-file=requirements.txt requirements.in
#
click==8.1.7 \\
    --hash=sha256:ae74fb96
    # via flask
flask==3.0.0
    # via
    #   -r requirements.in
    #   flask-cors
flask-cors==4.0.0
    # via -r requirements.in
itsdangerous==2.1.2
    # via flask, other-thing

# The following packages are considered to be unsafe in a requirements file:
setuptools==69.0.0
";
        let out = read_text(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.relation))
            .collect();
        use Relation::*;
        assert_eq!(
            got,
            [
                ("click", Transitive),
                ("flask", Direct),
                ("flask-cors", Direct),
                ("itsdangerous", Transitive),
                ("setuptools", Unknown),
            ]
        );
        // flask -> click, flask-cors -> flask, flask -> itsdangerous.
        assert_eq!(out.dependencies, [(1, 0), (2, 1), (1, 3)]);
    }

    #[test]
    fn scope_from_the_file_name() {
        assert_eq!(file_scope("requirements-dev.txt"), Scope::Dev);
        assert_eq!(file_scope("a/test_requirements.txt"), Scope::Dev);
        assert_eq!(file_scope("requirements/docs.txt"), Scope::Dev);
        assert_eq!(file_scope("requirements.txt"), Scope::Runtime);
        assert_eq!(file_scope("requirements-deploy.txt"), Scope::Runtime);
        assert_eq!(file_scope("requirements-latest.txt"), Scope::Runtime);
        assert_eq!(file_scope("devops-requirements.txt"), Scope::Runtime);
        let out = read_in(
            "dev-requirements.txt",
            "pytest==8.0\n",
            &MemorySource::new(),
        );
        assert_eq!(out.components[0].scope, Scope::Dev);
    }

    #[test]
    fn windows_line_ends_and_empty_files() {
        let out = read_text("a==1\r\nb==2 \\\r\n  --hash=sha256:00\r\n");
        assert_eq!(
            summary(&out),
            [("a", Some("1"), Some(1)), ("b", Some("2"), Some(2))]
        );
        let out = read_text("");
        assert!(out.components.is_empty() && out.diagnostics.is_empty());
    }
}
