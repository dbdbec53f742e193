//! The trend: this register against the previous one, risk by risk (by stable key): new,
//! worsened (higher score), improved (lower score), resolved (gone), unchanged.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::register::Risk;
use crate::score::Level;
use crate::text::Text;

/// How one risk changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Change {
    /// Not in the previous register.
    New,
    /// Its score rose.
    Worsened,
    /// Its score fell.
    Improved,
    /// In the previous register, not in this one.
    Resolved,
    /// Same score.
    Unchanged,
}

/// One risk that changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendEntry {
    /// The risk's key.
    pub key: String,
    /// How it changed.
    pub change: Change,
    /// Its title (the current one, or the previous one for a resolved risk).
    pub title: Text,
    /// Its previous score.
    pub previous_score: Option<u8>,
    /// Its current score.
    pub current_score: Option<u8>,
    /// Its previous level.
    pub previous_level: Option<Level>,
    /// Its current level.
    pub current_level: Option<Level>,
}

/// The trend between two registers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trend {
    /// New risks.
    pub new: u32,
    /// Worsened risks.
    pub worsened: u32,
    /// Improved risks.
    pub improved: u32,
    /// Resolved risks.
    pub resolved: u32,
    /// Unchanged risks.
    pub unchanged: u32,
    /// Every risk that changed (unchanged ones are only counted): new and worsened first, by
    /// current score, then improved, then resolved by previous score.
    pub entries: Vec<TrendEntry>,
}

/// The trend from `previous` to `current` (the risks of two registers). A key that appears
/// twice in one register (a hand-edited file) counts once, with its highest score.
pub fn trend(previous: &[Risk], current: &[Risk]) -> Trend {
    let prev = by_key(previous);
    let cur = by_key(current);
    let mut t = Trend::default();
    for (key, c) in &cur {
        let p = prev.get(key);
        let change = match p {
            None => Change::New,
            Some(p) if c.score > p.score => Change::Worsened,
            Some(p) if c.score < p.score => Change::Improved,
            Some(_) => Change::Unchanged,
        };
        bump(&mut t, change);
        if change != Change::Unchanged {
            t.entries.push(TrendEntry {
                key: key.to_string(),
                change,
                title: c.title.clone(),
                previous_score: p.map(|p| p.score),
                current_score: Some(c.score),
                previous_level: p.map(|p| p.level),
                current_level: Some(c.level),
            });
        }
    }
    for (key, p) in &prev {
        if !cur.contains_key(key) {
            bump(&mut t, Change::Resolved);
            t.entries.push(TrendEntry {
                key: key.to_string(),
                change: Change::Resolved,
                title: p.title.clone(),
                previous_score: Some(p.score),
                current_score: None,
                previous_level: Some(p.level),
                current_level: None,
            });
        }
    }
    t.entries.sort_by(|a, b| {
        let rank = |e: &TrendEntry| match e.change {
            Change::New | Change::Worsened => 0,
            Change::Improved => 1,
            _ => 2,
        };
        let weight = |e: &TrendEntry| e.current_score.or(e.previous_score).unwrap_or(0);
        rank(a)
            .cmp(&rank(b))
            .then(weight(b).cmp(&weight(a)))
            .then_with(|| a.key.cmp(&b.key))
    });
    t
}

fn by_key(risks: &[Risk]) -> BTreeMap<&str, &Risk> {
    let mut map: BTreeMap<&str, &Risk> = BTreeMap::new();
    for r in risks {
        map.entry(r.key.as_str())
            .and_modify(|e| {
                if r.score > e.score {
                    *e = r;
                }
            })
            .or_insert(r);
    }
    map
}

fn bump(t: &mut Trend, change: Change) {
    let slot = match change {
        Change::New => &mut t.new,
        Change::Worsened => &mut t.worsened,
        Change::Improved => &mut t.improved,
        Change::Resolved => &mut t.resolved,
        Change::Unchanged => &mut t.unchanged,
    };
    *slot = slot.saturating_add(1);
}
