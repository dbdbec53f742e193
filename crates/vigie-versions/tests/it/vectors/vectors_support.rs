//! Readers of the vers-spec and univers vector files: one function per test type, each
//! returning, per case, a [`Pass`] or `Err(why)`.

use std::path::Path;

use serde_json::Value;
use vigie_versions::{Scheme, vers};

pub enum Outcome {
    Skipped(String),
    Cases(Vec<(String, Result<Pass, String>)>),
}

/// How a case passed.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Pass {
    /// The expected output, exactly.
    Exact,
    /// A `vers` range equal to the expected one constraint by constraint, versions being
    /// equal in the scheme but spelled differently (see [`equivalent`]).
    Equivalent,
    /// A native range of a scheme without a [`Scheme`] (conan, nginx, openssl).
    NotApplicable,
}

pub fn run_file(path: &Path, text: &str) -> Outcome {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    if name.ends_with(".txt") {
        return if name == "alpine_test.txt" {
            Outcome::Cases(apk_lines(text))
        } else {
            Outcome::Skipped("openssl version list, no openssl scheme".into())
        };
    }
    let json: Value = serde_json::from_str(text).unwrap();
    let cases = match &json {
        Value::Object(o) if o.contains_key("tests") => o["tests"].as_array().unwrap().clone(),
        Value::Array(a) => a.clone(),
        _ => return Outcome::Skipped("not a list of test cases".into()),
    };
    if name.starts_with("openssl_versort") {
        return Outcome::Skipped("openssl scheme not implemented".into());
    }
    // Schemes of version-comparison files must map to a Scheme, else the file is skipped.
    if let Some(s) = cases
        .first()
        .and_then(|c| c.pointer("/input/input_scheme"))
        .and_then(Value::as_str)
        && vers::scheme_of(s).is_none()
    {
        return Outcome::Skipped(format!("no Scheme for vers scheme {s:?}"));
    }
    Outcome::Cases(cases.iter().map(run_case).collect())
}

fn id(v: &Value) -> String {
    v.to_string()
}

fn run_case(c: &Value) -> (String, Result<Pass, String>) {
    if let Some(native) = c.get("npm_native") {
        let id = id(native);
        let r = from_native("npm", native.as_str().unwrap(), c["expected_vers"].as_str());
        return (id, r);
    }
    if let Some(v) = c.get("canonical_vers") {
        let input = c["vers"].as_str().unwrap();
        let r = match vers::parse(input) {
            Ok(r) if r.to_string() == v.as_str().unwrap() => Ok(Pass::Exact),
            Ok(r) => Err(format!("canonical {r}, expected {v}")),
            Err(e) => Err(e.to_string()),
        };
        return (id(&c["vers"]), r);
    }
    let input = &c["input"];
    let expected = &c["expected_output"];
    let failure = c["expected_failure"].as_bool().unwrap_or(false);
    let r = match c["test_type"].as_str().unwrap_or("") {
        "comparison" => comparison(input, expected),
        "equality" => equality(input, expected),
        "containment" => containment(input, expected),
        "validate" | "roundtrip" => {
            let s = input.as_str().or_else(|| input["vers"].as_str()).unwrap();
            match vers::parse(s) {
                Ok(r) if failure => Err(format!("accepted as {r}")),
                Err(_) if failure => Ok(Pass::Exact),
                Ok(r) if Some(r.to_string().as_str()) == expected.as_str() => Ok(Pass::Exact),
                Ok(r) => Err(format!("got {r}")),
                Err(e) => Err(e.to_string()),
            }
        }
        "parse" => parse(input.as_str().unwrap(), expected, failure),
        "from_native" => from_native(
            input["scheme"].as_str().unwrap(),
            input["native_range"].as_str().unwrap(),
            expected.as_str(),
        ),
        t => Err(format!("unknown test type {t}")),
    };
    (id(input), r)
}

fn scheme(input: &Value) -> Scheme {
    vers::scheme_of(input["input_scheme"].as_str().unwrap()).unwrap()
}

fn comparison(input: &Value, expected: &Value) -> Result<Pass, String> {
    let s = scheme(input);
    let mut versions: Vec<&str> = input["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let expected: Vec<&str> = expected
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let mut err = None;
    versions.sort_by(|a, b| {
        s.compare(a, b).unwrap_or_else(|e| {
            err = Some(e.to_string());
            std::cmp::Ordering::Equal
        })
    });
    if let Some(e) = err {
        return Err(e);
    }
    for (got, want) in versions.iter().zip(&expected) {
        if s.compare(got, want).map_err(|e| e.to_string())? != std::cmp::Ordering::Equal {
            return Err(format!("sorted {versions:?}"));
        }
    }
    if versions.len() == expected.len() {
        Ok(Pass::Exact)
    } else {
        Err("not as many versions as expected".into())
    }
}

fn equality(input: &Value, expected: &Value) -> Result<Pass, String> {
    let s = scheme(input);
    let v = input["versions"].as_array().unwrap();
    let equal = s
        .compare(v[0].as_str().unwrap(), v[1].as_str().unwrap())
        .map_err(|e| e.to_string())?
        == std::cmp::Ordering::Equal;
    if equal == expected.as_bool().unwrap() {
        Ok(Pass::Exact)
    } else {
        Err(format!("equal: {equal}"))
    }
}

fn containment(input: &Value, expected: &Value) -> Result<Pass, String> {
    let r = vers::parse(input["vers"].as_str().unwrap()).map_err(|e| e.to_string())?;
    let got = r
        .contains(input["version"].as_str().unwrap())
        .map_err(|e| e.to_string())?;
    if got == expected.as_bool().unwrap() {
        Ok(Pass::Exact)
    } else {
        Err(format!("contains: {got}"))
    }
}

fn parse(input: &str, expected: &Value, failure: bool) -> Result<Pass, String> {
    match vers::parse_canonical(input) {
        Err(_) if failure => Ok(Pass::Exact),
        Ok(r) if failure => Err(format!("accepted as {r}")),
        Err(e) => Err(e.to_string()),
        Ok(r) => {
            let got: Vec<Value> = r
                .constraints()
                .unwrap_or(&[])
                .iter()
                .map(|c| {
                    let op = match c.comparator.as_str() {
                        "" => "=",
                        o => o,
                    };
                    Value::from(vec![op.to_string(), c.version.clone()])
                })
                .collect();
            if r.scheme_name() == expected["scheme"]
                && got == expected["version_constraints"].as_array().unwrap().clone()
            {
                Ok(Pass::Exact)
            } else {
                Err(format!("parsed {} {got:?}", r.scheme_name()))
            }
        }
    }
}

fn from_native(scheme: &str, native: &str, expected: Option<&str>) -> Result<Pass, String> {
    if vers::scheme_of(scheme).is_none() {
        return Ok(Pass::NotApplicable);
    }
    match vers::from_native(scheme, native) {
        Ok(r) if Some(r.to_string().as_str()) == expected => Ok(Pass::Exact),
        Ok(r) if expected.is_some_and(|e| equivalent(&r, e)) => Ok(Pass::Equivalent),
        Ok(r) => Err(format!("got {r}")),
        Err(e) => Err(e.to_string()),
    }
}

/// Whether two ranges have the same constraints, versions being equal in the scheme
/// (`<4.3` and `<4.3.0` in Composer): univers rewrites Composer and Go versions as SemVer
/// (`19.04.4` → `19.4.4`, `4.3` → `4.3.0`), which denotes the same range.
fn equivalent(got: &vers::VersRange, expected: &str) -> bool {
    let Ok(want) = vers::parse(expected) else {
        return false;
    };
    let (Some(scheme), Some(a), Some(b)) = (got.scheme(), got.constraints(), want.constraints())
    else {
        return false;
    };
    a.len() == b.len()
        && a.iter().zip(b).all(|(x, y)| {
            x.comparator == y.comparator
                && scheme.compare(&x.version, &y.version) == Ok(std::cmp::Ordering::Equal)
        })
}

fn apk_lines(text: &str) -> Vec<(String, Result<Pass, String>)> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let p: Vec<&str> = l.split_whitespace().collect();
            let want = match p[1] {
                "<" => std::cmp::Ordering::Less,
                ">" => std::cmp::Ordering::Greater,
                _ => std::cmp::Ordering::Equal,
            };
            let r = match Scheme::Alpine.compare(p[0], p[2]) {
                Ok(o) if o == want => Ok(Pass::Exact),
                Ok(o) => Err(format!("got {o:?}")),
                Err(e) => Err(e.to_string()),
            };
            (l.to_string(), r)
        })
        .collect()
}
