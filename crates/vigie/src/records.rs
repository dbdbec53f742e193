//! The audit of a project as the store keeps it: one [`FindingRecord`] per
//! finding, with a key stable across snapshots (triage and diff use it).
//!
//! Keys (every part as the audit writes it):
//! - `vulnerability/<id>/<project path>/<purl>`;
//! - `lifecycle/<check>/<product>/<project path>/<file>[:<line>]`;
//! - `licence/<check>/<project path>/<purl>`, except unknown licences:
//!   one `licence/unknown/<project path>` per project, whose `json` has no
//!   `component` but the counts and the first [`UNKNOWN_EXAMPLES`] purls
//!   (most lockfiles carry no licence: one record per component would be
//!   most of an estate's findings, and say nothing more).
//!
//! `json` holds the finding as the audit reports it, under `finding`, and
//! what it is about: `component` (ecosystem, name, version, purl, file, line)
//! for vulnerabilities and licences, and `upgrade` (the smallest version
//! that fixes every known vulnerability of the package) when there is one.

use serde_json::json;
use vigie_audit::ProjectAudit;
use vigie_audit::licences::Check;
use vigie_export::audit::{effective_rating, lifecycle_rating, lifecycle_where};
use vigie_store::FindingRecord;

/// How many components an unknown-licence record names.
pub const UNKNOWN_EXAMPLES: usize = 20;

/// Every finding of one audited project.
pub fn findings(a: &ProjectAudit) -> Vec<FindingRecord> {
    let mut out = Vec::new();
    for c in &a.components {
        for f in &c.findings {
            out.push(FindingRecord {
                key: format!("vulnerability/{}/{}/{}", f.id, a.path, c.purl),
                family: "vulnerability".to_owned(),
                id: f.id.clone(),
                aliases: f.aliases.clone(),
                rating: effective_rating(f).as_str().to_owned(),
                project_path: a.path.clone(),
                purl: Some(c.purl.clone()),
                title: f.summary.clone(),
                fixed: c.upgrade.clone().or_else(|| f.fixed.first().cloned()),
                known_exploited: f.known_exploited.is_some(),
                json: json!({
                    "finding": f,
                    "component": {
                        "ecosystem": c.ecosystem,
                        "name": c.name,
                        "version": c.version,
                        "purl": c.purl,
                        "file": c.file,
                        "line": c.line,
                    },
                    "upgrade": c.upgrade,
                }),
            });
        }
    }
    for f in &a.lifecycle {
        let cycle = f.cycle_label.as_deref().unwrap_or(&f.written);
        out.push(FindingRecord {
            key: format!(
                "lifecycle/{}/{}/{}/{}",
                f.check.id(),
                f.product,
                a.path,
                lifecycle_where(f)
            ),
            family: "lifecycle".to_owned(),
            id: format!("{}:{}", f.check.id(), f.product),
            aliases: Vec::new(),
            rating: lifecycle_rating(f).as_str().to_owned(),
            project_path: a.path.clone(),
            purl: None,
            title: format!(
                "{} {cycle}: {}",
                f.title,
                f.message(vigie_lifecycle::Lang::En)
            ),
            fixed: f.target.as_ref().map(|t| t.cycle.clone()),
            known_exploited: false,
            json: json!({ "finding": f }),
        });
    }
    if let Some(l) = &a.licences {
        let mut unknown: Vec<(&str, &str)> = Vec::new();
        for (f, c) in l.findings_with_components() {
            if f.check == Check::Unknown {
                unknown.push((&c.purl, &c.name));
                continue;
            }
            out.push(FindingRecord {
                key: format!("licence/{}/{}/{}", f.check.id(), a.path, c.purl),
                family: "licence".to_owned(),
                id: format!("licence/{}", f.check.id()),
                aliases: Vec::new(),
                rating: f.severity.to_owned(),
                project_path: a.path.clone(),
                purl: Some(c.purl.clone()),
                title: f.message[0].clone(),
                fixed: None,
                known_exploited: false,
                json: json!({
                    "finding": f,
                    "component": c,
                    "model": l.model,
                }),
            });
        }
        if !unknown.is_empty() {
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
            let examples: Vec<&str> = unknown
                .iter()
                .take(UNKNOWN_EXAMPLES)
                .map(|(purl, _)| *purl)
                .collect();
            out.push(FindingRecord {
                key: format!("licence/unknown/{}", a.path),
                family: "licence".to_owned(),
                id: "licence/unknown".to_owned(),
                aliases: Vec::new(),
                rating: Check::Unknown.severity().to_owned(),
                project_path: a.path.clone(),
                purl: None,
                title: en.clone(),
                fixed: None,
                known_exploited: false,
                json: json!({
                    "finding": {
                        "check": Check::Unknown.id(),
                        "severity": Check::Unknown.severity(),
                        "message": [en, fr],
                    },
                    "unknown": n,
                    "components_total": l.components_total,
                    "components_known": l.components_known,
                    "examples": examples,
                    "model": l.model,
                }),
            });
        }
    }
    out
}
