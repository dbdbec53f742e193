//! The read-only surveys of an estate that need no store: the licence inventory, the
//! third-party notice and the end-of-life forecast. Each reads the estate a chunk of projects
//! at a time and hands results to the front as they come (the inventory), or returns them
//! whole (the notice, the forecast).

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use vigie_audit::licences::ProjectLicences;
use vigie_lifecycle::{Forecast, Platform};
use vigie_model::{Diagnostic, Project};

use crate::Progress;
use crate::config::{
    Config, LifecycleOptions, current_generation, lifecycle_policy, load_lifecycle,
};
use crate::estate::Scanned;
use crate::licensing::Licensing;

/// An estate to survey.
pub struct Survey<'a> {
    /// Its folders.
    pub paths: &'a [PathBuf],
    /// The configuration file given explicitly (else `vigie.toml` in the first folder).
    pub config_file: Option<&'a Path>,
    /// The data directory given, if any.
    pub data_dir: Option<&'a Path>,
    /// Files over this size are refused.
    pub max_file_size: u64,
}

/// What reading the estate met: the walk's diagnostics and the projects'.
pub struct Reading {
    /// The walk and the readers.
    pub scanned: Scanned,
    /// The projects' diagnostics and those of the survey.
    pub diagnostics: Vec<Diagnostic>,
}

impl Survey<'_> {
    fn config(&self) -> anyhow::Result<Config> {
        let first_dir = self.paths.first().filter(|p| p.is_dir());
        Config::load(self.config_file, first_dir.map(|p| p.as_path()))
    }

    /// The licence setup of the current generation; an error when the index has no SPDX
    /// licence list. Also gives the index folder (the notice reads the licence texts there).
    fn licensing(&self) -> anyhow::Result<(Licensing, PathBuf)> {
        let config = self.config()?;
        let index_dir = current_generation(self.data_dir)?.index_dir();
        let Some(lic) = Licensing::load(
            &index_dir,
            &config,
            self.config_file,
            self.paths,
            self.max_file_size,
            &crate::Silent,
        )?
        else {
            anyhow::bail!(
                "the knowledge index has no SPDX licence list: run `vigie sync` \
                 (or sync a mirror that has spdx/licenses.json)"
            );
        };
        Ok((lic, index_dir))
    }

    /// The licence inventory, its setup loaded (an error when the index has no SPDX
    /// licence list): [`LicenceInventory::each`] reads the estate.
    pub fn licences(&self) -> anyhow::Result<LicenceInventory<'_>> {
        let (licensing, _) = self.licensing()?;
        Ok(LicenceInventory {
            survey: self,
            licensing,
        })
    }

    /// What the third-party notice needs: each project's name and licences (without the
    /// findings and explanations), and the licence texts of the index when it has them.
    pub fn notice(&self, progress: &dyn Progress) -> anyhow::Result<NoticeData> {
        let (licensing, index_dir) = self.licensing()?;
        let texts = vigie_knowledge::licences::load_texts(&index_dir);
        let mut projects: Vec<(String, ProjectLicences)> = Vec::new();
        let reading = evaluate_each(self, &licensing, false, progress, |p, mut r| {
            // The notice needs the licences and copyrights, not the explanations.
            r.findings.clear();
            for c in &mut r.components {
                c.explanation = Default::default();
            }
            projects.push((p.name.clone(), r));
            Ok(())
        })?;
        Ok(NoticeData {
            projects,
            texts,
            reading,
        })
    }

    /// The end-of-life forecast of every platform in use over `months` months; an error when
    /// the index has no endoflife.date data.
    pub fn forecast(
        &self,
        lifecycle: &LifecycleOptions,
        months: i32,
        progress: &dyn Progress,
    ) -> anyhow::Result<(Option<Forecast>, Reading)> {
        let config = self.config()?;
        let generation = current_generation(self.data_dir)?;
        let Some(knowledge) = load_lifecycle(&generation.index_dir())? else {
            anyhow::bail!(
                "the knowledge index has no endoflife.date data: run `vigie sync` \
                 (or sync a mirror that has endoflife/products.tar.gz)"
            );
        };
        let policy = lifecycle_policy(lifecycle, &config)?;
        let mut platforms: Vec<Platform> = Vec::new();
        let mut diagnostics = Vec::new();
        let scanned = crate::estate::scan(
            self.paths,
            self.max_file_size,
            Some(vigie_audit::lifecycle::reads),
            progress,
            |projects| {
                let ctx = vigie_audit::lifecycle::LifecycleContext {
                    knowledge: &knowledge,
                    policy,
                };
                let results: Vec<_> = projects
                    .par_iter()
                    .map(|s| {
                        let files = vigie_export::json::component_files(&s.project);
                        vigie_audit::lifecycle::check(&ctx, &s.project, &files, &s.extras)
                    })
                    .collect();
                for (s, r) in projects.iter().zip(results) {
                    platforms.extend(r.platforms);
                    diagnostics.extend(s.project.diagnostics.iter().cloned());
                    diagnostics.extend(r.diagnostics);
                }
                Ok(())
            },
        )?;
        let forecast = (!scanned.nothing).then(|| knowledge.forecast(&platforms, &policy, months));
        Ok((
            forecast,
            Reading {
                scanned,
                diagnostics,
            },
        ))
    }
}

/// What the notice is written from.
pub struct NoticeData {
    /// Each project's name and licences.
    pub projects: Vec<(String, ProjectLicences)>,
    /// The SPDX licence texts of the index, when it has them.
    pub texts: Option<vigie_knowledge::licences::LicenceTexts>,
    /// What reading the estate met.
    pub reading: Reading,
}

/// The licence inventory of a survey, ready to read the estate.
pub struct LicenceInventory<'a> {
    survey: &'a Survey<'a>,
    licensing: Licensing,
}

impl LicenceInventory<'_> {
    /// Every project's licences, every component's decision explained, handed to `each` in
    /// the order read.
    pub fn each(
        &self,
        progress: &dyn Progress,
        mut each: impl FnMut(&Project, &ProjectLicences) -> anyhow::Result<()>,
    ) -> anyhow::Result<Reading> {
        evaluate_each(self.survey, &self.licensing, true, progress, |p, r| {
            each(p, &r)
        })
    }
}

/// Reads the estate of `survey` and evaluates the licences of each project (every
/// decision explained with `explain_all`), handing each result to `each` in the order read.
fn evaluate_each(
    survey: &Survey<'_>,
    licensing: &Licensing,
    explain_all: bool,
    progress: &dyn Progress,
    mut each: impl FnMut(&Project, ProjectLicences) -> anyhow::Result<()>,
) -> anyhow::Result<Reading> {
    let mut diagnostics = Vec::new();
    let scanned = crate::estate::scan(
        survey.paths,
        survey.max_file_size,
        None,
        progress,
        |projects| {
            let results: Vec<_> = projects
                .par_iter()
                .map(|s| licensing.evaluate(&s.project, explain_all))
                .collect();
            for (s, (r, d)) in projects.iter().zip(results) {
                diagnostics.extend(s.project.diagnostics.iter().cloned());
                diagnostics.extend(d);
                each(&s.project, r)?;
            }
            Ok(())
        },
    )?;
    Ok(Reading {
        scanned,
        diagnostics,
    })
}
