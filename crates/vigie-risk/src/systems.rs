//! The systems of the catalog as the model sees them, and the score of one finding over every
//! system that contains it (the highest impact wins).

use std::collections::{BTreeSet, HashMap};

use jiff::civil::Date;

use crate::facts::{FindingFacts, SystemFacts};
use crate::likelihood::likelihood;
use crate::score::{DEFAULT_IMPACT, Factor, Score, combine, impact};
use crate::text::{Text, quote};

/// The systems, looked up by entity ref. The first of two systems with the same ref wins.
#[derive(Debug, Default)]
pub struct Catalog<'a> {
    by_ref: HashMap<&'a str, &'a SystemFacts>,
}

impl<'a> Catalog<'a> {
    /// The catalog of these systems.
    pub fn new(systems: &'a [SystemFacts]) -> Catalog<'a> {
        let mut by_ref = HashMap::with_capacity(systems.len());
        for s in systems {
            by_ref.entry(s.entity_ref.as_str()).or_insert(s);
        }
        Catalog { by_ref }
    }

    /// The system of an entity ref.
    pub fn get(&self, entity_ref: &str) -> Option<&'a SystemFacts> {
        self.by_ref.get(entity_ref).copied()
    }

    /// The impact of a finding in the system `entity_ref` (`None`: in no system). A ref that
    /// the catalog does not describe has the default impact, and the explanation says so.
    pub fn impact_of(&self, entity_ref: Option<&str>) -> Factor {
        match entity_ref {
            None => impact(None),
            Some(r) => match self.get(r) {
                Some(s) => impact(Some(s)),
                None => {
                    let r = quote(r);
                    Factor {
                        value: DEFAULT_IMPACT,
                        reasons: vec![Text::new(
                            format!(
                                "system {r} not described in the catalog, assumed medium (3/5)"
                            ),
                            format!("système {r} absent du catalogue, impact supposé moyen (3/5)"),
                        )],
                    }
                }
            },
        }
    }

    /// The display name of a system ref: its name in the catalog, else the ref itself.
    pub fn name_of(&self, entity_ref: &str) -> String {
        match self.get(entity_ref) {
            Some(s) if !s.name.trim().is_empty() => s.name.clone(),
            _ => entity_ref.to_string(),
        }
    }

    /// The owners of a system ref (none when it is not in the catalog).
    pub fn owners_of(&self, entity_ref: &str) -> Vec<String> {
        self.get(entity_ref)
            .map(|s| s.owners.clone())
            .unwrap_or_default()
    }
}

/// The distinct, non-empty system refs of a finding, in order.
pub(crate) fn system_refs(f: &FindingFacts) -> BTreeSet<&str> {
    f.system_refs
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The score of one finding: its likelihood, and the highest impact over the systems that
/// contain it (the default impact when it is in none). On equal impacts the first system in
/// the order of the refs explains the score.
pub fn finding_score(f: &FindingFacts, catalog: &Catalog<'_>, today: Date) -> Score {
    let l = likelihood(f, today);
    let refs = system_refs(f);
    let mut best: Option<Factor> = None;
    for r in refs {
        let i = catalog.impact_of(Some(r));
        if best.as_ref().is_none_or(|b| i.value > b.value) {
            best = Some(i);
        }
    }
    let i = best.unwrap_or_else(|| catalog.impact_of(None));
    combine(&l, &i)
}
