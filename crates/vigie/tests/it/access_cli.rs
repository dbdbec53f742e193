//! `vigie user` and `vigie token`: users added (password on standard input), listed,
//! disabled and given a role; tokens made with scopes, listed without secret or hash, and
//! revoked; every write in the audit log with the acting user.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::common::{ok, run, workspace};

fn vigie_stdin(data: &std::path::Path, args: &[&str], input: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("USER", "ops")
        .env("VIGIE_DATA_DIR", data)
        .env_remove("VIGIE_DB")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn users_and_tokens_are_administered_and_audited() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("vigie.db");
    let db = db.to_str().unwrap();
    let add = |name: &str, password: &str| {
        vigie_stdin(
            dir.path(),
            &[
                "user",
                "add",
                name,
                "--role",
                "viewer",
                "--password-stdin",
                "--db",
                db,
            ],
            &format!("{password}\n"),
        )
    };
    ok(add("carol", "a long enough password"));
    let short = add("dave", "short");
    assert_eq!(short.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&short.stderr).contains("12 characters"));
    ok(run(
        dir.path(),
        &["user", "set-role", "carol", "triager", "--db", db],
    ));
    ok(run(dir.path(), &["user", "disable", "carol", "--db", db]));
    let list = ok(run(dir.path(), &["user", "list", "-f", "json", "--db", db]));
    let users: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    assert_eq!(users[0]["name"], "carol");
    assert_eq!(users[0]["role"], "triager");
    assert_eq!(users[0]["disabled"], true);
    assert!(!String::from_utf8_lossy(&list.stdout).contains("argon2"));
    assert_eq!(
        run(dir.path(), &["user", "disable", "nobody", "--db", db])
            .status
            .code(),
        Some(2)
    );

    let made = ok(run(
        dir.path(),
        &[
            "token", "create", "--scope", "ingest", "--scope", "read", "--name", "ci", "--db", db,
        ],
    ));
    let token = String::from_utf8(made.stdout).unwrap().trim().to_owned();
    let prefix = token.split('_').nth(1).unwrap().to_owned();
    let list = ok(run(
        dir.path(),
        &["token", "list", "-f", "json", "--db", db],
    ));
    let text = String::from_utf8(list.stdout).unwrap();
    assert!(
        !text.contains(token.split('_').nth(2).unwrap()),
        "no secret"
    );
    assert!(!text.contains("hash"), "no hash");
    let tokens: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(tokens[0]["prefix"], prefix.as_str());
    assert_eq!(tokens[0]["scopes"], serde_json::json!(["read", "ingest"]));
    ok(run(dir.path(), &["token", "revoke", &prefix, "--db", db]));
    assert_eq!(
        run(dir.path(), &["token", "revoke", &prefix, "--db", db])
            .status
            .code(),
        Some(2),
        "a revoked token is not revoked twice"
    );
    let table = ok(run(dir.path(), &["token", "list", "--db", db]));
    assert!(String::from_utf8_lossy(&table.stdout).contains("PREFIX"));

    let store = vigie_store::open(
        &vigie_store::Location::path(db),
        vigie_store::Mode::ReadOnly,
    )
    .unwrap();
    let mut log = store.audit_log(None, 100).unwrap();
    log.reverse();
    let got: Vec<(String, String)> = log
        .iter()
        .map(|r| (r.entry.action.clone(), r.entry.target.clone()))
        .collect();
    for (action, target) in [
        ("user.create", "carol"),
        ("user.role", "carol"),
        ("user.disable", "carol"),
        ("token.create", prefix.as_str()),
        ("token.revoke", prefix.as_str()),
    ] {
        assert!(
            got.iter().any(|(a, t)| a == action && t == target),
            "{action} {target} in {got:?}"
        );
    }
    assert_eq!(log[0].entry.actor, "cli:ops");
}
