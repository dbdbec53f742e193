//! One SPDX 2.3 JSON document for a whole scan.
//!
//! Each project is a package (`primaryPackagePurpose: APPLICATION`) that the
//! document DESCRIBES; each component is a package with its purl as a
//! `PACKAGE-MANAGER` external reference. A project DEPENDS_ON its direct
//! components (all of them when the format does not say), and components
//! DEPENDS_ON each other where the lockfile gives edges. Licences that are
//! not SPDX expressions go to `licenseComments`, with `NOASSERTION` declared.

use serde_json::{Value, json};
use vigie_model::{Project, Relation};

use crate::cyclonedx::looks_like_spdx_expression;
use crate::{RunInfo, fnv64};

fn rel(a: &str, ty: &str, b: &str) -> Value {
    json!({"spdxElementId": a, "relationshipType": ty, "relatedSpdxElement": b})
}

/// Builds the SPDX document of a whole scan.
pub fn document(projects: &[Project], run: &RunInfo) -> Value {
    let hash = fnv64(&[&run.timestamp, &run.roots.join("\n")]);
    let mut packages = Vec::new();
    let mut relationships = Vec::new();
    let mut describes = Vec::new();
    for (pi, p) in projects.iter().enumerate() {
        let pid = format!("SPDXRef-Project-{pi}");
        describes.push(Value::String(pid.clone()));
        relationships.push(rel("SPDXRef-DOCUMENT", "DESCRIBES", &pid));
        packages.push(json!({
            "SPDXID": pid,
            "name": p.name,
            "downloadLocation": "NOASSERTION",
            "filesAnalyzed": false,
            "primaryPackagePurpose": "APPLICATION",
            "comment": format!("vigie project at {}", p.path),
        }));
        let ids: Vec<String> = (0..p.components.len())
            .map(|i| format!("SPDXRef-Package-{pi}-{i}"))
            .collect();
        for (c, id) in p.components.iter().zip(&ids) {
            let mut pkg = json!({
                "SPDXID": id,
                "name": c.name,
                "downloadLocation": "NOASSERTION",
                "filesAnalyzed": false,
                "licenseConcluded": "NOASSERTION",
                "externalRefs": [{
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": c.purl,
                }],
            });
            let obj = pkg.as_object_mut().expect("built as an object");
            if let Some(v) = &c.version {
                obj.insert("versionInfo".into(), json!(v));
            }
            match c.licence.as_deref() {
                Some(l) if looks_like_spdx_expression(l) => {
                    obj.insert("licenseDeclared".into(), json!(l));
                }
                Some(l) => {
                    obj.insert("licenseDeclared".into(), json!("NOASSERTION"));
                    obj.insert("licenseComments".into(), json!(format!("as stated: {l}")));
                }
                None => {
                    obj.insert("licenseDeclared".into(), json!("NOASSERTION"));
                }
            }
            packages.push(pkg);
        }
        let any_direct = p.components.iter().any(|c| c.relation == Relation::Direct);
        for (c, id) in p.components.iter().zip(&ids) {
            if !any_direct || c.relation == Relation::Direct {
                relationships.push(rel(&pid, "DEPENDS_ON", id));
            }
        }
        for &(from, to) in &p.dependencies {
            if let (Some(a), Some(b)) = (ids.get(from as usize), ids.get(to as usize)) {
                relationships.push(rel(a, "DEPENDS_ON", b));
            }
        }
    }
    json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": format!("vigie inventory of {}", run.roots.join(", ")),
        "documentNamespace": format!("https://vigie.dev/spdxdocs/inventory-{hash:016x}"),
        "creationInfo": {
            "created": run.timestamp,
            "creators": [format!("Tool: vigie-{}", run.tool_version)],
        },
        "documentDescribes": describes,
        "packages": packages,
        "relationships": relationships,
    })
}
