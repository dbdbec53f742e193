//! The licence check: each component's licence statements (the files read, then installed
//! and vendored metadata) evaluated under the project's distribution model and the
//! `[licences]` policy; the audit keeps the components that have findings.

use std::path::Path;

use vigie_audit::ProjectAudit;

use super::{Check, CheckFamily, CheckKnowledge, LoadOptions, LoadResult, Registration, Shared};
use crate::estate::ScannedProject;
use crate::licensing::Licensing;

/// The registration of the check.
pub const CHECK: Registration = Registration {
    family: CheckFamily::Licences,
    load,
};

fn load(o: &LoadOptions<'_>, index_dir: &Path) -> LoadResult {
    let licensing = Licensing::load(
        index_dir,
        o.config,
        o.config_file,
        o.paths,
        o.max_file_size,
        o.progress,
    )?;
    Ok(licensing.map(|l| Box::new(l) as Box<dyn CheckKnowledge>))
}

impl CheckKnowledge for Licensing {
    fn check<'k>(&'k self, _: &Shared<'k>) -> Box<dyn Check + 'k> {
        Box::new(LicenceCheck(self))
    }
}

struct LicenceCheck<'k>(&'k Licensing);

impl Check for LicenceCheck<'_> {
    fn run(&self, s: &ScannedProject, _: &[&str], a: &mut ProjectAudit) -> anyhow::Result<bool> {
        if s.project.files.is_empty() {
            return Ok(false);
        }
        let (l, d) = self.0.evaluate_with(&s.project, s.evidence.clone(), false);
        a.licences = Some(l.findings_only());
        a.diagnostics.extend(d);
        Ok(false)
    }
}
