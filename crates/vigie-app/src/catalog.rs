//! The catalog of an estate: the catalog files in the scanned folders and those the
//! configuration names (`[catalog] files`), read within the size limit and loaded.

use std::path::{Path, PathBuf};

use vigie_catalog::{Catalog, Code, Diagnostic, is_catalog_file};

use crate::config::Config;

/// The catalog files and projects found, read.
pub struct Found {
    /// (display path, text) of every catalog file read.
    pub files: Vec<(String, String)>,
    /// Inventory project folders (display paths).
    pub projects: Vec<String>,
    /// Files that could not be read, and missing roots.
    pub problems: Vec<Diagnostic>,
}

fn yaml_name(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.ends_with(".yaml") || n.ends_with(".yml")
}

/// Finds and reads the catalog files under `paths` and those `[catalog] files` of the
/// configuration names (relative to its folder); the projects found on the way are listed too.
pub fn find(paths: &[PathBuf], config_file: Option<&Path>) -> anyhow::Result<Found> {
    let first_dir = paths.first().filter(|p| p.is_dir());
    let config = Config::load(config_file, first_dir.map(|p| p.as_path()))?;
    let (dirs, walk_diags) = vigie_discovery::walk_with(paths, Some(yaml_name));
    let mut found = Found {
        files: Vec::new(),
        projects: Vec::new(),
        problems: Vec::new(),
    };
    for d in walk_diags {
        let code = match d.code {
            Code::MissingRoot => Code::MissingRoot,
            _ => Code::WalkError,
        };
        let line = d.line.unwrap_or(0);
        found
            .problems
            .push(Diagnostic::error(code, &d.file, line, d.message));
    }
    let mut paths: Vec<String> = Vec::new();
    for d in &dirs {
        if !d.files.is_empty() {
            found.projects.push(d.path.clone());
        }
        paths.extend(d.extras.iter().filter(|p| is_catalog_file(p)).cloned());
    }
    let base: PathBuf = match config_file {
        Some(c) => c.parent().map(Path::to_path_buf).unwrap_or_default(),
        None => first_dir.cloned().unwrap_or_default(),
    };
    let walked = paths.len();
    for f in &config.catalog.files {
        let p = base.join(f).to_string_lossy().into_owned();
        let p = p.strip_prefix("./").unwrap_or(&p).to_owned();
        if !paths.contains(&p) {
            paths.push(p);
        }
    }
    for (i, p) in paths.into_iter().enumerate() {
        match read(&p) {
            // A YAML file of a `catalog/` folder that names no catalog
            // apiVersion is someone else's data; files listed in vigie.toml
            // are always read.
            Ok(text) if i < walked && !vigie_catalog::looks_like_catalog(&p, &text) => {}
            Ok(text) => found.files.push((p, text)),
            Err(e) => found.problems.push(Diagnostic::error(
                Code::UnreadableFile,
                &p,
                0,
                format!("{e:#}"),
            )),
        }
    }
    Ok(found)
}

fn read(path: &str) -> anyhow::Result<String> {
    let max = vigie_catalog::node::MAX_FILE_BYTES as u64;
    Ok(vigie_fs::read_text_bounded(Path::new(path), max)?)
}

/// The catalog of the files found.
pub fn load(found: &Found) -> Catalog {
    vigie_catalog::load(found.files.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_and_oversized_files_are_refused_without_being_opened() {
        let dir = tempfile::tempdir().unwrap();
        // A named pipe: opening it would block until a writer comes.
        let fifo = dir.path().join("catalog-info.yaml");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.is_ok_and(|s| s.success()), "mkfifo");
        let e = read(fifo.to_str().unwrap()).unwrap_err();
        assert_eq!(e.to_string(), "not a regular file (a named pipe)");
        let big = dir.path().join("big.yaml");
        let max = vigie_catalog::node::MAX_FILE_BYTES;
        std::fs::write(&big, vec![b'#'; max + 1]).unwrap();
        let e = read(big.to_str().unwrap()).unwrap_err();
        assert!(e.to_string().contains("larger than the limit"), "{e}");
        let bad = dir.path().join("bad.yaml");
        std::fs::write(&bad, [0xff, 0xfe]).unwrap();
        assert_eq!(
            read(bad.to_str().unwrap()).unwrap_err().to_string(),
            "not UTF-8 text"
        );
        // Through find: the walk lists no pipe, but `[catalog] files` may name one; it is a
        // problem of the catalog, and the rest goes on.
        std::fs::remove_file(&big).unwrap();
        let config = dir.path().join("vigie.toml");
        std::fs::write(&config, "[catalog]\nfiles = [\"catalog-info.yaml\"]\n").unwrap();
        let found = find(&[dir.path().to_path_buf()], Some(&config)).unwrap();
        assert!(
            found
                .problems
                .iter()
                .any(|d| d.code == "unreadable-file" && d.message.contains("not a regular file")),
            "{:?}",
            found.problems
        );
    }
}
