//! The audit of a project as typed [`Finding`]s, with keys stable across snapshots (triage
//! and diff use them) and each family's rating policy applied.
//!
//! Keys (every part as the audit writes it):
//! - `vulnerability/<id>/<project path>/<purl>`;
//! - `lifecycle/<check>/<product>/<project path>/<file>[:<line>]`;
//! - `licence/<check>/<project path>/<purl>`, except unknown licences:
//!   one `licence/unknown/<project path>` per project, whose detail has no
//!   component but the counts and the first [`UNKNOWN_EXAMPLES`] purls
//!   (most lockfiles carry no licence: one finding per component would be
//!   most of an estate's findings, and say nothing more).

use vigie_findings::licence::Check;
use vigie_findings::{
    ComponentRef, Detail, Family, Finding, LicenceDetail, LifecycleDetail, UnknownLicenceFinding,
    UnknownLicencesDetail, VulnerabilityDetail, lifecycle_rating, lifecycle_rule_id,
    lifecycle_where,
};

use crate::ProjectAudit;

/// How many components an unknown-licence finding names.
pub const UNKNOWN_EXAMPLES: usize = 20;

/// Every finding of one audited project.
pub fn findings(a: &ProjectAudit) -> Vec<Finding> {
    let mut out = Vec::new();
    for c in &a.components {
        for f in &c.findings {
            out.push(Finding {
                key: format!("vulnerability/{}/{}/{}", f.id, a.path, c.purl),
                family: Family::Vulnerability,
                id: f.id.clone(),
                aliases: f.aliases.clone(),
                rating: f.effective_rating(),
                project_path: a.path.clone(),
                purl: Some(c.purl.clone()),
                title: f.summary.clone(),
                fixed: c.upgrade.clone().or_else(|| f.fixed.first().cloned()),
                known_exploited: f.known_exploited.is_some(),
                detail: Detail::Vulnerability(Box::new(VulnerabilityDetail {
                    finding: f.clone(),
                    component: ComponentRef {
                        ecosystem: c.ecosystem,
                        name: c.name.clone(),
                        version: c.version.clone(),
                        purl: c.purl.clone(),
                        file: c.file.clone(),
                        line: c.line,
                    },
                    upgrade: c.upgrade.clone(),
                })),
            });
        }
    }
    for f in &a.lifecycle {
        let cycle = f.cycle_label.as_deref().unwrap_or(&f.written);
        out.push(Finding {
            key: format!(
                "{}/{}/{}/{}",
                lifecycle_rule_id(f.check),
                f.product,
                a.path,
                lifecycle_where(f)
            ),
            family: Family::Lifecycle,
            id: format!("{}:{}", f.check.id(), f.product),
            aliases: Vec::new(),
            rating: lifecycle_rating(f),
            project_path: a.path.clone(),
            purl: None,
            title: format!(
                "{} {cycle}: {}",
                f.title,
                f.message(vigie_lifecycle::Lang::En)
            ),
            fixed: f.target.as_ref().map(|t| t.cycle.clone()),
            known_exploited: false,
            detail: Detail::Lifecycle(Box::new(LifecycleDetail { finding: f.clone() })),
        });
    }
    if let Some(l) = &a.licences {
        let mut unknown: Vec<(&str, &str)> = Vec::new();
        for (f, c) in l.findings_with_components() {
            if f.check == Check::Unknown {
                unknown.push((&c.purl, &c.name));
                continue;
            }
            out.push(Finding {
                key: format!("{}/{}/{}", f.check.rule_id(), a.path, c.purl),
                family: Family::Licence,
                id: f.check.rule_id(),
                aliases: Vec::new(),
                rating: f.severity,
                project_path: a.path.clone(),
                purl: Some(c.purl.clone()),
                title: f.message[0].clone(),
                fixed: None,
                known_exploited: false,
                detail: Detail::Licence(Box::new(LicenceDetail {
                    finding: f.clone(),
                    component: c.clone(),
                    model: l.model.to_owned(),
                })),
            });
        }
        if !unknown.is_empty() {
            out.push(unknown_licences(a, l, unknown));
        }
    }
    out
}

/// The one finding of a project's components without a known licence.
fn unknown_licences(
    a: &ProjectAudit,
    l: &crate::licences::ProjectLicences,
    mut unknown: Vec<(&str, &str)>,
) -> Finding {
    unknown.sort_unstable();
    unknown.dedup();
    let n = unknown.len();
    let total = l.components_total.max(n);
    let mut names: Vec<&str> = unknown.iter().map(|(_, name)| *name).collect();
    names.dedup();
    let mut listed = names.iter().take(3).copied().collect::<Vec<_>>().join(", ");
    if names.len() > 3 {
        listed.push_str(", …");
    }
    let en = format!("{n} of {total} components have no known licence ({listed})");
    let fr = format!("{n} composants sur {total} n’ont pas de licence connue ({listed})");
    let examples = unknown
        .iter()
        .take(UNKNOWN_EXAMPLES)
        .map(|(purl, _)| (*purl).to_owned())
        .collect();
    Finding {
        key: format!("{}/{}", Check::Unknown.rule_id(), a.path),
        family: Family::Licence,
        id: Check::Unknown.rule_id(),
        aliases: Vec::new(),
        rating: Check::Unknown.rating(),
        project_path: a.path.clone(),
        purl: None,
        title: en.clone(),
        fixed: None,
        known_exploited: false,
        detail: Detail::UnknownLicences(Box::new(UnknownLicencesDetail {
            finding: UnknownLicenceFinding {
                check: Check::Unknown,
                severity: Check::Unknown.rating(),
                message: [en, fr],
            },
            unknown: n,
            components_total: l.components_total,
            components_known: l.components_known,
            examples,
            model: l.model.to_owned(),
        })),
    }
}
