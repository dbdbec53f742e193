//! The lifecycle check: what runs where (runtime declarations, images, components that are
//! products) mapped to the endoflife.date calendar compiled in the index, evaluated against
//! the policy's today and horizon.

use std::path::Path;

use vigie_audit::ProjectAudit;
use vigie_audit::lifecycle::LifecycleContext;

use super::{Check, CheckFamily, CheckKnowledge, LoadOptions, LoadResult, Registration, Shared};
use crate::config::load_lifecycle;
use crate::estate::ScannedProject;

/// The registration of the check.
pub const CHECK: Registration = Registration {
    family: CheckFamily::Lifecycle,
    load,
};

/// The product calendar of the index.
struct Lifecycle(vigie_lifecycle::Knowledge);

fn load(o: &LoadOptions<'_>, index_dir: &Path) -> LoadResult {
    let Some(k) = load_lifecycle(index_dir)? else {
        o.progress.warn(
            "the knowledge index has no endoflife.date data: lifecycle checks skipped \
             (sync a mirror with endoflife/products.tar.gz)",
        );
        return Ok(None);
    };
    Ok(Some(Box::new(Lifecycle(k))))
}

impl CheckKnowledge for Lifecycle {
    fn check<'k>(&'k self, shared: &Shared<'k>) -> Box<dyn Check + 'k> {
        Box::new(LifecycleCheck(LifecycleContext {
            knowledge: &self.0,
            policy: shared.policy,
        }))
    }
}

struct LifecycleCheck<'k>(LifecycleContext<'k>);

impl Check for LifecycleCheck<'_> {
    fn reads(&self) -> Option<fn(&str) -> bool> {
        Some(vigie_audit::lifecycle::reads)
    }

    fn run(
        &self,
        s: &ScannedProject,
        files: &[&str],
        a: &mut ProjectAudit,
    ) -> anyhow::Result<bool> {
        let r = vigie_audit::lifecycle::check(&self.0, &s.project, files, &s.extras);
        a.lifecycle = r.findings;
        a.diagnostics.extend(r.diagnostics);
        Ok(!r.platforms.is_empty())
    }
}
