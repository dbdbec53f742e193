//! From a version to the release cycle of a product, by the product's own
//! scheme, and small helpers on versions as files write them.
//!
//! A numeric version (`3.8.10`, `v18.17.0`, `8u382`, `17.0.8_7`) is read as
//! its leading dot-separated numbers; its cycle is the cycle whose name is the
//! longest numeric prefix of it (`3.8` for Python `3.8.10`, `18` for Node.js
//! `18.17.0`, `22.04` for Ubuntu `22.04.3`). A version that only names a
//! series (`3` for Python) is *unpinned* when several cycles are in the series
//! (it follows the newest) and that cycle when there is one (`5` → Redis
//! `5.0`). A name (`buster`, `Jammy`) is matched against the cycles'
//! codenames, first word, case-insensitively. Java distributions accept the
//! old `1.8` spelling of `8`. Anything else is an unknown cycle.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::product::{Cycle, Product};

/// Most numeric components read from a version.
const MAX_PARTS: usize = 8;

/// Where a version falls among a product's cycles.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "match", rename_all = "kebab-case")]
pub enum CycleMatch {
    /// The version is in this cycle.
    Cycle {
        /// The cycle's name (`releaseCycle`).
        name: String,
    },
    /// No version to map: none is written, or what is written floats.
    Unpinned {
        /// Why.
        why: Unpinned,
    },
    /// What is written names no cycle of the product.
    Unknown {
        /// Why.
        why: Unknown,
    },
}

/// Why a detection pins no cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Unpinned {
    /// An image without tag (Docker pulls `latest`).
    NoTag,
    /// The `latest` tag.
    Latest,
    /// A tag or declaration that follows new releases (`lts`, `stable`,
    /// `lts/*`, `nightly`, `slim`).
    Floating,
    /// A version that names a series of several cycles (Python `3`).
    Series {
        /// How many cycles are in the series.
        cycles: usize,
    },
    /// The product is implied by an image tag that does not say which release
    /// (`node:20-alpine` holds an Alpine Linux, the one it was last built on).
    ImpliedByImage,
    /// A constraint without lower bound (`*`, `<4`).
    NoLowerBound,
}

/// Why a detection names no known cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum Unknown {
    /// The version is in no cycle the product lists.
    NotACycle {
        /// The product's newest cycle, for context.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        newest: Option<String>,
    },
    /// An image pinned by digest only: its version is not written.
    DigestOnly,
}

impl CycleMatch {
    /// The cycle's name, when the version maps to one.
    pub fn name(&self) -> Option<&str> {
        match self {
            CycleMatch::Cycle { name } => Some(name),
            _ => None,
        }
    }
}

/// The leading dot-separated numbers of a version (`v3.8.10rc1` → 3, 8, 10),
/// or `None` when it does not start with a number.
pub fn numeric_parts(version: &str) -> Option<Vec<u64>> {
    let v = version.trim();
    let v = v
        .strip_prefix(['v', 'V'])
        .filter(|r| r.starts_with(|c: char| c.is_ascii_digit()))
        .unwrap_or(v);
    let mut parts = Vec::new();
    for piece in v.split('.') {
        let digits = piece.len() - piece.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let Some(n) = piece.get(..digits).and_then(|d| d.parse::<u64>().ok()) else {
            break;
        };
        parts.push(n);
        if digits != piece.len() || parts.len() >= MAX_PARTS {
            break;
        }
    }
    (!parts.is_empty()).then_some(parts)
}

/// The numbers of a cycle name that is only numbers (`3.12`), else `None`.
fn cycle_parts(name: &str) -> Option<Vec<u64>> {
    let ok = !name.is_empty()
        && name
            .split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    if ok { numeric_parts(name) } else { None }
}

/// Maps `version` to a cycle of `product`.
pub fn match_cycle(product: &Product, version: &str) -> CycleMatch {
    let v = version.trim();
    if let Some(c) = product
        .cycles
        .iter()
        .find(|c| c.name.eq_ignore_ascii_case(v))
    {
        return CycleMatch::Cycle {
            name: c.name.clone(),
        };
    }
    match numeric_parts(v) {
        Some(parts) => match by_numbers(product, &parts) {
            Some(m) => m,
            None if is_java(product) && parts.len() >= 2 && parts.first() == Some(&1) => {
                by_numbers(product, parts.get(1..).unwrap_or_default())
                    .unwrap_or_else(|| unknown(product))
            }
            None => unknown(product),
        },
        None => by_codename(product, v).unwrap_or_else(|| unknown(product)),
    }
}

fn by_numbers(product: &Product, parts: &[u64]) -> Option<CycleMatch> {
    let mut best: Option<(&Cycle, usize)> = None;
    let mut series = Vec::new();
    for c in &product.cycles {
        let Some(cp) = cycle_parts(&c.name) else {
            continue;
        };
        if parts.starts_with(&cp) && best.is_none_or(|(_, len)| cp.len() > len) {
            best = Some((c, cp.len()));
        } else if cp.starts_with(parts) {
            series.push(c);
        }
    }
    if let Some((c, _)) = best {
        return Some(CycleMatch::Cycle {
            name: c.name.clone(),
        });
    }
    match series.as_slice() {
        [] => None,
        [only] => Some(CycleMatch::Cycle {
            name: only.name.clone(),
        }),
        _ => Some(CycleMatch::Unpinned {
            why: Unpinned::Series {
                cycles: series.len(),
            },
        }),
    }
}

fn by_codename(product: &Product, v: &str) -> Option<CycleMatch> {
    let word = v.split(['-', ' ', '_']).next()?;
    product
        .cycles
        .iter()
        .find(|c| {
            c.codename
                .as_deref()
                .and_then(|n| n.split_whitespace().next())
                .is_some_and(|n| n.eq_ignore_ascii_case(word))
        })
        .map(|c| CycleMatch::Cycle {
            name: c.name.clone(),
        })
}

fn unknown(product: &Product) -> CycleMatch {
    CycleMatch::Unknown {
        why: Unknown::NotACycle {
            newest: product.cycles.first().map(|c| c.name.clone()),
        },
    }
}

fn is_java(product: &Product) -> bool {
    product.tags.iter().any(|t| t == "java-distribution")
}

/// Whether `version` says more than its cycle does (`3.8.10` in `3.8`, not
/// Java's `1.8` in `8`): only then can it be behind the cycle's latest patch.
pub fn is_more_precise(version: &str, cycle: &str) -> bool {
    match (numeric_parts(version), numeric_parts(cycle)) {
        (Some(v), Some(c)) => v.len() > c.len() && v.starts_with(&c),
        _ => false,
    }
}

/// Orders two versions of one product (runs of digits as numbers; a leading
/// `v` ignored), or `None` when either cannot be read.
pub fn compare(a: &str, b: &str) -> Option<Ordering> {
    vigie_versions::Scheme::Generic.compare(a, b).ok()
}

/// Node.js LTS codenames (`lts/hydrogen`, `node:iron`), which the product file
/// does not list: the Node.js release schedule names every even major since 4.
pub fn node_lts_major(codename: &str) -> Option<&'static str> {
    const NAMES: [(&str, &str); 11] = [
        ("argon", "4"),
        ("boron", "6"),
        ("carbon", "8"),
        ("dubnium", "10"),
        ("erbium", "12"),
        ("fermium", "14"),
        ("gallium", "16"),
        ("hydrogen", "18"),
        ("iron", "20"),
        ("jod", "22"),
        ("krypton", "24"),
    ];
    let c = codename.trim().to_ascii_lowercase();
    NAMES.iter().find(|(n, _)| *n == c).map(|(_, m)| *m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn product(cycles: &[(&str, Option<&str>)], tags: &[&str]) -> Product {
        Product {
            name: "p".into(),
            title: "P".into(),
            category: String::new(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            aliases: vec![],
            release_label: None,
            identifiers: Default::default(),
            cycles: cycles
                .iter()
                .map(|(n, code)| Cycle {
                    name: n.to_string(),
                    codename: code.map(str::to_owned),
                    label: None,
                    release_date: None,
                    eol: None,
                    eoas: None,
                    eoes: None,
                    lts: None,
                    discontinued: None,
                    latest: None,
                    latest_release_date: None,
                })
                .collect(),
            versions: vec![],
        }
    }

    fn name(m: CycleMatch) -> String {
        match m {
            CycleMatch::Cycle { name } => name,
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn numbers_codenames_series() {
        let py = product(
            &[("3.10", None), ("3.9", None), ("3.1", None), ("2.7", None)],
            &[],
        );
        assert_eq!(name(match_cycle(&py, "3.10.4")), "3.10");
        assert_eq!(name(match_cycle(&py, "v3.9")), "3.9");
        assert_eq!(name(match_cycle(&py, "3.1.0rc1")), "3.1");
        assert_eq!(name(match_cycle(&py, "2")), "2.7"); // one cycle in the series
        assert!(matches!(match_cycle(&py, "3"), CycleMatch::Unpinned { .. }));
        assert!(matches!(
            match_cycle(&py, "4.0"),
            CycleMatch::Unknown { .. }
        ));
        assert!(matches!(
            match_cycle(&py, "system"),
            CycleMatch::Unknown { .. }
        ));
        let deb = product(&[("12", Some("Bookworm")), ("10", Some("Buster"))], &[]);
        assert_eq!(name(match_cycle(&deb, "buster")), "10");
        assert_eq!(name(match_cycle(&deb, "bookworm-slim")), "12");
        assert_eq!(name(match_cycle(&deb, "10.13")), "10");
        let java = product(&[("17", None), ("8", None)], &["java-distribution"]);
        assert_eq!(name(match_cycle(&java, "1.8")), "8");
        assert_eq!(name(match_cycle(&java, "8u382-b05")), "8");
        assert_eq!(name(match_cycle(&java, "17.0.8_7")), "17");
        assert!(matches!(
            match_cycle(&py, "1.8"),
            CycleMatch::Unknown { .. }
        ));
    }

    #[test]
    fn parts_and_precision() {
        assert_eq!(numeric_parts("v18.17.0"), Some(vec![18, 17, 0]));
        assert_eq!(numeric_parts("8u382"), Some(vec![8]));
        assert_eq!(numeric_parts("22.04"), Some(vec![22, 4]));
        assert_eq!(numeric_parts("lts"), None);
        assert_eq!(numeric_parts("99999999999999999999999"), None);
        assert!(is_more_precise("3.8.10", "3.8"));
        assert!(!is_more_precise("3.8", "3.8"));
        assert!(!is_more_precise("1.8", "8"));
        assert_eq!(compare("3.8.10", "3.8.20"), Some(Ordering::Less));
        assert_eq!(node_lts_major("Hydrogen"), Some("18"));
    }
}
