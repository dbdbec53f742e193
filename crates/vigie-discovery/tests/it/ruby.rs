//! Gemfile.lock on real lockfiles and the osv-scanner bundler fixtures.
//! Expected counts are made on the raw text: spec lines (four spaces) of
//! the GEM and GIT sections, one component per name and version whatever
//! the platform.

use crate::common;

use std::collections::HashSet;

use vigie_discovery::readers::gemfile_lock;
use vigie_model::{Relation, Severity};

/// `(name, version without platform)` of every spec line, and the
/// DEPENDENCIES names, on the raw text.
fn raw_specs(text: &str) -> (Vec<(String, String)>, HashSet<String>) {
    let mut section = "";
    let mut specs = Vec::new();
    let mut deps = HashSet::new();
    for line in text.lines() {
        if !line.is_empty() && !line.starts_with(' ') {
            section = line;
            continue;
        }
        let is_entry = |indent: usize| {
            line.len() > indent
                && line[..indent].bytes().all(|b| b == b' ')
                && !line[indent..].starts_with(' ')
        };
        if (section == "GEM" || section == "GIT") && is_entry(4) {
            let (name, rest) = line.trim().split_once(" (").unwrap();
            let version = rest.trim_end_matches(')').split('-').next().unwrap();
            specs.push((name.to_owned(), version.to_owned()));
        }
        if section == "DEPENDENCIES" && is_entry(2) {
            let name = line.trim().split([' ', '!']).next().unwrap();
            deps.insert(name.to_owned());
        }
    }
    (specs, deps)
}

#[test]
fn real_gemfile_locks() {
    let Some(data) = common::data_dir() else {
        return;
    };
    for (project, lines, distinct) in [
        ("openstreetmap-website", 329, 329),
        // ffi, google-protobuf, herb, nokogiri... are locked for several
        // platforms: 341 spec lines, 298 gems.
        ("rubygems.org", 341, 298),
    ] {
        let path = data.join("lockfiles").join(project).join("Gemfile.lock");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("\nPATH\n"), "{project}: no local gems here");
        let out = common::read_data_file(&gemfile_lock::READER, &path);
        assert!(
            out.diagnostics.is_empty(),
            "{project}: {:?}",
            out.diagnostics
        );
        let (specs, deps) = raw_specs(&text);
        assert_eq!(specs.len(), lines, "{project}");
        let unique: HashSet<_> = specs.iter().cloned().collect();
        assert_eq!(unique.len(), distinct, "{project}");
        assert_eq!(out.components.len(), distinct, "{project}");
        let got: HashSet<_> = out
            .components
            .iter()
            .map(|c| (c.name.clone(), c.version.clone().unwrap()))
            .collect();
        assert_eq!(got, unique, "{project}");
        // Direct: the DEPENDENCIES names that are locked.
        let names: HashSet<&str> = specs.iter().map(|s| s.0.as_str()).collect();
        let direct = deps.iter().filter(|d| names.contains(d.as_str())).count();
        assert_eq!(
            out.components
                .iter()
                .filter(|c| c.relation == Relation::Direct)
                .count(),
            direct,
            "{project}"
        );
        assert!(
            out.components
                .iter()
                .all(|c| c.relation != Relation::Unknown)
        );
        // Every line is the one of the gem's first spec line.
        for c in &out.components {
            let line = text.lines().nth(c.line.unwrap() as usize - 1).unwrap();
            assert!(line.starts_with(&format!("    {} (", c.name)), "{line}");
        }
    }
    let osm = common::read_data_file(
        &gemfile_lock::READER,
        &data.join("lockfiles/openstreetmap-website/Gemfile.lock"),
    );
    let gd2 = osm
        .components
        .iter()
        .find(|c| c.name == "gd2-ffij")
        .unwrap();
    assert_eq!(gd2.purl, "pkg:gem/gd2-ffij@0.4.1.dev");
    assert_eq!(gd2.relation, Relation::Direct);
    assert_eq!(
        gd2.note.as_deref(),
        Some(
            "from git https://github.com/rkoeze/gd2-ffij.git at a203a8d5ef004a4198950e86329228fe3f331d06"
        )
    );
    let rg = common::read_data_file(
        &gemfile_lock::READER,
        &data.join("lockfiles/rubygems.org/Gemfile.lock"),
    );
    let ffi = rg.components.iter().find(|c| c.name == "ffi").unwrap();
    assert_eq!(ffi.version.as_deref(), Some("1.17.4"));
    assert!(
        ffi.note
            .as_deref()
            .unwrap()
            .contains("aarch64-linux-gnu, arm-linux-gnu")
    );
    let avo = rg
        .components
        .iter()
        .find(|c| c.name == "avo-advanced")
        .unwrap();
    assert_eq!(
        avo.note.as_deref(),
        Some("from the gem server https://packager.dev/avo-hq/")
    );
    assert_eq!(avo.relation, Relation::Direct);
}

#[test]
fn osv_scanner_bundler_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/bundler");
    let expect = [
        ("has-git-gem.lock", 5, false),
        // 30 spec lines, one of them the local PATH gem backbone-on-rails
        // (osv-scanner counts it; vigie does not).
        ("has-local-gem.lock", 29, false),
        ("multiple-gems.lock", 6, false),
        ("no-gem-section.lock", 0, false),
        ("no-gems.lock", 0, false),
        ("no-spec-section.lock", 0, false),
        ("one-gem.lock", 1, false),
        ("rails.lock", 46, false),
        ("rubocop.lock", 10, false),
        ("some-gems.lock", 3, false),
    ];
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<&str> = expect.iter().map(|e| e.0).collect();
    assert_eq!(files, listed, "every fixture is in the table");
    for (file, n, err) in expect {
        let out = common::read_data_file(&gemfile_lock::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}");
        let has_error = out
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        assert_eq!(has_error, err, "{file}: {:?}", out.diagnostics);
    }
    let read = |f: &str| common::read_data_file(&gemfile_lock::READER, &dir.join(f));
    let local = read("has-local-gem.lock");
    assert!(
        local
            .components
            .iter()
            .all(|c| c.name != "backbone-on-rails")
    );
    let mut direct: Vec<_> = local
        .components
        .iter()
        .filter(|c| c.relation == Relation::Direct)
        .map(|c| c.name.as_str())
        .collect();
    direct.sort();
    // What the local gem depends on.
    assert_eq!(direct, ["eco", "ejs", "jquery-rails", "railties"]);
    let nokogiri = local
        .components
        .iter()
        .find(|c| c.name == "nokogiri")
        .unwrap();
    assert_eq!(nokogiri.version.as_deref(), Some("1.13.3"));
    assert_eq!(nokogiri.note.as_deref(), Some("platforms x86_64-linux"));
    let git = read("has-git-gem.lock");
    let direct: Vec<_> = git
        .components
        .iter()
        .filter(|c| c.relation == Relation::Direct)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(direct, ["hanami-utils"]);
    // hanami-controller -> hanami-utils, rack; hanami-utils ->
    // concurrent-ruby, transproc.
    assert_eq!(git.dependencies.len(), 4);
    let some = read("some-gems.lock");
    // pry -> coderay, method_source.
    assert_eq!(some.dependencies, [(2, 0), (2, 1)]);
}

/// Truncated and shifted copies of a real file never make the reader panic.
#[test]
fn hostile_copies_of_a_real_file() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let text = std::fs::read_to_string(data.join("lockfiles/rubygems.org/Gemfile.lock")).unwrap();
    let files = vigie_discovery::MemorySource::new();
    for k in 1..60 {
        let cut = text.len() * k / 60;
        let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(c)).unwrap();
        for t in [
            text[..cut].to_owned(),
            format!("{} {}", &text[..cut], &text[cut..]),
            format!("{}\n  (\n      )\n{}", &text[..cut], &text[cut..]),
        ] {
            let out = vigie_discovery::read_file_as(&gemfile_lock::READER, "x", &t, &files);
            assert!(out.diagnostics.iter().all(|d| d.code != "internal-error"));
        }
    }
}
