//! The checks of `vigie audit` and `vigie scan`, loaded once from the
//! current knowledge generation and run on one project at a time.

use std::path::{Path, PathBuf};

use vigie_audit::lifecycle::LifecycleContext;
use vigie_audit::{Matcher, ProjectAudit, audit_project};
use vigie_knowledge::compile::{Manifest, read_manifest};
use vigie_knowledge::index::Index;

use crate::Progress;
use crate::config::{
    Config, LifecycleOptions, current_generation, lifecycle_policy, load_lifecycle,
};
use crate::estate::ScannedProject;
use crate::licensing::Licensing;

/// A family of audit checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum CheckFamily {
    /// Vulnerabilities and informational advisories (OSV, CISA KEV).
    Vulns,
    /// End of life and support of runtimes, images and frameworks (endoflife.date).
    Lifecycle,
    /// Licences against the distribution model and the `[licences]` policy (SPDX list).
    Licences,
}

impl CheckFamily {
    /// Every family, the default of `vigie audit` and `vigie scan`.
    pub const ALL: [CheckFamily; 3] = [
        CheckFamily::Vulns,
        CheckFamily::Lifecycle,
        CheckFamily::Licences,
    ];
}

/// What the checks read: the index, the lifecycle and licence knowledge.
#[allow(missing_docs)]
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
    /// The check families to load the knowledge of.
    pub checks: &'a [CheckFamily],
    /// Today and the horizon of the lifecycle policy.
    pub lifecycle: &'a LifecycleOptions,
    /// The data directory given by the front, if any.
    pub data_dir: Option<&'a Path>,
    /// The configuration.
    pub config: &'a Config,
    /// The configuration file given explicitly, for located policy errors.
    pub config_file: Option<&'a Path>,
    /// The folders scanned (licence evidence is read under them).
    pub paths: &'a [PathBuf],
    /// Files over this size are refused.
    pub max_file_size: u64,
    /// Where warnings go.
    pub progress: &'a dyn Progress,
}

impl Knowledge {
    /// Loads the knowledge of the current generation for the checks asked.
    pub fn load(o: &LoadOptions<'_>) -> anyhow::Result<Knowledge> {
        let generation = current_generation(o.data_dir)?;
        let index_dir = generation.index_dir();
        let index = Index::open(&index_dir)?;
        let manifest = read_manifest(&index_dir);
        let policy = lifecycle_policy(o.lifecycle, o.config)?;
        let lifecycle = if o.checks.contains(&CheckFamily::Lifecycle) {
            let k = load_lifecycle(&index_dir)?;
            if k.is_none() {
                o.progress.warn(
                    "the knowledge index has no endoflife.date data: lifecycle checks skipped \
                     (sync a mirror with endoflife/products.tar.gz)",
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
                o.progress,
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

/// An estate to read and check: what the audit and the scan share.
pub struct Estate<'a> {
    /// Its folders.
    pub paths: &'a [PathBuf],
    /// The check families to run.
    pub checks: &'a [CheckFamily],
    /// Today and the horizon of the lifecycle policy.
    pub lifecycle: LifecycleOptions,
    /// The configuration file given explicitly (else `vigie.toml` in the first folder).
    pub config_file: Option<&'a Path>,
    /// Files over this size are refused.
    pub max_file_size: u64,
    /// Keep the projects' diagnostics for the outcome (the front shows them).
    pub diagnostics: bool,
}

impl Estate<'_> {
    /// The configuration, and the knowledge of the checks asked, from the data directory
    /// given (else the default one).
    pub fn load(
        &self,
        data_dir: Option<&Path>,
        progress: &dyn Progress,
    ) -> anyhow::Result<(Config, Knowledge)> {
        let first_dir = self.paths.first().filter(|p| p.is_dir());
        let config = Config::load(self.config_file, first_dir.map(|p| p.as_path()))?;
        let knowledge = Knowledge::load(&LoadOptions {
            checks: self.checks,
            lifecycle: &self.lifecycle,
            data_dir,
            config: &config,
            config_file: self.config_file,
            paths: self.paths,
            max_file_size: self.max_file_size,
            progress,
        })?;
        Ok((config, knowledge))
    }
}
