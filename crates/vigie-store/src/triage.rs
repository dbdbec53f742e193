//! Triage: decisions about findings, keyed by finding key so that they outlive snapshots.
//!
//! The states and the not-affected justifications are CycloneDX 1.6's VEX `analysis.state`
//! and `analysis.justification` (with `accepted_risk` for CycloneDX's `resolved`-less "we
//! accept it" decision, which carries an expiry day). Every decision is kept; the latest of a
//! key is current. An acceptance whose `until` day is before `today` is *expired*: the finding
//! is active again.

use crate::sqlite::Db;
use rusqlite::{Connection, params};
use serde::{Deserialize, Serialize};

use crate::sqlite::{FINDING_COLUMNS, finding_from_row};
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

    fn parse(s: &str) -> Option<TriageState> {
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
    fn parse(s: &str) -> Option<Justification> {
        serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
    }

    /// The stored and printed name.
    pub fn as_str(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
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

fn validate(t: &TriageInput) -> Result<()> {
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

const TRIAGE_COLUMNS: &str =
    "t.id, t.finding_key, t.state, t.justification, t.until, t.reason, t.by_whom, t.at";

fn triage_from_row(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Option<TriageRecord>> {
    let Some(id) = r.get::<_, Option<i64>>(at)? else {
        return Ok(None);
    };
    let state: String = r.get(at + 2)?;
    let justification: Option<String> = r.get(at + 3)?;
    let bad = |i: usize, what: String| {
        rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, what.into())
    };
    Ok(Some(TriageRecord {
        id,
        input: TriageInput {
            finding_key: r.get(at + 1)?,
            state: TriageState::parse(&state).ok_or_else(|| bad(at + 2, state.clone()))?,
            justification: match justification {
                None => None,
                Some(j) => Some(Justification::parse(&j).ok_or_else(|| bad(at + 3, j.clone()))?),
            },
            until: r.get(at + 4)?,
            reason: r.get(at + 5)?,
            by: r.get(at + 6)?,
            at: r.get(at + 7)?,
        },
    }))
}

/// Inserts a decision, with its id when given (import).
pub(crate) fn insert(conn: &Connection, id: Option<i64>, t: &TriageInput) -> Result<i64> {
    validate(t)?;
    conn.execute(
        "INSERT INTO triage(id, finding_key, state, justification, until, reason, by_whom, at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            t.finding_key,
            t.state.as_str(),
            t.justification.map(Justification::as_str),
            t.until,
            t.reason,
            t.by,
            t.at
        ],
    )
    .db()?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn record(conn: &Connection, t: &TriageInput) -> Result<TriageRecord> {
    let id = insert(conn, None, t)?;
    Ok(TriageRecord {
        id,
        input: t.clone(),
    })
}

pub(crate) fn history(conn: &Connection, key: Option<&str>) -> Result<Vec<TriageRecord>> {
    let mut st = conn.prepare(&format!(
        "SELECT {TRIAGE_COLUMNS} FROM triage t WHERE ?1 IS NULL OR t.finding_key = ?1 ORDER BY t.id"
    )).db()?;
    let rows = st.query_map([key], |r| triage_from_row(r, 0)).db()?;
    Ok(rows
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()?
        .into_iter()
        .flatten()
        .collect())
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
    conn: &Connection,
    snapshot: SnapshotId,
    today: &str,
) -> Result<Vec<FindingStatus>> {
    if !is_day(today) {
        return Err(Error::Invalid(format!("today {today:?} is not YYYY-MM-DD")));
    }
    let mut st = conn
        .prepare(&format!(
            "SELECT {FINDING_COLUMNS}, {TRIAGE_COLUMNS} FROM findings f
         JOIN projects p ON p.id = f.project_id
         LEFT JOIN triage t ON t.id = (SELECT max(id) FROM triage WHERE finding_key = f.key)
         WHERE f.snapshot_id = ?1 ORDER BY f.key"
        ))
        .db()?;
    let rows = st
        .query_map([snapshot], |r| {
            let finding = finding_from_row(r)?;
            let triage = triage_from_row(r, 11)?;
            let effective = effective_state(triage.as_ref().map(|t| &t.input), today);
            Ok(FindingStatus {
                finding,
                triage,
                effective,
            })
        })
        .db()?;
    rows.collect::<rusqlite::Result<Vec<_>>>().db()
}

pub(crate) fn find_findings(
    conn: &Connection,
    snapshot: SnapshotId,
    key_or_id: &str,
) -> Result<Vec<FindingRecord>> {
    let mut st = conn
        .prepare(&format!(
            "SELECT {FINDING_COLUMNS} FROM findings f JOIN projects p ON p.id = f.project_id
         WHERE f.snapshot_id = ?1 AND f.key = ?2"
        ))
        .db()?;
    let exact = st
        .query_map(params![snapshot, key_or_id], finding_from_row)
        .db()?
        .collect::<rusqlite::Result<Vec<_>>>()
        .db()?;
    if !exact.is_empty() {
        return Ok(exact);
    }
    crate::query::findings_by_advisory(conn, snapshot, key_or_id)
}
