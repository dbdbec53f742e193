//! `-o FILE` of every command is written whole through a fresh temporary file beside it:
//! never through a link planted at the old fixed temporary names (`X.partial`,
//! `X.json.partial`) or at the target itself, never left behind, never shared by two
//! outputs of one folder; a folder given as `-o` is an error naming it; a stream
//! (`/dev/null`, `/dev/stdout`, a pipe) is written through, never replaced.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common::{command, names, ok, run, synced};

/// The example estate scanned into a store, once: (data directory, store).
fn store() -> Option<&'static (PathBuf, PathBuf, tempfile::TempDir)> {
    static S: OnceLock<Option<(PathBuf, PathBuf, tempfile::TempDir)>> = OnceLock::new();
    S.get_or_init(|| {
        let data = synced()?;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("acme.db");
        let dbs = db.to_str().unwrap();
        ok(run(data, &["scan", "examples/acme", "--db", dbs]));
        Some((data.to_path_buf(), db, dir))
    })
    .as_ref()
}

fn json_file(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `-o` commands that need only a folder to read.
fn estate_outputs(out: &str) -> Vec<Vec<String>> {
    let acme = "examples/acme".to_owned();
    [
        vec!["inventory", "-f", "json"],
        vec!["licences", "-f", "json"],
        vec!["notice"],
    ]
    .into_iter()
    .map(|a| {
        let mut a: Vec<String> = a.into_iter().map(str::to_owned).collect();
        a.extend([
            "-q".to_owned(),
            "-o".to_owned(),
            out.to_owned(),
            acme.clone(),
        ]);
        a
    })
    .collect()
}

#[test]
fn a_planted_link_is_never_written_through() {
    let Some((data, db, _)) = store() else { return };
    let dbs = db.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim");
    std::fs::write(&victim, "precious").unwrap();
    let plant = |name: &str| std::os::unix::fs::symlink(&victim, dir.path().join(name)).unwrap();
    // The fixed names the outputs used to be written through.
    plant("a.partial");
    plant("a.json.partial");
    // A link at the target itself is replaced, not followed.
    plant("b.json");

    let a_sarif = dir.path().join("a.sarif");
    let a_json = dir.path().join("a.json");
    let b_json = dir.path().join("b.json");
    let (a_sarif, a_json, b_json) = (
        a_sarif.to_str().unwrap(),
        a_json.to_str().unwrap(),
        b_json.to_str().unwrap(),
    );
    ok(run(
        data,
        &["report", "--db", dbs, "-f", "sarif", "-o", a_sarif],
    ));
    ok(run(data, &["export", "--db", dbs, "-o", a_json]));
    ok(run(
        data,
        &["report", "--db", dbs, "-f", "json", "-o", b_json],
    ));
    let out = run(
        data,
        &["audit", "-q", "-f", "json", "-o", b_json, "examples/acme"],
    );
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(json_file(Path::new(a_sarif))["version"], "2.1.0");
    assert!(json_file(Path::new(a_json)).is_object());
    assert!(json_file(Path::new(b_json))["projects"].is_array());
    assert!(
        !std::fs::symlink_metadata(b_json)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        names(dir.path()),
        [
            "a.json",
            "a.json.partial",
            "a.partial",
            "a.sarif",
            "b.json",
            "victim"
        ]
    );
}

#[test]
fn an_output_that_is_a_folder_is_an_error_naming_it_and_nothing_is_left() {
    let Some((data, db, _)) = store() else { return };
    let dbs = db.to_str().unwrap();
    let parent = tempfile::tempdir().unwrap();
    let folder = parent.path().join("out");
    std::fs::create_dir(&folder).unwrap();
    let f = folder.to_str().unwrap();
    let mut commands: Vec<Vec<String>> = estate_outputs(f);
    for a in [
        vec!["report", "--db", dbs, "-f", "sarif", "-o", f],
        vec!["report", "--db", dbs, "-f", "html", "-o", f],
        vec!["report", "--db", dbs, "-f", "pdf", "-o", f],
        vec!["export", "--db", dbs, "-o", f],
        vec!["audit", "-q", "-f", "sarif", "-o", f, "examples/acme"],
    ] {
        commands.push(a.into_iter().map(str::to_owned).collect());
    }
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(data, &args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{f} is a folder")),
            "{args:?}: {stderr}"
        );
        assert!(names(&folder).is_empty(), "{args:?}: {:?}", names(&folder));
        assert_eq!(names(parent.path()), ["out"], "{args:?}");
    }
}

#[test]
fn two_outputs_of_one_folder_written_at_once_keep_their_own_content() {
    let Some((data, db, _)) = store() else { return };
    let dbs = db.to_str().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let a_sarif = dir.path().join("a.sarif");
    let a_json = dir.path().join("a.json");
    let spawn = |args: &[&str]| command(data, args).spawn().expect("vigie runs");
    // The two machine outputs of one snapshot, streamed at the same time into one folder:
    // `a.sarif` and `a.json` used to share `a.partial`.
    let mut sarif = spawn(&[
        "report",
        "--db",
        dbs,
        "-f",
        "sarif",
        "-o",
        a_sarif.to_str().unwrap(),
    ]);
    let mut bom = spawn(&[
        "report",
        "--db",
        dbs,
        "-f",
        "cyclonedx",
        "-o",
        a_json.to_str().unwrap(),
    ]);
    assert!(sarif.wait().unwrap().success());
    assert!(bom.wait().unwrap().success());
    assert_eq!(json_file(&a_sarif)["version"], "2.1.0");
    assert_eq!(json_file(&a_json)["bomFormat"], "CycloneDX");
    assert_eq!(names(dir.path()), ["a.json", "a.sarif"]);

    // Every estate output, one after the other into one file name: each replaces the last
    // whole, and no temporary file is left.
    let out = dir.path().join("estate.out");
    for args in estate_outputs(out.to_str().unwrap()) {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let done = run(data, &args);
        assert!(
            matches!(done.status.code(), Some(0 | 2)),
            "{args:?}: {}",
            String::from_utf8_lossy(&done.stderr)
        );
        assert!(std::fs::metadata(&out).unwrap().len() > 0, "{args:?}");
    }
    assert_eq!(names(dir.path()), ["a.json", "a.sarif", "estate.out"]);
}

/// A stream given as `-o` is written through, never replaced: `/dev/null` (as root, a
/// file renamed onto it turned the machine's null device into a regular file that every
/// later program wrote into and read back), and `/dev/stdout`, which gives the same bytes
/// as a file.
#[cfg(unix)]
#[test]
fn the_null_device_and_standard_output_are_written_through() {
    use std::os::unix::fs::FileTypeExt;
    let Some((data, db, _)) = store() else { return };
    let dbs = db.to_str().unwrap();
    let null_is_a_device = || {
        std::fs::symlink_metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    };
    let mut commands = estate_outputs("/dev/null");
    for a in [
        vec!["report", "--db", dbs, "-f", "sarif", "-o", "/dev/null"],
        vec!["export", "--db", dbs, "-o", "/dev/null"],
    ] {
        commands.push(a.into_iter().map(str::to_owned).collect());
    }
    for args in &commands {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(data, &args);
        assert!(
            matches!(out.status.code(), Some(0 | 2)),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(null_is_a_device(), "{args:?} replaced /dev/null");
    }

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("inventory.json");
    let args = |out: &str| {
        vec![
            "inventory".to_owned(),
            "-q".to_owned(),
            "-f".to_owned(),
            "json".to_owned(),
            "-o".to_owned(),
            out.to_owned(),
            "examples/acme".to_owned(),
        ]
    };
    let to_file = args(file.to_str().unwrap());
    let to_stdout = args("/dev/stdout");
    let to_file: Vec<&str> = to_file.iter().map(String::as_str).collect();
    let to_stdout: Vec<&str> = to_stdout.iter().map(String::as_str).collect();
    ok(run(data, &to_file));
    let out = ok(run(data, &to_stdout));
    // The same document, but for the time it was made.
    let undated = |mut v: Value| {
        v.as_object_mut().unwrap().remove("timestamp");
        v
    };
    let streamed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(streamed["projects"].is_array());
    assert_eq!(undated(streamed), undated(json_file(&file)));
}
