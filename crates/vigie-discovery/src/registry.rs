//! Which reader reads which file.

use crate::Reader;
use crate::readers::*;

/// Every reader, manifests that only name a project first (so that their
/// name wins), then lockfiles, then SBOMs. One line per format.
pub static READERS: &[&Reader] = &[
    &cargo_toml::READER,
    &pyproject::READER,
    &composer_json::READER,
    &package_json::READER,
    &pom_xml::READER,
    &go_mod::READER,
    &cargo_lock::READER,
    &package_lock::READER,
    &yarn_lock::READER,
    &pnpm_lock::READER,
    &bun_lock::READER,
    &poetry_lock::READER,
    &uv_lock::READER,
    &pdm_lock::READER,
    &pylock::READER,
    &pipfile_lock::READER,
    &requirements_txt::READER,
    &gemfile_lock::READER,
    &composer_lock::READER,
    &gradle_lockfile::READER,
    &gradle_verification::READER,
    &nuget_lock::READER,
    &pubspec_lock::READER,
    &mix_lock::READER,
    &conan_lock::READER,
    &renv_lock::READER,
    &cabal_freeze::READER,
    &stack_lock::READER,
    &dpkg_status::READER,
    &apk_installed::READER,
    &cyclonedx_json::READER,
    &cyclonedx_xml::READER,
    &spdx_json::READER,
    &spdx_tag::READER,
];

/// The reader of a file, by its name alone.
pub fn reader_for(file_name: &str) -> Option<&'static Reader> {
    READERS.iter().copied().find(|r| (r.matches)(file_name))
}

/// The position of a reader in [`READERS`] (lower names the project first).
pub fn rank(reader: &Reader) -> usize {
    READERS
        .iter()
        .position(|r| r.id == reader.id)
        .unwrap_or(usize::MAX)
}

/// A reader by its id (`cargo-lock`).
pub fn by_id(id: &str) -> Option<&'static Reader> {
    READERS.iter().copied().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_kebab_case() {
        let mut ids: Vec<&str> = READERS.iter().map(|r| r.id).collect();
        for id in &ids {
            assert!(
                id.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{id}"
            );
        }
        ids.sort();
        let n = ids.len();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate reader ids");
    }
}
