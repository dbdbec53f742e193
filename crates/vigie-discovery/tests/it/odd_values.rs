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
