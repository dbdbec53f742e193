//! The audit of an estate: every project read, every check run, the findings the user
//! ignores set aside (`--ignore`, `[[audit.ignore]]` until their day), and the audit report
//! with the threshold's verdict.

use std::path::Path;

use rayon::prelude::*;
use vigie_audit::ProjectAudit;
use vigie_export::RunInfo;
use vigie_export::audit::{AuditReport, Ignored, KnowledgeInfo};
use vigie_model::{Diagnostic, Project};

use crate::Progress;
use crate::checks::Estate;
use crate::config::Threshold;

/// What to audit, and how.
pub struct AuditRequest<'a> {
    /// The estate and its checks.
    pub estate: Estate<'a>,
    /// Advisories to ignore (ids or aliases), beside the configuration's.
    pub ignore: &'a [String],
    /// The threshold given (else `audit.fail-on`).
    pub fail_on: Option<Threshold>,
    /// The data directory given, if any.
    pub data_dir: Option<&'a Path>,
    /// Keep every project read (for a BOM): an estate's projects then stay in memory.
    pub keep_projects: bool,
}

/// What an audit found.
pub struct AuditOutcome {
    /// The report; `None` when nothing could be read at all.
    pub report: Option<AuditReport>,
    /// What the walk met.
    pub walk_diagnostics: Vec<Diagnostic>,
    /// The projects' diagnostics (when asked).
    pub diagnostics: Vec<Diagnostic>,
    /// Error diagnostics over the walk and every project (the result is partial).
    pub errors: usize,
    /// True when a finding is at or over the threshold.
    pub over_threshold: bool,
    /// Every project read, when asked ([`AuditRequest::keep_projects`]), in the order read.
    pub projects: Vec<Project>,
}

/// Audits the estate of `req`.
pub fn audit(req: &AuditRequest<'_>, progress: &dyn Progress) -> anyhow::Result<AuditOutcome> {
    let estate = &req.estate;
    let (config, knowledge) = estate.load(req.data_dir, progress)?;
    let today = knowledge.policy.today;
    let auditor = knowledge.auditor();
    let mut ignores: Vec<Ignored> = req
        .ignore
        .iter()
        .map(|id| Ignored {
            id: id.clone(),
            reason: "--ignore on the command line".to_owned(),
            until: None,
            matched: 0,
        })
        .collect();
    for i in &config.audit.ignore {
        if i.until.is_some_and(|u| u < today) {
            continue;
        }
        ignores.push(Ignored {
            id: i.id.clone(),
            reason: i.reason.clone(),
            until: i.until.map(|u| u.to_string()),
            matched: 0,
        });
    }

    let mut audits: Vec<ProjectAudit> = Vec::new();
    let mut projects_read: Vec<Project> = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    let scanned = crate::estate::scan(
        estate.paths,
        estate.max_file_size,
        auditor.extra(),
        progress,
        |projects| {
            let results: Vec<anyhow::Result<ProjectAudit>> = projects
                .par_iter()
                .filter_map(|s| auditor.audit(s).transpose())
                .collect();
            for r in results {
                let mut a = r?;
                for c in &mut a.components {
                    c.findings.retain(|f| {
                        match ignores.iter_mut().find(|i| f.is_known_as(&i.id)) {
                            Some(i) => {
                                i.matched += 1;
                                false
                            }
                            None => true,
                        }
                    });
                }
                a.components.retain(|c| !c.findings.is_empty());
                if estate.diagnostics {
                    diagnostics.extend(a.diagnostics.iter().cloned());
                }
                audits.push(a);
            }
            if req.keep_projects {
                projects_read.extend(projects.into_iter().map(|s| s.project));
            }
            Ok(())
        },
    )?;
    if scanned.nothing {
        return Ok(AuditOutcome {
            report: None,
            walk_diagnostics: scanned.walk_diagnostics,
            diagnostics,
            errors: scanned.errors,
            over_threshold: false,
            projects: projects_read,
        });
    }
    let run = RunInfo {
        tool_version: env!("CARGO_PKG_VERSION").to_owned(),
        timestamp: jiff::Timestamp::now()
            .strftime("%Y-%m-%dT%H:%M:%SZ")
            .to_string(),
        roots: estate
            .paths
            .iter()
            .map(|p| p.display().to_string())
            .collect(),
    };
    let knowledge = KnowledgeInfo {
        generation: knowledge.generation.id().to_owned(),
        created: knowledge.manifest.as_ref().map(|m| m.created.clone()),
        advisories: knowledge.manifest.as_ref().map_or(0, |m| m.advisories),
        ecosystems: knowledge.index.ecosystems().to_vec(),
    };
    let report = AuditReport::new(&run, knowledge, audits, ignores, &scanned.walk_diagnostics);
    let over_threshold = req
        .fail_on
        .or(config.audit.fail_on)
        .is_some_and(|t| over(&report, t));
    Ok(AuditOutcome {
        report: Some(report),
        walk_diagnostics: scanned.walk_diagnostics,
        diagnostics,
        errors: scanned.errors,
        over_threshold,
        projects: projects_read,
    })
}

/// True when a finding of `report` is at or over `t`: vulnerabilities by their effective
/// rating (informational advisories never), lifecycle and licence findings by theirs.
pub fn over(report: &AuditReport, t: Threshold) -> bool {
    report
        .findings()
        .filter(|(_, f)| !f.kind.is_informational())
        .any(|(_, f)| t.met_by(f.effective_rating()))
        || report
            .projects
            .iter()
            .flat_map(|p| &p.lifecycle)
            .any(|f| t.met_by(vigie_findings::lifecycle_rating(f)))
        || report
            .projects
            .iter()
            .filter_map(|p| p.licences.as_ref())
            .flat_map(|l| &l.findings)
            .any(|f| t.met_by(f.check.rating()))
}
