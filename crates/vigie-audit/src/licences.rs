//! The licence check: each component's licence statements mapped to SPDX,
//! categorised and evaluated under the project's distribution model and the
//! user's policy; findings for what is denied, needs review, triggers a
//! copyleft obligation, clashes with the project's own licence, is unknown,
//! or was mapped from free text with low confidence; and the coverage (the
//! share of components whose licence is known).
//!
//! Components are counted once per (ecosystem, name, version) in a project,
//! and a manifest's unresolved entry not at all when the same package is
//! resolved by a lockfile of the project.
//! Of several statements, the first that maps to a licence is used (the
//! file's own statement comes first, then installed metadata).

use std::collections::{BTreeMap, HashSet};

/// The de-duplication sets of a project's components (millions of lookups on an estate):
/// foldhash, seeded per set, instead of SipHash.
type FastState = foldhash::fast::RandomState;

use serde::Serialize;
use vigie_licence::{DistributionModel, LicenceKnowledge, Mapping, Policy};
use vigie_model::{Ecosystem, Project};

use crate::licence_eval::evaluate;
use crate::licence_memo::Memo;

/// What the check needs for one project.
pub struct LicenceContext<'a> {
    pub knowledge: &'a LicenceKnowledge,
    pub policy: &'a Policy,
    /// The project's model; `None`: the policy's default (an assumption).
    pub model: Option<DistributionModel>,
    /// The project's own licence, as written, and where.
    pub own: Option<Statement>,
    /// Explain the decision of every component (the licence inventory);
    /// `false` explains only the components that have a finding other than
    /// an unknown or guessed licence (the audit, where an estate's millions
    /// of other explanations would be dropped: see
    /// [`ProjectLicences::findings_only`]).
    pub explain_all: bool,
}

pub use vigie_findings::licence::{Check, ComponentLicence, LicenceFinding, Statement};

/// The licence audit of one project.
#[derive(Clone, Debug, Serialize)]
pub struct ProjectLicences {
    /// The distribution model used.
    pub model: &'static str,
    /// Set when the model is the default assumption (en, fr).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assumption: Option<[String; 2]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub own_licence: Option<Statement>,
    /// Components counted (distinct ecosystem, name, version).
    pub components_total: usize,
    /// Of those, with a known licence.
    pub components_known: usize,
    /// Components per category id.
    pub categories: BTreeMap<&'static str, usize>,
    pub components: Vec<ComponentLicence>,
    pub findings: Vec<LicenceFinding>,
}

impl ProjectLicences {
    /// Keeps only the components that have findings (the counts stay those
    /// of every component), for the audit report.
    pub fn findings_only(mut self) -> ProjectLicences {
        // Old index -> new index, in one pass over each list (an estate's
        // project may have thousands of components and findings).
        let mut remap: Vec<Option<usize>> = vec![None; self.components.len()];
        for f in &self.findings {
            if let Some(slot) = remap.get_mut(f.component) {
                *slot = Some(0);
            }
        }
        let mut kept = 0;
        for slot in remap.iter_mut().flatten() {
            *slot = kept;
            kept += 1;
        }
        // Whether every finding of a kept component is unknown or low-confidence.
        let mut plain = vec![true; kept];
        for f in &mut self.findings {
            if let Some(Some(new)) = remap.get(f.component).copied() {
                f.component = new;
                if !matches!(f.check, Check::Unknown | Check::LowConfidence)
                    && let Some(p) = plain.get_mut(new)
                {
                    *p = false;
                }
            }
        }
        let components = std::mem::take(&mut self.components);
        self.components = components
            .into_iter()
            .zip(&remap)
            .filter(|(_, slot)| slot.is_some())
            .map(|(c, _)| c)
            .collect();
        // The finding's message says it all for an unknown licence.
        for (c, plain) in self.components.iter_mut().zip(plain) {
            if plain {
                c.explanation = Default::default();
            }
        }
        self
    }

    /// The findings with their component.
    pub fn findings_with_components(
        &self,
    ) -> impl Iterator<Item = (&LicenceFinding, &ComponentLicence)> {
        self.findings
            .iter()
            .filter_map(|f| self.components.get(f.component).map(|c| (f, c)))
    }

    /// `known / total`, 1 for a project without components.
    pub fn coverage(&self) -> f64 {
        if self.components_total == 0 {
            1.0
        } else {
            self.components_known as f64 / self.components_total as f64
        }
    }
}

fn text(en: String, fr: String) -> [String; 2] {
    [en, fr]
}

/// Runs the licence check on `project`; `statements[i]` are the licence
/// statements of component `i`, `files[i]` the file it came from.
pub fn check(
    ctx: &LicenceContext<'_>,
    project: &Project,
    files: &[&str],
    statements: &[Vec<Statement>],
) -> ProjectLicences {
    let kb = ctx.knowledge;
    let model = ctx.model.unwrap_or(ctx.policy.default_model());
    let own = ctx.own.as_ref().and_then(|o| match kb.map(&o.licence) {
        Mapping::Spdx { expression, .. } => Some(expression),
        _ => None,
    });
    let mut out = ProjectLicences {
        model: model.id(),
        assumption: ctx.model.is_none().then(|| {
            let (en, fr) = DistributionModel::DEFAULT_ASSUMPTION;
            text(en.to_owned(), fr.to_owned())
        }),
        own_licence: ctx.own.clone(),
        components_total: 0,
        components_known: 0,
        categories: BTreeMap::new(),
        components: Vec::new(),
        findings: Vec::new(),
    };
    // A manifest's unresolved entry is the same component as the lockfile's
    // resolved one: counted once.
    let resolved: HashSet<(Ecosystem, &str), FastState> = project
        .components
        .iter()
        .filter(|c| c.version.is_some())
        .map(|c| (c.ecosystem, c.name.as_str()))
        .collect();
    out.components.reserve(project.components.len());
    let mut seen =
        HashSet::with_capacity_and_hasher(project.components.len(), FastState::default());
    let mut memo = Memo::default();
    for (i, c) in project.components.iter().enumerate() {
        if c.version.is_none() && resolved.contains(&(c.ecosystem, c.name.as_str())) {
            continue;
        }
        if !seen.insert((c.ecosystem, c.name.as_str(), c.version.as_deref())) {
            continue;
        }
        let given = statements.get(i).map(Vec::as_slice).unwrap_or_default();
        let file = files.get(i).copied().unwrap_or_default();
        let idx = out.components.len();
        let (mut cl, findings) = if ctx.policy.may_except(Some(&c.purl)) {
            evaluate(ctx, model, own.as_ref(), c, file, given.to_vec(), idx)
        } else {
            let used = memo.used(|t| kb.map(t), given);
            let key = given.get(used).map(|s| s.licence.as_str());
            let mut st = given.to_vec();
            if used > 0 && used < st.len() {
                let s = st.remove(used);
                st.insert(0, s);
            }
            match memo.reuse(key, c, file, st, idx) {
                Some(r) => r,
                None => {
                    let r = evaluate(ctx, model, own.as_ref(), c, file, given.to_vec(), idx);
                    memo.keep(key, &r.0, &r.1);
                    r
                }
            }
        };
        cl.index = i;
        out.components_total += 1;
        out.components_known += usize::from(cl.known);
        *out.categories.entry(cl.category.id()).or_default() += 1;
        out.components.push(cl);
        out.findings.extend(findings);
    }
    out
}
