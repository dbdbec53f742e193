//! From detections to platforms: each detection's product (an image's
//! through its repository and tag) and the release cycle its version falls
//! in.
//!
//! An image gives its own product (`python:3.8-slim` → Python, version
//! `3.8`) and the bases its tag names (`-alpine3.19` → Alpine Linux 3.19,
//! `-bookworm` → Debian 12 by codename, `-eclipse-temurin-17`); a base named
//! without release (`-alpine`) is a platform without version, reported as
//! unpinned: the image holds whichever release it was last built on. No tag,
//! `latest` and word tags (`lts`, `stable`, `slim`) are unpinned, never
//! guessed. Images of no known product are not platforms.

use serde::{Deserialize, Serialize};
use vigie_model::{Code, Diagnostic};

use crate::cycle::{CycleMatch, Unknown, Unpinned, match_cycle, node_lts_major};
use crate::detect::{Detection, Evidence, Kind, Subject};
use crate::image::{ImageRef, base_products};
use crate::knowledge::Knowledge;
use crate::product::Product;

/// A product found running somewhere, at a version, in a cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Platform {
    /// The product's id (`python`).
    pub product: String,
    /// Its display name (`Python`).
    pub title: String,
    /// What the evidence writes (`>=3.8`, `python:3.8-slim`, `4.2.7`).
    pub written: String,
    /// The version mapped to a cycle, when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The cycle, or why there is none.
    pub cycle: CycleMatch,
    /// How it was found.
    pub kind: Kind,
    /// Where.
    pub evidence: Evidence,
    /// The detector id or the package URL that found it.
    pub source: String,
    /// The detection's remark (`lower bound 3.8 of \`>=3.8\``).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Knowledge {
    /// The platforms of detections (of one project or a whole estate), and
    /// the detections that name a product this knowledge does not have.
    pub fn platforms(&self, detections: &[Detection]) -> (Vec<Platform>, Vec<Diagnostic>) {
        let mut out = Vec::new();
        let mut diagnostics = Vec::new();
        for d in detections {
            match &d.subject {
                Subject::Product(name) => match self.product(name) {
                    Some(p) => out.push(platform(p, d, d.version.as_deref(), None)),
                    None => diagnostics.push(
                        Diagnostic::warning(
                            d.evidence.file.clone(),
                            Code::UnknownProduct,
                            format!("{name} is not in the lifecycle knowledge"),
                        )
                        .at_line(d.evidence.line),
                    ),
                },
                Subject::Image(reference) => self.image_platforms(d, reference, &mut out),
            }
        }
        (out, diagnostics)
    }

    fn image_platforms(&self, d: &Detection, reference: &str, out: &mut Vec<Platform>) {
        let Some(image) = ImageRef::parse(reference) else {
            return;
        };
        let Some(product) = self.product_for_image(&image.key()) else {
            return;
        };
        let Some(tag) = image.tag.as_deref() else {
            let why = match image.digest {
                Some(_) => CycleMatch::Unknown {
                    why: Unknown::DigestOnly,
                },
                None => CycleMatch::Unpinned {
                    why: Unpinned::NoTag,
                },
            };
            out.push(platform(product, d, None, Some(why)));
            return;
        };
        if tag == "latest" {
            let why = CycleMatch::Unpinned {
                why: Unpinned::Latest,
            };
            out.push(platform(product, d, None, Some(why)));
            return;
        }
        let tokens: Vec<&str> = tag.split('-').collect();
        let head = tokens.first().copied().unwrap_or(tag);
        let is_os = product.category == "os";
        let node_major = (product.name == "nodejs")
            .then(|| node_lts_major(head))
            .flatten();
        let version = if let Some(major) = node_major {
            Some(major)
        } else if head.starts_with(|c: char| c.is_ascii_digit())
            || (is_os && has_codename(product, head))
        {
            Some(head)
        } else {
            None
        };
        match version {
            Some(v) => out.push(platform(product, d, Some(v), None)),
            None => {
                let why = CycleMatch::Unpinned {
                    why: Unpinned::Floating,
                };
                out.push(platform(product, d, None, Some(why)));
            }
        }
        if is_os {
            return;
        }
        let rest = if version.is_some() {
            tokens.get(1..).unwrap_or_default()
        } else {
            &tokens
        };
        let codename_of = |t: &str| {
            ["debian", "ubuntu"]
                .into_iter()
                .find(|os| self.product(os).is_some_and(|p| has_codename(p, t)))
        };
        for (base, v) in base_products(rest, codename_of) {
            if base == product.name {
                continue;
            }
            let Some(bp) = self.product(base) else {
                continue;
            };
            let why = v.is_none().then_some(CycleMatch::Unpinned {
                why: Unpinned::ImpliedByImage,
            });
            out.push(platform(bp, d, v, why));
        }
    }
}

/// Whether a cycle of `product` has the codename `word` (first word,
/// case-insensitive: `bookworm` for Debian's `Bookworm`, `jammy` for
/// Ubuntu's `Jammy Jellyfish`).
fn has_codename(product: &Product, word: &str) -> bool {
    product.cycles.iter().any(|c| {
        c.codename
            .as_deref()
            .and_then(|n| n.split_whitespace().next())
            .is_some_and(|n| n.eq_ignore_ascii_case(word))
    })
}

fn platform(
    product: &Product,
    d: &Detection,
    version: Option<&str>,
    forced: Option<CycleMatch>,
) -> Platform {
    let cycle = match (forced, version) {
        (Some(m), _) => m,
        (None, Some(v)) => match_cycle(product, v),
        (None, None) => {
            let constraint = d.written.contains(['<', '>', '=', '^', '~', '*']);
            let why = if constraint {
                Unpinned::NoLowerBound
            } else {
                Unpinned::Floating
            };
            CycleMatch::Unpinned { why }
        }
    };
    Platform {
        product: product.name.clone(),
        title: product.title.clone(),
        written: d.written.clone(),
        version: version.map(str::to_owned),
        cycle,
        kind: d.kind,
        evidence: d.evidence.clone(),
        source: d.source.clone(),
        note: d.note.clone(),
    }
}
