//! Hostile inputs of issue 19, each as a repository (or a mirror) with commit access would
//! plant it: vigie must finish promptly with a diagnostic naming the file, never hang on a
//! named pipe nor read a device until memory runs out.

use std::path::Path;
use std::process::Command;

use crate::common::{self, Bounded, data_dir, mkfifo, run_deadline};

/// Every hostile run must end within this many seconds.
const DEADLINE: u64 = 60;

/// A run that reads `/dev/zero` for a second already holds gigabytes; a refused one stays small.
const MAX_PEAK_KB: u64 = 400 * 1024;

fn vigie(dir: &Path, args: &[&str]) -> Bounded {
    let mut c = Command::new(env!("CARGO_BIN_EXE_vigie"));
    c.args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", dir.join(".vigie-data"))
        .env_remove("VIGIE_DB");
    let run = run_deadline(c, DEADLINE);
    assert!(
        run.peak_kb < MAX_PEAK_KB,
        "peak {} kB: {}",
        run.peak_kb,
        String::from_utf8_lossy(&run.out.stderr)
    );
    run
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// The diagnostics of an inventory's JSON output, as `file: code: message` lines.
fn inventory_diagnostics(dir: &Path) -> String {
    let run = vigie(dir, &["inventory", "-f", "json", "."]);
    let doc: serde_json::Value = serde_json::from_slice(&run.out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&run.out.stdout),
            String::from_utf8_lossy(&run.out.stderr)
        )
    });
    let mut lines = Vec::new();
    for p in doc["projects"].as_array().unwrap() {
        for d in p["diagnostics"].as_array().into_iter().flatten() {
            lines.push(format!("{}: {}: {}", d["file"], d["code"], d["message"]));
        }
    }
    lines.join("\n")
}

/// Checks that the inventory of `dir` has one diagnostic naming every one of `needles`.
fn has_diagnostic(dir: &Path, needles: &[&str]) {
    let diags = inventory_diagnostics(dir);
    assert!(
        diags.lines().any(|l| needles.iter().all(|n| l.contains(n))),
        "{needles:?} in:\n{diags}"
    );
}

/// A tree holding `files` and a named pipe at `pipe`, inventoried: one diagnostic names every
/// one of `needles`.
fn pipe_in_tree_refused(files: &[(&str, &str)], pipe: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        write(&dir.path().join(path), text);
    }
    std::fs::create_dir_all(dir.path().join(pipe).parent().unwrap()).unwrap();
    mkfifo(&dir.path().join(pipe));
    has_diagnostic(dir.path(), needles);
}

#[test]
fn go_sum_as_a_named_pipe_is_refused() {
    pipe_in_tree_refused(
        &[(
            "svc/go.mod",
            "module example.com/svc\n\ngo 1.22\n\nrequire github.com/pkg/errors v0.9.1\n",
        )],
        "svc/go.sum",
        &["go-sum-missing", "go.sum", "named pipe"],
    );
}

#[test]
fn a_requirements_include_as_a_named_pipe_is_refused() {
    pipe_in_tree_refused(
        &[("app/requirements.txt", "requests==2.31.0\n-r dev.txt\n")],
        "app/dev.txt",
        &["unreadable-include", "dev.txt", "named pipe"],
    );
}

#[test]
fn a_parent_pom_as_a_named_pipe_is_refused() {
    pipe_in_tree_refused(
        &[(
            "svc/child/pom.xml",
            "<project><modelVersion>4.0.0</modelVersion>\
             <parent><groupId>g</groupId><artifactId>p</artifactId><version>1</version>\
             <relativePath>../parent/pom.xml</relativePath></parent>\
             <artifactId>c</artifactId>\
             <dependencies><dependency><groupId>g</groupId><artifactId>d</artifactId>\
             <version>2.0</version></dependency></dependencies></project>",
        )],
        "svc/parent/pom.xml",
        &["parent/pom.xml", "named pipe"],
    );
}

#[test]
fn licence_evidence_of_node_modules_as_a_named_pipe_is_refused() {
    let Some(data) = common::synced() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("web/package-lock.json"),
        r#"{"lockfileVersion":3,"packages":{"":{"name":"web"},"node_modules/x":{"version":"1.0.0"}}}"#,
    );
    std::fs::create_dir_all(dir.path().join("web/node_modules/x")).unwrap();
    mkfifo(&dir.path().join("web/node_modules/x/package.json"));
    let mut c = common::command(data, &["licences", dir.path().to_str().unwrap()]);
    c.current_dir(dir.path());
    let run = run_deadline(c, DEADLINE);
    let stderr = String::from_utf8_lossy(&run.out.stderr);
    assert!(
        stderr
            .lines()
            .any(|l| l.contains("node_modules/x/package.json") && l.contains("named pipe")),
        "{stderr}"
    );
}

#[test]
fn a_catalog_file_as_a_named_pipe_or_a_link_to_dev_zero_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("vigie.toml"),
        "[catalog]\nfiles = [\"org/pipe.yaml\"]\n",
    );
    std::fs::create_dir_all(dir.path().join("org")).unwrap();
    mkfifo(&dir.path().join("org/pipe.yaml"));
    let run = vigie(dir.path(), &["catalog", "check", ".", "-f", "json"]);
    let doc = common::json_of(&run.out);
    let diags = doc["diagnostics"].to_string();
    assert!(
        diags.contains("org/pipe.yaml") && diags.contains("named pipe"),
        "{diags}"
    );

    // Given by the user with --config, a file may be anywhere, but a device is never read.
    let config = dir.path().join("user.toml");
    write(&config, "[catalog]\nfiles = [\"zero.yaml\"]\n");
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.yaml")).unwrap();
    let run = vigie(
        dir.path(),
        &[
            "catalog",
            "check",
            ".",
            "-f",
            "json",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    let diags = common::json_of(&run.out)["diagnostics"].to_string();
    assert!(
        diags.contains("zero.yaml") && diags.contains("a device"),
        "{diags}"
    );
}

/// Syncs a small mirror whose `rel` is replaced by what `plant` puts there: refused promptly,
/// the file named.
fn mirror_file_refused(rel: &str, plant: impl FnOnce(&Path)) {
    let Some(data) = data_dir() else {
        return;
    };
    let mirror = crate::sync::small_mirror(&data);
    let path = mirror.path().join(rel);
    std::fs::remove_file(&path).unwrap();
    plant(&path);
    let home = tempfile::tempdir().unwrap();
    let run = vigie(
        home.path(),
        &["sync", "-q", "--mirror", mirror.path().to_str().unwrap()],
    );
    let stderr = String::from_utf8_lossy(&run.out.stderr);
    assert_eq!(run.out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr
            .lines()
            .any(|l| l.contains(rel) && l.contains("not a regular file")),
        "{stderr}"
    );
}

#[test]
fn a_mirror_file_as_a_named_pipe_is_refused() {
    mirror_file_refused("kev/known_exploited_vulnerabilities.json", mkfifo);
    mirror_file_refused("osv/crates.io/all.zip", mkfifo);
}

#[test]
fn a_mirror_kev_file_linked_to_dev_zero_is_refused() {
    mirror_file_refused("kev/known_exploited_vulnerabilities.json", |p| {
        std::os::unix::fs::symlink("/dev/zero", p).unwrap()
    });
}

/// A folder named to take over the terminal: clear the screen, set the title, a hyperlink,
/// and a right-to-left override.
const HOSTILE_NAME: &str = "x\x1b[2J\x1b]0;pwned\x07\x1b]8;;evil:link\x1b\\y\u{202E}gpj.exe";

/// Whether `bytes` holds anything that a terminal would obey or that reorders text.
fn raw_controls(bytes: &[u8]) -> Vec<char> {
    String::from_utf8_lossy(bytes)
        .chars()
        .filter(|c| {
            (c.is_control() && !matches!(c, '\n' | '\t')) || vigie_model::text::is_bidi_control(*c)
        })
        .collect()
}

#[test]
fn folder_names_never_reach_the_terminal_raw() {
    let Some(data) = common::synced() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join(HOSTILE_NAME);
    // smallvec 1.6.0 has an advisory: the audit prints a heading for the project.
    write(
        &project.join("Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    let root = dir.path().to_str().unwrap();
    for args in [
        vec!["inventory", root],
        vec!["audit", root],
        vec!["audit", "-f", "markdown", root],
        vec!["notice", root],
        vec!["licences", root],
    ] {
        let run = run_deadline(common::command(data, &args), DEADLINE);
        let out = &run.out;
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            stdout.contains("pwned"),
            "{args:?}: the project is shown: {stdout}"
        );
        assert_eq!(raw_controls(&out.stdout), [], "{args:?} stdout: {stdout:?}");
        assert_eq!(raw_controls(&out.stderr), [], "{args:?} stderr");
        assert!(
            stdout.contains("U+202E"),
            "{args:?}: the override shown: {stdout}"
        );
    }
}

/// What a file outside the scanned repository holds: it must never reach an output.
const SECRET: &str = "topsecret-3f9c1a";

/// A repository at `estate/repo` of a fresh folder, with a `Cargo.lock` (so it is a project)
/// and `secret/x.yaml` outside it, a valid catalog file naming [`SECRET`].
fn repository_beside_a_secret() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    write(
        &dir.path().join("secret/x.yaml"),
        &format!(
            "apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: {{name: {SECRET}}}\n\
             spec: {{type: team, children: []}}\n"
        ),
    );
    let repo = dir.path().join("estate/repo");
    write(
        &repo.join("Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.13.2\"\n\
         source = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    );
    (dir, repo)
}

/// The commands that read `vigie.toml` from the repository they are given (the plain
/// inventory reads none), with `data` as their data directory (`audit` and `scan` need its
/// knowledge index), each with its first words.
fn config_readers(data: &Path, repo: &Path) -> Vec<(String, Bounded)> {
    let r = repo.to_str().unwrap();
    let db = repo.parent().unwrap().join("vigie.db");
    [
        vec!["catalog", "check", r],
        vec!["catalog", "show", r, "-f", "json"],
        vec!["audit", r],
        vec!["scan", "-q", r, "--db", db.to_str().unwrap()],
    ]
    .iter()
    .map(|args| {
        (
            args[..2].join(" "),
            run_deadline(common::command(data, args), DEADLINE),
        )
    })
    .collect()
}

#[test]
fn a_committed_vigie_toml_names_no_file_outside_its_repository() {
    let Some(data) = common::synced() else {
        return;
    };
    let (_dir, repo) = repository_beside_a_secret();
    std::os::unix::fs::symlink("../../secret/x.yaml", repo.join("team.yaml")).unwrap();
    write(
        &repo.join("vigie.toml"),
        "[catalog]\nfiles = [\"/etc/passwd\", \"../../secret/x.yaml\", \"team.yaml\"]\n",
    );
    for (what, run) in config_readers(data, &repo) {
        let stdout = String::from_utf8_lossy(&run.out.stdout);
        let stderr = String::from_utf8_lossy(&run.out.stderr);
        assert_eq!(run.out.status.code(), Some(2), "{what}: {stderr}");
        for needle in [
            "vigie.toml: catalog.files[0] = \"/etc/passwd\": an absolute path",
            "catalog.files[1] = \"../../secret/x.yaml\": a path that goes up",
            "catalog.files[2] = \"team.yaml\": a link leading out of the folder",
            "--config",
        ] {
            assert!(stderr.contains(needle), "{what}: {needle} in {stderr}");
        }
        for text in [&stdout, &stderr] {
            assert!(
                !text.contains(SECRET) && !text.contains("root:"),
                "{what}: {text}"
            );
        }
    }

    // The same file named by the user is the user's choice: what it names is read.
    write(
        &repo.join("vigie.toml"),
        "[catalog]\nfiles = [\"../../secret/x.yaml\"]\n",
    );
    let config = repo.join("vigie.toml");
    let r = repo.to_str().unwrap();
    let args = [
        "catalog",
        "show",
        r,
        "-f",
        "json",
        "--config",
        config.to_str().unwrap(),
    ];
    let run = run_deadline(common::command(data, &args), DEADLINE);
    let stdout = String::from_utf8_lossy(&run.out.stdout);
    assert_eq!(run.out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains(SECRET), "{stdout}");
}

#[test]
fn a_committed_vigie_toml_that_is_a_link_is_not_followed() {
    let Some(data) = common::synced() else {
        return;
    };
    let (dir, repo) = repository_beside_a_secret();
    // Were it read, its unknown key would be quoted in the error.
    write(
        &dir.path().join("secret/vigie.toml"),
        &format!("{SECRET} = 1\n"),
    );
    std::os::unix::fs::symlink("../../secret/vigie.toml", repo.join("vigie.toml")).unwrap();
    for (what, run) in config_readers(data, &repo) {
        let stdout = String::from_utf8_lossy(&run.out.stdout);
        let stderr = String::from_utf8_lossy(&run.out.stderr);
        assert_eq!(run.out.status.code(), Some(2), "{what}: {stderr}");
        let named = format!(
            "{}: a symbolic link, not followed",
            repo.join("vigie.toml").display()
        );
        assert!(stderr.contains(&named), "{what}: {stderr}");
        for text in [&stdout, &stderr] {
            assert!(!text.contains(SECRET), "{what}: {text}");
        }
    }
}

// Memory amplification (issue 19, defect 3): inputs far smaller than the file size limit
// that a reader or the walk used to blow up. Each run must stay under `MAX_PEAK_KB` (what
// `vigie` checks) or under the tighter bound given; the figures at full size are in
// BENCHMARKS.md (`bench/memory.sh`).

/// The inventory JSON of `dir` with `args` added, and its peak in kB.
fn inventory_json(dir: &Path, args: &[&str]) -> (serde_json::Value, u64) {
    let mut all = vec!["inventory", "-f", "json"];
    all.extend_from_slice(args);
    all.push(".");
    let run = vigie(dir, &all);
    let doc = serde_json::from_slice(&run.out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&run.out.stderr));
    });
    (doc, run.peak_kb)
}

#[test]
fn an_oversized_gitignore_is_skipped_with_a_warning_and_the_walk_goes_on() {
    let lock = "version = 3\n\n[[package]]\nname = \"smallvec\"\nversion = \"1.6.0\"\n\
                source = \"registry+https://github.com/rust-lang/crates.io-index\"\n";
    let dir = tempfile::tempdir().unwrap();
    // One line of 20 MB: compiled whole, it took 1.5 GB. It would ignore `a/`.
    let mut line = "a/\n".to_owned();
    line.push_str(&"x".repeat(20 << 20));
    write(&dir.path().join(".gitignore"), &line);
    write(&dir.path().join("a/Cargo.lock"), lock);
    // Many short lines, over the pattern limit, in a folder below: that one is skipped too.
    let many: String = (0..30_000).map(|i| format!("f{i}\n")).collect();
    write(&dir.path().join("b/.gitignore"), &format!("c/\n{many}"));
    write(&dir.path().join("b/c/Cargo.lock"), lock);
    // A good one still applies.
    write(&dir.path().join("d/.gitignore"), "e/\n");
    write(&dir.path().join("d/e/Cargo.lock"), lock);
    let (doc, peak_kb) = inventory_json(dir.path(), &[]);
    assert!(peak_kb < 150 * 1024, "peak {peak_kb} kB");
    let paths: Vec<&str> = doc["projects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["a", "b/c"], "nothing of a skipped file applies");
    let diags: Vec<(&str, &str, &str)> = doc["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["file"].as_str().unwrap(),
                d["code"].as_str().unwrap(),
                d["severity"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        diags,
        [
            (".gitignore", "ignore-file-skipped", "warning"),
            ("b/.gitignore", "ignore-file-skipped", "warning"),
        ]
    );
}

/// A `poetry.lock` of `n` packages, each with fields the reader does not use (one a large
/// table), and every tenth depending on the one before.
fn poetry_lock(n: usize) -> String {
    let mut text = String::from("# @generated by Poetry 2.1.1\n\n");
    for i in 0..n {
        text.push_str(&format!(
            "[[package]]\nname = \"p{i}\"\nversion = \"1.{}\"\ndescription = \"{}\"\n\
             optional = false\ngroups = [\"main\"]\nfiles = []\n",
            i % 7,
            "d".repeat(i % 50)
        ));
        if i % 10 == 1 {
            text.push_str(&format!("\n[package.dependencies]\np{} = \"*\"\n", i - 1));
        }
        text.push_str(&format!(
            "\n[package.extras]\nx = [\"a\", \"b\", \"c{i}\"]\n\n"
        ));
    }
    text.push_str("[metadata]\nlock-version = \"2.1\"\ncontent-hash = \"0\"\n");
    text
}

#[test]
fn a_large_poetry_lock_is_read_whole_in_bounded_memory() {
    // About 19 MB: parsed whole, the TOML parser's tree took about 900 MB.
    let n = 100_000;
    let dir = tempfile::tempdir().unwrap();
    write(&dir.path().join("poetry.lock"), &poetry_lock(n));
    let (doc, peak_kb) = inventory_json(dir.path(), &[]);
    assert!(peak_kb < 300 * 1024, "peak {peak_kb} kB");
    let p = &doc["projects"][0];
    assert_eq!(p["diagnostics"], serde_json::json!([]));
    let components = p["components"].as_array().unwrap();
    assert_eq!(components.len(), n);
    let last = &components[n - 1];
    assert_eq!(last["name"], format!("p{}", n - 1));
    // Lines are the file's, not a part's.
    let line = poetry_lock(n)
        .lines()
        .position(|l| l == format!("name = \"p{}\"", n - 1))
        .unwrap()
        + 1;
    assert_eq!(last["line"], line);
    assert_eq!(p["dependencies"].as_array().unwrap().len(), n / 10);
}

#[test]
fn a_large_cyclonedx_xml_inventoried_as_cyclonedx_stays_bounded() {
    // 60,000 components, 6 MB: the BOM built as one JSON value held about 550 MB.
    let n = 60_000;
    let dir = tempfile::tempdir().unwrap();
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.5\" \
         version=\"1\">\n<components>\n",
    );
    for i in 0..n {
        xml.push_str(&format!(
            "<component type=\"library\" bom-ref=\"c{i}\"><name>c{i}</name>\
             <version>1.{}.0</version></component>\n",
            i % 7
        ));
    }
    xml.push_str("</components>\n</bom>\n");
    write(&dir.path().join("bom.xml"), &xml);
    let run = vigie(dir.path(), &["inventory", "-f", "cyclonedx", "."]);
    assert!(run.peak_kb < 200 * 1024, "peak {} kB", run.peak_kb);
    let bom: serde_json::Value = serde_json::from_slice(&run.out.stdout).unwrap();
    assert_eq!(
        bom["components"][0]["components"].as_array().unwrap().len(),
        n
    );
}
