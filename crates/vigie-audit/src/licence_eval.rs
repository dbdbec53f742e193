//! One component's licence evaluation (see [`crate::licences`]): its
//! statements mapped to SPDX, the one relied on, the policy's decision,
//! the findings and, when wanted, the explanation.

use vigie_licence::{Category, Decision, DistributionModel, Mapping};
use vigie_model::Component;

use crate::licence_memo::relied_on;
use crate::licences::{Check, ComponentLicence, LicenceContext, LicenceFinding, Statement};

fn both(t: vigie_licence::Text) -> [String; 2] {
    [t.en, t.fr]
}

/// Evaluates component `c` (found in `file`, index `idx` among the
/// evaluated ones) from its licence statements.
pub(crate) fn evaluate(
    ctx: &LicenceContext<'_>,
    model: DistributionModel,
    own: Option<&vigie_licence::Expression>,
    c: &Component,
    file: &str,
    mut statements: Vec<Statement>,
    idx: usize,
) -> (ComponentLicence, Vec<LicenceFinding>) {
    let kb = ctx.knowledge;
    let mappings: Vec<Mapping> = statements.iter().map(|s| kb.map(&s.licence)).collect();
    let used = mappings.iter().position(relied_on).unwrap_or(0);
    if used > 0 && used < statements.len() {
        let s = statements.remove(used);
        statements.insert(0, s);
    }
    let mapping = mappings.get(used).cloned().unwrap_or(Mapping::Unknown);
    let decision: Decision = ctx
        .policy
        .evaluate_mapping(kb, &mapping, model, Some(&c.purl));
    let category = decision
        .terms
        .iter()
        .map(|t| t.category)
        .max()
        .unwrap_or(Category::Unknown);
    let known = matches!(mapping, Mapping::Spdx { .. } | Mapping::Unlicensed);
    let expression = match &mapping {
        Mapping::Spdx { expression, .. } => expression.to_string(),
        Mapping::NoAssertion => "NOASSERTION".into(),
        Mapping::NoLicence => "NONE".into(),
        Mapping::Unlicensed => "UNLICENSED".into(),
        Mapping::SeeFile(f) => format!("SEE LICENSE IN {f}"),
        Mapping::Unknown => "unknown".into(),
    };
    let mut cl = ComponentLicence {
        ecosystem: c.ecosystem,
        name: c.name.clone(),
        version: c.version.clone(),
        purl: c.purl.clone(),
        file: file.to_owned(),
        line: c.line,
        expression,
        confidence: mapping.confidence().map(|c| c.to_string()),
        category,
        verdict: decision.verdict.id().to_owned(),
        obligations: decision
            .obligations
            .iter()
            .map(|o| o.id().to_owned())
            .collect(),
        obligation_ids: decision.obligations.clone(),
        chosen: decision.choices.first().map(|c| c.chosen.clone()),
        terms: if known {
            decision.terms.iter().map(|t| t.licence.clone()).collect()
        } else {
            Vec::new()
        },
        known,
        explanation: Default::default(),
        statements,
        copyright: Vec::new(),
        index: 0,
    };
    let findings =
        crate::licence_findings::findings(ctx, model, own, &mapping, &decision, &cl, idx);
    // An unknown or guessed licence needs no explanation beyond its
    // finding's message (`ProjectLicences::findings_only` drops it).
    let telling = findings
        .iter()
        .any(|f| !matches!(f.check, Check::Unknown | Check::LowConfidence));
    if ctx.explain_all || telling {
        cl.explanation = both(decision.explain());
    }
    (cl, findings)
}
