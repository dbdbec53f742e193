//! The licence check's per-project memo: what a component's evaluation
//! gives that depends only on the licence statement it relies on (the
//! mapping to SPDX, the policy's decision, the findings and the
//! explanation), computed once per distinct statement of a project instead
//! of once per component (an estate's projects have thousands of
//! components and a handful of distinct licences, most of them none).
//!
//! Equivalence: [`crate::licences`] evaluates a component from its ordered
//! licence statements, its purl (only through the policy's per-component
//! exceptions), the project's model and own licence (fixed for the
//! project) and the component's index (only copied into the findings).
//! The statement relied on is the first whose mapping is SPDX or
//! `UNLICENSED`, else the first; everything the evaluation derives depends
//! on that statement's text alone. So when no exception of the policy names
//! the component ([`vigie_licence::Policy::may_except`]), the outcome of
//! the first component relying on a text is the outcome of every other.

use std::collections::HashMap;

use vigie_licence::{Category, Mapping, Obligation};
use vigie_model::Component;

use crate::licences::{ComponentLicence, LicenceFinding, Statement};

/// The part of a component's evaluation shared by every component that
/// relies on the same licence statement.
struct Outcome {
    expression: String,
    confidence: Option<String>,
    category: Category,
    verdict: String,
    obligations: Vec<String>,
    obligation_ids: Vec<Obligation>,
    chosen: Option<String>,
    terms: Vec<String>,
    known: bool,
    explanation: [String; 2],
    findings: Vec<LicenceFinding>,
}

/// The memo of one project's licence check; borrows the statements' texts.
#[derive(Default)]
pub(crate) struct Memo<'a> {
    /// Whether a licence text maps to something a component can rely on
    /// (an SPDX expression or `UNLICENSED`).
    relied: HashMap<&'a str, bool, foldhash::fast::RandomState>,
    /// Outcomes by the text relied on (`None`: no statement at all).
    outcomes: HashMap<Option<&'a str>, Outcome, foldhash::fast::RandomState>,
}

/// Whether a mapping is one a component relies on (see the module doc).
pub(crate) fn relied_on(m: &Mapping) -> bool {
    matches!(m, Mapping::Spdx { .. } | Mapping::Unlicensed)
}

impl<'a> Memo<'a> {
    /// The index of the statement relied on (0 when none maps), as
    /// `crate::licences::evaluate` chooses it.
    pub(crate) fn used(&mut self, map: impl Fn(&str) -> Mapping, st: &'a [Statement]) -> usize {
        st.iter()
            .position(|s| {
                *self
                    .relied
                    .entry(s.licence.as_str())
                    .or_insert_with(|| relied_on(&map(&s.licence)))
            })
            .unwrap_or(0)
    }

    /// The evaluation of component `c` (found in `file`, index `idx` among
    /// the evaluated ones) relying on `key`, when a previous component
    /// relied on the same text; `statements` already put in order.
    pub(crate) fn reuse(
        &self,
        key: Option<&'a str>,
        c: &Component,
        file: &str,
        statements: Vec<Statement>,
        idx: usize,
    ) -> Option<(ComponentLicence, Vec<LicenceFinding>)> {
        let o = self.outcomes.get(&key)?;
        let cl = ComponentLicence {
            ecosystem: c.ecosystem,
            name: c.name.clone(),
            version: c.version.clone(),
            purl: c.purl.clone(),
            file: file.to_owned(),
            line: c.line,
            statements,
            copyright: Vec::new(),
            expression: o.expression.clone(),
            confidence: o.confidence.clone(),
            category: o.category,
            verdict: o.verdict.clone(),
            obligations: o.obligations.clone(),
            terms: o.terms.clone(),
            chosen: o.chosen.clone(),
            known: o.known,
            explanation: o.explanation.clone(),
            obligation_ids: o.obligation_ids.clone(),
            index: 0,
        };
        let findings = o
            .findings
            .iter()
            .map(|f| LicenceFinding {
                check: f.check,
                severity: f.severity,
                component: idx,
                message: f.message.clone(),
            })
            .collect();
        Some((cl, findings))
    }

    /// Keeps what a component relying on `key` was evaluated to.
    pub(crate) fn keep(
        &mut self,
        key: Option<&'a str>,
        cl: &ComponentLicence,
        findings: &[LicenceFinding],
    ) {
        self.outcomes.insert(
            key,
            Outcome {
                expression: cl.expression.clone(),
                confidence: cl.confidence.clone(),
                category: cl.category,
                verdict: cl.verdict.clone(),
                obligations: cl.obligations.clone(),
                obligation_ids: cl.obligation_ids.clone(),
                chosen: cl.chosen.clone(),
                terms: cl.terms.clone(),
                known: cl.known,
                explanation: cl.explanation.clone(),
                findings: findings.to_vec(),
            },
        );
    }
}
