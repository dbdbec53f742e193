//! The formats of the `jvm` family on real files and osv-scanner fixtures:
//! Maven `pom.xml`, Gradle lockfiles and verification metadata, Go `go.mod`
//! (+ `go.sum`), NuGet `packages.lock.json`.
//!
//! Expected counts are made here independently of the readers: by cutting
//! the raw text of each file into blocks (`<dependency>...</dependency>`,
//! `require` lines, `<component .../>` start tags) and counting them, or by
//! reading the fixture by hand (the tables say why each count is what it is).
//!
//! Files that refer to other files (parent POMs, BOMs, `go.sum`) are read
//! with a [`DiskSource`] rooted at their project, and a display path
//! relative to the working folder: `resolve` refuses to climb from an
//! absolute path, so `common::read_data_file` cannot follow them.

use crate::common;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use vigie_discovery::readers::{go_mod, gradle_lockfile, gradle_verification, nuget_lock, pom_xml};
use vigie_discovery::{MemorySource, Output, Reader, read_file_as};
use vigie_model::{Relation, Scope, Severity};

// ------------------------------------------------------------------ helpers

fn errors(out: &Output) -> Vec<String> {
    out.diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.to_string())
        .collect()
}

fn codes(out: &Output) -> Vec<&str> {
    out.diagnostics.iter().map(|d| d.code.as_str()).collect()
}

/// Removes every `<tag>...</tag>` region.
fn cut(text: &str, tag: &str) -> String {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        out.push_str(&rest[..i]);
        match rest[i..].find(&close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => rest = "",
        }
    }
    out.push_str(rest);
    out
}

/// The text of every `<tag>...</tag>` region.
fn regions<'a>(text: &'a str, tag: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        let body = &rest[i + open.len()..];
        let Some(j) = body.find(&close) else { break };
        found.push(&body[..j]);
        rest = &body[j + close.len()..];
    }
    found
}

/// The text of the first `<tag>` in `block`.
fn field<'a>(block: &'a str, tag: &str) -> Option<&'a str> {
    regions(block, tag).first().map(|s| s.trim())
}

/// A `<dependency>` block, as (groupId:artifactId, version, scope).
type RawDep = (String, Option<String>, Option<String>);

fn raw_deps(section: &str) -> Vec<RawDep> {
    regions(&cut(section, "exclusions"), "dependency")
        .into_iter()
        .map(|b| {
            let ga = format!(
                "{}:{}",
                field(b, "groupId").unwrap(),
                field(b, "artifactId").unwrap()
            );
            (
                ga,
                field(b, "version").map(str::to_owned),
                field(b, "scope").map(str::to_owned),
            )
        })
        .collect()
}

/// The project-level dependencies of a POM: build, profiles and management cut out.
fn project_deps(pom: &str) -> Vec<RawDep> {
    let text = cut(&cut(&cut(pom, "build"), "profiles"), "dependencyManagement");
    raw_deps(&text)
}

fn managed_deps(pom: &str) -> Vec<RawDep> {
    regions(pom, "dependencyManagement")
        .into_iter()
        .flat_map(raw_deps)
        .collect()
}

/// `<properties>` of a POM, by name.
fn properties(pom: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for body in regions(pom, "properties") {
        for line in body.lines() {
            let line = line.trim();
            if let Some(rest) = line.strip_prefix('<')
                && let Some((name, rest)) = rest.split_once('>')
                && let Some((value, _)) = rest.split_once("</")
            {
                map.insert(name.to_owned(), value.to_owned());
            }
        }
    }
    map
}

// -------------------------------------------------------------------- Maven

#[test]
fn spring_petclinic_without_its_parent() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/spring-petclinic");
    let path = dir.join("pom.xml");
    let text = std::fs::read_to_string(&path).unwrap();
    let out = common::read_in_tree(&pom_xml::READER, &dir, &path);
    assert!(errors(&out).is_empty(), "{:?}", errors(&out));
    assert_eq!(out.project_name.as_deref(), Some("spring-petclinic"));

    let deps = project_deps(&text);
    assert_eq!(deps.len(), 24);
    // Every dependency, plus the parent POM, which is not in the tree.
    assert_eq!(out.components.len(), deps.len() + 1);
    let parent = &out.components[0];
    assert_eq!(
        parent.purl,
        "pkg:maven/org.springframework.boot/spring-boot-starter-parent@4.0.3"
    );
    assert_eq!(parent.scope, Scope::Build);

    // The parent manages the versions: only those written here (as
    // properties of this file) resolve; the others are unresolved, kept.
    let props = properties(&text);
    for (ga, version, _) in &deps {
        let c = out.components.iter().find(|c| &c.name == ga).unwrap();
        match version {
            Some(v) => {
                let name = v.trim_start_matches("${").trim_end_matches('}');
                assert_eq!(c.version.as_ref(), props.get(name), "{ga}");
            }
            None => {
                assert!(c.is_unresolved(), "{ga}");
                let note = c.note.as_deref().unwrap();
                assert!(note.contains("spring-boot-starter-parent:4.0.3"), "{note}");
            }
        }
    }
    let unresolved = deps.iter().filter(|d| d.1.is_none()).count();
    assert_eq!(unresolved, 21);
    assert_eq!(
        out.components.iter().filter(|c| c.is_unresolved()).count(),
        unresolved
    );
    let warnings = codes(&out);
    assert_eq!(warnings[0], "parent-not-in-tree");
    assert_eq!(
        warnings
            .iter()
            .filter(|c| **c == "unresolved-version")
            .count(),
        unresolved
    );

    let by_name = |n: &str| out.components.iter().find(|c| c.name == n).unwrap();
    assert_eq!(
        by_name("org.webjars.npm:bootstrap").purl,
        "pkg:maven/org.webjars.npm/bootstrap@5.3.8"
    );
    assert_eq!(by_name("com.h2database:h2").scope, Scope::Runtime);
    assert_eq!(
        by_name("org.springframework.boot:spring-boot-devtools").scope,
        Scope::Optional
    );
    assert_eq!(
        by_name("org.testcontainers:testcontainers-mysql").scope,
        Scope::Dev
    );
    assert_eq!(by_name("com.h2database:h2").line, Some(76));
}

#[test]
fn dropwizard_multi_module_resolves_through_its_parents_and_bom() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let root = data.join("lockfiles/dropwizard");
    let text = |p: &str| std::fs::read_to_string(root.join(p)).unwrap();

    // What the chain manages, counted on the raw text: dropwizard-parent's
    // parent is dropwizard-dependencies (which it also imports as a BOM),
    // whose parent is dropwizard-bom. Imports of BOMs outside the tree
    // (jackson-bom, jetty-bom, ...) manage nothing that can be known.
    let mut managed: HashSet<String> = HashSet::new();
    for p in ["dropwizard-bom/pom.xml", "dropwizard-dependencies/pom.xml"] {
        for (ga, _, scope) in managed_deps(&text(p)) {
            if scope.as_deref() != Some("import") {
                managed.insert(ga);
            }
        }
    }
    assert_eq!(managed.len(), 29 + 46);

    let mut poms: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap()
        .filter_map(|e| {
            let p = e.unwrap().path().join("pom.xml");
            p.is_file().then_some(p)
        })
        .collect();
    poms.push(root.join("pom.xml"));
    poms.sort();
    assert_eq!(poms.len(), 35);

    let (mut total, mut resolved) = (0, 0);
    for path in &poms {
        let raw = std::fs::read_to_string(path).unwrap();
        let out = common::read_in_tree(&pom_xml::READER, &root, path);
        let shown = path.strip_prefix(&root).unwrap().display().to_string();
        assert!(errors(&out).is_empty(), "{shown}: {:?}", errors(&out));
        assert!(
            !codes(&out).iter().any(|c| c.starts_with("parent")),
            "{shown}: every parent is in the tree: {:?}",
            out.diagnostics
        );
        let parent = regions(&raw, "parent")
            .first()
            .and_then(|p| field(p, "artifactId"));
        if parent != Some("dropwizard-parent") {
            continue; // the root, the BOMs and the parent: checked below
        }
        let deps = project_deps(&raw);
        assert_eq!(out.components.len(), deps.len(), "{shown}");
        let expect_unresolved: HashSet<&str> = deps
            .iter()
            .filter(|(ga, v, _)| v.is_none() && !managed.contains(ga))
            .map(|(ga, _, _)| ga.as_str())
            .collect();
        let got_unresolved: HashSet<&str> = out
            .components
            .iter()
            .filter(|c| c.is_unresolved())
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(got_unresolved, expect_unresolved, "{shown}");
        total += deps.len();
        resolved += deps.len() - expect_unresolved.len();
        for c in &out.components {
            assert_eq!(c.relation, Relation::Direct);
            assert!(c.purl.starts_with("pkg:maven/"));
        }
    }
    eprintln!(
        "dropwizard modules: {resolved} of {total} dependencies resolved through the parent chain"
    );
    // 31 modules; the same total as a Python ElementTree count of
    // project/dependencies/dependency over them.
    assert_eq!(total, 663);
    // Also 330 by the ElementTree count: the other half is managed by BOMs
    // outside the tree (junit-bom, jetty-bom, metrics-bom, jackson-bom, ...).
    assert_eq!(resolved, 330);

    // Spot checks on dropwizard-core.
    let core = common::read_in_tree(
        &pom_xml::READER,
        &root,
        &root.join("dropwizard-core/pom.xml"),
    );
    let get = |n: &str| core.components.iter().find(|c| c.name == n).unwrap();
    // Managed by dropwizard-bom (${project.version} of the module: inherited).
    assert_eq!(
        get("io.dropwizard:dropwizard-util").purl,
        "pkg:maven/io.dropwizard/dropwizard-util@4.0.11-SNAPSHOT"
    );
    // Managed by dropwizard-dependencies through ${logback.version}.
    let deps_props = properties(&text("dropwizard-dependencies/pom.xml"));
    assert_eq!(
        get("ch.qos.logback:logback-classic").version.as_ref(),
        deps_props.get("logback.version")
    );
    assert_eq!(get("org.assertj:assertj-core").scope, Scope::Dev);
    // Managed only by jackson-bom, which is not in the tree.
    let jackson = get("com.fasterxml.jackson.core:jackson-databind");
    assert!(jackson.is_unresolved());
    assert!(
        jackson
            .note
            .as_deref()
            .unwrap()
            .contains("com.fasterxml.jackson:jackson-bom:2.17.2")
    );

    // The root names the project and has no dependency of its own.
    let top = common::read_in_tree(&pom_xml::READER, &root, &root.join("pom.xml"));
    assert_eq!(top.project_name.as_deref(), Some("dropwizard-project"));
    assert!(top.components.is_empty());

    // dropwizard-bom: 29 managed-only entries at the literal version.
    let bom = common::read_in_tree(
        &pom_xml::READER,
        &root,
        &root.join("dropwizard-bom/pom.xml"),
    );
    assert_eq!(
        bom.components.len(),
        managed_deps(&text("dropwizard-bom/pom.xml")).len()
    );
    assert!(
        bom.components
            .iter()
            .all(|c| c.version.as_deref() == Some("4.0.11-SNAPSHOT"))
    );
    assert!(
        bom.components
            .iter()
            .all(|c| c.relation == Relation::Unknown)
    );

    // dropwizard-dependencies: every managed entry, BOM imports as Build,
    // versions from its own properties.
    let raw = text("dropwizard-dependencies/pom.xml");
    let entries = managed_deps(&raw);
    let deps_out = common::read_in_tree(
        &pom_xml::READER,
        &root,
        &root.join("dropwizard-dependencies/pom.xml"),
    );
    assert_eq!(deps_out.components.len(), entries.len());
    assert!(
        errors(&deps_out).is_empty() && deps_out.diagnostics.is_empty(),
        "{:?}",
        deps_out.diagnostics
    );
    for (ga, version, scope) in &entries {
        let c = deps_out.components.iter().find(|c| &c.name == ga).unwrap();
        let property = version
            .as_deref()
            .unwrap()
            .trim_start_matches("${")
            .trim_end_matches('}');
        assert_eq!(c.version.as_ref(), deps_props.get(property), "{ga}");
        let import = scope.as_deref() == Some("import");
        assert_eq!(c.scope == Scope::Build, import, "{ga}");
    }
    assert_eq!(
        deps_out
            .components
            .iter()
            .filter(|c| c.scope == Scope::Build)
            .count(),
        8
    );

    // dropwizard-parent: only its BOM import.
    let parent = common::read_in_tree(
        &pom_xml::READER,
        &root,
        &root.join("dropwizard-parent/pom.xml"),
    );
    let got: Vec<_> = parent
        .components
        .iter()
        .map(|c| (c.purl.as_str(), c.scope))
        .collect();
    assert_eq!(
        got,
        [(
            "pkg:maven/io.dropwizard/dropwizard-dependencies@4.0.11-SNAPSHOT",
            Scope::Build
        )]
    );
}

/// osv-scanner's Maven fixtures. osv-scanner lets dependencyManagement
/// override a version written on the dependency itself
/// (`with-dependency-management.xml`: netty-all 4.1.42.Final); Maven, and
/// vigie, keep the version declared on the dependency (4.1.9).
#[test]
fn osv_scanner_maven_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/maven");
    let expect = [
        // A project with no dependency.
        ("empty.xml", 0, false),
        // mypackage 1.0.0 and my.package 2.3.4 through properties; the
        // managed-only ranged-package is a version range: unresolved, kept.
        ("interpolation.xml", 3, false),
        // `<${Id}.version>` is not an XML name (error); netty-all is kept.
        ("invalid-syntax.xml", 1, true),
        ("not-pom.txt", 0, true),
        ("one-package.xml", 1, false),
        ("two-packages.xml", 2, false),
        // netty-all (4.1.9 as declared), slf4j-log4j12, and jsr305 which is
        // only in dependencyManagement.
        ("with-dependency-management.xml", 3, false),
        ("with-scope.xml", 2, false),
    ];
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        expect.iter().map(|e| e.0).collect::<Vec<_>>(),
        "every fixture is in the table"
    );
    for (file, n, err) in expect {
        let out = common::read_data_file(&pom_xml::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}: {:?}", out.components);
        assert_eq!(
            !errors(&out).is_empty(),
            err,
            "{file}: {:?}",
            out.diagnostics
        );
    }
    let out = common::read_data_file(
        &pom_xml::READER,
        &dir.join("with-dependency-management.xml"),
    );
    assert_eq!(out.components[0].purl, "pkg:maven/io.netty/netty-all@4.1.9");
    let out = common::read_data_file(&pom_xml::READER, &dir.join("with-scope.xml"));
    let scopes: Vec<_> = out.components.iter().map(|c| c.scope).collect();
    assert_eq!(scopes, [Scope::Runtime, Scope::Dev]);
    let out = common::read_data_file(&pom_xml::READER, &dir.join("interpolation.xml"));
    let versions: Vec<_> = out
        .components
        .iter()
        .map(|c| c.version.as_deref())
        .collect();
    assert_eq!(versions, [Some("1.0.0"), Some("2.3.4"), None]);
}

// ------------------------------------------------------------------- Gradle

#[test]
fn osv_scanner_gradle_lockfile_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/gradle");
    let expect = [
        ("5-pkg", 5, false),
        ("one-pkg", 1, false),
        ("only-comments", 0, false),
        ("only-empty", 0, false),
        // Two good lines; `>>>`, `////`, `a` and `b` are bad lines
        // (`empty=======` is an `empty=` line).
        ("with-bad-pkg", 2, true),
    ];
    for (file, n, err) in expect {
        let out = common::read_data_file(&gradle_lockfile::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}");
        assert_eq!(
            !errors(&out).is_empty(),
            err,
            "{file}: {:?}",
            out.diagnostics
        );
    }
    let out = common::read_data_file(&gradle_lockfile::READER, &dir.join("with-bad-pkg"));
    let lines: Vec<_> = out.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(lines, [Some(3), Some(4), Some(9), Some(10)]);

    let out = common::read_data_file(&gradle_lockfile::READER, &dir.join("5-pkg"));
    let got: Vec<_> = out
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_deref(), c.scope))
        .collect();
    assert_eq!(
        got,
        [
            (
                "org.springframework.boot:spring-boot-autoconfigure",
                Some("2.7.4"),
                Scope::Runtime
            ),
            // annotationProcessor and compileClasspath only: compile-time.
            (
                "org.springframework.boot:spring-boot-configuration-processor",
                Some("2.7.5"),
                Scope::Build
            ),
            // developmentOnly, not in productionRuntimeClasspath.
            (
                "org.springframework.boot:spring-boot-devtools",
                Some("2.7.6"),
                Scope::Dev
            ),
            (
                "org.springframework.boot:spring-boot-starter-aop",
                Some("2.7.7"),
                Scope::Runtime
            ),
            (
                "org.springframework.boot:spring-boot-starter-data-jpa",
                Some("2.7.8"),
                Scope::Runtime
            ),
        ]
    );
    assert_eq!(
        out.components[0].purl,
        "pkg:maven/org.springframework.boot/spring-boot-autoconfigure@2.7.4"
    );
}

#[test]
fn osv_scanner_gradle_verification_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/gradle-verification-metadata");
    // Distinct group/name/version triples of the `<component ...>` start tags.
    let count = |file: &str| -> usize {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        text.split("<component ")
            .skip(1)
            .map(|t| t.split('>').next().unwrap().to_owned())
            .collect::<HashSet<_>>()
            .len()
    };
    assert_eq!(count("complex.xml"), 66);
    let expect = [
        ("complex.xml", count("complex.xml"), false),
        ("empty.xml", 0, false),
        (
            "multiple-versions.xml",
            count("multiple-versions.xml"),
            false,
        ),
        ("not-xml.txt", 0, true),
        ("one-package.xml", 1, false),
        ("two-packages.xml", 2, false),
    ];
    for (file, n, err) in expect {
        let out = common::read_data_file(&gradle_verification::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}");
        assert_eq!(
            !errors(&out).is_empty(),
            err,
            "{file}: {:?}",
            out.diagnostics
        );
    }
    let out = common::read_data_file(&gradle_verification::READER, &dir.join("two-packages.xml"));
    let got: Vec<_> = out
        .components
        .iter()
        .map(|c| (c.purl.as_str(), c.line))
        .collect();
    assert_eq!(
        got,
        [
            ("pkg:maven/org.apache.pdfbox/pdfbox@2.0.17", Some(10)),
            (
                "pkg:maven/com.github.javaparser/javaparser-core@3.6.11",
                Some(18)
            ),
        ]
    );
    let out = common::read_data_file(
        &gradle_verification::READER,
        &dir.join("multiple-versions.xml"),
    );
    let activity: Vec<_> = out
        .components
        .iter()
        .filter(|c| c.name == "androidx.activity:activity")
        .filter_map(|c| c.version.as_deref())
        .collect();
    assert_eq!(
        activity,
        ["1.2.1", "1.2.3", "1.5.1", "1.6.0", "1.7.0", "1.7.2"]
    );
}

// ----------------------------------------------------------------------- Go

#[test]
fn prometheus_go_mod_with_go_sum() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/prometheus");
    let text = std::fs::read_to_string(dir.join("go.mod")).unwrap();
    let sum = std::fs::read_to_string(dir.join("go.sum")).unwrap();
    // Requirements on the raw text: lines inside `require (` blocks, and
    // one-line `require` directives.
    let mut requires: Vec<(String, String, bool)> = Vec::new();
    let mut in_block = false;
    for line in text.lines() {
        let l = line.trim();
        if l == "require (" {
            in_block = true;
        } else if in_block && l == ")" {
            in_block = false;
        } else if in_block && !l.is_empty() && !l.starts_with("//") {
            let f: Vec<&str> = l.split_whitespace().collect();
            requires.push((f[0].to_owned(), f[1].to_owned(), l.ends_with("// indirect")));
        } else if let Some(rest) = l.strip_prefix("require ") {
            let f: Vec<&str> = rest.split_whitespace().collect();
            requires.push((
                f[0].to_owned(),
                f[1].to_owned(),
                rest.ends_with("// indirect"),
            ));
        }
    }
    assert_eq!(requires.iter().filter(|r| r.2).count(), 141);

    let out = common::read_in_tree(&go_mod::READER, &dir, &dir.join("go.mod"));
    assert_eq!(
        out.project_name.as_deref(),
        Some("github.com/prometheus/prometheus")
    );
    // The only replace (cloud.google.com/go) is of a module that is not
    // required: no effect. Plus the standard library.
    assert_eq!(out.components.len(), requires.len() + 1);
    for (path, version, indirect) in &requires {
        let c = out.components.iter().find(|c| &c.name == path).unwrap();
        assert_eq!(c.version.as_ref(), Some(version), "{path}");
        let want = if *indirect {
            Relation::Transitive
        } else {
            Relation::Direct
        };
        assert_eq!(c.relation, want, "{path}");
    }
    let stdlib = out.components.last().unwrap();
    assert_eq!(stdlib.purl, "pkg:golang/stdlib@v1.25.10");
    // go.sum, on the raw text: which requirements have a line.
    let missing: Vec<&str> = requires
        .iter()
        .filter(|(p, v, _)| {
            !sum.contains(&format!("{p} {v} ")) && !sum.contains(&format!("{p} {v}/go.mod "))
        })
        .map(|r| r.0.as_str())
        .collect();
    let warned: Vec<&str> = out
        .diagnostics
        .iter()
        .filter(|d| d.code == "not-in-go-sum")
        .map(|d| d.message.split(' ').next().unwrap())
        .collect();
    assert_eq!(warned, missing);
    assert!(
        out.diagnostics.iter().all(|d| d.code == "not-in-go-sum"),
        "{:?}",
        out.diagnostics
    );
    let azcore = out
        .components
        .iter()
        .find(|c| c.name.ends_with("sdk/azcore"))
        .unwrap();
    assert_eq!(
        azcore.purl,
        "pkg:golang/github.com/Azure/azure-sdk-for-go/sdk/azcore@v1.22.0"
    );
    assert_eq!(azcore.line, Some(6));
}

/// osv-scanner's go.mod fixtures. vigie adds the standard library (`stdlib`)
/// when there is a `go` line, and drops a module replaced by a local folder.
#[test]
fn osv_scanner_go_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/go");
    let expect = [
        ("empty.mod", 0, false),
        // 5 requires + stdlib (go 1.17).
        ("indirect-packages.mod", 6, false),
        ("not-go-mod.txt", 0, true),
        ("one-package.mod", 1, false),
        // Each x/net version replaced by a different foe version.
        ("replace-different.mod", 2, false),
        // x/net replaced by ./fork/net: local, dropped; toml stays.
        ("replace-local.mod", 1, false),
        // v1.2.3 replaced by fork/net v1.4.5, v0.5.6 stays.
        ("replace-mixed.mod", 2, false),
        // Both versions replaced by the same fork/net v1.4.5: one component.
        ("replace-no-version.mod", 1, false),
        // The replaced version (v1.2.3) is not required: no effect.
        ("replace-not-required.mod", 2, false),
        ("replace-one.mod", 1, false),
        // 2 requires + stdlib.
        ("two-packages.mod", 3, false),
    ];
    let mut listed: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    assert_eq!(listed, expect.iter().map(|e| e.0).collect::<Vec<_>>());
    let mut names: HashMap<&str, Vec<String>> = HashMap::new();
    for (file, n, err) in expect {
        let out = common::read_data_file(&go_mod::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}: {:?}", out.components);
        assert_eq!(
            !errors(&out).is_empty(),
            err,
            "{file}: {:?}",
            out.diagnostics
        );
        names.insert(
            file,
            out.components.iter().map(|c| c.purl.clone()).collect(),
        );
    }
    assert_eq!(
        names["replace-different.mod"],
        [
            "pkg:golang/example.com/fork/foe@v1.4.5",
            "pkg:golang/example.com/fork/foe@v1.4.2"
        ]
    );
    assert_eq!(
        names["replace-mixed.mod"],
        [
            "pkg:golang/example.com/fork/net@v1.4.5",
            "pkg:golang/golang.org/x/net@v0.5.6"
        ]
    );
    assert_eq!(
        names["replace-local.mod"],
        ["pkg:golang/github.com/BurntSushi/toml@v1.0.0"]
    );
    // `go 1.17` is Go 1.17.0, as golang.org/x/vuln's GoTagToSemver writes it.
    assert_eq!(names["two-packages.mod"][2], "pkg:golang/stdlib@v1.17.0");
    let out = common::read_data_file(&go_mod::READER, &dir.join("replace-local.mod"));
    assert!(codes(&out).contains(&"local-replace"));
    let out = common::read_data_file(&go_mod::READER, &dir.join("indirect-packages.mod"));
    let relations: Vec<_> = out.components.iter().map(|c| c.relation).collect();
    use Relation::{Direct, Transitive};
    assert_eq!(
        relations,
        [Direct, Direct, Transitive, Transitive, Transitive, Direct]
    );
}

// -------------------------------------------------------------------- NuGet

#[test]
fn osv_scanner_nuget_fixtures() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let dir = data.join("lockfiles/osv-scanner-fixtures/nuget");
    let expect = [
        ("empty.v0.json", 0, false),
        ("empty.v1.json", 0, false),
        ("not-json.txt", 0, true),
        ("one-framework-one-package.v1.json", 1, false),
        ("one-framework-two-packages.v1.json", 2, false),
        ("two-frameworks-different-packages.v1.json", 2, false),
        // Test.Core 6.0.5 in both frameworks: once.
        ("two-frameworks-duplicate-packages.v1.json", 1, false),
        // Test.Core 6.0.5 twice, Test.System 0.13.0-beta4 and 2.15.0.
        ("two-frameworks-mixed-packages.v1.json", 3, false),
    ];
    for (file, n, err) in expect {
        let out = common::read_data_file(&nuget_lock::READER, &dir.join(file));
        assert_eq!(out.components.len(), n, "{file}");
        assert_eq!(
            !errors(&out).is_empty(),
            err,
            "{file}: {:?}",
            out.diagnostics
        );
    }
    let out = common::read_data_file(
        &nuget_lock::READER,
        &dir.join("two-frameworks-mixed-packages.v1.json"),
    );
    let got: Vec<_> = out.components.iter().map(|c| c.purl.as_str()).collect();
    assert_eq!(
        got,
        [
            "pkg:nuget/Test.Core@6.0.5",
            "pkg:nuget/Test.System@0.13.0-beta4",
            "pkg:nuget/Test.System@2.15.0"
        ]
    );
    // Both Test.System versions depend on Test.Core.
    assert_eq!(out.dependencies, [(1, 0), (2, 0)]);
}

/// A packages.lock.json written by hand: two frameworks, a project
/// reference, central package management.
#[test]
fn handwritten_nuget_lock_with_two_frameworks() {
    let text = r#"{
  "version": 1,
  "dependencies": {
    "net8.0": {
      "Microsoft.Extensions.Logging": {
        "type": "Direct", "requested": "[8.0.0, )", "resolved": "8.0.0", "contentHash": "x",
        "dependencies": { "Microsoft.Extensions.Logging.Abstractions": "8.0.0" }
      },
      "Microsoft.Extensions.Logging.Abstractions": { "type": "Transitive", "resolved": "8.0.0", "contentHash": "y" },
      "System.Text.Json": { "type": "CentralTransitive", "requested": "[8.0.4, )", "resolved": "8.0.4", "contentHash": "z" },
      "company.shared": { "type": "Project", "dependencies": { "System.Text.Json": "[8.0.4, )" } }
    },
    "netstandard2.0": {
      "Microsoft.Extensions.Logging": {
        "type": "Direct", "requested": "[8.0.0, )", "resolved": "8.0.0", "contentHash": "x",
        "dependencies": { "Microsoft.Extensions.Logging.Abstractions": "8.0.0", "System.Memory": "4.5.5" }
      },
      "Microsoft.Extensions.Logging.Abstractions": { "type": "Transitive", "resolved": "8.0.0", "contentHash": "y" },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.5", "contentHash": "w" }
    }
  }
}"#;
    let out = read_file_as(
        &nuget_lock::READER,
        "src/App/packages.lock.json",
        text,
        &MemorySource::new(),
    );
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let got: Vec<_> = out
        .components
        .iter()
        .map(|c| (c.purl.as_str(), c.relation))
        .collect();
    assert_eq!(
        got,
        [
            (
                "pkg:nuget/Microsoft.Extensions.Logging@8.0.0",
                Relation::Direct
            ),
            (
                "pkg:nuget/Microsoft.Extensions.Logging.Abstractions@8.0.0",
                Relation::Transitive
            ),
            ("pkg:nuget/System.Text.Json@8.0.4", Relation::Transitive),
            ("pkg:nuget/System.Memory@4.5.5", Relation::Transitive),
        ]
    );
    assert!(
        out.components[2]
            .note
            .as_deref()
            .unwrap()
            .contains("central package management")
    );
    assert_eq!(out.dependencies, [(0, 1), (0, 3)]);
}

// ------------------------------------------------------------ all formats

#[test]
fn the_registry_routes_each_file_name() {
    use vigie_discovery::registry::reader_for;
    let cases = [
        ("pom.xml", "pom-xml"),
        ("go.mod", "go-mod"),
        ("gradle.lockfile", "gradle-lockfile"),
        ("buildscript-gradle.lockfile", "gradle-lockfile"),
        ("verification-metadata.xml", "gradle-verification-metadata"),
        ("packages.lock.json", "nuget-lock"),
    ];
    for (name, id) in cases {
        assert_eq!(reader_for(name).map(|r| r.id), Some(id), "{name}");
    }
    // go.sum is read by the go.mod reader; a POM not named pom.xml is a parent.
    for name in ["go.sum", "parent.xml"] {
        assert!(reader_for(name).is_none(), "{name}");
    }
}

/// Every prefix of real files (cut at char boundaries) and a few hostile
/// inputs: no reader panics (a panic would be an `internal-error`).
#[test]
fn truncated_and_hostile_inputs_never_panic() {
    let Some(data) = common::data_dir() else {
        return;
    };
    let lockfiles = data.join("lockfiles");
    let fx = lockfiles.join("osv-scanner-fixtures");
    let files: [(&Reader, PathBuf); 5] = [
        (&pom_xml::READER, lockfiles.join("spring-petclinic/pom.xml")),
        (&go_mod::READER, lockfiles.join("prometheus/go.mod")),
        (&gradle_lockfile::READER, fx.join("gradle/5-pkg")),
        (
            &gradle_verification::READER,
            fx.join("gradle-verification-metadata/complex.xml"),
        ),
        (
            &nuget_lock::READER,
            fx.join("nuget/two-frameworks-mixed-packages.v1.json"),
        ),
    ];
    let none = MemorySource::new();
    for (reader, path) in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let step = (text.len() / 150).max(1);
        let mut cut = 0;
        while cut < text.len() {
            while !text.is_char_boundary(cut) {
                cut += 1;
            }
            let out = read_file_as(reader, "x", &text[..cut], &none);
            assert!(
                !codes(&out).contains(&"internal-error"),
                "{} cut at {cut}",
                path.display()
            );
            cut += step;
        }
    }
    let deep = format!("<project>{}", "<a>".repeat(10_000));
    let hostile = [
        deep.as_str(),
        "<project><parent><relativePath>/etc/passwd</relativePath><artifactId>p</artifactId></parent></project>",
        "<project><parent><relativePath>../../../../../../etc</relativePath><artifactId>p</artifactId></parent></project>",
        "<project><dependencies><dependency><groupId>${a}</groupId><artifactId>${b}</artifactId></dependency></dependencies></project>",
        "\u{feff}<?xml version=\"1.0\"?><!DOCTYPE x SYSTEM \"file:///etc/passwd\"><project>&xxe;</project>",
        "",
        "\0\0\0",
    ];
    for text in hostile {
        for reader in [
            &pom_xml::READER,
            &gradle_verification::READER,
            &go_mod::READER,
            &gradle_lockfile::READER,
            &nuget_lock::READER,
        ] {
            let out = read_file_as(reader, "a/b/pom.xml", text, &none);
            assert!(
                !codes(&out).contains(&"internal-error"),
                "{}: {text:.60}",
                reader.id
            );
        }
    }
    let out = read_file_as(&pom_xml::READER, "pom.xml", &deep, &none);
    assert!(codes(&out).contains(&"too-deep"));
}
