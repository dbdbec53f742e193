//! The public test vectors of package-url/vers-spec (`tests/*.json`) and aboutcode-org/univers
//! (`tests/data/**`), run against every scheme and vers feature this crate implements.
//!
//! Every case of a file whose versioning scheme maps to a [`Scheme`] must pass, or be listed in
//! [`EXCEPTIONS`] with the reason; a listed case that passes fails the test, so the list stays
//! true. Files of schemes without a [`Scheme`] (alpm, conan, gentoo, openssl, nginx, datetime,
//! lexicographic) are counted as skipped. Counts are printed per file
//! (`cargo test -p vigie-versions --test it vectors -- --nocapture`).

mod vectors_support;

use vectors_support::{Outcome, Pass, run_file};

/// Cases known to fail, with why: (file name, case id as printed on failure, reason).
const EXCEPTIONS: &[(&str, &str, &str)] = &[
    (
        "npm_advisory.json",
        r#""<= 1.0""#,
        "node-semver reads `<=1.0` as `<1.1.0-0` (every 1.0.x); univers pads it to `<=1.0.0`",
    ),
    (
        "npm_advisory.json",
        r#""<=2.1 >=1.1""#,
        "node-semver reads `<=1.0` as `<1.1.0-0` (every 1.0.x); univers pads it to `<=1.0.0`",
    ),
    (
        "npm_advisory.json",
        r#"">= 1.x""#,
        "node-semver reads `>=1.x` as `>=1.0.0`; univers adds an upper bound `<2.0.0`",
    ),
    (
        "npm_advisory.json",
        r#"">= 2.2.x""#,
        "node-semver reads `>=1.x` as `>=1.0.0`; univers adds an upper bound `<2.0.0`",
    ),
    (
        "npm_advisory.json",
        r#""2.1 || 2.6""#,
        "node-semver reads a partial version as an X-range (`2.1` is `>=2.1.0 <2.2.0-0`); univers as the exact version `2.1.0`",
    ),
    (
        "npm_advisory.json",
        r#"">= 0.2.0 <= 0.9.6 || ~0.8.0-pre""#,
        "node-semver reads `~0.8.0-pre` as `>=0.8.0-pre <0.9.0-0`; univers gives `>=0.8.0-pre|<0.8.0|>=0.8.0|<0.8.1`",
    ),
    (
        "range/npm_range_from_native.json",
        r#"{"native_range":"<= 1.0","scheme":"npm"}"#,
        "node-semver reads `<=1.0` as `<1.1.0-0` (every 1.0.x); univers pads it to `<=1.0.0`",
    ),
    (
        "range/npm_range_from_native.json",
        r#"{"native_range":"<=2.1 >=1.1","scheme":"npm"}"#,
        "node-semver reads `<=1.0` as `<1.1.0-0` (every 1.0.x); univers pads it to `<=1.0.0`",
    ),
    (
        "range/npm_range_from_native.json",
        r#"{"native_range":">= 1.x","scheme":"npm"}"#,
        "node-semver reads `>=1.x` as `>=1.0.0`; univers adds an upper bound `<2.0.0`",
    ),
    (
        "range/npm_range_from_native.json",
        r#"{"native_range":">= 2.2.x","scheme":"npm"}"#,
        "node-semver reads `>=1.x` as `>=1.0.0`; univers adds an upper bound `<2.0.0`",
    ),
    (
        "range/npm_range_from_native.json",
        r#"{"native_range":"2.1 || 2.6","scheme":"npm"}"#,
        "node-semver reads a partial version as an X-range (`2.1` is `>=2.1.0 <2.2.0-0`); univers as the exact version `2.1.0`",
    ),
    (
        "range/npm_range_from_native.json",
        r#"{"native_range":">= 0.2.0 <= 0.9.6 || ~0.8.0-pre","scheme":"npm"}"#,
        "node-semver reads `~0.8.0-pre` as `>=0.8.0-pre <0.9.0-0`; univers gives `>=0.8.0-pre|<0.8.0|>=0.8.0|<0.8.1`",
    ),
    (
        "npm_range_from_native_test.json",
        r#"{"native_range":"<= 1.0","scheme":"npm"}"#,
        "node-semver reads `<=1.0` as `<1.1.0-0` (every 1.0.x); univers pads it to `<=1.0.0`",
    ),
    (
        "npm_range_from_native_test.json",
        r#"{"native_range":"<=2.1 >=1.1","scheme":"npm"}"#,
        "node-semver reads `<=1.0` as `<1.1.0-0` (every 1.0.x); univers pads it to `<=1.0.0`",
    ),
    (
        "npm_range_from_native_test.json",
        r#"{"native_range":">= 1.x","scheme":"npm"}"#,
        "node-semver reads `>=1.x` as `>=1.0.0`; univers adds an upper bound `<2.0.0`",
    ),
    (
        "npm_range_from_native_test.json",
        r#"{"native_range":">= 2.2.x","scheme":"npm"}"#,
        "node-semver reads `>=1.x` as `>=1.0.0`; univers adds an upper bound `<2.0.0`",
    ),
    (
        "npm_range_from_native_test.json",
        r#"{"native_range":"2.1 || 2.6","scheme":"npm"}"#,
        "node-semver reads a partial version as an X-range (`2.1` is `>=2.1.0 <2.2.0-0`); univers as the exact version `2.1.0`",
    ),
    (
        "npm_range_from_native_test.json",
        r#"{"native_range":">= 0.2.0 <= 0.9.6 || ~0.8.0-pre","scheme":"npm"}"#,
        "node-semver reads `~0.8.0-pre` as `>=0.8.0-pre <0.9.0-0`; univers gives `>=0.8.0-pre|<0.8.0|>=0.8.0|<0.8.1`",
    ),
    (
        "npm_gitlab_range_from_native.json",
        r#"{"native_range":"<=3.3","scheme":"npm"}"#,
        "node-semver reads `<=1.0` as `<1.1.0-0` (every 1.0.x); univers pads it to `<=1.0.0`",
    ),
    (
        "npm_gitlab_range_from_native.json",
        r#"{"native_range":"<=1.0","scheme":"npm"}"#,
        "node-semver reads `<=1.0` as `<1.1.0-0` (every 1.0.x); univers pads it to `<=1.0.0`",
    ),
    (
        "golang_gitlab_range_from_native.json",
        r#"{"native_range":"<v2019.03.04.00","scheme":"golang"}"#,
        "not a Go version (four numbers, which Go refuses); univers coerces the fourth number into SemVer build metadata",
    ),
    (
        "golang_gitlab_range_from_native.json",
        r#"{"native_range":"<v2021.02.22.00","scheme":"golang"}"#,
        "not a Go version (four numbers, which Go refuses); univers coerces the fourth number into SemVer build metadata",
    ),
    (
        "golang_gitlab_range_from_native.json",
        r#"{"native_range":"<v2020.03.16.00","scheme":"golang"}"#,
        "not a Go version (four numbers, which Go refuses); univers coerces the fourth number into SemVer build metadata",
    ),
    (
        "golang_gitlab_range_from_native.json",
        r#"{"native_range":"<v1.2.3019.52a","scheme":"golang"}"#,
        "not a Go version (four numbers, which Go refuses); univers coerces the fourth number into SemVer build metadata",
    ),
    (
        "golang_gitlab_range_from_native.json",
        r#"{"native_range":"=v1.2.2550.20","scheme":"golang"}"#,
        "not a Go version (four numbers, which Go refuses); univers coerces the fourth number into SemVer build metadata",
    ),
    (
        "golang_gitlab_range_from_native.json",
        r#"{"native_range":">=v1.0.1116.6 <=v1.2.2550.20","scheme":"golang"}"#,
        "not a Go version (four numbers, which Go refuses); univers coerces the fourth number into SemVer build metadata",
    ),
    (
        "composer_gitlab_range_from_native.json",
        r#"{"native_range":"<2020-09-14","scheme":"composer"}"#,
        "Composer normalises the date version `2020-09-14` as `2020.09.14`; univers coerces it into SemVer `2020.0.0-09-14`",
    ),
    (
        "composer_gitlab_range_from_native.json",
        r#"{"native_range":"=2016-10-31","scheme":"composer"}"#,
        "Composer normalises the date version `2020-09-14` as `2020.09.14`; univers coerces it into SemVer `2020.0.0-09-14`",
    ),
    (
        "composer_gitlab_range_from_native.json",
        r#"{"native_range":"<1.3||>=1.3.0,<=1.3.12||>=1.4.0,<=1.4.5||>=1.5.0,<=1.5.0||>=1.6.0,<=1.6.2","scheme":"composer"}"#,
        "univers sorts `<=1.5.0` before `>=1.5.0` (equal versions), which drops 1.5.0 from the range under the vers containment algorithm; we keep the record order `>=1.5.0|<=1.5.0`",
    ),
    (
        "test-suite-data.json",
        r#""vers:debian/ 5.0A , >  = 2.6 & < 3, > = 3.4.4+reloaded2-13+deb9u1 ""#,
        "univers' own early vers syntax (`&` and `,` separators, lowercased versions), not the vers specification",
    ),
    (
        "vers_canonical_parse_test.json",
        r#""vers:datetime/2024-01-01t00:00:00z""#,
        "the `datetime` scheme has no Scheme here, so its own canonical-form rule (uppercase T and Z) is not checked",
    ),
];

#[test]
fn vers_spec_and_univers_vectors() {
    let Some(data) = vigie_testkit::data_dir() else {
        return;
    };
    let roots = [
        data.join("testvectors/vers-spec/tests"),
        data.join("testvectors/univers/tests/data"),
    ];
    let mut files = Vec::new();
    for root in &roots {
        collect(root, &mut files);
    }
    files.sort();
    assert!(
        files.len() >= 40,
        "expected the vector files, found {}",
        files.len()
    );
    let mut unexpected = Vec::new();
    let mut listed_seen = std::collections::HashSet::new();
    let (mut total_pass, mut total_equivalent, mut total_listed) = (0, 0, 0);
    for path in &files {
        let name = path
            .strip_prefix(&data)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let outcome = run_file(path, &text);
        let (mut pass, mut equivalent, mut listed, mut skipped) = (0, 0, 0, 0);
        match outcome {
            Outcome::Skipped(why) => {
                println!("{name}: skipped ({why})");
                continue;
            }
            Outcome::Cases(cases) => {
                for (id, result) in cases {
                    let exception = EXCEPTIONS
                        .iter()
                        .find(|(f, c, _)| name.ends_with(f) && *c == id);
                    match (result, exception) {
                        (Ok(Pass::Exact), None) => pass += 1,
                        (Ok(Pass::Equivalent), None) => equivalent += 1,
                        (Ok(Pass::NotApplicable), None) => skipped += 1,
                        (Ok(_), Some(_)) => {
                            unexpected.push(format!("{name}: listed exception passes: {id}"))
                        }
                        (Err(e), None) => unexpected.push(format!("{name}: {id}: {e}")),
                        (Err(_), Some(ex)) => {
                            listed += 1;
                            listed_seen.insert((ex.0, ex.1));
                        }
                    }
                }
            }
        }
        println!(
            "{name}: {pass} passed, {equivalent} passed as equivalent ranges, \
             {listed} listed exceptions, {skipped} not applicable"
        );
        total_pass += pass;
        total_equivalent += equivalent;
        total_listed += listed;
    }
    for (f, c, _) in EXCEPTIONS {
        if !listed_seen.contains(&(*f, *c)) {
            unexpected.push(format!("listed exception never seen: {f}: {c}"));
        }
    }
    println!(
        "total: {total_pass} passed, {total_equivalent} passed as equivalent ranges, \
         {total_listed} listed exceptions"
    );
    if !unexpected.is_empty() {
        for u in unexpected.iter().take(300) {
            println!("FAIL {u}");
        }
        panic!("{} unexpected results", unexpected.len());
    }
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            collect(&p, out);
        } else if p.extension().is_some_and(|x| x == "json" || x == "txt") {
            out.push(p);
        }
    }
}
