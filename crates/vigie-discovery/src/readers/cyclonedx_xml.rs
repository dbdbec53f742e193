//! CycloneDX XML SBOMs, spec 1.0 to 1.7 (namespaces
//! `http://cyclonedx.org/schema/bom/1.x`).
//!
//! Files: `bom.xml`, `*.cdx.xml`, `*-cdx.xml`, `*.bom.xml`, `*.sbom.xml` by
//! name; any other `.xml` (and `*.sbom`) whose first 4 KiB name the
//! `cyclonedx.org/schema/bom` namespace. A file named like CycloneDX XML that
//! holds another SBOM format this crate reads is read as that format, with a
//! `format-mismatch` warning.
//!
//! The model is the one of [`super::cyclonedx_json`] (which components count,
//! identity, scope, licences, project, edges, relations): see there. XML
//! specifics:
//! - Streamed with quick-xml, element by element (no tree is built). Element
//!   names are matched by local name, so a prefixed `<cdx:bom>` reads too.
//!   DTDs are skipped and never expanded; only the five predefined entities
//!   and character references are resolved, any other `&name;` is kept as
//!   written. Text may be plain or CDATA.
//! - Components are `bom/components/component` and, recursively, the
//!   `components/component` of those; `metadata/component` is the project.
//!   Every other `<component>` (pedigree ancestors, formulation, ...) is
//!   ignored. Components keep document order (a parent before its parts).
//! - Edges come from `bom/dependencies/dependency[@ref]/dependency[@ref]`
//!   (spec 1.2+; 1.0 and 1.1 have no graph).
//! - Each component has the line of its `<component>` tag.
//! - Nesting is bounded: at most [`MAX_DEPTH`] open elements (beyond that the
//!   file is refused from there, with what was read kept), at most
//!   [`MAX_NESTING`] levels of nested components.

use std::collections::{HashMap, HashSet};

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart, Event};
use vigie_model::Code;

use super::cyclonedx_json::{
    Kind, LicenceEntry, MAX_NESTING, check_spec_version, classify, cyclonedx_licence,
    cyclonedx_scope, dispatch, ends_with_ci, keeps_type, sbom_component, set_relations,
};
use super::util::line_at;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "cyclonedx-xml",
    description: "CycloneDX XML SBOM (spec 1.0-1.7)",
    ecosystem: None,
    matches,
    sniff: Some(sniff),
    read,
};

/// At most this many elements open at once.
pub const MAX_DEPTH: usize = 256;

fn matches(name: &str) -> bool {
    name.eq_ignore_ascii_case("bom.xml")
        || [".cdx.xml", "-cdx.xml", ".bom.xml", ".sbom.xml"]
            .iter()
            .any(|s| ends_with_ci(name, s))
}

fn sniff(name: &str, head: &[u8]) -> bool {
    (ends_with_ci(name, ".xml") || ends_with_ci(name, ".sbom"))
        && classify(head) == Kind::CycloneDxXml
}

fn read(input: &Input<'_>, out: &mut Output) {
    if !dispatch(Kind::CycloneDxXml, "CycloneDX XML", input, out) {
        read_document(input, out);
    }
}

/// The elements the reader cares about; everything else is `Other`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum El {
    Bom,
    Metadata,
    Components,
    Component,
    Dependencies,
    Dependency,
    Group,
    Name,
    Version,
    Scope,
    Purl,
    Licenses,
    License,
    Id,
    Expression,
    Evidence,
    Other,
}

fn element(local: &[u8]) -> El {
    match local {
        b"bom" => El::Bom,
        b"metadata" => El::Metadata,
        b"components" => El::Components,
        b"component" => El::Component,
        b"dependencies" => El::Dependencies,
        b"dependency" => El::Dependency,
        b"group" => El::Group,
        b"name" => El::Name,
        b"version" => El::Version,
        b"scope" => El::Scope,
        b"purl" => El::Purl,
        b"licenses" => El::Licenses,
        b"license" => El::License,
        b"id" => El::Id,
        b"expression" => El::Expression,
        b"evidence" => El::Evidence,
        _ => El::Other,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    /// A component of the BOM.
    Counted,
    /// The project (`metadata/component`) or one of its parts.
    Project,
}

/// A `<component>` being read.
struct Open {
    /// Length of the element stack with this component on top.
    depth: usize,
    role: Role,
    /// Pre-order position, so that parents come before their parts.
    seq: usize,
    line: u32,
    ty: Option<String>,
    bom_ref: Option<String>,
    group: String,
    name: String,
    version: String,
    scope: String,
    purl: String,
    licences: Vec<LicenceEntry>,
    evidence: Vec<LicenceEntry>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Group,
    Name,
    Version,
    Scope,
    Purl,
    LicenceId,
    LicenceName,
    Expression,
}

/// The text of one field being read.
struct Capture {
    field: Field,
    depth: usize,
    evidence: bool,
    concluded: bool,
    buf: String,
}

/// A `<license>` being read: its id, its name, whether it is concluded.
#[derive(Default)]
struct LicenceScratch {
    id: String,
    name: String,
    concluded: bool,
    evidence: bool,
}

struct Finished {
    seq: usize,
    line: u32,
    ty: Option<String>,
    bom_ref: Option<String>,
    group: String,
    name: String,
    version: String,
    scope: String,
    purl: String,
    licence: Option<String>,
}

#[derive(Default)]
struct State {
    stack: Vec<El>,
    open: Vec<Open>,
    capture: Option<Capture>,
    licence: Option<LicenceScratch>,
    finished: Vec<Finished>,
    seq: usize,
    project_name: Option<String>,
    project_refs: HashSet<String>,
    /// `(from, to)` refs of `dependencies`.
    edges: Vec<(String, String)>,
    dependency_from: Option<String>,
    too_deep_warned: bool,
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let a = e.try_get_attribute(name).ok().flatten()?;
    let v = a.normalized_value(XmlVersion::Implicit1_0).ok()?;
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_owned())
}

fn push_ref(buf: &mut String, r: &BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        buf.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        buf.push_str(s);
    } else {
        // Never expanded: kept as written.
        buf.push('&');
        buf.push_str(r);
        buf.push(';');
    }
}

/// Counts lines incrementally (offsets only grow).
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
}

impl Lines<'_> {
    fn at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.text.len());
        if offset < self.pos {
            return line_at(self.text, offset);
        }
        self.line += self.text.as_bytes()[self.pos..offset]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u32;
        self.pos = offset;
        self.line
    }
}

impl State {
    /// Handles a start tag; `Err` stops the reading with that error.
    fn start(&mut self, e: &BytesStart<'_>, line: u32, out: &mut Output) -> Result<(), String> {
        let el = element(e.local_name().as_ref().as_bytes());
        self.stack.push(el);
        let depth = self.stack.len();
        if depth > MAX_DEPTH {
            return Err(format!("elements nested more than {MAX_DEPTH} deep"));
        }
        if depth == 1 {
            return self.root(e, el, out);
        }
        match el {
            El::Component => self.open_component(e, depth, line, out),
            El::Dependency => {
                self.dependency(e, depth);
                Ok(())
            }
            El::License => {
                if let Some((path, _)) = self.component_path(depth) {
                    let evidence = match path {
                        [El::Licenses, El::License] => Some(false),
                        [El::Evidence, El::Licenses, El::License] => Some(true),
                        _ => None,
                    };
                    if let Some(evidence) = evidence {
                        self.licence = Some(LicenceScratch {
                            concluded: concluded(e),
                            evidence,
                            ..LicenceScratch::default()
                        });
                    }
                }
                Ok(())
            }
            _ => {
                self.field(e, depth);
                Ok(())
            }
        }
    }

    fn root(&mut self, e: &BytesStart<'_>, el: El, out: &mut Output) -> Result<(), String> {
        let name = String::from_utf8_lossy(e.local_name().as_ref().as_bytes()).into_owned();
        if el != El::Bom {
            out.error(
                Code::UnexpectedContent,
                format!("the root element is <{name}>, not a CycloneDX <bom>"),
            );
            return Err(String::new());
        }
        let mut namespace = None;
        for a in e.attributes().with_checks(false).flatten() {
            let key = a.key.as_ref();
            if (key == "xmlns" || key.starts_with("xmlns:"))
                && let Some(i) = a.value.find("cyclonedx.org/schema/bom/")
            {
                namespace = Some(a.value[i + "cyclonedx.org/schema/bom/".len()..].to_owned());
            }
        }
        let Some(version) = namespace else {
            out.error(
                Code::UnexpectedContent,
                "the <bom> element is not in a CycloneDX namespace (http://cyclonedx.org/schema/bom/1.x)",
            );
            return Err(String::new());
        };
        check_spec_version(Some(&version), out);
        Ok(())
    }

    /// The path of elements from the innermost open component to the top of
    /// the stack, when the element on top belongs to that component.
    fn component_path(&self, depth: usize) -> Option<(&[El], usize)> {
        let open = self.open.last()?;
        let path = self.stack.get(open.depth..depth)?;
        Some((path, self.open.len() - 1))
    }

    fn open_component(
        &mut self,
        e: &BytesStart<'_>,
        depth: usize,
        line: u32,
        out: &mut Output,
    ) -> Result<(), String> {
        let parents = &self.stack[..depth - 1];
        let role = match parents {
            [El::Bom, El::Metadata] => Role::Project,
            [El::Bom, El::Components] => Role::Counted,
            [.., El::Component, El::Components] => {
                match self.open.last().filter(|o| o.depth == depth - 2) {
                    Some(parent) => parent.role,
                    None => return Ok(()),
                }
            }
            _ => return Ok(()),
        };
        if self.open.len() >= MAX_NESTING {
            if !self.too_deep_warned {
                self.too_deep_warned = true;
                out.warning(
                    Code::TooDeep,
                    format!("components nested more than {MAX_NESTING} levels deep are not read"),
                )
                .line = Some(line);
            }
            return Ok(());
        }
        self.open.push(Open {
            depth,
            role,
            seq: self.seq,
            line,
            ty: attribute(e, "type"),
            bom_ref: attribute(e, "bom-ref"),
            group: String::new(),
            name: String::new(),
            version: String::new(),
            scope: String::new(),
            purl: String::new(),
            licences: Vec::new(),
            evidence: Vec::new(),
        });
        self.seq += 1;
        Ok(())
    }

    fn dependency(&mut self, e: &BytesStart<'_>, depth: usize) {
        match &self.stack[..depth] {
            [El::Bom, El::Dependencies, El::Dependency] => {
                self.dependency_from = attribute(e, "ref");
            }
            [El::Bom, El::Dependencies, El::Dependency, El::Dependency] => {
                if let (Some(from), Some(to)) = (&self.dependency_from, attribute(e, "ref")) {
                    self.edges.push((from.clone(), to));
                }
            }
            _ => {}
        }
    }

    fn field(&mut self, e: &BytesStart<'_>, depth: usize) {
        let Some((path, _)) = self.component_path(depth) else {
            return;
        };
        let (field, evidence) = match path {
            [El::Group] => (Field::Group, false),
            [El::Name] => (Field::Name, false),
            [El::Version] => (Field::Version, false),
            [El::Scope] => (Field::Scope, false),
            [El::Purl] => (Field::Purl, false),
            [El::Licenses, El::License, El::Id] => (Field::LicenceId, false),
            [El::Licenses, El::License, El::Name] => (Field::LicenceName, false),
            [El::Licenses, El::Expression] => (Field::Expression, false),
            [El::Evidence, El::Licenses, El::License, El::Id] => (Field::LicenceId, true),
            [El::Evidence, El::Licenses, El::License, El::Name] => (Field::LicenceName, true),
            [El::Evidence, El::Licenses, El::Expression] => (Field::Expression, true),
            _ => return,
        };
        self.capture = Some(Capture {
            field,
            depth,
            evidence,
            concluded: concluded(e),
            buf: String::new(),
        });
    }

    fn text(&mut self, s: &str) {
        if let Some(c) = &mut self.capture {
            c.buf.push_str(s);
        }
    }

    fn end(&mut self) {
        let depth = self.stack.len();
        let el = self.stack.pop();
        if let Some(c) = self.capture.take_if(|c| c.depth == depth) {
            self.store(c);
        }
        if el == Some(El::License)
            && let Some(l) = self.licence.take()
            && let Some(open) = self.open.last_mut()
        {
            let text = if l.id.trim().is_empty() { l.name } else { l.id };
            let text = text.trim();
            if !text.is_empty() {
                let entry = LicenceEntry {
                    text: text.to_owned(),
                    concluded: l.concluded,
                };
                if l.evidence {
                    open.evidence.push(entry);
                } else {
                    open.licences.push(entry);
                }
            }
        }
        if let Some(open) = self.open.pop_if(|o| o.depth == depth) {
            self.close(open);
        }
    }

    fn store(&mut self, c: Capture) {
        match c.field {
            Field::LicenceId | Field::LicenceName => {
                if let Some(l) = &mut self.licence {
                    if c.field == Field::LicenceId {
                        l.id = c.buf;
                    } else {
                        l.name = c.buf;
                    }
                }
                return;
            }
            _ => {}
        }
        let Some(open) = self.open.last_mut() else {
            return;
        };
        match c.field {
            Field::Group => open.group = c.buf,
            Field::Name => open.name = c.buf,
            Field::Version => open.version = c.buf,
            Field::Scope => open.scope = c.buf,
            Field::Purl => open.purl = c.buf,
            Field::Expression => {
                let text = c.buf.trim();
                if !text.is_empty() {
                    let entry = LicenceEntry {
                        text: text.to_owned(),
                        concluded: c.concluded,
                    };
                    if c.evidence {
                        open.evidence.push(entry);
                    } else {
                        open.licences.push(entry);
                    }
                }
            }
            Field::LicenceId | Field::LicenceName => {}
        }
    }

    fn close(&mut self, open: Open) {
        match open.role {
            Role::Project => {
                if self.project_name.is_none() && open.depth == 3 {
                    let name = open.name.trim();
                    if !name.is_empty() {
                        self.project_name = Some(name.to_owned());
                    }
                }
                self.project_refs.extend(open.bom_ref);
                let purl = open.purl.trim();
                if !purl.is_empty() {
                    self.project_refs.insert(purl.to_owned());
                }
            }
            Role::Counted => {
                let licences = if open.licences.is_empty() {
                    open.evidence
                } else {
                    open.licences
                };
                self.finished.push(Finished {
                    seq: open.seq,
                    line: open.line,
                    ty: open.ty,
                    bom_ref: open.bom_ref,
                    group: open.group,
                    name: open.name,
                    version: open.version,
                    scope: open.scope,
                    purl: open.purl,
                    licence: cyclonedx_licence(&licences),
                });
            }
        }
    }

    /// Turns what was read into components and edges.
    fn finish(mut self, out: &mut Output) {
        if let Some(n) = self.project_name.take() {
            out.project_name = Some(n);
        }
        self.finished.sort_by_key(|f| f.seq);
        let mut refs: HashMap<&str, u32> = HashMap::new();
        let mut purls: HashMap<&str, u32> = HashMap::new();
        for f in &self.finished {
            let purl = Some(f.purl.trim()).filter(|p| !p.is_empty());
            let is_project = f
                .bom_ref
                .as_ref()
                .is_some_and(|r| self.project_refs.contains(r))
                || purl.is_some_and(|p| self.project_refs.contains(p));
            if !keeps_type(f.ty.as_deref(), purl.is_some()) || is_project {
                continue;
            }
            let name = f.name.trim();
            let group = f.group.trim();
            let full = if group.is_empty() || name.is_empty() {
                name.to_owned()
            } else {
                format!("{group}/{name}")
            };
            let Some(c) = sbom_component(out, purl, &full, Some(&f.version), Some(f.line)) else {
                continue;
            };
            let scope = Some(f.scope.trim()).filter(|s| !s.is_empty());
            let idx = out.push(
                c.with_scope(cyclonedx_scope(scope))
                    .with_licence(f.licence.clone()),
            );
            if let Some(r) = &f.bom_ref {
                refs.entry(r.as_str()).or_insert(idx);
            }
            if let Some(p) = purl {
                purls.entry(p).or_insert(idx);
            }
        }
        let lookup = |r: &str| refs.get(r).or_else(|| purls.get(r)).copied();
        let mut edges = Vec::new();
        let mut direct = Vec::new();
        for (from, to) in &self.edges {
            let Some(b) = lookup(to) else { continue };
            if self.project_refs.contains(from) {
                direct.push(b);
            } else if let Some(a) = lookup(from)
                && a != b
            {
                edges.push((a, b));
            }
        }
        edges.sort_unstable();
        edges.dedup();
        direct.sort_unstable();
        direct.dedup();
        for (a, b) in edges {
            out.depend(a, b);
        }
        set_relations(out, &direct);
    }
}

fn concluded(e: &BytesStart<'_>) -> bool {
    attribute(e, "acknowledgement").is_some_and(|a| a == "concluded")
}

/// Reads the text as CycloneDX XML, whatever it looks like.
pub(crate) fn read_document(input: &Input<'_>, out: &mut Output) {
    let mut reader = quick_xml::Reader::from_str(input.text);
    // Text is trimmed per field, not per event: entity references split text
    // into several events, and the spaces around them matter.
    reader.config_mut().trim_text(false);
    let mut lines = Lines {
        text: input.text,
        pos: 0,
        line: 1,
    };
    let mut state = State::default();
    let mut seen_root = false;
    loop {
        let before = reader.buffer_position() as usize;
        let event = match reader.read_event() {
            Ok(ev) => ev,
            Err(e) => {
                let at = reader.error_position() as usize;
                out.error(Code::InvalidSyntax, format!("not well-formed XML: {e}"))
                    .line = Some(lines.at(at));
                break;
            }
        };
        match event {
            Event::Start(e) => {
                seen_root = true;
                let line = lines.at(before);
                if let Err(msg) = state.start(&e, line, out) {
                    if !msg.is_empty() {
                        out.error(Code::InvalidSyntax, msg).line = Some(line);
                    }
                    break;
                }
            }
            Event::Empty(e) => {
                seen_root = true;
                let line = lines.at(before);
                if let Err(msg) = state.start(&e, line, out) {
                    if !msg.is_empty() {
                        out.error(Code::InvalidSyntax, msg).line = Some(line);
                    }
                    break;
                }
                state.end();
            }
            Event::End(_) => state.end(),
            Event::Text(t) => {
                if state.capture.is_some() {
                    state.text(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if state.capture.is_some() {
                    state.text(&t.xml10_content());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(c) = &mut state.capture {
                    push_ref(&mut c.buf, &r);
                }
            }
            Event::Eof => {
                if !seen_root {
                    out.error(
                        Code::UnexpectedContent,
                        "no XML element: not a CycloneDX BOM",
                    );
                } else if !state.stack.is_empty() {
                    out.error(
                        Code::InvalidSyntax,
                        "the document ends before its elements are closed",
                    )
                    .line = Some(lines.at(input.text.len()));
                }
                break;
            }
            // Declarations, comments, processing instructions and DTDs
            // (never expanded) carry nothing.
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    state.finish(out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};
    use vigie_model::{Ecosystem, Relation, Scope};

    fn run(text: &str) -> Output {
        read_file_as(&READER, "bom.xml", text, &MemorySource::new())
    }

    #[test]
    fn names_and_sniffing() {
        for n in [
            "bom.xml",
            "a.cdx.xml",
            "a-cdx.xml",
            "a.bom.xml",
            "a.sbom.xml",
        ] {
            assert!(matches(n), "{n}");
        }
        assert!(!matches("pom.xml"));
        let head = br#"<?xml version="1.0"?>
<bom xmlns="http://cyclonedx.org/schema/bom/1.4" version="1">"#;
        assert!(sniff("perl-cdx.xml", head));
        assert!(sniff("x.xml", head));
        assert!(!sniff("x.txt", head));
        assert!(!sniff(
            "x.xml",
            br#"<project xmlns="http://maven.apache.org/POM/4.0.0">"#
        ));
    }

    const BOM: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE bom [ <!ENTITY boom "boom"> ]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.6" version="1">
  <metadata>
    <component type="application" bom-ref="app">
      <name>my-app</name>
      <components>
        <component type="library" bom-ref="part"><name>my-app-part</name></component>
      </components>
    </component>
  </metadata>
  <components>
    <component type="library" bom-ref="a">
      <group><![CDATA[org.example]]></group>
      <name>core</name>
      <version>1.0</version>
      <scope>excluded</scope>
      <licenses>
        <license><id>Apache-2.0</id></license>
        <license><name>Foo &amp; Bar &boom; &#65;</name></license>
      </licenses>
      <purl>
        pkg:maven/org.example/core@1.0?type=jar
      </purl>
      <pedigree>
        <ancestors>
          <component type="library"><name>ancestor</name><version>0.9</version></component>
        </ancestors>
      </pedigree>
      <components>
        <component type="library" bom-ref="a1">
          <name>inner</name><version>2</version>
          <licenses><expression>MIT OR ISC</expression></licenses>
        </component>
      </components>
    </component>
    <component type="device"><name>board</name>
      <components><component type="firmware"><name>fw</name><version>3</version></component></components>
    </component>
    <component type="library" bom-ref="b">
      <name>lodash</name>
      <evidence><licenses><license><id>MIT</id></license></licenses></evidence>
      <purl>pkg:npm/lodash@4.17.21</purl>
    </component>
    <component type="library"/>
  </components>
  <dependencies>
    <dependency ref="app"><dependency ref="b"/><dependency ref="part"/></dependency>
    <dependency ref="b"><dependency ref="a"/></dependency>
    <dependency ref="a"><dependency ref="a1"/><dependency ref="a1"/></dependency>
  </dependencies>
</bom>
"#;

    #[test]
    fn reads_components_in_document_order() {
        let out = run(BOM);
        assert_eq!(out.project_name.as_deref(), Some("my-app"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.line,
                    c.relation,
                    c.scope,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "org.example:core",
                    Some("1.0"),
                    Some(13),
                    Relation::Transitive,
                    Scope::Dev
                ),
                (
                    "inner",
                    Some("2"),
                    Some(31),
                    Relation::Transitive,
                    Scope::Runtime
                ),
                ("fw", Some("3"), Some(38), Relation::Unknown, Scope::Runtime),
                (
                    "lodash",
                    Some("4.17.21"),
                    Some(40),
                    Relation::Direct,
                    Scope::Runtime
                ),
            ]
        );
        let core = &out.components[0];
        assert_eq!(core.purl, "pkg:maven/org.example/core@1.0?type=jar");
        assert_eq!(core.ecosystem, Ecosystem::Maven);
        assert_eq!(
            core.licence.as_deref(),
            Some("Apache-2.0 AND (Foo & Bar &boom; A)")
        );
        assert_eq!(out.components[1].ecosystem, Ecosystem::Generic);
        assert_eq!(out.components[1].licence.as_deref(), Some("MIT OR ISC"));
        assert_eq!(out.components[3].licence.as_deref(), Some("MIT"));
        assert_eq!(out.dependencies, [(0, 1), (3, 0)]);
        // The empty <component/> has no name: skipped with a warning; the
        // unresolved ones (inner has a version; fw too) are fine.
        let codes: Vec<_> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["unexpected-content"], "{:?}", out.diagnostics);
        assert_eq!(out.diagnostics[0].line, Some(45));
    }

    #[test]
    fn the_project_listed_as_a_component_is_skipped() {
        let text = r#"<bom xmlns="http://cyclonedx.org/schema/bom/1.4">
<metadata><component type="application" bom-ref="app"><name>app</name></component></metadata>
<components>
  <component type="application" bom-ref="app"><name>app</name><version>1</version></component>
  <component type="library" bom-ref="d"><name>d</name><version>2</version></component>
</components>
<dependencies><dependency ref="app"><dependency ref="d"/></dependency></dependencies>
</bom>"#;
        let out = run(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].name, "d");
        assert_eq!(out.components[0].relation, Relation::Direct);
    }

    #[test]
    fn broken_xml_keeps_what_was_read() {
        let text = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.2\">\n<components>\n<component type=\"library\"><name>a</name><version>1</version></component>\n<component><name>b</name></version>\n</components></bom>";
        let out = run(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(4));

        let truncated = "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.2\">\n<components>\n<component><name>a</name><version>1</version></component>\n";
        let out = run(truncated);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    }

    #[test]
    fn wrong_documents_are_diagnosed() {
        for (text, code) in [
            ("", "unexpected-content"),
            ("<project><name>x</name></project>", "unexpected-content"),
            ("<bom><components/></bom>", "unexpected-content"),
            ("not xml at all", "unexpected-content"),
            (
                "<bom xmlns=\"http://cyclonedx.org/schema/bom/2.0\"></bom>",
                "unsupported-version",
            ),
        ] {
            let out = run(text);
            assert!(out.components.is_empty());
            let codes: Vec<_> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
            assert_eq!(codes, [code], "{text}");
        }
    }

    #[test]
    fn depth_is_bounded() {
        let mut text =
            String::from("<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\"><components>");
        for _ in 0..40 {
            text.push_str("<component><name>n</name><version>1</version><components>");
        }
        for _ in 0..40 {
            text.push_str("</components></component>");
        }
        text.push_str("</components></bom>");
        let out = run(&text);
        assert_eq!(out.components.len(), MAX_NESTING);
        assert_eq!(out.diagnostics[0].code, "too-deep");

        let deep = format!(
            "<bom xmlns=\"http://cyclonedx.org/schema/bom/1.4\">{}",
            "<x>".repeat(100_000)
        );
        let out = run(&deep);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    }

    #[test]
    fn prefixed_names_and_version_1_1() {
        let text = r#"<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.1"><cdx:components>
<cdx:component type="library"><cdx:name>x</cdx:name><cdx:version>1</cdx:version>
<cdx:purl>pkg:composer/asm89/stack-cors@1.3.0</cdx:purl></cdx:component>
</cdx:components></cdx:bom>"#;
        let out = run(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.components[0].name, "asm89/stack-cors");
        assert_eq!(out.components[0].line, Some(2));
    }
}
