//! The test suite of the purl specification, run against `vigie_model::Purl`.
//!
//! Data: `testvectors/purl-spec` in the shared reference data (`VIGIE_DATA`,
//! default `../shared/data` beside the workspace; see its `SOURCES.md`):
//! - `tests/spec/*.json` and `tests/types/*-test.json` (test schema 0.2):
//!   `parse` (string to parts), `build` (parts to canonical string) and
//!   `validate` (string to canonical string) cases, each expected to succeed
//!   or to fail. Both test groups (`required`, `recommended`) are run.
//! - `legacy-test-suite-data.json`, the old flat format: a valid case parses
//!   to the given parts, and both the parsed purl and the purl built from the
//!   parts print as `canonical_purl`; an invalid case fails to parse.
//! - `types/*-definition.json` and `purl-types-index.json`, checked against
//!   the hand-written type table of `vigie_model::purl::TYPES`.
//!
//! Every case passes, or is listed in [`EXCEPTIONS`] with the reason; a
//! listed case must still fail (and still exist), so the list stays honest.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use vigie_model::Purl;
use vigie_model::purl::{Case, Requirement, TYPES, type_rules};

fn spec_dir() -> Option<PathBuf> {
    let dir = vigie_testkit::data_dir()?.join("testvectors/purl-spec");
    assert!(dir.is_dir(), "{} is missing", dir.display());
    Some(dir)
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `*.json` files of a folder whose name ends with `suffix`, sorted.
fn json_files(dir: &Path, suffix: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no {suffix} file in {}", dir.display());
    files
}

/// A case we know we fail, with the reason.
struct Exception {
    /// File name (`gem-test.json`, `legacy-test-suite-data.json`).
    file: &'static str,
    /// `parse`, `build`, `validate`, or `legacy`.
    test_type: &'static str,
    /// The input: the purl string, or the compact JSON of a parts object.
    input: &'static str,
    reason: &'static str,
}

const LOWERCASE_KEYS: &str = "the suite contradicts itself: maven-test.json requires \
    `pkg:Maven/...?type=pom&repositorY_url=...` to parse (the key lower-cased, as \
    how-to-parse.md says), and this file's own `recommended` validate case normalises \
    the same input. We lower-case keys, as SBOM purls need.";

const EXCEPTIONS: &[Exception] = &[
    Exception {
        file: "gem-test.json",
        test_type: "parse",
        input: "pkg:gem/jruby-launcher@1.1.2?Platform=java",
        reason: LOWERCASE_KEYS,
    },
    Exception {
        file: "rpm-test.json",
        test_type: "parse",
        input: "pkg:Rpm/fedora/curl@7.50.3-1.fc25?Arch=i386&Distro=fedora-25",
        reason: LOWERCASE_KEYS,
    },
    Exception {
        file: "git-test.json",
        test_type: "validate",
        input: "pkg:git/github/Package-url/purl-Spec@244fd47e07d1004f0aed9c",
        reason: "a `recommended` case that lower-cases, while git-definition.json says \
                 namespace and name are case sensitive (git paths are); the definition wins",
    },
    // Legacy cases superseded by the current definitions and tests.
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/%2E%2E/api/annotations/",
        reason: "self-contradictory: its parts keep the `..` segment, its canonical purl \
                 drops it; we drop `.`/`..` after decoding (how-to-parse.md)",
    },
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:GOLANG/google.golang.org/genproto@abcdedf#/googleapis/%2E/api/annotations/",
        reason: "self-contradictory: its parts keep the `.` segment, its canonical purl \
                 drops it; we drop `.`/`..` after decoding (how-to-parse.md)",
    },
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:conan/bincrafters/cctz@2.3",
        reason: "legacy rule `a namespace needs a channel qualifier`: not in \
                 conan-definition.json, and conan-test.json has valid namespaced purls \
                 without channel",
    },
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:conan/cctz@2.3?channel=stable",
        reason: "legacy rule `a channel needs a namespace`: not in conan-definition.json \
                 (channel and user are plain optional qualifiers)",
    },
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:cran/A3",
        reason: "legacy rule `a version is required`: cran-definition.json makes it optional",
    },
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:swift/github.com/Alamofire/Alamofire",
        reason: "legacy rule `a version is required`: swift-definition.json makes it optional",
    },
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:huggingface/distilbert-base-uncased@043235d6088ecd3dd5fb5ca3592b6913fd516027",
        reason: "valid in the legacy suite, but huggingface-definition.json now requires a \
                 namespace",
    },
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:cpan/URI::PackageURL@2.11",
        reason: "valid in the legacy suite (a module name), but cpan-definition.json now \
                 forbids `::` in the name and cpan-test.json rejects `pkg:cpan/URI::PackageURL`",
    },
    Exception {
        file: "legacy-test-suite-data.json",
        test_type: "legacy",
        input: "pkg:cpan/Perl-Version@1.013",
        reason: "invalid in the legacy suite (a distribution name without author), but \
                 cpan-test.json now requires `pkg:cpan/URI-PackageURL` to parse",
    },
];

/// The parts of a purl as the test files write them.
#[derive(Debug, PartialEq)]
struct Parts {
    ty: Option<String>,
    namespace: Option<String>,
    name: Option<String>,
    version: Option<String>,
    /// `null` and `{}` are the same.
    qualifiers: BTreeMap<String, String>,
    subpath: Option<String>,
}

fn string_field(v: &Value, key: &str) -> Option<String> {
    match v.get(key) {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(other) => panic!("`{key}` is not a string: {other}"),
    }
}

impl Parts {
    fn from_json(v: &Value) -> Parts {
        let qualifiers = match v.get("qualifiers") {
            None | Some(Value::Null) => BTreeMap::new(),
            Some(Value::Object(map)) => map
                .iter()
                .map(|(k, v)| {
                    let v = v.as_str().unwrap_or_else(|| panic!("qualifier {k}: {v}"));
                    (k.clone(), v.to_owned())
                })
                .collect(),
            Some(other) => panic!("qualifiers: {other}"),
        };
        Parts {
            ty: string_field(v, "type"),
            namespace: string_field(v, "namespace"),
            name: string_field(v, "name"),
            version: string_field(v, "version"),
            qualifiers,
            subpath: string_field(v, "subpath"),
        }
    }

    fn of(p: &Purl) -> Parts {
        Parts {
            ty: Some(p.ty.clone()),
            namespace: p.namespace.clone(),
            name: Some(p.name.clone()),
            version: p.version.clone(),
            qualifiers: p.qualifiers.iter().cloned().collect(),
            subpath: p.subpath.clone(),
        }
    }

    /// The purl to build from these parts (a missing type or name is empty,
    /// which building rejects).
    fn to_purl(&self) -> Purl {
        Purl {
            ty: self.ty.clone().unwrap_or_default(),
            namespace: self.namespace.clone(),
            name: self.name.clone().unwrap_or_default(),
            version: self.version.clone(),
            qualifiers: self
                .qualifiers
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            subpath: self.subpath.clone(),
        }
    }
}

fn input_key(input: &Value) -> String {
    match input {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn parse(s: &str) -> Result<Purl, String> {
    s.parse::<Purl>()
        .map_err(|e| format!("`{s}` does not parse: {e}"))
}

fn build(parts: &Parts) -> Result<Purl, String> {
    parts
        .to_purl()
        .into_canonical()
        .map_err(|e| format!("{parts:?} does not build: {e}"))
}

fn same<T: PartialEq + std::fmt::Debug>(what: &str, got: T, want: T) -> Result<(), String> {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what}: got {got:?}, want {want:?}"))
    }
}

fn expect_failure<T: std::fmt::Display>(r: Result<T, String>) -> Result<(), String> {
    match r {
        Ok(p) => Err(format!("expected a failure, got `{p}`")),
        Err(_) => Ok(()),
    }
}

/// Runs one case of the current format.
fn run_case(case: &Value) -> Result<(), String> {
    let test_type = case["test_type"].as_str().expect("test_type");
    let input = &case["input"];
    let fails = case
        .get("expected_failure")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let output = &case["expected_output"];
    let input_str = || input.as_str().expect("a string input");
    match (test_type, fails) {
        ("parse", false) => {
            let p = parse(input_str())?;
            same("parts", Parts::of(&p), Parts::from_json(output))
        }
        ("parse" | "validate", true) => expect_failure(parse(input_str())),
        ("validate", false) => {
            let p = parse(input_str())?;
            same(
                "canonical",
                p.to_string(),
                output.as_str().expect("a string").to_owned(),
            )
        }
        ("build", false) => {
            let p = build(&Parts::from_json(input))?;
            same(
                "built",
                p.to_string(),
                output.as_str().expect("a string").to_owned(),
            )
        }
        ("build", true) => expect_failure(build(&Parts::from_json(input))),
        _ => panic!("unknown test type `{test_type}`"),
    }
}

/// Legacy canonical purls predate the rule that `/` is percent-encoded in
/// qualifier values (current files: `repository_url=https:%2F%2F...`).
/// Both sides are compared with `%2F` decoded in the qualifiers only.
fn legacy_form(s: &str) -> String {
    let Some((head, tail)) = s.split_once('?') else {
        return s.to_owned();
    };
    match tail.split_once('#') {
        Some((q, sp)) => format!("{head}?{}#{sp}", q.replace("%2F", "/")),
        None => format!("{head}?{}", tail.replace("%2F", "/")),
    }
}

/// Runs one case of the legacy format.
fn run_legacy(case: &Value) -> Result<(), String> {
    let purl = case["purl"].as_str().expect("purl");
    if case["is_invalid"].as_bool().expect("is_invalid") {
        return expect_failure(parse(purl));
    }
    let want = Parts::from_json(case);
    let canonical = legacy_form(case["canonical_purl"].as_str().expect("canonical_purl"));
    let p = parse(purl)?;
    same("parts", Parts::of(&p), Parts::from_json(case))?;
    same("canonical", legacy_form(&p.to_string()), canonical.clone())?;
    let built = build(&want)?;
    same("built", legacy_form(&built.to_string()), canonical)
}

#[derive(Default)]
struct Tally {
    passed: usize,
    excepted: usize,
    failed: usize,
}

/// Checks one case against the exception list; returns a problem, if any.
fn record(
    tally: &mut Tally,
    used: &mut [bool],
    file: &str,
    test_type: &str,
    input: &str,
    description: &str,
    result: Result<(), String>,
) -> Option<String> {
    let listed = EXCEPTIONS
        .iter()
        .position(|e| e.file == file && e.test_type == test_type && e.input == input);
    match (listed, result) {
        (None, Ok(())) => {
            tally.passed += 1;
            None
        }
        (None, Err(why)) => {
            tally.failed += 1;
            Some(format!(
                "{file} [{test_type}] {description}: {input}\n    {why}"
            ))
        }
        (Some(i), Err(_)) => {
            if let Some(u) = used.get_mut(i) {
                *u = true;
            }
            tally.excepted += 1;
            None
        }
        (Some(_), Ok(())) => {
            tally.failed += 1;
            Some(format!(
                "{file} [{test_type}] {description}: {input}\n    listed as an exception but passes: remove it"
            ))
        }
    }
}

#[test]
fn spec_test_suite() {
    let Some(dir) = spec_dir() else { return };
    let mut files = json_files(&dir.join("tests/spec"), ".json");
    files.extend(json_files(&dir.join("tests/types"), "-test.json"));
    let mut used = vec![false; EXCEPTIONS.len()];
    let mut problems = Vec::new();
    let mut total = Tally::default();
    let mut report = Vec::new();
    let mut run = |file: &str, tally: Tally, report: &mut Vec<String>| {
        report.push(format!(
            "{file:<34} {:>4} passed {:>3} listed exceptions {:>3} failed",
            tally.passed, tally.excepted, tally.failed
        ));
        total.passed += tally.passed;
        total.excepted += tally.excepted;
        total.failed += tally.failed;
    };

    for path in &files {
        let file = path.file_name().expect("a file name").to_string_lossy();
        let json = read_json(path);
        let cases = json["tests"].as_array().expect("a `tests` array");
        assert!(!cases.is_empty(), "{file} has no case");
        let mut tally = Tally::default();
        for case in cases {
            let test_type = case["test_type"].as_str().expect("test_type");
            let input = input_key(&case["input"]);
            let description = case["description"].as_str().unwrap_or_default();
            let result = run_case(case);
            if let Some(p) = record(
                &mut tally,
                &mut used,
                &file,
                test_type,
                &input,
                description,
                result,
            ) {
                problems.push(p);
            }
        }
        run(&file, tally, &mut report);
    }

    let legacy = read_json(&dir.join("legacy-test-suite-data.json"));
    let cases = legacy.as_array().expect("a JSON array");
    let mut tally = Tally::default();
    for case in cases {
        let input = case["purl"].as_str().expect("purl");
        let description = case["description"].as_str().unwrap_or_default();
        let file = "legacy-test-suite-data.json";
        if let Some(p) = record(
            &mut tally,
            &mut used,
            file,
            "legacy",
            input,
            description,
            run_legacy(case),
        ) {
            problems.push(p);
        }
    }
    run("legacy-test-suite-data.json", tally, &mut report);

    println!("purl-spec test suite ({} files):", files.len() + 1);
    for line in &report {
        println!("  {line}");
    }
    println!(
        "  total: {} passed, {} listed exceptions, {} failed",
        total.passed, total.excepted, total.failed
    );
    println!("  listed exceptions (each still fails):");
    for e in EXCEPTIONS {
        println!(
            "    {} [{}] {}\n      {}",
            e.file, e.test_type, e.input, e.reason
        );
    }
    for (e, used) in EXCEPTIONS.iter().zip(&used) {
        if !used {
            problems.push(format!(
                "exception {} [{}] {} matches no case: remove it",
                e.file, e.test_type, e.input
            ));
        }
    }
    assert!(total.passed > 600, "too few cases found: {}", total.passed);
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// Property: printing a parsed purl and parsing it again gives the same purl,
/// for every string of the suite that parses (parse and validate inputs and
/// outputs, legacy purls and canonical purls).
#[test]
fn display_then_parse_is_identity() {
    let Some(dir) = spec_dir() else { return };
    let mut inputs: Vec<String> = Vec::new();
    let mut files = json_files(&dir.join("tests/spec"), ".json");
    files.extend(json_files(&dir.join("tests/types"), "-test.json"));
    for path in &files {
        for case in read_json(path)["tests"].as_array().expect("tests") {
            for key in ["input", "expected_output"] {
                if let Some(s) = case[key].as_str() {
                    inputs.push(s.to_owned());
                }
            }
        }
    }
    for case in read_json(&dir.join("legacy-test-suite-data.json"))
        .as_array()
        .expect("array")
    {
        for key in ["purl", "canonical_purl"] {
            if let Some(s) = case[key].as_str() {
                inputs.push(s.to_owned());
            }
        }
    }
    let strict: fn(&str) -> Result<Purl, vigie_model::PurlError> = |s| s.parse();
    let parsers = [("FromStr", strict), ("parse_lenient", Purl::parse_lenient)];
    let mut checked = 0;
    for s in &inputs {
        for (parser, parse) in parsers {
            let Ok(p) = parse(s) else { continue };
            let printed = p.to_string();
            assert_eq!(
                parse(&printed).as_ref(),
                Ok(&p),
                "{parser}: {s} -> {printed}"
            );
            // The canonical form is a fixed point.
            assert_eq!(parse(&printed).map(|q| q.to_string()), Ok(printed.clone()));
            checked += 1;
        }
    }
    println!("display-then-parse identity: {checked} purls checked");
    assert!(checked > 800, "too few purls checked: {checked}");
}

/// The hand-written type table says what the definitions say.
#[test]
fn type_table_matches_definitions() {
    let Some(dir) = spec_dir() else { return };
    let index = read_json(&dir.join("purl-types-index.json"));
    let mut registered: Vec<&str> = index
        .as_array()
        .expect("an array")
        .iter()
        .map(|v| v.as_str().expect("a type"))
        .collect();
    registered.sort_unstable();
    let ours: Vec<&str> = TYPES.iter().map(|r| r.ty).collect();
    assert_eq!(ours, registered, "TYPES vs purl-types-index.json");

    let files = json_files(&dir.join("types"), "-definition.json");
    assert_eq!(files.len(), registered.len());
    for path in &files {
        let def = read_json(path);
        let ty = def["type"].as_str().expect("type");
        let rules = type_rules(ty).unwrap_or_else(|| panic!("no rules for {ty}"));
        let requirement = def["namespace_definition"]["requirement"]
            .as_str()
            .expect("namespace requirement");
        let want = match requirement {
            "optional" => Requirement::Optional,
            "required" => Requirement::Required,
            "prohibited" => Requirement::Prohibited,
            other => panic!("{ty}: namespace requirement {other}"),
        };
        assert_eq!(rules.namespace, want, "{ty}: namespace requirement");
        for (part, case) in [
            ("namespace", rules.namespace_case),
            ("name", rules.name_case),
            ("version", rules.version_case),
            ("subpath", rules.subpath_case),
        ] {
            let insensitive =
                def[format!("{part}_definition")]["case_sensitive"].as_bool() == Some(false);
            assert_eq!(
                case == Case::Lower,
                insensitive,
                "{ty}: {part} case sensitivity"
            );
        }
        let required: Vec<&str> = def["qualifiers_definition"]
            .as_array()
            .map(|q| {
                q.iter()
                    .filter(|q| q["requirement"] == "required")
                    .map(|q| q["key"].as_str().expect("key"))
                    .collect()
            })
            .unwrap_or_default();
        assert_eq!(
            rules.required_qualifiers,
            required.as_slice(),
            "{ty}: required qualifiers"
        );
    }
    // The one case rule taken from a note rather than a flag.
    assert_eq!(
        type_rules("cpan").map(|r| r.namespace_case),
        Some(Case::Upper)
    );
}
