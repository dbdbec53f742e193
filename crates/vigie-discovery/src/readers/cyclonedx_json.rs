//! CycloneDX JSON SBOMs, spec 1.2 to 1.7.
//!
//! Files: `bom.json`, `*.cdx.json`, `*-cdx.json`, `*.bom.json`, `*.sbom.json`
//! by name; any other `.json` (and `*.sbom`) whose first 4 KiB hold
//! `"bomFormat"` and `"CycloneDX"`. A file named like CycloneDX JSON that holds
//! another SBOM format this crate reads (SPDX JSON, SPDX tag-value, CycloneDX
//! XML) is read as that format, with a `format-mismatch` warning.
//!
//! How it is read:
//! - **Components** are the top-level `components` and, recursively, their
//!   nested `components` (sub-assemblies; at most [`MAX_NESTING`] levels, deeper
//!   ones are reported with `too-deep`). `pedigree`, `formulation` and
//!   `services` are not components.
//! - **Which types count**: software types (`application`, `framework`,
//!   `library`, `container`, `platform`, `operating-system`, `device-driver`,
//!   `firmware`, a missing or unknown type). `file`, `device`, `data`,
//!   `machine-learning-model` and `cryptographic-asset` are hardware, data,
//!   crypto material or plain files, and are kept only when they carry a purl
//!   (a package identity). Nested components are looked at whatever the type
//!   of their parent (firmware inside a device counts).
//! - **Identity** comes from `purl` when it parses (`Component::from_purl`);
//!   a purl without version takes the component's `version`. Without a usable
//!   purl the component is `generic`, named `group/name`, with a note (and an
//!   `invalid-purl` warning when there was a purl that does not parse).
//!   No version at all: `unresolved-version` warning.
//! - **Scope**: `required` (and the default) is runtime, `optional` is
//!   optional, `excluded` is dev: the spec says excluded components document
//!   "usage for test and other non-runtime purposes".
//! - **Licences**: each `licenses[]` entry is `license.id`, else `license.name`,
//!   else `expression`. The spec says no word of how several entries combine
//!   (1.5/1.6: "EITHER (list of SPDX licenses and/or named licenses) OR (tuple
//!   of one SPDX License Expression)"; 1.7: "a list of SPDX licenses and/or
//!   named licenses and/or SPDX License Expression"), and real files use lists
//!   both for dual licensing (Maven's EPL-2.0 + GPL-2.0-with-classpath) and for
//!   licences that all apply (BSD-3-Clause + a patent clause). We join distinct
//!   entries with `AND`, the reading that never understates obligations;
//!   compound parts are parenthesised. When some entries are acknowledged as
//!   `concluded` (1.6+), only those are used. Without `licenses`, the observed
//!   `evidence.licenses` are used.
//! - **The project**: `metadata.component` (and its nested components, the
//!   project's own parts) is the project, not a component; its name names the
//!   project. A component listed with the project's `bom-ref` or purl is the
//!   project listed twice, and is skipped.
//! - **Edges**: `dependencies[].ref -> dependsOn` by `bom-ref` (or by purl when
//!   no component has that `bom-ref`). What the project depends on is
//!   `direct`, what is reachable from there `transitive`; without a graph
//!   rooted at the project, relations are unknown.
//!
//! JSON gives no line numbers here (the document is deserialised in one go).
//! A document followed by garbage keeps what the document holds, plus an
//! `invalid-syntax` error at the garbage.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;
use std::marker::PhantomData;

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use vigie_model::{Code, Component, Ecosystem, Purl, Relation, Scope};

use super::util::line_at;
use super::{cyclonedx_xml, spdx_json, spdx_tag};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "cyclonedx-json",
    description: "CycloneDX JSON SBOM (spec 1.2-1.7)",
    ecosystem: None,
    matches,
    sniff: Some(sniff),
    read,
};

/// Nested `components` deeper than this are not read.
pub(crate) const MAX_NESTING: usize = 32;

fn matches(name: &str) -> bool {
    name.eq_ignore_ascii_case("bom.json")
        || [".cdx.json", "-cdx.json", ".bom.json", ".sbom.json"]
            .iter()
            .any(|s| ends_with_ci(name, s))
}

fn sniff(name: &str, head: &[u8]) -> bool {
    (ends_with_ci(name, ".json") || ends_with_ci(name, ".sbom"))
        && classify(head) == Kind::CycloneDxJson
}

fn read(input: &Input<'_>, out: &mut Output) {
    if !dispatch(Kind::CycloneDxJson, "CycloneDX JSON", input, out) {
        read_document(input, out);
    }
}

// ---------------------------------------------------------------------------
// Helpers shared by the SBOM readers (CycloneDX JSON/XML, SPDX JSON/tag-value).
// ---------------------------------------------------------------------------

/// Whether `name` ends with `suffix`, ignoring ASCII case.
pub(crate) fn ends_with_ci(name: &str, suffix: &str) -> bool {
    let (n, s) = (name.as_bytes(), suffix.as_bytes());
    n.len() >= s.len() && n[n.len() - s.len()..].eq_ignore_ascii_case(s)
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// The SBOM formats recognised by their first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    CycloneDxJson,
    CycloneDxXml,
    SpdxJson,
    /// SPDX 3 JSON-LD (`@context` of `spdx.org/rdf/3...`).
    Spdx3JsonLd,
    SpdxTag,
    Other,
}

/// Recognises an SBOM format from the first bytes of a file (at most 4 KiB
/// are looked at). Cheap: a few substring searches.
pub(crate) fn classify(head: &[u8]) -> Kind {
    let head = &head[..head.len().min(4096)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    let body = &head[start..];
    match body.first() {
        Some(b'{') | Some(b'[') => {
            if contains(body, b"\"bomFormat\"") && contains(body, b"\"CycloneDX\"") {
                Kind::CycloneDxJson
            } else if contains(body, b"\"spdxVersion\"") {
                Kind::SpdxJson
            } else if contains(body, b"spdx.org/rdf/3") {
                Kind::Spdx3JsonLd
            } else {
                Kind::Other
            }
        }
        Some(b'<') if contains(body, b"cyclonedx.org/schema/bom") => Kind::CycloneDxXml,
        _ if body.starts_with(b"SPDXVersion:") => Kind::SpdxTag,
        _ => Kind::Other,
    }
}

/// When a file named like one SBOM format holds another one that this crate
/// reads, reads it as that format (with a `format-mismatch` warning) and
/// returns true.
pub(crate) fn dispatch(own: Kind, own_name: &str, input: &Input<'_>, out: &mut Output) -> bool {
    let kind = classify(input.text.as_bytes());
    let (other, read): (&str, fn(&Input<'_>, &mut Output)) = match kind {
        k if k == own => return false,
        // SPDX 3 JSON-LD is diagnosed by the SPDX JSON reader.
        Kind::Spdx3JsonLd if own == Kind::SpdxJson => return false,
        Kind::CycloneDxJson => ("CycloneDX JSON", read_document),
        Kind::CycloneDxXml => ("CycloneDX XML", cyclonedx_xml::read_document),
        Kind::SpdxJson | Kind::Spdx3JsonLd => ("SPDX JSON", spdx_json::read_document),
        Kind::SpdxTag => ("SPDX tag-value", spdx_tag::read_document),
        Kind::Other => return false,
    };
    out.warning(
        Code::FormatMismatch,
        format!("the file is named like {own_name} but holds {other}; read as {other}"),
    );
    read(input, out);
    true
}

/// Parses one JSON document borrowing from `text`. A syntax error is
/// `invalid-syntax`, a document of the wrong shape `unexpected-content`
/// (both located). Content after the document is an `invalid-syntax` error,
/// but the document is kept.
pub(crate) fn parse_json_document<'a, T: Deserialize<'a>>(
    text: &'a str,
    what: &str,
    out: &mut Output,
) -> Option<T> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skipped = text.len() - body.len();
    if body.trim().is_empty() {
        out.error(Code::UnexpectedContent, format!("empty file, not a {what}"));
        return None;
    }
    let first = body.trim_start();
    if !first.starts_with('{') {
        let line = line_at(text, text.len() - first.len());
        let what_it_is = if first.starts_with('[') {
            "a JSON array"
        } else {
            "not a JSON object"
        };
        out.error(
            Code::UnexpectedContent,
            format!("{what_it_is}, not a {what}"),
        )
        .line = Some(line);
        return None;
    }
    let mut stream = serde_json::Deserializer::from_str(body).into_iter::<T>();
    match stream.next() {
        None => {
            out.error(Code::UnexpectedContent, format!("empty file, not a {what}"));
            None
        }
        Some(Err(e)) => {
            let code = if e.is_data() {
                Code::UnexpectedContent
            } else {
                Code::InvalidSyntax
            };
            let line = (e.line() > 0).then_some(e.line() as u32);
            out.error(code, format!("not a valid {what}: {e}")).line = line;
            None
        }
        Some(Ok(v)) => {
            let end = stream.byte_offset();
            let rest = body.get(end..).unwrap_or("");
            if let Some(pos) = rest.find(|c: char| !c.is_whitespace()) {
                out.error(
                    Code::InvalidSyntax,
                    "content after the end of the JSON document is ignored",
                )
                .line = Some(line_at(text, skipped + end + pos));
            }
            Some(v)
        }
    }
}

/// Builds the component of one SBOM entry: identity from the purl when it
/// parses, else a generic `name@version` with a note. Returns `None` (after a
/// warning) when the entry has neither a usable purl nor a name.
pub(crate) fn sbom_component(
    out: &mut Output,
    purl: Option<&str>,
    name: &str,
    version: Option<&str>,
    line: Option<u32>,
) -> Option<Component> {
    let version = version.map(str::trim).filter(|v| !v.is_empty());
    let name = name.trim();
    let purl = purl.map(str::trim).filter(|p| !p.is_empty());
    let mut bad_purl = None;
    if let Some(text) = purl {
        // A purl that breaks only a type rule (`pkg:golang/stdlib` has no
        // namespace) still identifies the package: keep it, and say so.
        let parsed = text.parse::<Purl>().or_else(|strict| {
            Purl::parse_lenient(text).inspect(|_| {
                out.warning(
                    Code::NonconformingPurl,
                    format!("`{text}` breaks a rule of the purl specification ({strict}); kept as written"),
                )
                .line = line;
            })
        });
        match parsed {
            Ok(mut p) => {
                if p.version.is_none() {
                    p.version = version.map(str::to_owned);
                }
                let c = Component::from_purl(&p).with_line(line);
                return Some(unresolved_check(out, c, line));
            }
            Err(e) => {
                out.warning(
                    Code::InvalidPurl,
                    format!("`{text}` is not a valid package URL ({e}); using the name instead"),
                )
                .line = line;
                bad_purl = Some(text);
            }
        }
    }
    if name.is_empty() {
        out.warning(
            Code::UnexpectedContent,
            "an entry with neither a usable purl nor a name is skipped",
        )
        .line = line;
        return None;
    }
    let note = match bad_purl {
        Some(p) => format!("invalid purl `{p}` in the SBOM: identified by name and version only"),
        None => "no purl in the SBOM: identified by name and version only".to_owned(),
    };
    let c = Component::new(Ecosystem::Generic, name, version)
        .with_line(line)
        .with_note(note);
    Some(unresolved_check(out, c, line))
}

fn unresolved_check(out: &mut Output, c: Component, line: Option<u32>) -> Component {
    if c.version.is_some() {
        return c;
    }
    out.warning(
        Code::UnresolvedVersion,
        format!("`{}` has no version in the SBOM", c.name),
    )
    .line = line;
    let note = match &c.note {
        Some(n) => format!("{n}; the SBOM gives no version"),
        None => "the SBOM gives no version".to_owned(),
    };
    c.with_note(note)
}

/// Sets the relation of the components from the project's direct
/// dependencies (`direct`, indices into `out.components`) and the edges:
/// direct ones, then those reachable from them (transitive). Without direct
/// dependencies nothing is known and relations stay unknown.
pub(crate) fn set_relations(out: &mut Output, direct: &[u32]) {
    if direct.is_empty() {
        return;
    }
    let n = out.components.len();
    let mut adjacency: Vec<Vec<u32>> = vec![Vec::new(); n];
    for &(a, b) in &out.dependencies {
        if let Some(list) = adjacency.get_mut(a as usize) {
            list.push(b);
        }
    }
    let mut seen = vec![false; n];
    let mut queue = VecDeque::new();
    for &d in direct {
        if let Some(c) = out.components.get_mut(d as usize)
            && !seen[d as usize]
        {
            seen[d as usize] = true;
            c.relation = Relation::Direct;
            queue.push_back(d);
        }
    }
    while let Some(i) = queue.pop_front() {
        let Some(next) = adjacency.get(i as usize) else {
            continue;
        };
        for &j in next {
            if let Some(s) = seen.get_mut(j as usize)
                && !*s
            {
                *s = true;
                if let Some(c) = out.components.get_mut(j as usize) {
                    c.relation = Relation::Transitive;
                }
                queue.push_back(j);
            }
        }
    }
}

/// Joins licence parts into one expression: one part as it is, several
/// distinct parts with `AND` (compound parts in parentheses).
pub(crate) fn combine_licences<S: AsRef<str>>(parts: &[S]) -> Option<String> {
    let mut distinct: Vec<&str> = Vec::new();
    for p in parts {
        let p = p.as_ref().trim();
        if !p.is_empty() && !distinct.contains(&p) {
            distinct.push(p);
        }
    }
    match distinct.as_slice() {
        [] => None,
        [one] => Some((*one).to_owned()),
        many => Some(
            many.iter()
                .map(|p| {
                    if p.contains(char::is_whitespace) && !(p.starts_with('(') && p.ends_with(')'))
                    {
                        format!("({p})")
                    } else {
                        (*p).to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" AND "),
        ),
    }
}

/// One licence entry as CycloneDX gives it, in either serialisation.
#[derive(Debug, Default)]
pub(crate) struct LicenceEntry {
    pub(crate) text: String,
    pub(crate) concluded: bool,
}

/// The licence of a CycloneDX component from its entries (see the module doc).
pub(crate) fn cyclonedx_licence(entries: &[LicenceEntry]) -> Option<String> {
    let concluded: Vec<&str> = entries
        .iter()
        .filter(|e| e.concluded)
        .map(|e| e.text.as_str())
        .collect();
    if !concluded.is_empty() {
        return combine_licences(&concluded);
    }
    let all: Vec<&str> = entries.iter().map(|e| e.text.as_str()).collect();
    combine_licences(&all)
}

/// Whether a component of this CycloneDX type is kept (see the module doc).
pub(crate) fn keeps_type(ty: Option<&str>, has_purl: bool) -> bool {
    let non_software = matches!(
        ty.map(str::trim),
        Some("file" | "device" | "data" | "machine-learning-model" | "cryptographic-asset")
    );
    !non_software || has_purl
}

/// The scope of a CycloneDX `scope` value.
pub(crate) fn cyclonedx_scope(scope: Option<&str>) -> Scope {
    match scope.map(str::trim) {
        Some("optional") => Scope::Optional,
        Some("excluded") => Scope::Dev,
        _ => Scope::Runtime,
    }
}

/// Checks a CycloneDX spec version (`1.4`); warns when it is not one this
/// reader knows. `None` is fine (not every file says).
pub(crate) fn check_spec_version(version: Option<&str>, out: &mut Output) {
    let Some(v) = version.map(str::trim) else {
        return;
    };
    let known = matches!(
        v,
        "1.0" | "1.1" | "1.2" | "1.3" | "1.4" | "1.5" | "1.6" | "1.7"
    );
    if !known {
        out.warning(
            Code::UnsupportedVersion,
            format!("CycloneDX spec version `{v}` is not one vigie knows (1.2-1.7); read as 1.7"),
        );
    }
}

// ---------------------------------------------------------------------------
// Lenient JSON types: a wrong type in one field must not lose the whole file.
// ---------------------------------------------------------------------------

/// A string field that tolerates other JSON types: numbers become text,
/// anything else is ignored.
#[derive(Debug, Default)]
pub(crate) struct Text<'a>(pub(crate) Option<Cow<'a, str>>);

impl<'a> Text<'a> {
    pub(crate) fn get(&self) -> Option<&str> {
        self.0.as_deref()
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Some(Cow::Owned(v))))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Text(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Text(None))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Text(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Text(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                Text::deserialize(d)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A list field that tolerates a non-list value (ignored, read as empty).
#[derive(Debug)]
pub(crate) struct List<T>(pub(crate) Vec<T>);

impl<T> Default for List<T> {
    fn default() -> Self {
        List(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for List<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = List<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = seq.next_element()? {
                    v.push(x);
                }
                Ok(List(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(List::default())
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(List::default())
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(List::default())
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                List::deserialize(d)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(List::default())
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(List::default())
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(List::default())
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(List::default())
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(List::default())
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

// ---------------------------------------------------------------------------
// The CycloneDX JSON document.
// ---------------------------------------------------------------------------

#[derive(Deserialize)]
struct Bom<'a> {
    #[serde(rename = "bomFormat", borrow, default)]
    bom_format: Text<'a>,
    #[serde(rename = "specVersion", borrow, default)]
    spec_version: Text<'a>,
    #[serde(borrow, default)]
    metadata: Option<Metadata<'a>>,
    #[serde(borrow, default)]
    components: List<Comp<'a>>,
    #[serde(borrow, default)]
    dependencies: List<Dep<'a>>,
}

#[derive(Deserialize)]
struct Metadata<'a> {
    #[serde(borrow, default)]
    component: Option<Comp<'a>>,
}

#[derive(Deserialize)]
struct Comp<'a> {
    #[serde(rename = "type", borrow, default)]
    ty: Text<'a>,
    #[serde(rename = "bom-ref", borrow, default)]
    bom_ref: Text<'a>,
    #[serde(borrow, default)]
    group: Text<'a>,
    #[serde(borrow, default)]
    name: Text<'a>,
    #[serde(borrow, default)]
    version: Text<'a>,
    #[serde(borrow, default)]
    scope: Text<'a>,
    #[serde(borrow, default)]
    purl: Text<'a>,
    #[serde(borrow, default)]
    licenses: List<LicenceChoice<'a>>,
    #[serde(borrow, default)]
    evidence: Option<Evidence<'a>>,
    #[serde(borrow, default)]
    components: List<Comp<'a>>,
}

#[derive(Deserialize)]
struct Evidence<'a> {
    #[serde(borrow, default)]
    licenses: List<LicenceChoice<'a>>,
}

#[derive(Deserialize)]
struct LicenceChoice<'a> {
    #[serde(borrow, default)]
    license: Option<Licence<'a>>,
    #[serde(borrow, default)]
    expression: Text<'a>,
    #[serde(borrow, default)]
    acknowledgement: Text<'a>,
}

#[derive(Deserialize)]
struct Licence<'a> {
    #[serde(borrow, default)]
    id: Text<'a>,
    #[serde(borrow, default)]
    name: Text<'a>,
    #[serde(borrow, default)]
    acknowledgement: Text<'a>,
}

#[derive(Deserialize)]
struct Dep<'a> {
    #[serde(rename = "ref", borrow, default)]
    reference: Text<'a>,
    #[serde(rename = "dependsOn", borrow, default)]
    depends_on: List<Text<'a>>,
}

fn licence_entries(list: &[LicenceChoice<'_>]) -> Vec<LicenceEntry> {
    let mut entries = Vec::new();
    for choice in list {
        let (text, ack) = match &choice.license {
            Some(l) => (
                l.id.get()
                    .filter(|s| !s.trim().is_empty())
                    .or_else(|| l.name.get()),
                l.acknowledgement.get().or(choice.acknowledgement.get()),
            ),
            None => (choice.expression.get(), choice.acknowledgement.get()),
        };
        if let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) {
            entries.push(LicenceEntry {
                text: text.to_owned(),
                concluded: ack.is_some_and(|a| a.trim() == "concluded"),
            });
        }
    }
    entries
}

struct Walker<'a, 'o> {
    out: &'o mut Output,
    /// The project's `bom-ref`s and purls: a component listed with one of
    /// them is the project itself, listed twice.
    project: &'o HashSet<&'a str>,
    /// `bom-ref` (and purl) of each component kept, to resolve `dependencies`.
    refs: HashMap<&'a str, u32>,
    purls: HashMap<&'a str, u32>,
    too_deep: bool,
}

impl<'a> Walker<'a, '_> {
    fn walk(&mut self, comps: &'a [Comp<'a>], depth: usize) {
        if depth >= MAX_NESTING {
            if !comps.is_empty() && !self.too_deep {
                self.too_deep = true;
                self.out.warning(
                    Code::TooDeep,
                    format!("components nested more than {MAX_NESTING} levels deep are not read"),
                );
            }
            return;
        }
        for c in comps {
            let purl = c.purl.get().filter(|p| !p.trim().is_empty());
            let is_project = c.bom_ref.get().is_some_and(|r| self.project.contains(r))
                || purl.is_some_and(|p| self.project.contains(p));
            if keeps_type(c.ty.get(), purl.is_some()) && !is_project {
                self.push(c, purl);
            }
            self.walk(&c.components.0, depth + 1);
        }
    }

    fn push(&mut self, c: &'a Comp<'a>, purl: Option<&'a str>) {
        let name = c.name.get().unwrap_or("").trim();
        let full = match c.group.get().map(str::trim).filter(|g| !g.is_empty()) {
            Some(g) if !name.is_empty() => format!("{g}/{name}"),
            _ => name.to_owned(),
        };
        let Some(component) = sbom_component(self.out, purl, &full, c.version.get(), None) else {
            return;
        };
        let mut entries = licence_entries(&c.licenses.0);
        if entries.is_empty()
            && let Some(ev) = &c.evidence
        {
            entries = licence_entries(&ev.licenses.0);
        }
        let component = component
            .with_scope(cyclonedx_scope(c.scope.get()))
            .with_licence(cyclonedx_licence(&entries));
        let idx = self.out.push(component);
        if let Some(r) = c.bom_ref.get().filter(|r| !r.is_empty()) {
            self.refs.entry(r).or_insert(idx);
        }
        if let Some(p) = purl {
            self.purls.entry(p).or_insert(idx);
        }
    }

    fn lookup(&self, r: &str) -> Option<u32> {
        self.refs.get(r).or_else(|| self.purls.get(r)).copied()
    }
}

/// The `bom-ref`s of the project: the metadata component and its parts.
fn project_refs<'a>(c: &'a Comp<'a>, depth: usize, refs: &mut HashSet<&'a str>) {
    if let Some(r) = c.bom_ref.get().filter(|r| !r.is_empty()) {
        refs.insert(r);
    }
    if let Some(p) = c.purl.get().filter(|p| !p.is_empty()) {
        refs.insert(p);
    }
    if depth < MAX_NESTING {
        for sub in &c.components.0 {
            project_refs(sub, depth + 1, refs);
        }
    }
}

/// Reads the text as CycloneDX JSON, whatever it looks like.
pub(crate) fn read_document(input: &Input<'_>, out: &mut Output) {
    let Some(bom) = parse_json_document::<Bom<'_>>(input.text, "CycloneDX JSON document", out)
    else {
        return;
    };
    match bom.bom_format.get().map(str::trim) {
        Some("CycloneDX") => {}
        Some(other) => {
            out.error(
                Code::UnexpectedContent,
                format!("`bomFormat` is `{other}`, not `CycloneDX`"),
            );
            return;
        }
        None if bom.components.0.is_empty()
            && bom.metadata.is_none()
            && bom.spec_version.get().is_none() =>
        {
            out.error(
                Code::UnexpectedContent,
                "not a CycloneDX BOM: no `bomFormat`, `specVersion`, `metadata` or `components`",
            );
            return;
        }
        None => {}
    }
    check_spec_version(bom.spec_version.get(), out);

    let mut project = HashSet::new();
    if let Some(root) = bom.metadata.as_ref().and_then(|m| m.component.as_ref()) {
        if let Some(name) = root.name.get().map(str::trim).filter(|n| !n.is_empty()) {
            out.project_name = Some(name.to_owned());
        }
        project_refs(root, 0, &mut project);
    }

    let mut walker = Walker {
        out,
        project: &project,
        refs: HashMap::new(),
        purls: HashMap::new(),
        too_deep: false,
    };
    walker.walk(&bom.components.0, 0);

    let mut edges = Vec::new();
    let mut direct = Vec::new();
    for dep in &bom.dependencies.0 {
        let Some(from) = dep.reference.get() else {
            continue;
        };
        let targets = dep.depends_on.0.iter().filter_map(|t| t.get());
        if project.contains(from) {
            direct.extend(targets.filter_map(|t| walker.lookup(t)));
        } else if let Some(a) = walker.lookup(from) {
            edges.extend(
                targets
                    .filter_map(|t| walker.lookup(t))
                    .filter(|&b| b != a)
                    .map(|b| (a, b)),
            );
        }
    }
    edges.sort_unstable();
    edges.dedup();
    direct.sort_unstable();
    direct.dedup();
    let out = walker.out;
    for (a, b) in edges {
        out.depend(a, b);
    }
    set_relations(out, &direct);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn run(text: &str) -> Output {
        read_file_as(&READER, "bom.json", text, &MemorySource::new())
    }

    #[test]
    fn names_and_sniffing() {
        for n in [
            "bom.json",
            "BOM.json",
            "app.cdx.json",
            "app-cdx.json",
            "x.bom.json",
            "x.sbom.json",
        ] {
            assert!(matches(n), "{n}");
        }
        for n in ["package.json", "bom.xml", "cdx.json.txt", "x.sbom"] {
            assert!(!matches(n), "{n}");
        }
        let head = br#"{ "bomFormat": "CycloneDX", "specVersion": "1.5" }"#;
        assert!(sniff("vex.json", head));
        assert!(sniff("app.sbom", head));
        assert!(!sniff("vex.txt", head));
        assert!(!sniff("x.json", br#"{"bomFormat": "Other"}"#));
        assert!(!sniff("x.json", br#"{"spdxVersion": "SPDX-2.3"}"#));
    }

    #[test]
    fn reads_components_project_edges_and_relations() {
        let text = r#"{
  "bomFormat": "CycloneDX", "specVersion": "1.6",
  "metadata": {"component": {"type": "application", "name": "my-app", "bom-ref": "app",
     "components": [{"type": "library", "name": "my-app-part", "bom-ref": "part"}]}},
  "components": [
    {"type": "library", "bom-ref": "a", "name": "lodash", "version": "4.17.21",
     "purl": "pkg:npm/lodash@4.17.21", "licenses": [{"license": {"id": "MIT"}}]},
    {"type": "library", "bom-ref": "b", "group": "org.example", "name": "core", "version": "1.0",
     "scope": "excluded", "licenses": [{"expression": "Apache-2.0 OR MIT"}],
     "components": [
       {"type": "library", "bom-ref": "b1", "name": "inner", "version": "2",
        "purl": "pkg:maven/org.example/inner@2?type=jar", "scope": "optional"}
     ]},
    {"type": "file", "name": "README.md"},
    {"type": "file", "name": "x.jar", "purl": "pkg:maven/g/x@1"},
    {"type": "device", "name": "board", "components": [
       {"type": "firmware", "name": "fw", "version": "3.1"}]},
    {"type": "cryptographic-asset", "name": "AES-128-GCM"}
  ],
  "dependencies": [
    {"ref": "app", "dependsOn": ["a", "part"]},
    {"ref": "a", "dependsOn": ["b", "b", "nowhere"]},
    {"ref": "b", "dependsOn": ["b1"]}
  ]
}"#;
        let out = run(text);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert_eq!(out.project_name.as_deref(), Some("my-app"));
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.relation, c.scope))
            .collect();
        assert_eq!(
            got,
            [
                ("lodash", Some("4.17.21"), Relation::Direct, Scope::Runtime),
                (
                    "org.example/core",
                    Some("1.0"),
                    Relation::Transitive,
                    Scope::Dev
                ),
                (
                    "org.example:inner",
                    Some("2"),
                    Relation::Transitive,
                    Scope::Optional
                ),
                ("g:x", Some("1"), Relation::Unknown, Scope::Runtime),
                ("fw", Some("3.1"), Relation::Unknown, Scope::Runtime),
            ]
        );
        assert_eq!(out.components[0].purl, "pkg:npm/lodash@4.17.21");
        assert_eq!(out.components[0].licence.as_deref(), Some("MIT"));
        assert_eq!(out.components[0].ecosystem, Ecosystem::Npm);
        let core = &out.components[1];
        assert_eq!(core.ecosystem, Ecosystem::Generic);
        assert_eq!(core.purl, "pkg:generic/org.example/core@1.0");
        assert!(core.note.as_deref().unwrap().contains("no purl"));
        assert_eq!(core.licence.as_deref(), Some("Apache-2.0 OR MIT"));
        assert_eq!(
            out.components[2].purl,
            "pkg:maven/org.example/inner@2?type=jar"
        );
        assert_eq!(out.dependencies, [(0, 1), (1, 2)]);
    }

    #[test]
    fn the_project_listed_as_a_component_is_skipped() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.5",
          "metadata": {"component": {"name": "app", "bom-ref": "app-ref", "purl": "pkg:npm/app@1.0.0"}},
          "components": [
            {"name": "app", "version": "1.0.0", "bom-ref": "app-ref"},
            {"name": "app", "version": "1.0.0", "purl": "pkg:npm/app@1.0.0"},
            {"name": "dep", "version": "2.0.0", "purl": "pkg:npm/dep@2.0.0"}
          ],
          "dependencies": [{"ref": "app-ref", "dependsOn": ["pkg:npm/dep@2.0.0"]}]}"#;
        let out = run(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.components[0].name, "dep");
        // Found by purl, as no component has that bom-ref.
        assert_eq!(out.components[0].relation, Relation::Direct);
    }

    #[test]
    fn licences_combine() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [
          {"name": "a", "version": "1", "licenses": [{"license": {"id": "MIT"}}, {"license": {"id": "MIT", "url": "u"}}]},
          {"name": "b", "version": "1", "licenses": [{"license": {"id": "EPL-2.0"}}, {"license": {"name": "GPL v2 with CPE"}}, {"expression": "MIT OR ISC"}]},
          {"name": "c", "version": "1", "licenses": [
             {"license": {"id": "MIT", "acknowledgement": "declared"}},
             {"license": {"id": "Apache-2.0", "acknowledgement": "concluded"}}]},
          {"name": "d", "version": "1", "evidence": {"licenses": [{"license": {"id": "BSD-3-Clause"}}]}},
          {"name": "e", "version": "1", "licenses": [{"license": {"url": "only-a-url"}}]}
        ]}"#;
        let out = run(text);
        let lic: Vec<_> = out
            .components
            .iter()
            .map(|c| c.licence.as_deref())
            .collect();
        assert_eq!(
            lic,
            [
                Some("MIT"),
                Some("EPL-2.0 AND (GPL v2 with CPE) AND (MIT OR ISC)"),
                Some("Apache-2.0"),
                Some("BSD-3-Clause"),
                None
            ]
        );
    }

    #[test]
    fn unresolved_and_bad_purls_are_kept_with_warnings() {
        let text = r#"{"bomFormat": "CycloneDX", "specVersion": "1.4", "components": [
          {"type": "library", "name": "hfsx", "version": "", "group": ""},
          {"type": "library", "name": "x", "version": "2", "purl": "not a purl"},
          {"type": "library", "name": "y", "version": "3.0", "purl": "pkg:pypi/Y_Lib"},
          {"type": "library", "version": 5}
        ]}"#;
        let out = run(text);
        assert_eq!(out.components.len(), 3);
        assert_eq!(out.components[0].name, "hfsx");
        assert!(out.components[0].is_unresolved());
        assert!(
            out.components[0]
                .note
                .as_deref()
                .unwrap()
                .contains("no version")
        );
        assert_eq!(out.components[1].ecosystem, Ecosystem::Generic);
        assert!(
            out.components[1]
                .note
                .as_deref()
                .unwrap()
                .contains("invalid purl")
        );
        // A purl without version takes the component's version.
        assert_eq!(out.components[2].purl, "pkg:pypi/y-lib@3.0");
        let codes: Vec<_> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
        assert_eq!(
            codes,
            ["unresolved-version", "invalid-purl", "unexpected-content"]
        );
    }

    #[test]
    fn wrong_documents_are_diagnosed() {
        let cases = [
            ("", "unexpected-content"),
            ("[1, 2]", "unexpected-content"),
            (r#"{"Dockerfile": []}"#, "unexpected-content"),
            (r#"{"bomFormat": "SWID"}"#, "unexpected-content"),
            (
                "{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [\n",
                "invalid-syntax",
            ),
            (
                r#"{"bomFormat": "CycloneDX", "components": {"not": "a list"}}"#,
                "",
            ),
        ];
        for (text, code) in cases {
            let out = run(text);
            assert!(out.components.is_empty(), "{text}");
            let codes: Vec<_> = out.diagnostics.iter().map(|d| d.code.as_str()).collect();
            if code.is_empty() {
                assert!(codes.is_empty(), "{text}: {codes:?}");
            } else {
                assert_eq!(codes, [code], "{text}");
            }
        }
        let out = run("{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [\n");
        assert_eq!(out.diagnostics[0].line, Some(4));
    }

    #[test]
    fn trailing_garbage_keeps_the_document() {
        let text = "{\"bomFormat\": \"CycloneDX\", \"components\": [{\"name\": \"a\", \"version\": \"1\"}]}\n\nContact Us";
        let out = run(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
    }

    #[test]
    fn newer_spec_versions_warn_and_are_read() {
        let out = run(
            r#"{"bomFormat": "CycloneDX", "specVersion": "2.0", "components": [{"name": "a", "version": "1"}]}"#,
        );
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unsupported-version");
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut text = String::from(r#"{"bomFormat": "CycloneDX", "components": "#);
        let depth = 40;
        for _ in 0..depth {
            text.push_str(r#"[{"name": "n", "version": "1", "components": "#);
        }
        text.push_str("[]");
        for _ in 0..depth {
            text.push_str("}]");
        }
        text.push('}');
        let out = run(&text);
        assert_eq!(out.components.len(), MAX_NESTING);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "too-deep");
        // Deeper still, serde_json's recursion limit stops the parse: a
        // diagnostic, no stack overflow.
        let deep = "[".repeat(100_000);
        let out = run(&format!(
            r#"{{"bomFormat": "CycloneDX", "components": {deep}"#
        ));
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    }

    #[test]
    fn other_formats_are_dispatched() {
        let spdx = r#"{"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT",
          "packages": [{"SPDXID": "SPDXRef-p", "name": "p", "versionInfo": "1"}]}"#;
        let out = run(spdx);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics[0].code, "format-mismatch");
        assert_eq!(
            classify(b"\xEF\xBB\xBF  SPDXVersion: SPDX-2.2\n"),
            Kind::SpdxTag
        );
        assert_eq!(
            classify(br#"<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4">"#),
            Kind::CycloneDxXml
        );
        assert_eq!(
            classify(br#"{"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld"}"#),
            Kind::Spdx3JsonLd
        );
    }
}
