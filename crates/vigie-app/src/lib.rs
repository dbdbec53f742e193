//! vigie's application core: the use cases that every front calls.
//!
//! The command line (`crates/vigie`) and the coming web server are fronts: they parse what the
//! user asked, call these functions, and render what they return. Nothing here prints, reads
//! the command line, or knows a terminal.
//!
//! - [`access`]: passwords, sessions, API tokens and the first admin, on the store.
//! - [`admin`]: users, tokens and the audit log as an admin manages them (the last active
//!   admin kept), and what the knowledge index holds and covers.
//! - [`config`]: `vigie.toml`, the data directory, today and the lifecycle policy, resolved
//!   once.
//! - [`estate`]: the walk and the readers over an estate, a chunk of projects at a time in
//!   bounded memory.
//! - [`hit`]: "are we hit?": an advisory id, a purl or a package range answered with the
//!   projects, owners and fixing versions, and what the knowledge index knows of it.
//! - [`inventory`]: the surveys that need no store: the licence inventory, the notice, the
//!   end-of-life forecast.
//! - [`checks`]: the knowledge of the current generation loaded once, and every check run on
//!   one project ([`checks::Auditor`]).
//! - [`audit`]: the audit of an estate, ignores applied, with the threshold's verdict.
//! - [`licensing`]: the licence setup shared by the audit, the inventory and the notice.
//! - [`output`]: output files written whole, never through a planted link.
//! - [`catalog`]: the catalog files of an estate, found and loaded.
//! - [`scan`]: a snapshot of the estate into the store.
//! - [`store`]: opening the store a front names.
//! - [`sync`]: the knowledge refreshed into a new generation.
//! - [`triage`]: a decision about findings recorded, for every finding its target names.
//! - [`report`]: from a stored snapshot to the risk analysis, the report model, and the
//!   machine outputs (CSV, SARIF, CycloneDX with VEX).
//!
//! Long work reports to a [`Progress`] the front implements (terminal bars, server events).

#![deny(missing_docs)]

pub mod access;
pub mod admin;
pub mod audit;
pub mod catalog;
pub mod checks;
pub mod config;
pub mod estate;
pub mod hit;
pub mod ingest;
pub mod inventory;
pub mod licensing;
pub mod output;
pub mod reaudit;
pub mod report;
pub mod scan;
pub mod store;
pub mod sync;
pub mod triage;

/// What long work tells its front: progress through a stage, and warnings that do not stop
/// it. Implementations must be cheap to call from many threads.
pub trait Progress: Sync {
    /// A stage starts, with its number of steps when known.
    fn start(&self, stage: &str, total: Option<u64>) {
        let _ = (stage, total);
    }
    /// `n` more steps of the current stage are done.
    fn advance(&self, n: u64) {
        let _ = n;
    }
    /// The current stage is over.
    fn finish(&self) {}
    /// Something the user should know that does not stop the work.
    fn warn(&self, message: &str) {
        let _ = message;
    }
    /// True when the front asks the work to stop (checked between chunks of projects).
    fn cancelled(&self) -> bool {
        false
    }
}

/// A [`Progress`] that reports nothing (tests, quiet runs).
pub struct Silent;

impl Progress for Silent {}
