//! The JavaScript readers (package.json, package-lock.json, yarn.lock,
//! pnpm-lock.yaml, bun.lock) on real lockfiles and on the osv-scanner
//! fixtures.
//!
//! Real files: the component count is checked against a count made on the
//! raw text without the readers' logic (each test says how). Fixtures: the
//! expected counts were worked out by reading each fixture by hand. Where
//! osv-scanner counts the project's own packages (workspaces, `file:` and
//! `link:` folders), vigie does not: those fixtures expect fewer.

use crate::common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use vigie_discovery::readers::{bun_lock, package_json, package_lock, pnpm_lock, yarn_lock};
use vigie_discovery::{Input, Output, read_file_as};
use vigie_model::{Relation, Scope, Severity};

fn errors(out: &Output) -> Vec<String> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

fn component<'o>(out: &'o Output, name: &str, version: &str) -> &'o vigie_model::Component {
    out.components
        .iter()
        .find(|c| c.name == name && c.version.as_deref() == Some(version))
        .unwrap_or_else(|| panic!("{name}@{version} missing"))
}

/// Distinct `(name, version)` of registry tarball URLs in the raw text:
/// `<registry>/<name>/-/<basename>-<version>.tgz`. Independent of any
/// lockfile structure (paths, descriptors, aliases).
fn registry_tarballs(text: &str, registry: &str) -> HashSet<(String, String)> {
    let mut set = HashSet::new();
    for piece in text.split(registry).skip(1) {
        let url = piece.split(['"', '#', ' ', '\n']).next().unwrap_or("");
        let Some((name, file)) = url.split_once("/-/") else {
            continue;
        };
        let base = name.rsplit('/').next().unwrap_or(name);
        let version = file
            .strip_prefix(base)
            .and_then(|f| f.strip_prefix('-'))
            .and_then(|f| f.strip_suffix(".tgz"));
        if let Some(v) = version {
            set.insert((name.to_owned(), v.to_owned()));
        }
    }
    set
}

fn assert_count(out: &Output, expected: &HashSet<(String, String)>, what: &str) {
    let got: HashSet<(String, String)> = out
        .components
        .iter()
        .map(|c| (c.name.clone(), c.version.clone().unwrap_or_default()))
        .collect();
    assert_eq!(got.len(), out.components.len(), "{what}: duplicates");
    let missing: Vec<_> = expected.difference(&got).take(5).collect();
    let extra: Vec<_> = got.difference(expected).take(5).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: missing {missing:?}, extra {extra:?}"
    );
}

// ---------------------------------------------------------------------------
// package.json

/// A real `package.json` read with no lockfile beside it lists what it declares: its exact
/// versions resolved, its ranges unresolved (one warning each), every one direct, in the
/// scope of its map, on its line. Expected values come from `serde_json::Value` and a split of
/// the ranges simpler than npm's (three dot-separated numbers after any `v` or `=` is exact),
/// which the five files are plain enough for: prettier pins all its 149 dependencies,
/// excalidraw 33 of 34, the others none.
#[test]
fn real_package_jsons_without_a_lockfile() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let projects = vigie_testkit::lockfile_folders_with("package.json").unwrap();
    assert_eq!(projects.len(), 5, "{projects:?}");
    let mut totals = (0, 0);
    for project in &projects {
        let path = data.join("lockfiles").join(project).join("package.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let json: serde_json::Value = serde_json::from_str(&text).unwrap();
        // (name, version or None, scope, line) expected, widest map first.
        let mut pinned: Vec<(String, String, Scope, u32)> = Vec::new();
        let mut ranges: Vec<(String, Scope, u32)> = Vec::new();
        for (field, scope) in [
            ("dependencies", Scope::Runtime),
            ("optionalDependencies", Scope::Optional),
            ("peerDependencies", Scope::Runtime),
            ("devDependencies", Scope::Dev),
        ] {
            let Some(map) = json[field].as_object() else {
                continue;
            };
            for (name, range) in map {
                let range = range.as_str().unwrap();
                if range.starts_with("workspace:") {
                    continue; // the monorepo's own package
                }
                let needle = format!("\"{name}\": \"{range}\"");
                let at = text.find(&needle).expect("declared once");
                let line = text[..at].matches('\n').count() as u32 + 1;
                let bare = range.trim_start_matches(['v', '=']);
                let parts: Vec<&str> = bare.split('.').collect();
                if parts.len() == 3 && parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit())) {
                    pinned.push((name.clone(), bare.to_owned(), scope, line));
                } else {
                    ranges.push((name.clone(), scope, line));
                }
            }
        }
        ranges.retain(|(n, ..)| !pinned.iter().any(|p| &p.0 == n));
        // No lockfile: no other file at all.
        let out = read_file_as(
            &package_json::READER,
            "p/package.json",
            &text,
            &vigie_discovery::MemorySource::new(),
        );
        let got_pinned: Vec<(String, String, Scope, u32)> = out
            .components
            .iter()
            .filter_map(|c| Some((c.name.clone(), c.version.clone()?, c.scope, c.line?)))
            .collect();
        let got_ranges: Vec<(String, Scope, u32)> = out
            .components
            .iter()
            .filter(|c| c.version.is_none())
            .map(|c| (c.name.clone(), c.scope, c.line.unwrap()))
            .collect();
        fn sorted<T: Ord>(mut v: Vec<T>) -> Vec<T> {
            v.sort();
            v
        }
        assert_eq!(sorted(got_pinned), sorted(pinned.clone()), "{project}");
        assert_eq!(sorted(got_ranges), sorted(ranges.clone()), "{project}");
        assert_eq!(
            out.components.len(),
            pinned.len() + ranges.len(),
            "{project}"
        );
        assert!(
            out.components
                .iter()
                .all(|c| c.relation == Relation::Direct)
        );
        assert!(
            out.components
                .iter()
                .filter(|c| c.version.is_none())
                .all(|c| c.note.as_deref().is_some_and(|n| n.contains("is a range"))),
            "{project}"
        );
        let warnings: Vec<Option<u32>> = out
            .diagnostics
            .iter()
            .inspect(|d| assert_eq!(d.code, "unresolved-version", "{project}: {d}"))
            .map(|d| d.line)
            .collect();
        assert_eq!(
            sorted(warnings),
            sorted(ranges.iter().map(|r| Some(r.2)).collect::<Vec<_>>()),
            "{project}"
        );
        totals.0 += pinned.len();
        totals.1 += ranges.len();
    }
    // What a hand count of the five files gives (Python's `json`): 182 pins, 117 ranges.
    assert_eq!(totals, (182, 117));
}

/// A scan decides with what the walk found: a lockfile beside a `package.json` (the real
/// excalidraw pair) gives the components and the manifest none; a lockfile the ignore rules
/// leave out is not read, so the manifest lists its dependencies; a workspace member is covered
/// by its root's lockfile; a manifest alone lists its own. The count to meet is the entries of
/// the file's four maps, read with `serde_json::Value` (excalidraw's has no local package).
#[test]
fn a_scan_reads_a_package_json_with_what_the_walk_found() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let real = data.join("lockfiles/excalidraw");
    let manifest = std::fs::read_to_string(real.join("package.json")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let declared: usize = [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ]
    .iter()
    .filter_map(|f| json[f].as_object())
    .map(|m| m.len())
    .sum();
    assert_eq!(declared, 34, "a hand count of the file");
    let lock = "{\"lockfileVersion\": 3, \"packages\": {\"\": {}}}";
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path();
    let put = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    put("locked/package.json", &manifest);
    put(
        "locked/yarn.lock",
        &std::fs::read_to_string(real.join("yarn.lock")).unwrap(),
    );
    put("ignored/package.json", &manifest);
    put("ignored/package-lock.json", lock);
    put("ignored/.gitignore", "package-lock.json\n");
    put("mono/package.json", "{\"workspaces\": [\"packages/*\"]}");
    put("mono/package-lock.json", lock);
    put("mono/packages/ui/package.json", &manifest);
    put("alone/package.json", &manifest);
    let (projects, diags) = vigie_discovery::walk(&[root.to_path_buf()]);
    assert!(diags.is_empty(), "{diags:?}");
    let source = vigie_discovery::DiskSource::new(
        &[root.to_path_buf()],
        vigie_discovery::DEFAULT_MAX_FILE_SIZE,
    );
    let opts = vigie_discovery::ScanOptions::default();
    let mut from_manifest: Vec<(String, usize)> = Vec::new();
    let mut yarn = 0;
    for dir in &projects {
        let project = vigie_discovery::scan_project(dir, &source, &opts);
        let folder = project
            .path
            .strip_prefix(&*root.to_string_lossy())
            .unwrap()
            .trim_start_matches('/')
            .to_owned();
        for f in &project.files {
            match f.format.as_str() {
                "package-json" => from_manifest.push((folder.clone(), f.components)),
                "yarn-lock" => yarn = f.components,
                _ => {}
            }
        }
    }
    from_manifest.sort();
    let expected = [
        ("alone", declared),
        ("ignored", declared),
        ("locked", 0),
        ("mono", 0),
        ("mono/packages/ui", 0),
    ]
    .map(|(f, n)| (f.to_owned(), n));
    assert_eq!(from_manifest, expected);
    assert!(yarn > declared, "the lockfile gives the components: {yarn}");
}

/// With their lockfile beside them (as in the data), the same files name the project and give
/// no components: the lockfile's reader gives them.
#[test]
fn real_package_jsons_name_the_project() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let expect = [
        ("pypi-warehouse", None),
        ("bookstack", None),
        ("excalidraw", Some("excalidraw-monorepo")),
        ("prettier", Some("prettier")),
        ("vite", Some("@vitejs/vite-monorepo")),
    ];
    for (project, name) in expect {
        let path = data.join("lockfiles").join(project).join("package.json");
        let out = common::read_data_file(&package_json::READER, &path);
        assert!(
            out.diagnostics.is_empty(),
            "{project}: {:?}",
            out.diagnostics
        );
        assert!(out.components.is_empty());
        assert_eq!(out.project_name.as_deref(), name, "{project}");
    }
}

// ---------------------------------------------------------------------------
// package-lock.json

#[test]
fn real_package_locks() {
    let Some(data) = common::data_dir() else {
        return;
    };
    for (project, name) in [("pypi-warehouse", "src"), ("bookstack", "bookstack")] {
        let path = data
            .join("lockfiles")
            .join(project)
            .join("package-lock.json");
        let text = std::fs::read_to_string(&path).unwrap();
        let out = common::read_data_file(&package_lock::READER, &path);
        assert!(
            out.diagnostics.is_empty(),
            "{project}: {:?}",
            out.diagnostics
        );
        assert_eq!(out.project_name.as_deref(), Some(name));
        // Every installed entry of these files comes from registry.npmjs.org
        // (checked by hand), so the distinct registry tarball URLs are the
        // distinct packages.
        let expected = registry_tarballs(&text, "\"resolved\": \"https://registry.npmjs.org/");
        assert_count(&out, &expected, project);
        assert!(out.components.iter().all(|c| c.line.is_some()));
        assert!(!out.dependencies.is_empty());

        // Scopes and relations, recomputed on a `serde_json::Value`: a
        // name@version is dev when every copy has `dev: true`; direct when
        // the root lists it (these files have no workspaces, and every root
        // dependency is installed at `node_modules/<name>`).
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let pkgs = v["packages"].as_object().unwrap();
        let mut all_dev: std::collections::HashMap<(String, String), bool> = Default::default();
        for (path, p) in pkgs {
            let Some(i) = path.rfind("node_modules/") else {
                continue;
            };
            let name = p["name"].as_str().unwrap_or(&path[i + 13..]).to_owned();
            let version = p["version"].as_str().unwrap().to_owned();
            let dev = p["dev"].as_bool().unwrap_or(false);
            *all_dev.entry((name, version)).or_insert(true) &= dev;
        }
        let dev_count = all_dev.values().filter(|&&d| d).count();
        assert_eq!(
            out.components
                .iter()
                .filter(|c| c.scope == Scope::Dev)
                .count(),
            dev_count,
            "{project}"
        );
        let root = &pkgs[""];
        let mut direct: HashSet<(String, String)> = HashSet::new();
        for group in ["dependencies", "devDependencies", "optionalDependencies"] {
            for name in root[group].as_object().into_iter().flat_map(|m| m.keys()) {
                let p = &pkgs[&format!("node_modules/{name}")];
                let real = p["name"].as_str().unwrap_or(name).to_owned();
                direct.insert((real, p["version"].as_str().unwrap().to_owned()));
            }
        }
        let got: HashSet<(String, String)> = out
            .components
            .iter()
            .filter(|c| c.relation == Relation::Direct)
            .map(|c| (c.name.clone(), c.version.clone().unwrap()))
            .collect();
        assert_eq!(got, direct, "{project}");
    }

    let path = data.join("lockfiles/pypi-warehouse/package-lock.json");
    let out = common::read_data_file(&package_lock::READER, &path);
    assert_eq!(out.components.len(), 999);
    // Root dependency, runtime; its line is that of "node_modules/jquery".
    let jquery = out.components.iter().find(|c| c.name == "jquery").unwrap();
    assert_eq!(
        (jquery.scope, jquery.relation),
        (Scope::Runtime, Relation::Direct)
    );
    assert_eq!(jquery.licence.as_deref(), Some("MIT"));
    let text = std::fs::read_to_string(&path).unwrap();
    let want_line = text
        .lines()
        .position(|l| l.trim_start().starts_with("\"node_modules/jquery\": {"))
        .unwrap()
        + 1;
    assert_eq!(jquery.line, Some(want_line as u32));
    // A root devDependency.
    let webpack = out.components.iter().find(|c| c.name == "webpack").unwrap();
    assert_eq!(
        (webpack.scope, webpack.relation),
        (Scope::Dev, Relation::Direct)
    );
    // Scoped names keep their scope; purls encode it.
    let stim = out
        .components
        .iter()
        .find(|c| c.name == "@hotwired/stimulus")
        .unwrap();
    assert!(stim.purl.starts_with("pkg:npm/%40hotwired/stimulus@3."));
    assert_eq!(stim.relation, Relation::Direct);
}

#[test]
fn osv_scanner_npm_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/npm");
    // (file, components, an error diagnostic)
    let expect = [
        // alias: babel-code-frame -> @babel/code-frame, string-width-cjs ->
        // string-width@4.2.0, plus string-width@5.1.2.
        ("alias.v1.json", 3, false),
        ("alias.v2.json", 3, false),
        // v1, 15 entries: 2 registry packages and 13 git ones, unresolved
        // (v1 gives them no version) and named by `from` when it names a
        // package (is-number-3/-4/-5 are `is-number`), else by key. Unresolved
        // components are told apart by source: each git URL and commit is
        // distinct here, so 15.
        ("commits.v1.json", 15, false),
        // v2, 14 entries with versions (raven-js has none), no `name`: named
        // by path. The nested is-number-1@3.0.0 and is-number-2@2.0.0 repeat
        // top-level name@versions: 12.
        ("commits.v2.json", 12, false),
        ("empty.v1.json", 0, false),
        ("empty.v2.json", 0, false),
        // lodash; other_package is a local folder (osv-scanner counts it).
        ("files.v1.json", 1, false),
        // abbrev 1.0.9 and 2.3.4; deps/etag is a local folder.
        ("files.v2.json", 2, false),
        // 36 packages each with a nested supports-color@6.1.0 or 2.0.0, and
        // supports-color@5.5.0 at the top: 73 entries, 39 distinct.
        ("nested-dependencies-dup.v1.json", 39, false),
        // only the 35 nested supports-color entries: 6.1.0 and 2.0.0.
        ("nested-dependencies-dup.v2.json", 2, false),
        ("nested-dependencies.v1.json", 5, false),
        ("nested-dependencies.v2.json", 5, false),
        ("not-json.txt", 0, true),
        ("one-package-dev.v1.json", 1, false),
        ("one-package-dev.v2.json", 1, false),
        ("one-package.v1.json", 1, false),
        ("one-package.v2.json", 1, false),
        ("optional-package.v1.json", 2, false),
        ("optional-package.v2.json", 2, false),
        // ajv@5.5.2 five times, eslint, table.
        ("same-package-different-groups.v1.json", 3, false),
        ("same-package-different-groups.v2.json", 3, false),
        ("scoped-packages.v1.json", 2, false),
        ("scoped-packages.v2.json", 2, false),
        ("two-packages.v1.json", 2, false),
        ("two-packages.v2.json", 2, false),
    ];
    check_fixtures(&dir, &package_lock::READER, &expect);

    let read = |f: &str| common::read_data_file(&package_lock::READER, &dir.join(f));
    // Aliases name the real package.
    let out = read("alias.v2.json");
    assert_eq!(
        component(&out, "string-width", "4.2.0").relation,
        Relation::Direct
    );
    assert_eq!(
        component(&out, "@babel/code-frame", "7.0.0").purl,
        "pkg:npm/%40babel/code-frame@7.0.0"
    );
    let out = read("alias.v1.json");
    component(&out, "string-width", "4.2.0");
    component(&out, "@babel/code-frame", "7.0.0");
    // Flags to scopes; the same package in several groups takes the widest.
    let out = read("optional-package.v2.json");
    assert_eq!(component(&out, "wrappy", "1.0.2").scope, Scope::Optional);
    assert_eq!(
        component(&out, "supports-color", "5.5.0").scope,
        Scope::Optional
    );
    let out = read("optional-package.v1.json");
    assert_eq!(component(&out, "wrappy", "1.0.2").scope, Scope::Dev);
    let out = read("same-package-different-groups.v2.json");
    assert_eq!(component(&out, "ajv", "5.5.2").scope, Scope::Runtime);
    assert_eq!(component(&out, "eslint", "1.2.3").scope, Scope::Dev);
    let out = read("one-package-dev.v2.json");
    let w = component(&out, "wrappy", "1.0.2");
    assert_eq!((w.scope, w.relation), (Scope::Dev, Relation::Direct));
    // Nested copies at another version are distinct; edges follow Node's
    // resolution: postcss-calc -> its own postcss@7.0.16.
    let out = read("nested-dependencies.v2.json");
    let calc = out
        .components
        .iter()
        .position(|c| c.name == "postcss-calc")
        .unwrap();
    let p7 = out
        .components
        .iter()
        .position(|c| c.name == "postcss" && c.version.as_deref() == Some("7.0.16"))
        .unwrap();
    assert!(out.dependencies.contains(&(calc as u32, p7 as u32)));
    // Git entries: a note, and in v1 no version.
    let out = read("commits.v1.json");
    let raven = out
        .components
        .iter()
        .find(|c| c.name == "raven-js")
        .unwrap();
    assert!(raven.version.is_none());
    assert!(
        raven
            .note
            .as_deref()
            .unwrap()
            .contains("github.com/getsentry/raven-js")
    );
    assert!(
        out.diagnostics
            .iter()
            .any(|d| d.code == "unresolved-version" && d.line.is_some())
    );
    assert!(
        !out.components
            .iter()
            .any(|c| c.note.as_deref().is_some_and(|n| n.contains("dummy-token"))),
        "credentials must not reach notes"
    );
}

/// Reads every fixture of a table, and checks that the table covers the folder.
fn check_fixtures(dir: &Path, reader: &vigie_discovery::Reader, expect: &[(&str, usize, bool)]) {
    let mut listed: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "LICENSE")
        .collect();
    listed.sort();
    let mut table: Vec<String> = expect.iter().map(|e| e.0.to_owned()).collect();
    table.sort();
    assert_eq!(
        listed,
        table,
        "every fixture of {} is in the table",
        dir.display()
    );
    for &(file, n, err) in expect {
        let out = common::read_data_file(reader, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}: {:#?}", out.components);
        assert_eq!(
            !errors(&out).is_empty(),
            err,
            "{file}: {:?}",
            out.diagnostics
        );
        if err {
            assert!(
                out.diagnostics
                    .iter()
                    .all(|d| d.line.is_some() || d.code != "invalid-syntax")
            );
        }
    }
}

// ---------------------------------------------------------------------------
// yarn.lock

#[test]
fn real_yarn_locks_classic() {
    let Some(data) = common::data_dir() else {
        return;
    };
    for project in ["excalidraw", "openstreetmap-website"] {
        let path = data.join("lockfiles").join(project).join("yarn.lock");
        let text = std::fs::read_to_string(&path).unwrap();
        let out = common::read_data_file(&yarn_lock::READER, &path);
        assert!(
            out.diagnostics.is_empty(),
            "{project}: {:?}",
            out.diagnostics
        );
        // All entries resolve to registry.yarnpkg.com tarballs (checked by
        // hand: no other `resolved` host in these files).
        let expected = registry_tarballs(&text, "resolved \"https://registry.yarnpkg.com/");
        assert_count(&out, &expected, project);
        assert!(out.components.iter().all(|c| c.line.is_some()));
    }
    // excalidraw has a package.json with workspaces: direct dependencies of
    // the root are marked, scopes are not guessed.
    let path = data.join("lockfiles/excalidraw/yarn.lock");
    let out = common::read_data_file(&yarn_lock::READER, &path);
    let direct: Vec<_> = out
        .components
        .iter()
        .filter(|c| c.relation == Relation::Direct)
        .map(|c| c.name.as_str())
        .collect();
    assert!(direct.contains(&"@babel/preset-env"), "{direct:?}");
    // The members' own dependencies are not in the data: the rest is unknown.
    assert!(
        out.components
            .iter()
            .all(|c| c.relation == Relation::Direct || c.relation == Relation::Unknown)
    );
    assert!(out.components.iter().all(|c| c.scope == Scope::Runtime));
    // openstreetmap has no package.json here: relations unknown.
    let path = data.join("lockfiles/openstreetmap-website/yarn.lock");
    let out = common::read_data_file(&yarn_lock::READER, &path);
    assert!(
        out.components
            .iter()
            .all(|c| c.relation == Relation::Unknown)
    );
}

#[test]
fn real_yarn_lock_berry() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let path = data.join("lockfiles/prettier/yarn.lock");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = common::read_data_file(&yarn_lock::READER, &path);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    // Independent count: the distinct `resolution: "<name>@npm:<version>"`
    // lines; the two `patch:` resolutions patch packages that are also
    // there as npm resolutions (checked by hand), the workspace is the
    // project.
    let expected: HashSet<(String, String)> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("resolution: \""))
        .filter_map(|r| r.strip_suffix('"'))
        .filter_map(|r| {
            let at = r[1..].find("@npm:")? + 1;
            Some((r[..at].to_owned(), r[at + 5..].to_owned()))
        })
        .collect();
    assert_count(&out, &expected, "prettier");
    // package.json beside it, no other workspace: dev scopes by reachability.
    // typescript is in its `dependencies`, c8 and @eslint/js in its
    // `devDependencies`.
    let ts = component(&out, "typescript", "6.0.3");
    assert_eq!((ts.relation, ts.scope), (Relation::Direct, Scope::Runtime));
    let c8 = component(&out, "c8", "12.0.0");
    assert_eq!((c8.relation, c8.scope), (Relation::Direct, Scope::Dev));
    let js = component(&out, "@eslint/js", "10.0.1");
    assert_eq!((js.relation, js.scope), (Relation::Direct, Scope::Dev));
    assert!(
        out.components
            .iter()
            .any(|c| c.relation == Relation::Transitive && c.scope == Scope::Dev)
    );
    let babel = component(&out, "@babel/code-frame", "8.0.0");
    assert_eq!(
        (babel.relation, babel.scope),
        (Relation::Direct, Scope::Runtime)
    );
    assert_eq!(babel.line, Some(17));
}

#[test]
fn osv_scanner_yarn_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/yarn");
    let expect = [
        // 18 entries, all with a version; distinct name@version (is-number
        // 2.0.0 and 5.0.0, mine4 0.0.2 and 0.0.4).
        ("commits.v1.lock", 18, false),
        ("commits.v2.lock", 7, false),
        ("empty.v1.lock", 0, false),
        ("empty.v2.lock", 0, false),
        // etag@1.8.1 and lodash; filedep, other_package, sprintf-js (file:
        // folders) and etag@link: are local (osv-scanner counts them).
        ("files.v1.lock", 2, false),
        // a file: folder: local.
        ("files.v2.lock", 0, false),
        ("metadata-only.v2.lock", 0, false),
        ("multiple-constraints.v1.lock", 2, false),
        ("multiple-versions.v1.lock", 4, false),
        ("multiple-versions.v2.lock", 3, false),
        ("one-package.v1.lock", 1, false),
        ("one-package.v2.lock", 1, false),
        ("scoped-packages.v1.lock", 2, false),
        ("scoped-packages.v2.lock", 3, false),
        ("two-packages.v1.lock", 2, false),
        ("two-packages.v2.lock", 2, false),
        // ansi-regex 5.0.1 (through an alias) and 6.0.1, and
        // @babel/helper-validator-identifier (alias babel-hvi).
        ("with-aliases.v1.lock", 3, false),
        // the same, and the workspace `mine` is the project.
        ("with-aliases.v2.lock", 3, false),
        ("with-build-string.v1.lock", 2, false),
        ("with-build-string.v2.lock", 2, false),
        ("with-prerelease.v1.lock", 5, false),
        ("with-prerelease.v2.lock", 2, false),
        ("with-quotes.v1.lock", 2, false),
        ("with-quotes.v2.lock", 2, false),
    ];
    check_fixtures(&dir, &yarn_lock::READER, &expect);
    let read = |f: &str| common::read_data_file(&yarn_lock::READER, &dir.join(f));
    let out = read("with-aliases.v1.lock");
    component(&out, "ansi-regex", "5.0.1");
    component(&out, "@babel/helper-validator-identifier", "7.22.20");
    let out = read("with-aliases.v2.lock");
    let hvi = component(&out, "@babel/helper-validator-identifier", "7.22.20");
    assert_eq!(hvi.relation, Relation::Direct);
    let out = read("with-build-string.v1.lock");
    let domino = component(&out, "domino", "2.1.6+git");
    assert!(domino.note.as_deref().unwrap().starts_with("from git"));
    let out = read("commits.v1.lock");
    let num = component(&out, "is-number", "5.0.0");
    assert_eq!(
        num.note.as_deref(),
        Some(
            "from git https://github.com/jonschlinkert/is-number.git#af885e2e890b9ef0875edd2b117305119ee5bdc5"
        )
    );
    let out = read("scoped-packages.v2.lock");
    let cli = component(&out, "@babel/cli", "7.16.8");
    assert_eq!(
        (cli.purl.as_str(), cli.line),
        ("pkg:npm/%40babel/cli@7.16.8", Some(8))
    );
}

// ---------------------------------------------------------------------------
// pnpm-lock.yaml

/// The keys of the `packages:` section of a v9 lockfile whose resolution is
/// not a local `directory`, read on the raw text: the entries are the lines
/// indented by two spaces, the resolution is on the line after.
fn pnpm_v9_registry_keys(text: &str) -> HashSet<String> {
    let section = text
        .split("\npackages:\n")
        .nth(1)
        .and_then(|s| s.split("\nsnapshots:\n").next())
        .unwrap();
    let lines: Vec<&str> = section.lines().collect();
    let mut keys = HashSet::new();
    for (i, l) in lines.iter().enumerate() {
        if l.starts_with("  ") && !l.starts_with("   ") && l.ends_with(':') {
            let key = l.trim().trim_end_matches(':').trim_matches('\'');
            let resolution = lines.get(i + 1).copied().unwrap_or("");
            if !resolution.contains("directory") {
                keys.insert(key.to_owned());
            }
        }
    }
    keys
}

#[test]
fn real_pnpm_locks() {
    let Some(data) = common::data_dir() else {
        return;
    };
    for file in ["vite/pnpm-lock.yaml", "prometheus/web-ui-pnpm-lock.yaml"] {
        let path = data.join("lockfiles").join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let out = common::read_data_file(&pnpm_lock::READER, &path);
        assert!(out.diagnostics.is_empty(), "{file}: {:?}", out.diagnostics);
        // v9 `packages` keys are `name@version`: one component each.
        let expected: HashSet<(String, String)> = pnpm_v9_registry_keys(&text)
            .into_iter()
            .map(|k| {
                let at = k[1..].find('@').unwrap() + 1;
                (k[..at].to_owned(), k[at + 1..].to_owned())
            })
            .collect();
        assert_count(&out, &expected, file);
        assert!(out.components.iter().all(|c| c.line.is_some()));
        assert!(!out.dependencies.is_empty());
    }
    let path = data.join("lockfiles/vite/pnpm-lock.yaml");
    let out = common::read_data_file(&pnpm_lock::READER, &path);
    assert_eq!(out.components.len(), 1296);
    // packages/vite: rolldown and postcss are runtime dependencies,
    // @babel/parser a dev one; all three are direct.
    let rolldown = component(&out, "rolldown", "1.2.4");
    assert_eq!(
        (rolldown.scope, rolldown.relation),
        (Scope::Runtime, Relation::Direct)
    );
    let postcss = component(&out, "postcss", "8.5.26");
    assert_eq!(
        (postcss.scope, postcss.relation),
        (Scope::Runtime, Relation::Direct)
    );
    let parser = component(&out, "@babel/parser", "7.29.8");
    assert_eq!(parser.relation, Relation::Direct);
    // patchedDependencies: chokidar@3.6.0 is patched.
    let chokidar = component(&out, "chokidar", "3.6.0");
    assert_eq!(
        chokidar.note.as_deref(),
        Some("patched (pnpm patchedDependencies)")
    );
    // The override `debug: npm:obug@^1.0.2` makes `debug: obug@1.0.2(...)`
    // references resolve to obug.
    let obug = out
        .components
        .iter()
        .position(|c| c.name == "obug" && c.version.as_deref() == Some("1.0.2"))
        .unwrap();
    assert!(out.dependencies.iter().any(|&(_, to)| to == obug as u32));
    // Local `file:` packages (the playground) are not components.
    assert!(
        !out.components
            .iter()
            .any(|c| c.name.starts_with("@vitejs/test-"))
    );

    let path = data.join("lockfiles/prometheus/web-ui-pnpm-lock.yaml");
    let out = common::read_data_file(&pnpm_lock::READER, &path);
    assert_eq!(out.components.len(), 746);
    // Root importer: devDependencies only.
    let prettier = component(&out, "prettier", "3.9.6");
    assert_eq!(
        (prettier.scope, prettier.relation),
        (Scope::Dev, Relation::Direct)
    );
    let cm = component(&out, "@codemirror/autocomplete", "6.20.3");
    assert_eq!((cm.scope, cm.relation), (Scope::Runtime, Relation::Direct));
}

#[test]
fn osv_scanner_pnpm_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/pnpm");
    let expect = [
        // ansi-regex 6.0.1 and is-number 7.0.0 from codeload tarballs.
        ("commits.v9.yaml", 2, false),
        // five git/tarball packages, each with `name` and `version`.
        ("commits.yaml", 5, false),
        ("empty.yaml", 0, false),
        // foo 1.0.0, 1.1.0, 1.2.0, 1.3.0, 1.4.0, @foo/bar 1.0.0, 1.1.0;
        // `github.com/kevva/is-positive` and `/foo/bar` name no version
        // (two warnings).
        ("exotic.yaml", 7, false),
        // the local tarball; the five `directory` entries are local folders.
        ("files.yaml", 1, false),
        // 9 entries, one of them spelled `axios@1.2.5` in a 5.4 file.
        ("invalid-package-path.yaml", 9, false),
        ("mixed-groups.v53.yaml", 3, false),
        ("mixed-groups.v54.yaml", 3, false),
        ("mixed-groups.v6.yaml", 3, false),
        ("mixed-groups.v9.yaml", 3, false),
        ("multiple-packages.yaml", 14, false),
        ("multiple-versions.v9.yaml", 3, false),
        ("multiple-versions.yaml", 3, false),
        ("no-packages.v9.yaml", 0, false),
        ("no-packages.yaml", 0, false),
        ("not-yaml.txt", 0, true),
        ("one-package-dev.v9.yaml", 1, false),
        ("one-package-dev.yaml", 1, false),
        ("one-package-v6-lockfile.yaml", 1, false),
        ("one-package.v9.yaml", 1, false),
        ("one-package.yaml", 1, false),
        // 9 peer-suffixed and plain paths, all distinct name@version.
        ("peer-dependencies-advanced.yaml", 9, false),
        ("peer-dependencies-advanced.v9.yaml", 13, false),
        ("peer-dependencies.v9.yaml", 2, false),
        ("peer-dependencies.yaml", 2, false),
        ("scoped-packages-v6-lockfile.yaml", 1, false),
        ("scoped-packages.v9.yaml", 1, false),
        ("scoped-packages.yaml", 1, false),
        ("tarball.yaml", 1, false),
    ];
    check_fixtures(&dir, &pnpm_lock::READER, &expect);
    let read = |f: &str| common::read_data_file(&pnpm_lock::READER, &dir.join(f));
    for f in [
        "mixed-groups.v53.yaml",
        "mixed-groups.v54.yaml",
        "mixed-groups.v9.yaml",
    ] {
        let out = read(f);
        let scope = |n: &str| out.components.iter().find(|c| c.name == n).unwrap().scope;
        assert_eq!(scope("ansi-regex"), Scope::Runtime, "{f}");
        assert_eq!(scope("is-number"), Scope::Dev, "{f}");
        assert_eq!(scope("uuid"), Scope::Optional, "{f}");
        assert!(
            out.components
                .iter()
                .all(|c| c.relation == Relation::Direct),
            "{f}"
        );
    }
    let out = read("exotic.yaml");
    let warned: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(
        warned,
        [
            ("unexpected-content", Some(14)),
            ("unexpected-content", Some(18))
        ]
    );
    component(&out, "@foo/bar", "1.1.0");
    component(&out, "foo", "1.4.0");
    let out = read("commits.yaml");
    let pkg = component(&out, "@my-scope/my-package", "1.0.0");
    assert_eq!(
        pkg.note.as_deref(),
        Some(
            "from git git+ssh://git@github.com/my-org/my-package.git#267087851ad5fac92a184749c27cd539e2fc862e"
        )
    );
    assert_eq!(pkg.relation, Relation::Direct);
    let out = read("files.yaml");
    let f = component(&out, "my-file-package", "0.0.0");
    assert_eq!(
        f.note.as_deref(),
        Some("from local file projects/package-a.tgz")
    );
    let out = read("tarball.yaml");
    let t = component(&out, "@my-org/my-package", "3.2.3");
    assert_eq!(
        (t.scope, t.relation, t.note.as_deref()),
        (Scope::Dev, Relation::Direct, None)
    );
    let out = read("peer-dependencies-advanced.v9.yaml");
    let plugin = component(&out, "@typescript-eslint/eslint-plugin", "5.62.0");
    assert_eq!(plugin.relation, Relation::Direct);
    assert_eq!(plugin.line, Some(36));
}

// ---------------------------------------------------------------------------
// bun.lock (no real file in the data: a fixture written for vigie, in bun's
// layout, with trailing commas)

#[test]
fn bun_lock_fixture() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bun/bun.lock");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = common::read_data_file(&bun_lock::READER, &path);
    assert_eq!(out.project_name.as_deref(), Some("acme-app"));
    // Independent count: the distinct first items of the package arrays,
    // `"key": ["name@version"`, on the raw text, without the workspace.
    let idents: HashSet<&str> = text
        .lines()
        .filter_map(|l| l.split_once("\": [\"").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split('"').next())
        .filter(|ident| !ident.contains("@workspace:"))
        .collect();
    assert_eq!(idents.len(), 16);
    assert_eq!(out.components.len(), idents.len());
    // is-number (GitHub) has no version: one warning, with its line.
    let unresolved: Vec<_> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.line))
        .collect();
    assert_eq!(unresolved, [("unresolved-version", Some(45))]);
    let num = out
        .components
        .iter()
        .find(|c| c.name == "is-number")
        .unwrap();
    assert_eq!(
        (num.version.as_deref(), num.scope, num.relation),
        (None, Scope::Dev, Relation::Direct)
    );
    assert_eq!(
        num.note.as_deref(),
        Some("no version in the lockfile (from git github:jonschlinkert/is-number#98e8ff1)")
    );
    // The alias names the real package; both string-width versions are direct.
    let sw4 = component(&out, "string-width", "4.2.3");
    assert_eq!(
        (sw4.scope, sw4.relation, sw4.line),
        (Scope::Runtime, Relation::Direct, Some(55))
    );
    assert_eq!(
        component(&out, "string-width", "5.1.2").relation,
        Relation::Direct
    );
    // The workspace's nested copy is its direct dependency.
    let sa6 = component(&out, "strip-ansi", "6.0.1");
    assert_eq!((sa6.relation, sa6.line), (Relation::Direct, Some(63)));
    assert_eq!(
        component(&out, "scheduler", "0.25.0").relation,
        Relation::Direct
    );
    // Scopes by reachability.
    assert_eq!(component(&out, "typescript", "5.6.2").scope, Scope::Dev);
    assert_eq!(component(&out, "fsevents", "2.3.3").scope, Scope::Optional);
    let js = component(&out, "js-tokens", "4.0.0");
    assert_eq!(
        (js.scope, js.relation),
        (Scope::Runtime, Relation::Transitive)
    );
    // Edges follow the nesting: string-width@4 -> its own emoji-regex@8,
    // string-width@5 -> the hoisted emoji-regex@9.
    let idx = |n: &str, v: &str| {
        out.components
            .iter()
            .position(|c| c.name == n && c.version.as_deref() == Some(v))
            .unwrap() as u32
    };
    assert!(
        out.dependencies
            .contains(&(idx("string-width", "4.2.3"), idx("emoji-regex", "8.0.0")))
    );
    assert!(
        out.dependencies
            .contains(&(idx("string-width", "5.1.2"), idx("emoji-regex", "9.2.2")))
    );
    assert!(
        out.dependencies
            .contains(&(idx("strip-ansi", "6.0.1"), idx("ansi-regex", "5.0.1")))
    );
    assert!(
        out.dependencies
            .contains(&(idx("strip-ansi", "7.2.0"), idx("ansi-regex", "6.2.2")))
    );
    assert!(
        !out.dependencies
            .contains(&(idx("strip-ansi", "6.0.1"), idx("ansi-regex", "6.2.2")))
    );
    // loose-envify 1, string-width@5 3, string-width@4 3, strip-ansi@7 1,
    // strip-ansi@6 1 (its two copies give the same edge once).
    assert_eq!(out.dependencies.len(), 9);
}

// ---------------------------------------------------------------------------
// Hostile input: cut and scrambled copies of every fixture never make a
// reader panic (a panic becomes an `internal-error` diagnostic).

#[test]
fn truncated_and_scrambled_inputs_do_not_panic() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let fixtures = data.join("lockfiles/osv-scanner-fixtures");
    let bun = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bun");
    let sets: [(&vigie_discovery::Reader, PathBuf); 4] = [
        (&package_lock::READER, fixtures.join("npm")),
        (&yarn_lock::READER, fixtures.join("yarn")),
        (&pnpm_lock::READER, fixtures.join("pnpm")),
        (&bun_lock::READER, bun),
    ];
    let source = vigie_discovery::MemorySource::new();
    let mut runs = 0;
    for (reader, dir) in sets {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut variants: Vec<String> = Vec::new();
            for k in 1..24 {
                let mut cut = text.len() * k / 24;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                variants.push(text[..cut].to_owned());
            }
            // Swap every 7th pair of ASCII bytes, and drop every quote.
            let mut bytes = text.clone().into_bytes();
            for i in (0..bytes.len().saturating_sub(1)).step_by(7) {
                if bytes[i].is_ascii() && bytes[i + 1].is_ascii() {
                    bytes.swap(i, i + 1);
                }
            }
            variants.push(String::from_utf8(bytes).unwrap());
            variants.push(text.replace('"', ""));
            variants.push(text.replace("  ", "\t"));
            for v in &variants {
                let out = read_file_as(reader, "x", v, &source);
                assert!(
                    out.diagnostics.iter().all(|d| d.code != "internal-error"),
                    "{}: {:?}",
                    reader.id,
                    out.diagnostics
                );
                runs += 1;
            }
        }
    }
    assert!(runs > 2000);
    for v in [
        "",
        "{}",
        "[]",
        "null",
        "\u{feff}",
        "{\"packages\": null}",
        "a:\n  b",
        "-\n-",
    ] {
        for reader in [
            &package_json::READER,
            &package_lock::READER,
            &yarn_lock::READER,
            &pnpm_lock::READER,
            &bun_lock::READER,
        ] {
            let out = read_file_as(reader, "x", v, &source);
            assert!(
                out.diagnostics.iter().all(|d| d.code != "internal-error"),
                "{v:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// pnpm-lock.yaml and berry yarn.lock: the line scanner against serde-saphyr.
//
// Both readers try a line scanner first and fall back to serde-saphyr when it
// declines. Each way can be called alone (`read_fast`, `read_fallback`):
// wherever the scanner reads a file, the two must give the same output,
// field by field, and the scanner must read the files pnpm and yarn write.

/// One reader's two ways.
struct TwoWays {
    id: &'static str,
    fast: fn(&Input<'_>, &mut Output) -> bool,
    fallback: fn(&Input<'_>, &mut Output),
}

const PNPM: TwoWays = TwoWays {
    id: "pnpm",
    fast: pnpm_lock::read_fast,
    fallback: pnpm_lock::read_fallback,
};

const YARN: TwoWays = TwoWays {
    id: "yarn",
    fast: yarn_lock::read_fast,
    fallback: yarn_lock::read_fallback,
};

fn assert_same_output(fast: &Output, slow: &Output, what: &str) {
    assert_eq!(fast.project_name, slow.project_name, "{what}: project name");
    assert_eq!(
        fast.components.len(),
        slow.components.len(),
        "{what}: component count"
    );
    for (i, (a, b)) in fast.components.iter().zip(&slow.components).enumerate() {
        assert_eq!(a.name, b.name, "{what}: component {i} name");
        assert_eq!(a.version, b.version, "{what}: component {i} version");
        assert_eq!(a.purl, b.purl, "{what}: component {i} purl");
        assert_eq!(a.scope, b.scope, "{what}: component {i} ({}) scope", a.name);
        assert_eq!(a.relation, b.relation, "{what}: {i} ({}) relation", a.name);
        assert_eq!(a.line, b.line, "{what}: component {i} ({}) line", a.name);
        assert_eq!(a.note, b.note, "{what}: component {i} ({}) note", a.name);
        assert_eq!(a, b, "{what}: component {i}");
    }
    assert_eq!(fast.dependencies, slow.dependencies, "{what}: edges");
    assert_eq!(fast.diagnostics, slow.diagnostics, "{what}: diagnostics");
}

/// Reads `text` both ways; when the scanner reads it, checks that the two
/// agree. Returns the fallback's output and whether the scanner read it.
fn both_ways(
    ways: &TwoWays,
    path: &str,
    text: &str,
    files: &dyn vigie_discovery::FileSource,
) -> (Output, bool) {
    let input = Input { path, text, files };
    let mut slow = Output::new(path);
    (ways.fallback)(&input, &mut slow);
    let mut fast = Output::new(path);
    let taken = (ways.fast)(&input, &mut fast);
    if taken {
        assert_same_output(&fast, &slow, &format!("{} {path}", ways.id));
    } else {
        assert!(
            fast.components.is_empty() && fast.diagnostics.is_empty(),
            "{path}: a declined scan leaves nothing"
        );
    }
    (slow, taken)
}

fn is_berry(text: &str) -> bool {
    text.lines().any(|l| l.starts_with("__metadata:"))
}

/// Every file under `dir`, recursively, sorted.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                found.push(p);
            }
        }
    }
    found.sort();
    found
}

/// The pnpm lockfiles and berry yarn.lock files of a tree: by name, or by
/// their osv-scanner fixture folder.
fn js_yaml_locks(root: &Path) -> Vec<(&'static TwoWays, PathBuf)> {
    let mut out = Vec::new();
    for p in files_under(root) {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let folder = p.parent().unwrap().file_name().unwrap().to_string_lossy();
        let fixtures = p.to_string_lossy().contains("osv-scanner-fixtures");
        if name.contains("pnpm-lock") || (fixtures && folder == "pnpm") {
            out.push((&PNPM, p));
        } else if name == "yarn.lock" || (fixtures && folder == "yarn") {
            let text = std::fs::read_to_string(&p).unwrap();
            if is_berry(&text) {
                out.push((&YARN, p));
            }
        }
    }
    out
}

fn read_both_ways(ways: &TwoWays, path: &Path) -> (Output, bool) {
    let text = std::fs::read_to_string(path).unwrap();
    let source = vigie_discovery::DiskSource::new(
        &[path.parent().unwrap().to_path_buf()],
        vigie_discovery::DEFAULT_MAX_FILE_SIZE,
    );
    both_ways(ways, &path.to_string_lossy(), &text, &source)
}

#[test]
fn scanner_and_serde_agree_on_the_reference_data() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let files = js_yaml_locks(&data.join("lockfiles"));
    let mut declined: Vec<String> = Vec::new();
    let mut pnpm = 0;
    let mut berry = 0;
    for (ways, path) in &files {
        let (_, taken) = read_both_ways(ways, path);
        let rel = path
            .strip_prefix(&data)
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if !taken {
            declined.push(rel);
        } else if ways.id == "pnpm" {
            pnpm += 1;
        } else {
            berry += 1;
        }
    }
    // The files the scanner leaves to serde-saphyr: an empty document (no
    // mapping to read) and a fixture that is not YAML at all.
    declined.sort();
    assert_eq!(
        declined,
        [
            "lockfiles/osv-scanner-fixtures/pnpm/empty.yaml",
            "lockfiles/osv-scanner-fixtures/pnpm/not-yaml.txt",
        ],
        "scanned: {pnpm} pnpm, {berry} berry"
    );
    // vite, prometheus and 27 fixtures; prettier and 11 fixtures.
    assert_eq!((pnpm, berry), (29, 12));
}

#[test]
fn scanner_and_serde_agree_on_the_example_estate() {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    for (ways, path) in js_yaml_locks(&examples) {
        let (_, taken) = read_both_ways(ways, &path);
        assert!(taken, "{}: the scanner reads it", path.display());
    }
}

// The benchmark estate (`bench/gen_estate.py`): copies of the real lockfiles
// whose `x.y.z` versions are bumped on some lines. The generator is rebuilt
// here (BLAKE2b included) to check the very bytes it writes.

/// BLAKE2b of a message of at most 128 bytes, unkeyed, `n`-byte digest.
fn blake2b_short(msg: &[u8], n: usize) -> Vec<u8> {
    const IV: [u64; 8] = [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ];
    const SIGMA: [[usize; 16]; 10] = [
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
        [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
        [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
        [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
        [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
        [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
        [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
        [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
        [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
        [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
    ];
    assert!(msg.len() <= 128 && n <= 64);
    let mut h = IV;
    h[0] ^= 0x0101_0000 ^ n as u64;
    let mut block = [0u8; 128];
    block[..msg.len()].copy_from_slice(msg);
    let m: Vec<u64> = block
        .chunks(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    let mut v = [0u64; 16];
    v[..8].copy_from_slice(&h);
    v[8..].copy_from_slice(&IV);
    v[12] ^= msg.len() as u64;
    v[14] = !v[14];
    let g = |v: &mut [u64; 16], a: usize, b: usize, c: usize, d: usize, x: u64, y: u64| {
        v[a] = v[a].wrapping_add(v[b]).wrapping_add(x);
        v[d] = (v[d] ^ v[a]).rotate_right(32);
        v[c] = v[c].wrapping_add(v[d]);
        v[b] = (v[b] ^ v[c]).rotate_right(24);
        v[a] = v[a].wrapping_add(v[b]).wrapping_add(y);
        v[d] = (v[d] ^ v[a]).rotate_right(16);
        v[c] = v[c].wrapping_add(v[d]);
        v[b] = (v[b] ^ v[c]).rotate_right(63);
    };
    for round in 0..12 {
        let s = &SIGMA[round % 10];
        g(&mut v, 0, 4, 8, 12, m[s[0]], m[s[1]]);
        g(&mut v, 1, 5, 9, 13, m[s[2]], m[s[3]]);
        g(&mut v, 2, 6, 10, 14, m[s[4]], m[s[5]]);
        g(&mut v, 3, 7, 11, 15, m[s[6]], m[s[7]]);
        g(&mut v, 0, 5, 10, 15, m[s[8]], m[s[9]]);
        g(&mut v, 1, 6, 11, 12, m[s[10]], m[s[11]]);
        g(&mut v, 2, 7, 8, 13, m[s[12]], m[s[13]]);
        g(&mut v, 3, 4, 9, 14, m[s[14]], m[s[15]]);
    }
    for i in 0..8 {
        h[i] ^= v[i] ^ v[i + 8];
    }
    h.iter().flat_map(|w| w.to_le_bytes()).take(n).collect()
}

/// gen_estate.py's `VERSION.search`: the first `\d+\.\d+\.\d+`, as the byte
/// range of its third number.
fn version_patch(line: &[u8]) -> Option<(usize, usize)> {
    let digits = |from: usize| {
        let mut i = from;
        while line.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        (i > from).then_some(i)
    };
    for start in 0..line.len() {
        let Some(a) = digits(start) else { continue };
        if line.get(a) != Some(&b'.') {
            continue;
        }
        let Some(b) = digits(a + 1) else { continue };
        if line.get(b) != Some(&b'.') {
            continue;
        }
        if let Some(c) = digits(b + 1) {
            return Some((b + 1, c));
        }
    }
    None
}

/// One file of repository `i`, as gen_estate.py writes it.
fn estate_copy(template: &[u8], i: usize, always_vary: bool) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = template
        .split(|&b| b == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    for (n, line) in lines.iter_mut().enumerate() {
        let Some((from, to)) = version_patch(line) else {
            continue;
        };
        let lower = line.to_ascii_lowercase();
        if !(always_vary || lower.windows(7).any(|w| w == b"version")) {
            continue;
        }
        if !blake2b_short(format!("{i}:{n}").as_bytes(), 2)[0].is_multiple_of(4) {
            continue;
        }
        let patch: u128 = std::str::from_utf8(&line[from..to])
            .unwrap()
            .parse()
            .unwrap();
        let mut bumped = line[..from].to_vec();
        bumped.extend_from_slice((patch + 1).to_string().as_bytes());
        bumped.extend_from_slice(&line[to..]);
        *line = bumped;
    }
    lines.join(&b'\n')
}

/// gen_estate.py's TEMPLATES: `(folder, [(source, name)])`, read from the
/// script itself.
fn estate_templates() -> Vec<(String, Vec<(String, String)>)> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench/gen_estate.py");
    let text = std::fs::read_to_string(script).unwrap();
    let block = text
        .split("TEMPLATES = [\n")
        .nth(1)
        .and_then(|t| t.split("\n]\n").next())
        .unwrap();
    let quoted =
        |s: &str| -> Vec<String> { s.split('"').skip(1).step_by(2).map(str::to_owned).collect() };
    let mut templates = Vec::new();
    for line in block
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with("(\""))
    {
        let (head, list) = line.split_once('[').unwrap();
        let folder = quoted(head).remove(0);
        let list = list.split(']').next().unwrap();
        // `"name"` or `("source", "name")`, comma-separated.
        let mut files = Vec::new();
        let mut group: Vec<String> = Vec::new();
        let mut in_tuple = false;
        let mut pieces = list.split('"');
        while let Some(between) = pieces.next() {
            if between.contains('(') {
                in_tuple = true;
            }
            if between.contains(')') {
                files.push((group[0].clone(), group[1].clone()));
                group.clear();
                in_tuple = false;
            }
            let Some(name) = pieces.next() else { break };
            if in_tuple {
                group.push(name.to_owned());
            } else {
                files.push((name.to_owned(), name.to_owned()));
            }
        }
        if !group.is_empty() {
            files.push((group[0].clone(), group[1].clone()));
        }
        templates.push((folder, files));
    }
    templates
}

#[test]
fn estate_generator_replica() {
    // Digests computed with Python's hashlib.blake2b(digest_size=2).
    for (msg, hex) in [("0:0", "4b1f"), ("9:17", "e508"), ("12345:67890", "4af0")] {
        let d = blake2b_short(msg.as_bytes(), 2);
        assert_eq!(format!("{:02x}{:02x}", d[0], d[1]), hex, "{msg}");
    }
    assert_eq!(version_patch(b"  version: 1.10.0"), Some((16, 17)));
    assert_eq!(version_patch(b"a1.2x3.4.5"), Some((9, 10)));
    let templates = estate_templates();
    assert_eq!(templates.len(), 17);
    assert_eq!(
        templates[12],
        (
            "prometheus".to_owned(),
            vec![(
                "web-ui-pnpm-lock.yaml".to_owned(),
                "pnpm-lock.yaml".to_owned()
            )]
        )
    );
    assert_eq!(
        templates[10].1,
        [
            ("pnpm-lock.yaml".to_owned(), "pnpm-lock.yaml".to_owned()),
            ("package.json".to_owned(), "package.json".to_owned())
        ]
    );
}

#[test]
fn scanner_and_serde_agree_on_the_benchmark_estate() {
    let Some(data) = common::data_dir() else {
        return;
    };
    // Three repositories per template by default (each is read twice, and
    // serde-saphyr is slow in a debug build); more with VIGIE_ESTATE_SAMPLES.
    // With VIGIE_ESTATE_DIR (the output of `bench/gen_estate.py`), the
    // replica is also checked byte for byte against the files written.
    let samples: usize = std::env::var("VIGIE_ESTATE_SAMPLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let templates = estate_templates();
    let mut scanned = 0;
    for (t, (folder, files)) in templates.iter().enumerate() {
        for k in 0..samples {
            let i = t + templates.len() * k;
            let repo = format!("team-{:02}/repo-{i:05}", i % 100);
            let mut source = vigie_discovery::MemorySource::new();
            let mut lock = None;
            for (src, dst) in files {
                let template =
                    std::fs::read(data.join("lockfiles").join(folder).join(src)).unwrap();
                let always = matches!(
                    dst.as_str(),
                    "go.mod" | "Gemfile.lock" | "requirements-main.txt"
                );
                let body = String::from_utf8(estate_copy(&template, i, always)).unwrap();
                let path = format!("{repo}/{dst}");
                // Against an estate the script wrote, when one is given.
                if let Some(dir) = std::env::var_os("VIGIE_ESTATE_DIR") {
                    let written = std::fs::read(Path::new(&dir).join(&path)).unwrap();
                    assert!(
                        written == body.as_bytes(),
                        "{path}: not what the script wrote"
                    );
                }
                source = source.with(&path, &body);
                if dst == "pnpm-lock.yaml" {
                    lock = Some((&PNPM, path, body));
                } else if dst == "yarn.lock" && is_berry(&body) {
                    lock = Some((&YARN, path, body));
                }
            }
            let Some((ways, path, body)) = lock else {
                continue;
            };
            let (out, taken) = both_ways(ways, &path, &body, &source);
            assert!(taken, "{path} ({folder}): the scanner reads it");
            assert!(!out.components.is_empty());
            scanned += 1;
        }
    }
    // vite, prometheus (pnpm) and prettier (berry).
    assert_eq!(scanned, 3 * samples);
}

/// Cut, scrambled and retabbed copies of a text, as in the hostile-input
/// test below, plus cuts at line ends (where the scanner often still reads).
fn variants(text: &str, cuts: usize) -> Vec<String> {
    let mut out = Vec::new();
    for k in 1..cuts {
        let mut cut = text.len() * k / cuts;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        out.push(text[..cut].to_owned());
        if let Some(nl) = text[..cut].rfind('\n') {
            out.push(text[..nl + 1].to_owned());
        }
    }
    let mut bytes = text.as_bytes().to_vec();
    for i in (0..bytes.len().saturating_sub(1)).step_by(7) {
        if bytes[i].is_ascii() && bytes[i + 1].is_ascii() {
            bytes.swap(i, i + 1);
        }
    }
    out.push(String::from_utf8(bytes).unwrap());
    out.push(text.replace('"', ""));
    out.push(text.replace('\'', ""));
    out.push(text.replace("  ", "\t"));
    out.push(text.replace("\n\n", "\n  \n"));
    out.push(text.replace("\n  ", "\n   "));
    out.push(text.replace("\n", "\r\n"));
    out.push(text.replace(": ", ":  "));
    out
}

#[test]
fn scanner_and_serde_agree_on_damaged_copies() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let source = vigie_discovery::MemorySource::new();
    let mut taken = 0;
    let mut runs = 0;
    for (ways, path) in js_yaml_locks(&data.join("lockfiles")) {
        let text = std::fs::read_to_string(&path).unwrap();
        // Fewer cuts of the large real files: serde-saphyr is slow in debug.
        let cuts = if text.len() > 100_000 { 4 } else { 24 };
        for v in variants(&text, cuts) {
            let name = path.file_name().unwrap().to_string_lossy();
            taken += usize::from(both_ways(ways, &name, &v, &source).1);
            runs += 1;
        }
    }
    // The comparison is only meaningful if the scanner reads many of them.
    assert!(runs > 1000 && taken > runs / 4, "{taken} of {runs}");
}

#[test]
fn what_the_scanner_leaves_to_serde() {
    let files = vigie_discovery::MemorySource::new();
    let read = |ways: &TwoWays, text: &str| -> Output {
        let (out, taken) = both_ways(ways, "x", text, &files);
        assert!(!taken, "declined: {text}");
        // The reader as registered gives the fallback's answer.
        let reader = if ways.id == "pnpm" {
            &pnpm_lock::READER
        } else {
            &yarn_lock::READER
        };
        let direct = read_file_as(reader, "x", text, &files);
        assert_same_output(&direct, &out, text);
        out
    };
    let names = |out: &Output| -> Vec<String> {
        out.components
            .iter()
            .map(|c| format!("{}@{}", c.name, c.version.as_deref().unwrap_or("?")))
            .collect()
    };
    // An anchor and an alias: the alias repeats the resolution.
    let out = read(
        &PNPM,
        "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: &r {integrity: sha512-x}\n  b@2.0.0:\n    resolution: *r\n",
    );
    assert_eq!(names(&out), ["a@1.0.0", "b@2.0.0"]);
    // A flow mapping over several lines.
    let out = read(
        &PNPM,
        "lockfileVersion: 5.4\npackages:\n  /a/1.0.0: {resolution: {integrity: sha512-x},\n    dev: true}\n",
    );
    assert_eq!(names(&out), ["a@1.0.0"]);
    assert_eq!(out.components[0].scope, Scope::Dev);
    // A tab after a key: YAML separation space, outside the scanner's subset.
    let out = read(
        &PNPM,
        "lockfileVersion: '6.0'\npackages:\n  /a@1.0.0:\n    resolution:\t{integrity: sha512-x}\n",
    );
    assert_eq!(names(&out), ["a@1.0.0"]);
    // A tab in the indentation: invalid YAML, a located error.
    let out = read(&PNPM, "lockfileVersion: '9.0'\npackages:\n\ta@1.0.0: {}\n");
    assert!(out.components.is_empty());
    assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    // Berry: an alias for the dependencies, a comment after a value, a
    // duplicate key (an error for serde-saphyr).
    let berry = "__metadata:\n  version: 8\n\n\"a@npm:^1\":\n  version: 1.0.0\n  resolution: \"a@npm:1.0.0\"\n  dependencies: &d\n    b: \"npm:^2\"\n\n\"b@npm:^2\":\n  version: 2.0.0 # hand-edited\n  resolution: \"b@npm:2.0.0\"\n  dependencies: *d\n";
    let out = read(&YARN, berry);
    assert_eq!(names(&out), ["a@1.0.0", "b@2.0.0"]);
    assert_eq!(out.dependencies, [(0, 1)]);
    let out = read(
        &YARN,
        "__metadata:\n  version: 8\n\"a@npm:^1\":\n  version: 1.0.0\n  version: 1.0.1\n",
    );
    assert!(out.components.is_empty());
    assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    assert_eq!(out.diagnostics[0].line, Some(5));
    // A number where a reference is read through `deserialize_any`: serde
    // makes `1.0` the string `1`, which finds `/a/1` (direct); the scanner
    // leaves numbers to it.
    let out = read(
        &PNPM,
        "lockfileVersion: 5.4\ndependencies:\n  a: 1.0\npackages:\n  /a/1:\n    resolution: {integrity: x}\n",
    );
    assert_eq!(names(&out), ["a@1"]);
    assert_eq!(out.components[0].relation, Relation::Direct);
}

/// Random edits of the fixtures and of the head of the real files, with the
/// characters YAML cares about: wherever the scanner still reads the result,
/// it must agree with serde-saphyr. (Deterministic: a fixed xorshift seed;
/// VIGIE_FUZZ_RUNS raises the number of edited copies.)
#[test]
fn scanner_and_serde_agree_on_random_edits() {
    let Some(data) = common::data_dir() else {
        return;
    };
    const TOKENS: &[&str] = &[
        " ",
        ":",
        ": ",
        "'",
        "''",
        "\"",
        "#",
        " #",
        "-",
        "- ",
        "{",
        "}",
        "[",
        "]",
        ",",
        ", ",
        "~",
        "null",
        "true",
        "yes",
        "1.0",
        "0x1",
        ".inf",
        "&a ",
        "*a",
        "!",
        "|",
        ">",
        "\r",
        "\t",
        "@",
        "%",
        "?",
        "<<",
        "\n",
        "\n  ",
        "  ",
        "\\",
        "{}",
        "[]",
        "...",
        "---",
        "é",
        "dev: true",
        "optional: true",
        "version: 1.0.0",
        "resolution: \"a@npm:1.0.0\"",
    ];
    let runs: usize = std::env::var("VIGIE_FUZZ_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut seeds: Vec<(&TwoWays, String)> = Vec::new();
    for (ways, path) in js_yaml_locks(&data.join("lockfiles")) {
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        // The head of the file, and windows of 150 lines from up to ten
        // top-level keys on (pnpm sections, yarn entries), after the head's
        // first entry (`lockfileVersion`, `__metadata`).
        let tops: Vec<usize> = (0..lines.len())
            .filter(|&i| lines[i].starts_with(|c: char| c != ' ' && c != '#'))
            .collect();
        let prefix = &lines[..tops.get(1).copied().unwrap_or(lines.len())];
        let step = (tops.len() / 10).max(1);
        let mut starts = vec![tops.get(1).copied().unwrap_or(lines.len())];
        starts.extend(tops.iter().skip(2).step_by(step));
        for k in starts {
            let window = &lines[k..(k + 150).min(lines.len())];
            let seed: String = prefix
                .iter()
                .chain(window)
                .flat_map(|l| [*l, "\n"])
                .collect();
            seeds.push((ways, seed));
        }
    }
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| -> usize {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    let source = vigie_discovery::MemorySource::new();
    let mut taken = 0;
    for _ in 0..runs {
        let (ways, seed) = &seeds[next(seeds.len())];
        let mut lines: Vec<String> = seed.lines().map(str::to_owned).collect();
        for _ in 0..1 + next(3) {
            let at = next(lines.len().max(1));
            match next(5) {
                0 if !lines.is_empty() => {
                    lines.remove(at);
                }
                1 if !lines.is_empty() => {
                    let copy = lines[at].clone();
                    lines.insert(at, copy);
                }
                2 if !lines.is_empty() => {
                    let l = &mut lines[at];
                    if next(2) == 0 {
                        l.insert(0, ' ');
                    } else if l.starts_with(' ') {
                        l.remove(0);
                    }
                }
                _ if !lines.is_empty() => {
                    let l = &mut lines[at];
                    let mut pos = next(l.len() + 1);
                    while !l.is_char_boundary(pos) {
                        pos -= 1;
                    }
                    l.insert_str(pos, TOKENS[next(TOKENS.len())]);
                }
                _ => {}
            }
        }
        let text: String = lines.iter().flat_map(|l| [l.as_str(), "\n"]).collect();
        let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            both_ways(ways, "x", &text, &source).1
        }));
        match run {
            Ok(t) => taken += usize::from(t),
            Err(e) => {
                eprintln!("edited copy:\n{text}");
                std::panic::resume_unwind(e);
            }
        }
    }
    assert!(taken > runs / 5, "the scanner read {taken} of {runs}");
}

/// A pnpm v9 lockfile as pnpm writes it for a large monorepo (the shape of
/// `vite/pnpm-lock.yaml`): `packages` packages, each with its resolution and
/// engines, and a snapshot depending on the next two; the root importer
/// depends on the first ten. Gives the text and the `(name, version)` of every
/// package key written.
fn big_pnpm_lock(packages: usize) -> (String, HashSet<(String, String)>) {
    let id = |i: usize| {
        (
            format!("@scope{}/pkg-{i}", i % 40),
            format!("1.{}.{}", i % 13, i % 7),
        )
    };
    let mut text = String::from(
        "lockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n  \
         excludeLinksFromLockfile: false\n\nimporters:\n\n  .:\n    dependencies:\n",
    );
    for i in 0..10 {
        let (name, version) = id(i);
        text.push_str(&format!(
            "      '{name}':\n        specifier: ^{version}\n        version: {version}\n"
        ));
    }
    let mut keys = HashSet::new();
    text.push_str("\npackages:\n");
    for i in 0..packages {
        let (name, version) = id(i);
        text.push_str(&format!(
            "\n  '{name}@{version}':\n    resolution: {{integrity: sha512-{i:086x}==}}\n    \
             engines: {{node: '>=18'}}\n"
        ));
        keys.insert((name, version));
    }
    text.push_str("\nsnapshots:\n");
    for i in 0..packages {
        let (name, version) = id(i);
        let deps: Vec<String> = (i + 1..packages.min(i + 3))
            .map(|j| {
                let (n, v) = id(j);
                format!("      '{n}': {v}\n")
            })
            .collect();
        if deps.is_empty() {
            text.push_str(&format!("\n  '{name}@{version}': {{}}\n"));
        } else {
            text.push_str(&format!(
                "\n  '{name}@{version}':\n    dependencies:\n{}",
                deps.concat()
            ));
        }
    }
    (text, keys)
}

/// Issue 19, defect 9: a lockfile of 300,000 lines (1.2 million YAML nodes,
/// five times serde-saphyr's default budget) is read whole, by the scanner
/// and by serde-saphyr alike.
#[test]
fn a_monorepo_pnpm_lock_of_300_000_lines_is_read_whole() {
    let (text, keys) = big_pnpm_lock(33_000);
    let lines = text.lines().count();
    assert!((290_000..320_000).contains(&lines), "{lines} lines");
    let dir = tempfile::tempdir().unwrap();
    let source = vigie_discovery::DiskSource::new(
        &[dir.path().to_path_buf()],
        vigie_discovery::DEFAULT_MAX_FILE_SIZE,
    );
    let (out, taken) = both_ways(&PNPM, "pnpm-lock.yaml", &text, &source);
    assert!(taken, "the scanner reads it");
    assert!(out.diagnostics.is_empty(), "{:?}", &out.diagnostics[..1]);
    let read: HashSet<(String, String)> = out
        .components
        .iter()
        .map(|c| (c.name.clone(), c.version.clone().unwrap_or_default()))
        .collect();
    assert_eq!(out.components.len(), keys.len());
    assert_eq!(read, keys);
    // The snapshots' dependencies (each on the next two); the importer's ten are direct.
    assert_eq!(out.dependencies.len(), 2 * keys.len() - 3);
    let direct = out
        .components
        .iter()
        .filter(|c| c.relation == Relation::Direct);
    assert_eq!(direct.count(), 10);
}
