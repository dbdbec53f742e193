//! Handwritten repositories (`tests/fixtures/`) covering every detector,
//! evaluated on 2026-08-22 with the default 180-day horizon (its end:
//! 2027-02-18) against the real endoflife.date files.
//!
//! Every expected cycle, date and target was read by hand in the product
//! files of `endoflife/products.tar.gz` (file and line of the cycle's
//! `- releaseCycle:` in the comments); day counts were computed apart with
//! Python's `datetime` (`(date(2026,8,22) - date(...)).days`). A target is
//! the oldest newer cycle released and still supported on 2027-02-18; an
//! LTS target the newest cycle whose `lts` is `true` or a passed date.

use crate::common;

use std::path::Path;

use vigie_lifecycle::{Check, CycleMatch, Finding, Lang, Platform, detect};

/// Every file below `dir`, as (path relative to the fixtures, text).
fn files(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, root, out);
        } else {
            let rel = p
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read_to_string(&p).unwrap()));
        }
    }
}

fn cycle(m: &CycleMatch) -> String {
    let v = serde_json::to_value(m).unwrap();
    match m {
        CycleMatch::Cycle { name } => name.clone(),
        CycleMatch::Unpinned { .. } => {
            format!("unpinned({})", v["why"]["reason"].as_str().unwrap())
        }
        CycleMatch::Unknown { .. } => format!("unknown({})", v["why"]["reason"].as_str().unwrap()),
    }
}

/// One line per platform: where, what, cycle | status finding (date, days)
/// | targets | behind.
fn row(p: &Platform, findings: &[Finding]) -> String {
    let status = findings.iter().find(|f| f.check != Check::BehindLatest);
    let behind = findings.iter().find_map(|f| f.behind.as_ref());
    let (check, date, days) = match status {
        Some(f) => (
            f.check.id().to_owned(),
            f.date.map_or("-".into(), |d| d.to_string()),
            f.days.map_or("-".into(), |d| d.to_string()),
        ),
        None => ("-".into(), "-".into(), "-".into()),
    };
    let target = status
        .and_then(|f| f.target.as_ref())
        .map_or("-", |t| t.cycle.as_str());
    let lts = status
        .and_then(|f| f.newest_lts.as_ref())
        .map_or("-", |t| t.cycle.as_str());
    format!(
        "{}:{} {} `{}` {} | {check} {date} {days} | target {target} lts {lts} | behind {}",
        p.evidence.file,
        p.evidence.line.unwrap_or(0),
        p.product,
        p.written,
        cycle(&p.cycle),
        behind.map_or("-", |b| b.latest.as_str()),
    )
}

#[test]
fn every_detection_of_the_fixture_repositories() {
    let Some(k) = common::knowledge() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    files(&root, &root, &mut all);
    let mut detections = Vec::new();
    let mut diagnostics = Vec::new();
    for (path, text) in &all {
        let out = detect::detect_file(path, text);
        detections.extend(out.detections);
        diagnostics.extend(out.diagnostics);
    }
    let (platforms, unknown) = k.platforms(&detections);
    assert!(unknown.is_empty(), "{unknown:?}");
    let policy = common::policy();
    let mut got: Vec<String> = platforms
        .iter()
        .map(|p| row(p, &k.findings(p, &policy)))
        .collect();
    got.sort();

    let mut expected: Vec<&str> = vec![
        // python.md:158 3.8: eol 2024-10-07, latest 3.8.20; python.md:134 3.11: eol 2027-10-31.
        "python-service/.python-version:1 python `3.8.10` 3.8 | eol-passed 2024-10-07 684 | target 3.11 lts - | behind 3.8.20",
        // python.md:150 3.9: eol 2025-10-31, latest 3.9.25.
        "python-service/runtime.txt:1 python `3.9.18` 3.9 | eol-passed 2025-10-31 295 | target 3.11 lts - | behind 3.9.25",
        // python.md:142 3.10: eol 2026-10-31, 70 days ahead (within 180).
        "python-service/pyproject.toml:4 python `>=3.10` 3.10 | eol-soon 2026-10-31 70 | target 3.11 lts - | behind -",
        // python.md:134 3.11: eoas 2024-04-01; python.md:126 3.12: eol 2028-10-31.
        "python-service/pyproject.toml:7 python `^3.11` 3.11 | security-only 2024-04-01 873 | target 3.12 lts - | behind -",
        // ARG substitution; debian.md:59 10 "Buster": eol 2022-09-10, eoes 2024-06-30 (passed);
        // debian.md:50 11 and :41 12 end before 2027-02-18, debian.md:32 13 eol 2028-08-09.
        "python-service/Dockerfile:4 python `python:3.8-slim-buster` 3.8 | eol-passed 2024-10-07 684 | target 3.11 lts - | behind -",
        "python-service/Dockerfile:4 debian `python:3.8-slim-buster` 10 | eol-passed 2022-09-10 1442 | target 13 lts - | behind -",
        // python.md:126 3.12: eoas 2025-04-02; python.md:118 3.13.
        // alpine-linux.md:68 3.19: eol 2025-11-01; :54 3.21 ends 2026-11-01, :47 3.22 2027-05-01.
        "python-service/Dockerfile:9 python `python:3.12-alpine3.19` 3.12 | security-only 2025-04-02 507 | target 3.13 lts - | behind -",
        "python-service/Dockerfile:9 alpine-linux `python:3.12-alpine3.19` 3.19 | eol-passed 2025-11-01 294 | target 3.22 lts - | behind -",
        // nodejs.md:95 18: eol 2025-04-30, `eoes: false` (commercial support, no end);
        // nodejs.md:63 22: eol 2027-04-30; nodejs.md:48 24: lts 2025-10-28 (26 is LTS only from 2026-10-28).
        "node-service/.nvmrc:1 nodejs `lts/hydrogen` 18 | extended-support-only 2025-04-30 479 | target 22 lts 24 | behind -",
        // nodejs.md:79 20: eol 2026-04-30, eoes false, latest 20.20.2.
        "node-service/.node-version:1 nodejs `v20.11.0` 20 | extended-support-only 2026-04-30 114 | target 22 lts 24 | behind 20.20.2",
        // nodejs.md:111 16: eol 2023-09-11, eoes false.
        "node-service/package.json:5 nodejs `>=16 <21` 16 | extended-support-only 2023-09-11 1076 | target 22 lts 24 | behind -",
        // nodejs.md:127 14: eol 2023-04-30, eoes false; the Alpine of node:14-alpine is not written.
        "node-service/docker-compose.yml:3 nodejs `node:14-alpine` 14 | extended-support-only 2023-04-30 1210 | target 22 lts 24 | behind -",
        "node-service/docker-compose.yml:3 alpine-linux `node:14-alpine` unpinned(implied-by-image) | unpinned - - | target 3.22 lts - | behind -",
        // postgresql.md:78 11: eol 2023-11-09; :60 14 ends 2026-11-12, :54 15 2027-11-11.
        "node-service/docker-compose.yml:5 postgresql `postgres:11` 11 | eol-passed 2023-11-09 1017 | target 15 lts - | behind -",
        // redis.md:117 5.0 (the only 5.x cycle): eol 2022-04-27; redis.md:103 6.2: eol 2027-04-01.
        "node-service/docker-compose.yml:7 redis `redis:5` 5.0 | eol-passed 2022-04-27 1578 | target 6.2 lts - | behind -",
        // nginx.md:117 1.18: eol 2021-04-20; nginx.md:39 1.30: eol false (1.28, 1.29 ended).
        "node-service/docker-compose.yml:9 nginx `nginx:1.18` 1.18 | eol-passed 2021-04-20 1950 | target 1.30 lts - | behind -",
        // eclipse-temurin.md:157 8: eol 2030-12-31 (`1.8` is Java 8); :134 17 and :142 11: eol 2027-10-31.
        "jvm-service/pom.xml:8 eclipse-temurin `1.8` 8 | - - - | target - lts - | behind -",
        // apache-maven.md:37 3.9: eol false.
        "jvm-service/Containerfile:1 apache-maven `maven:3.9-eclipse-temurin-17` 3.9 | - - - | target - lts - | behind -",
        "jvm-service/Containerfile:1 eclipse-temurin `maven:3.9-eclipse-temurin-17` 17 | - - - | target - lts - | behind -",
        "jvm-service/Containerfile:4 eclipse-temurin `eclipse-temurin:11-jre-jammy` 11 | - - - | target - lts - | behind -",
        // ubuntu.md:102 22.04 "Jammy Jellyfish": eoas 2024-09-30, eol 2027-04-01 (after the horizon);
        // ubuntu.md:68 24.04 eol 2029-05-31; ubuntu.md:34 26.04 lts true.
        "jvm-service/Containerfile:4 ubuntu `eclipse-temurin:11-jre-jammy` 22.04 | security-only 2024-09-30 691 | target 24.04 lts 26.04 | behind -",
        // go.md:71 1.21: eol 2024-08-13; go.md:47 1.25 ended 2026-08-19, go.md:40 1.26 eol false.
        "go-service/go.mod:3 go `1.21` 1.21 | eol-passed 2024-08-13 739 | target 1.26 lts - | behind -",
        // go.md:65 1.22: eol 2025-02-11, latest 1.22.12.
        "go-service/go.mod:5 go `go1.22.3` 1.22 | eol-passed 2025-02-11 557 | target 1.26 lts - | behind 1.22.12",
        // rust.md:148 1.78: eol 2024-06-13, latest 1.78.0; rust.md:26 1.98 eol false.
        "rust-tool/rust-toolchain.toml:2 rust `1.78.0` 1.78 | eol-passed 2024-06-13 800 | target 1.98 lts - | behind -",
        "rust-legacy/rust-toolchain:1 rust `stable` unpinned(floating) | unpinned - - | target 1.98 lts - | behind -",
        // ruby.md:61 3.1: eol 2025-03-26, latest 3.1.7; ruby.md:49 3.3: eol 2027-03-31.
        "ruby-app/.ruby-version:1 ruby `3.1.4` 3.1 | eol-passed 2025-03-26 514 | target 3.3 lts - | behind 3.1.7",
        // ruby.md:67 3.0: eol 2024-04-23, latest 3.0.7.
        "ruby-app/Gemfile.lock:13 ruby `ruby 3.0.6p216` 3.0 | eol-passed 2024-04-23 851 | target 3.3 lts - | behind 3.0.7",
        // php.md:69 7.4: eol 2022-11-28; php.md:48 8.2 ends 2026-12-31, php.md:41 8.3 2027-12-31.
        "php-app/composer.json:4 php `^7.4 || ^8.0` 7.4 | eol-passed 2022-11-28 1363 | target 8.3 lts - | behind -",
        // dotnet.md:85 6: eol 2024-11-12; dotnet.md:72 8 and :66 9 end 2026-11-10; dotnet.md:59 10 LTS 2028-11-14.
        "dotnet-app/global.json:3 dotnet `6.0.420` 6 | eol-passed 2024-11-12 648 | target 10 lts 10 | behind -",
        "dotnet-app/src/App.csproj:4 dotnet `net6.0` 6 | eol-passed 2024-11-12 648 | target 10 lts 10 | behind -",
        // dotnetfx.md:33 4.8: eol false.
        "dotnet-app/src/App.csproj:4 dotnetfx `net48` 4.8 | - - - | target - lts - | behind -",
        // nodejs.md:95 18 latest 18.20.8.
        "polyglot/.tool-versions:2 nodejs `18.19.0` 18 | extended-support-only 2025-04-30 479 | target 22 lts 24 | behind 18.20.8",
        // python.md:134 3.11 latest 3.11.16.
        "polyglot/.tool-versions:3 python `3.11.7` 3.11 | security-only 2024-04-01 873 | target 3.12 lts - | behind 3.11.16",
        // go.md:77 1.20: eol 2024-02-06, latest 1.20.14.
        "polyglot/.tool-versions:4 go `1.20.14` 1.20 | eol-passed 2024-02-06 928 | target 1.26 lts - | behind -",
        // eclipse-temurin.md:134 17: latest 17.0.20.1+1.
        "polyglot/.tool-versions:5 eclipse-temurin `temurin-17.0.10+7` 17 | - - - | target - lts - | behind 17.0.20.1+1",
        // ruby.md:55 3.2: eol 2026-03-31, latest 3.2.11.
        "polyglot/.tool-versions:6 ruby `3.2.3` 3.2 | eol-passed 2026-03-31 144 | target 3.3 lts - | behind 3.2.11",
        "k8s/deploy.yaml:10 debian `debian:buster` 10 | eol-passed 2022-09-10 1442 | target 13 lts - | behind -",
        // ubuntu.md:170 18.04: eol 2023-05-31, eoes 2028-04-01 (extended support goes on).
        "k8s/deploy.yaml:13 ubuntu `ubuntu:18.04` 18.04 | extended-support-only 2023-05-31 1179 | target 22.04 lts 26.04 | behind -",
        // Unpinned: the target is the oldest cycle supported on 2027-02-18 (python.md:142 3.10 is not).
        "k8s/deploy.yaml:15 python `python` unpinned(no-tag) | unpinned - - | target 3.11 lts - | behind -",
        "k8s/deploy.yaml:17 nodejs `node:latest` unpinned(latest) | unpinned - - | target 22 lts 24 | behind -",
        "k8s/deploy.yaml:19 redis `redis@sha256:0f97c1c9daf5b69b93390ccbe8d3e2971617ec4801fd0882c72bf7cad3a13494` unknown(digest-only) | unknown-cycle - - | target 6.2 lts - | behind -",
        "k8s/deploy.yaml:21 ubuntu `ubuntu:jammy` 22.04 | security-only 2024-09-30 691 | target 24.04 lts 26.04 | behind -",
        // postgresql.md:102 9.4: eol 2020-02-13, latest 9.4.26.
        "k8s/deploy.yaml:32 postgresql `postgres:9.4.26` 9.4 | eol-passed 2020-02-13 2382 | target 15 lts - | behind -",
    ];
    expected.sort();
    assert_eq!(got, expected);

    let codes: Vec<_> = diagnostics
        .iter()
        .map(|d| format!("{}:{} {}", d.file, d.line.unwrap_or(0), d.code))
        .collect();
    assert_eq!(
        codes,
        ["node-service/docker-compose.yml:11 unresolved-variable"]
    );
}

#[test]
fn texts_in_english_and_french() {
    let Some(k) = common::knowledge() else { return };
    let out = detect::detect_file("app/.nvmrc", "lts/hydrogen\n");
    let (platforms, _) = k.platforms(&out.detections);
    let f = k.findings(&platforms[0], &common::policy()).remove(0);
    assert_eq!(
        f.message(Lang::En),
        "Node.js 18 reached end of life on 2025-04-30; only extended (often paid) support remains, \
         no end date announced. Move to 22 (supported until 2027-04-30); newest LTS: 24 (supported until 2028-04-30)."
    );
    assert_eq!(
        f.message(Lang::Fr),
        "Node.js 18 est en fin de vie depuis le 2025-04-30 ; seul le support étendu (souvent payant) reste, \
         sans date de fin annoncée. Passer à 22 (maintenu jusqu'au 2027-04-30) ; dernière LTS : 24 (maintenu jusqu'au 2028-04-30)."
    );
    let out = detect::detect_file("Dockerfile", "FROM debian:buster-slim\n");
    let (platforms, _) = k.platforms(&out.detections);
    let f = k.findings(&platforms[0], &common::policy()).remove(0);
    // products/debian.md labels cycles "__RELEASE_CYCLE__ (__CODENAME__)".
    assert_eq!(
        f.message(Lang::En),
        "Debian 10 (Buster) reached end of life on 2022-09-10 (1442 days ago). Move to 13 (Trixie) (supported until 2028-08-09)."
    );
}

#[test]
fn forecast_of_the_fixture_repositories() {
    use vigie_lifecycle::{Milestone, Status};
    let Some(k) = common::knowledge() else { return };
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut all = Vec::new();
    files(&root, &root, &mut all);
    let detections: Vec<_> = all
        .iter()
        .flat_map(|(p, t)| detect::detect_file(p, t).detections)
        .collect();
    let (platforms, _) = k.platforms(&detections);
    let f = k.forecast(&platforms, &common::policy(), 24);
    assert_eq!(
        (f.from.to_string(), f.until.to_string()),
        ("2026-08-22".into(), "2028-08-22".into())
    );
    // 43 platforms (the rows of the test above) in 36 product cycles: Python 3.8 and
    // 3.11, Node.js 18, Temurin 17, Ubuntu 22.04, Debian 10 and .NET 6 are found twice.
    assert_eq!(
        f.rows.iter().map(|r| r.places).sum::<usize>(),
        platforms.len()
    );
    assert_eq!(platforms.len(), 43);
    assert_eq!(f.rows.len(), 36);
    assert!(
        f.rows.windows(2).all(|w| w[0].status <= w[1].status),
        "most urgent first"
    );
    let row = |product: &str, cycle: &str| {
        f.rows
            .iter()
            .find(|r| r.product == product && r.cycle.name() == Some(cycle))
            .unwrap_or_else(|| panic!("{product} {cycle}"))
    };
    let events = |r: &vigie_lifecycle::Row| {
        r.events
            .iter()
            .map(|e| format!("{} {:?}", e.date, e.milestone))
            .collect::<Vec<_>>()
    };
    let py38 = row("python", "3.8");
    assert_eq!(py38.status, Status::EndOfLife);
    assert_eq!(py38.written, ["3.8.10", "python:3.8-slim-buster"]);
    assert_eq!(py38.places, 2);
    assert!(py38.events.is_empty());
    // python.md:142 3.10: eoas 2023-04-05 passed, eol 2026-10-31 within 24 months.
    let py310 = row("python", "3.10");
    assert_eq!(py310.status, Status::SecurityOnly);
    assert_eq!(events(py310), ["2026-10-31 EndOfLife"]);
    // ubuntu.md:170 18.04: eol passed, eoes 2028-04-01 (before 2028-08-22).
    let bionic = row("ubuntu", "18.04");
    assert_eq!(bionic.status, Status::ExtendedOnly);
    assert_eq!(events(bionic), ["2028-04-01 ExtendedSupportEnds"]);
    assert_eq!(bionic.cycle_label.as_deref(), Some("18.04 'Bionic Beaver'"));
    // ubuntu.md:102 22.04: eol 2027-04-01; eoes 2032-04-09 is beyond the forecast.
    let jammy = row("ubuntu", "22.04");
    assert_eq!(events(jammy), ["2027-04-01 EndOfLife"]);
    assert_eq!(jammy.places, 2);
    // eclipse-temurin.md:142 11: supported, eol 2027-10-31; :157 8 ends 2030-12-31.
    assert_eq!(row("eclipse-temurin", "11").status, Status::Supported);
    assert_eq!(
        events(row("eclipse-temurin", "11")),
        ["2027-10-31 EndOfLife"]
    );
    assert!(row("eclipse-temurin", "8").events.is_empty());
    assert_eq!(row("dotnet", "6").places, 2);
    assert!(f.rows.iter().all(|r| {
        r.events.iter().all(|e| {
            e.milestone != Milestone::ActiveSupportEnds
                || r.eoas.and_then(|d| d.date()) == Some(e.date)
        })
    }));
    let json = serde_json::to_value(&f).unwrap();
    assert_eq!(json["rows"][0]["status"], "end-of-life");
}

#[test]
fn unpinned_texts_suggest_a_pin() {
    let Some(k) = common::knowledge() else { return };
    let out = detect::detect_file(
        "k8s/pod.yaml",
        "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n    - image: node\n",
    );
    let (platforms, _) = k.platforms(&out.detections);
    let f = k.findings(&platforms[0], &common::policy()).remove(0);
    assert_eq!(f.check, Check::Unpinned);
    assert_eq!(Check::from_id("unpinned"), Some(Check::Unpinned));
    assert_eq!(
        f.message(Lang::En),
        "Node.js: `node` pins no version (no tag: `latest` is pulled, whatever it is that day). \
         Pin a supported cycle, such as 22 (supported until 2027-04-30); newest LTS: 24 (supported until 2028-04-30)."
    );
    assert_eq!(
        f.message(Lang::Fr),
        "Node.js : `node` ne fixe pas de version (pas d'étiquette : c'est `latest` qui est tiré, quelle qu'elle soit ce jour-là). \
         Fixer un cycle maintenu, par exemple 22 (maintenu jusqu'au 2027-04-30) ; dernière LTS : 24 (maintenu jusqu'au 2028-04-30)."
    );
}
