//! The licence evidence of a project's components: what the files read say
//! (SBOMs, `package-lock.json`, `composer.lock`...) and what installed or
//! vendored metadata on disk says (`node_modules/<name>/package.json`,
//! `*.dist-info/METADATA` in the project's virtualenvs, the cargo registry's
//! source cache, `vendor/`), each with the file it came from; the copyright
//! lines of the licence files found beside installed packages; and the
//! project's own licence from its manifest.
//!
//! Every file is read through [`DiskSource`] (the scanned roots, or the
//! cargo registry as its own root): no path escapes them, and files over
//! the size limit are refused. A file that is absent is no evidence; one
//! that cannot be read or parsed becomes a warning diagnostic.

mod installed;
mod metadata;

use std::path::{Path, PathBuf};

use serde::Serialize;
use vigie_model::{Code, Diagnostic, Ecosystem, Project};

use crate::source::{DiskSource, SourceError};

pub use metadata::{
    cargo_toml_licence, copyright_lines, dist_info_licence, package_json_licence, pyproject_licence,
};

/// Where a licence was read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// The file the component was found in (SBOM, lockfile).
    Declared,
    /// `node_modules/<name>/package.json` (`license`, legacy `licenses`).
    NodeModules,
    /// A Python `*.dist-info/METADATA` (`License-Expression`, `License`,
    /// classifiers).
    DistInfo,
    /// `$CARGO_HOME/registry/src/*/<name>-<version>/Cargo.toml`.
    CargoRegistry,
    /// `vendor/<name>/Cargo.toml` or `vendor/<vendor>/<name>/composer.json`.
    Vendored,
    /// The project's own manifest (its own licence).
    Manifest,
}

impl EvidenceKind {
    /// The stable machine id.
    pub fn id(self) -> &'static str {
        match self {
            EvidenceKind::Declared => "declared",
            EvidenceKind::NodeModules => "node-modules",
            EvidenceKind::DistInfo => "dist-info",
            EvidenceKind::CargoRegistry => "cargo-registry",
            EvidenceKind::Vendored => "vendored",
            EvidenceKind::Manifest => "manifest",
        }
    }
}

/// One licence statement and where it was read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The licence as written (an SPDX expression or free text).
    pub licence: String,
    pub kind: EvidenceKind,
    /// The file, as a display path (scan-root relative, or absolute for
    /// the cargo registry).
    pub file: String,
}

/// The evidence of one component.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ComponentEvidence {
    /// Licence statements, the declared one first.
    pub licences: Vec<Evidence>,
    /// Copyright lines of the licence files found beside the installed
    /// package, once each.
    pub copyright: Vec<String>,
}

/// The evidence of one project.
#[derive(Clone, Debug, Default)]
pub struct ProjectEvidence {
    /// One per component of the project, in the same order.
    pub components: Vec<ComponentEvidence>,
    /// The project's own licence, from its manifest.
    pub own: Option<Evidence>,
    /// Files that could not be read or understood.
    pub diagnostics: Vec<Diagnostic>,
}

/// Where to look beyond the scanned tree.
pub struct EvidenceSources<'a> {
    /// The scanned roots.
    pub tree: &'a DiskSource,
    /// The cargo registry source cache (`$CARGO_HOME/registry/src`), as a
    /// source rooted there, with its path.
    pub cargo_registry: Option<(&'a DiskSource, PathBuf)>,
    /// What the registry gave for each crate already looked up, shared
    /// between the projects of a scan (an estate has the same crates in
    /// many projects); `None` looks every crate up again.
    pub cargo_cache: Option<&'a RegistryCache>,
}

/// The registry evidence of each `<name>-<version>` looked up: its
/// licences and copyright lines (empty when the crate is not in the cache).
#[derive(Debug, Default)]
pub struct RegistryCache {
    found: std::sync::Mutex<std::collections::HashMap<String, CachedCrate>>,
}

/// A crate's licences and copyright lines, as the registry gave them.
type CachedCrate = (Vec<Evidence>, Vec<String>);

impl RegistryCache {
    pub(crate) fn get(&self, key: &str) -> Option<CachedCrate> {
        self.found.lock().ok()?.get(key).cloned()
    }

    pub(crate) fn put(&self, key: String, value: CachedCrate) {
        if let Ok(mut m) = self.found.lock() {
            m.insert(key, value);
        }
    }
}

/// Most directory entries listed in one folder (a virtualenv's
/// `site-packages`, the registry cache); the rest are ignored.
pub const MAX_LISTED: usize = 100_000;

/// `$CARGO_HOME/registry/src` (`CARGO_HOME`, else `~/.cargo`), when it exists.
pub fn cargo_registry_src() -> Option<PathBuf> {
    let home = std::env::var_os("CARGO_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cargo"))
        })?;
    let src = home.join("registry/src");
    src.is_dir().then_some(src)
}

/// Gathers the evidence of `project`; `component_files[i]` is the file
/// component `i` was read from.
pub fn gather(
    project: &Project,
    component_files: &[&str],
    sources: &EvidenceSources<'_>,
) -> ProjectEvidence {
    let mut out = ProjectEvidence {
        components: vec![ComponentEvidence::default(); project.components.len()],
        ..ProjectEvidence::default()
    };
    for (i, c) in project.components.iter().enumerate() {
        if let (Some(l), Some(e)) = (&c.licence, out.components.get_mut(i)) {
            e.licences.push(Evidence {
                licence: l.clone(),
                kind: EvidenceKind::Declared,
                file: component_files
                    .get(i)
                    .copied()
                    .unwrap_or_default()
                    .to_owned(),
            });
        }
    }
    let dir = Path::new(&project.path);
    let mut ctx = installed::Ctx {
        tree: sources.tree,
        dir,
        diagnostics: &mut out.diagnostics,
    };
    let ecosystems = project.ecosystems();
    if ecosystems.contains(&Ecosystem::Npm) {
        installed::node_modules(&mut ctx, project, &mut out.components);
    }
    if ecosystems.contains(&Ecosystem::PyPI) {
        installed::dist_info(&mut ctx, project, &mut out.components);
    }
    if ecosystems.contains(&Ecosystem::Cargo) {
        installed::vendored_crates(&mut ctx, project, &mut out.components);
        if let Some((src, root)) = &sources.cargo_registry {
            installed::cargo_registry(
                &mut ctx,
                src,
                root,
                sources.cargo_cache,
                project,
                &mut out.components,
            );
        }
    }
    if ecosystems.contains(&Ecosystem::Packagist) {
        installed::vendored_composer(&mut ctx, project, &mut out.components);
    }
    out.own = installed::own_licence(&mut ctx);
    out
}

/// Reads `path` through `source`: `None` when it does not exist, a
/// diagnostic for any other failure.
pub(crate) fn read_opt(
    source: &DiskSource,
    path: &Path,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<(String, String)> {
    let display = path.to_string_lossy().replace('\\', "/");
    match source.read(&display) {
        Ok(text) => Some((display, text)),
        Err(SourceError::NotFound(_)) => None,
        Err(e) => {
            diagnostics.push(Diagnostic::warning(
                display.as_str(),
                Code::UnreadableLicenceEvidence,
                e.to_string(),
            ));
            None
        }
    }
}
