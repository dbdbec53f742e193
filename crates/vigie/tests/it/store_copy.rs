//! `vigie store copy` (issue 16) between two SQLite files, on a store scanned from the example
//! estate: the truth is the source's own export, which the copy's must equal byte for byte;
//! a destination that holds anything is refused and left as it was, and a missing source is
//! said, nothing created.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::common::{json_of, names, ok, run, synced};

/// `vigie export` of the store at `db`.
fn export(data: &Path, db: &Path) -> Vec<u8> {
    ok(run(data, &["export", "--db", db.to_str().unwrap()])).stdout
}

/// `vigie store copy --from FROM --to TO` and `more`.
fn copy(data: &Path, from: &Path, to: &str, more: &[&str]) -> Output {
    let args = [
        &[
            "store",
            "copy",
            "--from",
            from.to_str().unwrap(),
            "--to",
            to,
        ][..],
        more,
    ]
    .concat();
    run(data, &args)
}

/// `out` failed with exit 2, printing nothing on standard output, its standard error
/// containing each of `says`.
fn refused(out: &Output, says: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(out.stdout.is_empty());
    for s in says {
        assert!(stderr.contains(s), "{s:?} not in {stderr}");
    }
}

/// A store of two snapshots of `examples/acme` and one triage decision, in `dir/a.db`.
fn scanned(data: &Path, dir: &Path) -> std::path::PathBuf {
    let db = dir.join("a.db");
    let dbs = db.to_str().unwrap();
    ok(run(data, &["scan", "-q", "examples/acme", "--db", dbs]));
    let store = vigie_store::open(
        &vigie_store::Location::path(&db),
        vigie_store::Mode::ReadOnly,
    )
    .unwrap();
    let key = store.findings(store.latest().unwrap()).unwrap()[0]
        .key
        .clone();
    drop(store);
    ok(run(
        data,
        &[
            "triage",
            &key,
            "--state",
            "in-triage",
            "--reason",
            "looking",
            "--db",
            dbs,
        ],
    ));
    ok(run(
        data,
        &[
            "scan",
            "-q",
            "examples/acme",
            "--label",
            "again",
            "--db",
            dbs,
        ],
    ));
    db
}

#[test]
fn a_copy_exports_as_its_source_and_goes_into_an_empty_store_only() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let from = scanned(data, dir.path());
    let source = export(data, &from);
    let held = vigie_store::open(
        &vigie_store::Location::path(&from),
        vigie_store::Mode::ReadOnly,
    )
    .unwrap()
    .stats()
    .unwrap();

    // Into a file that does not exist yet, in a folder that does not either.
    let to = dir.path().join("copies/b.db");
    let summary: Value = json_of(&ok(copy(
        data,
        &from,
        &format!("sqlite:{}", to.display()),
        &["-f", "json"],
    )));
    assert_eq!(export(data, &to), source, "the copy exports as its source");
    assert_eq!(summary["from"], from.to_str().unwrap());
    assert_eq!(summary["to"], to.to_str().unwrap());
    assert_eq!(
        (
            summary["from_backend"].as_str(),
            summary["to_backend"].as_str()
        ),
        (Some("sqlite"), Some("sqlite"))
    );
    assert_eq!(summary["snapshots"], 2);
    assert_eq!(summary["triage_records"], 1);
    assert_eq!(summary["components"], held.components);
    assert_eq!(summary["findings"], held.findings);
    assert_eq!(summary["streamed_bytes"], source.len() as u64);

    // The default source is the usual store: `--from` falls back on VIGIE_DB, and the table
    // names both stores.
    let again = dir.path().join("c.db");
    let out = ok(
        crate::common::command(data, &["store", "copy", "--to", again.to_str().unwrap()])
            .env("VIGIE_DB", &from)
            .output()
            .unwrap(),
    );
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.starts_with(&format!(
            "copied {} (sqlite) into {} (sqlite, ",
            from.display(),
            again.display()
        )) && table.contains(": 2 snapshots, "),
        "{table}"
    );
    assert_eq!(export(data, &again), source);

    // A destination that holds snapshots is refused, named, and left as it was.
    let before = export(data, &to);
    let files = names(&dir.path().join("copies"));
    refused(
        &copy(data, &from, to.to_str().unwrap(), &[]),
        &[
            &format!("{} is not empty", to.display()),
            "nothing was written into it",
        ],
    );
    assert_eq!(export(data, &to), before, "the destination is unchanged");
    assert_eq!(names(&dir.path().join("copies")), files);

    // A source that does not exist: said, and neither store created.
    let files = names(dir.path());
    let missing = dir.path().join("missing.db");
    refused(
        &copy(
            data,
            &missing,
            dir.path().join("d.db").to_str().unwrap(),
            &[],
        ),
        &[&format!(
            "no store at {} (run `vigie scan` first)",
            missing.display()
        )],
    );
    assert_eq!(names(dir.path()), files, "nothing created");
}

/// A schema of its own on the test PostgreSQL server (`$VIGIE_TEST_POSTGRES`, else the
/// project machine's), dropped with it.
struct PgSchema {
    admin: postgres::Client,
    name: String,
    url: String,
}

impl PgSchema {
    fn new() -> PgSchema {
        let base = std::env::var("VIGIE_TEST_POSTGRES")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".to_owned());
        let mut admin = postgres::Client::connect(&base, postgres::NoTls)
            .unwrap_or_else(|e| panic!("the PostgreSQL test server at {base}: {e}"));
        let name = format!(
            "vigie_cli_{}_{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        admin
            .batch_execute(&format!("CREATE SCHEMA {name}"))
            .unwrap();
        let sep = if base.contains('?') { '&' } else { '?' };
        let url = format!("{base}{sep}options=-csearch_path%3D{name}");
        PgSchema { admin, name, url }
    }
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        let _ = self
            .admin
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
    }
}

#[test]
fn a_store_copied_into_postgresql_and_back_exports_as_its_source() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let from = scanned(data, dir.path());
    let source = export(data, &from);
    let pg = PgSchema::new();
    ok(copy(data, &from, &pg.url, &["-q"]));
    let on_pg = ok(run(data, &["export", "--db", &pg.url])).stdout;
    assert!(on_pg == source, "the PostgreSQL copy exports as its source");
    // What the engine counts on each side, as `vigie store stats` says it.
    let stats = |db: &str| {
        json_of(&ok(run(
            data,
            &["store", "stats", "--db", db, "-f", "json"],
        )))
    };
    let (file, server) = (stats(from.to_str().unwrap()), stats(&pg.url));
    assert_eq!(server["backend"], "postgresql");
    for k in [
        "snapshots",
        "packages",
        "components",
        "component_lists",
        "findings",
        "triage_records",
    ] {
        assert_eq!(file[k], server[k], "{k}");
    }
    assert_eq!(server["snapshots"], 2);
    // And back into a file.
    let back = dir.path().join("back.db");
    ok(run(
        data,
        &[
            "store",
            "copy",
            "--from",
            &pg.url,
            "--to",
            back.to_str().unwrap(),
            "-q",
        ],
    ));
    assert!(
        export(data, &back) == source,
        "the copy back exports as the source"
    );
    // Who uses log4j-core answers the same on both engines.
    let who = |db: &str| {
        json_of(&ok(run(
            data,
            &["who-uses", "log4j-core", "--db", db, "-f", "json"],
        )))
    };
    assert_eq!(who(from.to_str().unwrap()), who(&pg.url));
}
