//! SBOM readers (CycloneDX JSON/XML, SPDX JSON/tag-value) on every SBOM of
//! the reference data (`sbom/`).
//!
//! For every file, the component count equals a count made here
//! independently of the readers:
//! - CycloneDX JSON: a walk of a `serde_json::Value`, counting the objects of
//!   the top-level `components` array and, recursively, of their nested
//!   `components`, whose `type` is a software type or that carry a purl.
//! - CycloneDX XML: no parser; `<component` start tags found by string search
//!   between the end of `<metadata>` and `<dependencies>`, whose `type`
//!   attribute is a software type (no file of the data has pedigree
//!   components, which would be wrongly counted here).
//! - SPDX JSON: a `Value`: the `packages` whose `SPDXID` is not described
//!   (`documentDescribes` plus DESCRIBES / DESCRIBED_BY relationships).
//! - SPDX tag-value: the text cut into blocks at `PackageName:` lines; blocks
//!   whose first `SPDXID:` is described (by `Relationship:` lines) are the
//!   project.
//!
//! Plus spot checks on keycloak, juice-shop, laravel and SPDX files, and a
//! check that every `.json`/`.xml`/`.spdx`/`.sbom` file there gives
//! components or a clean diagnostic.

use crate::common;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use vigie_discovery::readers::{cyclonedx_json, cyclonedx_xml, spdx_json, spdx_tag};
use vigie_discovery::{Output, walk};
use vigie_model::{Component, Ecosystem, Relation, Scope, Severity};

const MY_READERS: [&str; 4] = [
    "cyclonedx-json",
    "cyclonedx-xml",
    "spdx-json",
    "spdx-tag-value",
];

/// CycloneDX types that are not software (kept only with a purl).
const NON_SOFTWARE: [&str; 5] = [
    "file",
    "device",
    "data",
    "machine-learning-model",
    "cryptographic-asset",
];

/// `project`: the `bom-ref` of `metadata.component` (a component listed
/// with it is the project itself).
fn cdx_json_count(components: Option<&Value>, project: Option<&str>) -> usize {
    let Some(Value::Array(list)) = components else {
        return 0;
    };
    list.iter()
        .map(|c| {
            let ty = c.get("type").and_then(Value::as_str).unwrap_or("library");
            let purl = c.get("purl").and_then(Value::as_str).unwrap_or("");
            let name = c.get("name").and_then(Value::as_str).unwrap_or("");
            let is_project =
                project.is_some() && c.get("bom-ref").and_then(Value::as_str) == project;
            let kept = (!NON_SOFTWARE.contains(&ty) || !purl.is_empty())
                && (!name.trim().is_empty() || !purl.is_empty())
                && !is_project;
            usize::from(kept) + cdx_json_count(c.get("components"), project)
        })
        .sum()
}

fn cdx_xml_count(text: &str) -> usize {
    let start = text.find("</metadata>").unwrap_or(0);
    let end = text.find("<dependencies").unwrap_or(text.len());
    let region = &text[start..end];
    let mut n = 0;
    for (i, _) in region.match_indices("<component") {
        let tag_end = region[i..].find('>').map_or(region.len(), |e| i + e);
        let tag = &region[i..tag_end];
        // `<components>` matches too: only `<component` + space, `>` or `/`.
        let after = tag.as_bytes().get("<component".len()).copied();
        if !matches!(after, None | Some(b' ' | b'/' | b'\n' | b'\t' | b'\r')) {
            continue;
        }
        let ty = tag
            .split("type=\"")
            .nth(1)
            .and_then(|t| t.split('"').next())
            .unwrap_or("library");
        if !NON_SOFTWARE.contains(&ty) {
            n += 1;
        }
    }
    n
}

fn spdx_json_count(doc: &Value) -> usize {
    let mut described: HashSet<&str> = doc
        .get("documentDescribes")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    for r in doc
        .get("relationships")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let field = |k: &str| r.get(k).and_then(Value::as_str).unwrap_or("");
        match field("relationshipType") {
            "DESCRIBES" => {
                described.insert(field("relatedSpdxElement"));
            }
            "DESCRIBED_BY" => {
                described.insert(field("spdxElementId"));
            }
            _ => {}
        }
    }
    doc.get("packages")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter(|p| {
            let id = p.get("SPDXID").and_then(Value::as_str).unwrap_or("");
            !described.contains(id)
        })
        .count()
}

fn spdx_tag_count(text: &str) -> usize {
    let lines: Vec<&str> = text.split(['\n', '\r']).collect();
    let mut described = HashSet::new();
    for l in &lines {
        if let Some(rel) = l.strip_prefix("Relationship:") {
            let parts: Vec<&str> = rel.split_whitespace().collect();
            match parts.as_slice() {
                [_, "DESCRIBES", b, ..] => {
                    described.insert(*b);
                }
                [a, "DESCRIBED_BY", ..] => {
                    described.insert(*a);
                }
                _ => {}
            }
        }
    }
    let mut count = 0;
    // Each block after a `PackageName:` line: its first SPDXID before another
    // section is the package's.
    for block in lines.split(|l| l.starts_with("PackageName:")).skip(1) {
        let id = block
            .iter()
            .take_while(|l| {
                !l.starts_with("FileName:")
                    && !l.starts_with("SnippetSPDXID:")
                    && !l.starts_with("LicenseID:")
            })
            .find_map(|l| l.strip_prefix("SPDXID:"))
            .map(str::trim);
        if !id.is_some_and(|id| described.contains(id)) {
            count += 1;
        }
    }
    count
}

/// The independent count of a file, by what its content is.
fn independent_count(text: &str) -> usize {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.starts_with('{') {
        // The first JSON document (powershell-2.2.6 has garbage after it).
        let Some(Ok(doc)) = serde_json::Deserializer::from_str(body)
            .into_iter::<Value>()
            .next()
        else {
            return 0;
        };
        if doc.get("bomFormat").and_then(Value::as_str) == Some("CycloneDX") {
            let project = doc
                .pointer("/metadata/component/bom-ref")
                .and_then(Value::as_str);
            cdx_json_count(doc.get("components"), project)
        } else if doc
            .get("spdxVersion")
            .and_then(Value::as_str)
            .is_some_and(|v| v.starts_with("SPDX-2"))
        {
            spdx_json_count(&doc)
        } else {
            0
        }
    } else if body.starts_with('<') {
        if text.contains("xmlns=\"http://cyclonedx.org/schema/bom/") {
            cdx_xml_count(text)
        } else {
            0
        }
    } else if body.starts_with("SPDXVersion:") {
        spdx_tag_count(text)
    } else {
        0
    }
}

/// Files that must have an error diagnostic, and its code (besides the SPDX
/// 3 and non-JSON SPDX files, see `expected_error`).
const EXPECTED_ERRORS: [(&str, &str); 4] = [
    // A SCANOSS scan result (not CycloneDX) named -cdx.json.
    ("bashrc2-sbom-cdx.json", "unexpected-content"),
    // A JSON array of SCANOSS records.
    ("scanoss-sbom-cdx.json", "unexpected-content"),
    // "Contact UsTerms of UsePrivacy Policy" after the JSON document.
    ("powershell-2.2.6.spdx.json", "invalid-syntax"),
    // Cut at 3,407,872 bytes inside a <text> value.
    ("istio-source.spdx", "invalid-syntax"),
];

fn expected_error(path: &Path, text: &str) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?;
    if let Some((_, code)) = EXPECTED_ERRORS.iter().find(|(n, _)| *n == name) {
        return Some(code);
    }
    if [".spdx.yaml", ".spdx.xml", ".spdx.rdf.xml"]
        .iter()
        .any(|s| name.ends_with(s))
    {
        return Some("unsupported-format");
    }
    if text.contains("spdx.org/rdf/3") && !text.contains("\"spdxVersion\"") {
        return Some("unsupported-version");
    }
    None
}

fn read(reader: &vigie_discovery::Reader, path: &Path) -> Output {
    common::read_data_file(reader, path)
}

fn sbom_dir() -> Option<PathBuf> {
    Some(common::data_dir()?.join("sbom"))
}

#[test]
fn every_sbom_file_counts_as_counted_independently() {
    let Some(dir) = sbom_dir() else {
        return;
    };
    let (projects, walk_diags) = walk(std::slice::from_ref(&dir));
    assert!(walk_diags.is_empty(), "{walk_diags:?}");
    let mut seen = 0;
    let mut by_reader: BTreeMap<&str, usize> = BTreeMap::new();
    for file in projects.iter().flat_map(|p| &p.files) {
        if !MY_READERS.contains(&file.reader.id) {
            continue;
        }
        let path = Path::new(&file.path);
        let text = std::fs::read_to_string(path).unwrap();
        let out = read(file.reader, path);
        let want = independent_count(&text);
        assert_eq!(out.components.len(), want, "{}", file.path);
        let errors: Vec<&str> = out
            .diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| d.code.as_str())
            .collect();
        match expected_error(path, &text) {
            Some(code) => assert_eq!(errors, [code], "{}", file.path),
            None => assert!(errors.is_empty(), "{}: {:?}", file.path, out.diagnostics),
        }
        // Every component is named, and has a purl of its own ecosystem.
        for c in &out.components {
            assert!(!c.name.is_empty(), "{}", file.path);
            assert!(c.purl.starts_with("pkg:"), "{}: {}", file.path, c.purl);
        }
        seen += 1;
        *by_reader.entry(file.reader.id).or_default() += 1;
    }
    // 202 files (of 249 under sbom/, the rest being READMEs, licences, CSVs
    // and one licence list), counted by hand with `find` and the naming
    // rules: 72 CycloneDX JSON (names and `bomFormat` sniffing), 22 CycloneDX
    // XML, 72 SPDX JSON (39 SPDX 2 including a `.sbom` and a tag-value
    // document named `.spdx.json`, 27 SPDX 3 JSON-LD, 6 YAML/XML/RDF), 36
    // tag-value (`.spdx`).
    assert_eq!(
        by_reader,
        BTreeMap::from([
            ("cyclonedx-json", 72),
            ("cyclonedx-xml", 22),
            ("spdx-json", 72),
            ("spdx-tag-value", 36),
        ]),
        "{seen} files"
    );
}

/// Every `.json`, `.xml`, `.spdx`, `.sbom` or `.yaml` file under `sbom/` is
/// claimed by one of the SBOM readers (by name or by content), or is known
/// not to be an SBOM; reading it never panics.
#[test]
fn every_candidate_file_is_claimed_or_known() {
    let Some(dir) = sbom_dir() else {
        return;
    };
    let (projects, _) = walk(std::slice::from_ref(&dir));
    let claimed: HashSet<PathBuf> = projects
        .iter()
        .flat_map(|p| &p.files)
        .filter(|f| MY_READERS.contains(&f.reader.id))
        .map(|f| PathBuf::from(&f.path))
        .collect();
    let mut stack = vec![dir.clone()];
    let mut candidates = 0;
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let name = path.file_name().unwrap().to_str().unwrap();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
            if !["json", "xml", "spdx", "sbom", "yaml"].contains(&ext) {
                continue;
            }
            candidates += 1;
            if claimed.contains(&path) {
                continue;
            }
            // A licence list (`{"0BSD": {...}, ...}`), not an SBOM.
            assert_eq!(
                name,
                "maubot-spdx.json",
                "{} is not claimed",
                path.display()
            );
            // Read as SPDX JSON all the same, it is a clean diagnostic.
            let out = read(&spdx_json::READER, &path);
            assert!(out.components.is_empty());
            assert_eq!(out.diagnostics[0].code, "unexpected-content");
        }
    }
    assert_eq!(candidates, 203);
    assert_eq!(claimed.len(), 202);
    // No reader panics on any file (a panic would be an internal-error).
    for path in &claimed {
        for reader in [
            &cyclonedx_json::READER,
            &cyclonedx_xml::READER,
            &spdx_json::READER,
            &spdx_tag::READER,
        ] {
            let out = read(reader, path);
            assert!(
                out.diagnostics.iter().all(|d| d.code != "internal-error"),
                "{} as {}",
                path.display(),
                reader.id
            );
        }
    }
}

fn find<'a>(out: &'a Output, name: &str, version: &str) -> &'a Component {
    out.components
        .iter()
        .find(|c| c.name == name && c.version.as_deref() == Some(version))
        .unwrap_or_else(|| panic!("{name}@{version} not found"))
}

fn find_unversioned<'a>(out: &'a Output, name: &str) -> &'a Component {
    out.components
        .iter()
        .find(|c| c.name == name && c.version.is_none())
        .unwrap_or_else(|| panic!("{name} (no version) not found"))
}

#[test]
fn keycloak_json_and_xml() {
    let Some(dir) = sbom_dir() else {
        return;
    };
    let base = dir.join("cyclonedx-bom-examples/SBOM/keycloak-10.0.2");
    let json = read(&cyclonedx_json::READER, &base.join("bom.json"));
    let xml = read(&cyclonedx_xml::READER, &base.join("bom.xml"));
    for out in [&json, &xml] {
        assert_eq!(out.project_name.as_deref(), Some("keycloak-parent"));
        let bc = find(out, "org.bouncycastle:bcprov-jdk15on", "1.62");
        assert_eq!(bc.ecosystem, Ecosystem::Maven);
        assert_eq!(
            bc.purl,
            "pkg:maven/org.bouncycastle/bcprov-jdk15on@1.62?type=jar"
        );
        // A named licence, kept as written.
        assert_eq!(bc.licence.as_deref(), Some("Bouncy Castle Licence"));
        assert_eq!(bc.scope, Scope::Runtime);
        let mail = find(out, "com.sun.mail:jakarta.mail", "1.6.4");
        assert_eq!(
            mail.licence.as_deref(),
            Some("EPL-2.0 AND GPL-2.0-with-classpath-exception AND (EDL 1.0)")
        );
        let hib = find(out, "org.hibernate:hibernate-core", "5.3.15.Final");
        assert_eq!(hib.licence.as_deref(), Some("LGPL-2.1+"));
        // The root is not in the dependency graph: relations are unknown.
        assert!(
            out.components
                .iter()
                .all(|c| c.relation == Relation::Unknown)
        );
        assert!(!out.dependencies.is_empty());
    }
    // The same components in both serialisations, in the same order.
    let ids = |o: &Output| {
        o.components
            .iter()
            .map(|c| c.purl.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&json), ids(&xml));
    assert_eq!(json.dependencies, xml.dependencies);
    assert!(json.components.iter().all(|c| c.line.is_none()));
    // Its `<component` tag is on line 36 of bom.xml.
    let bc = find(&xml, "org.bouncycastle:bcprov-jdk15on", "1.62");
    assert_eq!(bc.line, Some(36));
}

#[test]
fn juice_shop_json_and_xml() {
    let Some(dir) = sbom_dir() else {
        return;
    };
    let base = dir.join("cyclonedx-bom-examples/SBOM/juice-shop/v11.1.2");
    for out in [
        read(&cyclonedx_json::READER, &base.join("bom.json")),
        read(&cyclonedx_xml::READER, &base.join("bom.xml")),
    ] {
        assert_eq!(out.project_name.as_deref(), Some("juice-shop"));
        let express = find(&out, "express", "4.17.1");
        assert_eq!(express.purl, "pkg:npm/express@4.17.1");
        assert_eq!(express.ecosystem, Ecosystem::Npm);
        assert_eq!(express.licence.as_deref(), Some("MIT"));
        // Scoped npm packages: the group is the scope.
        let is = find(&out, "@sindresorhus/is", "0.7.0");
        assert_eq!(is.purl, "pkg:npm/%40sindresorhus/is@0.7.0");
        // Two versions of one package are two components.
        assert!(
            out.components
                .iter()
                .any(|c| c.name == "jsonwebtoken" && c.version.as_deref() == Some("0.1.0"))
        );
        assert!(
            out.components
                .iter()
                .any(|c| c.name == "jsonwebtoken" && c.version.as_deref() == Some("0.4.0"))
        );
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }
    // The npm-generated 1.4 BOM: 76 optional components (`"scope":
    // "optional"` counted on the raw text), the rest required.
    let bare = dir.join("cyclonedx-bom-examples/SBOM/juice-shop/via_npm/bare/bom.1.4.json");
    let text = std::fs::read_to_string(&bare).unwrap();
    let out = read(&cyclonedx_json::READER, &bare);
    let optional = out
        .components
        .iter()
        .filter(|c| c.scope == Scope::Optional)
        .count();
    assert_eq!(optional, text.matches("\"scope\": \"optional\"").count());
    assert_eq!(optional, 76);
}

#[test]
fn laravel_relations_and_spec_1_1() {
    let Some(dir) = sbom_dir() else {
        return;
    };
    let base = dir.join("cyclonedx-bom-examples/SBOM/laravel-7.12.0");
    let out = read(&cyclonedx_json::READER, &base.join("bom.1.4.json"));
    assert_eq!(
        out.project_name.as_deref(),
        Some("cyclonedx-php-composer-demo")
    );
    // The demo depends on laravel/laravel only; everything else is reached
    // from there.
    let direct: Vec<&str> = out
        .components
        .iter()
        .filter(|c| c.relation == Relation::Direct)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(direct, ["laravel/laravel"]);
    let fw = find(&out, "laravel/framework", "v7.30.6");
    assert_eq!(fw.purl, "pkg:composer/laravel/framework@v7.30.6");
    assert_eq!(fw.relation, Relation::Transitive);
    // Spec 1.1 XML (no bomFormat, no metadata, no graph): the same 62
    // components, no project name, relations unknown.
    let old = read(&cyclonedx_xml::READER, &base.join("bom.1.1.xml"));
    assert!(old.diagnostics.is_empty(), "{:?}", old.diagnostics);
    assert_eq!(old.components.len(), 62);
    assert_eq!(old.project_name, None);
    let fw = find(&old, "laravel/framework", "v7.30.6");
    assert_eq!(fw.relation, Relation::Unknown);
    assert_eq!(fw.licence.as_deref(), Some("MIT"));
    assert_eq!(fw.line, Some(332));
}

#[test]
fn spdx_spot_checks() {
    let Some(dir) = sbom_dir() else {
        return;
    };
    let wild = dir.join("bom-shelter-in-the-wild/spdx");
    // julia: the same document as JSON and as tag-value.
    let json = read(&spdx_json::READER, &wild.join("julia.spdx.json"));
    let tag = read(&spdx_tag::READER, &wild.join("julia.spdx"));
    for out in [&json, &tag] {
        assert_eq!(out.project_name.as_deref(), Some("Julia"));
        assert_eq!(out.components.len(), 33);
        let blas = out
            .components
            .iter()
            .find(|c| c.name == "OpenBLAS")
            .unwrap();
        assert_eq!(blas.ecosystem, Ecosystem::Generic);
        assert_eq!(blas.version, None);
        assert_eq!(blas.purl, "pkg:generic/OpenBLAS");
        assert_eq!(blas.licence.as_deref(), Some("BSD-3-Clause"));
        assert_eq!(blas.scope, Scope::Build);
        assert_eq!(blas.relation, Relation::Direct);
        let zip = out.components.iter().find(|c| c.name == "7-Zip").unwrap();
        assert_eq!(zip.scope, Scope::Runtime);
        let patchelf = out
            .components
            .iter()
            .find(|c| c.name == "patchelf")
            .unwrap();
        assert_eq!(patchelf.scope, Scope::Build);
    }
    let blas = tag
        .components
        .iter()
        .find(|c| c.name == "OpenBLAS")
        .unwrap();
    assert_eq!(blas.line, Some(205));

    // Microsoft SBOM tool: purls with `PACKAGE-MANAGER`, DEPENDS_ON edges.
    let ms = read(
        &spdx_json::READER,
        &wild.join("microsoft-sbom-tool.spdx.json"),
    );
    assert_eq!(ms.project_name.as_deref(), Some("SBOMTool"));
    let moq = find(&ms, "Moq", "4.17.2");
    assert_eq!(moq.purl, "pkg:nuget/Moq@4.17.2");
    assert_eq!(moq.ecosystem, Ecosystem::NuGet);
    assert_eq!(moq.licence, None);
    assert_eq!(moq.relation, Relation::Direct);

    // The spec example: glibc is described; the others are components.
    let spec = dir.join("spdx-spec-examples");
    for out in [
        read(
            &spdx_json::READER,
            &spec.join("SPDXJSONExample-v2.3.spdx.json"),
        ),
        read(&spdx_tag::READER, &spec.join("SPDXTagExample-v2.3.spdx")),
    ] {
        assert_eq!(out.project_name.as_deref(), Some("glibc"));
        let mut names: Vec<&str> = out.components.iter().map(|c| c.name.as_str()).collect();
        names.sort();
        // Jena has a purl, which names it; the others are generic.
        assert_eq!(
            names,
            [
                "Apache Commons Lang",
                "Saxon",
                "org.apache.jena:apache-jena"
            ]
        );
        let jena = find(&out, "org.apache.jena:apache-jena", "3.12.0");
        assert_eq!(jena.purl, "pkg:maven/org.apache.jena/apache-jena@3.12.0");
        assert_eq!(jena.ecosystem, Ecosystem::Maven);
        let saxon = find(&out, "Saxon", "8.8");
        assert_eq!(saxon.purl, "pkg:generic/Saxon@8.8");
        assert_eq!(saxon.licence.as_deref(), Some("MPL-1.0"));
        // glibc DYNAMIC_LINKs Saxon.
        assert_eq!(saxon.relation, Relation::Direct);
        let commons = find_unversioned(&out, "Apache Commons Lang");
        assert_eq!(commons.licence, None);
    }

    // A tag-value document in a `.spdx.json` name, as found in the wild.
    let odd = read(
        &spdx_json::READER,
        &wild.join("grype-sbom-modified.spdx.json"),
    );
    let plain = read(&spdx_tag::READER, &wild.join("grype-sbom.spdx"));
    assert_eq!(odd.components, plain.components);
    assert_eq!(odd.diagnostics[0].code, "format-mismatch");

    // SPDX JSON in a `.sbom` name, found by sniffing.
    let jx = dir.join("bom-shelter-in-the-wild/cyclonedx/jx-darwin-arm64.tar.gz.sbom");
    let head = std::fs::read(&jx).unwrap();
    assert!((spdx_json::READER.sniff.unwrap())(
        "jx-darwin-arm64.tar.gz.sbom",
        &head[..4096]
    ));
    assert!(!(cyclonedx_json::READER.sniff.unwrap())(
        "jx-darwin-arm64.tar.gz.sbom",
        &head[..4096]
    ));
}
