//! Python readers on real lockfiles, the osv-scanner fixtures and a
//! hand-written `pylock.toml`. Expected counts are made independently of the
//! readers: on the raw text (counting `[[package]]` blocks, pinned lines) or
//! by reading the fixture by hand (the tables below say why).

use crate::common;

use std::path::{Path, PathBuf};

use vigie_discovery::readers::{
    pdm_lock, pipfile_lock, poetry_lock, pylock, pyproject, requirements_txt, uv_lock,
};
use vigie_discovery::{Output, Reader, read_file_as};
use vigie_model::{Relation, Scope, Severity};

fn has_error(out: &Output) -> bool {
    out.diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error)
}

/// `[[package]]` blocks of a TOML lockfile, split on the raw text.
fn blocks<'a>(text: &'a str, header: &str) -> Vec<&'a str> {
    text.split(header).skip(1).collect()
}

/// 1-based line of the first `needle` in `text`.
fn line_of(text: &str, needle: &str) -> u32 {
    let at = text.find(needle).expect("needle in text");
    text[..at].matches('\n').count() as u32 + 1
}

#[test]
fn real_poetry_lock() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/python-poetry-poetry");
    let path = dir.join("poetry.lock");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = common::read_data_file(&poetry_lock::READER, &path);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    // Every block is a component unless its source is a local directory.
    let expected: Vec<&str> = blocks(&text, "[[package]]")
        .into_iter()
        .filter(|b| !b.contains("type = \"directory\""))
        .collect();
    assert_eq!(out.components.len(), expected.len());
    assert_eq!(out.components.len(), 78);
    // Scope on the raw text: a block whose `groups` line has no "main" is dev.
    let dev = expected
        .iter()
        .filter(|b| {
            b.lines()
                .find(|l| l.starts_with("groups = "))
                .is_some_and(|l| !l.contains("\"main\""))
        })
        .count();
    assert_eq!(
        out.components
            .iter()
            .filter(|c| c.scope == Scope::Dev)
            .count(),
        dev
    );
    let find = |name: &str| out.components.iter().find(|c| c.name == name).unwrap();
    let anyio = find("anyio");
    assert_eq!(anyio.purl, "pkg:pypi/anyio@4.13.0");
    assert_eq!(anyio.scope, Scope::Runtime);
    assert_eq!(anyio.line, Some(line_of(&text, "name = \"anyio\"")));
    assert_eq!(find("mypy").scope, Scope::Dev);
    assert_eq!(find("pytest").version.as_deref(), Some("9.0.3"));
    let core = find("poetry-core");
    assert_eq!(
        core.note.as_deref(),
        Some(
            "from git https://github.com/python-poetry/poetry-core.git at e3998b0e111dc03e4aa721fd054c48e5c7de6fc5"
        )
    );
    // anyio depends on idna (declared in [package.dependencies]).
    let idx = |name: &str| out.components.iter().position(|c| c.name == name).unwrap() as u32;
    assert!(out.dependencies.contains(&(idx("anyio"), idx("idna"))));

    let manifest = common::read_data_file(&pyproject::READER, &dir.join("pyproject.toml"));
    assert!(manifest.diagnostics.is_empty());
    assert_eq!(manifest.project_name.as_deref(), Some("poetry"));
}

#[test]
fn real_uv_lock() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/astral-sh-ruff");
    let path = dir.join("uv.lock");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = common::read_data_file(&uv_lock::READER, &path);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let local = ["editable =", "virtual =", "directory =", "workspace ="];
    let expected = blocks(&text, "[[package]]")
        .into_iter()
        .filter(|b| {
            let source = b.lines().find(|l| l.starts_with("source = ")).unwrap_or("");
            !local.iter().any(|k| source.contains(k))
        })
        .count();
    assert_eq!(out.components.len(), expected);
    assert_eq!(out.components.len(), 88);
    assert_eq!(out.project_name.as_deref(), Some("ruff"));
    // The root package `ruff` has only dependency groups (dev, docs, ...):
    // everything locked is there for development.
    assert!(
        out.components.iter().all(|c| c.scope == Scope::Dev),
        "{:?}",
        out.components
            .iter()
            .filter(|c| c.scope != Scope::Dev)
            .map(|c| &c.name)
            .collect::<Vec<_>>()
    );
    // Direct: the names of the root's [package.dev-dependencies] entries.
    let root = text.split("[package.dev-dependencies]").nth(1).unwrap();
    let root = root.split("[package.metadata]").next().unwrap();
    let mut direct: Vec<&str> = root
        .lines()
        .filter_map(|l| l.trim().strip_prefix("{ name = \""))
        .map(|l| l.split('"').next().unwrap())
        .collect();
    direct.sort();
    direct.dedup();
    let mut got: Vec<&str> = out
        .components
        .iter()
        .filter(|c| c.relation == Relation::Direct)
        .map(|c| c.name.as_str())
        .collect();
    got.sort();
    assert_eq!(got, direct);
    let md: Vec<_> = out
        .components
        .iter()
        .filter(|c| c.name == "markdown-it-py")
        .map(|c| c.version.as_deref().unwrap())
        .collect();
    assert_eq!(md, ["3.0.0", "4.2.0"]);
    let black = out.components.iter().find(|c| c.name == "black").unwrap();
    assert_eq!(
        black.note.as_deref(),
        Some("from git https://github.com/psf/black.git#e34bb1bef70e83410c2816dfd07485ec026959aa")
    );
    assert_eq!(black.line, Some(line_of(&text, "name = \"black\"")));

    let manifest = common::read_data_file(&pyproject::READER, &dir.join("pyproject.toml"));
    assert_eq!(manifest.project_name.as_deref(), Some("ruff"));
}

#[test]
fn real_requirements_txt() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/pypi-warehouse");
    for (file, n, scope) in [
        ("requirements-main.txt", 184, Scope::Runtime),
        ("requirements-deploy.txt", 8, Scope::Runtime),
        ("requirements-dev.txt", 27, Scope::Dev),
    ] {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let out = common::read_data_file(&requirements_txt::READER, &path);
        assert!(out.diagnostics.is_empty(), "{file}: {:?}", out.diagnostics);
        // pip-compile output: one `name==version \` line at column 0 per package.
        let pins: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with(|c: char| c.is_ascii_alphanumeric()))
            .collect();
        assert_eq!(out.components.len(), pins.len(), "{file}");
        assert_eq!(out.components.len(), n, "{file}");
        for (c, pin) in out.components.iter().zip(&pins) {
            let (name, version) = pin.trim_end_matches(" \\").split_once("==").unwrap();
            let name = name.split('[').next().unwrap();
            assert_eq!(
                (c.name.as_str(), c.version.as_deref()),
                (name, Some(version))
            );
            assert_eq!(c.scope, scope);
        }
        // Direct: the pins whose `# via` block names a `-r` input file.
        let direct = text
            .split('\n')
            .fold((0, false), |(n, open), l| {
                if l.starts_with(|c: char| c.is_ascii_alphanumeric()) {
                    (n, true)
                } else if open && l.trim_start().starts_with('#') && l.contains("-r ") {
                    (n + 1, false)
                } else if !l.starts_with(' ') {
                    (n, false)
                } else {
                    (n, open)
                }
            })
            .0;
        assert_eq!(
            out.components
                .iter()
                .filter(|c| c.relation == Relation::Direct)
                .count(),
            direct,
            "{file}"
        );
        assert!(
            out.components
                .iter()
                .all(|c| c.relation != Relation::Unknown || c.name == "setuptools"),
            "{file}"
        );
    }
    let main = common::read_data_file(
        &requirements_txt::READER,
        &dir.join("requirements-main.txt"),
    );
    let celery = main.components.iter().find(|c| c.name == "celery").unwrap();
    assert_eq!(celery.purl, "pkg:pypi/celery@5.6.3");
    assert_eq!(celery.relation, Relation::Direct);
    // `amqp==5.3.1 # via kombu`: an edge kombu -> amqp.
    let idx = |name: &str| main.components.iter().position(|c| c.name == name).unwrap() as u32;
    assert!(main.dependencies.contains(&(idx("kombu"), idx("amqp"))));
    assert_eq!(
        main.components[idx("amqp") as usize].relation,
        Relation::Transitive
    );
}

#[test]
fn osv_scanner_poetry_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/poetry");
    let expect = [
        ("empty.lock", 0, false),
        ("not-toml.txt", 0, true),
        ("one-package-with-metadata.lock", 1, false),
        ("one-package.lock", 1, false),
        ("optional-package.lock", 1, false),
        ("source-git.lock", 1, false),
        ("source-legacy.lock", 1, false),
        ("two-packages.lock", 2, false),
    ];
    check_table(&poetry_lock::READER, &dir, &expect);
    let read = |f: &str| common::read_data_file(&poetry_lock::READER, &dir.join(f));
    assert_eq!(
        read("optional-package.lock").components[0].scope,
        Scope::Optional
    );
    assert!(
        read("source-git.lock").components[0]
            .note
            .as_deref()
            .unwrap()
            .contains("cd66602cd29f61a2d2e7fb995fef1e61708c034d")
    );
    // proto-plus depends on protobuf.
    assert_eq!(read("two-packages.lock").dependencies, [(0, 1)]);
}

#[test]
fn osv_scanner_pipenv_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/pipenv");
    let expect = [
        ("empty.json", 0, false),
        // default: itsdangerous 2.1.2, pluggy 1.0.1, markupsafe 2.1.1;
        // develop: itsdangerous 2.1.2 (same: merged), pluggy 1.0.0.
        ("multiple-packages.json", 4, false),
        // Two git checkouts without a version: unresolved, not dropped
        // (osv-scanner drops them).
        ("no-version.json", 2, false),
        ("not-json.txt", 0, true),
        ("one-package-dev.json", 1, false),
        ("one-package.json", 1, false),
        ("two-packages-alt.json", 2, false),
        ("two-packages.json", 2, false),
    ];
    check_table(&pipfile_lock::READER, &dir, &expect);
    let read = |f: &str| common::read_data_file(&pipfile_lock::READER, &dir.join(f));
    let multi = read("multiple-packages.json");
    let got: Vec<_> = multi
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_deref().unwrap(), c.scope))
        .collect();
    assert_eq!(
        got,
        [
            ("itsdangerous", "2.1.2", Scope::Runtime),
            ("markupsafe", "2.1.1", Scope::Runtime),
            ("pluggy", "1.0.1", Scope::Runtime),
            ("pluggy", "1.0.0", Scope::Dev),
        ]
    );
    let none = read("no-version.json");
    assert!(none.components.iter().all(|c| c.is_unresolved()));
    assert_eq!(none.components[1].scope, Scope::Dev);
    assert_eq!(none.diagnostics.len(), 2);
    assert_eq!(read("one-package-dev.json").components[0].scope, Scope::Dev);
}

#[test]
fn osv_scanner_pdm_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/pdm");
    let expect = [
        ("dev-dependency.toml", 3, false),
        ("empty.toml", 0, false),
        ("git-dependency.toml", 1, false),
        ("not-toml.txt", 0, true),
        ("optional-dependency.toml", 3, false),
        ("single-package.toml", 1, false),
        ("two-packages.toml", 2, false),
    ];
    check_table(&pdm_lock::READER, &dir, &expect);
    let scopes = |f: &str| -> Vec<Scope> {
        common::read_data_file(&pdm_lock::READER, &dir.join(f))
            .components
            .iter()
            .map(|c| c.scope)
            .collect()
    };
    // pyroute2 and win-inet-pton are in `dev` (or `tmp`), toml in `default`.
    assert_eq!(
        scopes("dev-dependency.toml"),
        [Scope::Dev, Scope::Runtime, Scope::Dev]
    );
    assert_eq!(
        scopes("optional-dependency.toml"),
        [Scope::Optional, Scope::Runtime, Scope::Optional]
    );
    let git = common::read_data_file(&pdm_lock::READER, &dir.join("git-dependency.toml"));
    assert_eq!(
        git.components[0].note.as_deref(),
        Some(
            "from git https://github.com/uiri/toml.git at 65bab7582ce14c55cdeec2244c65ea23039c9e6f"
        )
    );
}

#[test]
fn osv_scanner_pip_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/pip");
    // (file, components, unresolved among them, expects an error)
    let expect = [
        // 1 -> 2 -> (1: already read) 3 -> (1, 2: already read): the three
        // pins of cyclic-r-complex, at three versions.
        ("cyclic-r-complex-1.txt", 3, 0, false),
        ("cyclic-r-complex-2.txt", 3, 0, false),
        ("cyclic-r-complex-3.txt", 3, 0, false),
        ("cyclic-r-self.txt", 2, 0, false),
        ("duplicate-r-base.txt", 1, 0, false),
        // django (base, read once), requests and unittest (test), pandas;
        // requests again: the same pin.
        ("duplicate-r-dev.txt", 4, 0, false),
        ("duplicate-r-test.txt", 3, 0, false),
        ("empty.txt", 0, 0, false),
        // pytest, pytest-cov, beautifulsoup4, docopt==0.6.1, keyring>=,
        // coverage!=, Mopidy-Dirble~=, django==2.2.24 (other-file.txt), a
        // wheel path (numpy), a wheel URL (wxPython_Phoenix), rejected, green.
        ("file-format-example.txt", 12, 10, false),
        // foo 1.2.3, bar 4.5.6, baz 7.8.9, qux 10.11.12 (see the unit test).
        ("line-continuation.txt", 4, 0, false),
        ("multiple-packages-constrained.txt", 13, 0, false),
        // flask, flask-cors, sklearn, requests, gevent are unpinned.
        ("multiple-packages-mixed.txt", 8, 5, false),
        ("non-normalized-names.txt", 3, 0, false),
        ("one-package-constrained.txt", 1, 0, false),
        ("one-package-unconstrained.txt", 1, 1, false),
        ("only-comments.txt", 0, 0, false),
        ("other-file.txt", 1, 0, false),
        ("with-added-support.txt", 1, 0, false),
        // requests==1.2.3, and an include that does not exist.
        ("with-bad-r-option.txt", 1, 0, true),
        // django (one-package-constrained), the 8 of multiple-packages-mixed
        // where requests and pandas are pinned by this file: 5 unpinned
        // minus requests.
        ("with-multiple-r-options.txt", 9, 4, false),
        // boto3, foo, FooProject pinned; BarProject >= 1.2.
        ("with-per-requirement-options.txt", 4, 1, false),
    ];
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<&str> = expect.iter().map(|e| e.0).collect();
    assert_eq!(files, listed, "every fixture is in the table");
    for (file, n, unresolved, err) in expect {
        let out = common::read_data_file(&requirements_txt::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}: {:?}", out.components);
        assert_eq!(
            out.components.iter().filter(|c| c.is_unresolved()).count(),
            unresolved,
            "{file}"
        );
        assert_eq!(has_error(&out), err, "{file}: {:?}", out.diagnostics);
        // Every unresolved component has a warning and a reason.
        let warnings = out
            .diagnostics
            .iter()
            .filter(|d| d.code == "unresolved-version")
            .count();
        assert_eq!(warnings, unresolved, "{file}");
        assert!(
            out.components
                .iter()
                .all(|c| !c.is_unresolved() || c.note.is_some())
        );
    }
    let read = |f: &str| common::read_data_file(&requirements_txt::READER, &dir.join(f));
    let bad = read("with-bad-r-option.txt");
    let d = &bad.diagnostics[0];
    assert_eq!(d.code, "unreadable-include");
    assert_eq!(d.line, Some(3));
    assert!(d.file.ends_with("pip/with-bad-r-option.txt"), "{}", d.file);
    let example = read("file-format-example.txt");
    let django = example
        .components
        .iter()
        .find(|c| c.name == "django")
        .unwrap();
    assert_eq!(django.version.as_deref(), Some("2.2.24"));
    assert_eq!(django.line, Some(1));
    assert!(
        django
            .note
            .as_deref()
            .unwrap()
            .ends_with("pip/other-file.txt")
    );
    let names = read("non-normalized-names.txt");
    let purls: Vec<&str> = names.components.iter().map(|c| c.purl.as_str()).collect();
    assert_eq!(
        purls,
        [
            "pkg:pypi/zope.interface@5.4.0",
            "pkg:pypi/pillow@1.0.0",
            "pkg:pypi/twisted@20.3.0"
        ]
    );
    let cyclic = read("cyclic-r-complex-1.txt");
    let versions: Vec<_> = cyclic
        .components
        .iter()
        .map(|c| c.version.as_deref().unwrap())
        .collect();
    assert_eq!(versions, ["3", "2", "1"]);
}

#[test]
fn hand_written_pylock() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/pylock/pylock.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = read_file_as(
        &pylock::READER,
        "pylock.toml",
        &text,
        &vigie_discovery::MemorySource::new(),
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    // Every [[packages]] but the project's own directory entry.
    let expected = blocks(&text, "[[packages]]")
        .into_iter()
        .filter(|b| !b.contains("directory = "))
        .count();
    assert_eq!(out.components.len(), expected);
    assert_eq!(out.components.len(), 12);
    let find = |name: &str| out.components.iter().find(|c| c.name == name).unwrap();
    assert_eq!(find("rich").scope, Scope::Optional);
    assert_eq!(find("pytest").scope, Scope::Dev);
    assert_eq!(find("exceptiongroup").scope, Scope::Runtime);
    assert_eq!(find("anyio").line, Some(line_of(&text, "name = \"anyio\"")));
    assert_eq!(
        find("station-codes").note.as_deref(),
        Some(
            "from git https://github.com/example-org/station-codes.git at 5d2c4a1e9f0b7c3d8e6a2b1f4c7d9e0a3b5c8d1f"
        )
    );
    assert_eq!(
        find("internal-geo").note.as_deref(),
        Some("from https://artifacts.example.com/internal_geo-1.4.2-py3-none-any.whl")
    );
    assert_eq!(
        find("typing-extensions").purl,
        "pkg:pypi/typing-extensions@4.12.2"
    );
    // anyio -> 4 packages, httpx -> 3 (the project's own edges are not kept).
    assert_eq!(out.dependencies.len(), 7);
    assert!((pylock::READER.matches)("pylock.toml"));
}

fn check_table(reader: &Reader, dir: &Path, expect: &[(&str, usize, bool)]) {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let listed: Vec<&str> = expect.iter().map(|e| e.0).collect();
    assert_eq!(files, listed, "every fixture is in the table");
    for &(file, n, err) in expect {
        let out = common::read_data_file(reader, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}: {:?}", out.components);
        assert_eq!(has_error(&out), err, "{file}: {:?}", out.diagnostics);
    }
}

/// Truncated and corrupted copies of real files: never a panic (which
/// `read_file_as` would turn into `internal-error`), always components or a
/// diagnostic.
#[test]
fn hostile_copies_of_real_files() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let lock = data.join("lockfiles");
    let cases: [(&Reader, PathBuf); 5] = [
        (
            &poetry_lock::READER,
            lock.join("python-poetry-poetry/poetry.lock"),
        ),
        (&uv_lock::READER, lock.join("astral-sh-ruff/uv.lock")),
        (
            &requirements_txt::READER,
            lock.join("pypi-warehouse/requirements-main.txt"),
        ),
        (
            &pipfile_lock::READER,
            lock.join("osv-scanner-fixtures/pipenv/multiple-packages.json"),
        ),
        (
            &pdm_lock::READER,
            lock.join("osv-scanner-fixtures/pdm/dev-dependency.toml"),
        ),
    ];
    let files = vigie_discovery::MemorySource::new();
    for (reader, path) in cases {
        let text = std::fs::read_to_string(&path).unwrap();
        let len = text.len();
        for k in 1..40 {
            let mut cut = len * k / 40;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            let truncated = &text[..cut];
            // The same cut with the next line shifted by a space.
            let shifted = format!("{truncated} {}", &text[cut..]);
            for t in [truncated, shifted.as_str()] {
                let out = read_file_as(reader, "x", t, &files);
                assert!(
                    out.diagnostics.iter().all(|d| d.code != "internal-error"),
                    "{}",
                    path.display()
                );
            }
        }
    }
}

/// The registry sends each file name to its reader.
#[test]
fn file_names_find_their_readers() {
    use vigie_discovery::registry::reader_for;
    for (name, id) in [
        ("pyproject.toml", "pyproject-toml"),
        ("poetry.lock", "poetry-lock"),
        ("uv.lock", "uv-lock"),
        ("pdm.lock", "pdm-lock"),
        ("pylock.toml", "pylock-toml"),
        ("pylock.prod.toml", "pylock-toml"),
        ("Pipfile.lock", "pipfile-lock"),
        ("requirements.txt", "requirements-txt"),
        ("requirements-dev.txt", "requirements-txt"),
        ("dev-requirements.txt", "requirements-txt"),
        ("constraints.txt", "requirements-txt"),
        ("Gemfile.lock", "gemfile-lock"),
        ("gems.locked", "gemfile-lock"),
        ("composer.lock", "composer-lock"),
        ("composer.json", "composer-json"),
    ] {
        assert_eq!(reader_for(name).map(|r| r.id), Some(id), "{name}");
    }
    for name in [
        "Pipfile",
        "Gemfile",
        "setup.py",
        "requirements.in",
        "notes.txt",
    ] {
        assert!(reader_for(name).is_none(), "{name}");
    }
}
