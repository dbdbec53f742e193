//! Inventory components that are products themselves (Django, Spring Boot,
//! Laravel, Rails...): matched by package URL against the products'
//! `identifiers.purl`, any version, qualifiers ignored.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

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

/// Most component purls [`ProductMemo`] keeps (about 150 bytes each); the
/// others are matched every time.
pub const PRODUCT_MEMO_MAX: usize = 1 << 18;

/// What a component purl is: the product's name and the purl's key, or
/// `None` when it is no product.
type Matched = Option<(String, String)>;

/// The products of the component purls already looked up, shared by the
/// projects of a scan: an estate has the same packages at the same versions
/// in many projects, and matching one parses and re-prints its purl. A pure
/// function of the purl and the knowledge, so a hit is what matching again
/// would give. A clone starts empty.
#[derive(Default)]
pub(crate) struct ProductMemo(Mutex<HashMap<String, Matched, foldhash::fast::RandomState>>);

impl Clone for ProductMemo {
    fn clone(&self) -> Self {
        ProductMemo::default()
    }
}

impl std::fmt::Debug for ProductMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ProductMemo")
    }
}

impl Knowledge {
    /// The product component `purl` is, and the purl's key.
    fn match_purl(&self, purl: &str) -> Matched {
        let key = purl_key(purl)?;
        let product = match self.product_for_purl(&key) {
            Some(p) => p.name.clone(),
            None => match EXTRA.iter().find(|(purl, _)| *purl == key) {
                Some((_, name)) if self.product(name).is_some() => (*name).to_owned(),
                _ => return None,
            },
        };
        Some((product, key))
    }

    /// The detections of a project's components: one per (product,
    /// version), the first component found giving the evidence. `files[i]`
    /// is the file of `components[i]` (relative to the scan root), as in
    /// `vigie_audit::audit_project`. Components without a version are left
    /// out (the inventory reports them as unresolved).
    pub fn component_detections(&self, components: &[Component], files: &[&str]) -> Vec<Detection> {
        let mut seen: HashSet<(String, String)> = HashSet::new();
        let mut out = Vec::new();
        // Held for the project (a poisoned memo is only a memo: go on without).
        let mut memo = self.product_memo().0.lock().ok();
        for (i, c) in components.iter().enumerate() {
            let Some(version) = c.version.as_deref() else {
                continue;
            };
            let matched = match memo.as_mut() {
                Some(m) => match m.get(&c.purl) {
                    Some(hit) => hit.clone(),
                    None => {
                        let found = self.match_purl(&c.purl);
                        if m.len() < PRODUCT_MEMO_MAX {
                            m.insert(c.purl.clone(), found.clone());
                        }
                        found
                    }
                },
                None => self.match_purl(&c.purl),
            };
            let Some((product, key)) = matched else {
                continue;
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
