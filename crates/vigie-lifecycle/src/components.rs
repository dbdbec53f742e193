//! Inventory components that are products themselves (Django, Spring Boot,
//! Laravel, Rails...): matched by package URL against the products'
//! `identifiers.purl`, any version, qualifiers ignored.

use std::collections::HashSet;

use vigie_model::Component;

use crate::detect::{Detection, Evidence, Kind, Subject};
use crate::knowledge::{Knowledge, purl_key};

/// Package URLs that endoflife.date does not list but that carry a
/// product's version: a Maven parent or BOM is versioned with the product.
const EXTRA: &[(&str, &str)] = &[
    (
        "pkg:maven/org.springframework.boot/spring-boot-starter-parent",
        "spring-boot",
    ),
    (
        "pkg:maven/org.springframework.boot/spring-boot-dependencies",
        "spring-boot",
    ),
];

impl Knowledge {
    /// The detections of a project's components: one per (product,
    /// version), the first component found giving the evidence. `files[i]`
    /// is the file of `components[i]` (relative to the scan root), as in
    /// `vigie_audit::audit_project`. Components without a version are left
    /// out (the inventory reports them as unresolved).
    pub fn component_detections(&self, components: &[Component], files: &[&str]) -> Vec<Detection> {
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let mut out = Vec::new();
        for (i, c) in components.iter().enumerate() {
            let Some(version) = c.version.as_deref() else {
                continue;
            };
            let Some(key) = purl_key(&c.purl) else {
                continue;
            };
            let product = match self.product_for_purl(&key) {
                Some(p) => p.name.clone(),
                None => match EXTRA.iter().find(|(purl, _)| *purl == key) {
                    Some((_, name)) if self.product(name).is_some() => (*name).to_owned(),
                    _ => continue,
                },
            };
            if !seen.insert((product.clone(), version.to_owned())) {
                continue;
            }
            out.push(Detection {
                subject: Subject::Product(product),
                written: version.to_owned(),
                version: Some(version.to_owned()),
                kind: Kind::Component,
                evidence: Evidence {
                    file: files.get(i).copied().unwrap_or_default().to_owned(),
                    line: c.line,
                },
                source: key,
                note: None,
            });
        }
        out
    }
}
