//! What the SARIF and CycloneDX writers read: typed findings, each with the triage in force
//! when the caller keeps triage (`vigie report` reads it from the store; `vigie audit` has
//! none).
//!
//! The states are the store's names (`vigie_store::EffectiveState` and `TriageState`, written
//! as text here: this crate does not depend on the store).

use vigie_findings::Finding;

/// One finding to write, and its triage.
#[derive(Clone, Debug)]
pub struct Triaged<'a> {
    /// The finding.
    pub finding: &'a Finding,
    /// Its triage on the day asked; `None` when the caller keeps no triage.
    pub triage: Option<Triage<'a>>,
}

impl<'a> Triaged<'a> {
    /// Findings without triage (`vigie audit`).
    pub fn untriaged(findings: &'a [Finding]) -> Vec<Triaged<'a>> {
        findings
            .iter()
            .map(|finding| Triaged {
                finding,
                triage: None,
            })
            .collect()
    }
}

/// Where a finding stands on the day asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Triage<'a> {
    /// `open`, `in_triage`, `exploitable`, `not_affected`, `false_positive`, `accepted_risk`
    /// or `acceptance_expired`.
    pub state: &'a str,
    /// Whether the finding still asks for action (open, in triage, exploitable, acceptance
    /// expired): the others are set aside.
    pub active: bool,
    /// The current decision, if any.
    pub decision: Option<Decision<'a>>,
}

impl Triage<'_> {
    /// An acceptance whose last day is past.
    pub fn acceptance_expired(&self) -> bool {
        self.state == "acceptance_expired"
    }
}

/// A triage decision as recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision<'a> {
    /// The recorded state: `in_triage`, `exploitable`, `not_affected`, `false_positive`,
    /// `accepted_risk`.
    pub state: &'a str,
    /// The CycloneDX justification of a `not_affected`.
    pub justification: Option<&'a str>,
    /// The last day of an acceptance.
    pub until: Option<&'a str>,
    pub reason: &'a str,
    pub by: &'a str,
    /// RFC 3339 time of the decision.
    pub at: &'a str,
}
