//! One record of the wrong type (`"version": 12`) costs that record only: the others are kept,
//! and the bad one is an error naming its path and field (issue 19, defect 6).

use crate::common::read_text as read;

/// `text` read by `reader` as `path`: the good record `good` is read, and one error names
/// every part of `names`.
fn case(reader: &str, path: &str, text: &str, good: &str, names: &[&str]) {
    let out = &read(reader, path, text);
    let components: Vec<&str> = out.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(components, [good], "{:?}", out.diagnostics);
    let errors: Vec<String> = out
        .diagnostics
        .iter()
        .map(|d| format!("{}: {} (line {:?})", d.code, d.message, d.line))
        .collect();
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("unexpected-content") && names.iter().all(|n| e.contains(n))),
        "{names:?} not in {errors:#?}"
    );
}

#[test]
fn package_lock() {
    case(
        "package-lock",
        "package-lock.json",
        r#"{"lockfileVersion":3,"packages":{"node_modules/a":{"version":12},"node_modules/d":{"version":"1.0.0"}}}"#,
        "d",
        &[r#"packages."node_modules/a".version"#, "integer"],
    );
    case(
        "package-lock",
        "package-lock.json",
        r#"{"lockfileVersion":1,"dependencies":{"a":{"version":["x"]},"d":{"version":"1.0.0"}}}"#,
        "d",
        &[r#"dependencies."a".version"#],
    );
}

#[test]
fn composer_lock() {
    case(
        "composer-lock",
        "composer.lock",
        r#"{"packages":[{"name":["a"],"version":"1.0.0"},{"name":"d/d","version":"1.0.0"}]}"#,
        "d/d",
        &["packages[0].name"],
    );
}

#[test]
fn pipfile_lock() {
    case(
        "pipfile-lock",
        "Pipfile.lock",
        "{\"default\": {\n  \"a\": {\"version\": 12},\n  \"d\": {\"version\": \"==1.0.0\"}\n}}",
        "d",
        &[r#"default."a".version"#, "(line Some(2))"],
    );
}

#[test]
fn nuget_packages_lock() {
    case(
        "nuget-lock",
        "packages.lock.json",
        r#"{"version":1,"dependencies":{"net8.0":{"A":{"type":"Direct","resolved":12},"D":{"type":"Direct","resolved":"1.0.0"}}}}"#,
        "D",
        &[r#"dependencies."net8.0"."A".resolved"#],
    );
}

#[test]
fn renv_lock() {
    case(
        "renv-lock",
        "renv.lock",
        r#"{"R":{"Version":"4.3.0"},"Packages":{"a":{"Package":"a","Version":12},"d":{"Package":"d","Version":"1.0.0","Source":"Repository"}}}"#,
        "d",
        &[r#"Packages."a".Version"#],
    );
}

#[test]
fn bun_lock() {
    case(
        "bun-lock",
        "bun.lock",
        r#"{"lockfileVersion":1,"workspaces":{"":{"name":"w","dependencies":{"d":"1.0.0"}}},"packages":{"a":"a@1.0.0","d":["d@1.0.0","",{},"sha512-x"]}}"#,
        "d",
        &[r#"packages."a""#],
    );
}

#[test]
fn uv_lock() {
    let text = "version = 1\n\n[[package]]\nname = \"a\"\nversion = 12\n\n\
                [package.optional-dependencies]\nx = []\n\n\
                [[package]]\nname = \"d\"\nversion = \"1.0.0\"\n\
                source = { registry = \"https://pypi.org/simple\" }\n";
    case(
        "uv-lock",
        "uv.lock",
        text,
        "d",
        &["package[0].version", "(line Some(5))"],
    );
}

#[test]
fn uv_lock_gives_up_after_64_bad_records_and_reports_other_errors_once() {
    // 65 records of the wrong shape: 64 are reported one by one, then the file is given up
    // with the 65th as its syntax error (each record read alone once the part fails on one).
    let mut text = String::from("version = 1\n");
    for i in 0..65 {
        text.push_str(&format!("\n[[package]]\nname = \"p{i}\"\nversion = {i}\n"));
    }
    text.push_str("\n[[package]]\nname = \"d\"\nversion = \"1.0.0\"\n");
    let out = read("uv-lock", "uv.lock", &text);
    assert!(out.components.is_empty(), "{:?}", out.components);
    let codes: Vec<String> = out.diagnostics.iter().map(|d| d.code.to_string()).collect();
    assert_eq!(
        codes.iter().filter(|c| *c == "unexpected-content").count(),
        64
    );
    assert_eq!(codes.iter().filter(|c| *c == "invalid-syntax").count(), 1);
    // An error outside the packages is one syntax error with its line, nothing skipped.
    let out = read("uv-lock", "uv.lock", "version = 1\nrequires-python = [\n");
    let errors: Vec<(String, Option<u32>)> = out
        .diagnostics
        .iter()
        .map(|d| (d.code.to_string(), d.line))
        .collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "invalid-syntax");
    assert!(errors[0].1.is_some(), "{errors:?}");
}
