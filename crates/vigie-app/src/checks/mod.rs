//! The checks of the audit and the scan: each is one module of one shape, its knowledge
//! loaded once from the current generation, then run on one project at a time.
//!
//! A check module has a [`Registration`] (its family and its loader), a type holding its
//! knowledge ([`CheckKnowledge`]: what it read from the index and the configuration), and a
//! runner borrowing that knowledge ([`Check`]), which adds its findings to the project's
//! audit. [`CHECKS`] lists them, in the order they run.
//!
//! Adding a check: copy `checks/lifecycle.rs`, change it, add one line to [`CHECKS`] and a
//! variant to [`CheckFamily`]; its findings reach the store through
//! `vigie_audit::findings` (and the typed `vigie_findings::Finding` of its family).

mod licences;
mod lifecycle;
mod vulns;

use std::path::{Path, PathBuf};

use vigie_audit::ProjectAudit;
use vigie_knowledge::compile::{Manifest, read_manifest};
use vigie_knowledge::index::Index;

use crate::Progress;
use crate::config::{Config, LifecycleOptions, current_generation, lifecycle_policy};
use crate::estate::ScannedProject;

/// Every check, in the order they run on a project.
pub const CHECKS: [Registration; 3] = [vulns::CHECK, lifecycle::CHECK, licences::CHECK];

/// A check's family and how its knowledge is loaded.
pub struct Registration {
    /// The family `--checks` names it by.
    pub family: CheckFamily,
    /// Loads its knowledge from the generation's index folder; `None` (after a warning to
    /// the front) when the index lacks what it needs.
    pub load: Loader,
}

/// A check's loader: its knowledge from the generation's index folder.
pub type Loader = fn(&LoadOptions<'_>, &Path) -> LoadResult;

/// What a loader gives: the check's knowledge, or `None` when the index lacks it.
pub type LoadResult = anyhow::Result<Option<Box<dyn CheckKnowledge>>>;

/// What the checks share: the advisory index and the lifecycle policy (today, the horizon).
pub struct Shared<'k> {
    /// The advisory index of the generation.
    pub index: &'k Index,
    /// Today and the horizon.
    pub policy: vigie_lifecycle::Policy,
}

/// A check's knowledge, loaded once.
pub trait CheckKnowledge: Send + Sync {
    /// The check over this knowledge, ready to run on projects.
    fn check<'k>(&'k self, shared: &Shared<'k>) -> Box<dyn Check + 'k>;
}

/// A check ready to run on projects (shared between threads).
pub trait Check: Sync {
    /// The files besides the inventory formats it reads in a project folder.
    fn reads(&self) -> Option<fn(&str) -> bool> {
        None
    }

    /// Runs on one project (`files[i]` is the file component `i` came from), adding its
    /// findings and diagnostics to `audit`. True when the folder holds something the check
    /// knows (a folder of extra files that nothing knows is not a project).
    fn run(
        &self,
        project: &ScannedProject,
        files: &[&str],
        audit: &mut ProjectAudit,
    ) -> anyhow::Result<bool>;
}

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

/// What the checks read: the generation, its advisory index, the lifecycle policy, and the
/// knowledge of each check asked for.
pub struct Knowledge {
    /// The generation of the data directory read.
    pub generation: vigie_sync::Generation,
    /// Its manifest (when it is there).
    pub manifest: Option<Manifest>,
    /// Its advisory index.
    pub index: Index,
    /// Today and the horizon.
    pub policy: vigie_lifecycle::Policy,
    loaded: Vec<Box<dyn CheckKnowledge>>,
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
        let mut loaded = Vec::new();
        for r in CHECKS.iter().filter(|r| o.checks.contains(&r.family)) {
            loaded.extend((r.load)(o, &index_dir)?);
        }
        Ok(Knowledge {
            generation,
            manifest,
            index,
            policy,
            loaded,
        })
    }

    /// The checks over this knowledge.
    pub fn auditor(&self) -> Auditor<'_> {
        let shared = Shared {
            index: &self.index,
            policy: self.policy,
        };
        Auditor {
            checks: self.loaded.iter().map(|k| k.check(&shared)).collect(),
        }
    }
}

/// The checks, ready to run on projects (shareable between threads).
pub struct Auditor<'k> {
    checks: Vec<Box<dyn Check + 'k>>,
}

impl Auditor<'_> {
    /// The extra files (besides the inventory formats) the checks read (the walk takes one
    /// matcher: the first check's that has one).
    pub fn extra(&self) -> Option<fn(&str) -> bool> {
        self.checks.iter().find_map(|c| c.reads())
    }

    /// Audits one project; `None` when the folder holds only extra files
    /// that run nothing known (it is not a project).
    pub fn audit(&self, s: &ScannedProject) -> anyhow::Result<Option<ProjectAudit>> {
        let p = &s.project;
        let files = vigie_export::json::component_files(p);
        let mut a = ProjectAudit {
            name: p.name.clone(),
            path: p.path.clone(),
            diagnostics: p.diagnostics.clone(),
            ..ProjectAudit::default()
        };
        let mut known = !p.files.is_empty();
        for c in &self.checks {
            known |= c.run(s, &files, &mut a)?;
        }
        Ok(known.then_some(a))
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
    /// The configuration: the file given, else `vigie.toml` in the first folder (held to
    /// the scanned tree's rules, see [`Config::load`]).
    pub fn config(&self) -> anyhow::Result<Config> {
        let first_dir = self.paths.first().filter(|p| p.is_dir());
        Config::load(self.config_file, first_dir.map(|p| p.as_path()))
    }

    /// The configuration, and the knowledge of the checks asked, from the data directory
    /// given (else the default one).
    pub fn load(
        &self,
        data_dir: Option<&Path>,
        progress: &dyn Progress,
    ) -> anyhow::Result<(Config, Knowledge)> {
        let config = self.config()?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_is_registered_once_in_the_documented_order() {
        let families: Vec<CheckFamily> = CHECKS.iter().map(|r| r.family).collect();
        assert_eq!(families, CheckFamily::ALL);
    }
}
