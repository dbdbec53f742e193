//! `composer.json`: names the project (`name`, `vendor/package`). Its
//! components come from `composer.lock`: the constraints a manifest declares
//! are not what is installed.

use serde::Deserialize;
use vigie_model::Ecosystem;

use super::util::parse_json;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "composer-json",
    description: "composer.json (project name only; components come from composer.lock)",
    ecosystem: Some(Ecosystem::Packagist),
    matches: |name| name == "composer.json",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Manifest {
    name: Option<String>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    if let Some(m) = parse_json::<Manifest>(input, out) {
        out.project_name = m.name.filter(|n| !n.trim().is_empty());
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    #[test]
    fn names_the_project() {
        let text = r#"{"name": "bookstackapp/bookstack", "require": {"php": "^8.1"}}"#;
        let out = read_file_as(&READER, "composer.json", text, &MemorySource::new());
        assert!(out.diagnostics.is_empty() && out.components.is_empty());
        assert_eq!(out.project_name.as_deref(), Some("bookstackapp/bookstack"));
        // Applications often have no name.
        let out = read_file_as(&READER, "composer.json", "{}", &MemorySource::new());
        assert_eq!(out.project_name, None);
    }

    #[test]
    fn bad_json_is_a_located_diagnostic() {
        let out = read_file_as(
            &READER,
            "composer.json",
            "{\n\"name\": \n}",
            &MemorySource::new(),
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));
        let out = read_file_as(&READER, "composer.json", "[1]", &MemorySource::new());
        assert_eq!(out.diagnostics.len(), 1);
    }
}
