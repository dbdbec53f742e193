//! Parsing odds of issue 19 (defect 9): a truncated pom.xml, a `) )` line in a go.mod block,
//! control characters in names and versions. Each is a diagnostic, never a silent result.

use vigie_discovery::Output;

use crate::common::read_text as read;

fn codes(out: &Output) -> Vec<String> {
    out.diagnostics
        .iter()
        .map(|d| format!("{}: {}", d.code, d.message))
        .collect()
}

#[test]
fn a_truncated_pom_is_an_error() {
    let whole = "<project>\n  <modelVersion>4.0.0</modelVersion>\n  <groupId>g</groupId>\n  \
                 <artifactId>a</artifactId>\n  <version>1</version>\n  <dependencies>\n    \
                 <dependency><groupId>g</groupId><artifactId>d</artifactId><version>2.0</version></dependency>\n  \
                 </dependencies>\n</project>\n";
    assert!(read("pom-xml", "pom.xml", whole).diagnostics.is_empty());
    for cut in [
        whole.len() / 2,
        whole.len() - 12,
        whole.find("<dependencies>").unwrap(),
    ] {
        let out = read("pom-xml", "pom.xml", &whole[..cut]);
        assert!(
            out.diagnostics.iter().any(|d| d.code == "invalid-syntax"),
            "cut at {cut}: {:?}",
            codes(&out)
        );
    }
}

#[test]
fn a_closing_parenthesis_is_not_a_module() {
    let out = read(
        "go-mod",
        "go.mod",
        "module m\n\ngo 1.22\n\nrequire (\n\ta.b/c v1.0.0\n) )\n",
    );
    let names: Vec<&str> = out.components.iter().map(|c| c.name.as_str()).collect();
    assert!(
        names.contains(&"a.b/c") && !names.contains(&")"),
        "{names:?}"
    );
    assert!(
        codes(&out)
            .iter()
            .any(|c| c.starts_with("invalid-syntax: malformed `require` line")),
        "{:?}",
        codes(&out)
    );
}

#[test]
fn control_characters_in_names_and_versions_are_refused() {
    let out = read(
        "package-lock",
        "package-lock.json",
        r#"{"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0\u0000"},"node_modules/b\u001b[2J":{"version":"1.0.0"},"node_modules/d":{"version":"1.0.0"}}}"#,
    );
    let names: Vec<&str> = out.components.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["d"]);
    let errors: Vec<String> = codes(&out)
        .into_iter()
        .filter(|c| c.starts_with("invalid-name"))
        .collect();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors[0].contains(r#""1.0.0\0""#), "{errors:?}");
    assert!(
        errors
            .iter()
            .all(|e| !e.contains('\0') && !e.contains('\x1b'))
    );
}

#[test]
fn a_name_that_leaves_the_purl_without_a_name_is_refused() {
    // Found by fuzzing (fuzz/, read_apk_installed and read_bun_lock): `P:/` in an apk database
    // and the scope `@eicmu/` alone in a bun.lock gave `pkg:apk/alpine/` and
    // `pkg:npm/%40eicmu/`, purls without a name, which read back as other packages.
    let apk = read(
        "apk-installed",
        "lib/apk/db/installed",
        "P:/\nV:1.0-r0\n\nP:musl\nV:1.2.5-r0\n\n",
    );
    let bun = read(
        "bun-lock",
        "bun.lock",
        r#"{"lockfileVersion": 1, "workspaces": {"": {"name": "app", "dependencies": {"x": "^1"}}},
            "packages": {"x": ["@eicmu/@1.0.0", "", {}, "sha512-x"], "y": ["y@2.0.0", "", {}, "sha512-y"]}}"#,
    );
    for (out, kept) in [
        (apk, "pkg:apk/alpine/musl@1.2.5-r0"),
        (bun, "pkg:npm/y@2.0.0"),
    ] {
        let purls: Vec<&str> = out.components.iter().map(|c| c.purl.as_str()).collect();
        assert_eq!(purls, [kept], "{:?}", codes(&out));
        let refused: Vec<String> = codes(&out)
            .into_iter()
            .filter(|c| c.starts_with("invalid-name"))
            .collect();
        assert_eq!(refused.len(), 1, "{:?}", codes(&out));
        assert!(
            refused[0].contains("no package name once written as a purl"),
            "{refused:?}"
        );
    }
}
