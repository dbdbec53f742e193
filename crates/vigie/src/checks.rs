//! The checks of `vigie audit` and `vigie scan`, loaded once from the
//! current knowledge generation and run on one project at a time.

use std::path::{Path, PathBuf};

use vigie_audit::lifecycle::LifecycleContext;
use vigie_audit::{Matcher, ProjectAudit, audit_project};
use vigie_knowledge::compile::{Manifest, read_manifest};
use vigie_knowledge::index::Index;

use crate::cli::{CheckFamily, DataDirArgs, LifecycleArgs};
use crate::commands::licences::Licensing;
use crate::estate::ScannedProject;
use crate::settings::{Config, current_generation, lifecycle_policy, load_lifecycle};

/// What the checks read: the index, the lifecycle and licence knowledge.
pub struct Knowledge {
    pub generation: vigie_sync::Generation,
    pub manifest: Option<Manifest>,
    pub index: Index,
    pub lifecycle: Option<vigie_lifecycle::Knowledge>,
    pub policy: vigie_lifecycle::Policy,
    pub licensing: Option<Licensing>,
}

/// How to load [`Knowledge`].
pub struct LoadOptions<'a> {
    pub checks: &'a [CheckFamily],
    pub lifecycle: &'a LifecycleArgs,
    pub data: &'a DataDirArgs,
    pub config: &'a Config,
    pub config_file: Option<&'a Path>,
    pub paths: &'a [PathBuf],
    pub max_file_size: u64,
    pub quiet: bool,
}

impl Knowledge {
    pub fn load(o: &LoadOptions<'_>) -> anyhow::Result<Knowledge> {
        let generation = current_generation(o.data)?;
        let index_dir = generation.index_dir();
        let index = Index::open(&index_dir)?;
        let manifest = read_manifest(&index_dir);
        let policy = lifecycle_policy(o.lifecycle, o.config)?;
        let lifecycle = if o.checks.contains(&CheckFamily::Lifecycle) {
            let k = load_lifecycle(&index_dir)?;
            if k.is_none() && !o.quiet {
                eprintln!(
                    "vigie: warning: the knowledge index has no endoflife.date data: \
                     lifecycle checks skipped (sync a mirror with endoflife/products.tar.gz)"
                );
            }
            k
        } else {
            None
        };
        let licensing = if o.checks.contains(&CheckFamily::Licences) {
            Licensing::load(
                &index_dir,
                o.config,
                o.config_file,
                o.paths,
                o.max_file_size,
                o.quiet,
            )?
        } else {
            None
        };
        Ok(Knowledge {
            generation,
            manifest,
            index,
            lifecycle,
            policy,
            licensing,
        })
    }

    /// The checks over this knowledge.
    pub fn auditor(&self, checks: &[CheckFamily]) -> Auditor<'_> {
        Auditor {
            matcher: checks
                .contains(&CheckFamily::Vulns)
                .then(|| Matcher::new(&self.index)),
            lifecycle: self.lifecycle.as_ref().map(|k| LifecycleContext {
                knowledge: k,
                policy: self.policy,
            }),
            licensing: self.licensing.as_ref(),
        }
    }
}

/// The checks, ready to run on projects (shareable between threads).
pub struct Auditor<'k> {
    matcher: Option<Matcher<'k>>,
    lifecycle: Option<LifecycleContext<'k>>,
    licensing: Option<&'k Licensing>,
}

impl Auditor<'_> {
    /// The extra files (besides the inventory formats) the checks read.
    pub fn extra(&self) -> Option<fn(&str) -> bool> {
        self.lifecycle
            .is_some()
            .then_some(vigie_audit::lifecycle::reads as fn(&str) -> bool)
    }

    /// Audits one project; `None` when the folder holds only extra files
    /// that run nothing known (it is not a project).
    pub fn audit(&self, s: &ScannedProject) -> anyhow::Result<Option<ProjectAudit>> {
        let p = &s.project;
        let files = vigie_export::json::component_files(p);
        let mut a = audit_project(self.matcher.as_ref(), p, &files)?;
        a.diagnostics.splice(0..0, p.diagnostics.iter().cloned());
        if let Some(ctx) = &self.lifecycle {
            let r = vigie_audit::lifecycle::check(ctx, p, &files, &s.extras);
            a.lifecycle = r.findings;
            a.diagnostics.extend(r.diagnostics);
            if p.files.is_empty() && r.platforms.is_empty() {
                return Ok(None);
            }
        }
        if let Some(lic) = self.licensing
            && !p.files.is_empty()
        {
            let (l, d) = lic.evaluate(p, false);
            a.licences = Some(l.findings_only());
            a.diagnostics.extend(d);
        }
        Ok(Some(a))
    }
}
