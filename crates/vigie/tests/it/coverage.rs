//! Coverage stated everywhere (issue 17): the reference mirror has no Maven feed (npm,
//! RubyGems and Packagist only through their native feeds), and the example estate uses
//! Maven. Each output is checked against an independent count: the mirror's layout
//! (`common::mirror_ecosystems`), and the inventory's distinct (ecosystem, name, version) per
//! project.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use serde_json::Value;

use crate::common::{data_dir, json_of, mirror_ecosystems, ok, run, synced};

/// Components per ecosystem of the example estate that the mirror has no advisories for.
fn expected_gaps(data: &Path, mirror: &Path) -> BTreeMap<String, u64> {
    let covered = mirror_ecosystems(mirror);
    let inventory = json_of(&ok(run(
        data,
        &["inventory", "-f", "json", "examples/acme"],
    )));
    let mut gaps = BTreeMap::new();
    for p in inventory["projects"].as_array().unwrap() {
        let mut seen = HashSet::new();
        for c in p["components"].as_array().unwrap() {
            let eco = c["ecosystem"].as_str().unwrap();
            if covered.contains(eco) || !seen.insert((eco, c["name"].clone(), c["version"].clone()))
            {
                continue;
            }
            *gaps.entry(eco.to_owned()).or_default() += 1;
        }
    }
    assert!(
        gaps.contains_key("Maven"),
        "acme uses Maven, which the mirror lacks"
    );
    gaps
}

fn scanned(data: &Path) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("acme.db").to_str().unwrap().to_owned();
    ok(run(data, &["scan", "-q", "examples/acme", "--db", &db]));
    (dir, db)
}

/// The example estate scanned with the synced reference mirror.
struct Acme {
    data: &'static Path,
    mirror: std::path::PathBuf,
    /// The expected gaps ([`expected_gaps`]).
    gaps: BTreeMap<String, u64>,
    _dir: tempfile::TempDir,
    /// The store's path.
    db: String,
}

fn acme_scanned() -> Option<Acme> {
    let (data, mirror) = (synced()?, data_dir()?);
    let gaps = expected_gaps(data, &mirror);
    let (_dir, db) = scanned(data);
    Some(Acme {
        data,
        mirror,
        gaps,
        _dir,
        db,
    })
}

#[test]
fn scan_knowledge_and_sync_name_the_ecosystems_without_advisories() {
    let Some(Acme {
        data,
        mirror,
        gaps,
        db,
        _dir,
    }) = acme_scanned()
    else {
        return;
    };

    let summary = json_of(&ok(run(
        data,
        &["scan", "-q", "examples/acme", "--db", &db, "-f", "json"],
    )));
    let by: BTreeMap<String, u64> = serde_json::from_value(summary["uncovered"].clone()).unwrap();
    assert_eq!(by, gaps);
    let text =
        String::from_utf8(ok(run(data, &["scan", "-q", "examples/acme", "--db", &db])).stdout)
            .unwrap();
    for (e, n) in &gaps {
        assert!(text.contains(&format!("{e} ({n} components)")), "{text}");
    }

    let status = json_of(&ok(run(data, &["knowledge", "--db", &db, "-f", "json"])));
    let from_knowledge: BTreeMap<String, u64> = status["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["advisory_source"] == false)
        .map(|c| {
            (
                c["ecosystem"].as_str().unwrap().to_owned(),
                c["components"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(from_knowledge, gaps);
    let table = String::from_utf8(ok(run(data, &["knowledge", "--db", &db])).stdout).unwrap();
    assert!(table.contains("none: not checked"), "{table}");

    // A sync beside the store names what the estate needs and the index lacks.
    let sync = ok(run(
        data,
        &[
            "sync",
            "-q",
            "--mirror",
            mirror.to_str().unwrap(),
            "--db",
            &db,
        ],
    ));
    let text = String::from_utf8(sync.stdout).unwrap();
    let line = text
        .lines()
        .find(|l| l.starts_with("the estate's latest snapshot also uses"))
        .unwrap_or_else(|| panic!("{text}"));
    for (e, n) in &gaps {
        assert!(line.contains(&format!("{e} ({n} components)")), "{line}");
    }
    assert!(
        text.lines()
            .any(|l| l.starts_with("advisories per ecosystem: ")
                && l.contains("crates.io (")
                && !l.contains("Maven"))
    );
}

#[test]
fn who_uses_tells_an_unknown_advisory_from_one_nobody_uses() {
    let Some(data) = synced() else { return };
    let (_dir, db) = scanned(data);
    let said = |id: &str| {
        String::from_utf8(ok(run(data, &["who-uses", "--advisory", id, "--db", &db])).stdout)
            .unwrap()
    };
    // Not in the index: log4shell (no Maven feed) and an id that does not exist.
    for id in ["CVE-2021-44228", "CVE-9999-00000"] {
        let text = said(id);
        assert!(
            text.contains(&format!("{id} is not in the knowledge index")),
            "{text}"
        );
        assert!(
            text.contains("Maven ("),
            "the ecosystems without a source: {text}"
        );
    }
    // In the index (openssl's RUSTSEC-2016-0001), and nobody in acme uses openssl.
    let text = said("RUSTSEC-2016-0001");
    assert!(
        text.contains("is in the knowledge index: no project uses an affected version"),
        "{text}"
    );
    // Used: tokio 1.8.0 in edge-proxy; no status line then.
    let text = said("RUSTSEC-2021-0072");
    assert!(
        text.contains("1 finding(s)") && !text.contains("knowledge index"),
        "{text}"
    );
    // A package of an ecosystem without advisories: said under its users; one with: not.
    let uses =
        |q: &str| String::from_utf8(ok(run(data, &["who-uses", q, "--db", &db])).stdout).unwrap();
    let log4j = uses("pkg:maven/org.apache.logging.log4j/log4j-core");
    assert!(
        log4j.contains("1 project(s)") && log4j.contains("Maven: no advisory source in this index"),
        "{log4j}"
    );
    let lodash = uses("lodash");
    assert!(
        lodash.contains("1 project(s)") && !lodash.contains("no advisory source"),
        "{lodash}"
    );
    // The JSON stays the list of findings.
    let json: Value = serde_json::from_slice(
        &ok(run(
            data,
            &[
                "who-uses",
                "--advisory",
                "CVE-9999-00000",
                "--db",
                &db,
                "-f",
                "json",
            ],
        ))
        .stdout,
    )
    .unwrap();
    assert_eq!(json, Value::Array(Vec::new()));
}

#[test]
fn the_report_states_coverage_on_its_first_page_in_both_languages() {
    let Some(Acme {
        data,
        gaps,
        db,
        _dir,
        ..
    }) = acme_scanned()
    else {
        return;
    };
    for (lang, lead, noun) in [
        ("en", "Not checked for vulnerabilities", "components"),
        ("fr", "Non vérifiés pour les vulnérabilités", "composants"),
    ] {
        let md = String::from_utf8(
            ok(run(
                data,
                &["report", "-f", "md", "--lang", lang, "--db", &db],
            ))
            .stdout,
        )
        .unwrap();
        let line = md
            .lines()
            .find(|l| l.starts_with(lead))
            .unwrap_or_else(|| panic!("{md}"));
        // On the first page: in the summary, before its first table.
        assert!(
            md.find("## ") < md.find(lead) && md.find(lead) < md.find("### "),
            "{md}"
        );
        for (e, n) in &gaps {
            assert!(line.contains(&format!("{e} ({n} {noun})")), "{line}");
        }
        assert!(
            !line.contains("crates.io") && !line.contains("PyPI"),
            "{line}"
        );
    }
}

#[test]
fn a_purl_followed_by_a_range_asks_for_the_range() {
    let Some(Acme { data, db, _dir, .. }) = acme_scanned() else {
        return;
    };
    let projects = |q: &str| -> Vec<String> {
        let out = ok(run(data, &["who-uses", q, "--db", &db, "-f", "json"]));
        let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut p: Vec<String> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["project_path"].as_str().unwrap().to_owned())
            .collect();
        p.dedup();
        p
    };
    // billing-api pins django 3.2.4 (its poetry.lock): inside <4 and <3.2.5, outside <3.
    let billing = ["examples/acme/billing-api".to_owned()];
    for (range, inside) in [
        ("<4", true),
        ("<3.2.5", true),
        ("<3", false),
        (">=3.2,<3.3", true),
    ] {
        let by_purl = projects(&format!("pkg:pypi/django@{range}"));
        assert_eq!(by_purl, projects(&format!("django@{range}")), "{range}");
        assert_eq!(by_purl == billing, inside, "{range}: {by_purl:?}");
        assert_eq!(by_purl.is_empty(), !inside, "{range}");
    }
    // An exact version after the purl stays a version.
    assert_eq!(projects("pkg:pypi/django@3.2.4"), billing);
    assert!(projects("pkg:pypi/django@3.2.5").is_empty());
}
