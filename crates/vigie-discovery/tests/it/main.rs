//! The integration tests of `vigie-discovery`, one module per file, in one test binary (one link
//! instead of one per file).

mod cargo;
mod cargo_metadata_licences;
mod common;
mod javascript;
mod jvm;
mod licence_evidence;
mod misc;
mod odd_values;
mod php;
mod python;
mod ruby;
mod sbom;
mod wrong_typed;
