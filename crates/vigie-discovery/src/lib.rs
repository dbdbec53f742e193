//! Discovery: from a tree of folders to projects and their components.
//!
//! [`walk`] finds the supported files of a tree (honouring `.gitignore`,
//! skipping `node_modules`, `target`, `vendor` and `.git`, never following a
//! link), [`registry`] says which [`Reader`] reads each file, and
//! [`scan_project`] reads every file of one project folder into a
//! [`vigie_model::Project`]. [`licence_evidence`] gathers the licences of a
//! project's components from installed and vendored metadata on disk.
//!
//! Every reader is one file of the same shape in `readers/`: a `READER`
//! constant naming the format, the file names it matches, and a `read`
//! function from an [`Input`] to an [`Output`]. Readers never panic and never
//! fail as a whole: what they cannot read becomes a [`vigie_model::Diagnostic`]
//! and the good part is kept.
//!
//! **Architecture invariant:** readers do no IO themselves. A reader that needs
//! another file (a parent POM, `go.sum`, a `-r` include) asks the
//! [`FileSource`] it is given, which refuses paths outside the scanned tree.

mod hash;
pub mod ignore_rules;
mod input;
pub mod licence_evidence;
pub mod readers;
pub mod registry;
mod scan;
mod source;
mod walk;

pub use input::{Input, Output, Reader};
pub use scan::{ScanOptions, read_file_as, scan_project};
pub use source::{DiskSource, FileSource, MemorySource, SourceError};
pub use walk::{FoundFile, ProjectDir, WalkError, walk, walk_with};

/// Files larger than this are refused with a diagnostic, so that memory stays
/// bounded whatever the input (overridable in [`ScanOptions`]).
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The revision of what the readers give for a file. It changes with every change that makes
/// a reader give other components (or other purls) for the same bytes, so that a rescan,
/// whose fingerprint of a project includes it, reads the project again instead of carrying
/// what older readers gave: vigie's version alone does not move between the builds of one
/// release. 2: Composer versions keep their `v`; a `package.json` with no lockfile lists its
/// dependencies (issue 17).
pub const READERS_REVISION: u32 = 2;
