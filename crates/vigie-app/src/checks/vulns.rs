//! The vulnerability check: every component with a version matched against the OSV
//! advisories of the generation's index (`vigie_audit::Matcher`, which caches each package's
//! compiled advisories, so an estate is matched once per distinct package).

use std::path::Path;

use vigie_audit::{Matcher, ProjectAudit, audit_project};

use super::{Check, CheckFamily, CheckKnowledge, LoadOptions, LoadResult, Registration, Shared};
use crate::estate::ScannedProject;

/// The registration of the check.
pub const CHECK: Registration = Registration {
    family: CheckFamily::Vulns,
    load,
};

/// Its knowledge is the shared advisory index: nothing of its own to load.
struct Vulns;

fn load(_: &LoadOptions<'_>, _: &Path) -> LoadResult {
    Ok(Some(Box::new(Vulns)))
}

impl CheckKnowledge for Vulns {
    fn check<'k>(&'k self, shared: &Shared<'k>) -> Box<dyn Check + 'k> {
        Box::new(VulnCheck {
            matcher: Matcher::new(shared.index),
        })
    }
}

struct VulnCheck<'k> {
    matcher: Matcher<'k>,
}

impl Check for VulnCheck<'_> {
    fn run(
        &self,
        s: &ScannedProject,
        files: &[&str],
        a: &mut ProjectAudit,
    ) -> anyhow::Result<bool> {
        let v = audit_project(Some(&self.matcher), &s.project, files)?;
        a.checked = v.checked;
        a.unresolved = v.unresolved;
        a.uncovered = v.uncovered;
        a.components = v.components;
        a.diagnostics.extend(v.diagnostics);
        Ok(false)
    }
}
