//! Aggregation of the register: per system, per owner and estate-wide (counts per level,
//! highest score, sum of scores), and the 5 × 5 heat map.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::register::Risk;
use crate::score::Level;

/// Counts of risks per level.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LevelCounts {
    /// Low (1–4).
    pub low: u32,
    /// Medium (5–9).
    pub medium: u32,
    /// High (10–15).
    pub high: u32,
    /// Critical (16–25).
    pub critical: u32,
}

impl LevelCounts {
    fn add(&mut self, level: Level) {
        let slot = match level {
            Level::Low => &mut self.low,
            Level::Medium => &mut self.medium,
            Level::High => &mut self.high,
            Level::Critical => &mut self.critical,
        };
        *slot = slot.saturating_add(1);
    }
}

/// The roll-up of a set of risks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rollup {
    /// How many risks.
    pub risks: u32,
    /// How many per level.
    pub by_level: LevelCounts,
    /// The highest score (0 when there is no risk).
    pub max_score: u8,
    /// The sum of the scores (a size of the exposure, not a probability).
    pub total_score: u64,
    /// How many are known to be exploited.
    pub known_exploited: u32,
}

impl Rollup {
    fn add(&mut self, r: &Risk) {
        self.risks = self.risks.saturating_add(1);
        self.by_level.add(r.level);
        self.max_score = self.max_score.max(r.score);
        self.total_score = self.total_score.saturating_add(u64::from(r.score));
        if r.known_exploited {
            self.known_exploited = self.known_exploited.saturating_add(1);
        }
    }
}

/// The roll-up of one system (`entity_ref: None`: findings in no system).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SystemRollup {
    /// The system's entity ref.
    pub entity_ref: Option<String>,
    /// Its name.
    pub name: Option<String>,
    /// Its owners.
    pub owners: Vec<String>,
    /// Its risks.
    pub rollup: Rollup,
}

/// The roll-up of one owner: the risks of every system it owns (a system of two owners counts
/// for each).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerRollup {
    /// The owner's entity ref.
    pub owner: String,
    /// The systems it owns that carry risks.
    pub systems: Vec<String>,
    /// Their risks.
    pub rollup: Rollup,
}

/// Everything the executive summary counts.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// The whole estate.
    pub estate: Rollup,
    /// Per system, highest total score first (ties by ref; the no-system entry last of equals).
    pub systems: Vec<SystemRollup>,
    /// Per owner, highest total score first.
    pub owners: Vec<OwnerRollup>,
    /// Risks whose system has no owner, or that are in no system.
    pub unowned: Rollup,
    /// `heat_map[likelihood - 1][impact - 1]`: how many risks in each cell.
    pub heat_map: [[u32; 5]; 5],
}

/// The summary of a register's risks.
pub fn summarise(risks: &[Risk]) -> Summary {
    let mut s = Summary::default();
    let mut systems: BTreeMap<Option<&str>, SystemRollup> = BTreeMap::new();
    let mut owners: BTreeMap<&str, (BTreeSet<&str>, Rollup)> = BTreeMap::new();
    for r in risks {
        s.estate.add(r);
        let li = usize::from(r.likelihood.clamp(1, 5) - 1);
        let ii = usize::from(r.impact.clamp(1, 5) - 1);
        if let Some(cell) = s.heat_map.get_mut(li).and_then(|row| row.get_mut(ii)) {
            *cell = cell.saturating_add(1);
        }
        systems
            .entry(r.system.as_deref())
            .or_insert_with(|| SystemRollup {
                entity_ref: r.system.clone(),
                name: r.system_name.clone(),
                owners: r.owners.clone(),
                rollup: Rollup::default(),
            })
            .rollup
            .add(r);
        let distinct: BTreeSet<&str> = r.owners.iter().map(String::as_str).collect();
        if distinct.is_empty() || r.system.is_none() {
            s.unowned.add(r);
        }
        if let Some(sys) = r.system.as_deref() {
            for o in distinct {
                let e = owners.entry(o).or_default();
                e.0.insert(sys);
                e.1.add(r);
            }
        }
    }
    s.systems = systems.into_values().collect();
    s.systems.sort_by(|a, b| {
        b.rollup
            .total_score
            .cmp(&a.rollup.total_score)
            .then(a.entity_ref.is_none().cmp(&b.entity_ref.is_none()))
            .then_with(|| a.entity_ref.cmp(&b.entity_ref))
    });
    s.owners = owners
        .into_iter()
        .map(|(o, (sys, rollup))| OwnerRollup {
            owner: o.to_string(),
            systems: sys.into_iter().map(str::to_string).collect(),
            rollup,
        })
        .collect();
    s.owners.sort_by(|a, b| {
        b.rollup
            .total_score
            .cmp(&a.rollup.total_score)
            .then_with(|| a.owner.cmp(&b.owner))
    });
    s
}
