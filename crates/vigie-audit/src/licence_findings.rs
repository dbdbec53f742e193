//! The findings of one component's licence evaluation (see [`crate::licences`]).

use vigie_licence::{
    Compat, Decision, DistributionModel, Expression, Lang, Mapping, Obligation, Verdict,
};

use crate::licences::{Check, ComponentLicence, LicenceContext, LicenceFinding};

fn finding(check: Check, idx: usize, en: String, fr: String) -> LicenceFinding {
    LicenceFinding {
        check,
        severity: check.rating(),
        component: idx,
        message: [en, fr],
    }
}

/// The findings of component `idx`.
pub(crate) fn findings(
    ctx: &LicenceContext<'_>,
    model: DistributionModel,
    own: Option<&Expression>,
    mapping: &Mapping,
    decision: &Decision,
    cl: &ComponentLicence,
    idx: usize,
) -> Vec<LicenceFinding> {
    let kb = ctx.knowledge;
    let mut out = Vec::new();
    let what = cl.statements.first().map(|s| s.licence.as_str());
    let unknown = !cl.known;
    if unknown {
        let (en, fr) = match (mapping, what) {
            (_, None) => (
                "no licence found in the files read or in installed metadata".to_owned(),
                "aucune licence trouvée dans les fichiers lus ni dans les métadonnées installées"
                    .to_owned(),
            ),
            (Mapping::NoAssertion, _) => (
                "the SBOM makes no assertion about the licence (NOASSERTION)".to_owned(),
                "le SBOM ne dit rien de la licence (NOASSERTION)".to_owned(),
            ),
            (Mapping::NoLicence, _) => (
                "the SBOM says there is no licence (NONE)".to_owned(),
                "le SBOM indique qu'il n'y a pas de licence (NONE)".to_owned(),
            ),
            (Mapping::SeeFile(f), _) => (
                format!("a custom licence in the file {f}: read it"),
                format!("une licence particulière dans le fichier {f} : à lire"),
            ),
            (_, Some(w)) => {
                let why = kb
                    .list()
                    .parse(w)
                    .err()
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default();
                (
                    format!("the licence {w:?} is not understood{why}"),
                    format!("la licence {w:?} n'est pas reconnue{why}"),
                )
            }
        };
        out.push(finding(Check::Unknown, idx, en, fr));
    }
    if let Mapping::Spdx {
        confidence: vigie_licence::Confidence::Low,
        expression,
        ..
    } = mapping
    {
        let w = what.unwrap_or_default();
        out.push(finding(
            Check::LowConfidence,
            idx,
            format!("{w:?} read as {expression}, a guess: check the licence text"),
            format!(
                "{w:?} lu comme {expression}, une supposition : vérifier le texte de la licence"
            ),
        ));
    }
    // The terms that carry the verdict, each with its deciding reason.
    let why = |l: Lang| {
        decision
            .terms
            .iter()
            .filter(|t| t.verdict == decision.verdict)
            .map(|t| {
                let r = t.reasons.last().map(|r| r.explain().get(l).to_owned());
                format!("{}: {}", t.licence, r.unwrap_or_default())
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let chosen = |l: Lang| match decision.choices.first() {
        Some(c) => match l {
            Lang::En => format!(" (even {}, the most permissive option of the OR)", c.chosen),
            Lang::Fr => format!(" (même {}, l'option la plus permissive du OR)", c.chosen),
        },
        None => String::new(),
    };
    if verdict_is(decision, Verdict::Denied) {
        out.push(finding(
            Check::Denied,
            idx,
            format!("denied{}: {}", chosen(Lang::En), why(Lang::En)),
            format!("refusée{} : {}", chosen(Lang::Fr), why(Lang::Fr)),
        ));
    } else if verdict_is(decision, Verdict::NeedsReview) && !unknown {
        out.push(finding(
            Check::NeedsReview,
            idx,
            format!("to review{}: {}", chosen(Lang::En), why(Lang::En)),
            format!("à examiner{} : {}", chosen(Lang::Fr), why(Lang::Fr)),
        ));
    }
    let copyleft: Vec<_> = decision
        .obligations
        .iter()
        .copied()
        .filter(|o| is_copyleft(*o))
        .collect();
    if !copyleft.is_empty() && !verdict_is(decision, Verdict::Denied) {
        let list = |l: Lang| {
            copyleft
                .iter()
                .map(|o| o.explain().get(l).to_owned())
                .collect::<Vec<_>>()
                .join("; ")
        };
        out.push(finding(
            Check::CopyleftObligation,
            idx,
            format!("in a {}: {}", model.label(Lang::En), list(Lang::En)),
            format!(
                "dans un projet « {} » : {}",
                model.label(Lang::Fr),
                list(Lang::Fr)
            ),
        ));
    }
    if let (Some(own), Some(expr)) = (own, mapping.expression())
        && model.distributes()
    {
        let c = kb.compatible_with_project(own, expr);
        if incompatible(c.compat) {
            let t = c.explain();
            out.push(finding(
                Check::Incompatible,
                idx,
                format!(
                    "{} cannot ship in a project licensed {own}: {}",
                    cl.expression, t.en
                ),
                format!(
                    "{} ne peut être livré dans un projet sous licence {own} : {}",
                    cl.expression, t.fr
                ),
            ));
        }
    }
    out
}

/// The obligations of copyleft: source, licence, relinking.
const COPYLEFT: &[Obligation] = &[
    Obligation::ShareComponentSource,
    Obligation::AllowRelinking,
    Obligation::ShipSource,
    Obligation::SameLicence,
    Obligation::OfferSourceToNetworkUsers,
    Obligation::InstallationInformation,
];

/// Whether an obligation is a copyleft one (source, licence, relinking).
pub fn is_copyleft(o: Obligation) -> bool {
    COPYLEFT.contains(&o)
}

/// Whether `compat` says the component cannot ship in the project.
fn incompatible(c: Compat) -> bool {
    c == Compat::Incompatible
}

fn verdict_is(d: &Decision, v: Verdict) -> bool {
    d.verdict == v
}
