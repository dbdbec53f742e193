//! The real lockfiles of the reference data, read with vigie's discovery
//! readers: the components that are endoflife.date products (through their
//! purls) are mapped to the right cycle, and the findings on 2026-08-22 name
//! it. Cycles and dates were read by hand in the product files (file:line of
//! the cycle), day counts computed apart with Python's `datetime`.

use crate::common;

use vigie_lifecycle::{Check, Finding, Kind, Platform, detect};

/// The platforms of the components of one lockfile, with their findings.
fn assess(reader: &str, rel: &str) -> Option<Vec<(Platform, Vec<Finding>)>> {
    let (out, file) = common::read_lockfile(reader, rel)?;
    assess_output(&out, &file)
}

/// The platforms of the components a reader gave for `file`, with their findings.
fn assess_output(
    out: &vigie_discovery::Output,
    file: &str,
) -> Option<Vec<(Platform, Vec<Finding>)>> {
    let k = common::knowledge()?;
    let files = vec![file; out.components.len()];
    let detections = k.component_detections(&out.components, &files);
    let (platforms, unknown) = k.platforms(&detections);
    assert!(unknown.is_empty());
    let policy = common::policy();
    Some(
        platforms
            .into_iter()
            .map(|p| {
                let f = k.findings(&p, &policy);
                (p, f)
            })
            .collect(),
    )
}

fn summary(p: &Platform, findings: &[Finding]) -> String {
    let status = findings.iter().find(|f| f.check != Check::BehindLatest);
    let behind = findings.iter().find_map(|f| f.behind.as_ref());
    format!(
        "{} {} {} | {} {} {} | target {} lts {} | behind {}",
        p.product,
        p.written,
        p.cycle.name().unwrap_or("?"),
        status.map_or("-", |f| f.check.id()),
        status
            .and_then(|f| f.date)
            .map_or("-".into(), |d| d.to_string()),
        status
            .and_then(|f| f.days)
            .map_or("-".into(), |d| d.to_string()),
        status
            .and_then(|f| f.target.as_ref())
            .map_or("-", |t| t.cycle.as_str()),
        status
            .and_then(|f| f.newest_lts.as_ref())
            .map_or("-", |t| t.cycle.as_str()),
        behind.map_or("-", |b| b.latest.as_str()),
    )
}

fn summaries(reader: &str, rel: &str) -> Option<Vec<String>> {
    let all = assess(reader, rel)?;
    assert!(
        all.iter()
            .all(|(p, _)| p.kind == Kind::Component && p.evidence.file == rel)
    );
    Some(all.iter().map(|(p, f)| summary(p, f)).collect())
}

#[test]
fn django_of_a_pip_requirements_file() {
    // `django==2.2.24` (the only pinned product). django.md:149 2.2: lts, eol 2022-04-11,
    // latest 2.2.28; django.md:99 4.2 ends 2026-04-07; django.md:74 5.2 lts, eol 2028-04-30.
    let Some(got) = summaries(
        "requirements-txt",
        "lockfiles/osv-scanner-fixtures/pip/one-package-constrained.txt",
    ) else {
        return;
    };
    assert_eq!(
        got,
        ["django 2.2.24 2.2 | eol-passed 2022-04-11 1594 | target 5.2 lts 5.2 | behind 2.2.28"]
    );
}

#[test]
fn spring_boot_of_a_gradle_lockfile() {
    // spring-boot-autoconfigure 2.7.4, -starter-aop 2.7.7, -starter-data-jpa 2.7.8 are
    // identifiers of products/spring-boot.md (configuration-processor and devtools are
    // not). spring-boot.md:127 2.7: eol 2023-06-30, eoes 2029-06-30 (extended support),
    // latest 2.7.18; spring-boot.md:71 4.0 ends 2026-12-31, spring-boot.md:63 4.1 2027-07-31.
    let Some(got) = summaries(
        "gradle-lockfile",
        "lockfiles/osv-scanner-fixtures/gradle/5-pkg",
    ) else {
        return;
    };
    let row = |v: &str| {
        format!(
            "spring-boot {v} 2.7 | extended-support-only 2023-06-30 1149 | target 4.1 lts - | behind 2.7.18"
        )
    };
    assert_eq!(got, [row("2.7.4"), row("2.7.7"), row("2.7.8")]);
}

#[test]
fn spring_boot_of_a_maven_parent() {
    // spring-petclinic/pom.xml: parent spring-boot-starter-parent 4.0.3 (line 8), the
    // Spring Boot version of the project. spring-boot.md:71 4.0: eol 2026-12-31
    // (131 days ahead, within 180), latest 4.0.8; spring-boot.md:63 4.1: eol 2027-07-31.
    let Some(got) = summaries("pom-xml", "lockfiles/spring-petclinic/pom.xml") else {
        return;
    };
    assert_eq!(
        got,
        ["spring-boot 4.0.3 4.0 | eol-soon 2026-12-31 131 | target 4.1 lts - | behind 4.0.8"]
    );
}

#[test]
fn laravel_of_a_composer_lock() {
    // bookstack/composer.lock: laravel/framework v10.48.22 (the reader keeps the package's own
    // version, `v` and all; its cycle and how far behind it is are read without the `v`).
    // laravel.md:71 10: eol 2025-02-04, latest 10.50.3; laravel.md:63 11 ends 2026-03-12,
    // laravel.md:55 12 2027-02-24. Also guzzlehttp/guzzle 7.9.2 (composer.lock line 1461),
    // an identifier of guzzle.md: guzzle.md:35 7: eol false, latest 7.15.3.
    let Some(got) = summaries("composer-lock", "lockfiles/bookstack/composer.lock") else {
        return;
    };
    assert_eq!(
        got,
        [
            "guzzle 7.9.2 7 | - - - | target - lts - | behind 7.15.3",
            "laravel v10.48.22 10 | eol-passed 2025-02-04 564 | target 12 lts - | behind 10.50.3",
        ]
    );
}

#[test]
fn eslint_of_a_package_json_without_its_lockfile() {
    // The real package.json files read alone, as if no lockfile were beside them: only
    // prettier's pins a product, eslint "10.6.0" (devDependencies); the others name products
    // by ranges (eslint "^8.55.0", jquery "^3.7.0"...), unresolved, so not mapped to a cycle.
    // eslint.md:40 10: eol false, latest 10.9.0.
    let Some(data) = common::data_dir() else {
        return;
    };
    let reader = vigie_discovery::registry::by_id("package-json").unwrap();
    let mut got = Vec::new();
    let projects = vigie_testkit::lockfile_folders_with("package.json").unwrap();
    assert_eq!(projects.len(), 5, "{projects:?}");
    for project in projects {
        let rel = format!("lockfiles/{project}/package.json");
        let text = std::fs::read_to_string(data.join(&rel)).unwrap();
        let none = vigie_discovery::MemorySource::new();
        let out = vigie_discovery::read_file_as(reader, &rel, &text, &none);
        for (p, f) in assess_output(&out, &rel).unwrap() {
            got.push(format!("{project}: {}", summary(&p, &f)));
        }
    }
    assert_eq!(
        got,
        ["prettier: eslint 10.6.0 10 | - - - | target - lts - | behind 10.9.0"]
    );
}

#[test]
fn rails_of_two_gemfile_locks() {
    // Both lock rails 8.1.3.1 (Gemfile.lock lines 661 and 735). ruby-on-rails.md:30 8.1:
    // eoas 2026-10-10, eol 2027-10-10, latest 8.1.3.1: supported and current today.
    // openstreetmap-website also locks bootstrap 5.3.8 (line 160), an identifier of
    // bootstrap.md: bootstrap.md:28 5: eol false, latest 5.3.8.
    let rails = "ruby-on-rails 8.1.3.1 8.1 | - - - | target - lts - | behind -";
    let bootstrap = "bootstrap 5.3.8 5 | - - - | target - lts - | behind -";
    let Some(got) = summaries("gemfile-lock", "lockfiles/rubygems.org/Gemfile.lock") else {
        return;
    };
    assert_eq!(got, [rails]);
    let Some(got) = summaries(
        "gemfile-lock",
        "lockfiles/openstreetmap-website/Gemfile.lock",
    ) else {
        return;
    };
    assert_eq!(got, [bootstrap, rails]);
    // On 2027-01-01 active support is over: security fixes only since 2026-10-10 (83 days).
    let Some(k) = common::knowledge() else { return };
    let Some(all) = assess("gemfile-lock", "lockfiles/rubygems.org/Gemfile.lock") else {
        return;
    };
    let later = vigie_lifecycle::Policy::new(jiff::civil::date(2027, 1, 1));
    let f = k.findings(&all[0].0, &later);
    assert_eq!(f.len(), 1);
    assert_eq!(
        (f[0].check, f[0].cycle.name(), f[0].days),
        (Check::SecurityOnly, Some("8.1"), Some(83))
    );
}

#[test]
fn ruby_version_of_a_real_gemfile_lock() {
    // rubygems.org/Gemfile.lock line 1380: `ruby 4.0.6`; ruby.md:36 4.0: eol 2029-03-31,
    // latest 4.0.6.
    let Some(k) = common::knowledge() else { return };
    let Some(dir) = common::data_dir() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("lockfiles/rubygems.org/Gemfile.lock")).unwrap();
    let out = detect::detect_file("rubygems.org/Gemfile.lock", &text);
    let (platforms, _) = k.platforms(&out.detections);
    assert_eq!(platforms.len(), 1);
    let p = &platforms[0];
    assert_eq!(
        (p.product.as_str(), p.cycle.name(), p.evidence.line),
        ("ruby", Some("4.0"), Some(1380))
    );
    assert!(k.findings(p, &common::policy()).is_empty());
}
