//! The forecast: every detected platform (product and cycle, with every
//! place it was found) and its end dates over the coming months, the
//! roadmap view of `vigie lifecycle`.
//!
//! Rows are grouped by product and cycle (platforms without a cycle by what
//! is written), and sorted with the most urgent first: past end of life,
//! then extended support only, then by the nearest end date.

use std::collections::HashMap;

use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::assess::{Policy, Target, targets};
use crate::cycle::CycleMatch;
use crate::detect::{Evidence, Kind};
use crate::knowledge::Knowledge;
use crate::product::DateOrBool;
use crate::resolve::Platform;

/// The default span of a forecast, in months.
pub const DEFAULT_MONTHS: i32 = 24;

/// Most evidence places kept per row (the count is kept whole).
const MAX_EVIDENCE: usize = 1000;

/// Where a cycle stands on the forecast's first day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Past end of life, no support left.
    EndOfLife,
    /// Past end of life, extended (paid) support only.
    ExtendedOnly,
    /// Security fixes only.
    SecurityOnly,
    /// Supported.
    Supported,
    /// No cycle: what is written floats.
    Unpinned,
    /// No cycle: what is written is no known cycle.
    Unknown,
}

/// A support milestone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Milestone {
    /// `eoas`: bug fixes stop, security fixes go on.
    ActiveSupportEnds,
    /// `eol`: all support stops.
    EndOfLife,
    /// `eoes`: extended (often paid) support stops.
    ExtendedSupportEnds,
}

/// A milestone on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The day.
    pub date: Date,
    /// What happens.
    pub milestone: Milestone,
}

/// One product cycle on the timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Row {
    /// The product's id.
    pub product: String,
    /// Its display name.
    pub title: String,
    /// The cycle, or why there is none.
    pub cycle: CycleMatch,
    /// How the cycle is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_label: Option<String>,
    /// Where the cycle stands on `from`.
    pub status: Status,
    /// The versions as written, each once.
    pub written: Vec<String>,
    /// How it was found (runtime declaration, image, component).
    pub kinds: Vec<Kind>,
    /// Where it was found (at most 1,000 places; `places` counts them all).
    pub evidence: Vec<Evidence>,
    /// How many places it was found in.
    pub places: usize,
    /// End of active support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eoas: Option<DateOrBool>,
    /// End of life.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eol: Option<DateOrBool>,
    /// End of extended support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eoes: Option<DateOrBool>,
    /// The milestones that fall within the forecast.
    pub events: Vec<Event>,
    /// The oldest newer cycle supported to the end of the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// The newest LTS cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_lts: Option<Target>,
}

/// Every platform with its end dates from `from` to `until`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Forecast {
    /// The first day (`today`).
    pub from: Date,
    /// The last day.
    pub until: Date,
    /// Most urgent first.
    pub rows: Vec<Row>,
}

impl Knowledge {
    /// The forecast of `platforms` over `months` months from `policy.today`
    /// (targets use the policy's horizon).
    pub fn forecast(&self, platforms: &[Platform], policy: &Policy, months: i32) -> Forecast {
        let from = policy.today;
        let until = from.checked_add(months.months()).unwrap_or(Date::MAX);
        let mut rows: Vec<Row> = Vec::new();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for p in platforms {
            let key = (
                p.product.clone(),
                p.cycle
                    .name()
                    .map_or_else(|| format!("\0{}", p.written), str::to_owned),
            );
            let i = *index.entry(key).or_insert_with(|| {
                rows.push(self.new_row(p, policy, until));
                rows.len() - 1
            });
            let Some(row) = rows.get_mut(i) else { continue };
            if !row.written.contains(&p.written) {
                row.written.push(p.written.clone());
            }
            if !row.kinds.contains(&p.kind) {
                row.kinds.push(p.kind);
            }
            row.places += 1;
            if row.evidence.len() < MAX_EVIDENCE && !row.evidence.contains(&p.evidence) {
                row.evidence.push(p.evidence.clone());
            }
        }
        for r in &mut rows {
            r.evidence.sort();
            r.kinds.sort();
        }
        rows.sort_by(|a, b| {
            let next = |r: &Row| r.events.first().map(|e| e.date).unwrap_or(Date::MAX);
            a.status
                .cmp(&b.status)
                .then_with(|| next(a).cmp(&next(b)))
                .then_with(|| a.product.cmp(&b.product))
                .then_with(|| a.cycle.name().cmp(&b.cycle.name()))
        });
        Forecast { from, until, rows }
    }

    fn new_row(&self, p: &Platform, policy: &Policy, until: Date) -> Row {
        let product = self.product(&p.product);
        let cycle = product.zip(p.cycle.name()).and_then(|(pr, n)| pr.cycle(n));
        let today = policy.today;
        let status = match (&p.cycle, cycle) {
            (CycleMatch::Unpinned { .. }, _) => Status::Unpinned,
            (_, None) => Status::Unknown,
            (_, Some(c)) if c.eol_reached(today) => {
                if c.eoes.is_some_and(|e| !e.reached(today)) {
                    Status::ExtendedOnly
                } else {
                    Status::EndOfLife
                }
            }
            (_, Some(c)) if c.eoas.is_some_and(|e| e.reached(today)) => Status::SecurityOnly,
            (_, Some(_)) => Status::Supported,
        };
        let mut events = Vec::new();
        if let Some(c) = cycle {
            for (d, milestone) in [
                (c.eoas, Milestone::ActiveSupportEnds),
                (c.eol, Milestone::EndOfLife),
                (c.eoes, Milestone::ExtendedSupportEnds),
            ] {
                if let Some(date) = d
                    .and_then(DateOrBool::date)
                    .filter(|d| *d >= today && *d <= until)
                {
                    events.push(Event { date, milestone });
                }
            }
        }
        events.sort_by_key(|e| (e.date, e.milestone));
        let (target, newest_lts) = match product {
            Some(pr) => targets(pr, cycle, policy),
            None => (None, None),
        };
        Row {
            product: p.product.clone(),
            title: p.title.clone(),
            cycle: p.cycle.clone(),
            cycle_label: product.zip(cycle).map(|(pr, c)| pr.cycle_label(c)),
            status,
            written: Vec::new(),
            kinds: Vec::new(),
            evidence: Vec::new(),
            places: 0,
            eoas: cycle.and_then(|c| c.eoas),
            eol: cycle.and_then(|c| c.eol),
            eoes: cycle.and_then(|c| c.eoes),
            events,
            target,
            newest_lts,
        }
    }
}
