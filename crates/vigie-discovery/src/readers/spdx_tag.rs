//! SPDX 2.x tag-value SBOMs.
//!
//! Files: `*.spdx` by name; any other file whose first line (after blank
//! lines) starts with `SPDXVersion:`. A `.spdx` file that holds SPDX JSON or
//! CycloneDX is read as that format, with a `format-mismatch` warning.
//!
//! The format is one `Tag: value` per line; a value starting with `<text>`
//! runs, over as many lines as it takes, to `</text>` (its lines are never
//! read as tags). Lines may end with `\n`, `\r\n` or a lone `\r` (old Mac
//! generators), lines starting with `#` are comments. A package section starts
//! at `PackageName:` and ends at the next `PackageName:`, `FileName:`,
//! `SnippetSPDXID:` or `LicenseID:`; in it `SPDXID`, `PackageVersion`,
//! `ExternalRef: PACKAGE-MANAGER purl <purl>`, `PackageLicenseConcluded` and
//! `PackageLicenseDeclared` are read. `Relationship: A TYPE B` lines count
//! wherever they are. The document's own `SPDXID` is the one before any
//! section.
//!
//! Packages, the project, identity, licences, edges, relations and scopes
//! follow the SPDX JSON reader exactly (see [`super::spdx_json`]). Each
//! component has the line of its `PackageName:`. Lines that are not
//! `Tag: value` are reported once (`invalid-syntax` warning, first line and
//! count); an unterminated `<text>` is an `invalid-syntax` error, and reading goes on
//! at the line after it (as if the value were that one line).

use vigie_model::Code;

use super::cyclonedx_json::{Kind, classify, dispatch, ends_with_ci};
use super::spdx_json::{SpdxPackage, SpdxRelationship, check_version, emit, is_purl_ref};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "spdx-tag-value",
    description: "SPDX 2.x tag-value SBOM",
    ecosystem: None,
    matches: |name| ends_with_ci(name, ".spdx"),
    sniff: Some(sniff),
    read,
};

fn sniff(_name: &str, head: &[u8]) -> bool {
    classify(head) == Kind::SpdxTag
}

fn read(input: &Input<'_>, out: &mut Output) {
    if !dispatch(Kind::SpdxTag, "SPDX tag-value", input, out) {
        read_document(input, out);
    }
}

/// Lines of a text with their 1-based number and byte offset; `\n`, `\r\n`
/// and a lone `\r` all end a line.
struct Lines<'a> {
    text: &'a str,
    pos: usize,
    number: u32,
}

impl<'a> Iterator for Lines<'a> {
    /// (line number, offset of the line, the line without its end)
    type Item = (u32, usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.text.get(self.pos..)?;
        if rest.is_empty() {
            return None;
        }
        let start = self.pos;
        let (len, skip) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (i, 2),
            Some(i) => (i, 1),
            None => (rest.len(), 0),
        };
        self.pos += len + skip;
        self.number += 1;
        Some((self.number, start, &rest[..len]))
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Document,
    Package,
    Other,
}

/// Reads the text as SPDX tag-value, whatever it looks like.
pub(crate) fn read_document(input: &Input<'_>, out: &mut Output) {
    let text = input.text.strip_prefix('\u{feff}').unwrap_or(input.text);
    let mut lines = Lines {
        text,
        pos: 0,
        number: 0,
    };
    let mut section = Section::Document;
    let mut version: Option<(&str, u32)> = None;
    let mut doc_id: Option<&str> = None;
    let mut packages: Vec<SpdxPackage<'_>> = Vec::new();
    let mut relationships: Vec<SpdxRelationship<'_>> = Vec::new();
    let mut bad: Option<(u32, usize)> = None;
    while let Some((number, _, line)) = lines.next() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let Some((tag, value)) = trimmed
            .split_once(':')
            .filter(|(t, _)| !t.is_empty() && !t.contains(char::is_whitespace))
        else {
            let b = bad.get_or_insert((number, 0));
            b.1 += 1;
            continue;
        };
        let mut value = value.trim();
        if let Some(rest) = value.strip_prefix("<text>") {
            match rest.find("</text>") {
                Some(end) => value = &rest[..end],
                None => {
                    // The value runs over the next lines, up to `</text>`.
                    // `rest` is a slice of `text`: its offset is where the value starts.
                    let start = (rest.as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
                    let resume = (lines.pos, lines.number);
                    let mut end = None;
                    for (_, offset, next) in lines.by_ref() {
                        if let Some(i) = next.find("</text>") {
                            end = Some(offset + i);
                            break;
                        }
                    }
                    match end {
                        Some(end) => value = text.get(start..end).unwrap_or(""),
                        None => {
                            // Salvage what follows: the value is the rest of
                            // its line, and reading goes on from the next one.
                            out.error(
                                Code::InvalidSyntax,
                                format!(
                                    "the <text> value of `{tag}` is never closed; \
                                     read as one line"
                                ),
                            )
                            .line = Some(number);
                            (lines.pos, lines.number) = resume;
                            value = rest;
                        }
                    }
                }
            }
            value = value.trim();
        }
        match tag {
            "SPDXVersion" if version.is_none() => version = Some((value, number)),
            "PackageName" => {
                section = Section::Package;
                packages.push(SpdxPackage {
                    name: value,
                    line: Some(number),
                    ..SpdxPackage::default()
                });
            }
            "FileName" | "SnippetSPDXID" | "LicenseID" => section = Section::Other,
            "Relationship" => {
                let mut parts = value.split_whitespace();
                if let (Some(a), Some(ty), Some(b)) = (parts.next(), parts.next(), parts.next()) {
                    relationships.push(SpdxRelationship { a, ty, b });
                }
            }
            "SPDXID" => match section {
                Section::Document => doc_id = doc_id.or(Some(value)),
                Section::Package => {
                    if let Some(p) = packages.last_mut() {
                        p.id = value;
                    }
                }
                Section::Other => {}
            },
            _ if section == Section::Package => {
                let Some(p) = packages.last_mut() else {
                    continue;
                };
                match tag {
                    "PackageVersion" => p.version = Some(value),
                    "PackageLicenseConcluded" => p.concluded = Some(value),
                    "PackageLicenseDeclared" => p.declared = Some(value),
                    "ExternalRef" => {
                        let mut parts = value.split_whitespace();
                        if let (Some(category), Some(ty), Some(locator)) =
                            (parts.next(), parts.next(), parts.next())
                            && p.purl.is_none()
                            && is_purl_ref(category, ty)
                        {
                            p.purl = Some(locator);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    match version {
        Some((v, line)) => {
            if !check_version(v, out) {
                if let Some(d) = out.diagnostics.last_mut() {
                    d.line = Some(line);
                }
                return;
            }
        }
        None => {
            out.error(
                Code::UnexpectedContent,
                "not an SPDX tag-value document: no `SPDXVersion:` line",
            );
            return;
        }
    }
    if let Some((line, count)) = bad {
        out.warning(
            Code::InvalidSyntax,
            format!("{count} line(s) are not `Tag: value` and were skipped"),
        )
        .line = Some(line);
    }
    emit(
        out,
        doc_id.unwrap_or("SPDXRef-DOCUMENT"),
        &[],
        &packages,
        &relationships,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};
    use vigie_model::{Ecosystem, Relation, Scope};

    fn run(text: &str) -> Output {
        read_file_as(&READER, "x.spdx", text, &MemorySource::new())
    }

    const DOC: &str = "SPDXVersion: SPDX-2.2
DataLicense: CC0-1.0
SPDXID: SPDXRef-DOCUMENT
DocumentName: hello
DocumentComment: <text>A comment
PackageName: not-a-package
</text>

## A package
PackageName: hello
SPDXID: SPDXRef-hello
PackageVersion: 1.0
Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-hello

PackageName: zlib
SPDXID: SPDXRef-zlib
PackageVersion: 1.2.13
PackageLicenseConcluded: NOASSERTION
PackageLicenseDeclared: Zlib
ExternalRef: SECURITY cpe23Type cpe:2.3:a:zlib:zlib:1.2.13:*:*:*:*:*:*:*
ExternalRef: PACKAGE_MANAGER purl pkg:generic/zlib@1.2.13
PackageComment: <text>multi
line</text>

FileName: ./hello.c
SPDXID: SPDXRef-file
FileLicenseConcluded: MIT

PackageName: make
SPDXID: SPDXRef-make
PackageVersion: 4.3
PackageLicenseConcluded: GPL-3.0-or-later
ExternalRef: PACKAGE-MANAGER purl pkg:deb/debian/make@4.3?arch=amd64
Relationship: SPDXRef-zlib DEPENDENCY_OF SPDXRef-hello
Relationship: SPDXRef-make BUILD_TOOL_OF SPDXRef-hello
Relationship: SPDXRef-hello CONTAINS SPDXRef-file
";

    #[test]
    fn reads_packages_with_lines() {
        let out = run(DOC);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.project_name.as_deref(), Some("hello"));
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
                    c.licence.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "zlib",
                    Some("1.2.13"),
                    Some(15),
                    Relation::Direct,
                    Scope::Runtime,
                    Some("Zlib")
                ),
                (
                    "make",
                    Some("4.3"),
                    Some(29),
                    Relation::Direct,
                    Scope::Build,
                    Some("GPL-3.0-or-later")
                ),
            ]
        );
        assert_eq!(out.components[0].purl, "pkg:generic/zlib@1.2.13");
        assert_eq!(out.components[1].ecosystem, Ecosystem::Debian);
        assert_eq!(out.components[1].purl, "pkg:deb/debian/make@4.3?arch=amd64");
    }

    #[test]
    fn carriage_returns_end_lines() {
        let text = "SPDXVersion: SPDX-2.2\rSPDXID: SPDXRef-DOCUMENT\r\n\nPackageName: xml2json\rSPDXID: SPDXRef-Package-xml2json\rPackageVersion: 4.3.0\r";
        let out = run(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].name, "xml2json");
        assert_eq!(out.components[0].version.as_deref(), Some("4.3.0"));
        assert_eq!(out.components[0].line, Some(4));
    }

    #[test]
    fn problems_are_diagnosed() {
        let out = run("PackageName: x\n");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        assert!(out.components.is_empty());

        let out = run("SPDXVersion: SPDX-3.0\nPackageName: x\n");
        assert_eq!(out.diagnostics[0].code, "unsupported-version");
        assert_eq!(out.diagnostics[0].line, Some(1));

        let text = "SPDXVersion: SPDX-2.3\nthis is not a tag\nPackageName: a\nPackageVersion: 1\nPackageComment: <text>never closed\nPackageName: b\nPackageVersion: 2\n";
        let out = run(text);
        // The unclosed text is read as one line, and what follows is kept.
        assert_eq!(out.components.len(), 2);
        assert_eq!(out.components[1].version.as_deref(), Some("2"));
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [("invalid-syntax", Some(5)), ("invalid-syntax", Some(2))]
        );
    }

    #[test]
    fn sniffs_the_first_line() {
        assert!(sniff(
            "sbom.txt",
            b"\nSPDXVersion: SPDX-2.2\nDataLicense: CC0-1.0"
        ));
        assert!(!sniff("notes.txt", b"Some notes\nSPDXVersion: SPDX-2.2"));
        assert!((READER.matches)("fatbom-sbom.spdx"));
        assert!(!(READER.matches)("x.spdx.json"));
    }

    #[test]
    fn json_in_a_spdx_name_is_read_as_json() {
        let out = run(
            r#"{"spdxVersion": "SPDX-2.3", "packages": [{"SPDXID": "SPDXRef-a", "name": "a", "versionInfo": "1"}]}"#,
        );
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics[0].code, "format-mismatch");
    }
}
