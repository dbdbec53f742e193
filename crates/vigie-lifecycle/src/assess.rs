//! Lifecycle findings: each platform's cycle evaluated against `today` and
//! a horizon.
//!
//! One support-status finding at most per platform, the worst that applies:
//! end of life passed with no extended support left (`eol-passed`), end of
//! life passed but extended/paid support goes on (`extended-support-only`),
//! end of life within the horizon (`eol-soon`), active support over and
//! security fixes only (`security-only`). Beside it: behind the latest
//! patch of its own cycle (`behind-latest`, an opportunity), and for what
//! maps to no cycle `unpinned` or `unknown-cycle`. Status findings carry the
//! recommended targets: the oldest newer cycle still supported at the end
//! of the horizon, and the newest LTS cycle.

use jiff::civil::Date;
use jiff::{Span, ToSpan};
use serde::{Deserialize, Serialize};

use crate::cycle::{CycleMatch, compare, is_more_precise, numeric_parts};
use crate::detect::{Evidence, Kind};
use crate::knowledge::Knowledge;
use crate::product::{Cycle, DateOrBool, Product};
use crate::resolve::Platform;

/// The default horizon, in days.
pub const DEFAULT_HORIZON_DAYS: i32 = 180;

/// When findings are evaluated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The day of the evaluation (injected: tests fix it).
    pub today: Date,
    /// How far ahead an end of life is reported, in days.
    pub horizon_days: i32,
}

impl Policy {
    /// `today` with the default horizon of 180 days.
    pub fn new(today: Date) -> Policy {
        Policy {
            today,
            horizon_days: DEFAULT_HORIZON_DAYS,
        }
    }

    /// The last day of the horizon.
    pub fn horizon_end(&self) -> Date {
        add_days(self.today, i64::from(self.horizon_days))
    }
}

/// `day` plus `n` days, saturating at jiff's range.
pub fn add_days(day: Date, n: i64) -> Date {
    day.checked_add(n.days())
        .unwrap_or(if n < 0 { Date::MIN } else { Date::MAX })
}

/// Days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    a.until(b)
        .map(|s: Span| i64::from(s.get_days()))
        .unwrap_or(0)
}

/// The families of lifecycle findings (`--checks` selects among them).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Check {
    /// End of life passed, no support left (high).
    EolPassed,
    /// End of life passed, extended (often paid) support goes on (medium).
    ExtendedSupportOnly,
    /// End of life within the horizon (medium).
    EolSoon,
    /// Active support over, security fixes only (low).
    SecurityOnly,
    /// Behind the latest release of its own cycle: an opportunity (low).
    BehindLatest,
    /// No version pinned: no tag, `latest`, a floating tag or series (low).
    Unpinned,
    /// What is written names no known cycle (info).
    UnknownCycle,
}

impl Check {
    /// Every check.
    pub const ALL: [Check; 7] = [
        Check::EolPassed,
        Check::ExtendedSupportOnly,
        Check::EolSoon,
        Check::SecurityOnly,
        Check::BehindLatest,
        Check::Unpinned,
        Check::UnknownCycle,
    ];

    /// The stable kebab-case id (`eol-passed`).
    pub fn id(self) -> &'static str {
        match self {
            Check::EolPassed => "eol-passed",
            Check::ExtendedSupportOnly => "extended-support-only",
            Check::EolSoon => "eol-soon",
            Check::SecurityOnly => "security-only",
            Check::BehindLatest => "behind-latest",
            Check::Unpinned => "unpinned",
            Check::UnknownCycle => "unknown-cycle",
        }
    }

    /// The check of an id (`eol-passed`), for `--checks`.
    pub fn from_id(id: &str) -> Option<Check> {
        Check::ALL.into_iter().find(|c| c.id() == id)
    }

    /// How serious a finding of this check is.
    pub fn severity(self) -> Severity {
        match self {
            Check::EolPassed => Severity::High,
            Check::ExtendedSupportOnly | Check::EolSoon => Severity::Medium,
            Check::SecurityOnly | Check::BehindLatest | Check::Unpinned => Severity::Low,
            Check::UnknownCycle => Severity::Info,
        }
    }
}

/// Severity of a lifecycle finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// For information.
    Info,
    /// Worth planning.
    Low,
    /// To plan now.
    Medium,
    /// Unsupported today.
    High,
}

/// A cycle to move to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The cycle's name (`3.12`).
    pub cycle: String,
    /// How the cycle is shown (`12 (Bookworm)`).
    pub label: String,
    /// Its latest release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest: Option<String>,
    /// Its end of life (`false`: none announced).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eol: Option<DateOrBool>,
    /// Whether it is a long-term-support cycle today.
    pub lts: bool,
}

/// How far a version is behind the latest patch of its cycle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Behind {
    /// The cycle's latest release.
    pub latest: String,
    /// Its release date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latest_date: Option<Date>,
    /// Releases of the cycle newer than the version (from release-data).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newer_releases: Option<usize>,
    /// The day the first newer release came out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outdated_since: Option<Date>,
}

/// One lifecycle finding on one platform.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// What is found.
    pub check: Check,
    /// The check's severity.
    pub severity: Severity,
    /// The product's id (`python`).
    pub product: String,
    /// Its display name (`Python`).
    pub title: String,
    /// The cycle, its label, or why there is none.
    pub cycle: CycleMatch,
    /// How the cycle is shown (`10 (Buster)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cycle_label: Option<String>,
    /// What the evidence writes.
    pub written: String,
    /// The version mapped to the cycle.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// How the platform was found.
    pub kind: Kind,
    /// Where.
    pub evidence: Evidence,
    /// The date the finding is about: end of life, or end of active support
    /// for `security-only`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    /// Days since `date` (passed) or until it (`eol-soon`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    /// The cycle's end of life (for `security-only`) or of extended support
    /// (for `extended-support-only`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<DateOrBool>,
    /// For `behind-latest`: how far behind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub behind: Option<Behind>,
    /// The oldest newer cycle supported to the end of the horizon.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// The newest long-term-support cycle, when the product has LTS cycles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub newest_lts: Option<Target>,
    /// The horizon the finding was evaluated with.
    pub horizon_days: i32,
}

impl Knowledge {
    /// The findings of one platform.
    pub fn findings(&self, platform: &Platform, policy: &Policy) -> Vec<Finding> {
        let Some(product) = self.product(&platform.product) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let base = |check: Check| Finding {
            check,
            severity: check.severity(),
            product: product.name.clone(),
            title: product.title.clone(),
            cycle: platform.cycle.clone(),
            cycle_label: None,
            written: platform.written.clone(),
            version: platform.version.clone(),
            kind: platform.kind,
            evidence: platform.evidence.clone(),
            date: None,
            days: None,
            until: None,
            behind: None,
            target: None,
            newest_lts: None,
            horizon_days: policy.horizon_days,
        };
        let cycle = match &platform.cycle {
            CycleMatch::Cycle { name } => product.cycle(name),
            CycleMatch::Unpinned { .. } => {
                out.push(with_targets(base(Check::Unpinned), product, None, policy));
                return out;
            }
            CycleMatch::Unknown { .. } => {
                out.push(with_targets(
                    base(Check::UnknownCycle),
                    product,
                    None,
                    policy,
                ));
                return out;
            }
        };
        let Some(cycle) = cycle else { return out };
        let label = Some(product.cycle_label(cycle));
        if let Some(mut f) = status(cycle, policy, &base) {
            f.cycle_label = label.clone();
            out.push(with_targets(f, product, Some(cycle), policy));
        }
        if let Some(b) = platform
            .version
            .as_deref()
            .and_then(|v| behind(product, cycle, v))
        {
            let mut f = base(Check::BehindLatest);
            f.cycle_label = label;
            f.behind = Some(b);
            out.push(f);
        }
        out
    }

    /// The findings of many platforms, in order.
    pub fn all_findings(&self, platforms: &[Platform], policy: &Policy) -> Vec<Finding> {
        platforms
            .iter()
            .flat_map(|p| self.findings(p, policy))
            .collect()
    }
}

fn status(cycle: &Cycle, policy: &Policy, base: &impl Fn(Check) -> Finding) -> Option<Finding> {
    let today = policy.today;
    let eol = cycle.eol?;
    let eol_date = eol.date();
    if eol.reached(today) {
        let extended = cycle.eoes.filter(|e| !e.reached(today));
        let mut f = base(if extended.is_some() {
            Check::ExtendedSupportOnly
        } else {
            Check::EolPassed
        });
        f.date = eol_date;
        f.days = eol_date.map(|d| days_between(d, today));
        f.until = extended;
        return Some(f);
    }
    if let Some(d) = eol_date.filter(|d| *d <= policy.horizon_end()) {
        let mut f = base(Check::EolSoon);
        f.date = Some(d);
        f.days = Some(days_between(today, d));
        return Some(f);
    }
    let eoas = cycle.eoas.filter(|e| e.reached(today))?;
    let mut f = base(Check::SecurityOnly);
    f.date = eoas.date();
    f.days = eoas.date().map(|d| days_between(d, today));
    f.until = Some(eol);
    Some(f)
}

fn with_targets(
    mut f: Finding,
    product: &Product,
    from: Option<&Cycle>,
    policy: &Policy,
) -> Finding {
    let (target, lts) = targets(product, from, policy);
    f.target = target;
    f.newest_lts = lts;
    f
}

/// The recommended targets for a platform in cycle `from` (any cycle when
/// `None`): the oldest cycle newer than `from`, released, and still
/// supported at the end of the horizon; and the newest LTS cycle among
/// those.
pub fn targets(
    product: &Product,
    from: Option<&Cycle>,
    policy: &Policy,
) -> (Option<Target>, Option<Target>) {
    let end = policy.horizon_end();
    let position = |c: &Cycle| product.cycles.iter().position(|k| k.name == c.name);
    let newer = |c: &Cycle| match from {
        None => true,
        Some(f) => match (c.release_date, f.release_date) {
            (Some(a), Some(b)) => a > b,
            _ => position(c) < position(f),
        },
    };
    let candidates: Vec<&Cycle> = product
        .cycles
        .iter()
        .filter(|c| c.release_date.is_none_or(|d| d <= policy.today))
        .filter(|c| c.supported_on(end) && newer(c))
        .collect();
    let older_first = |a: &&Cycle, b: &&Cycle| match (a.release_date, b.release_date) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => position(b).cmp(&position(a)),
    };
    let target = candidates
        .iter()
        .copied()
        .min_by(older_first)
        .map(|c| to_target(product, c, policy));
    let lts = candidates
        .iter()
        .copied()
        .filter(|c| c.is_lts(policy.today))
        .max_by(older_first)
        .map(|c| to_target(product, c, policy));
    (target, lts)
}

fn to_target(product: &Product, c: &Cycle, policy: &Policy) -> Target {
    Target {
        cycle: c.name.clone(),
        label: product.cycle_label(c),
        latest: c.latest.clone(),
        eol: c.eol,
        lts: c.is_lts(policy.today),
    }
}

/// Whether `version` is behind its cycle's latest release, and by how much.
fn behind(product: &Product, cycle: &Cycle, version: &str) -> Option<Behind> {
    let latest = cycle.latest.as_deref()?;
    if !is_more_precise(version, &cycle.name)
        || compare(version, latest)? != std::cmp::Ordering::Less
    {
        return None;
    }
    let prefix = numeric_parts(&cycle.name);
    let newer: Vec<_> = product
        .versions
        .iter()
        .filter(|(v, _)| {
            prefix
                .as_ref()
                .is_some_and(|p| numeric_parts(v).is_some_and(|n| n.starts_with(p)))
        })
        .filter(|(v, _)| compare(v, version) == Some(std::cmp::Ordering::Greater))
        .collect();
    let (newer_releases, outdated_since) = if newer.is_empty() {
        (None, None)
    } else {
        (Some(newer.len()), newer.iter().map(|(_, d)| *d).min())
    };
    Some(Behind {
        latest: latest.to_owned(),
        latest_date: cycle.latest_release_date,
        newer_releases,
        outdated_since,
    })
}
