//! Which findings are "the same risk": advisory groups (the ids and aliases of one
//! vulnerability, joined across the estate), lifecycle product and cycle, licence.

use std::collections::HashMap;

use crate::facts::{Family, FindingFacts};

/// The group of every finding, by index: the label its risks are keyed by.
///
/// - Vulnerabilities: the ids and aliases of all findings are joined (two findings sharing one
///   id or alias are one advisory); the group is named by its smallest `CVE-` id, else its
///   smallest id (ids are compared in upper case).
/// - Lifecycle: `product cycle` of the platform, else the finding's id.
/// - Licences: the finding's id (the licence).
pub(crate) fn group_labels(findings: &[FindingFacts]) -> Vec<String> {
    let mut uf = UnionFind::default();
    let mut first_id: Vec<Option<usize>> = Vec::with_capacity(findings.len());
    for f in findings {
        if f.family != Family::Vulnerability {
            first_id.push(None);
            continue;
        }
        let mut ids = std::iter::once(&f.id)
            .chain(f.aliases.iter())
            .map(|s| s.trim())
            .filter(|s| !s.is_empty());
        let Some(head) = ids.next() else {
            first_id.push(None);
            continue;
        };
        let h = uf.id(head);
        for other in ids {
            let o = uf.id(other);
            uf.union(h, o);
        }
        first_id.push(Some(h));
    }
    // The name of each root: smallest CVE id, else smallest id.
    let mut names: HashMap<usize, (bool, String, String)> = HashMap::new();
    for i in 0..uf.names.len() {
        let root = uf.find(i);
        let name = uf.names.get(i).cloned().unwrap_or_default();
        let upper = name.to_ascii_uppercase();
        let cand = (!upper.starts_with("CVE-"), upper, name);
        names
            .entry(root)
            .and_modify(|best| {
                if cand < *best {
                    *best = cand.clone();
                }
            })
            .or_insert(cand);
    }
    findings
        .iter()
        .zip(first_id)
        .map(|(f, id)| match (f.family, id) {
            (Family::Vulnerability, Some(i)) => {
                let root = uf.find(i);
                names
                    .get(&root)
                    .map(|(_, _, n)| n.clone())
                    .unwrap_or_else(|| f.id.trim().to_ascii_uppercase())
            }
            (Family::Lifecycle, _) => match &f.platform {
                Some(p) => format!("{} {}", p.product.trim(), p.cycle.trim()),
                None => f.id.trim().to_string(),
            },
            _ => f.id.trim().to_string(),
        })
        .collect()
}

/// Union-find over advisory ids (compared in upper case, named by their first spelling),
/// iterative, so its depth costs no stack.
#[derive(Default)]
struct UnionFind {
    index: HashMap<String, usize>,
    names: Vec<String>,
    parent: Vec<usize>,
}

impl UnionFind {
    fn id(&mut self, raw: &str) -> usize {
        let key = raw.to_ascii_uppercase();
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        let i = self.names.len();
        self.index.insert(key, i);
        self.names.push(raw.to_string());
        self.parent.push(i);
        i
    }

    fn find(&mut self, mut i: usize) -> usize {
        let mut root = i;
        while let Some(&p) = self.parent.get(root) {
            if p == root {
                break;
            }
            root = p;
        }
        while let Some(&p) = self.parent.get(i) {
            if p == root || p == i {
                break;
            }
            if let Some(slot) = self.parent.get_mut(i) {
                *slot = root;
            }
            i = p;
        }
        root
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (keep, drop) = if ra < rb { (ra, rb) } else { (rb, ra) };
            if let Some(slot) = self.parent.get_mut(drop) {
                *slot = keep;
            }
        }
    }
}
