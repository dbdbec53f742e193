//! How the commands open the store (issue 19, defect 7): a command that only reads never
//! creates a store nor writes a schema into an empty file; a store in a folder vigie cannot
//! write is still read; `vigie scan` into a damaged store fails, naming it.

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::process::{Command, Output};

use vigie_store::{Location, Mode};

use crate::common::{self, names, ok, synced};

/// Every command that only reads the store, with its arguments.
pub(crate) const READERS: &[&[&str]] = &[
    &["who-uses", "log4j-core"],
    &["who-uses", "--advisory", "CVE-2021-44228"],
    &["show", "api"],
    &["hit", "CVE-2021-44228"],
    &["diff"],
    &["report", "-f", "json"],
    &["export"],
    &["triage", "list"],
    &["user", "list"],
    &["token", "list"],
];

fn vigie(data: &Path, db: &Path, args: &[&str]) -> Output {
    let mut c = common::command(data, args);
    c.arg("--db").arg(db);
    c.output().expect("vigie runs")
}

/// Runs every reading command on `db` (missing or empty): each fails with "no store at DB",
/// and `dir`, which holds it, is left exactly as it was.
fn every_reader_refuses(dir: &Path, db: &Path) {
    let before = names(dir);
    let len = std::fs::metadata(db).ok().map(|m| m.len());
    for args in READERS {
        let out = vigie(&dir.join("data"), db, args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("no store at {}", db.display()))
                && stderr.contains("run `vigie scan` first"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?} printed something");
        assert_eq!(names(dir), before, "{args:?} left files behind");
        assert_eq!(
            std::fs::metadata(db).ok().map(|m| m.len()),
            len,
            "{args:?} changed the store file"
        );
    }
}

#[test]
fn reading_commands_leave_a_missing_or_empty_store_as_it_is() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigie.db");
    every_reader_refuses(dir.path(), &db);
    assert!(!db.exists());

    std::fs::write(&db, b"").unwrap();
    every_reader_refuses(dir.path(), &db);
    assert_eq!(std::fs::metadata(&db).unwrap().len(), 0);
}

/// `program args` as user nobody when this test runs as root (which ignores permission
/// bits), else as the current user; `None` when root cannot become nobody here.
fn unprivileged(root: bool, program: &Path, args: &[&str]) -> Option<Command> {
    let mut c = if root {
        if Command::new("setpriv").arg("--version").output().is_err() {
            return None;
        }
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
            .arg(program);
        c
    } else {
        Command::new(program)
    };
    c.args(args).env("NO_COLOR", "1").env_remove("VIGIE_DB");
    Some(c)
}

#[test]
fn a_store_in_a_folder_vigie_cannot_write_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = std::fs::metadata(dir.path()).unwrap().uid() == 0;
    let folder = dir.path().join("ro");
    std::fs::create_dir(&folder).unwrap();
    let db = folder.join("vigie.db");
    crate::store_cli::store(&db);
    assert_eq!(
        names(&folder),
        ["vigie.db"],
        "the writer left its log behind"
    );
    let mode = |p: &Path, m: u32| std::fs::set_permissions(p, PermissionsExt::from_mode(m));
    mode(dir.path(), 0o755).unwrap();
    mode(&db, 0o644).unwrap();
    mode(&folder, 0o555).unwrap();

    // The folder is really not writable by whoever runs vigie.
    let probe = folder.join("probe");
    let Some(mut touch) = unprivileged(root, Path::new("touch"), &[probe.to_str().unwrap()]) else {
        eprintln!("SKIPPED: running as root without setpriv, permissions cannot be tested");
        return;
    };
    let touched = touch.output().unwrap();
    assert!(
        !touched.status.success() && !probe.exists(),
        "the folder is writable"
    );

    let data = dir.path().join("data");
    let args = [
        "who-uses",
        "log4j-core",
        "--format",
        "json",
        "--db",
        db.to_str().unwrap(),
        "--data-dir",
        data.to_str().unwrap(),
    ];
    let vigie = Path::new(env!("CARGO_BIN_EXE_vigie"));
    let out = unprivileged(root, vigie, &args).unwrap().output().unwrap();
    let uses = common::json_of(&ok(out));
    let paths: Vec<&str> = uses
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["project_path"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(paths, ["api"], "{uses}");
    assert_eq!(names(&folder), ["vigie.db"]);
    mode(&folder, 0o755).unwrap();
}

#[test]
fn a_scan_into_a_damaged_store_fails_naming_it() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("tree");
    std::fs::create_dir(&tree).unwrap();
    let lock = common::workspace().join("Cargo.lock");
    std::fs::copy(&lock, tree.join("Cargo.lock")).unwrap();
    let db = dir.path().join("vigie.db");
    let scan = |db: &Path| vigie(data, db, &["scan", "-q", tree.to_str().unwrap()]);
    ok(scan(&db));

    // A page in the middle of the file overwritten: its header is no page's.
    let mut bytes = std::fs::read(&db).unwrap();
    let page = 4096;
    let pages = bytes.len() / page;
    assert!(pages > 4, "{} bytes", bytes.len());
    let at = pages / 2 * page;
    bytes[at..at + 100].fill(0xff);
    std::fs::write(&db, &bytes).unwrap();
    let check = vigie_store::open(&Location::from(db.as_path()), Mode::ReadOnly)
        .and_then(|s| s.integrity_check());
    assert!(
        check.as_ref().map_or(true, |c| c != &["ok"]),
        "the damage is not seen: {check:?}"
    );

    let out = scan(&db);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!("store {}", db.display()))
            && (stderr.contains("damaged") || stderr.contains("malformed")),
        "{stderr}"
    );
}
