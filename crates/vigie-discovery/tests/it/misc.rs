//! Pub, Hex, Conan, renv, cabal, Stack lockfiles and the dpkg / apk
//! databases, on the osv-scanner fixtures (every file of their folders, with
//! counts worked out by reading each fixture) and on handwritten realistic
//! cabal and Stack files (counts made independently on the raw text).
//!
//! Where osv-scanner counts packages we deliberately do not, the table says
//! so: local `path` and Flutter `sdk` packages of pubspec.lock are part of
//! the project, and renv packages from Bioconductor, GitHub or an unknown
//! source are kept (osv-scanner keeps only CRAN ones).

use crate::common;

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use vigie_discovery::readers::{
    apk_installed, cabal_freeze, conan_lock, dpkg_status, mix_lock, pubspec_lock, renv_lock,
    stack_lock,
};
use vigie_discovery::{Output, Reader};
use vigie_model::{Component, Ecosystem, Relation, Scope, Severity};

/// `(file, components, error codes, warning codes)`, codes sorted.
type Case = (
    &'static str,
    usize,
    &'static [&'static str],
    &'static [&'static str],
);

fn codes(out: &Output, severity: Severity) -> Vec<&str> {
    let mut v: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.severity == severity)
        .map(|d| d.code.as_str())
        .collect();
    v.sort_unstable();
    v
}

/// Runs a table over a fixture folder, checking that it names every file of
/// the folder; returns the outputs by file name for spot checks.
fn run_table(reader: &Reader, dir: &Path, table: &[Case]) -> HashMap<&'static str, Output> {
    let on_disk: BTreeSet<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let in_table: BTreeSet<String> = table.iter().map(|c| c.0.to_owned()).collect();
    assert_eq!(
        on_disk, in_table,
        "the table must cover every fixture of {dir:?}"
    );
    let mut outs = HashMap::new();
    for &(file, n, errors, warnings) in table {
        let out = common::read_data_file(reader, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}: {:#?}", out.components);
        assert_eq!(
            codes(&out, Severity::Error),
            errors,
            "{file}: {:#?}",
            out.diagnostics
        );
        assert_eq!(
            codes(&out, Severity::Warning),
            warnings,
            "{file}: {:#?}",
            out.diagnostics
        );
        // Whatever the file, a component is well formed.
        for c in &out.components {
            assert!(!c.name.is_empty(), "{file}");
            assert!(c.purl.starts_with("pkg:"), "{file}: {}", c.purl);
            assert_eq!(c.is_unresolved(), c.note.is_some() && c.version.is_none());
        }
        outs.insert(file, out);
    }
    outs
}

fn fixtures(data: &Path, sub: &str) -> PathBuf {
    data.join("lockfiles/osv-scanner-fixtures").join(sub)
}

fn find<'a>(out: &'a Output, name: &str) -> &'a Component {
    out.components
        .iter()
        .find(|c| c.name == name)
        .unwrap_or_else(|| panic!("no component {name}: {:#?}", out.components))
}

fn has_edge(out: &Output, from: &str, to: &str) -> bool {
    let idx = |n: &str| {
        out.components
            .iter()
            .position(|c| c.name == n)
            .map(|i| i as u32)
    };
    match (idx(from), idx(to)) {
        (Some(a), Some(b)) => out.dependencies.contains(&(a, b)),
        _ => false,
    }
}

const NONE: &[&str] = &[];

#[test]
fn osv_scanner_pub_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let table: &[Case] = &[
        ("empty.lock", 0, NONE, NONE),
        ("mixed-packages.lock", 4, NONE, NONE),
        ("no-packages.lock", 0, NONE, NONE),
        // A YAML string, not a map.
        ("not-yaml.txt", 0, &["invalid-syntax"], NONE),
        ("one-package-dev.lock", 1, NONE, NONE),
        ("one-package.lock", 1, NONE, NONE),
        ("source-git.lock", 5, NONE, NONE),
        // osv-scanner: 1. A `path` package is the project's own.
        ("source-path.lock", 0, NONE, NONE),
        // osv-scanner: 1. `flutter_web_plugins` ships inside the Flutter SDK.
        ("source-sdk.lock", 0, NONE, NONE),
        ("two-packages.lock", 2, NONE, NONE),
    ];
    let outs = run_table(&pubspec_lock::READER, &fixtures(&data, "pub"), table);
    let mixed = &outs["mixed-packages.lock"];
    let bbi = find(mixed, "back_button_interceptor");
    assert_eq!(bbi.purl, "pkg:pub/back_button_interceptor@6.0.1");
    assert_eq!(
        (bbi.relation, bbi.scope),
        (Relation::Direct, Scope::Runtime)
    );
    assert_eq!(bbi.line, Some(4));
    let br = find(mixed, "build_runner");
    assert_eq!((br.relation, br.scope), (Relation::Direct, Scope::Dev));
    assert_eq!(find(mixed, "shelf").relation, Relation::Transitive);
    let git = &outs["source-git.lock"];
    let frb = find(git, "flutter_rust_bridge");
    assert_eq!(frb.version.as_deref(), Some("1.32.0"));
    assert_eq!(
        frb.note.as_deref(),
        Some(
            "from git https://github.com/SoLongAndThanksForAllThePizza/flutter_rust_bridge \
             at e5adce55eea0b74d3680e66a2c5252edf17b07e1 (folder frb_dart)"
        )
    );
    assert_eq!(find(git, "toggle_switch").note, None);
    assert_eq!(find(git, "screen_retriever").relation, Relation::Transitive);
}

#[test]
fn osv_scanner_mix_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = fixtures(&data, "mix");
    let table: &[Case] = &[
        ("empty.lock", 0, NONE, NONE),
        // Three git dependencies: no version, each with a warning.
        (
            "git.lock",
            3,
            NONE,
            &[
                "unresolved-version",
                "unresolved-version",
                "unresolved-version",
            ],
        ),
        ("many.lock", 21, NONE, NONE),
        ("one-package.lock", 1, NONE, NONE),
        ("two-packages.lock", 2, NONE, NONE),
    ];
    let outs = run_table(&mix_lock::READER, &dir, table);
    // Independent count: `": {:hex,` occurrences on the raw text.
    let many_text = std::fs::read_to_string(dir.join("many.lock")).unwrap();
    assert_eq!(
        many_text.matches("\": {:hex,").count(),
        outs["many.lock"].components.len()
    );
    let many = &outs["many.lock"];
    let phoenix = find(many, "phoenix");
    assert_eq!(phoenix.purl, "pkg:hex/phoenix@1.4.17");
    assert_eq!(phoenix.line, Some(15));
    assert!(has_edge(many, "pow", "ecto"));
    assert!(has_edge(many, "pow", "phoenix_html"));
    assert!(has_edge(many, "plug", "plug_crypto"));
    assert!(!has_edge(many, "plug_crypto", "plug"));
    let git = &outs["git.lock"];
    let foo = find(git, "foo");
    assert_eq!(foo.version, None);
    assert_eq!(
        foo.note.as_deref(),
        Some(
            "from git https://github.com/my-org/foo.git at fc94cce7830fa4dc455024bc2a83720afe244531"
        )
    );
    assert_eq!(foo.purl, "pkg:hex/foo");
}

#[test]
fn osv_scanner_conan_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let bad_ref: &[&str] = &["invalid-reference"];
    let table: &[Case] = &[
        ("empty.v1.json", 0, NONE, NONE),
        ("empty.v1.revisions.json", 0, NONE, NONE),
        ("empty.v2.json", 0, NONE, NONE),
        ("nested-dependencies.v1.json", 5, NONE, NONE),
        ("nested-dependencies.v1.revisions.json", 5, NONE, NONE),
        ("nested-dependencies.v2.json", 5, NONE, NONE),
        // `1.2.3` has no name: skipped with a warning.
        ("no-name.v1.json", 1, NONE, bad_ref),
        ("no-name.v1.revisions.json", 1, NONE, bad_ref),
        ("no-name.v2.json", 1, NONE, bad_ref),
        ("not-json.txt", 0, &["invalid-syntax"], NONE),
        ("old-format-0.0.json", 1, NONE, NONE),
        ("old-format-0.1.json", 1, NONE, NONE),
        ("old-format-0.2.json", 1, NONE, NONE),
        ("old-format-0.3.json", 1, NONE, NONE),
        ("one-package-dev.v1.json", 1, NONE, NONE),
        ("one-package-dev.v1.revisions.json", 1, NONE, NONE),
        ("one-package-dev.v2.json", 1, NONE, NONE),
        ("one-package.v1.json", 1, NONE, NONE),
        ("one-package.v1.revisions.json", 1, NONE, NONE),
        ("one-package.v2.json", 1, NONE, NONE),
        ("two-packages.v1.json", 2, NONE, NONE),
        ("two-packages.v1.revisions.json", 2, NONE, NONE),
        ("two-packages.v2.json", 2, NONE, NONE),
    ];
    let outs = run_table(&conan_lock::READER, &fixtures(&data, "conan"), table);
    for v1 in [
        "nested-dependencies.v1.json",
        "nested-dependencies.v1.revisions.json",
    ] {
        let out = &outs[v1];
        assert_eq!(out.project_name.as_deref(), Some("test"), "{v1}");
        let ft = find(out, "freetype");
        assert_eq!(ft.purl, "pkg:conan/freetype@2.12.1");
        assert_eq!((ft.relation, ft.scope), (Relation::Direct, Scope::Runtime));
        assert_eq!(find(out, "zlib").relation, Relation::Transitive);
        assert_eq!(find(out, "brotli").version.as_deref(), Some("1.0.9"));
        assert!(has_edge(out, "freetype", "libpng"));
        assert!(has_edge(out, "libpng", "zlib"));
        assert_eq!(out.dependencies.len(), 5, "{v1}");
    }
    let v2 = &outs["nested-dependencies.v2.json"];
    assert!(
        v2.components
            .iter()
            .all(|c| c.relation == Relation::Unknown)
    );
    assert_eq!(find(v2, "zlib").purl, "pkg:conan/zlib@1.2.13");
    assert_eq!(find(v2, "zlib").line, Some(4));
    for dev in [
        "one-package-dev.v1.json",
        "one-package-dev.v1.revisions.json",
        "one-package-dev.v2.json",
    ] {
        let ninja = find(&outs[dev], "ninja");
        assert_eq!(ninja.scope, Scope::Build, "{dev}");
        assert_eq!(ninja.version.as_deref(), Some("1.11.1"));
    }
    let old0 = &outs["old-format-0.0.json"];
    assert_eq!(
        old0.components[0].purl,
        "pkg:conan/zlib@1.2.11?channel=testing&user=bincrafters"
    );
    assert_eq!(old0.components[0].relation, Relation::Direct);
    for old in [
        "old-format-0.1.json",
        "old-format-0.2.json",
        "old-format-0.3.json",
    ] {
        assert_eq!(
            outs[old].components[0].purl, "pkg:conan/zlib@1.2.11",
            "{old}"
        );
        assert_eq!(outs[old].project_name.as_deref(), Some("test"), "{old}");
    }
    assert_eq!(outs["no-name.v1.json"].diagnostics[0].line, Some(21));
}

#[test]
fn osv_scanner_renv_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let table: &[Case] = &[
        ("empty.lock", 0, NONE, NONE),
        ("not-json.txt", 0, &["invalid-syntax"], NONE),
        ("one-package.lock", 1, NONE, NONE),
        ("two-packages.lock", 2, NONE, NONE),
        // osv-scanner: 1 (CRAN only). BSgenome is a Bioconductor component.
        ("with-bioconductor.lock", 2, NONE, NONE),
        // osv-scanner: 1. mime from GitHub is kept, with a note.
        ("with-mixed-sources.lock", 2, NONE, NONE),
        // osv-scanner: 0. No source at all: assumed CRAN, noted.
        ("without-repository.lock", 1, NONE, NONE),
    ];
    let outs = run_table(&renv_lock::READER, &fixtures(&data, "renv"), table);
    let bioc = &outs["with-bioconductor.lock"];
    let bs = find(bioc, "BSgenome");
    assert_eq!(bs.ecosystem, Ecosystem::Bioconductor);
    assert_eq!(bs.purl, "pkg:bioconductor/BSgenome@1.60.0");
    let bh = find(bioc, "BH");
    assert_eq!(
        (bh.ecosystem, bh.version.as_deref()),
        (Ecosystem::Cran, Some("1.75.0-0"))
    );
    assert_eq!(bh.line, Some(16));
    let mixed = &outs["with-mixed-sources.lock"];
    assert_eq!(
        find(mixed, "mime").note.as_deref(),
        Some("from GitHub yihui/mime at 1763e0dcb72fb58d97bab97bb834fc71f1e012bc")
    );
    assert_eq!(find(mixed, "markdown").note, None);
    let one = &outs["one-package.lock"];
    assert_eq!(one.components[0].purl, "pkg:cran/morning@0.1.0");
    assert_eq!(one.components[0].note, None);
    let norepo = &outs["without-repository.lock"];
    assert_eq!(
        norepo.components[0].note.as_deref(),
        Some("no source recorded; assumed to be from CRAN")
    );
}

#[test]
fn osv_scanner_dpkg_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = fixtures(&data, "dpkg");
    let table: &[Case] = &[
        ("empty_status", 0, NONE, NONE),
        // bash (no Version: unresolved) is the only named installed package;
        // two paragraphs have no Package, libc6 has `Status: bad-status`, and
        // four lines are not fields.
        (
            "malformed_status",
            1,
            &["invalid-syntax", "missing-name", "missing-name"],
            &["invalid-status", "unresolved-version"],
        ),
        // The `not-installed` libc6 is skipped; `#` lines are comments.
        ("multiple_status", 4, NONE, NONE),
        ("not_status", 0, &["invalid-syntax"], NONE),
        ("shuffled_status", 1, NONE, NONE),
        ("single_status", 1, NONE, NONE),
        ("source_ver_override_status", 1, NONE, NONE),
    ];
    let outs = run_table(&dpkg_status::READER, &dir, table);
    let multiple = &outs["multiple_status"];
    let names: Vec<&str> = multiple
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["bash", "bsdutils", "libc6", "base-files"]);
    let bsd = find(multiple, "bsdutils");
    assert_eq!(bsd.version.as_deref(), Some("1:2.36.1-8+deb11u1"));
    assert_eq!(bsd.purl, "pkg:deb/debian/bsdutils@1:2.36.1-8%2Bdeb11u1");
    assert_eq!(
        bsd.note.as_deref(),
        Some("source package util-linux 2.36.1-8+deb11u1")
    );
    assert_eq!(bsd.line, Some(34));
    assert!(has_edge(multiple, "bsdutils", "libc6"));
    assert!(has_edge(multiple, "bash", "base-files"));
    let malformed = &outs["malformed_status"];
    assert_eq!(malformed.components[0].name, "bash");
    assert_eq!(malformed.components[0].version, None);
    let syntax = malformed
        .diagnostics
        .iter()
        .find(|d| d.code == "invalid-syntax")
        .unwrap();
    assert_eq!(syntax.line, Some(1));
    // The `Package:` line of a shuffled paragraph is its last line.
    let shuffled_text = std::fs::read_to_string(dir.join("shuffled_status")).unwrap();
    let libc = &outs["shuffled_status"].components[0];
    assert_eq!(
        (libc.name.as_str(), libc.version.as_deref()),
        ("libc6", Some("2.31-13+deb11u5"))
    );
    assert_eq!(libc.line, Some(shuffled_text.lines().count() as u32));
    let dm = &outs["source_ver_override_status"].components[0];
    assert_eq!(dm.version.as_deref(), Some("2:1.02.145-4.1ubuntu3"));
    assert_eq!(
        dm.note.as_deref(),
        Some("source package lvm2 2.02.176-4.1ubuntu3")
    );
    assert_eq!(
        outs["single_status"].components[0].purl,
        "pkg:deb/debian/sudo@1.8.27-1%2Bdeb10u1"
    );
}

#[test]
fn osv_scanner_apk_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = fixtures(&data, "apk");
    let table: &[Case] = &[
        ("empty_installed", 0, NONE, NONE),
        // busybox (no V:) is the only record with a P:; two records have
        // none, and four lines are not `X:value`.
        (
            "malformed_installed",
            1,
            &["invalid-syntax", "missing-name", "missing-name"],
            &["unresolved-version"],
        ),
        ("multiple_installed", 3, NONE, NONE),
        ("not_installed", 0, &["invalid-syntax"], NONE),
        ("shuffled_installed", 1, NONE, NONE),
        ("single_installed", 1, NONE, NONE),
    ];
    let outs = run_table(&apk_installed::READER, &dir, table);
    let multiple = &outs["multiple_installed"];
    // Independent count: `P:` lines.
    let text = std::fs::read_to_string(dir.join("multiple_installed")).unwrap();
    assert_eq!(
        text.lines().filter(|l| l.starts_with("P:")).count(),
        multiple.components.len()
    );
    let names: Vec<&str> = multiple
        .components
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(names, ["alpine-baselayout-data", "musl", "busybox"]);
    let base = find(multiple, "alpine-baselayout-data");
    assert_eq!(base.purl, "pkg:apk/alpine/alpine-baselayout-data@3.4.0-r0");
    assert_eq!(base.licence.as_deref(), Some("GPL-2.0-only"));
    assert_eq!(base.note.as_deref(), Some("origin alpine-baselayout"));
    assert_eq!(base.line, Some(2));
    assert_eq!(find(multiple, "musl").note, None);
    // busybox depends on so:libc.musl-x86_64.so.1, which musl provides.
    assert!(has_edge(multiple, "busybox", "musl"));
    let shuffled = &outs["shuffled_installed"].components[0];
    assert_eq!(
        (shuffled.name.as_str(), shuffled.version.as_deref()),
        ("apk-tools", Some("2.12.10-r1"))
    );
    let malformed = &outs["malformed_installed"];
    assert_eq!(malformed.components[0].name, "busybox");
    assert_eq!(
        malformed.components[0].licence.as_deref(),
        Some("GPL-2.0-only")
    );
}

fn local_fixture(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(sub)
}

#[test]
fn handwritten_cabal_freeze() {
    let path = local_fixture("cabal/cabal.project.freeze");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = common::read_data_file(&cabal_freeze::READER, &path);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    // Independent count: distinct package names of the `==` items, the
    // qualifier (`any.`, `setup.`) cut at its last dot.
    let pinned: BTreeSet<&str> = text
        .lines()
        .map(|l| {
            l.trim()
                .trim_start_matches("constraints:")
                .trim()
                .trim_end_matches(',')
        })
        .filter(|item| item.contains(" =="))
        .map(|item| {
            let target = item.split_whitespace().next().unwrap();
            target.rsplit('.').next().unwrap()
        })
        .collect();
    assert_eq!(out.components.len(), pinned.len());
    assert_eq!(out.components.len(), 54);
    let aeson = find(&out, "aeson");
    assert_eq!(aeson.purl, "pkg:hackage/aeson@2.1.2.1");
    assert_eq!(aeson.line, Some(8));
    // `setup.Cabal` at the same version as `any.Cabal`: one runtime component.
    let cabal: Vec<_> = out
        .components
        .iter()
        .filter(|c| c.name == "Cabal")
        .collect();
    assert_eq!(cabal.len(), 1);
    assert_eq!(cabal[0].scope, Scope::Runtime);
    assert!(
        out.components
            .iter()
            .all(|c| c.ecosystem == Ecosystem::Hackage)
    );
    assert!(!out.components.iter().any(|c| c.name == "my-app"));
}

#[test]
fn handwritten_stack_lock() {
    let path = local_fixture("stack/stack.yaml.lock");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = common::read_data_file(&stack_lock::READER, &path);
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    // Independent count: `- completed:` lines before `snapshots:`.
    let packages_part = text.split("\nsnapshots:").next().unwrap();
    assert_eq!(
        out.components.len(),
        packages_part
            .lines()
            .filter(|l| *l == "- completed:")
            .count()
    );
    let got: Vec<_> = out
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_deref(), c.line))
        .collect();
    assert_eq!(
        got,
        [
            ("acme-missiles", Some("0.3"), Some(7)),
            ("ansi-terminal", Some("1.0"), Some(14)),
            ("optparse-applicative", Some("0.18.1.0"), Some(21)),
            ("http-client", Some("0.7.14"), Some(28)),
            ("prometheus", Some("2.2.2"), Some(35)),
            ("servant-server", Some("0.20.1"), Some(46)),
        ]
    );
    assert_eq!(out.components[4].purl, "pkg:hackage/prometheus@2.2.2");
    assert!(
        out.components[5]
            .note
            .as_deref()
            .unwrap()
            .contains("(folder servant-server)")
    );
    assert!(out.components[..4].iter().all(|c| c.note.is_none()));
}

/// The databases are found by their content, only under their own names.
#[test]
fn walker_sniffs_the_databases() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let root = std::env::temp_dir().join(format!("vigie-misc-walk-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let put = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    let dpkg = std::fs::read_to_string(fixtures(&data, "dpkg").join("multiple_status")).unwrap();
    let apk = std::fs::read_to_string(fixtures(&data, "apk").join("multiple_installed")).unwrap();
    put("image/var/lib/dpkg/status", &dpkg);
    put("image/lib/apk/db/installed", &apk);
    put("docs/status", "Build status: green\n");
    put("docs/installed", "Package: not at the start\n");
    put("docs/status.txt", &dpkg);
    put("app/pubspec.lock", "packages: {}\n");
    let (projects, diags) = vigie_discovery::walk(std::slice::from_ref(&root));
    let _ = std::fs::remove_dir_all(&root);
    assert!(diags.is_empty(), "{diags:?}");
    let mut found: Vec<(String, &str)> = projects
        .iter()
        .flat_map(|p| p.files.iter())
        .map(|f| {
            let rel = f.path.rsplit("vigie-misc-walk-").next().unwrap();
            let rel = rel.split_once('/').map_or(rel, |(_, r)| r).to_owned();
            (rel, f.reader.id)
        })
        .collect();
    found.sort();
    assert_eq!(
        found,
        [
            ("app/pubspec.lock".to_owned(), "pubspec-lock"),
            ("image/lib/apk/db/installed".to_owned(), "apk-installed"),
            ("image/var/lib/dpkg/status".to_owned(), "dpkg-status"),
        ]
    );
}

#[test]
fn registry_names() {
    let cases = [
        ("pubspec.lock", Some("pubspec-lock")),
        ("mix.lock", Some("mix-lock")),
        ("conan.lock", Some("conan-lock")),
        ("renv.lock", Some("renv-lock")),
        ("cabal.project.freeze", Some("cabal-freeze")),
        ("stack.yaml.lock", Some("stack-lock")),
        ("stack-ghc-9.4.yaml.lock", Some("stack-lock")),
        ("status", None),
        ("installed", None),
        ("stack.yaml", None),
    ];
    for (name, want) in cases {
        assert_eq!(
            vigie_discovery::registry::reader_for(name).map(|r| r.id),
            want,
            "{name}"
        );
    }
}

/// Every prefix of every fixture (a file cut anywhere) gives components or
/// diagnostics, never a reader failure.
#[test]
fn truncated_files_never_break_a_reader() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dirs: [(&Reader, PathBuf); 8] = [
        (&pubspec_lock::READER, fixtures(&data, "pub")),
        (&mix_lock::READER, fixtures(&data, "mix")),
        (&conan_lock::READER, fixtures(&data, "conan")),
        (&renv_lock::READER, fixtures(&data, "renv")),
        (&dpkg_status::READER, fixtures(&data, "dpkg")),
        (&apk_installed::READER, fixtures(&data, "apk")),
        (&cabal_freeze::READER, local_fixture("cabal")),
        (&stack_lock::READER, local_fixture("stack")),
    ];
    let files = vigie_discovery::MemorySource::new();
    let mut runs = 0;
    for (reader, dir) in dirs {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let step = (text.len() / 300).max(1);
            for cut in (0..=text.len()).step_by(step) {
                let Some(prefix) = text.get(..cut) else {
                    continue;
                };
                let out = vigie_discovery::read_file_as(reader, "f", prefix, &files);
                assert!(
                    !out.diagnostics.iter().any(|d| d.code == "internal-error"),
                    "{} on {:?} cut at {cut}",
                    reader.id,
                    dir
                );
                runs += 1;
            }
        }
    }
    assert!(runs > 1000);
}
