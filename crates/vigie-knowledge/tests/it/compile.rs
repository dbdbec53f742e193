//! The whole reference mirror compiled into an index, checked against the
//! counts that `SOURCES.md` gives for each OSV archive, and lookups checked
//! against advisories counted directly in the raw archives.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;

use vigie_knowledge::compile::compile_mirror;
use vigie_knowledge::index::Index;

/// Records and withdrawn records per archive, from the table of section 3a
/// of `../shared/data/SOURCES.md` (written by the people who built the mirror).
const SOURCES_MD: &[(&str, usize, usize)] = &[
    ("osv/AlmaLinux/all.zip", 5_637, 0),
    ("osv/Bitnami/all.zip", 7_444, 0),
    ("osv/CRAN/all.zip", 14, 0),
    ("osv/GIT/all.zip", 132, 0),
    ("osv/Go/all.zip", 4_291, 17),
    ("osv/Hackage/all.zip", 35, 0),
    ("osv/Julia/all.zip", 1_703, 4),
    ("osv/OSS-Fuzz/all.zip", 4_021, 24),
    ("osv/PyPI/all.zip", 2_661, 10),
    ("osv/crates.io/all.zip", 1_206, 13),
    ("osv/opam/all.zip", 26, 0),
];

/// Every record of a raw archive, as JSON values.
fn raw_records(zip: &Path) -> impl Iterator<Item = serde_json::Value> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    (0..archive.len()).map(move |i| {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        serde_json::from_str(&text).unwrap()
    })
}

/// Ids of the records of `zip` that have an affected entry for (ecosystem
/// base, name), by walking the raw JSON (`serde_json::Value`), not vigie's model.
fn raw_ids(zip: &Path, ecosystem: &str, name: &str) -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for v in raw_records(zip) {
        let hit = v["affected"].as_array().into_iter().flatten().any(|a| {
            let eco = a["package"]["ecosystem"].as_str().unwrap_or("");
            eco.split(':').next() == Some(ecosystem) && a["package"]["name"].as_str() == Some(name)
        });
        if hit {
            ids.insert(v["id"].as_str().unwrap().to_owned());
        }
    }
    ids
}

#[test]
fn the_reference_mirror_compiles_with_every_record() {
    let Some(data) = vigie_testkit::data_dir() else {
        return;
    };
    let out = tempfile::tempdir().unwrap();
    let manifest = compile_mirror(&data, out.path(), "2026-11-26T00:00:00Z").unwrap();

    for (path, records, withdrawn) in SOURCES_MD {
        let s = manifest
            .sources
            .iter()
            .find(|s| s.path == *path)
            .unwrap_or_else(|| panic!("{path} not read"));
        assert_eq!(s.records, *records, "{path}");
        assert_eq!(s.invalid, 0, "{path}: {:?}", s.problems);
        assert_eq!(s.refused, 0, "{path}: {:?}", s.problems);
        assert!(s.error.is_none(), "{path}: {:?}", s.error);
        let _ = withdrawn;
    }
    let total: usize = SOURCES_MD.iter().map(|s| s.1).sum();
    assert_eq!(
        total, 27_170,
        "SOURCES.md: the OSV zips hold 27,170 records"
    );
    // The native feeds' records come on top (their counts: `native_feeds_compile_every_record`).
    let native: usize = manifest
        .sources
        .iter()
        .filter(|s| s.path.starts_with("advisories-native/"))
        .map(|s| s.records)
        .sum();
    assert_eq!(manifest.advisories + manifest.duplicates, total + native);
    let withdrawn: usize = SOURCES_MD.iter().map(|s| s.2).sum();
    assert_eq!(manifest.withdrawn, withdrawn);
    assert!(manifest.kev_entries >= 1_400, "{}", manifest.kev_entries);
    assert!(manifest.known_exploited > 0);
    // SOURCES.md: endoflife.date, 464 products.
    assert_eq!(manifest.lifecycle_products, 464);
    assert!(out.path().join("lifecycle.json").is_file());

    let index = Index::open(out.path()).unwrap();
    assert_eq!(index.len(), manifest.packages);
    for (zip, ecosystem, name) in [
        ("osv/crates.io/all.zip", "crates.io", "openssl"),
        ("osv/crates.io/all.zip", "crates.io", "tokio"),
        ("osv/PyPI/all.zip", "PyPI", "django"),
        ("osv/Go/all.zip", "Go", "golang.org/x/net"),
        ("osv/AlmaLinux/all.zip", "AlmaLinux", "kernel"),
        ("osv/Bitnami/all.zip", "Bitnami", "wordpress"),
    ] {
        let expected = raw_ids(&data.join(zip), ecosystem, name);
        assert!(!expected.is_empty(), "{ecosystem}/{name}");
        let key = vigie_knowledge::package_key(ecosystem, name);
        let got: BTreeSet<String> = index
            .lookup(ecosystem, &key)
            .unwrap()
            .into_iter()
            .map(|p| p.advisory.id)
            .collect();
        assert_eq!(got, expected, "{ecosystem}/{name}");
    }
    assert!(
        index
            .lookup("crates.io", "no-such-crate")
            .unwrap()
            .is_empty()
    );
    assert!(index.lookup("NoSuchEcosystem", "x").unwrap().is_empty());

    advisory_names_match_the_raw_records(&data.join("osv/crates.io/all.zip"), out.path(), &index);
    unreadable_events_are_counted_and_listed(&data.join("osv/PyPI/all.zip"), &manifest);
}

/// The PyPI events outside PEP 440's grammar (PYSEC-2019-125's fixed `2019-09-12`,
/// PYSEC-2021-371's `0.2.0-n653`): the compile counts as many as a walk of the raw JSON
/// finds, and lists them by record.
fn unreadable_events_are_counted_and_listed(
    zip: &Path,
    manifest: &vigie_knowledge::compile::Manifest,
) {
    let mut count = 0;
    let mut ids = BTreeSet::new();
    for v in raw_records(zip) {
        for a in v["affected"].as_array().into_iter().flatten() {
            if a["package"]["ecosystem"].as_str() != Some("PyPI") {
                continue;
            }
            for r in a["ranges"].as_array().into_iter().flatten() {
                if r["type"].as_str() != Some("ECOSYSTEM") {
                    continue;
                }
                for e in r["events"].as_array().into_iter().flatten() {
                    let Some((_, version)) = e.as_object().and_then(|o| o.iter().next()) else {
                        continue;
                    };
                    let version = version.as_str().unwrap_or("");
                    if version == "0" || version.contains('*') {
                        continue;
                    }
                    let legacy = vigie_versions::Scheme::Pep440
                        .parse(version)
                        .is_ok_and(|p| p.is_legacy());
                    if legacy {
                        count += 1;
                        ids.insert(v["id"].as_str().unwrap().to_owned());
                    }
                }
            }
        }
    }
    assert!(ids.contains("PYSEC-2019-125"), "{ids:?}");
    assert!(ids.contains("PYSEC-2021-371"), "{ids:?}");
    let s = manifest
        .sources
        .iter()
        .find(|s| s.path == "osv/PyPI/all.zip")
        .unwrap();
    assert_eq!(s.unreadable_events, count, "{:?}", s.problems);
    let listed: Vec<&String> = s
        .problems
        .iter()
        .filter(|p| p.contains("not a version of the scheme"))
        .collect();
    assert_eq!(
        listed.len(),
        count.min(vigie_knowledge::compile::MAX_PROBLEMS_LISTED)
    );
    assert!(
        listed.iter().all(|p| ids
            .iter()
            .any(|id| p.starts_with(&format!("{id}.json: PyPI ")))),
        "{listed:?}"
    );
}

/// Every record of a raw archive, looked up by its id and by each alias in the names table,
/// gives the packages its raw JSON names (by the id exactly; by an alias at least those, as
/// other advisories may share it).
fn advisory_names_match_the_raw_records(zip: &Path, dir: &Path, index: &Index) {
    let names = vigie_knowledge::ids::AdvisoryNames::open(dir).unwrap();
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut checked = 0;
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let expected: BTreeSet<(String, String)> = v["affected"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|a| {
                let eco = a["package"]["ecosystem"].as_str()?.split(':').next()?;
                let name = a["package"]["name"].as_str()?;
                Some((
                    eco.to_owned(),
                    vigie_knowledge::package_key(eco, name).into_owned(),
                ))
            })
            .collect();
        let resolve = |name: &str| -> BTreeSet<(String, String)> {
            names
                .packages(name)
                .unwrap_or_else(|| panic!("{name} unknown to the names table"))
                .into_iter()
                .map(|p| {
                    let (e, k) = index.package(p).unwrap();
                    (e.to_owned(), k.to_owned())
                })
                .collect()
        };
        let id = v["id"].as_str().unwrap();
        assert_eq!(resolve(id), expected, "{id}");
        assert_eq!(resolve(&id.to_lowercase()), expected, "{id} in lower case");
        for alias in v["aliases"].as_array().into_iter().flatten() {
            let alias = alias.as_str().unwrap();
            assert!(resolve(alias).is_superset(&expected), "{id} alias {alias}");
        }
        checked += 1;
    }
    assert_eq!(checked, 1_206, "SOURCES.md: 1,206 crates.io records");
    assert!(names.packages("CVE-1900-0001").is_none());
    assert!(names.len() > checked);
}

/// A mirror of the real endoflife.date archives whose release data is cut short: the
/// failure is reported against `release-data.tar.gz` (its own source), not the products.
#[test]
fn a_broken_release_data_archive_is_its_own_failed_source() {
    let Some(data) = vigie_testkit::data_dir() else {
        return;
    };
    let mirror = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(mirror.path().join("osv")).unwrap();
    std::fs::create_dir_all(mirror.path().join("endoflife")).unwrap();
    std::fs::copy(
        data.join("endoflife/products.tar.gz"),
        mirror.path().join("endoflife/products.tar.gz"),
    )
    .unwrap();
    let release = std::fs::read(data.join("endoflife/release-data.tar.gz")).unwrap();
    std::fs::write(
        mirror.path().join("endoflife/release-data.tar.gz"),
        &release[..release.len() / 2],
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let manifest = compile_mirror(mirror.path(), out.path(), "2026-11-26T00:00:00Z").unwrap();
    let find = |path: &str| {
        manifest
            .sources
            .iter()
            .find(|s| s.path == path)
            .unwrap_or_else(|| panic!("{path}: {:?}", manifest.sources))
    };
    assert!(find("endoflife/products.tar.gz").error.is_none());
    let release = find("endoflife/release-data.tar.gz");
    assert!(
        release
            .error
            .as_deref()
            .is_some_and(|e| e.contains("tar.gz")),
        "{:?}",
        release.error
    );
    assert_eq!(release.source(), "endoflife.date release data");
    assert!(!out.path().join("lifecycle.json").exists());

    // Whole, both are sources of their own, the release data counted in versions.
    std::fs::write(
        mirror.path().join("endoflife/release-data.tar.gz"),
        release_bytes(&data),
    )
    .unwrap();
    let out = tempfile::tempdir().unwrap();
    let manifest = compile_mirror(mirror.path(), out.path(), "2026-11-26T00:00:00Z").unwrap();
    let release = manifest
        .sources
        .iter()
        .find(|s| s.path == "endoflife/release-data.tar.gz")
        .unwrap();
    assert!(release.error.is_none(), "{:?}", release.error);
    assert!(release.records > 0);
}

fn release_bytes(data: &Path) -> Vec<u8> {
    std::fs::read(data.join("endoflife/release-data.tar.gz")).unwrap()
}

#[test]
fn sources_are_named_as_users_name_them() {
    use vigie_knowledge::compile::source_name;
    for (path, name) in [
        ("osv/crates.io/all.zip", "OSV crates.io"),
        ("osv/GitHub Actions/all.zip", "OSV GitHub Actions"),
        ("kev/known_exploited_vulnerabilities.json", "CISA KEV"),
        (
            "kev/known_exploited_vulnerabilities.2026-08-07.mirror.json",
            "CISA KEV",
        ),
        ("endoflife/products.tar.gz", "endoflife.date products"),
        (
            "endoflife/release-data.tar.gz",
            "endoflife.date release data",
        ),
        ("spdx/licenses.json", "SPDX licence list"),
        ("spdx/exceptions.json", "SPDX licence list"),
        ("spdx/details.tar.gz", "SPDX licence texts"),
        (
            "advisories-native/nodejs-security-wg-vuln.tar.gz",
            "Node.js Security WG",
        ),
        ("advisories-native/ruby-advisory-db.tar.gz", "RubySec"),
        (
            "advisories-native/friendsofphp-security-advisories.tar.gz",
            "FriendsOfPHP",
        ),
        ("osv/x/y/all.zip", "osv/x/y/all.zip"),
        ("other.json", "other.json"),
    ] {
        assert_eq!(source_name(path), name, "{path}");
    }
}

/// The entries of a raw tar.gz whose path (without the top folder) `wanted` accepts, listed
/// with the `tar` crate, not vigie's reader.
fn tar_entries(path: &Path, wanted: impl Fn(&[&str]) -> bool) -> usize {
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap());
    let mut archive = tar::Archive::new(gz);
    archive
        .entries()
        .unwrap()
        .filter(|e| {
            let e = e.as_ref().unwrap();
            let p = e.path().unwrap().to_string_lossy().into_owned();
            let parts: Vec<&str> = p.split('/').skip(1).collect();
            e.header().entry_type().is_file() && wanted(&parts)
        })
        .count()
}

#[test]
fn native_feeds_compile_every_record() {
    let Some(data) = vigie_testkit::data_dir() else {
        return;
    };
    let native = data.join("advisories-native");
    // SOURCES.md: FriendsOfPHP 1,592 advisories; the others counted from their layout
    // (`vuln/npm/<n>.json` beside an `index.json`; `gems/<gem>/*.yml`, `rubies/` aside).
    let expected = [
        (
            "advisories-native/nodejs-security-wg-vuln.tar.gz",
            tar_entries(
                &native.join("nodejs-security-wg-vuln.tar.gz"),
                |p| matches!(p, ["vuln", "npm", f] if *f != "index.json" && f.ends_with(".json")),
            ),
        ),
        (
            "advisories-native/ruby-advisory-db.tar.gz",
            tar_entries(
                &native.join("ruby-advisory-db.tar.gz"),
                |p| matches!(p, ["gems", _, f] if f.ends_with(".yml")),
            ),
        ),
        (
            "advisories-native/friendsofphp-security-advisories.tar.gz",
            1_592,
        ),
    ];
    let reports = vigie_knowledge::native::read_all(&data);
    assert_eq!(reports.len(), 3);
    for ((report, records), (path, count)) in reports.iter().zip(expected) {
        assert_eq!(report.path, path);
        assert!(count > 400, "{path}: {count}");
        assert_eq!(report.records, count, "{path}");
        assert_eq!(records.len(), count, "{path}");
        assert_eq!(report.invalid, 0, "{path}: {:?}", report.problems);
        assert_eq!(report.refused, 0, "{path}: {:?}", report.problems);
        assert!(report.error.is_none(), "{path}");
        // Every record names its package and has a range the matcher can read.
        for (a, affected) in records {
            let p = &affected[0];
            assert!(!p.name.is_empty(), "{}", a.id);
            for v in p.vers.iter().chain(&p.unaffected_vers) {
                vigie_versions::vers::parse(v).unwrap_or_else(|e| panic!("{}: {v}: {e}", a.id));
            }
        }
    }
}
