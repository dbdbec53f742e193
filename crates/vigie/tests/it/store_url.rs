//! Where the store is (issue 16): `--db` (and `$VIGIE_DB`) takes a file, `sqlite:FILE` or a
//! `postgres://` URL, else `[store] url` of the configuration file given with `--config`,
//! else `vigie.db` in the data directory; another scheme is refused naming the flag, and a
//! URL's password reaches no output, whatever fails.

use std::path::Path;
use std::process::{Command, Output};

use crate::common::{self, names};

const SECRET: &str = "s3cr3t-pw";
/// Nothing listens on port 1: whatever the build, opening this store fails.
const URL: &str = "postgres://vigie:s3cr3t-pw@127.0.0.1:1/vigie";
/// The URL as vigie prints it.
const SHOWN: &str = "postgres://vigie:***@127.0.0.1:1/vigie";

fn output(mut c: Command) -> Output {
    c.output().expect("vigie runs")
}

/// `out` failed with exit 2, its standard error containing each of `says`, and neither of
/// its outputs the password.
fn fails_saying(out: &Output, what: &str, says: &[&str]) {
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert_eq!(out.status.code(), Some(2), "{what}: {stderr}");
    assert!(
        !stdout.contains(SECRET) && !stderr.contains(SECRET),
        "{what} printed the password: {stdout}{stderr}"
    );
    for s in says {
        assert!(stderr.contains(s), "{what}: {s:?} not in {stderr}");
    }
}

#[test]
fn another_scheme_is_refused_naming_where_it_was_written() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let mysql = "mysql://vigie:s3cr3t-pw@db.example/vigie";
    let unknown = "unknown scheme \"mysql\" (a file path, sqlite:PATH or postgres://…)";
    for args in [
        &["who-uses", "log4j-core", "--db", mysql][..],
        &["scan", "examples/acme", "--db", mysql],
        &["serve", "--db", mysql],
    ] {
        let out = common::run(data, args);
        fails_saying(&out, &args.join(" "), &["--db: ", unknown]);
    }
    let out = common::run(data, &["store", "copy", "--to", mysql]);
    fails_saying(&out, "store copy --to", &["--to: ", unknown]);
    let out = common::run(data, &["store", "copy", "--from", mysql, "--to", "x.db"]);
    fails_saying(&out, "store copy --from", &["--from: ", unknown]);

    let config = dir.path().join("vigie.toml");
    std::fs::write(&config, format!("[store]\nurl = \"{mysql}\"\n")).unwrap();
    let out = common::run(data, &["diff", "--config", config.to_str().unwrap()]);
    fails_saying(
        &out,
        "[store] url",
        &[&format!("{}: store.url: ", config.display()), unknown],
    );
    assert_eq!(names(dir.path()), ["vigie.toml"], "nothing created");
}

#[test]
fn a_password_reaches_no_output() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let file = dir.path().join("file.db");
    let config = dir.path().join("vigie.toml");
    std::fs::write(&config, format!("[store]\nurl = \"{URL}\"\n")).unwrap();
    let export = dir.path().join("export.json");
    std::fs::write(&export, "{}").unwrap();

    // Every command that opens the store: those that only read it, and those that write.
    let writers: &[&[&str]] = &[
        &["import", export.to_str().unwrap()],
        &["triage", "CVE-2021-44228", "--state", "in-triage"],
        &["knowledge", "--snapshot", "1"],
        &["reaudit"],
        &["scan", "-q", "examples/acme/storefront"],
        &["token", "create", "--role", "viewer"],
    ];
    let store_commands = crate::store_open::READERS.iter().chain(writers);
    let given = |c: &mut Command, how: usize| match how {
        0 => {
            c.arg("--db").arg(URL);
        }
        1 => {
            c.env("VIGIE_DB", URL);
        }
        _ => {
            c.arg("--config").arg(&config);
        }
    };
    for args in store_commands {
        for how in 0..3 {
            let mut c = common::command(&data, args);
            given(&mut c, how);
            fails_saying(&output(c), &format!("{args:?} ({how})"), &[SHOWN]);
        }
    }
    for args in [
        &[
            "store",
            "copy",
            "--from",
            URL,
            "--to",
            file.to_str().unwrap(),
        ][..],
        &[
            "store",
            "copy",
            "--to",
            URL,
            "--from",
            file.to_str().unwrap(),
        ],
    ] {
        fails_saying(&output(common::command(&data, args)), &args.join(" "), &[]);
    }
    // The copy's destination is named: the source is a real store, the destination the URL.
    let db = dir.path().join("a.db");
    crate::store_cli::store(&db);
    let args = ["store", "copy", "--from", db.to_str().unwrap(), "--to", URL];
    fails_saying(&output(common::command(&data, &args)), "copy to", &[SHOWN]);

    // The server: it listens, then fails to open its store and stops.
    let mut c = common::command(&data, &["serve", "--listen", "127.0.0.1:0"]);
    c.arg("--db").arg(URL);
    let served = common::run_deadline(c, 60);
    fails_saying(&served.out, "serve", &[SHOWN]);

    // The help shows no value of the environment.
    for args in [
        &["who-uses", "--help"][..],
        &["scan", "--help"],
        &["serve", "--help"],
        &["sync", "--help"],
        &["store", "copy", "--help"],
    ] {
        let out = output({
            let mut c = common::command(&data, args);
            c.env("VIGIE_DB", URL);
            c
        });
        assert!(out.status.success(), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(!text.contains(SECRET), "{args:?}: {text}");
    }
}

/// `vigie who-uses log4j-core -f json` with `args`, run in `cwd`.
fn who_uses(data: &Path, cwd: &Path, args: &[&str], env_db: Option<&Path>) -> Output {
    let mut c = common::command(data, &["who-uses", "log4j-core@<2.15.0", "--snapshot", "1"]);
    c.args(args).args(["-f", "json"]).current_dir(cwd);
    if let Some(db) = env_db {
        c.env("VIGIE_DB", db);
    }
    output(c)
}

#[test]
fn the_flag_wins_over_the_configuration_which_wins_over_the_data_directory() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let etc = dir.path().join("etc");
    std::fs::create_dir(&etc).unwrap();
    // The configuration names `a.db` beside it, relative to its own folder.
    crate::store_cli::store(&etc.join("a.db"));
    let config = etc.join("vigie.toml");
    std::fs::write(&config, "[store]\nurl = \"a.db\"\n").unwrap();
    let configured = ["--config", config.to_str().unwrap()];

    let hit = common::json_of(&common::ok(who_uses(&data, dir.path(), &configured, None)));
    assert_eq!(hit[0]["project_path"], "api");
    let hit = common::json_of(&common::ok(who_uses(
        &data,
        dir.path(),
        &[
            "--config",
            config.to_str().unwrap(),
            "--db",
            "sqlite:etc/a.db",
        ],
        None,
    )));
    assert_eq!(
        hit[0]["project_path"], "api",
        "--db relative to the current folder"
    );

    let other = dir.path().join("other.db");
    let no_store = |out: &Output, db: &Path| {
        fails_saying(
            out,
            &db.display().to_string(),
            &[&format!(
                "no store at {} (run `vigie scan` first)",
                db.display()
            )],
        );
    };
    let flag = [&configured[..], &["--db", other.to_str().unwrap()]].concat();
    no_store(&who_uses(&data, dir.path(), &flag, None), &other);
    no_store(
        &who_uses(&data, dir.path(), &configured, Some(&other)),
        &other,
    );
    no_store(
        &who_uses(&data, dir.path(), &[], None),
        &data.join("vigie.db"),
    );
    assert!(!other.exists() && !data.join("vigie.db").exists());
}

#[test]
fn a_configuration_found_in_a_scanned_folder_names_no_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    let tree = dir.path().join("repo");
    common::copy_dir(&common::workspace().join("examples/acme/storefront"), &tree);
    std::fs::write(
        tree.join("vigie.toml"),
        format!("[store]\nurl = \"{URL}\"\n"),
    )
    .unwrap();
    let db = dir.path().join("vigie.db");
    for args in [
        &["scan", "-q", tree.to_str().unwrap()][..],
        &[
            "scan",
            "-q",
            tree.to_str().unwrap(),
            "--db",
            db.to_str().unwrap(),
        ],
        &["serve", tree.to_str().unwrap()],
    ] {
        fails_saying(
            &common::run(&data, args),
            &args.join(" "),
            &[
                &format!("{}: store.url: ", tree.join("vigie.toml").display()),
                "may not name the store",
            ],
        );
    }
    assert_eq!(names(dir.path()), ["data", "repo"], "no store created");
    assert!(names(&data).is_empty());
}
