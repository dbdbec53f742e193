//! `vigie report -f cyclonedx` and `-f sarif` end to end: the example estate scanned into a
//! store, triage decisions recorded on some of its vulnerability findings, then the outputs
//! checked against the official schemas (CycloneDX 1.6, SARIF 2.1.0), against counts made
//! another way (the snapshot as `vigie export` writes it, the lockfile's own text), against
//! the triage → VEX table of docs/report.md (expected states written from that table and the
//! CycloneDX 1.6 enums), and against `vigie audit` of the same folder, which writes the same
//! findings through the same writers.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use serde_json::Value;

use crate::common;
use common::{data_dir, ok, run, synced, validate, workspace};

const TODAY: &str = "2026-11-26";

fn json(out: Output) -> Value {
    serde_json::from_slice(&ok(out).stdout).expect("JSON")
}

fn scan(data: &Path, db: &Path, root: &Path) {
    let (db, root) = (db.to_str().unwrap(), root.to_str().unwrap());
    ok(run(
        data,
        &[
            "scan",
            root,
            "--db",
            db,
            "--today",
            TODAY,
            "--horizon-days",
            "730",
        ],
    ));
}

/// The decisions recorded: (label, triage arguments).
const DECISIONS: [(&str, &[&str]); 6] = [
    ("in_triage", &["--state", "in-triage"]),
    ("exploitable", &["--state", "exploitable"]),
    (
        "not_affected",
        &[
            "--state",
            "not-affected",
            "--justification",
            "code-not-present",
        ],
    ),
    ("false_positive", &["--state", "false-positive"]),
    (
        "accepted",
        &["--state", "accepted-risk", "--until", "2027-01-31"],
    ),
    (
        "expired",
        &["--state", "accepted-risk", "--until", "2026-01-31"],
    ),
];

struct Estate {
    data: &'static Path,
    db: PathBuf,
    /// The snapshot as `vigie export` writes it.
    export: Value,
    /// label → the triaged finding.
    triaged: HashMap<&'static str, Value>,
    _dir: tempfile::TempDir,
}

/// The example estate scanned, with one decision of each kind on findings of advisories
/// that affect one component only (so each advisory's entry is that decision's alone).
fn estate() -> Option<&'static Estate> {
    static E: OnceLock<Option<Estate>> = OnceLock::new();
    E.get_or_init(|| {
        let data = synced()?;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("acme.db");
        scan(data, &db, Path::new("examples/acme"));
        let dbs = db.to_str().unwrap();
        let export = json(run(data, &["export", "--db", dbs]));
        let vulns = vulnerability_findings(&export);
        let mut per_id: HashMap<&str, usize> = HashMap::new();
        for f in &vulns {
            *per_id.entry(f["id"].as_str().unwrap()).or_default() += 1;
        }
        let singles: Vec<&Value> = vulns
            .iter()
            .filter(|f| per_id[f["id"].as_str().unwrap()] == 1)
            .collect();
        assert!(singles.len() >= DECISIONS.len(), "{}", singles.len());
        let mut triaged = HashMap::new();
        for ((label, args), f) in DECISIONS.iter().zip(singles) {
            let key = f["key"].as_str().unwrap();
            let mut a = vec![
                "triage", key, "--db", dbs, "--reason", "checked", "--by", "alice",
            ];
            a.extend_from_slice(args);
            ok(run(data, &a));
            triaged.insert(*label, f.clone());
        }
        // One finding of an advisory that affects several components: its entry splits.
        let shared = vulns
            .iter()
            .find(|f| per_id[f["id"].as_str().unwrap()] >= 2)
            .expect("an advisory with several findings");
        let key = shared["key"].as_str().unwrap();
        ok(run(
            data,
            &[
                "triage",
                key,
                "--db",
                dbs,
                "--reason",
                "checked",
                "--by",
                "bob",
                "--state",
                "false-positive",
            ],
        ));
        triaged.insert("split", shared.clone());
        Some(Estate {
            data,
            db,
            export,
            triaged,
            _dir: dir,
        })
    })
    .as_ref()
}

fn projects(export: &Value) -> &Vec<Value> {
    export["snapshots"][0]["projects"].as_array().unwrap()
}

fn vulnerability_findings(export: &Value) -> Vec<Value> {
    projects(export)
        .iter()
        .flat_map(|p| p["findings"].as_array().unwrap())
        .filter(|f| f["family"] == "vulnerability")
        .cloned()
        .collect()
}

fn report(e: &Estate, format: &str) -> Value {
    let db = e.db.to_str().unwrap();
    json(run(
        e.data,
        &["report", "--db", db, "--today", TODAY, "-f", format],
    ))
}

/// `vigie audit` of the folder the estate scanned, as of the same day and horizon.
fn audit(e: &Estate, format: &str) -> Value {
    json(run(
        e.data,
        &[
            "audit",
            "examples/acme",
            "-f",
            format,
            "--today",
            TODAY,
            "--horizon-days",
            "730",
        ],
    ))
}

fn schemas() -> PathBuf {
    data_dir().unwrap().join("schemas")
}

/// Validates a BOM against the CycloneDX 1.6 schema.
fn validate_bom(bom: &Value) {
    let s = schemas().join("cyclonedx");
    validate(
        &s.join("bom-1.6.schema.json"),
        &[&s.join("spdx.schema.json"), &s.join("jsf-0.82.schema.json")],
        bom,
    );
}

/// (project path, purl) of every component of the BOM, by bom-ref.
fn bom_components(bom: &Value) -> HashMap<String, (String, String)> {
    let mut out = HashMap::new();
    for p in bom["components"].as_array().unwrap() {
        let path = p["properties"][0]["value"].as_str().unwrap().to_owned();
        for c in p["components"].as_array().unwrap() {
            let purl = c["purl"].as_str().unwrap().to_owned();
            out.insert(
                c["bom-ref"].as_str().unwrap().to_owned(),
                (path.clone(), purl),
            );
        }
    }
    out
}

/// The vulnerability entry of the BOM about this finding.
fn entry_of<'b>(bom: &'b Value, refs: &HashMap<String, (String, String)>, f: &Value) -> &'b Value {
    let target = (
        f["project_path"].as_str().unwrap().to_owned(),
        f["purl"].as_str().unwrap().to_owned(),
    );
    bom["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| {
            v["id"] == f["id"]
                && v["affects"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| refs.get(a["ref"].as_str().unwrap()) == Some(&target))
        })
        .unwrap_or_else(|| panic!("no entry for {}", f["key"]))
}

#[test]
fn cyclonedx_validates_and_counts_every_vulnerability_finding() {
    let Some(e) = estate() else { return };
    let bom = report(e, "cyclonedx");
    validate_bom(&bom);
    // Components: as many as the export holds, project by project.
    let refs = bom_components(&bom);
    let stored: usize = projects(&e.export)
        .iter()
        .map(|p| p["components"].as_array().unwrap().len())
        .sum();
    assert_eq!(refs.len(), stored);
    assert_eq!(
        bom["components"].as_array().unwrap().len(),
        projects(&e.export).len()
    );
    // One `affects` per vulnerability finding of the export (no purl repeats in a project of
    // the example), each pointing at a component with the finding's project and purl.
    let vulns = vulnerability_findings(&e.export);
    assert!(vulns.len() > 100, "the example has vulnerabilities");
    let entries = bom["vulnerabilities"].as_array().unwrap();
    let affects: Vec<(String, (String, String))> = entries
        .iter()
        .flat_map(|v| {
            let id = v["id"].as_str().unwrap().to_owned();
            let refs = &refs;
            v["affects"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |a| (id.clone(), refs[a["ref"].as_str().unwrap()].clone()))
        })
        .collect();
    assert_eq!(affects.len(), vulns.len());
    let expected: BTreeSet<(String, (String, String))> = vulns
        .iter()
        .map(|f| {
            (
                f["id"].as_str().unwrap().to_owned(),
                (
                    f["project_path"].as_str().unwrap().to_owned(),
                    f["purl"].as_str().unwrap().to_owned(),
                ),
            )
        })
        .collect();
    assert_eq!(affects.into_iter().collect::<BTreeSet<_>>(), expected);
    // Advisories: one entry each, and one more for the advisory whose findings were triaged
    // differently: the false positive on its own, the others without analysis.
    let ids: BTreeSet<&str> = vulns.iter().map(|f| f["id"].as_str().unwrap()).collect();
    assert_eq!(entries.len(), ids.len() + 1);
    let split = &e.triaged["split"];
    let parts: Vec<&Value> = entries.iter().filter(|v| v["id"] == split["id"]).collect();
    assert_eq!(parts.len(), 2);
    let fp = entry_of(&bom, &refs, split);
    assert_eq!(fp["analysis"]["state"], "false_positive");
    assert_eq!(fp["affects"].as_array().unwrap().len(), 1);
    let same = vulns.iter().filter(|f| f["id"] == split["id"]).count();
    let rest = parts.iter().find(|v| v.get("analysis").is_none()).unwrap();
    assert_eq!(rest["affects"].as_array().unwrap().len(), same - 1);
    // PYSEC-2021-858 is CVE-2021-23727 (OSV record, aliases).
    let celery = entries
        .iter()
        .find(|v| v["id"] == "PYSEC-2021-858")
        .unwrap();
    assert_eq!(
        celery["source"]["url"],
        "https://osv.dev/vulnerability/PYSEC-2021-858"
    );
    assert!(
        celery["references"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == "CVE-2021-23727")
    );
    // A CVSS 3.1 vector gives method CVSSv31 and the score.
    let scored = vulns
        .iter()
        .find(|f| {
            f["json"]["finding"]["severity"]["vector"]
                .as_str()
                .is_some_and(|v| v.starts_with("CVSS:3.1/"))
        })
        .expect("a CVSS 3.1 finding");
    let r = &entry_of(&bom, &refs, scored)["ratings"][0];
    assert_eq!(r["method"], "CVSSv31");
    assert_eq!(r["vector"], scored["json"]["finding"]["severity"]["vector"]);
    assert_eq!(r["score"], scored["json"]["finding"]["severity"]["score"]);
}

#[test]
fn cyclonedx_analysis_follows_triage() {
    let Some(e) = estate() else { return };
    let bom = report(e, "cyclonedx");
    let refs = bom_components(&bom);
    let analysis = |label: &str| entry_of(&bom, &refs, &e.triaged[label])["analysis"].clone();
    // The table of docs/report.md.
    assert_eq!(analysis("in_triage")["state"], "in_triage");
    assert_eq!(analysis("exploitable")["state"], "exploitable");
    assert!(analysis("exploitable").get("response").is_none());
    let na = analysis("not_affected");
    assert_eq!(na["state"], "not_affected");
    assert_eq!(na["justification"], "code_not_present");
    assert!(na["detail"].as_str().unwrap().contains("checked"));
    assert_eq!(analysis("false_positive")["state"], "false_positive");
    let acc = analysis("accepted");
    assert_eq!(acc["state"], "exploitable");
    assert_eq!(acc["response"], serde_json::json!(["will_not_fix"]));
    assert!(acc["detail"].as_str().unwrap().contains("2027-01-31"));
    // An acceptance that ended on 2026-01-31 is not applied on 2026-11-26.
    let expired = entry_of(&bom, &refs, &e.triaged["expired"]);
    assert!(expired.get("analysis").is_none(), "{expired}");
    assert!(expired.to_string().contains("acceptance_expired"));
    // Undecided findings carry no analysis: exactly the six decisions in force do (five here,
    // the false positive of an advisory with several findings).
    let with = bom["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|v| v.get("analysis").is_some())
        .count();
    assert_eq!(with, 6);
}

#[test]
fn sarif_validates_with_audit_rule_ids_and_suppressions() {
    let Some(e) = estate() else { return };
    let log = report(e, "sarif");
    validate(&schemas().join("sarif/sarif-schema-2.1.0.json"), &[], &log);
    let results = log["runs"][0]["results"].as_array().unwrap();
    let stored: usize = projects(&e.export)
        .iter()
        .map(|p| p["findings"].as_array().unwrap().len())
        .sum();
    assert_eq!(results.len(), stored, "one result per stored finding");
    // The rule ids of `vigie audit -f sarif` on the same folder.
    let audit = audit(e, "sarif");
    let ids = |l: &Value| -> BTreeSet<String> {
        l["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ruleId"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(ids(&log), ids(&audit));
    // Suppressed: not_affected, the false positives and the acceptance in force; nothing else.
    let key_of = |r: &Value| {
        r["partialFingerprints"]["vigie/v1"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let suppressed: BTreeSet<String> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .map(key_of)
        .collect();
    let expected: BTreeSet<String> = ["not_affected", "false_positive", "accepted", "split"]
        .iter()
        .map(|l| e.triaged[l]["key"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(suppressed, expected);
    for r in results.iter().filter(|r| r.get("suppressions").is_some()) {
        assert_eq!(r["suppressions"][0]["kind"], "external");
        assert!(
            r["suppressions"][0]["justification"]
                .as_str()
                .unwrap()
                .contains("checked")
        );
    }
    // celery in billing-api: poetry.lock, at the line that names it (read from the file).
    let lock =
        std::fs::read_to_string(workspace().join("examples/acme/billing-api/poetry.lock")).unwrap();
    let line = lock
        .lines()
        .position(|l| l.trim() == "name = \"celery\"")
        .unwrap()
        + 1;
    let celery = results
        .iter()
        .find(|r| {
            r["ruleId"] == "PYSEC-2021-858" && key_of(r).contains("examples/acme/billing-api/")
        })
        .unwrap();
    let loc = &celery["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "poetry.lock");
    assert_eq!(loc["region"]["startLine"], line);
    assert_eq!(celery["level"], "warning", "rated medium");
}

/// What a BOM's `vulnerabilities` say of each affected component, by (advisory id, project
/// path, purl): the entry without its bom-ref, its affects and its triage, and the affected
/// versions.
fn vulnerabilities_by_component(bom: &Value) -> HashMap<(String, String, String), Value> {
    let refs = bom_components(bom);
    let mut out = HashMap::new();
    for v in bom["vulnerabilities"].as_array().unwrap() {
        let mut entry = v.clone();
        let e = entry.as_object_mut().unwrap();
        for triage in ["bom-ref", "affects", "analysis"] {
            e.remove(triage);
        }
        if let Some(props) = e.get_mut("properties").and_then(Value::as_array_mut) {
            props.retain(|p| p["name"] != "vigie:triage");
        }
        for a in v["affects"].as_array().unwrap() {
            let (path, purl) = refs[a["ref"].as_str().unwrap()].clone();
            let id = v["id"].as_str().unwrap().to_owned();
            let seen = serde_json::json!({ "entry": entry, "versions": a["versions"] });
            assert!(out.insert((id, path, purl), seen).is_none());
        }
    }
    out
}

#[test]
fn audit_and_report_write_the_same_cyclonedx_vulnerabilities() {
    let Some(e) = estate() else { return };
    let audit = audit(e, "cyclonedx");
    validate_bom(&audit);
    let report = report(e, "cyclonedx");
    let from_audit = vulnerabilities_by_component(&audit);
    let from_report = vulnerabilities_by_component(&report);
    assert_eq!(from_audit.len(), vulnerability_findings(&e.export).len());
    assert_eq!(
        from_audit.keys().collect::<BTreeSet<_>>(),
        from_report.keys().collect::<BTreeSet<_>>()
    );
    // An entry says the same of the same findings. Triage splits an advisory's findings into
    // entries the audit does not have: the part of those the advisory's identity says only.
    let mut entries_per_id: HashMap<&str, usize> = HashMap::new();
    for v in report["vulnerabilities"].as_array().unwrap() {
        *entries_per_id.entry(v["id"].as_str().unwrap()).or_default() += 1;
    }
    let split = e.triaged["split"]["id"].as_str().unwrap();
    assert_eq!(entries_per_id[split], 2);
    for (k, v) in &from_report {
        let a = &from_audit[k];
        if entries_per_id[k.0.as_str()] == 1 {
            assert_eq!(a, v, "{k:?}");
        } else {
            for field in ["id", "source", "references"] {
                assert_eq!(a["entry"][field], v["entry"][field], "{k:?}");
            }
            assert_eq!(a["versions"], v["versions"], "{k:?}");
        }
    }
    // No triage in an audit: one entry per advisory, none with an analysis.
    let entries = audit["vulnerabilities"].as_array().unwrap();
    let ids: BTreeSet<&str> = entries.iter().map(|v| v["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), entries.len());
    assert!(entries.iter().all(|v| v.get("analysis").is_none()));
}

/// The results of a SARIF log by fingerprint (the finding key).
fn results_by_key(log: &Value) -> HashMap<String, &Value> {
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let key = r["partialFingerprints"]["vigie/v1"].as_str().unwrap();
            (key.to_owned(), r)
        })
        .collect()
}

#[test]
fn audit_and_report_write_the_same_sarif_of_the_same_findings() {
    let Some(e) = estate() else { return };
    let (report, audit) = (report(e, "sarif"), audit(e, "sarif"));
    // The same rules, each described the same way.
    let rules = |l: &Value| -> HashMap<String, Value> {
        l["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap().to_owned(), r.clone()))
            .collect()
    };
    let (from_report, from_audit) = (rules(&report), rules(&audit));
    assert!(from_report.len() > 100, "{}", from_report.len());
    assert_eq!(from_report, from_audit);
    // The same findings (one result per stored finding, by key), each with the same rule,
    // level and message; the report adds the triage, and locates files in their project.
    let (r, a) = (results_by_key(&report), results_by_key(&audit));
    let keys = |m: &HashMap<String, &Value>| m.keys().cloned().collect::<BTreeSet<_>>();
    assert_eq!(keys(&r), keys(&a));
    for (key, x) in &r {
        let y = a[key];
        for field in ["ruleId", "level", "message"] {
            assert_eq!(x[field], y[field], "{key}: {field}");
        }
        assert_eq!(x["properties"]["vigie:key"], y["properties"]["vigie:key"]);
        assert!(x["properties"]["vigie:triage"].is_string(), "{key}");
        assert!(y["properties"].get("vigie:triage").is_none(), "{key}");
        let (lx, ly) = (&x["locations"][0], &y["locations"][0]);
        assert_eq!(lx["logicalLocations"], ly["logicalLocations"], "{key}");
        let uri = |l: &Value| l["physicalLocation"]["artifactLocation"]["uri"].clone();
        if let Some(in_project) = uri(lx).as_str() {
            let project = lx["logicalLocations"][0]["fullyQualifiedName"]
                .as_str()
                .unwrap();
            assert_eq!(uri(ly), format!("{project}/{in_project}"), "{key}");
        } else {
            assert!(uri(ly).is_null(), "{key}");
        }
    }
}

fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| strings(x, out)),
        _ => {}
    }
}

#[test]
fn script_names_survive_as_data() {
    let Some(data) = synced() else { return };
    let dir = tempfile::tempdir().unwrap();
    let evil = "<script>alert(1)</script>";
    let lock = serde_json::json!({
        "name": "app", "version": "1.0.0", "lockfileVersion": 3,
        "packages": {
            "": {"name": "app", "version": "1.0.0", "dependencies": {"x": "1.0.0"}},
            "node_modules/x": {"version": "1.0.0", "license": evil}
        }
    });
    let app = dir.path().join("estate").join(evil.replace('/', "_"));
    std::fs::create_dir_all(&app).unwrap();
    std::fs::write(app.join("package-lock.json"), lock.to_string()).unwrap();
    let db = dir.path().join("s.db");
    scan(data, &db, &dir.path().join("estate"));
    let db = db.to_str().unwrap();
    for format in ["cyclonedx", "sarif"] {
        let out = ok(run(
            data,
            &["report", "--db", db, "--today", TODAY, "-f", format],
        ));
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut all = Vec::new();
        strings(&doc, &mut all);
        assert!(
            all.iter().any(|s| s.contains("<script>alert(1)<")),
            "{format}: the name is not kept as data"
        );
    }
}
