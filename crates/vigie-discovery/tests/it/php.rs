//! composer.lock and composer.json on BookStack's files and the
//! osv-scanner composer fixtures. Expected values are made by walking the
//! JSON with `serde_json::Value`, independently of the reader.

use crate::common;

use vigie_discovery::read_file_as;
use vigie_discovery::readers::{composer_json, composer_lock};
use vigie_model::{Relation, Scope, Severity};

#[test]
fn real_composer_lock() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/bookstack");
    let path = dir.join("composer.lock");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("composer.json")).unwrap()).unwrap();
    let out = common::read_data_file(&composer_lock::READER, &path);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let runtime = json["packages"].as_array().unwrap();
    let dev = json["packages-dev"].as_array().unwrap();
    assert_eq!((runtime.len(), dev.len()), (110, 37));
    assert_eq!(out.components.len(), runtime.len() + dev.len());
    let expected = runtime
        .iter()
        .map(|p| (p, Scope::Runtime))
        .chain(dev.iter().map(|p| (p, Scope::Dev)));
    let asked: Vec<String> = ["require", "require-dev"]
        .iter()
        .flat_map(|k| manifest[k].as_object().unwrap().keys().cloned())
        .collect();
    for (c, (p, scope)) in out.components.iter().zip(expected) {
        assert_eq!(c.name, p["name"].as_str().unwrap());
        // The package's own version, `v` included (`v10.48.22`).
        assert_eq!(c.version.as_deref(), p["version"].as_str());
        assert_eq!(c.scope, scope);
        let relation = if asked.contains(&c.name) {
            Relation::Direct
        } else {
            Relation::Transitive
        };
        assert_eq!(c.relation, relation, "{}", c.name);
        let licences: Vec<&str> = p["license"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        assert_eq!(c.licence.as_deref(), Some(licences.join(" OR ").as_str()));
    }
    let laravel = out
        .components
        .iter()
        .find(|c| c.name == "laravel/framework")
        .unwrap();
    assert_eq!(laravel.purl, "pkg:composer/laravel/framework@v10.48.22");
    // The purl's version is the lock's, as trivy and syft write it: the tagged
    // packages keep their `v` (64 of BookStack's 147, counted with Python's `json`).
    let tagged = |v: &str| v.starts_with('v') && v[1..].starts_with(|c: char| c.is_ascii_digit());
    let in_lock = runtime
        .iter()
        .chain(dev)
        .filter(|p| tagged(p["version"].as_str().unwrap()))
        .count();
    let in_purls = out
        .components
        .iter()
        .filter(|c| {
            c.purl
                .rsplit_once('@')
                .is_some_and(|(_, v)| tagged(v) && Some(v) == c.version.as_deref())
        })
        .count();
    assert_eq!((in_purls, in_lock), (64, 64));
    let nette = out
        .components
        .iter()
        .find(|c| c.name == "nette/schema")
        .unwrap();
    assert_eq!(
        nette.licence.as_deref(),
        Some("BSD-3-Clause OR GPL-2.0-only OR GPL-3.0-only")
    );
    // Edges: `require` keys that are locked packages.
    let names: Vec<&str> = runtime
        .iter()
        .chain(dev)
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let edges: usize = runtime
        .iter()
        .chain(dev)
        .map(|p| {
            p["require"].as_object().map_or(0, |r| {
                r.keys().filter(|k| names.contains(&k.as_str())).count()
            })
        })
        .sum();
    assert_eq!(out.dependencies.len(), edges);

    let name = common::read_data_file(&composer_json::READER, &dir.join("composer.json"));
    assert_eq!(name.project_name.as_deref(), Some("bookstackapp/bookstack"));
}

#[test]
fn osv_scanner_composer_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/composer");
    let expect = [
        ("empty.json", 0, false),
        ("not-json.txt", 0, true),
        ("one-package-dev.json", 1, false),
        ("one-package.json", 1, false),
        ("two-packages-alt.json", 2, false),
        ("two-packages.json", 2, false),
    ];
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<&str> = expect.iter().map(|e| e.0).collect();
    assert_eq!(files, listed, "every fixture is in the table");
    for (file, n, err) in expect {
        let out = common::read_data_file(&composer_lock::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}");
        let has_error = out
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error);
        assert_eq!(has_error, err, "{file}: {:?}", out.diagnostics);
    }
    let read = |f: &str| common::read_data_file(&composer_lock::READER, &dir.join(f));
    let scopes = |f: &str| -> Vec<(String, Scope)> {
        read(f)
            .components
            .iter()
            .map(|c| (c.name.clone(), c.scope))
            .collect()
    };
    assert_eq!(
        scopes("two-packages.json"),
        [
            ("sentry/sdk".to_owned(), Scope::Runtime),
            ("theseer/tokenizer".to_owned(), Scope::Dev)
        ]
    );
    assert_eq!(
        scopes("one-package-dev.json"),
        [("sentry/sdk".to_owned(), Scope::Dev)]
    );
    let one = read("one-package.json");
    assert_eq!(one.components[0].purl, "pkg:composer/sentry/sdk@2.0.4");
    assert_eq!(one.components[0].licence.as_deref(), Some("MIT"));
    // No composer.json beside the fixture: relation unknown.
    assert_eq!(one.components[0].relation, Relation::Unknown);
}

/// Truncated copies of a real file never make the reader panic, and a
/// truncated JSON file is a located syntax error.
#[test]
fn hostile_copies_of_a_real_file() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let text = std::fs::read_to_string(data.join("lockfiles/bookstack/composer.lock")).unwrap();
    let files = vigie_discovery::MemorySource::new();
    for k in 1..40 {
        let cut = text.len() * k / 40;
        let cut = (0..=cut).rev().find(|&c| text.is_char_boundary(c)).unwrap();
        let out = read_file_as(&composer_lock::READER, "x", &text[..cut], &files);
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert!(out.diagnostics[0].line.is_some());
    }
}
