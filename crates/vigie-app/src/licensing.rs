//! The licence setup shared by the audit, the licence inventory and the notice: the
//! `[licences]` section of `vigie.toml`, the SPDX list of the index, and the evidence on disk
//! (installed packages, the cargo registry cache, vendored sources) gathered per project.
//!
//! ```toml
//! [licences]
//! default-model = "network-service"   # internal | network-service | distributed-binary | library
//! allow = ["MPL-2.0"]
//! deny = ["AGPL-3.0-only", "AGPL-3.0-or-later"]
//!
//! [[licences.exception]]
//! component = "pkg:npm/left-pad"      # a purl; without a version: every version
//! licences = ["WTFPL"]                # optional
//! reason = "Approved by legal, LEG-12"
//!
//! [[licences.project]]
//! path = "services/api"               # the project folder (or its name)
//! model = "network-service"
//! licence = "Apache-2.0"              # optional: the project's own licence
//! ```

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;
use vigie_audit::licences::{LicenceContext, ProjectLicences, Statement};
use vigie_discovery::DiskSource;
use vigie_discovery::licence_evidence::{
    EvidenceSources, ProjectEvidence, RegistryCache, cargo_registry_src, gather,
};
use vigie_licence::{
    ComponentException, DistributionModel, LicenceKnowledge, Policy, PolicyConfig,
};
use vigie_model::{Diagnostic, Project};

use crate::Progress;
use crate::config::Config;

/// The `[licences]` section of `vigie.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct LicencesConfig {
    /// The distribution model of projects that name none (else a distributed binary, assumed).
    pub default_model: Option<DistributionModel>,
    #[serde(default)]
    /// Licences allowed whatever the default policy says.
    pub allow: Vec<String>,
    #[serde(default)]
    /// Licences denied whatever the default policy says.
    pub deny: Vec<String>,
    #[serde(default, rename = "exception")]
    /// Components allowed by an exception, and why.
    pub exceptions: Vec<ComponentException>,
    #[serde(default, rename = "project")]
    /// Per-project models and own licences.
    pub projects: Vec<ProjectSetting>,
}

/// One project's distribution model and own licence.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ProjectSetting {
    /// The project folder (or its name).
    pub path: String,
    /// Its distribution model.
    pub model: Option<DistributionModel>,
    /// Its own licence, when its manifest has none.
    pub licence: Option<String>,
}

/// Everything the licence check needs, loaded once.
pub struct Licensing {
    /// The SPDX list of the index, with vigie's categories.
    pub kb: LicenceKnowledge,
    /// The policy of the configuration.
    pub policy: Policy,
    projects: Vec<ProjectSetting>,
    disk: Evidence,
}

/// Where licence evidence is read on disk: the scanned folders and the cargo registry cache.
pub struct Evidence {
    tree: DiskSource,
    registry: Option<(DiskSource, PathBuf)>,
    cache: RegistryCache,
}

impl Evidence {
    /// The evidence under `paths` (and the cargo registry cache, when there is one).
    pub fn on_disk(paths: &[PathBuf], max_file_size: u64) -> Evidence {
        Evidence {
            tree: DiskSource::new(paths, max_file_size),
            registry: cargo_registry_src()
                .map(|r| (DiskSource::new(std::slice::from_ref(&r), max_file_size), r)),
            cache: RegistryCache::default(),
        }
    }

    /// The licence evidence of `p`: installed and vendored metadata, the cargo registry
    /// cache, its own manifest.
    pub fn gather(&self, p: &Project) -> ProjectEvidence {
        let files = vigie_export::json::component_files(p);
        let sources = EvidenceSources {
            tree: &self.tree,
            cargo_registry: self.registry.as_ref().map(|(s, r)| (s, r.clone())),
            cargo_cache: Some(&self.cache),
        };
        gather(p, &files, &sources)
    }
}

/// The configuration file `Config::load` reads, if any.
fn config_file(explicit: Option<&Path>, first_dir: Option<&Path>) -> Option<PathBuf> {
    explicit.map(Path::to_path_buf).or_else(|| {
        first_dir
            .map(|d| d.join("vigie.toml"))
            .filter(|p| p.is_file())
    })
}

/// `file:line: message` for a policy error, the line found by the entry's text.
fn located(file: Option<&Path>, e: &vigie_licence::ConfigError) -> anyhow::Error {
    let needle = match e {
        vigie_licence::ConfigError::Licence { entry, .. } => Some(entry.clone()),
        vigie_licence::ConfigError::Both(t) => Some(t.clone()),
        vigie_licence::ConfigError::Component { component, .. }
        | vigie_licence::ConfigError::NoReason(component) => Some(component.clone()),
    };
    let Some(file) = file else {
        return anyhow::anyhow!("{e}");
    };
    let line = vigie_fs::read_text_bounded(file, 1 << 20)
        .ok()
        .and_then(|text| {
            let n = needle?;
            text.lines()
                .position(|l| l.contains(&format!("\"{n}\"")) || l.contains(&format!("'{n}'")))
                .map(|i| i + 1)
        });
    match line {
        Some(l) => anyhow::anyhow!("{}:{l}: {e}", file.display()),
        None => anyhow::anyhow!("{}: {e}", file.display()),
    }
}

impl Licensing {
    /// Loads the SPDX list of the index and the policy; `None` (with a
    /// warning to `progress`) when the index has no licence list.
    pub fn load(
        index_dir: &Path,
        config: &Config,
        explicit: Option<&Path>,
        paths: &[PathBuf],
        max_file_size: u64,
        progress: &dyn Progress,
    ) -> anyhow::Result<Option<Licensing>> {
        let Some(list) = vigie_knowledge::licences::load_list(index_dir) else {
            progress.warn(
                "the knowledge index has no SPDX licence list: licence checks skipped \
                 (sync a mirror with spdx/licenses.json)",
            );
            return Ok(None);
        };
        let list = list.context("the SPDX licence list of the index: run `vigie sync` again")?;
        let kb = LicenceKnowledge::new(list)?;
        let c = &config.licences;
        let pc = PolicyConfig {
            default_model: c.default_model,
            allow: c.allow.clone(),
            deny: c.deny.clone(),
            exceptions: c.exceptions.clone(),
        };
        let file = config_file(
            explicit,
            paths.first().filter(|p| p.is_dir()).map(|p| p.as_path()),
        );
        let policy = Policy::new(&pc, &kb).map_err(|e| located(file.as_deref(), &e))?;
        Ok(Some(Licensing {
            kb,
            policy,
            projects: c.projects.clone(),
            disk: Evidence::on_disk(paths, max_file_size),
        }))
    }

    fn setting(&self, p: &Project) -> Option<&ProjectSetting> {
        self.projects.iter().find(|s| {
            let want = s.path.trim_end_matches('/');
            p.path == want || p.path.ends_with(&format!("/{want}")) || p.name == want
        })
    }

    /// The licence check of one project, with the evidence found on disk.
    /// `explain_all`: explain every component's decision, not only those
    /// with findings.
    pub fn evaluate(&self, p: &Project, explain_all: bool) -> (ProjectLicences, Vec<Diagnostic>) {
        self.evaluate_with(p, None, explain_all)
    }

    /// [`evaluate`](Self::evaluate) with the evidence given (gathered on the machine that
    /// read the files), else gathered from disk.
    pub fn evaluate_with(
        &self,
        p: &Project,
        evidence: Option<ProjectEvidence>,
        explain_all: bool,
    ) -> (ProjectLicences, Vec<Diagnostic>) {
        let files = vigie_export::json::component_files(p);
        let ev = evidence.unwrap_or_else(|| self.disk.gather(p));
        let statements: Vec<Vec<Statement>> = ev
            .components
            .iter()
            .map(|c| {
                c.licences
                    .iter()
                    .map(|e| Statement {
                        licence: e.licence.clone(),
                        kind: e.kind.id().to_owned(),
                        file: e.file.clone(),
                    })
                    .collect()
            })
            .collect();
        let setting = self.setting(p);
        let own = setting
            .and_then(|s| s.licence.clone())
            .map(|licence| Statement {
                licence,
                kind: "config".into(),
                file: "vigie.toml".into(),
            })
            .or_else(|| {
                ev.own.map(|o| Statement {
                    licence: o.licence,
                    kind: o.kind.id().to_owned(),
                    file: o.file,
                })
            });
        let ctx = LicenceContext {
            knowledge: &self.kb,
            policy: &self.policy,
            model: setting.and_then(|s| s.model),
            own,
            explain_all,
        };
        let mut r = vigie_audit::licences::check(&ctx, p, &files, &statements);
        for c in &mut r.components {
            if let Some(e) = ev.components.get(c.index) {
                c.copyright = e.copyright.clone();
            }
        }
        (r, ev.diagnostics)
    }
}
