//! Triage: decisions about findings, keyed by finding key so that they outlive snapshots.
//!
//! The states and the not-affected justifications are CycloneDX 1.6's VEX `analysis.state`
//! and `analysis.justification` (with `accepted_risk` for CycloneDX's `resolved`-less "we
//! accept it" decision, which carries an expiry day). Every decision is kept; the latest of a
//! key is current, a key and its former spelling ([`vigie_findings::former_key`]) counting as
//! one. An acceptance whose `until` day is before `today` is *expired*: the finding is active
//! again.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::storage::Storage;
use crate::{Error, FindingRecord, Result, SnapshotId};

/// A triage state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TriageState {
    /// Being looked at.
    InTriage,
    /// Confirmed: the project is exposed.
    Exploitable,
    /// The project is not affected (with a justification).
    NotAffected,
    /// The finding is wrong.
    FalsePositive,
    /// Accepted until a day.
    AcceptedRisk,
}

impl TriageState {
    /// The stored and printed name.
    pub fn as_str(self) -> &'static str {
        match self {
            TriageState::InTriage => "in_triage",
            TriageState::Exploitable => "exploitable",
            TriageState::NotAffected => "not_affected",
            TriageState::FalsePositive => "false_positive",
            TriageState::AcceptedRisk => "accepted_risk",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<TriageState> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }
}

/// Why a finding does not affect a project: the CycloneDX VEX justifications.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Justification {
    /// The vulnerable code is not in the component.
    CodeNotPresent,
    /// The vulnerable code is not reachable.
    CodeNotReachable,
    /// Exploitation needs a configuration not used.
    RequiresConfiguration,
    /// Exploitation needs a dependency not present.
    RequiresDependency,
    /// Exploitation needs an environment not present.
    RequiresEnvironment,
    /// The compiler prevents exploitation.
    ProtectedByCompiler,
    /// Runtime protections prevent exploitation.
    ProtectedAtRuntime,
    /// Perimeter protections prevent exploitation.
    ProtectedAtPerimeter,
    /// Another control mitigates it.
    ProtectedByMitigatingControl,
}

impl Justification {
    pub(crate) fn parse(s: &str) -> Option<Justification> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }

    /// The stored and printed name (CycloneDX's).
    pub fn as_str(self) -> &'static str {
        match self {
            Justification::CodeNotPresent => "code_not_present",
            Justification::CodeNotReachable => "code_not_reachable",
            Justification::RequiresConfiguration => "requires_configuration",
            Justification::RequiresDependency => "requires_dependency",
            Justification::RequiresEnvironment => "requires_environment",
            Justification::ProtectedByCompiler => "protected_by_compiler",
            Justification::ProtectedAtRuntime => "protected_at_runtime",
            Justification::ProtectedAtPerimeter => "protected_at_perimeter",
            Justification::ProtectedByMitigatingControl => "protected_by_mitigating_control",
        }
    }
}

/// A decision to record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageInput {
    /// The key of the finding decided on.
    pub finding_key: String,
    /// The decision.
    pub state: TriageState,
    /// Required with `not_affected`, refused otherwise.
    pub justification: Option<Justification>,
    /// `YYYY-MM-DD`, the last day of an acceptance: required with `accepted_risk`, refused otherwise.
    pub until: Option<String>,
    /// Why (free text).
    pub reason: String,
    /// Who decided.
    pub by: String,
    /// RFC 3339 time of the decision (the caller's clock).
    pub at: String,
}

/// A recorded decision.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageRecord {
    /// The record's id, increasing.
    pub id: i64,
    #[serde(flatten)]
    /// The decision.
    pub input: TriageInput,
}

/// Where a finding stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectiveState {
    /// No decision.
    Open,
    /// Being looked at.
    InTriage,
    /// Confirmed exploitable.
    Exploitable,
    /// Not affected.
    NotAffected,
    /// A false positive.
    FalsePositive,
    /// Accepted, until a day not yet past.
    AcceptedRisk,
    /// Accepted until a day now past: active again.
    AcceptanceExpired,
}

impl EffectiveState {
    /// The printed name (as serialised).
    pub fn as_str(self) -> &'static str {
        match self {
            EffectiveState::Open => "open",
            EffectiveState::InTriage => "in_triage",
            EffectiveState::Exploitable => "exploitable",
            EffectiveState::NotAffected => "not_affected",
            EffectiveState::FalsePositive => "false_positive",
            EffectiveState::AcceptedRisk => "accepted_risk",
            EffectiveState::AcceptanceExpired => "acceptance_expired",
        }
    }

    /// Whether the finding still asks for action.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            EffectiveState::Open
                | EffectiveState::InTriage
                | EffectiveState::Exploitable
                | EffectiveState::AcceptanceExpired
        )
    }
}

/// A finding of a snapshot with its current decision.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FindingStatus {
    /// The finding.
    pub finding: FindingRecord,
    /// Its current decision, if any.
    pub triage: Option<TriageRecord>,
    /// Where it stands on the day asked.
    pub effective: EffectiveState,
}

/// Whether `s` is a `YYYY-MM-DD` day (months 1-12, days 1-31).
pub(crate) fn is_day(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| {
        s.get(r)
            .filter(|x| x.bytes().all(|c| c.is_ascii_digit()))
            .and_then(|x| x.parse::<u32>().ok())
    };
    matches!((digits(0..4), digits(5..7), digits(8..10)),
        (Some(_), Some(m), Some(d)) if (1..=12).contains(&m) && (1..=31).contains(&d))
}

/// Refuses an inconsistent decision.
pub(crate) fn validate(t: &TriageInput) -> Result<()> {
    let bad = |why: &str| Err(Error::Invalid(why.to_owned()));
    if t.finding_key.trim().is_empty() {
        return bad("a triage needs a finding key");
    }
    if t.reason.trim().is_empty() {
        return bad("a triage needs a reason");
    }
    if t.by.trim().is_empty() {
        return bad("a triage needs an author");
    }
    match (t.state, &t.justification) {
        (TriageState::NotAffected, None) => return bad("not_affected needs a justification"),
        (TriageState::NotAffected, Some(_)) | (_, None) => {}
        (_, Some(_)) => return bad("a justification goes only with not_affected"),
    }
    match (t.state, &t.until) {
        (TriageState::AcceptedRisk, None) => bad("accepted_risk needs an expiry day (--until)"),
        (TriageState::AcceptedRisk, Some(d)) if !is_day(d) => {
            bad("the expiry day must be YYYY-MM-DD")
        }
        (TriageState::AcceptedRisk, Some(_)) | (_, None) => Ok(()),
        (_, Some(_)) => bad("an expiry day goes only with accepted_risk"),
    }
}

pub(crate) fn record(s: &mut dyn Storage, t: &TriageInput) -> Result<TriageRecord> {
    validate(t)?;
    let id = s.insert_triage(None, t)?;
    Ok(TriageRecord {
        id,
        input: t.clone(),
    })
}

/// The effective state of a decision on `today`.
pub fn effective_state(triage: Option<&TriageInput>, today: &str) -> EffectiveState {
    match triage {
        None => EffectiveState::Open,
        Some(t) => match t.state {
            TriageState::InTriage => EffectiveState::InTriage,
            TriageState::Exploitable => EffectiveState::Exploitable,
            TriageState::NotAffected => EffectiveState::NotAffected,
            TriageState::FalsePositive => EffectiveState::FalsePositive,
            TriageState::AcceptedRisk => match &t.until {
                Some(until) if until.as_str() >= today => EffectiveState::AcceptedRisk,
                _ => EffectiveState::AcceptanceExpired,
            },
        },
    }
}

pub(crate) fn effective(
    s: &dyn Storage,
    snapshot: SnapshotId,
    today: &str,
) -> Result<Vec<FindingStatus>> {
    if !is_day(today) {
        return Err(Error::Invalid(format!("today {today:?} is not YYYY-MM-DD")));
    }
    // The latest decision of each key (the history is oldest first).
    let mut current: HashMap<String, TriageRecord> = HashMap::new();
    for t in s.triage(None)? {
        current.insert(t.input.finding_key.clone(), t);
    }
    Ok(s.findings(snapshot)?
        .into_iter()
        .map(|finding| {
            let triage = decision(&current, &finding.key).cloned();
            let effective = effective_state(triage.as_ref().map(|t| &t.input), today);
            FindingStatus {
                finding,
                triage,
                effective,
            }
        })
        .collect())
}

/// The current decision on a finding: the latest recorded under its key or under the key's
/// former spelling ([`vigie_findings::former_key`]: a decision taken before vigie spelt the
/// key better still applies; the two spellings are one key, whose latest decision is current).
/// The record keeps the key it was recorded under.
fn decision<'a>(current: &'a HashMap<String, TriageRecord>, key: &str) -> Option<&'a TriageRecord> {
    let own = current.get(key);
    let former = vigie_findings::former_key(key).and_then(|k| current.get(&k));
    match (own, former) {
        (Some(a), Some(b)) => Some(if b.id > a.id { b } else { a }),
        (a, b) => a.or(b),
    }
}

pub(crate) fn find_findings(
    s: &dyn Storage,
    snapshot: SnapshotId,
    key_or_id: &str,
) -> Result<Vec<FindingRecord>> {
    let exact = s.findings_by_key(snapshot, key_or_id)?;
    if !exact.is_empty() {
        return Ok(exact);
    }
    s.findings_by_advisory(snapshot, key_or_id.trim())
}
