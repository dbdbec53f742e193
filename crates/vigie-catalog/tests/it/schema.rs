//! The editors' JSON Schema (docs/schemas/catalog.v1.schema.json, written
//! by hand from docs/catalog.md) agrees with the reader: every entity of the
//! examples and of the Backstage documentation set is valid, and entities
//! the reader refuses for a field-level reason are refused by the schema.

use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};
use vigie_catalog::node::{Node, Value, parse_documents};

use vigie_testkit::workspace as root;

fn to_json(n: &Node) -> Json {
    match &n.value {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Number(s) => serde_json::from_str(s).unwrap_or(Json::String(s.clone())),
        Value::String(s) => Json::String(s.clone()),
        Value::Seq(items) => Json::Array(items.iter().map(to_json).collect()),
        Value::Map(m) => Json::Object(
            m.iter()
                .map(|(k, v)| (k.name.clone(), to_json(v)))
                .collect::<Map<_, _>>(),
        ),
    }
}

fn validator() -> jsonschema::Validator {
    let text = std::fs::read_to_string(root().join("docs/schemas/catalog.v1.schema.json")).unwrap();
    let schema: Json = serde_json::from_str(&text).unwrap();
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn docs(path: &Path) -> Vec<Json> {
    let text = std::fs::read_to_string(path).unwrap();
    parse_documents(&text)
        .unwrap()
        .iter()
        .map(to_json)
        .collect()
}

#[test]
fn valid_catalogs_match_the_schema() {
    let v = validator();
    let mut files: Vec<PathBuf> = std::fs::read_dir(root().join("examples/acme/catalog"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.push(root().join("examples/acme/edge-proxy/catalog-info.yaml"));
    files.push(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/backstage/all-kinds.yaml"));
    let mut n = 0;
    for f in files {
        for d in docs(&f) {
            let errors: Vec<String> = v.iter_errors(&d).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
            n += 1;
        }
    }
    // 32 example entities + 19 documentation entities.
    assert_eq!(n, 51);
}

#[test]
fn field_errors_are_schema_errors_too() {
    let v = validator();
    let broken = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/backstage/broken");
    for name in [
        "invalid-country.yaml",
        "invalid-criticality.yaml",
        "unknown-vigie-annotation.yaml",
        "invalid-lifecycle.yaml",
        "missing-owner.yaml",
        "missing-type.yaml",
        "unknown-kind.yaml",
        "invalid-name.yaml",
        "wrong-type.yaml",
        "unknown-api-version.yaml",
    ] {
        let first = docs(&broken.join(name)).into_iter().next().unwrap();
        assert!(!v.is_valid(&first), "{name} should not validate");
    }
}
