//! The dependencies between the workspace's crates are the ones ARCHITECTURE.md documents.
//!
//! `cargo metadata --no-deps` gives each member's declared dependencies; the edges between
//! members (normal and build dependencies in the `deps` block, dev-dependencies in the
//! `dev-deps` block of the Dependencies section) must be exactly the documented ones: a new
//! edge, a removed edge, or a crate the document does not list fails, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use vigie_testkit::workspace;

/// Crate -> the workspace crates it depends on.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The edges between workspace members, as Cargo reads the manifests: (normal and build,
/// dev). Offline and locked: it reads only the manifests and Cargo.lock.
fn declared() -> (Graph, Graph) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--locked"])
        .arg("--offline")
        .current_dir(workspace())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo metadata failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: serde_json::Value = serde_json::from_slice(&out.stdout).expect("metadata is JSON");
    let packages = meta["packages"].as_array().expect("packages");
    let members: BTreeSet<&str> = packages
        .iter()
        .map(|p| p["name"].as_str().expect("a package name"))
        .collect();
    let (mut normal, mut dev) = (Graph::new(), Graph::new());
    for p in packages {
        let name = p["name"].as_str().expect("a package name").to_owned();
        let (n, d) = (
            normal.entry(name.clone()).or_default(),
            dev.entry(name).or_default(),
        );
        for dep in p["dependencies"].as_array().expect("dependencies") {
            let dep_name = dep["name"].as_str().expect("a dependency name");
            if !members.contains(dep_name) {
                continue;
            }
            match dep["kind"].as_str() {
                None | Some("normal") | Some("build") => n.insert(dep_name.to_owned()),
                Some("dev") => d.insert(dep_name.to_owned()),
                Some(k) => panic!("dependency kind {k:?} of {dep_name}"),
            };
        }
    }
    (normal, dev)
}

/// The lines of the fenced block of `info` string in ARCHITECTURE.md's Dependencies section,
/// read as `crate -> dep, dep` (`(none)` for no dependency; blank and `#` lines skipped).
fn documented(doc: &str, info: &str) -> Result<Graph, String> {
    let start = doc
        .find("\n### Dependencies\n")
        .ok_or("no `### Dependencies` section")?;
    let rest = &doc[start + 1..];
    let end = ["\n## ", "\n### "]
        .iter()
        .filter_map(|h| rest.find(h))
        .min()
        .unwrap_or(rest.len());
    let section = &rest[..end];
    let fence = format!("```{info}\n");
    let open = section
        .find(&fence)
        .ok_or_else(|| format!("no ```{info} block in the Dependencies section"))?;
    let body = &section[open + fence.len()..];
    let body = &body[..body
        .find("```")
        .ok_or_else(|| format!("the ```{info} block is not closed"))?];
    let mut graph = Graph::new();
    for line in body.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, deps) = line
            .split_once("->")
            .ok_or_else(|| format!("{info}: {line:?} is not `crate -> dep, dep`"))?;
        let deps: BTreeSet<String> = match deps.trim() {
            "(none)" => BTreeSet::new(),
            d => d.split(',').map(|s| s.trim().to_owned()).collect(),
        };
        if deps.iter().any(|d| d.is_empty() || d.contains(' ')) {
            return Err(format!("{info}: {line:?} has an empty or spaced name"));
        }
        if graph.insert(name.trim().to_owned(), deps).is_some() {
            return Err(format!("{info}: {} is listed twice", name.trim()));
        }
    }
    Ok(graph)
}

/// What differs between the declared and the documented graph, one sentence per difference.
fn differences(what: &str, declared: &Graph, documented: &Graph) -> Vec<String> {
    let mut out = Vec::new();
    for (name, deps) in declared {
        let Some(doc) = documented.get(name) else {
            out.push(format!("{what}: crate {name} is not listed"));
            continue;
        };
        for d in deps.difference(doc) {
            out.push(format!("{what}: {name} -> {d} is not documented"));
        }
        for d in doc.difference(deps) {
            out.push(format!(
                "{what}: {name} -> {d} is documented but not declared"
            ));
        }
    }
    for name in documented.keys().filter(|n| !declared.contains_key(*n)) {
        out.push(format!(
            "{what}: {name} is documented but is no workspace crate"
        ));
    }
    out
}

#[test]
fn the_documented_dependency_graph_is_the_declared_one() {
    let text = std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).expect("read");
    let (normal, dev) = declared();
    assert!(
        normal.len() > 10 && normal["vigie"].contains("vigie-model"),
        "cargo metadata lists the workspace: {normal:?}"
    );
    let mut problems = differences("deps", &normal, &documented(&text, "deps").unwrap());
    problems.extend(differences(
        "dev-deps",
        &dev,
        &documented(&text, "dev-deps").unwrap(),
    ));
    assert!(
        problems.is_empty(),
        "ARCHITECTURE.md's Dependencies section and the manifests disagree \
         (update one or the other):\n  {}",
        problems.join("\n  ")
    );
}

#[test]
fn the_graph_reader_reads_edges_and_reports_every_kind_of_difference() {
    let doc = "# A\n\n### Dependencies\n\nprose\n\n```deps\n# comment\n\
               a -> b, c\nb -> (none)\n\nc -> b\n```\n\n### Next\n\n```deps\nz -> y\n```\n";
    let g = documented(doc, "deps").unwrap();
    let set = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(g.len(), 3, "the block after the next heading is not read");
    assert_eq!(
        (&g["a"], &g["b"], &g["c"]),
        (&set(&["b", "c"]), &set(&[]), &set(&["b"]))
    );

    let mut declared = g.clone();
    declared.get_mut("a").unwrap().remove("c");
    declared.get_mut("b").unwrap().insert("d".into());
    declared.remove("c");
    declared.insert("e".into(), set(&[]));
    assert_eq!(
        differences("deps", &declared, &g),
        [
            "deps: a -> c is documented but not declared",
            "deps: b -> d is not documented",
            "deps: crate e is not listed",
            "deps: c is documented but is no workspace crate",
        ]
    );

    for bad in ["a b\n", "a -> b,\n", "a -> b\na -> c\n"] {
        let doc = format!("### Dependencies\n\n```deps\n{bad}```\n").replace("###", "\n###");
        assert!(documented(&doc, "deps").is_err(), "{bad:?} accepted");
    }
    assert!(documented("\n### Dependencies\n\n```text\n```\n", "deps").is_err());
}
