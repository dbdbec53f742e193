//! `Cargo.toml`: names the project. Its components come from `Cargo.lock`.

use serde::Deserialize;
use vigie_model::Ecosystem;

use super::util::parse_toml;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "cargo-toml",
    description: "Cargo.toml (project name only; components come from Cargo.lock)",
    ecosystem: Some(Ecosystem::Cargo),
    matches: |name| name == "Cargo.toml",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Manifest {
    package: Option<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: Option<String>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    if let Some(m) = parse_toml::<Manifest>(input, out) {
        out.project_name = m.package.and_then(|p| p.name);
    }
}
