//! The real endoflife.date archives compile completely, and the stored form
//! round-trips. Counts are made independently, on the raw archive entries.

use crate::common;

use std::io::Read;

use vigie_lifecycle::{DateOrBool, Knowledge, parse_date};

/// Every `(path, text)` of a tar.gz, read with flate2 and tar directly.
fn entries(bytes: &[u8]) -> Vec<(String, String)> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut out = Vec::new();
    for e in archive.entries().unwrap() {
        let mut e = e.unwrap();
        let path = e.path().unwrap().to_string_lossy().into_owned();
        let mut text = String::new();
        if e.header().entry_type().is_file() {
            e.read_to_string(&mut text).unwrap();
            out.push((path, text));
        }
    }
    out
}

#[test]
fn every_product_and_cycle_of_the_real_archive() {
    let Some(products) = common::read("endoflife/products.tar.gz") else {
        return;
    };
    let Some(releases) = common::read("endoflife/release-data.tar.gz") else {
        return;
    };
    let raw = entries(&products);
    let files: Vec<_> = raw
        .iter()
        .filter(|(p, _)| p.starts_with("products/") && p.ends_with(".md"))
        .collect();
    // A release entry is a YAML list item `- releaseCycle:`; the `auto:`
    // sections also hold `releaseCycle: "<column>"` keys, never as list items.
    let cycles: usize = files
        .iter()
        .flat_map(|(_, t)| t.lines())
        .filter(|l| {
            l.trim_start()
                .strip_prefix('-')
                .is_some_and(|r| r.trim_start().starts_with("releaseCycle:"))
        })
        .count();
    let raw_versions = entries(&releases);
    let version_count: usize = raw_versions
        .iter()
        .filter(|(p, _)| p.starts_with("releases/"))
        .filter_map(|(p, t)| {
            let v: serde_json::Value = serde_json::from_str(t).ok()?;
            let name = p.strip_prefix("releases/")?.strip_suffix(".json")?;
            files
                .iter()
                .any(|(f, _)| *f == format!("products/{name}.md"))
                .then(|| v["versions"].as_object().map_or(0, |o| o.len()))
        })
        .sum();

    let (k, report) = Knowledge::compile(&products, Some(&releases), &Default::default()).unwrap();
    assert!(report.skipped.is_empty(), "{:#?}", report.skipped);
    // SOURCES.md says 464 products and 8,321 cycles; the files hold 464 and
    // 8,351 (this count, and PyYAML's, agree on 8,351).
    assert_eq!(files.len(), 464);
    assert_eq!(cycles, 8351);
    assert_eq!(report.products, files.len());
    assert_eq!(k.products.len(), files.len());
    assert_eq!(report.cycles, cycles);
    assert_eq!(report.versions, version_count);
    // release-data files of products that endoflife.date no longer lists.
    assert!(
        report
            .unmatched_release_files
            .contains(&"redhat".to_owned())
    );
}

#[test]
fn fields_as_the_files_write_them() {
    let Some(k) = common::knowledge() else { return };
    let d = |s| DateOrBool::Date(parse_date(s).unwrap());
    // products/python.md, `releaseCycle: "3.10"` (line 140 of the file).
    let py = k.product("python").unwrap();
    assert_eq!(py.title, "Python");
    assert_eq!(py.category, "lang");
    let c = py.cycle("3.10").unwrap();
    assert_eq!(c.release_date, parse_date("2021-10-04"));
    assert_eq!(c.eoas, Some(d("2023-04-05")));
    assert_eq!(c.eol, Some(d("2026-10-31")));
    assert_eq!(c.latest.as_deref(), Some("3.10.21"));
    // `eoas: true` for 3.5.
    assert_eq!(py.cycle("3.5").unwrap().eoas, Some(DateOrBool::Bool(true)));
    // products/nodejs.md: `lts: 2024-10-29` for 22, `eoes: false`; alias /node.
    let node = k.product("node").unwrap();
    assert_eq!(node.name, "nodejs");
    let c22 = node.cycle("22").unwrap();
    assert_eq!(c22.lts, Some(d("2024-10-29")));
    assert_eq!(c22.eoes, Some(DateOrBool::Bool(false)));
    // products/debian.md: codename and template label.
    let deb = k.product("debian").unwrap();
    let buster = deb.cycle("10").unwrap();
    assert_eq!(buster.codename.as_deref(), Some("Buster"));
    assert_eq!(deb.cycle_label(buster), "10 (Buster)");
    // Identifiers.
    assert_eq!(
        k.product_for_purl("pkg:pypi/Django@4.2.7").unwrap().name,
        "django"
    );
    assert_eq!(
        k.product_for_purl("pkg:composer/laravel/framework@v10.48.22")
            .unwrap()
            .name,
        "laravel"
    );
    assert_eq!(
        k.product_for_purl("pkg:gem/rails@7.1.0").unwrap().name,
        "ruby-on-rails"
    );
    assert_eq!(
        k.product_for_purl("pkg:maven/org.springframework.boot/spring-boot@3.2.0")
            .unwrap()
            .name,
        "spring-boot"
    );
    assert_eq!(
        k.product_for_image("docker.io/library/postgres")
            .unwrap()
            .name,
        "postgresql"
    );
    assert_eq!(
        k.product_for_image("docker.io/library/debian")
            .unwrap()
            .name,
        "debian"
    );
    // release-data: python 3.10.21 released 2026-08-13 (releases/python.json).
    assert!(
        py.versions
            .contains(&("3.10.21".into(), parse_date("2026-08-13").unwrap()))
    );
}

#[test]
fn every_product_a_detector_or_convention_names_exists() {
    let Some(k) = common::knowledge() else { return };
    for name in vigie_lifecycle::detect::product_names() {
        assert!(
            k.product(name).is_some(),
            "{name} is not an endoflife.date product"
        );
    }
    for (repo, name) in vigie_lifecycle::image::CONVENTIONS {
        assert!(
            k.product(name).is_some(),
            "{repo}: {name} is not an endoflife.date product"
        );
    }
}

#[test]
fn stored_form_round_trips() {
    let Some(k) = common::knowledge() else { return };
    let json = k.to_json();
    let back = Knowledge::from_json(&json).unwrap();
    assert_eq!(back.products, k.products);
    assert_eq!(back.product("postgres").unwrap().name, "postgresql");
    let mut v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    v["format"] = 99.into();
    assert!(Knowledge::from_json(&serde_json::to_vec(&v).unwrap()).is_err());
    assert!(Knowledge::from_json(b"{").is_err());
}
