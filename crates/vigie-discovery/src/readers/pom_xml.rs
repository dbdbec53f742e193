//! Maven `pom.xml`: the declared dependencies of a project, with their
//! versions resolved as far as the tree allows.
//!
//! Read: `project/dependencies` (direct components) and
//! `project/dependencyManagement` (versions for dependencies that state
//! none). The XML is read with quick-xml, which never loads a DTD: only the
//! five predefined entities and character references are expanded, any
//! other `&name;` is kept as written and reported.
//!
//! **Versions.** `${...}` is resolved from `properties` and the model values
//! (`project.version`, `project.groupId`, `project.parent.version`, `pom.*`),
//! recursively (`${revision}` defined as `${major}.${minor}` works), with a
//! depth and length bound and cycle detection. The parent chain is followed
//! through `parent/relativePath` (default `../pom.xml`, a folder means its
//! `pom.xml`, an empty `<relativePath/>` means "not in the tree"), read only
//! through [`crate::FileSource`] (never outside the tree), at most 16 deep,
//! cycle-safe, and a file found there is used only if its groupId/artifactId
//! are those the child declares. Properties and `dependencyManagement` are
//! inherited as Maven does (the child wins) and interpolated in the child's
//! context. `scope=import` BOMs are looked for in the tree by
//! groupId:artifactId[:version] among the POMs of the chain, the folders
//! `../<artifactId>` and `<artifactId>` beside each of them, and the
//! `modules` they list (at most 128 other files per POM read, 4 levels of
//! nested imports); their own management (interpolated in their own
//! context) fills the keys not already managed. A dependency whose version
//! cannot be found this way is kept with no version (UNRESOLVED), a note
//! saying which property or which missing parent/BOM, and an
//! `unresolved-version` warning. Version ranges are unresolved too, except
//! the exact `[1.2.3]`.
//!
//! **What becomes a component.**
//! - Each dependency (`Direct`). A dependency of a parent POM found in the
//!   tree is inherited by this module, as in Maven (and osv-scanner): it is a
//!   component here too, with a note naming the parent, and no line.
//! - Each entry of this file's own `dependencyManagement` that no dependency
//!   uses: relation unknown, with a note (it pins the version of a
//!   transitive dependency, if one comes). Entries that a dependency uses
//!   just give it its version.
//! - Each `scope=import` BOM of this file: scope `Build` (it brings no code,
//!   only versions).
//! - The parent POM when it is not in the tree (`spring-boot-starter-parent`):
//!   scope `Build`, so that the framework version stays visible. A parent
//!   found in the tree is the project's own build, not a component.
//!
//! Scopes: compile/runtime → runtime, test → dev, provided/system → build
//! (the container or the system supplies them at run time), `optional` →
//! optional, anything else → unknown. Sibling modules of a multi-module
//! build (`io.dropwizard:dropwizard-util`) are real published artifacts and
//! stay components. Not read: profiles, plugins and their dependencies. The
//! project is named by its artifactId (else `name`).

use std::collections::{HashMap, HashSet};

use quick_xml::events::Event;
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::util::xml_reader;
use crate::{FileSource, Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "pom-xml",
    description: "Maven pom.xml (dependencies, dependencyManagement, parents and BOMs in the tree)",
    ecosystem: Some(Ecosystem::Maven),
    matches: |name| name == "pom.xml",
    sniff: None,
    read,
};

/// Parents followed at most.
const MAX_CHAIN: usize = 16;
/// Nested `scope=import` levels followed at most.
const MAX_IMPORT_DEPTH: usize = 4;
/// Other files read at most for one POM.
const MAX_READS: usize = 128;
/// Interpolation: nesting depth and result length.
const MAX_INTERP_DEPTH: usize = 32;
const MAX_INTERP_LEN: usize = 4096;
/// Element nesting accepted in a POM.
const MAX_XML_DEPTH: usize = 256;

// ---------------------------------------------------------------- parsing

#[derive(Clone, Debug, Default)]
struct Dep {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    scope: Option<String>,
    optional: Option<String>,
    ty: Option<String>,
    classifier: Option<String>,
    line: u32,
}

#[derive(Clone, Debug, Default)]
struct Parent {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    /// `None`: absent (default `../pom.xml`); `Some("")`: explicitly empty.
    relative_path: Option<String>,
    line: u32,
}

#[derive(Debug, Default)]
struct Pom {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    name: Option<String>,
    parent: Option<Parent>,
    properties: Vec<(String, String)>,
    deps: Vec<Dep>,
    managed: Vec<Dep>,
    modules: Vec<String>,
}

impl Pom {
    fn group_id(&self) -> Option<&str> {
        self.group
            .as_deref()
            .or_else(|| self.parent.as_ref()?.group.as_deref())
    }

    fn version_str(&self) -> Option<&str> {
        self.version
            .as_deref()
            .or_else(|| self.parent.as_ref()?.version.as_deref())
    }

    fn coords(&self) -> String {
        format!(
            "{}:{}:{}",
            self.group_id().unwrap_or("?"),
            self.artifact.as_deref().unwrap_or("?"),
            self.version_str().unwrap_or("?")
        )
    }
}

/// A problem met while parsing: `(is_error, code, message, line)`.
type Problem = (bool, Code, String, Option<u32>);

/// Line numbers for increasing byte offsets, without rescanning the text.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset < self.pos {
            self.pos = 0;
            self.line = 1;
        }
        let bytes = self.text.as_bytes().get(self.pos..offset).unwrap_or(&[]);
        self.line += bytes.iter().filter(|&&b| b == b'\n').count() as u32;
        self.pos = offset;
        self.line
    }
}

/// Whether `name` is an XML name (quick-xml does not check).
fn valid_name(name: &str) -> bool {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':' || !c.is_ascii());
    first_ok
        && chars.all(|c| c.is_alphanumeric() || matches!(c, '_' | ':' | '.' | '-') || !c.is_ascii())
}

#[derive(Default)]
struct Builder {
    pom: Pom,
    stack: Vec<String>,
    text: String,
    dep: Option<Dep>,
}

impl Builder {
    fn start(&mut self, name: &str, line: u32) {
        self.stack.push(name.to_owned());
        self.text.clear();
        let path: Vec<&str> = self.stack.iter().map(String::as_str).collect();
        match path.as_slice() {
            ["project", "dependencies", "dependency"]
            | [
                "project",
                "dependencyManagement",
                "dependencies",
                "dependency",
            ] => {
                self.dep = Some(Dep {
                    line,
                    ..Dep::default()
                });
            }
            ["project", "parent"] => {
                self.pom.parent = Some(Parent {
                    line,
                    ..Parent::default()
                });
            }
            _ => {}
        }
    }

    fn end(&mut self) {
        let value = std::mem::take(&mut self.text).trim().to_owned();
        let path: Vec<&str> = self.stack.iter().map(String::as_str).collect();
        let pom = &mut self.pom;
        match path.as_slice() {
            ["project", field] => {
                let slot = match *field {
                    "groupId" => &mut pom.group,
                    "artifactId" => &mut pom.artifact,
                    "version" => &mut pom.version,
                    "name" => &mut pom.name,
                    _ => &mut None,
                };
                *slot = Some(value);
            }
            ["project", "parent", field] => {
                if let Some(p) = pom.parent.as_mut() {
                    let slot = match *field {
                        "groupId" => &mut p.group,
                        "artifactId" => &mut p.artifact,
                        "version" => &mut p.version,
                        "relativePath" => &mut p.relative_path,
                        _ => &mut None,
                    };
                    *slot = Some(value);
                }
            }
            ["project", "properties", name] => pom.properties.push(((*name).to_owned(), value)),
            ["project", "modules", "module"] => pom.modules.push(value),
            ["project", "dependencies", "dependency"] => pom.deps.extend(self.dep.take()),
            [
                "project",
                "dependencyManagement",
                "dependencies",
                "dependency",
            ] => {
                pom.managed.extend(self.dep.take());
            }
            ["project", "dependencies", "dependency", field]
            | [
                "project",
                "dependencyManagement",
                "dependencies",
                "dependency",
                field,
            ] => {
                if let Some(d) = self.dep.as_mut() {
                    let slot = match *field {
                        "groupId" => &mut d.group,
                        "artifactId" => &mut d.artifact,
                        "version" => &mut d.version,
                        "scope" => &mut d.scope,
                        "optional" => &mut d.optional,
                        "type" => &mut d.ty,
                        "classifier" => &mut d.classifier,
                        _ => &mut None,
                    };
                    *slot = Some(value);
                }
            }
            _ => {}
        }
        self.stack.pop();
    }
}

/// Parses a POM. `None` when the text is not a Maven POM at all.
fn parse_pom(text: &str) -> (Option<Pom>, Vec<Problem>) {
    let mut reader = xml_reader(text);
    let mut lines = Lines {
        text,
        pos: 0,
        line: 1,
    };
    let mut b = Builder::default();
    let mut problems: Vec<Problem> = Vec::new();
    let mut root_seen = false;
    let mut warned_entity = false;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let line = lines.at(reader.error_position() as usize);
                problems.push((
                    true,
                    Code::InvalidSyntax,
                    format!("not well-formed XML: {e}"),
                    Some(line),
                ));
                break;
            }
        };
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let qname = e.name();
                let name = qname.local_name().into_inner();
                let line = lines.at(end.saturating_sub(1));
                if !valid_name(qname.into_inner()) {
                    problems.push((
                        true,
                        Code::InvalidSyntax,
                        format!("`<{}>` is not a valid XML element name", qname.into_inner()),
                        Some(line),
                    ));
                }
                if !root_seen {
                    root_seen = true;
                    if name != "project" {
                        problems.push((
                            true,
                            Code::UnexpectedContent,
                            format!("the root element is <{name}>, not <project>: not a Maven POM"),
                            Some(line),
                        ));
                        return (None, problems);
                    }
                }
                if b.stack.len() >= MAX_XML_DEPTH {
                    problems.push((
                        true,
                        Code::TooDeep,
                        "elements nested too deeply".into(),
                        Some(line),
                    ));
                    break;
                }
                b.start(name, line);
                if matches!(event, Event::Empty(_)) {
                    b.end();
                }
            }
            Event::End(_) => b.end(),
            Event::Text(t) => b.text.push_str(&t.xml10_content()),
            Event::CData(t) => b.text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c),
                    Ok(None) => match &*r {
                        "lt" => Some('<'),
                        "gt" => Some('>'),
                        "amp" => Some('&'),
                        "apos" => Some('\''),
                        "quot" => Some('"'),
                        _ => None,
                    },
                    Err(_) => None,
                };
                match resolved {
                    Some(c) => b.text.push(c),
                    None => {
                        b.text.push('&');
                        b.text.push_str(&r);
                        b.text.push(';');
                        if !warned_entity {
                            warned_entity = true;
                            let line = lines.at(end);
                            problems.push((
                                false,
                                Code::EntityNotExpanded,
                                format!(
                                    "entity `&{};` is not expanded (DTD entities are never read)",
                                    &*r
                                ),
                                Some(line),
                            ));
                        }
                    }
                }
            }
            Event::DocType(_) => {
                let line = lines.at(end);
                problems.push((
                    false,
                    Code::DoctypeIgnored,
                    "the DOCTYPE is ignored: its entities are not expanded".into(),
                    Some(line),
                ));
            }
            Event::Eof => {
                // quick-xml ends quietly inside open elements: a cut file is an error.
                if let Some(open) = b.stack.last() {
                    problems.push((
                        true,
                        Code::InvalidSyntax,
                        format!("the file ends inside `<{open}>`: truncated, not well-formed XML"),
                        Some(lines.at(text.len())),
                    ));
                }
                break;
            }
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) => {}
        }
    }
    if !root_seen {
        problems.push((
            true,
            Code::UnexpectedContent,
            "no XML element: not a Maven POM".into(),
            None,
        ));
        return (None, problems);
    }
    (Some(b.pom), problems)
}

// ---------------------------------------------------------- interpolation

/// The properties of one POM's context, with memoised interpolation.
struct Props {
    map: HashMap<String, String>,
    memo: HashMap<String, Result<String, String>>,
}

impl Props {
    /// Interpolates every `${...}`; `Err` names the property that is missing.
    fn interpolate(&mut self, s: &str) -> Result<String, String> {
        self.interp(s, 0)
    }

    fn interp(&mut self, s: &str, depth: usize) -> Result<String, String> {
        if !s.contains("${") {
            return Ok(s.to_owned());
        }
        if depth > MAX_INTERP_DEPTH {
            return Err("(nested too deeply)".into());
        }
        let mut out = String::new();
        let mut rest = s;
        while let Some(i) = rest.find("${") {
            out.push_str(&rest[..i]);
            let after = &rest[i + 2..];
            let Some(j) = after.find('}') else {
                out.push_str(&rest[i..]);
                rest = "";
                break;
            };
            let value = self.lookup(&after[..j], depth)?;
            if out.len() + value.len() > MAX_INTERP_LEN {
                return Err("(value too long)".into());
            }
            out.push_str(&value);
            rest = &after[j + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }

    fn lookup(&mut self, name: &str, depth: usize) -> Result<String, String> {
        if let Some(r) = self.memo.get(name) {
            return r.clone();
        }
        let Some(raw) = self.map.get(name).cloned() else {
            return Err(name.to_owned());
        };
        // A property met again while being resolved is a cycle.
        self.memo
            .insert(name.to_owned(), Err(format!("{name} (defined in a cycle)")));
        let r = self.interp(&raw, depth + 1);
        self.memo.insert(name.to_owned(), r.clone());
        r
    }
}

/// A dependency with its coordinates interpolated.
struct Resolved {
    group: String,
    artifact: String,
    /// `None`: no `<version>`; `Err`: the property that is missing.
    version: Option<Result<String, String>>,
    raw_version: Option<String>,
    scope: Option<String>,
    optional: Option<String>,
    /// `scope=import`, `type=pom`: a BOM.
    import: bool,
    key: Key,
    line: u32,
}

impl Props {
    /// `None` when groupId or artifactId is missing or cannot be resolved.
    fn dep(&mut self, d: &Dep) -> Option<Resolved> {
        let mut opt = |v: &Option<String>| v.as_deref().and_then(|s| self.interpolate(s).ok());
        let group = opt(&d.group).filter(|g| !g.is_empty())?;
        let artifact = opt(&d.artifact).filter(|a| !a.is_empty())?;
        let scope = opt(&d.scope);
        let optional = opt(&d.optional);
        let ty = opt(&d.ty);
        let classifier = opt(&d.classifier);
        let import = scope.as_deref() == Some("import") && ty.as_deref() == Some("pom");
        let key = key(&group, &artifact, ty.as_deref(), classifier.as_deref());
        let version = d.version.as_deref().map(|v| self.interpolate(v));
        Some(Resolved {
            group,
            artifact,
            version,
            raw_version: d.version.clone(),
            scope,
            optional,
            import,
            key,
            line: d.line,
        })
    }
}

// ------------------------------------------------------------- resolution

/// A file of the tree read on the way (index 0: the file being read).
struct Loaded {
    path: String,
    pom: Pom,
}

struct Loader<'a> {
    files: &'a dyn FileSource,
    poms: Vec<Loaded>,
    cache: HashMap<String, Result<usize, String>>,
    reads: usize,
    /// Problems of other POMs, reported once at the end.
    notes: Vec<String>,
}

/// A parent chain: `members[0]` is the POM itself, then its parents in the tree.
struct Chain {
    members: Vec<usize>,
    /// The first parent not found in the tree: coordinates and why.
    external: Option<(String, String)>,
}

#[derive(Clone)]
struct Managed {
    /// `None`: no `<version>`; `Err`: the property that is missing.
    version: Option<Result<String, String>>,
    scope: Option<String>,
    origin: String,
}

type Key = (String, String, String, String);

#[derive(Default)]
struct Management {
    map: HashMap<Key, Managed>,
    /// BOMs (and parents of BOMs) not in the tree, as `g:a:v`.
    unknown: Vec<String>,
}

fn key(g: &str, a: &str, ty: Option<&str>, classifier: Option<&str>) -> Key {
    (
        g.to_owned(),
        a.to_owned(),
        ty.filter(|t| !t.is_empty()).unwrap_or("jar").to_owned(),
        classifier.unwrap_or("").to_owned(),
    )
}

/// Whether a POM is `group:artifact[:version]` (unknown or `${}` parts match).
fn same(pom: &Pom, group: Option<&str>, artifact: Option<&str>, version: Option<&str>) -> bool {
    let eq = |a: Option<&str>, b: Option<&str>| match (a, b) {
        (Some(a), Some(b)) => a == b || a.contains("${") || b.contains("${"),
        _ => true,
    };
    pom.artifact.is_some()
        && artifact.is_some()
        && pom.artifact.as_deref() == artifact
        && eq(pom.group_id(), group)
        && eq(pom.version_str(), version)
}

impl<'a> Loader<'a> {
    /// Reads and parses `rel` from the file `from`, once.
    fn load(&mut self, from: &str, rel: &str) -> Result<usize, String> {
        let path = crate::source::resolve(from, rel)
            .ok_or_else(|| format!("`{rel}` is outside the tree"))?;
        if let Some(r) = self.cache.get(&path) {
            return r.clone();
        }
        if self.reads >= MAX_READS {
            return Err(format!("more than {MAX_READS} POM files would be read"));
        }
        self.reads += 1;
        let result = match self.files.read_relative(from, rel) {
            Ok((shown, text)) => {
                let (pom, problems) = parse_pom(&text);
                if let Some((_, _, msg, line)) = problems.iter().find(|p| p.0) {
                    let at = line.map(|l| format!(":{l}")).unwrap_or_default();
                    self.notes.push(format!("`{shown}{at}`: {msg}"));
                }
                match pom {
                    Some(pom) => {
                        self.poms.push(Loaded { path: shown, pom });
                        Ok(self.poms.len() - 1)
                    }
                    None => Err(format!("`{shown}` is not a Maven POM")),
                }
            }
            Err(e) => Err(e.to_string()),
        };
        self.cache.insert(path, result.clone());
        result
    }

    /// The parents of `start` found in the tree.
    fn chain(&mut self, start: usize, out: &mut Output) -> Chain {
        let mut chain = Chain {
            members: vec![start],
            external: None,
        };
        while let Some(cur) = chain.members.last().copied() {
            let Some(parent) = self.poms.get(cur).and_then(|l| l.pom.parent.clone()) else {
                break;
            };
            let coords = format!(
                "{}:{}:{}",
                parent.group.as_deref().unwrap_or("?"),
                parent.artifact.as_deref().unwrap_or("?"),
                parent.version.as_deref().unwrap_or("?")
            );
            let line = (cur == 0).then_some(parent.line);
            if chain.members.len() > MAX_CHAIN {
                out.warning(
                    Code::ParentChainTooLong,
                    format!("more than {MAX_CHAIN} parent POMs: {coords} and above are not read"),
                )
                .line = line;
                break;
            }
            let rel = match parent.relative_path.as_deref().map(str::trim) {
                None => "../pom.xml".to_owned(),
                Some("") => {
                    chain.external = Some((coords, "its relativePath is empty".into()));
                    break;
                }
                Some(r) if r.ends_with(".xml") => r.to_owned(),
                Some(r) => format!("{}/pom.xml", r.trim_end_matches(['/', '\\'])),
            };
            let from = self.poms[cur].path.clone();
            match self.load(&from, &rel) {
                Ok(j) if chain.members.contains(&j) => {
                    out.warning(
                        Code::ParentCycle,
                        format!("the parent chain comes back to `{}`", self.poms[j].path),
                    )
                    .line = line;
                    break;
                }
                Ok(j) => {
                    let pom = &self.poms[j].pom;
                    let g = parent.group.as_deref();
                    let a = parent.artifact.as_deref();
                    if !same(pom, g, a, None) {
                        let msg =
                            format!("`{}` is {}, not {coords}", self.poms[j].path, pom.coords());
                        chain.external = Some((coords, msg));
                        break;
                    }
                    if !same(pom, g, a, parent.version.as_deref()) && cur == 0 {
                        out.warning(
                            Code::ParentVersionMismatch,
                            format!(
                                "the parent in the tree is {}, not {coords}; it is used anyway",
                                pom.coords()
                            ),
                        )
                        .line = line;
                    }
                    chain.members.push(j);
                }
                Err(why) => {
                    chain.external = Some((coords, why));
                    break;
                }
            }
        }
        chain
    }

    /// The interpolation context of a chain (properties, child wins; model values).
    fn props(&self, chain: &Chain) -> Props {
        let mut map = HashMap::new();
        for &i in chain.members.iter().rev() {
            for (k, v) in &self.poms[i].pom.properties {
                map.insert(k.clone(), v.clone());
            }
        }
        let me = &self.poms[chain.members[0]].pom;
        let parent = me.parent.as_ref();
        let model = [
            ("groupId", me.group_id()),
            ("artifactId", me.artifact.as_deref()),
            ("version", me.version_str()),
            ("name", me.name.as_deref()),
            ("parent.groupId", parent.and_then(|p| p.group.as_deref())),
            (
                "parent.artifactId",
                parent.and_then(|p| p.artifact.as_deref()),
            ),
            ("parent.version", parent.and_then(|p| p.version.as_deref())),
        ];
        for (k, v) in model {
            if let Some(v) = v {
                map.insert(format!("project.{k}"), v.to_owned());
                map.insert(format!("pom.{k}"), v.to_owned());
            }
        }
        Props {
            map,
            memo: HashMap::new(),
        }
    }

    /// The effective `dependencyManagement` of a chain, imports included.
    fn management(
        &mut self,
        chain: &Chain,
        props: &mut Props,
        depth: usize,
        visiting: &mut Vec<String>,
    ) -> Management {
        let mut m = Management::default();
        let mut imports: Vec<(String, Option<Result<String, String>>)> = Vec::new();
        for &i in &chain.members {
            let origin = if i == 0 {
                "this POM".to_owned()
            } else {
                self.poms[i].pom.coords()
            };
            let managed = self.poms[i].pom.managed.clone();
            for r in managed.iter().filter_map(|d| props.dep(d)) {
                if r.import {
                    imports.push((format!("{}:{}", r.group, r.artifact), r.version));
                    continue;
                }
                m.map.entry(r.key).or_insert(Managed {
                    version: r.version,
                    scope: r.scope,
                    origin: origin.clone(),
                });
            }
        }
        if let Some((coords, _)) = &chain.external {
            m.unknown.push(format!("parent {coords}"));
        }
        for (ga, version) in imports {
            let Some(Ok(v)) = version else {
                m.unknown.push(format!("BOM {ga} (version unresolved)"));
                continue;
            };
            if depth >= MAX_IMPORT_DEPTH || visiting.contains(&ga) {
                m.unknown
                    .push(format!("BOM {ga}:{v} (imports nested too deeply)"));
                continue;
            }
            let (g, a) = ga.split_once(':').unwrap_or((&ga, ""));
            let Some(idx) = self.find(g, a, &v, chain) else {
                m.unknown.push(format!("BOM {ga}:{v}"));
                continue;
            };
            visiting.push(ga);
            let bom_chain = self.chain(idx, &mut Output::new(""));
            let mut bom_props = self.props(&bom_chain);
            let sub = self.management(&bom_chain, &mut bom_props, depth + 1, visiting);
            visiting.pop();
            for (k, e) in sub.map {
                m.map.entry(k).or_insert(e);
            }
            m.unknown.extend(sub.unknown);
        }
        let mut seen = HashSet::new();
        m.unknown.retain(|u| seen.insert(u.clone()));
        m
    }

    /// A POM of the tree that is `g:a:v`, looked for near the chain.
    fn find(&mut self, g: &str, a: &str, v: &str, chain: &Chain) -> Option<usize> {
        let hit = |l: &Loader<'_>, i: usize| same(&l.poms[i].pom, Some(g), Some(a), Some(v));
        if let Some(&i) = chain.members.iter().find(|&&i| hit(self, i)) {
            return Some(i);
        }
        if a.is_empty() || a.contains(['/', '\\']) || a.starts_with('.') {
            return None;
        }
        for &i in &chain.members {
            let from = self.poms[i].path.clone();
            for rel in [format!("../{a}/pom.xml"), format!("{a}/pom.xml")] {
                if let Ok(j) = self.load(&from, &rel)
                    && hit(self, j)
                {
                    return Some(j);
                }
            }
        }
        for &i in &chain.members {
            let from = self.poms[i].path.clone();
            let modules = self.poms[i].pom.modules.clone();
            for m in modules {
                let rel = if m.ends_with(".xml") {
                    m
                } else {
                    format!("{}/pom.xml", m.trim_end_matches(['/', '\\']))
                };
                if let Ok(j) = self.load(&from, &rel)
                    && hit(self, j)
                {
                    return Some(j);
                }
            }
        }
        None
    }
}

// ----------------------------------------------------------------- output

/// A version string as a pinned version, or why it is not one.
fn pinned(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.is_empty() {
        return Err("the version is empty".into());
    }
    if v.starts_with(['[', '(']) {
        if let Some(exact) = v.strip_prefix('[').and_then(|r| r.strip_suffix(']'))
            && !exact.contains(',')
            && !exact.trim().is_empty()
        {
            return Ok(exact.trim().to_owned());
        }
        return Err(format!("`{v}` is a version range, not a pinned version"));
    }
    if v.contains(['&', '<', '>', ' ', '\t', '\n']) || v.contains("${") {
        return Err(format!("`{v}` is not a version"));
    }
    Ok(v.to_owned())
}

fn scope_of(scope: Option<&str>, optional: Option<&str>) -> Scope {
    let optional = optional.is_some_and(|o| o.trim().eq_ignore_ascii_case("true"));
    match scope.map(str::trim).unwrap_or("compile") {
        "compile" | "runtime" | "" if optional => Scope::Optional,
        "compile" | "runtime" | "" => Scope::Runtime,
        "test" => Scope::Dev,
        "provided" | "system" | "import" => Scope::Build,
        _ => Scope::Unknown,
    }
}

/// Why a version could not be found: the missing parents and BOMs.
fn missing_sources(m: &Management) -> String {
    if m.unknown.is_empty() {
        return String::new();
    }
    let shown: Vec<&str> = m.unknown.iter().take(3).map(String::as_str).collect();
    let more = m.unknown.len().saturating_sub(3);
    let more = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!(
        "; it may be managed by {}{more} (not in the tree)",
        shown.join(", ")
    )
}

fn missing_property(p: &str) -> String {
    if p.starts_with('(') {
        format!("a property is {}", p.trim_matches(['(', ')']))
    } else {
        format!("property `{p}` is not defined in this POM or its parents in the tree")
    }
}

/// The version of a dependency, or why it has none; notes on where it came from.
fn version_of(
    r: &Resolved,
    managed: Option<&Managed>,
    m: &Management,
    notes: &mut Vec<String>,
) -> Result<String, String> {
    let raw = r.raw_version.as_deref().unwrap_or("");
    match (&r.version, managed) {
        (Some(Ok(v)), entry) => {
            let v = pinned(v)?;
            if let Some(Managed {
                version: Some(Ok(theirs)),
                origin,
                ..
            }) = entry
                && *theirs != v
            {
                notes.push(format!(
                    "{origin} manages version {theirs}; the version declared here wins"
                ));
            }
            Ok(v)
        }
        (Some(Err(p)), _) => Err(format!(
            "version `{raw}`: {}{}",
            missing_property(p),
            missing_sources(m)
        )),
        (None, Some(e)) => match &e.version {
            Some(Ok(v)) => {
                notes.push(format!(
                    "version from the dependencyManagement of {}",
                    e.origin
                ));
                pinned(v)
            }
            Some(Err(p)) => Err(format!(
                "the version managed by {} is unknown: {}{}",
                e.origin,
                missing_property(p),
                missing_sources(m)
            )),
            None => Err(format!(
                "{} manages it with no version{}",
                e.origin,
                missing_sources(m)
            )),
        },
        (None, None) => Err(format!(
            "no version, and none managed by this POM, its parents or its BOMs in the tree{}",
            missing_sources(m)
        )),
    }
}

/// Pushes a component; an unresolved version becomes a warning and a note.
fn push(
    out: &mut Output,
    r: &Resolved,
    version: Result<String, String>,
    mut notes: Vec<String>,
    (scope, relation, line): (Scope, Relation, Option<u32>),
    warn_line: Option<u32>,
) {
    let name = format!("{}:{}", r.group, r.artifact);
    let version = match version {
        Ok(v) => Some(v),
        Err(why) => {
            out.warning(Code::UnresolvedVersion, format!("{name}: {why}"))
                .line = warn_line;
            notes.push(why);
            None
        }
    };
    let mut c = Component::new(Ecosystem::Maven, name, version.as_deref())
        .with_scope(scope)
        .with_relation(relation)
        .with_line(line);
    if !notes.is_empty() {
        c = c.with_note(notes.join("; "));
    }
    out.push(c);
}

fn read(input: &Input<'_>, out: &mut Output) {
    let (pom, problems) = parse_pom(input.text);
    for (is_error, code, msg, line) in problems {
        let d = if is_error {
            out.error(code, msg)
        } else {
            out.warning(code, msg)
        };
        d.line = line;
    }
    let Some(pom) = pom else {
        return;
    };
    let mut loader = Loader {
        files: input.files,
        poms: vec![Loaded {
            path: input.path.to_owned(),
            pom,
        }],
        cache: HashMap::new(),
        reads: 0,
        notes: Vec::new(),
    };
    if let Some(p) = crate::source::resolve(input.path, input.path.rsplit('/').next().unwrap_or(""))
    {
        loader.cache.insert(p, Ok(0));
    }
    let chain = loader.chain(0, out);
    let mut props = loader.props(&chain);
    let management = loader.management(&chain, &mut props, 0, &mut Vec::new());

    let me = &loader.poms[0].pom;
    out.project_name = me
        .artifact
        .as_deref()
        .and_then(|a| props.interpolate(a).ok())
        .or_else(|| me.name.clone())
        .filter(|n| !n.is_empty());
    if let (Some(parent), Some((coords, why))) = (&me.parent, &chain.external) {
        push_external_parent(out, parent, coords, why);
    }
    let used = push_dependencies(out, &loader, &chain, &mut props, &management);
    push_own_management(out, &loader.poms[0].pom, &mut props, &management, &used);
    for note in std::mem::take(&mut loader.notes) {
        out.warning(
            Code::RelatedPomInvalid,
            format!("a POM read for this one has a problem: {note}"),
        );
    }
}

/// The parent, when it is not in the tree: a `Build` component.
fn push_external_parent(out: &mut Output, parent: &Parent, coords: &str, why: &str) {
    out.warning(
        Code::ParentNotInTree,
        format!("parent POM {coords} is not in the tree ({why}): the versions and properties it defines are unknown"),
    )
    .line = Some(parent.line);
    if let (Some(g), Some(a)) = (&parent.group, &parent.artifact) {
        let version = parent.version.as_deref().and_then(|v| pinned(v).ok());
        out.push(
            Component::new(Ecosystem::Maven, format!("{g}:{a}"), version.as_deref())
                .with_scope(Scope::Build)
                .with_relation(Relation::Direct)
                .with_line(Some(parent.line))
                .with_note("parent POM, not in the tree"),
        );
    }
}

/// This file's dependencies (the last declaration of a key wins, as in
/// Maven), then those inherited from parents in the tree. Returns their keys.
fn push_dependencies(
    out: &mut Output,
    loader: &Loader<'_>,
    chain: &Chain,
    props: &mut Props,
    m: &Management,
) -> HashSet<Key> {
    let mut chosen: Vec<(Resolved, Option<String>)> = Vec::new();
    let mut index: HashMap<Key, usize> = HashMap::new();
    for (n, &member) in chain.members.iter().enumerate() {
        let inherited = (n > 0).then(|| loader.poms[member].pom.coords());
        for d in &loader.poms[member].pom.deps {
            let Some(r) = props.dep(d) else {
                if n == 0 {
                    out.warning(
                        Code::UnresolvedName,
                        "a dependency has no groupId/artifactId, or one that cannot be resolved",
                    )
                    .line = Some(d.line);
                }
                continue;
            };
            match index.get(&r.key) {
                Some(&at) if n == 0 => {
                    out.warning(
                        Code::DuplicateDependency,
                        format!(
                            "{}:{} is declared again: this later declaration wins, as in Maven",
                            r.group, r.artifact
                        ),
                    )
                    .line = Some(d.line);
                    chosen[at] = (r, None);
                }
                Some(_) => {}
                None => {
                    index.insert(r.key.clone(), chosen.len());
                    chosen.push((r, inherited.clone()));
                }
            }
        }
    }
    let parent_line = loader.poms[0].pom.parent.as_ref().map(|p| p.line);
    for (r, inherited) in &chosen {
        let managed = m.map.get(&r.key);
        let mut notes: Vec<String> = inherited
            .iter()
            .map(|from| format!("inherited from parent {from}"))
            .collect();
        let version = version_of(r, managed, m, &mut notes);
        let scope = r
            .scope
            .clone()
            .or_else(|| managed.and_then(|e| e.scope.clone()));
        let scope = scope_of(scope.as_deref(), r.optional.as_deref());
        let line = inherited.is_none().then_some(r.line);
        push(
            out,
            r,
            version,
            notes,
            (scope, Relation::Direct, line),
            line.or(parent_line),
        );
    }
    chosen.into_iter().map(|(r, _)| r.key).collect()
}

/// This file's own dependencyManagement: BOM imports, and the entries that
/// no dependency uses.
fn push_own_management(
    out: &mut Output,
    pom: &Pom,
    props: &mut Props,
    m: &Management,
    used: &HashSet<Key>,
) {
    let mut seen: HashSet<Key> = HashSet::new();
    for d in &pom.managed {
        let Some(r) = props.dep(d) else {
            out.warning(
                Code::UnresolvedName,
                "a managed dependency has no groupId/artifactId, or one that cannot be resolved",
            )
            .line = Some(d.line);
            continue;
        };
        if !r.import && (used.contains(&r.key) || !seen.insert(r.key.clone())) {
            continue;
        }
        let version = match &r.version {
            Some(Ok(v)) => pinned(v),
            Some(Err(p)) => Err(format!(
                "version `{}`: {}{}",
                r.raw_version.as_deref().unwrap_or(""),
                missing_property(p),
                missing_sources(m)
            )),
            None => Err("no version in dependencyManagement".to_owned()),
        };
        let (note, relation) = if r.import {
            (
                "BOM imported in dependencyManagement (scope=import): it manages versions, brings no code",
                Relation::Direct,
            )
        } else {
            (
                "only in dependencyManagement: pins the version if it comes in transitively",
                Relation::Unknown,
            )
        };
        let scope = scope_of(r.scope.as_deref(), r.optional.as_deref());
        push(
            out,
            &r,
            version,
            vec![note.to_owned()],
            (scope, relation, Some(r.line)),
            Some(r.line),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_in(files: &MemorySource, path: &str, text: &str) -> Output {
        read_file_as(&READER, path, text, files)
    }

    fn read_one(text: &str) -> Output {
        read_in(&MemorySource::new(), "pom.xml", text)
    }

    fn find<'a>(out: &'a Output, name: &str) -> &'a Component {
        out.components
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("{name} not in {:#?}", out.components))
    }

    fn codes(out: &Output) -> Vec<&str> {
        out.diagnostics.iter().map(|d| d.code.as_str()).collect()
    }

    #[test]
    fn dependencies_scopes_properties_and_lines() {
        let text = r#"<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <groupId>com.example</groupId>
  <artifactId>app</artifactId>
  <version>2.0</version>
  <name>The App</name>
  <properties>
    <major>1</major><minor>7</minor>
    <revision>${major}.${minor}</revision>
  </properties>
  <dependencies>
    <dependency>
      <groupId>org.a</groupId>
      <artifactId>a</artifactId>
      <version>${revision}</version>
    </dependency>
    <dependency><groupId>org.b</groupId><artifactId>b</artifactId><version>3</version><scope>test</scope></dependency>
    <dependency><groupId>org.c</groupId><artifactId>c</artifactId><version>[4.1]</version><scope>provided</scope></dependency>
    <dependency><groupId>org.d</groupId><artifactId>d</artifactId><version>5</version><optional>true</optional></dependency>
    <dependency><groupId>${project.groupId}</groupId><artifactId>e</artifactId><version>${project.version}</version><scope>runtime</scope></dependency>
  </dependencies>
</project>"#;
        let out = read_one(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.project_name.as_deref(), Some("app"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.scope, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:maven/org.a/a@1.7", Scope::Runtime, Some(12)),
                ("pkg:maven/org.b/b@3", Scope::Dev, Some(17)),
                ("pkg:maven/org.c/c@4.1", Scope::Build, Some(18)),
                ("pkg:maven/org.d/d@5", Scope::Optional, Some(19)),
                ("pkg:maven/com.example/e@2.0", Scope::Runtime, Some(20)),
            ]
        );
        assert!(
            out.components
                .iter()
                .all(|c| c.relation == Relation::Direct)
        );
    }

    #[test]
    fn dependency_management_in_the_same_file() {
        let text = r#"<project>
  <artifactId>app</artifactId>
  <dependencies>
    <dependency><groupId>g</groupId><artifactId>managed</artifactId></dependency>
    <dependency><groupId>g</groupId><artifactId>pinned</artifactId><version>1.0</version></dependency>
  </dependencies>
  <dependencyManagement><dependencies>
    <dependency><groupId>g</groupId><artifactId>managed</artifactId><version>2.0</version><scope>test</scope></dependency>
    <dependency><groupId>g</groupId><artifactId>pinned</artifactId><version>1.5</version></dependency>
    <dependency><groupId>g</groupId><artifactId>only</artifactId><version>3.0</version></dependency>
    <dependency><groupId>g</groupId><artifactId>ranged</artifactId><version>[1,2)</version></dependency>
    <dependency><groupId>g</groupId><artifactId>bom</artifactId><version>9</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
</project>"#;
        let out = read_one(text);
        let managed = find(&out, "g:managed");
        assert_eq!(managed.version.as_deref(), Some("2.0"));
        assert_eq!(managed.scope, Scope::Dev, "the managed scope applies");
        let pinned = find(&out, "g:pinned");
        assert_eq!(pinned.version.as_deref(), Some("1.0"));
        assert!(
            pinned
                .note
                .as_deref()
                .unwrap()
                .contains("manages version 1.5")
        );
        let only = find(&out, "g:only");
        assert_eq!(only.version.as_deref(), Some("3.0"));
        assert_eq!(only.relation, Relation::Unknown);
        assert!(
            only.note
                .as_deref()
                .unwrap()
                .contains("only in dependencyManagement")
        );
        let ranged = find(&out, "g:ranged");
        assert!(ranged.is_unresolved());
        assert!(ranged.note.as_deref().unwrap().contains("version range"));
        let bom = find(&out, "g:bom");
        assert_eq!(
            (bom.scope, bom.version.as_deref()),
            (Scope::Build, Some("9"))
        );
        assert_eq!(out.components.len(), 5);
        assert_eq!(codes(&out), ["unresolved-version"]);
        assert_eq!(out.diagnostics[0].line, Some(11));
    }

    const PARENT: &str = r#"<project>
  <groupId>org.acme</groupId>
  <artifactId>acme-parent</artifactId>
  <version>7</version>
  <properties><lib.version>4.2</lib.version><tool.version>${project.version}</tool.version></properties>
  <dependencies>
    <dependency><groupId>org.log</groupId><artifactId>log</artifactId><version>1.1</version></dependency>
  </dependencies>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.lib</groupId><artifactId>lib</artifactId><version>${lib.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>acme-tool</artifactId><version>${tool.version}</version></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>acme-bom</artifactId><version>7</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
</project>"#;

    const BOM: &str = r#"<project>
  <groupId>org.acme</groupId>
  <artifactId>acme-bom</artifactId>
  <version>7</version>
  <properties><json.version>2.5</json.version></properties>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.json</groupId><artifactId>json</artifactId><version>${json.version}</version></dependency>
    <dependency><groupId>org.lib</groupId><artifactId>lib</artifactId><version>0.1</version></dependency>
  </dependencies></dependencyManagement>
</project>"#;

    const CHILD: &str = r#"<project>
  <parent>
    <groupId>org.acme</groupId>
    <artifactId>acme-parent</artifactId>
    <version>7</version>
  </parent>
  <artifactId>acme-app</artifactId>
  <version>8</version>
  <dependencies>
    <dependency><groupId>org.lib</groupId><artifactId>lib</artifactId></dependency>
    <dependency><groupId>org.acme</groupId><artifactId>acme-tool</artifactId></dependency>
    <dependency><groupId>org.json</groupId><artifactId>json</artifactId></dependency>
    <dependency><groupId>org.none</groupId><artifactId>none</artifactId></dependency>
  </dependencies>
</project>"#;

    #[test]
    fn parent_chain_and_bom_in_the_tree() {
        let files = MemorySource::new()
            .with("pom.xml", PARENT)
            .with("app/pom.xml", CHILD)
            .with("acme-bom/pom.xml", BOM);
        let out = read_in(&files, "app/pom.xml", CHILD);
        assert_eq!(out.project_name.as_deref(), Some("acme-app"));
        // Inherited properties, interpolated in the child's context: the
        // child's project.version (8), not the parent's (7).
        assert_eq!(find(&out, "org.lib:lib").version.as_deref(), Some("4.2"));
        assert_eq!(
            find(&out, "org.acme:acme-tool").version.as_deref(),
            Some("8")
        );
        // The BOM imported by the parent, found beside it (`acme-bom/`).
        let json = find(&out, "org.json:json");
        assert_eq!(json.version.as_deref(), Some("2.5"));
        assert!(
            json.note
                .as_deref()
                .unwrap()
                .contains("org.acme:acme-bom:7")
        );
        // Inherited dependency of the parent.
        let log = find(&out, "org.log:log");
        assert_eq!((log.version.as_deref(), log.line), (Some("1.1"), None));
        assert!(
            log.note
                .as_deref()
                .unwrap()
                .contains("inherited from parent org.acme:acme-parent")
        );
        let none = find(&out, "org.none:none");
        assert!(none.is_unresolved());
        assert_eq!(out.components.len(), 5, "{:#?}", out.components);
        assert_eq!(codes(&out), ["unresolved-version"]);
        assert_eq!(out.diagnostics[0].line, Some(13));
    }

    #[test]
    fn parent_not_in_the_tree_leaves_versions_unresolved() {
        let out = read_in(&MemorySource::new(), "app/pom.xml", CHILD);
        let parent = find(&out, "org.acme:acme-parent");
        assert_eq!(
            (parent.version.as_deref(), parent.scope),
            (Some("7"), Scope::Build)
        );
        assert_eq!(out.components.len(), 5);
        for name in [
            "org.lib:lib",
            "org.acme:acme-tool",
            "org.json:json",
            "org.none:none",
        ] {
            let c = find(&out, name);
            assert!(c.is_unresolved(), "{name}");
            assert!(
                c.note
                    .as_deref()
                    .unwrap()
                    .contains("parent org.acme:acme-parent:7")
            );
        }
        assert_eq!(
            codes(&out),
            [
                "parent-not-in-tree",
                "unresolved-version",
                "unresolved-version",
                "unresolved-version",
                "unresolved-version"
            ]
        );
        assert_eq!(out.diagnostics[0].line, Some(2));
    }

    #[test]
    fn a_pom_at_relative_path_that_is_not_the_parent_is_not_used() {
        let other = PARENT.replace("acme-parent", "someone-else");
        let files = MemorySource::new().with("pom.xml", &other);
        let out = read_in(&files, "app/pom.xml", CHILD);
        assert!(find(&out, "org.lib:lib").is_unresolved());
        assert!(out.diagnostics[0].message.contains("someone-else"));
    }

    #[test]
    fn relative_path_folder_and_cycles() {
        let a = r#"<project><parent><groupId>g</groupId><artifactId>b</artifactId><version>1</version>
<relativePath>../b</relativePath></parent><artifactId>a</artifactId></project>"#;
        let b = r#"<project><parent><groupId>g</groupId><artifactId>a</artifactId><version>1</version>
<relativePath>../a/pom.xml</relativePath></parent><artifactId>b</artifactId></project>"#;
        let files = MemorySource::new()
            .with("a/pom.xml", a)
            .with("b/pom.xml", b);
        let out = read_in(&files, "a/pom.xml", a);
        assert_eq!(codes(&out), ["parent-cycle"]);
        assert!(out.components.is_empty());
    }

    #[test]
    fn property_cycles_and_missing_properties_are_unresolved() {
        let text = r#"<project><properties><a>${b}</a><b>${a}</b></properties>
<dependencies>
<dependency><groupId>g</groupId><artifactId>cyc</artifactId><version>${a}</version></dependency>
<dependency><groupId>g</groupId><artifactId>env</artifactId><version>${env.V}</version></dependency>
</dependencies></project>"#;
        let out = read_one(text);
        assert!(
            find(&out, "g:cyc")
                .note
                .as_deref()
                .unwrap()
                .contains("cycle")
        );
        assert!(
            find(&out, "g:env")
                .note
                .as_deref()
                .unwrap()
                .contains("`env.V`")
        );
        assert!(out.components.iter().all(Component::is_unresolved));
        assert_eq!(out.diagnostics[1].line, Some(4));
    }

    #[test]
    fn entities_are_never_expanded() {
        let text = r#"<?xml version="1.0"?>
<!DOCTYPE project [<!ENTITY v "1.0"><!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>
<project>
<dependencies>
<dependency><groupId>a&amp;b</groupId><artifactId>x&#x41;</artifactId><version>&v;</version></dependency>
<dependency><groupId>g</groupId><artifactId>lol</artifactId><version>&lol2;</version></dependency>
</dependencies></project>"#;
        let out = read_one(text);
        assert_eq!(out.components.len(), 2);
        assert_eq!(out.components[0].name, "a&b:xA");
        assert!(out.components.iter().all(Component::is_unresolved));
        assert!(codes(&out).starts_with(&["doctype-ignored", "entity-not-expanded"]));
    }

    #[test]
    fn not_a_pom_and_broken_xml() {
        let out = read_one("this is not a pom.xml file!");
        assert_eq!(codes(&out), ["unexpected-content"]);
        let out = read_one("<settings><x/></settings>");
        assert_eq!(codes(&out), ["unexpected-content"]);
        assert_eq!(out.diagnostics[0].line, Some(1));
        let text = "<project>\n<dependencies>\n<dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency>\n<dependency><groupId>g</groupId></oops>\n";
        let out = read_one(text);
        assert_eq!(out.components.len(), 1, "what was read is kept");
        assert_eq!(codes(&out), ["invalid-syntax"]);
        assert_eq!(out.diagnostics[0].line, Some(4));
    }

    #[test]
    fn a_later_duplicate_wins() {
        let text = r#"<project><dependencies>
<dependency><groupId>g</groupId><artifactId>a</artifactId><version>1</version></dependency>
<dependency><groupId>g</groupId><artifactId>a</artifactId><version>2</version></dependency>
</dependencies></project>"#;
        let out = read_one(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].version.as_deref(), Some("2"));
        assert_eq!(codes(&out), ["duplicate-dependency"]);
    }

    #[test]
    fn interpolation_is_bounded() {
        let mut props = String::from("<p0>xxxxxxxxxxxxxxxx</p0>");
        for i in 1..30 {
            props.push_str(&format!("<p{i}>${{p{}}}${{p{}}}</p{i}>", i - 1, i - 1));
        }
        let text = format!(
            "<project><properties>{props}</properties><dependencies><dependency><groupId>g</groupId><artifactId>a</artifactId><version>${{p29}}</version></dependency></dependencies></project>"
        );
        let out = read_one(&text);
        assert!(out.components[0].is_unresolved());
        assert!(
            out.components[0]
                .note
                .as_deref()
                .unwrap()
                .contains("too long"),
            "{:?}",
            out.components
        );
    }
}
