//! `vigie sync --mirror` and `vigie audit` end to end: schema, SARIF, exit
//! codes, ignores, and parity with cargo-audit. Expected findings are worked
//! out by hand from the advisories (quoted at each case).

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

use crate::common;
use common::{data_dir, json_of, validate, workspace};

fn run(data: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_vigie"))
        .args(args)
        .current_dir(workspace())
        .env("NO_COLOR", "1")
        .env("VIGIE_DATA_DIR", data)
        .output()
        .expect("vigie runs")
}

/// A data directory with the reference mirror synced into it, once per test binary.
fn synced() -> Option<&'static Path> {
    static DIR: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();
    DIR.get_or_init(|| {
        let data = data_dir()?;
        let dir = tempfile::tempdir().unwrap();
        let out = run(
            dir.path(),
            &[
                "sync",
                "-q",
                "--mirror",
                data.to_str().unwrap(),
                "-f",
                "json",
            ],
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        // SOURCES.md: the OSV zips hold 27,170 records, 68 of them withdrawn; the native
        // feeds' records come on top (some merged: a CVE of RubySec in several gems).
        let m = &v["manifest"];
        let native: u64 = m["sources"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| {
                s["path"]
                    .as_str()
                    .unwrap()
                    .starts_with("advisories-native/")
            })
            .map(|s| s["records"].as_u64().unwrap())
            .sum();
        assert!(native > 3_000, "{native}");
        assert_eq!(
            m["advisories"].as_u64().unwrap() + m["duplicates"].as_u64().unwrap(),
            27_170 + native
        );
        assert_eq!(m["withdrawn"], 68);
        Some(dir)
    })
    .as_ref()
    .map(|d| d.path())
}

fn schema_check(schema: &Path, doc: &Value) {
    validate(schema, &[], doc);
}

/// Findings over every project and component of an audit report.
fn finding_count(report: &Value) -> usize {
    report["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["components"].as_array().unwrap())
        .map(|c| c["findings"].as_array().unwrap().len())
        .sum()
}

fn component<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["components"].as_array().unwrap())
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{name} has no finding"))
}

fn advisories(c: &Value) -> Vec<String> {
    let mut ids: Vec<String> = c["findings"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| f["advisories"].as_array().unwrap())
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn example_estate_audit_matches_the_schema_and_the_hand_worked_findings() {
    let Some(data) = synced() else { return };
    let out = run(data, &["audit", "-q", "-f", "json", "examples/acme"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out);
    schema_check(
        &workspace().join("docs/schemas/audit.v1.schema.json"),
        &report,
    );

    // edge-proxy pins tokio 1.8.0. RUSTSEC-2021-0072 [1.8.0, 1.8.1),
    // RUSTSEC-2021-0124 [0.1.14, 1.8.4), RUSTSEC-2023-0001 [1.7.0, 1.18.4);
    // informational RUSTSEC-2023-0005 [0.2.0, 1.18.5), RUSTSEC-2025-0023 [0.2.5, 1.38.2).
    let tokio = component(&report, "tokio");
    assert_eq!(
        advisories(tokio),
        [
            "RUSTSEC-2021-0072",
            "RUSTSEC-2021-0124",
            "RUSTSEC-2023-0001",
            "RUSTSEC-2023-0005",
            "RUSTSEC-2025-0023"
        ]
    );
    assert_eq!(tokio["upgrade"], "1.18.4");
    assert_eq!(tokio["file"], "examples/acme/edge-proxy/Cargo.lock");
    // The line of tokio's [[package]], found in the text.
    let text =
        std::fs::read_to_string(workspace().join("examples/acme/edge-proxy/Cargo.lock")).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let line = lines.iter().position(|l| *l == "name = \"tokio\"").unwrap();
    assert_eq!(
        tokio["line"], line as u64,
        "[[package]] is the line above the name"
    );

    // inventory-service requires gin v1.6.3: GO-2021-0052 [0, 1.7.7) and
    // GO-2023-1737 [1.3.1-0.2019..., 1.9.1) affect it, GO-2020-0001 [0, 1.6.0)
    // does not; 1.7.7 is still in GO-2023-1737, so the upgrade is v1.9.1.
    let gin = component(&report, "github.com/gin-gonic/gin");
    assert_eq!(advisories(gin), ["GO-2021-0052", "GO-2023-1737"]);
    assert_eq!(gin["upgrade"], "v1.9.1");

    // The summary adds up.
    let findings = finding_count(&report);
    let s = &report["summary"];
    assert_eq!(
        s["vulnerabilities"].as_u64().unwrap() + s["informational"].as_u64().unwrap(),
        findings as u64
    );
}

#[test]
fn sarif_output_validates_and_locates_each_finding() {
    let Some(data) = synced() else { return };
    let Some(shared) = data_dir() else { return };
    let json = json_of(&run(data, &["audit", "-q", "-f", "json", "examples/acme"]));
    let out = run(data, &["audit", "-q", "-f", "sarif", "examples/acme"]);
    assert_eq!(out.status.code(), Some(0));
    let sarif = json_of(&out);
    schema_check(
        &shared.join("schemas/sarif/sarif-schema-2.1.0.json"),
        &sarif,
    );
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let lifecycle = json["summary"]["lifecycle"].as_u64().unwrap() as usize;
    let licences = json["summary"]["licences"].as_u64().unwrap() as usize;
    // The components without a known licence are one finding per project (as `vigie scan`
    // stores them), the other licence findings one per component.
    let unknown = json["summary"]["licences_by_check"]["unknown"]
        .as_u64()
        .unwrap_or(0) as usize;
    let projects_with_unknown = json["projects"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| {
            p["licences"]["findings"]
                .as_array()
                .is_some_and(|f| f.iter().any(|f| f["check"] == "unknown"))
        })
        .count();
    assert!(unknown > projects_with_unknown, "acme has unknown licences");
    assert_eq!(
        results.len(),
        finding_count(&json) + lifecycle + licences - unknown + projects_with_unknown
    );
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    for r in results {
        let i = r["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
        assert!(rules[i]["properties"]["security-severity"].is_string());
        let location = &r["locations"][0];
        let project = location["logicalLocations"][0]["fullyQualifiedName"]
            .as_str()
            .unwrap();
        assert!(workspace().join(project).is_dir(), "{project}");
        // Every finding but the per-project unknown licences is in a file.
        let Some(uri) = location["physicalLocation"]["artifactLocation"]["uri"].as_str() else {
            assert_eq!(r["ruleId"], "licence/unknown");
            continue;
        };
        assert!(workspace().join(uri).is_file(), "{uri}");
        assert!(uri.starts_with(&format!("{project}/")), "{uri}");
    }
}

#[test]
fn fail_on_ignores_and_config() {
    let Some(data) = synced() else { return };
    // Without a threshold: 0. With --fail-on low: 1 (there are vulnerabilities).
    assert_eq!(
        run(data, &["audit", "-q", "examples/acme"]).status.code(),
        Some(0)
    );
    assert_eq!(
        run(data, &["audit", "-q", "--fail-on", "low", "examples/acme"])
            .status
            .code(),
        Some(1)
    );
    // A folder with edge-proxy's lockfile and a vigie.toml that ignores one
    // tokio advisory (with a reason) and another one whose ignore has lapsed.
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        workspace().join("examples/acme/edge-proxy/Cargo.lock"),
        dir.path().join("Cargo.lock"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("vigie.toml"),
        "[audit]\n\n[[audit.ignore]]\nid = \"CVE-2021-45710\"\nreason = \"not reachable\"\n\n\
         [[audit.ignore]]\nid = \"RUSTSEC-2021-0072\"\nreason = \"old\"\nuntil = \"2020-01-01\"\n",
    )
    .unwrap();
    let path = dir.path().to_str().unwrap();
    let report = json_of(&run(data, &["audit", "-q", "-f", "json", path]));
    let tokio = component(&report, "tokio");
    let ids = advisories(tokio);
    // CVE-2021-45710 is an alias of RUSTSEC-2021-0124.
    assert!(!ids.contains(&"RUSTSEC-2021-0124".to_owned()));
    assert!(
        ids.contains(&"RUSTSEC-2021-0072".to_owned()),
        "the lapsed ignore is not applied"
    );
    assert_eq!(report["ignored"].as_array().unwrap().len(), 1);
    assert_eq!(report["ignored"][0]["matched"], 1);
    assert_eq!(report["summary"]["ignored"], 1);

    // A broken config names the file and the line.
    std::fs::write(
        dir.path().join("vigie.toml"),
        "[audit]\nfail-on = \"sometimes\"\n",
    )
    .unwrap();
    let out = run(data, &["audit", "-q", path]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("vigie.toml:2:"), "{err}");
}

#[test]
fn audit_without_an_index_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(dir.path(), &["audit", "examples/acme"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("vigie sync"));
}

#[test]
fn markdown_escapes_what_comes_from_files() {
    let Some(data) = synced() else { return };
    let out = run(data, &["audit", "-q", "-f", "markdown", "examples/acme"]);
    assert_eq!(out.status.code(), Some(0));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# vigie audit"));
    assert!(md.contains("| tokio | 1.8.0 |"), "{md}");
}

/// Parity with cargo-audit: the advisory ids cargo-audit reports on each
/// Cargo.lock of the reference data (recorded by `bench/cargo_audit_parity.sh
/// --write` from cargo-audit's own output on the native RustSec database).
#[test]
fn same_advisories_as_cargo_audit() {
    let Some(data) = synced() else { return };
    let Some(shared) = data_dir() else { return };
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(
            workspace().join("crates/vigie/tests/data/cargo_audit_expected.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let expected = expected.as_object().unwrap();
    assert!(expected.len() >= 2);
    for (lock, ids) in expected {
        let path = if lock.starts_with("examples/") {
            workspace().join(lock)
        } else {
            shared.join(lock)
        };
        let report = json_of(&run(
            data,
            &["audit", "-q", "-f", "json", path.to_str().unwrap()],
        ));
        let mut got: Vec<String> = report["projects"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|p| p["components"].as_array().unwrap())
            .flat_map(|c| c["findings"].as_array().unwrap())
            .flat_map(|f| f["advisories"].as_array().unwrap())
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        got.sort();
        got.dedup();
        let want: Vec<String> = ids
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, want, "{lock}");
    }
}

fn lifecycle_of<'a>(report: &'a Value, file: &str, check: &str) -> Vec<&'a Value> {
    report["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["lifecycle"].as_array().unwrap())
        .filter(|f| f["evidence"]["file"] == file && f["check"] == check)
        .collect()
}

/// Lifecycle findings of the example estate on a fixed day. Dates from the
/// endoflife.date product files of the reference data: python.md line 161
/// (3.8: eol 2024-10-07), postgresql.md line 80 (11: eol 2023-11-09), go.md
/// line 103 (1.16: eol 2022-03-15).
#[test]
fn lifecycle_findings_of_the_example_estate() {
    let Some(data) = synced() else { return };
    let out = run(
        data,
        &[
            "audit",
            "-q",
            "--today",
            "2026-11-26",
            "--checks",
            "lifecycle",
            "-f",
            "json",
            "examples/acme",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json_of(&out);
    schema_check(
        &workspace().join("docs/schemas/audit.v1.schema.json"),
        &report,
    );
    assert_eq!(
        report["summary"]["vulnerabilities"], 0,
        "--checks lifecycle only"
    );

    let py = lifecycle_of(
        &report,
        "examples/acme/billing-api/.python-version",
        "eol-passed",
    );
    assert_eq!(py.len(), 1);
    assert_eq!(py[0]["product"], "python");
    assert_eq!(py[0]["date"], "2024-10-07");
    // 2024-10-07 → 2026-10-07 is 730 days, then 50 more to 2026-11-26.
    assert_eq!(py[0]["days"], 780);
    assert_eq!(py[0]["evidence"]["line"], 1);

    let pg = lifecycle_of(
        &report,
        "examples/acme/platform/docker-compose.yml",
        "eol-passed",
    );
    let pg: Vec<_> = pg.iter().filter(|f| f["product"] == "postgresql").collect();
    assert_eq!(pg.len(), 1);
    assert_eq!(pg[0]["date"], "2023-11-09");
    assert_eq!(
        pg[0]["evidence"]["line"], 4,
        "`image: postgres:11` is line 4"
    );

    let go = lifecycle_of(
        &report,
        "examples/acme/inventory-service/go.mod",
        "eol-passed",
    );
    assert_eq!(go.len(), 1);
    assert_eq!(go[0]["date"], "2022-03-15");

    // `image: memcached` has no tag: unpinned, never guessed.
    let mc = lifecycle_of(
        &report,
        "examples/acme/platform/docker-compose.yml",
        "unpinned",
    );
    assert!(mc.iter().any(|f| f["product"] == "memcached"));

    // An end of life passed is rated high for --fail-on.
    let out = run(
        data,
        &[
            "audit",
            "-q",
            "--today",
            "2026-11-26",
            "--checks",
            "lifecycle",
            "--fail-on",
            "high",
            "examples/acme",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    // The forecast lists Python 3.8 as past its end of life.
    let out = run(
        data,
        &[
            "lifecycle",
            "-q",
            "--today",
            "2026-11-26",
            "-f",
            "json",
            "examples/acme",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let forecast = json_of(&out);
    let row = forecast["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["product"] == "python")
        .unwrap();
    assert_eq!(row["status"], "end-of-life");
    assert_eq!(
        row["places"], 3,
        ".python-version, the Dockerfile and pyproject's requires"
    );
}

#[test]
fn components_of_ecosystems_without_advisories_are_named_not_counted_as_checked() {
    let Some(data) = synced() else { return };
    let Some(shared) = data_dir() else { return };
    let covered = common::mirror_ecosystems(&shared);
    // The independent count: the inventory's distinct (ecosystem, name, version) with a
    // version per project, split by whether the mirror has OSV records for the ecosystem.
    let inventory = json_of(&run(data, &["inventory", "-f", "json", "examples/acme"]));
    let mut expected_checked = 0u64;
    let mut expected_uncovered: std::collections::BTreeMap<String, u64> = Default::default();
    for p in inventory["projects"].as_array().unwrap() {
        let mut seen = std::collections::HashSet::new();
        for c in p["components"].as_array().unwrap() {
            let (Some(eco), Some(name), Some(version)) = (
                c["ecosystem"].as_str(),
                c["name"].as_str(),
                c["version"].as_str(),
            ) else {
                continue;
            };
            if !seen.insert((eco, name, version)) {
                continue;
            }
            if covered.contains(eco) {
                expected_checked += 1;
            } else {
                *expected_uncovered.entry(eco.to_owned()).or_default() += 1;
            }
        }
    }
    assert!(
        expected_uncovered.contains_key("Maven"),
        "the mirror has no Maven feed and acme has Maven components"
    );

    let out = run(data, &["audit", "-q", "-f", "json", "examples/acme"]);
    let report = json_of(&out);
    schema_check(
        &workspace().join("docs/schemas/audit.v1.schema.json"),
        &report,
    );
    let s = &report["summary"];
    assert_eq!(s["checked"].as_u64(), Some(expected_checked));
    let by: std::collections::BTreeMap<String, u64> =
        serde_json::from_value(s["uncovered_by_ecosystem"].clone()).unwrap();
    assert_eq!(by, expected_uncovered);
    assert_eq!(
        s["uncovered"].as_u64(),
        Some(expected_uncovered.values().sum())
    );
    // The index's ecosystems are its records' (GHC from Hackage's, none for the GIT ranges):
    // on the estate's ecosystems, they are the mirror's layout.
    let index: std::collections::BTreeSet<String> =
        serde_json::from_value(report["knowledge"]["ecosystems"].clone()).unwrap();
    for p in inventory["projects"].as_array().unwrap() {
        for c in p["components"].as_array().unwrap() {
            let eco = c["ecosystem"].as_str().unwrap();
            assert_eq!(index.contains(eco), covered.contains(eco), "{eco}");
        }
    }
    // log4j-core 2.14.1 is among the components named as not checked.
    let log4j = report["projects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["uncovered"].as_array().unwrap())
        .find(|u| u["name"] == "org.apache.logging.log4j:log4j-core")
        .expect("log4j-core is not checked");
    assert_eq!(log4j["ecosystem"], "Maven");
    assert_eq!(log4j["version"], "2.14.1");
    // With the Node.js WG's feed, lodash 4.17.15 is checked: vuln/npm/516.json says
    // ">=4.17.15 <4.17.19", patched ">=4.17.19".
    let lodash = component(&report, "lodash");
    assert_eq!(advisories(lodash), ["NSWG-ECO-516"]);
    assert_eq!(lodash["upgrade"], "4.17.19");

    // The table says it in words, with the count.
    let text = String::from_utf8(run(data, &["audit", "-q", "examples/acme"]).stdout).unwrap();
    let maven = expected_uncovered["Maven"];
    assert!(
        text.contains("Not checked for vulnerabilities, no advisory source in this index:")
            && text.contains(&format!("Maven ({maven} components: ")),
        "{text}"
    );
}
