//! A CycloneDX SBOM uploaded by another tool's CI (vigie's own endpoint, or the one
//! compatible with Dependency-Track) read into a one-project [`PushDocument`], with the
//! same readers as `vigie inventory` (XML without DTD or entity expansion, nesting and
//! sizes bounded).

use vigie_discovery::registry;
use vigie_discovery::{MemorySource, read_file_as};
use vigie_model::Severity;

use super::document::{FORMAT, FileDoc, Invalid, PushDocument, PushedProjectDoc, VERSION};

/// How much of the start of a document tells its format (as the walk sniffs files).
const HEAD: usize = 4096;

/// A JSON object whose `bomFormat` is `CycloneDX`, wherever the member is (the walk's
/// sniffing only looks at the first 4 KiB; an upload has no file name to go by).
fn is_cyclonedx_json(text: &str) -> bool {
    #[derive(serde::Deserialize)]
    struct Head {
        #[serde(rename = "bomFormat")]
        bom_format: Option<String>,
    }
    let start = text.trim_start_matches('\u{feff}').trim_start();
    start.starts_with('{')
        && serde_json::from_str::<Head>(start)
            .is_ok_and(|h| h.bom_format.as_deref() == Some("CycloneDX"))
}

/// The project `path` (its identity in the estate, `name` shown) as the SBOM `bytes` give
/// it. Refused when the bytes are not a CycloneDX JSON or XML document, or when nothing of
/// it could be read.
pub fn document(path: &str, name: &str, bytes: &[u8]) -> Result<PushDocument, Invalid> {
    super::document::check_path("projectName", path)?;
    let refuse = |m: &str| Invalid {
        at: "bom".into(),
        message: m.into(),
    };
    let text = std::str::from_utf8(bytes).map_err(|_| refuse("not UTF-8 text"))?;
    let (id, file) = if is_cyclonedx_json(text) {
        ("cyclonedx-json", "bom.cdx.json")
    } else {
        let head = &bytes[..bytes.len().min(HEAD)];
        let xml = registry::by_id("cyclonedx-xml")
            .and_then(|r| r.sniff)
            .is_some_and(|sniff| sniff("bom.cdx.xml", head));
        if !xml {
            return Err(refuse("not a CycloneDX JSON or XML document"));
        }
        ("cyclonedx-xml", "bom.cdx.xml")
    };
    let reader = registry::by_id(id).ok_or_else(|| refuse("no CycloneDX reader"))?;
    let file = format!("{path}/{file}");
    let out = read_file_as(reader, &file, text, &MemorySource::new());
    if out.components.is_empty()
        && let Some(e) = out
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
    {
        return Err(refuse(&format!(
            "unreadable CycloneDX document: {}",
            e.message
        )));
    }
    Ok(PushDocument {
        format: FORMAT.to_owned(),
        version: VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: None,
        projects: vec![PushedProjectDoc {
            path: path.to_owned(),
            name: name.to_owned(),
            files: vec![FileDoc {
                path: file,
                format: reader.id.to_owned(),
                components: out.components.len(),
            }],
            components: out.components,
            dependencies: out.dependencies,
            extras: Vec::new(),
            evidence: None,
        }],
    })
}
