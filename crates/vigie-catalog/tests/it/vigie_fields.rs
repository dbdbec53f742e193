//! vigie's fields: the annotation and block forms mean the same thing,
//! values are validated, and the warnings fire on hand-computed dates and
//! countries.

use vigie_catalog::{CheckOptions, Criticality, Diagnostic, Severity, country, load};

fn check(text: &str, today: jiff::civil::Date) -> Vec<Diagnostic> {
    load([("c.yaml", text)]).check(&CheckOptions::new(today))
}

fn codes(d: &[Diagnostic], sev: Severity) -> Vec<(&'static str, u32)> {
    d.iter()
        .filter(|d| d.severity == sev)
        .map(|d| (d.code.as_str(), d.line.unwrap_or(0)))
        .collect()
}

const TEAM: &str = "
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: team-a}
spec: {type: team, children: [], members: [ann, bob]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: ann}
spec: {}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: bob}
spec: {}
---
apiVersion: vigie.dev/v1
kind: Resource
metadata: {name: mailer}
spec: {vigie: {hosting: {country: US, transferBasis: scc}}}
";

#[test]
fn annotations_and_block_are_equivalent() {
    let annotated = "\
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: crm
  annotations:
    vigie.dev/kind: saas
    vigie.dev/lifecycle: phase-out
    vigie.dev/criticality: moderate
    vigie.dev/exposure: public
    vigie.dev/repositories: ../crm-sync, https://git.example.com/crm.git
    vigie.dev/platforms: postgresql 12, managed; redis
    vigie.dev/hosting-provider: crmcloud
    vigie.dev/hosting-country: de
    vigie.dev/personal-data: identity, contact
    vigie.dev/personal-data-subjects: customers
    vigie.dev/personal-data-sensitive: \"false\"
    vigie.dev/legal-basis: contract
    vigie.dev/purposes: sales; support
    vigie.dev/retention: 2 years
    vigie.dev/processors: resource:mailer
    vigie.dev/cost-per-year: 1_200.50 EUR
    vigie.dev/contract-vendor: CRM Cloud GmbH
    vigie.dev/contract-end: 2027-03-31
    vigie.dev/notice-period-days: \"60\"
    vigie.dev/saas-category: CRM
    vigie.dev/backup-owner: ann
spec: {type: saas, owner: team-a}
";
    let block = "\
apiVersion: vigie.dev/v1
kind: Resource
metadata: {name: crm}
spec:
  type: saas
  owner: team-a
  vigie:
    kind: saas
    lifecycle: phase-out
    criticality: 3
    exposure: true
    repositories: [../crm-sync, https://git.example.com/crm.git]
    platforms: [\"postgresql 12, managed\", redis]
    hosting: {provider: crmcloud, country: DE}
    personalData:
      categories: [identity, contact]
      subjects: [customers]
      sensitive: false
      legalBasis: contract
      purposes: [sales, support]
      retention: 2 years
      processors: [resource:mailer]
    cost: {amount: 1200.5, currency: EUR}
    contract: {vendor: CRM Cloud GmbH, end: 2027-03-31, noticeDays: 60}
    saasCategory: crm
    backupOwner: user:ann
";
    let a = load([("cat/a.yaml", format!("{annotated}{TEAM}").as_str())]);
    let b = load([("cat/b.yaml", format!("{block}{TEAM}").as_str())]);
    assert!(a.diagnostics.is_empty(), "{:#?}", a.diagnostics);
    assert!(b.diagnostics.is_empty(), "{:#?}", b.diagnostics);
    let va = serde_json::to_value(&a.entities[0].vigie).unwrap();
    let vb = serde_json::to_value(&b.entities[0].vigie).unwrap();
    assert_eq!(va, vb);
    // Read by hand off the YAML above.
    assert_eq!(va["criticality"], 3);
    assert_eq!(va["exposure"], "public");
    assert_eq!(va["hosting"]["country"], "DE");
    assert_eq!(va["repositories"][0]["path"], "crm-sync");
    assert_eq!(va["platforms"][1]["name"], "redis");
    assert_eq!(va["cost"]["amount"], 1200.5);
    assert_eq!(
        va["personalData"]["processors"][0]["entity"],
        "resource:default/mailer"
    );
}

#[test]
fn a_field_given_twice_is_an_error() {
    let t = format!(
        "apiVersion: vigie.dev/v1\nkind: System\nmetadata:\n  name: s\n  annotations: {{vigie.dev/criticality: \"2\"}}\nspec:\n  owner: team-a\n  vigie:\n    criticality: 3\n{TEAM}"
    );
    let d = check(&t, jiff::civil::date(2026, 1, 1));
    assert_eq!(codes(&d, Severity::Error), [("vigie-field-twice", 9)]);
}

#[test]
fn criticality_scale() {
    let names = ["minimal", "low", "moderate", "high", "vital"];
    for (i, n) in names.iter().enumerate() {
        let c = Criticality::parse(n).unwrap();
        assert_eq!(usize::from(c.0), i + 1);
        assert_eq!(Criticality::parse(&(i + 1).to_string()), Some(c));
        assert_eq!(c.name(), *n);
    }
    for bad in ["0", "6", "-1", "critical", ""] {
        assert_eq!(Criticality::parse(bad), None, "{bad}");
    }
}

#[test]
fn contract_renewal_window_is_ninety_days() {
    // 2026-01-01 + 90 days = 2026-04-01 (31 + 28 + 31 = 90).
    let today = jiff::civil::date(2026, 1, 1);
    let saas = |end: &str, lifecycle: &str| {
        format!(
            "apiVersion: vigie.dev/v1\nkind: Resource\nmetadata: {{name: tool}}\nspec:\n  owner: team-a\n  vigie:\n    lifecycle: {lifecycle}\n    contract: {{end: {end}, noticeDays: 30}}\n{TEAM}"
        )
    };
    let w = |end: &str, lc: &str| codes(&check(&saas(end, lc), today), Severity::Warning);
    assert_eq!(w("2026-04-01", "active"), [("contract-renewal", 8)]);
    assert!(w("2026-04-02", "active").is_empty());
    assert_eq!(w("2026-01-01", "active"), [("contract-renewal", 8)]);
    assert_eq!(w("2025-12-31", "active"), [("contract-past", 8)]);
    assert!(w("2026-02-01", "retired").is_empty());
    let d = check(&saas("2026-04-01", "active"), today);
    // 2026-04-01 minus 30 days of notice is 2026-03-02.
    assert!(
        d[0].message
            .contains("in 90 days; notice (30 days) due by 2026-03-02"),
        "{}",
        d[0].message
    );
}

#[test]
fn personal_data_outside_the_eea() {
    let today = jiff::civil::date(2026, 1, 1);
    let store = |country: &str, basis: &str, processors: &str| {
        format!(
            "apiVersion: vigie.dev/v1\nkind: Resource\nmetadata: {{name: db}}\nspec:\n  owner: team-a\n  vigie:\n    hosting: {{country: {country}{basis}}}\n    personalData:\n      categories: [identity]\n      processors: {processors}\n{TEAM}"
        )
    };
    let w = |c: &str, b: &str, p: &str| codes(&check(&store(c, b, p), today), Severity::Warning);
    // Norway is in the EEA, Switzerland is not (adequacy must be stated).
    assert!(w("NO", "", "[]").is_empty());
    assert_eq!(w("CH", "", "[]"), [("personal-data-transfer", 7)]);
    assert!(w("CH", ", transferBasis: adequacy", "[]").is_empty());
    // mailer (in TEAM) is in the US with SCCs: fine; a processor in India
    // written inline without a basis is not.
    assert!(w("FR", "", "[resource:mailer]").is_empty());
    assert_eq!(
        w("FR", "", "[{name: Outsourcer, country: IN}]"),
        [("personal-data-transfer", 10)]
    );
    // A processor reference that is not in the catalog is an error.
    let d = check(&store("FR", "", "[resource:nobody]"), today);
    assert_eq!(codes(&d, Severity::Error), [("dangling-reference", 10)]);
}

#[test]
fn members_through_member_of_count_as_a_second_owner() {
    let t = "\
apiVersion: vigie.dev/v1
kind: System
metadata: {name: core}
spec:
  owner: duo
  vigie: {criticality: 5}
---
apiVersion: backstage.io/v1alpha1
kind: Group
metadata: {name: duo}
spec: {type: team, children: []}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: x}
spec: {memberOf: [duo]}
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata: {name: y}
spec: {memberOf: [duo]}
";
    let d = check(t, jiff::civil::date(2026, 1, 1));
    assert!(d.is_empty(), "{d:#?}");
    // With one member, the warning points at the criticality line.
    let one = t.replace("spec: {memberOf: [duo]}\n", "spec: {}\n");
    let one = one.replacen("spec: {}\n", "spec: {memberOf: [duo]}\n", 1);
    let d = check(&one, jiff::civil::date(2026, 1, 1));
    assert_eq!(codes(&d, Severity::Warning), [("critical-single-owner", 6)]);
}

#[test]
fn country_codes_match_debian_iso_codes() {
    // Independent list: Debian's iso-codes package (`.ci/run` installs it).
    // Skipped loudly without it, unless `VIGIE_REQUIRE_DATA=1` (CI).
    let path = std::path::Path::new("/usr/share/iso-codes/json/iso_3166-1.json");
    let Ok(text) = std::fs::read_to_string(path) else {
        vigie_testkit::skip_or_fail(&format!(
            "{} not found (apt-get install iso-codes)",
            path.display()
        ));
        return;
    };
    let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut theirs: Vec<String> = doc["3166-1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["alpha_2"].as_str().unwrap().to_owned())
        .collect();
    theirs.sort();
    let ours: Vec<String> = country::ISO_3166_ALPHA2
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(ours, theirs);
    // 27 EU states + Iceland, Liechtenstein, Norway.
    assert_eq!(country::EEA.len(), 30);
    assert!(
        country::EEA
            .iter()
            .all(|c| country::country_code(c).is_some())
    );
    assert!(!country::in_eea("GB") && !country::in_eea("CH") && country::in_eea("LI"));
}
