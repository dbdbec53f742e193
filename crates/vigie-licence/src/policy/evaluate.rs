//! Evaluating an expression under a policy: each term gets a verdict and
//! obligations; `OR` keeps the most permissive option (and says which);
//! `AND` keeps the worst verdict and every obligation.

use super::config::Policy;
use super::{DistributionModel, Obligation, Verdict, preset};
use crate::LicenceKnowledge;
use crate::alias::Mapping;
use crate::category::{Category, ExceptionEffect};
use crate::expr::{Expression, LicenceItem, Term};
use crate::i18n::Text;

/// Why a term got its verdict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The preset for this category and model.
    Preset {
        /// The category used (after any exception).
        category: Category,
        /// The model.
        model: DistributionModel,
    },
    /// An exception (`WITH`) changed the category used.
    Exception {
        /// The exception.
        exception: String,
        /// Its effect.
        effect: ExceptionEffect,
    },
    /// The user's allow list.
    AllowList(String),
    /// The user's deny list.
    DenyList(String),
    /// A per-component exception of the user's policy.
    ComponentException(String),
}

impl Reason {
    /// A short explanation in both languages.
    pub fn explain(&self) -> Text {
        match self {
            Reason::Preset { category, model } => Text::new(
                format!(
                    "default policy for a {} licence (distribution model: {})",
                    category.label(crate::Lang::En),
                    model.label(crate::Lang::En)
                ),
                format!(
                    "politique par défaut pour une licence {} (mode de distribution : {})",
                    category.label(crate::Lang::Fr),
                    model.label(crate::Lang::Fr)
                ),
            ),
            Reason::Exception { exception, effect } => {
                let (en, fr) = match effect {
                    ExceptionEffect::Linking => (
                        "lets other code link to it without the copyleft extending",
                        "permet d'y lier d'autre code sans que le copyleft s'étende",
                    ),
                    ExceptionEffect::RuntimeLibrary => (
                        "lets code compiled with this runtime be shipped under any terms",
                        "permet de distribuer sous toute licence le code compilé avec cette bibliothèque d'exécution",
                    ),
                    ExceptionEffect::GeneratedOutput => (
                        "leaves what the tool generates uncovered",
                        "laisse libre ce que l'outil génère",
                    ),
                    ExceptionEffect::FontEmbedding => (
                        "leaves documents embedding the font uncovered",
                        "laisse libres les documents qui incorporent la police",
                    ),
                    ExceptionEffect::Other => (
                        "was not assessed: the licence is judged without it",
                        "n'a pas été évaluée : la licence est jugée sans elle",
                    ),
                };
                Text::new(
                    format!("the exception {exception} {en}"),
                    format!("l'exception {exception} {fr}"),
                )
            }
            Reason::AllowList(e) => Text::new(
                format!("{e} is in the policy's allow list"),
                format!("{e} figure dans la liste des licences autorisées"),
            ),
            Reason::DenyList(e) => Text::new(
                format!("{e} is in the policy's deny list"),
                format!("{e} figure dans la liste des licences refusées"),
            ),
            Reason::ComponentException(why) => Text::new(
                format!("exception granted for this component: {why}"),
                format!("exception accordée pour ce composant : {why}"),
            ),
        }
    }
}

/// The decision for one term of an expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermDecision {
    /// The term, canonical text (or the special value, e.g. `NOASSERTION`).
    pub licence: String,
    /// The licence's own category.
    pub category: Category,
    /// The verdict.
    pub verdict: Verdict,
    /// What the company must do (only those triggered by the model).
    pub obligations: Vec<Obligation>,
    /// Why, in order of application.
    pub reasons: Vec<Reason>,
}

/// Which option of an `OR` was kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The option kept.
    pub chosen: String,
    /// Every option, in the expression's order.
    pub options: Vec<String>,
}

/// The decision for a whole expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The worst verdict of the terms relied on.
    pub verdict: Verdict,
    /// Every obligation of the terms relied on, sorted, once each.
    pub obligations: Vec<Obligation>,
    /// The terms relied on (after the `OR` choices).
    pub terms: Vec<TermDecision>,
    /// The `OR` choices made, outermost first.
    pub choices: Vec<Choice>,
}

impl Decision {
    fn from_term(t: TermDecision) -> Decision {
        let mut obligations = t.obligations.clone();
        obligations.sort();
        obligations.dedup();
        Decision {
            verdict: t.verdict,
            obligations,
            terms: vec![t],
            choices: Vec::new(),
        }
    }

    fn weight(&self) -> u32 {
        self.obligations.iter().map(|o| o.weight()).sum()
    }

    fn worst_category(&self) -> Category {
        self.terms
            .iter()
            .map(|t| t.category)
            .max()
            .unwrap_or(Category::Unknown)
    }

    /// A one-paragraph explanation in both languages.
    pub fn explain(&self) -> Text {
        let mut en = format!("Verdict: {}.", self.verdict.label(crate::Lang::En));
        let mut fr = format!("Verdict : {}.", self.verdict.label(crate::Lang::Fr));
        for c in &self.choices {
            en.push_str(&format!(
                " Of {}, {} is kept.",
                c.options.join(" | "),
                c.chosen
            ));
            fr.push_str(&format!(
                " Parmi {}, {} est retenue.",
                c.options.join(" | "),
                c.chosen
            ));
        }
        for t in &self.terms {
            let reasons: Vec<Text> = t.reasons.iter().map(Reason::explain).collect();
            let join = |l: crate::Lang| {
                reasons
                    .iter()
                    .map(|r| r.get(l).to_owned())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            en.push_str(&format!(" {}: {}.", t.licence, join(crate::Lang::En)));
            fr.push_str(&format!(" {} : {}.", t.licence, join(crate::Lang::Fr)));
        }
        if !self.obligations.is_empty() {
            let list = |l: crate::Lang| {
                self.obligations
                    .iter()
                    .map(|o| o.explain().get(l).to_owned())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            en.push_str(&format!(" Obligations: {}.", list(crate::Lang::En)));
            fr.push_str(&format!(" Obligations : {}.", list(crate::Lang::Fr)));
        }
        Text::new(en, fr)
    }
}

impl Policy {
    /// Evaluates `expr` for a component (its purl, for the exceptions of
    /// the policy) in a project distributed as `model`.
    pub fn evaluate(
        &self,
        kb: &LicenceKnowledge,
        expr: &Expression,
        model: DistributionModel,
        component: Option<&str>,
    ) -> Decision {
        let expr = kb.list().normalise(expr).expression;
        self.eval(kb, &expr, model, component)
    }

    /// Evaluates what a licence string mapped to: an expression as
    /// [`Policy::evaluate`]; npm `UNLICENSED` as proprietary; no assertion,
    /// no licence, a licence file or an unknown string as unknown.
    pub fn evaluate_mapping(
        &self,
        kb: &LicenceKnowledge,
        mapping: &Mapping,
        model: DistributionModel,
        component: Option<&str>,
    ) -> Decision {
        let (label, category) = match mapping {
            Mapping::Spdx { expression, .. } => {
                return self.evaluate(kb, expression, model, component);
            }
            Mapping::Unlicensed => ("UNLICENSED", Category::Proprietary),
            Mapping::NoAssertion => ("NOASSERTION", Category::Unknown),
            Mapping::NoLicence => ("NONE", Category::Unknown),
            Mapping::SeeFile(_) => ("SEE LICENSE IN", Category::Unknown),
            Mapping::Unknown => ("unknown", Category::Unknown),
        };
        let (verdict, obligations) = preset(category, model);
        let mut t = TermDecision {
            licence: label.to_owned(),
            category,
            verdict,
            obligations: obligations.to_vec(),
            reasons: vec![Reason::Preset { category, model }],
        };
        let any = Term {
            licence: LicenceItem::Ref {
                document: None,
                id: label.replace(' ', "-"),
            },
            exception: None,
        };
        if let Some(why) = self.exception_for(component, &any) {
            t.verdict = Verdict::Allowed;
            t.reasons.push(Reason::ComponentException(why.to_owned()));
        }
        Decision::from_term(t)
    }

    fn eval(
        &self,
        kb: &LicenceKnowledge,
        expr: &Expression,
        model: DistributionModel,
        component: Option<&str>,
    ) -> Decision {
        match expr {
            Expression::Term(t) => Decision::from_term(self.term(kb, t, model, component)),
            Expression::And(parts) => {
                let mut out = Decision {
                    verdict: Verdict::Allowed,
                    obligations: Vec::new(),
                    terms: Vec::new(),
                    choices: Vec::new(),
                };
                for p in parts {
                    let d = self.eval(kb, p, model, component);
                    out.verdict = out.verdict.max(d.verdict);
                    out.obligations.extend(d.obligations);
                    out.terms.extend(d.terms);
                    out.choices.extend(d.choices);
                }
                out.obligations.sort();
                out.obligations.dedup();
                out
            }
            Expression::Or(parts) => {
                let options: Vec<(String, Decision)> = parts
                    .iter()
                    .map(|p| (p.to_string(), self.eval(kb, p, model, component)))
                    .collect();
                let best = options
                    .iter()
                    .enumerate()
                    .min_by_key(|(i, (_, d))| (d.verdict, d.weight(), d.worst_category(), *i))
                    .map(|(i, _)| i)
                    .unwrap_or(0);
                let names: Vec<String> = options.iter().map(|(n, _)| n.clone()).collect();
                let Some((chosen, mut d)) = options.into_iter().nth(best) else {
                    return Decision::from_term(self.term(kb, &unknown_term(), model, component));
                };
                d.choices.insert(
                    0,
                    Choice {
                        chosen,
                        options: names,
                    },
                );
                d
            }
        }
    }

    fn term(
        &self,
        kb: &LicenceKnowledge,
        t: &Term,
        model: DistributionModel,
        component: Option<&str>,
    ) -> TermDecision {
        let category = kb.categories().of(kb.list(), &t.licence);
        let mut extra: Vec<Obligation> = match &t.licence {
            LicenceItem::Spdx { id, .. } => kb.categories().extra_obligations(id).to_vec(),
            LicenceItem::Ref { .. } => Vec::new(),
        };
        let mut reasons = Vec::new();
        let mut used = category;
        let copyleft = matches!(
            category,
            Category::WeakCopyleft | Category::StrongCopyleft | Category::NetworkCopyleft
        );
        if let Some(e) = &t.exception {
            let effect = kb.categories().exception_effect(e);
            used = match (effect, copyleft) {
                (ExceptionEffect::Linking | ExceptionEffect::FontEmbedding, true) => {
                    if category == Category::NetworkCopyleft {
                        extra.push(Obligation::OfferSourceToNetworkUsers);
                    }
                    extra.retain(|o| *o != Obligation::AllowRelinking);
                    Category::WeakCopyleft.min(category)
                }
                (ExceptionEffect::RuntimeLibrary | ExceptionEffect::GeneratedOutput, true) => {
                    extra.clear();
                    Category::Permissive
                }
                _ => category,
            };
            reasons.push(Reason::Exception {
                exception: e.to_string(),
                effect,
            });
        }
        let (mut verdict, base) = preset(used, model);
        let mut obligations = base.to_vec();
        if used != Category::PublicDomain {
            obligations.extend(extra.into_iter().filter(|o| o.applies_to(model)));
        }
        obligations.sort();
        obligations.dedup();
        reasons.insert(
            0,
            Reason::Preset {
                category: used,
                model,
            },
        );
        if let Some(why) = self.exception_for(component, t) {
            verdict = Verdict::Allowed;
            reasons.push(Reason::ComponentException(why.to_owned()));
        } else if let Some(d) = Policy::find(&self.deny, t) {
            verdict = Verdict::Denied;
            reasons.push(Reason::DenyList(d.to_string()));
        } else if let Some(a) = Policy::find(&self.allow, t) {
            verdict = Verdict::Allowed;
            reasons.push(Reason::AllowList(a.to_string()));
        }
        TermDecision {
            licence: t.to_string(),
            category,
            verdict,
            obligations,
            reasons,
        }
    }
}

fn unknown_term() -> Term {
    Term {
        licence: LicenceItem::Ref {
            document: None,
            id: "unknown".into(),
        },
        exception: None,
    }
}
