//! vigie's audit checks.
//!
//! - [`vulns`]: components against the OSV advisories of the knowledge index
//!   ([`vulns::Matcher`]), giving [`vulns::VulnFinding`]s.
//! - [`lifecycle`]: platforms and their end of life ([`lifecycle::check`]).
//! - [`licences`]: licences under the distribution model and policy
//!   ([`licences::check`]).
//!
//! [`audit_project`] runs the checks on one [`Project`] of the inventory and
//! gives a [`ProjectAudit`]: the components that have findings, with the
//! file and line they came from, and what could not be checked.

use serde::Serialize;
use vigie_model::{Code, Component, Diagnostic, Ecosystem, Project};

pub mod findings;
mod licence_eval;
mod licence_findings;
mod licence_memo;
pub mod licences;
pub mod lifecycle;
pub mod vulns;

pub use licence_findings::is_copyleft;
pub use vulns::{Matcher, VulnFinding};

/// One component of a project that has findings.
#[derive(Clone, Debug, Serialize)]
pub struct ComponentAudit {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    pub purl: String,
    /// The file it came from, relative to the scan root.
    pub file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    pub findings: Vec<VulnFinding>,
    /// The smallest version that fixes every known vulnerability of the
    /// package, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<String>,
}

/// A component that could not be checked: the index holds no advisory for its ecosystem.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Uncovered {
    pub ecosystem: Ecosystem,
    pub name: String,
    pub version: String,
    pub purl: String,
}

/// The audit of one project.
#[derive(Clone, Debug, Default, Serialize)]
pub struct ProjectAudit {
    pub name: String,
    pub path: String,
    /// Components checked (with a version).
    pub checked: usize,
    /// Components without a version, not checked.
    pub unresolved: usize,
    /// Components with a version that could not be checked because the index holds no
    /// advisory for their ecosystem ("nothing found" would be a guess), distinct, in the
    /// project's order.
    pub uncovered: Vec<Uncovered>,
    pub components: Vec<ComponentAudit>,
    /// Lifecycle findings (end of life, support, unpinned images).
    pub lifecycle: Vec<vigie_lifecycle::Finding>,
    /// The licence check, when it ran (components with findings only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub licences: Option<licences::ProjectLicences>,
    /// Problems met while auditing (versions that do not parse).
    pub diagnostics: Vec<Diagnostic>,
}

/// Audits one project: each distinct (ecosystem, name, version) is matched
/// once; the first file that declares it is the one reported. A component of an ecosystem
/// the index has no advisory for is counted in [`ProjectAudit::uncovered`], not as checked.
pub fn audit_project(
    matcher: Option<&Matcher<'_>>,
    project: &Project,
    component_files: &[&str],
) -> Result<ProjectAudit, vulns::MatchError> {
    let mut audit = ProjectAudit {
        name: project.name.clone(),
        path: project.path.clone(),
        ..ProjectAudit::default()
    };
    let Some(matcher) = matcher else {
        return Ok(audit);
    };
    // foldhash, not SipHash: this set sees every component of the estate.
    let mut seen: std::collections::HashSet<_, foldhash::fast::RandomState> =
        std::collections::HashSet::with_capacity_and_hasher(
            project.components.len(),
            foldhash::fast::RandomState::default(),
        );
    for (i, c) in project.components.iter().enumerate() {
        let Some(version) = c.version.as_deref() else {
            audit.unresolved += 1;
            continue;
        };
        if !seen.insert((c.ecosystem, c.name.as_str(), version)) {
            continue;
        }
        if !matcher.covers(c.ecosystem) {
            audit.uncovered.push(Uncovered {
                ecosystem: c.ecosystem,
                name: c.name.clone(),
                version: version.to_owned(),
                purl: c.purl.clone(),
            });
            continue;
        }
        audit.checked += 1;
        let file = component_files.get(i).copied().unwrap_or_default();
        let m = matcher.match_component(c)?;
        if let Some(e) = &m.version_error {
            let mut d = Diagnostic::warning(
                file,
                Code::UnparsableVersion,
                format!("{} {version}: not checked: {e}", c.name),
            );
            d.line = c.line;
            audit.diagnostics.push(d);
        }
        if !m.findings.is_empty() {
            audit.components.push(component_audit(c, file, m));
        }
    }
    Ok(audit)
}

fn component_audit(c: &Component, file: &str, m: vulns::ComponentMatch) -> ComponentAudit {
    ComponentAudit {
        ecosystem: c.ecosystem,
        name: c.name.clone(),
        version: c.version.clone().unwrap_or_default(),
        purl: c.purl.clone(),
        file: file.to_owned(),
        line: c.line,
        findings: m.findings,
        upgrade: m.upgrade,
    }
}
