//! Gradle dependency verification metadata: `gradle/verification-metadata.xml`.
//!
//! Every `verification-metadata/components/component` element, with its
//! `group`, `name` and `version` attributes, is a Maven component (once per
//! group:name:version). The file lists what the build downloads for every
//! configuration, plugins and build scripts included, so scope and relation
//! are unknown. An element without the three attributes is reported
//! (`unexpected-content`) and skipped. The XML is read with quick-xml, which
//! never expands DTD entities; attribute values are unescaped for the five
//! predefined entities and character references only.

use std::collections::HashSet;

use quick_xml::events::Event;
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::util::{line_at, wrong_shape, xml_reader};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "gradle-verification-metadata",
    description: "Gradle gradle/verification-metadata.xml",
    ecosystem: Some(Ecosystem::Maven),
    matches: |name| name == "verification-metadata.xml",
    sniff: None,
    read,
};

/// Element nesting accepted.
const MAX_DEPTH: usize = 64;

fn read(input: &Input<'_>, out: &mut Output) {
    let mut reader = xml_reader(input.text);
    let mut stack: Vec<String> = Vec::new();
    let mut seen: HashSet<(String, String, String)> = HashSet::new();
    let mut root = false;
    // Line numbers, counted forward from the last position.
    let (mut pos, mut line) = (0usize, 1u32);
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let at = reader.error_position() as usize;
                out.error(Code::InvalidSyntax, format!("not well-formed XML: {e}"))
                    .line = Some(line_at(input.text, at));
                return;
            }
        };
        let end = reader.buffer_position() as usize;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let name = e.local_name().into_inner().to_owned();
                if !root {
                    root = true;
                    if name != "verification-metadata" {
                        wrong_shape(
                            out,
                            &format!("the root element is <{name}>, not <verification-metadata>"),
                        );
                        return;
                    }
                }
                if stack.len() >= MAX_DEPTH {
                    out.error(Code::TooDeep, "elements nested too deeply");
                    return;
                }
                let is_component = name == "component"
                    && stack.len() == 2
                    && stack[0] == "verification-metadata"
                    && stack[1] == "components";
                if is_component {
                    let upto = end.saturating_sub(1).min(input.text.len());
                    line += input
                        .text
                        .as_bytes()
                        .get(pos..upto)
                        .unwrap_or(&[])
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count() as u32;
                    pos = upto.max(pos);
                    component(e, line, &mut seen, out);
                }
                if matches!(event, Event::Start(_)) {
                    stack.push(name);
                }
            }
            Event::End(_) => {
                stack.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !root {
        wrong_shape(
            out,
            "no XML element: not a Gradle verification-metadata.xml",
        );
    }
}

fn component(
    e: &quick_xml::events::BytesStart<'_>,
    line: u32,
    seen: &mut HashSet<(String, String, String)>,
    out: &mut Output,
) {
    let (mut group, mut name, mut version) = (None, None, None);
    for attr in e.attributes() {
        let Ok(attr) = attr else {
            out.error(Code::InvalidSyntax, "malformed attribute").line = Some(line);
            return;
        };
        let slot = match attr.key.local_name().into_inner() {
            "group" => &mut group,
            "name" => &mut name,
            "version" => &mut version,
            _ => continue,
        };
        match attr.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            Ok(v) => *slot = Some(v.trim().to_owned()),
            Err(err) => {
                out.error(Code::InvalidSyntax, format!("attribute value: {err}"))
                    .line = Some(line);
                return;
            }
        }
    }
    match (group, name, version) {
        (Some(g), Some(n), Some(v)) if !g.is_empty() && !n.is_empty() && !v.is_empty() => {
            if seen.insert((g.clone(), n.clone(), v.clone())) {
                out.push(
                    Component::new(Ecosystem::Maven, format!("{g}:{n}"), Some(&v))
                        .with_scope(Scope::Unknown)
                        .with_relation(Relation::Unknown)
                        .with_line(Some(line)),
                );
            }
        }
        _ => {
            out.error(
                Code::UnexpectedContent,
                "a <component> needs group, name and version attributes",
            )
            .line = Some(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    #[test]
    fn components_once_each_with_lines() {
        let text = r#"<?xml version="1.0" encoding="UTF-8"?>
<verification-metadata xmlns="https://schema.gradle.org/dependency-verification">
  <configuration><trusted-artifacts><trust group="ignored.group"/></trusted-artifacts></configuration>
  <components>
    <component group="org.a" name="a" version="1.0">
      <artifact name="a-1.0.jar"><sha256 value="00" origin="Generated by Gradle"/></artifact>
    </component>
    <component group="org.a" name="a" version="1.0"/>
    <component group="org.a&amp;b" name="b" version="2&#x2E;0"/>
    <component group="org.c" name="c"/>
  </components>
</verification-metadata>"#;
        let out = read_file_as(
            &READER,
            "verification-metadata.xml",
            text,
            &MemorySource::new(),
        );
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("org.a:a", Some("1.0"), Some(5)),
                ("org.a&b:b", Some("2.0"), Some(9))
            ]
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(
            (out.diagnostics[0].code.as_str(), out.diagnostics[0].line),
            ("unexpected-content", Some(10))
        );
    }

    #[test]
    fn other_xml_and_broken_xml() {
        let out = read_file_as(&READER, "x.xml", "<project/>", &MemorySource::new());
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let text = "<verification-metadata><components>\n<component group=\"a\" name=\"b\" version=\"1\"/>\n<component group=\"c\n";
        let out = read_file_as(&READER, "x.xml", text, &MemorySource::new());
        assert_eq!(out.components.len(), 1, "what was read is kept");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
    }
}
