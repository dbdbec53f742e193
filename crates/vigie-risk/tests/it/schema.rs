//! The serialised analysis validates against `docs/schemas/risk.v1.schema.json`, with every
//! kind of risk, opportunity and action present, and the schema refuses a broken document.

use crate::common;

use common::*;
use serde_json::Value;
use vigie_model::Ecosystem;
use vigie_risk::{Family, Input, PackageRef, Rating, Thresholds, analyse};

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/schemas/risk.v1.schema.json"
    );
    let text = std::fs::read_to_string(path).expect("the schema is in docs/schemas");
    serde_json::from_str(&text).expect("the schema is JSON")
}

/// An analysis with every kind of output: risks of the three families, in and out of systems;
/// the four actions; sprawl, multi-fix upgrade, platform patch and duplicate tools.
fn document() -> Value {
    let mut findings = Vec::new();
    for (k, id, p) in [("a", "CVE-1", "p1"), ("b", "CVE-2", "p2")] {
        let mut f = vuln(k, id, Ecosystem::Npm, "lodash", "4.17.15", p, &[BILLING]);
        f.rating = Some(Rating::High);
        f.known_exploited = k == "a";
        f.fixed_in = Some("4.17.21".into());
        findings.push(f);
    }
    findings.push(lifecycle(
        "n",
        "behind-latest",
        "nodejs",
        "18",
        Some("18.20.4"),
        "p3",
        &[],
    ));
    let mut e = lifecycle("e", "eol-passed", "python", "2.7", None, "p4", &[HR]);
    e.eol_date = Some(jiff::civil::date(2020, 1, 1));
    findings.push(e);
    let mut l = finding("l", Family::Licence, "AGPL-3.0-only", "denied", &[WIKI]);
    l.package = Some(PackageRef {
        ecosystem: Ecosystem::Npm,
        name: "x".into(),
        version: "1.0.0".into(),
        purl: "pkg:npm/x@1.0.0".into(),
    });
    findings.push(l);
    let components: Vec<_> = ["4.17.15", "4.17.21", "3.10.1"]
        .iter()
        .enumerate()
        .map(|(i, v)| component(Ecosystem::Npm, "lodash", v, &format!("p{i}"), &[BILLING]))
        .collect();
    let mut systems = systems();
    for (r, cost) in [
        ("system:default/crm1", Some(10.5)),
        ("system:default/crm2", None),
    ] {
        let mut s = system(r, r, None, None, false, false);
        s.saas_category = Some("crm".into());
        s.cost_per_year = cost;
        systems.push(s);
    }
    let a = analyse(&Input {
        today: TODAY,
        findings: &findings,
        systems: &systems,
        components: &vigie_risk::version_uses(&components),
        thresholds: Thresholds::default(),
    });
    serde_json::to_value(&a).expect("serialises")
}

fn errors(schema: &Value, doc: &Value) -> Vec<String> {
    let validator = jsonschema::validator_for(schema).expect("the schema compiles");
    validator
        .iter_errors(doc)
        .take(10)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn the_analysis_validates_against_its_schema() {
    let doc = document();
    // Every kind is present, so the schema is exercised on each.
    let kinds: Vec<&str> = doc["opportunities"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|o| o["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "version-sprawl",
            "multi-fix-upgrade",
            "platform-behind",
            "duplicate-tools"
        ]
    );
    assert_eq!(doc["actions"].as_array().map(Vec::len), Some(4));
    // CVE-1 and CVE-2 in Billing, nodejs 18 in no system, python 2.7 in HR, AGPL in Wiki.
    assert_eq!(doc["register"]["risks"].as_array().map(Vec::len), Some(5));
    let errs = errors(&schema(), &doc);
    assert!(errs.is_empty(), "{errs:#?}");
}

#[test]
fn the_schema_refuses_a_broken_document() {
    let schema = schema();
    let mut doc = document();
    doc["register"]["risks"][0]["score"] = Value::from(26);
    assert!(
        !errors(&schema, &doc).is_empty(),
        "a score over 25 must be refused"
    );
    let mut doc = document();
    doc["register"]["summary"]["heat_map"][0] = Value::from(vec![0, 0, 0]);
    assert!(
        !errors(&schema, &doc).is_empty(),
        "a heat map row of 3 must be refused"
    );
    let mut doc = document();
    doc["actions"][0]["kind"] = Value::from("reboot");
    assert!(
        !errors(&schema, &doc).is_empty(),
        "an unknown action kind must be refused"
    );
}
