//! SPDX 2.x JSON SBOMs (2.2 and 2.3; 2.1-era JSON reads the same way).
//!
//! Files: `*.spdx.json` by name; any other `.json` (and `*.sbom`) whose first
//! 4 KiB hold `"spdxVersion"`, or SPDX 3 JSON-LD (`spdx.org/rdf/3`), which is
//! not read but reported (`unsupported-version`, an error), never ignored.
//! The other SPDX serialisations (`*.spdx.yaml`, `*.spdx.yml`, `*.spdx.xml`,
//! `*.spdx.rdf`, `*.spdx.rdf.xml`) are claimed by name only to say that they
//! are not supported (`unsupported-format`), so that they are neither
//! silently skipped nor misread. A file named like SPDX JSON that holds
//! another SBOM format this crate reads (a tag-value document in a
//! `.spdx.json`, seen in the wild) is read as that format, with a
//! `format-mismatch` warning.
//!
//! How it is read (the tag-value reader shares this model):
//! - **Components**: every `packages[]` entry, except the packages the
//!   document describes (`documentDescribes`, `SPDXRef-DOCUMENT DESCRIBES x`,
//!   `x DESCRIBED_BY SPDXRef-DOCUMENT`): those are the project, and the first
//!   one names it. Files and snippets are not components.
//! - **Identity** from the first `externalRefs[]` of `referenceType: purl`
//!   with `referenceCategory` `PACKAGE-MANAGER` (2.3) or `PACKAGE_MANAGER`
//!   (2.2); a purl without version takes `versionInfo`. Without a purl the
//!   component is `generic` (`name@versionInfo`) with a note. A version of
//!   `NOASSERTION` or `NONE` is no version.
//! - **Licence**: `licenseConcluded`, else `licenseDeclared`, skipping
//!   `NOASSERTION` and `NONE`; kept as the SPDX expression it is.
//! - **Edges** (from -> to): `A DEPENDS_ON B`, `A STATIC_LINK B`,
//!   `A DYNAMIC_LINK B` give A -> B; `A DEPENDENCY_OF B` and the typed
//!   `A {RUNTIME,PROVIDED,BUILD,DEV,TEST,OPTIONAL}_DEPENDENCY_OF B` and
//!   `A {BUILD,DEV,TEST}_TOOL_OF B` give B -> A. `CONTAINS`/`CONTAINED_BY`
//!   are not edges: they say what is inside what (an image contains
//!   packages, a package contains files), not what needs what. Edges from a
//!   described package make its targets `direct`, what is reachable from
//!   those is `transitive`; without such edges relations are unknown.
//! - **Scope** from the typed relationships that point at a package:
//!   runtime if any says runtime (or is untyped), else optional, else build
//!   (`BUILD_*`), else dev (`DEV_*`, `TEST_*`).
//!
//! JSON gives no line numbers here.

use std::collections::HashMap;

use serde::Deserialize;
use vigie_model::{Code, Scope};

use super::cyclonedx_json::{
    Kind, List, Text, classify, dispatch, ends_with_ci, parse_json_document, sbom_component,
    set_relations,
};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "spdx-json",
    description: "SPDX 2.2/2.3 JSON SBOM (SPDX 3 and other serialisations are reported as unsupported)",
    ecosystem: None,
    matches,
    sniff: Some(sniff),
    read,
};

/// SPDX serialisations that are recognised by name but not read.
const UNSUPPORTED: [&str; 5] = [
    ".spdx.yaml",
    ".spdx.yml",
    ".spdx.xml",
    ".spdx.rdf",
    ".spdx.rdf.xml",
];

fn matches(name: &str) -> bool {
    ends_with_ci(name, ".spdx.json") || UNSUPPORTED.iter().any(|s| ends_with_ci(name, s))
}

fn sniff(name: &str, head: &[u8]) -> bool {
    (ends_with_ci(name, ".json") || ends_with_ci(name, ".jsonld") || ends_with_ci(name, ".sbom"))
        && matches!(classify(head), Kind::SpdxJson | Kind::Spdx3JsonLd)
}

fn read(input: &Input<'_>, out: &mut Output) {
    if let Some(suffix) = UNSUPPORTED.iter().find(|s| ends_with_ci(input.path, s)) {
        out.error(
            Code::UnsupportedFormat,
            format!(
                "SPDX in {} is not supported; vigie reads SPDX JSON and tag-value",
                match *suffix {
                    ".spdx.yaml" | ".spdx.yml" => "YAML",
                    ".spdx.xml" => "XML",
                    _ => "RDF/XML",
                }
            ),
        );
        return;
    }
    if !dispatch(Kind::SpdxJson, "SPDX JSON", input, out) {
        read_document(input, out);
    }
}

// ---------------------------------------------------------------------------
// The SPDX 2 model, shared with the tag-value reader.
// ---------------------------------------------------------------------------

/// One SPDX package, whatever the serialisation.
#[derive(Debug, Default)]
pub(crate) struct SpdxPackage<'a> {
    pub(crate) id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) version: Option<&'a str>,
    pub(crate) purl: Option<&'a str>,
    pub(crate) concluded: Option<&'a str>,
    pub(crate) declared: Option<&'a str>,
    pub(crate) line: Option<u32>,
}

/// One `relationships[]` entry / `Relationship:` line.
#[derive(Debug)]
pub(crate) struct SpdxRelationship<'a> {
    pub(crate) a: &'a str,
    pub(crate) ty: &'a str,
    pub(crate) b: &'a str,
}

/// Whether an external reference is a purl (see the module doc).
pub(crate) fn is_purl_ref(category: &str, ty: &str) -> bool {
    let category = category.trim();
    ty.trim().eq_ignore_ascii_case("purl")
        && (category.eq_ignore_ascii_case("PACKAGE-MANAGER")
            || category.eq_ignore_ascii_case("PACKAGE_MANAGER"))
}

/// `licenseConcluded`, else `licenseDeclared`, without `NOASSERTION`/`NONE`.
pub(crate) fn spdx_licence(concluded: Option<&str>, declared: Option<&str>) -> Option<String> {
    usable_licence(concluded)
        .or(usable_licence(declared))
        .map(str::to_owned)
}

fn usable_licence(l: Option<&str>) -> Option<&str> {
    l.map(str::trim).filter(|l| {
        !l.is_empty() && !l.eq_ignore_ascii_case("NOASSERTION") && !l.eq_ignore_ascii_case("NONE")
    })
}

/// What a relationship type means here.
enum Meaning {
    /// `DOCUMENT DESCRIBES b`.
    Describes,
    /// `a DESCRIBED_BY DOCUMENT`.
    DescribedBy,
    /// A dependency edge; `forward` when it goes from `a` to `b`.
    Edge {
        forward: bool,
        scope: Scope,
    },
    Nothing,
}

fn meaning(ty: &str) -> Meaning {
    let edge = |forward, scope| Meaning::Edge { forward, scope };
    match ty.trim() {
        "DESCRIBES" => Meaning::Describes,
        "DESCRIBED_BY" => Meaning::DescribedBy,
        "DEPENDS_ON" | "STATIC_LINK" | "DYNAMIC_LINK" => edge(true, Scope::Runtime),
        "DEPENDENCY_OF" | "RUNTIME_DEPENDENCY_OF" | "PROVIDED_DEPENDENCY_OF" => {
            edge(false, Scope::Runtime)
        }
        "OPTIONAL_DEPENDENCY_OF" => edge(false, Scope::Optional),
        "BUILD_DEPENDENCY_OF" | "BUILD_TOOL_OF" => edge(false, Scope::Build),
        "DEV_DEPENDENCY_OF" | "TEST_DEPENDENCY_OF" | "DEV_TOOL_OF" | "TEST_TOOL_OF" => {
            edge(false, Scope::Dev)
        }
        _ => Meaning::Nothing,
    }
}

/// The scope a package gets from the scopes of the edges pointing at it.
fn scope_of(scopes: &[Scope]) -> Scope {
    if scopes.is_empty() || scopes.contains(&Scope::Runtime) {
        Scope::Runtime
    } else if scopes.contains(&Scope::Optional) {
        Scope::Optional
    } else if scopes.contains(&Scope::Build) {
        Scope::Build
    } else {
        Scope::Dev
    }
}

/// The SPDX ids the document describes: `describes` plus the DESCRIBES /
/// DESCRIBED_BY relationships of the document `doc_id`.
pub(crate) fn described<'a>(
    doc_id: &str,
    describes: &[&'a str],
    relationships: &[SpdxRelationship<'a>],
) -> Vec<&'a str> {
    let mut ids: Vec<&'a str> = describes.iter().map(|d| d.trim()).collect();
    for r in relationships {
        match meaning(r.ty) {
            Meaning::Describes if r.a.trim() == doc_id => ids.push(r.b.trim()),
            Meaning::DescribedBy if r.b.trim() == doc_id => ids.push(r.a.trim()),
            _ => {}
        }
    }
    ids
}

/// Turns SPDX packages and relationships into components, edges and the
/// project name (see the module doc).
pub(crate) fn emit(
    out: &mut Output,
    doc_id: &str,
    describes: &[&str],
    packages: &[SpdxPackage<'_>],
    relationships: &[SpdxRelationship<'_>],
) {
    let project = described(doc_id, describes, relationships);
    let is_project = |id: &str| project.contains(&id);
    // The first described package names the project.
    for id in &project {
        if let Some(p) = packages.iter().find(|p| p.id.trim() == *id)
            && !p.name.trim().is_empty()
        {
            out.project_name = Some(p.name.trim().to_owned());
            break;
        }
    }
    // Typed edges, by SPDX id.
    let mut edges: Vec<(&str, &str, Scope)> = Vec::new();
    for r in relationships {
        if let Meaning::Edge { forward, scope } = meaning(r.ty) {
            let (from, to) = if forward { (r.a, r.b) } else { (r.b, r.a) };
            edges.push((from.trim(), to.trim(), scope));
        }
    }
    let mut scopes: HashMap<&str, Vec<Scope>> = HashMap::new();
    for &(_, to, scope) in &edges {
        scopes.entry(to).or_default().push(scope);
    }
    let mut index: HashMap<&str, u32> = HashMap::new();
    for p in packages {
        let id = p.id.trim();
        if is_project(id) {
            continue;
        }
        // Some generators write NOASSERTION where there is no version.
        let version = p
            .version
            .filter(|v| !matches!(v.trim(), "NOASSERTION" | "NONE"));
        let Some(c) = sbom_component(out, p.purl, p.name, version, p.line) else {
            continue;
        };
        let scope = scope_of(scopes.get(id).map_or(&[][..], Vec::as_slice));
        let c = c
            .with_scope(scope)
            .with_licence(spdx_licence(p.concluded, p.declared));
        let i = out.push(c);
        if !id.is_empty() {
            index.entry(id).or_insert(i);
        }
    }
    let mut direct = Vec::new();
    let mut pairs = Vec::new();
    for &(from, to, _) in &edges {
        let Some(&b) = index.get(to) else { continue };
        if is_project(from) {
            direct.push(b);
        } else if let Some(&a) = index.get(from)
            && a != b
        {
            pairs.push((a, b));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    direct.sort_unstable();
    direct.dedup();
    for (a, b) in pairs {
        out.depend(a, b);
    }
    set_relations(out, &direct);
}

/// Checks `SPDX-2.x`; for SPDX 3 and unknown versions records an
/// `unsupported-version` error and returns false.
pub(crate) fn check_version(version: &str, out: &mut Output) -> bool {
    let v = version.trim();
    let number = v.strip_prefix("SPDX-").unwrap_or(v);
    if number.starts_with("2.") {
        return true;
    }
    let what = if number.starts_with('3') {
        "SPDX 3 is not supported yet (vigie reads SPDX 2.x)".to_owned()
    } else {
        format!("unknown SPDX version `{v}` (vigie reads SPDX 2.x)")
    };
    out.error(Code::UnsupportedVersion, what);
    false
}

// ---------------------------------------------------------------------------
// The JSON document.
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
struct Doc<'a> {
    #[serde(rename = "spdxVersion", borrow, default)]
    spdx_version: Text<'a>,
    #[serde(rename = "SPDXID", borrow, default)]
    id: Text<'a>,
    #[serde(rename = "documentDescribes", borrow, default)]
    describes: List<Text<'a>>,
    #[serde(borrow, default)]
    packages: List<Package<'a>>,
    #[serde(borrow, default)]
    relationships: List<Rel<'a>>,
}

#[derive(Deserialize)]
struct Package<'a> {
    #[serde(rename = "SPDXID", borrow, default)]
    id: Text<'a>,
    #[serde(borrow, default)]
    name: Text<'a>,
    #[serde(rename = "versionInfo", borrow, default)]
    version: Text<'a>,
    #[serde(rename = "externalRefs", borrow, default)]
    refs: List<ExtRef<'a>>,
    #[serde(rename = "licenseConcluded", borrow, default)]
    concluded: Text<'a>,
    #[serde(rename = "licenseDeclared", borrow, default)]
    declared: Text<'a>,
}

#[derive(Deserialize)]
struct ExtRef<'a> {
    #[serde(rename = "referenceCategory", borrow, default)]
    category: Text<'a>,
    #[serde(rename = "referenceType", borrow, default)]
    ty: Text<'a>,
    #[serde(rename = "referenceLocator", borrow, default)]
    locator: Text<'a>,
}

#[derive(Deserialize)]
struct Rel<'a> {
    #[serde(rename = "spdxElementId", borrow, default)]
    a: Text<'a>,
    #[serde(rename = "relationshipType", borrow, default)]
    ty: Text<'a>,
    #[serde(rename = "relatedSpdxElement", borrow, default)]
    b: Text<'a>,
}

/// Reads the text as SPDX JSON, whatever it looks like.
pub(crate) fn read_document(input: &Input<'_>, out: &mut Output) {
    if classify(input.text.as_bytes()) == Kind::Spdx3JsonLd {
        out.error(
            Code::UnsupportedVersion,
            "SPDX 3 JSON-LD is not supported yet (vigie reads SPDX 2.x JSON and tag-value)",
        );
        return;
    }
    let Some(doc) = parse_json_document::<Doc<'_>>(input.text, "SPDX JSON document", out) else {
        return;
    };
    match doc.spdx_version.get() {
        Some(v) if !check_version(v, out) => return,
        Some(_) => {}
        None if doc.packages.0.is_empty() => {
            out.error(
                Code::UnexpectedContent,
                "not an SPDX document: no `spdxVersion` and no `packages`",
            );
            return;
        }
        None => {}
    }
    let packages: Vec<SpdxPackage<'_>> = doc
        .packages
        .0
        .iter()
        .map(|p| SpdxPackage {
            id: p.id.get().unwrap_or(""),
            name: p.name.get().unwrap_or(""),
            version: p.version.get(),
            purl: p
                .refs
                .0
                .iter()
                .find(|r| is_purl_ref(r.category.get().unwrap_or(""), r.ty.get().unwrap_or("")))
                .and_then(|r| r.locator.get()),
            concluded: p.concluded.get(),
            declared: p.declared.get(),
            line: None,
        })
        .collect();
    let relationships: Vec<SpdxRelationship<'_>> = doc
        .relationships
        .0
        .iter()
        .filter_map(|r| {
            Some(SpdxRelationship {
                a: r.a.get()?,
                ty: r.ty.get()?,
                b: r.b.get()?,
            })
        })
        .collect();
    let describes: Vec<&str> = doc.describes.0.iter().filter_map(Text::get).collect();
    let doc_id = doc.id.get().unwrap_or("SPDXRef-DOCUMENT").trim();
    emit(out, doc_id, &describes, &packages, &relationships);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};
    use vigie_model::{Ecosystem, Relation};

    fn run(path: &str, text: &str) -> Output {
        read_file_as(&READER, path, text, &MemorySource::new())
    }

    #[test]
    fn names_and_sniffing() {
        assert!(matches("x.spdx.json"));
        assert!(matches("x.SPDX.JSON"));
        assert!(matches("SPDXYAMLExample-2.2.spdx.yaml"));
        assert!(!matches("x.spdx"));
        assert!(!matches("maubot-spdx.json"));
        assert!(sniff(
            "constellation-spdx.json",
            br#"{"spdxVersion": "SPDX-2.2"}"#
        ));
        assert!(sniff("jx.tar.gz.sbom", br#"{"spdxVersion": "SPDX-2.2"}"#));
        assert!(sniff(
            "sbom.spdx3.json",
            br#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}"#
        ));
        assert!(!sniff(
            "licenses.json",
            br#"{"0BSD": {"name": "BSD Zero"}}"#
        ));
    }

    const DOC: &str = r#"{
  "spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "app",
  "documentDescribes": ["SPDXRef-app"],
  "packages": [
    {"SPDXID": "SPDXRef-app", "name": "app", "versionInfo": "1.0"},
    {"SPDXID": "SPDXRef-a", "name": "serde", "versionInfo": "1.0.200",
     "licenseConcluded": "NOASSERTION", "licenseDeclared": "MIT OR Apache-2.0",
     "externalRefs": [
       {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": "cpe:2.3:a:x"},
       {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": "pkg:cargo/serde@1.0.200"}]},
    {"SPDXID": "SPDXRef-b", "name": "serde_derive", "versionInfo": "1.0.200",
     "licenseConcluded": "MIT",
     "externalRefs": [{"referenceCategory": "PACKAGE_MANAGER", "referenceType": "purl", "referenceLocator": "pkg:cargo/serde_derive"}]},
    {"SPDXID": "SPDXRef-c", "name": "junit", "versionInfo": "4.13"},
    {"SPDXID": "SPDXRef-d", "name": "gcc", "versionInfo": "NOASSERTION", "licenseConcluded": "NONE"}
  ],
  "relationships": [
    {"spdxElementId": "SPDXRef-app", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-b", "relationshipType": "DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-a"},
    {"spdxElementId": "SPDXRef-c", "relationshipType": "TEST_DEPENDENCY_OF", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-d", "relationshipType": "BUILD_TOOL_OF", "relatedSpdxElement": "SPDXRef-app"},
    {"spdxElementId": "SPDXRef-app", "relationshipType": "CONTAINS", "relatedSpdxElement": "SPDXRef-b"},
    {"spdxElementId": "SPDXRef-a", "relationshipType": "DEPENDS_ON", "relatedSpdxElement": "DocumentRef-x:SPDXRef-y"}
  ]
}"#;

    #[test]
    fn reads_packages_project_edges_and_scopes() {
        let out = run("app.spdx.json", DOC);
        assert_eq!(out.project_name.as_deref(), Some("app"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
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
                    "serde",
                    Some("1.0.200"),
                    Relation::Direct,
                    Scope::Runtime,
                    Some("MIT OR Apache-2.0")
                ),
                (
                    "serde_derive",
                    Some("1.0.200"),
                    Relation::Transitive,
                    Scope::Runtime,
                    Some("MIT")
                ),
                ("junit", Some("4.13"), Relation::Direct, Scope::Dev, None),
                ("gcc", None, Relation::Direct, Scope::Build, None),
            ]
        );
        assert_eq!(out.components[0].purl, "pkg:cargo/serde@1.0.200");
        assert_eq!(out.components[0].ecosystem, Ecosystem::Cargo);
        // The purl had no version: versionInfo fills it.
        assert_eq!(out.components[1].purl, "pkg:cargo/serde_derive@1.0.200");
        assert_eq!(out.components[2].ecosystem, Ecosystem::Generic);
        assert!(
            out.components[2]
                .note
                .as_deref()
                .unwrap()
                .contains("no purl")
        );
        assert_eq!(out.dependencies, [(0, 1)]);
        let codes: Vec<_> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(codes, ["unresolved-version"]);
    }

    #[test]
    fn described_by_relationships_name_the_project() {
        let text = r#"{"spdxVersion": "SPDX-2.2", "SPDXID": "SPDXRef-DOCUMENT",
          "packages": [{"SPDXID": "SPDXRef-root", "name": "root", "versionInfo": "1"},
                       {"SPDXID": "SPDXRef-x", "name": "x", "versionInfo": "2"}],
          "relationships": [{"spdxElementId": "SPDXRef-root", "relationshipType": "DESCRIBED_BY", "relatedSpdxElement": "SPDXRef-DOCUMENT"}]}"#;
        let out = run("a.spdx.json", text);
        assert_eq!(out.project_name.as_deref(), Some("root"));
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].relation, Relation::Unknown);
    }

    #[test]
    fn unsupported_versions_and_formats() {
        let spdx3 =
            r#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": []}"#;
        let out = run("sbom.spdx3.json", spdx3);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unsupported-version");
        let out = run(
            "x.spdx.json",
            r#"{"spdxVersion": "SPDX-3.0", "packages": []}"#,
        );
        assert_eq!(out.diagnostics[0].code, "unsupported-version");
        let out = run("x.spdx.yaml", "spdxVersion: SPDX-2.3\n");
        assert_eq!(out.diagnostics[0].code, "unsupported-format");
        let out = run("x.spdx.json", r#"{"0BSD": {}}"#);
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = run(
            "x.spdx.json",
            "{\"spdxVersion\": \"SPDX-2.3\",\n \"packages\": [,]}",
        );
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(2));
    }

    #[test]
    fn tag_value_in_a_json_name_is_read_as_tag_value() {
        let text = "SPDXVersion: SPDX-2.2\nSPDXID: SPDXRef-DOCUMENT\n\nPackageName: zlib\nSPDXID: SPDXRef-z\nPackageVersion: 1.2.13\n";
        let out = run("grype-sbom-modified.spdx.json", text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].line, Some(4));
        assert_eq!(out.diagnostics[0].code, "format-mismatch");
    }
}
