//! Projects: folders that hold manifests or lockfiles.

use serde::{Deserialize, Serialize};

use crate::{Component, Diagnostic, Ecosystem};

/// One input file of a project and what its reader made of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileReport {
    /// Path relative to the scan root, with `/` separators.
    pub path: String,
    /// The reader that read it (`cargo-lock`, `package-lock`, ...).
    pub format: String,
    /// Number of components it gave.
    pub components: usize,
}

/// A folder holding at least one manifest, lockfile or SBOM.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// Name from the manifest when there is one, else the folder name.
    pub name: String,
    /// Folder relative to the scan root (`.` for the root itself).
    pub path: String,
    /// The input files read in this folder, with what each gave.
    pub files: Vec<FileReport>,
    /// The components found in `files`; `dependencies` refers to them by index.
    pub components: Vec<Component>,
    /// Edges between `components` (indices): `(from, to)` means `from` depends on `to`.
    pub dependencies: Vec<(u32, u32)>,
    /// Problems found while reading `files`.
    pub diagnostics: Vec<Diagnostic>,
}

impl Project {
    /// The ecosystems of the project's components, sorted and deduplicated.
    pub fn ecosystems(&self) -> Vec<Ecosystem> {
        let mut e: Vec<Ecosystem> = self.components.iter().map(|c| c.ecosystem).collect();
        e.sort();
        e.dedup();
        e
    }
}
