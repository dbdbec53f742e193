//! Hostile YAML: alias bombs, deep nesting, huge files, wrong types and
//! garbage give diagnostics, never a panic, in bounded time.

use vigie_catalog::{CheckOptions, Severity, load};

fn errors(text: &str) -> Vec<(String, Option<u32>)> {
    let cat = load([("hostile.yaml", text)]);
    cat.check(&CheckOptions::new(jiff::civil::date(2026, 1, 1)))
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| (d.code.to_string(), d.line))
        .collect()
}

#[test]
fn alias_bomb_is_refused() {
    // The "billion laughs": each level doubles... tenfold, 9 levels = 10^9 items.
    let mut t = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let p = i - 1;
        t.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let e = errors(&t);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].0, "invalid-yaml");
}

#[test]
fn deep_nesting_is_refused() {
    let depth = 10_000;
    let t = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert_eq!(errors(&t)[0].0, "invalid-yaml");
    let mut t = String::new();
    for i in 0..500 {
        t.push_str(&" ".repeat(i));
        t.push_str("k:\n");
    }
    assert_eq!(errors(&t)[0].0, "invalid-yaml");
}

#[test]
fn huge_file_is_refused_before_parsing() {
    let t = "# filler\n".repeat(1_000_000); // 9 MB, over the 8 MiB limit
    let e = errors(&t);
    assert_eq!(e, [("invalid-yaml".to_owned(), None)]);
}

#[test]
fn wrong_types_are_located_errors() {
    let t = "\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: [a, b]
spec: {}
---
apiVersion: [1]
kind: Group
---
- just
- a list
---
42
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: web
  annotations:
    vigie.dev/criticality: 4
  links: {url: x}
spec:
  type: {a: 1}
  lifecycle: production
  owner: [team]
  dependsOn: component:x
  consumesApis: [[nested]]
  vigie: [not, a, mapping]
";
    let e = errors(t);
    let has = |code: &str, line: u32| e.iter().any(|(c, l)| c == code && *l == Some(line));
    assert!(has("wrong-type", 4), "{e:?}"); // name is a list
    assert!(has("wrong-type", 7), "{e:?}"); // apiVersion is a list
    assert!(has("not-an-entity", 10), "{e:?}");
    assert!(has("not-an-entity", 13), "{e:?}");
    assert!(has("wrong-type", 20), "{e:?}"); // annotation not a string
    assert!(has("wrong-type", 21), "{e:?}"); // links not a list
    assert!(has("wrong-type", 23), "{e:?}"); // type is a mapping
    assert!(has("wrong-type", 25), "{e:?}"); // owner is a list
    assert!(has("wrong-type", 27), "{e:?}"); // nested list item
    assert!(has("wrong-type", 28), "{e:?}"); // vigie block is a list
    assert!(has("dangling-reference", 26), "{e:?}"); // a single string is a one-item list
}

#[test]
fn garbage_never_panics() {
    let samples = [
        "",
        "---",
        "--- ~",
        "\0\0\0",
        "{",
        "key: 'unterminated",
        "? [a]\n: b",
        "apiVersion: backstage.io/v1alpha1\nkind: User\nmetadata: {name: u}\nspec: ~",
        "apiVersion: vigie.dev/v1\nkind: System\nmetadata: {name: s}\nspec:\n  vigie:\n    personalData:\n      processors: [{}, 3, [x]]\n    cost: {amount: -1, currency: eur}\n    contract: {end: yesterday, noticeDays: -3}",
        "!!binary aGVsbG8=",
        "a: !custom {b: c}",
    ];
    for s in samples {
        let _ = errors(s);
    }
    // Many documents: bounded by the parser's document budget.
    let _ = errors(&"---\na: 1\n".repeat(5000));
}
