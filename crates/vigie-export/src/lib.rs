//! Machine outputs of an inventory, from the domain model to bytes.
//!
//! - [`json::InventoryWriter`]: vigie's own versioned JSON schema
//!   (`docs/schemas/inventory.v1.schema.json`), written project by project so
//!   that an estate of any size streams in bounded memory.
//! - [`cyclonedx`]: CycloneDX 1.6, one BOM for the whole scan ([`cyclonedx::bom`]), with
//!   the vulnerabilities and their VEX analysis ([`cyclonedx::vex`]), or streamed from a
//!   stored snapshot ([`cyclonedx::stream`]).
//! - [`spdx::document`]: one SPDX 2.3 document for the whole scan.
//! - [`audit::AuditReport`]: the audit JSON (`docs/schemas/audit.v1.schema.json`)
//!   and its Markdown rendering.
//! - [`sarif::write`]: findings as SARIF 2.1.0.
//!
//! The SARIF and CycloneDX writers read typed findings (`vigie_findings::Finding`), each with
//! its triage when the caller keeps triage ([`triage::Triaged`]): `vigie audit` and
//! `vigie report` write through the same functions.
//!
//! **Architecture invariant:** no IO and no clock. Writers take an
//! `impl Write`; the creation time and tool version are given by the caller.

pub mod audit;
pub mod cyclonedx;
#[cfg(test)]
mod fixtures;
pub mod json;
pub mod licences;
pub mod notice;
pub mod sarif;
pub mod spdx;
pub mod triage;

/// What the caller knows about the run, stamped into every output.
#[derive(Clone, Debug)]
pub struct RunInfo {
    pub tool_version: String,
    /// RFC 3339 UTC timestamp of the scan.
    pub timestamp: String,
    /// The scanned roots, as given.
    pub roots: Vec<String>,
}

/// A project's name where only its path is known: the last part of the path.
pub fn project_name(path: &str) -> &str {
    path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path)
}

/// A short stable hash (FNV-1a, 64 bits) for identifiers derived from content.
pub(crate) fn fnv64(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}
