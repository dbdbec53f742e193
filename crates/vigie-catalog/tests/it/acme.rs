//! The example estate's catalog (examples/acme): it loads without error,
//! and the warnings, owners, systems of repositories and GDPR record are
//! the ones worked out by hand from the YAML (see the comments).

use std::path::PathBuf;

use vigie_catalog::{Catalog, CheckOptions, EntityRef, Severity, is_catalog_file, load};

/// Display paths relative to the workspace root, like `vigie catalog check examples/acme`.
fn files() -> Vec<(String, String)> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::from("examples/acme")];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(root.join(&dir)).unwrap() {
            let entry = entry.unwrap();
            let rel = dir.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                stack.push(rel);
            } else {
                let display = rel.to_string_lossy().into_owned();
                if is_catalog_file(&display) {
                    let text = std::fs::read_to_string(root.join(&rel)).unwrap();
                    out.push((display, text));
                }
            }
        }
    }
    out.sort();
    out
}

fn acme() -> Catalog {
    let f = files();
    load(f.iter().map(|(p, t)| (p.as_str(), t.as_str())))
}

const PROJECTS: [&str; 8] = [
    "billing-api",
    "edge-proxy",
    "inventory-service",
    "legacy-portal",
    "ops-tools",
    "payments-gateway",
    "platform",
    "storefront",
];

fn r(s: &str) -> EntityRef {
    EntityRef::parse(s, None, "default").unwrap()
}

#[test]
fn example_catalog_files_are_found() {
    let names: Vec<String> = files().into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        names,
        [
            "examples/acme/catalog/data-stores.yaml",
            "examples/acme/catalog/org.yaml",
            "examples/acme/catalog/saas.yaml",
            "examples/acme/catalog/systems.yaml",
            "examples/acme/edge-proxy/catalog-info.yaml",
        ]
    );
}

#[test]
fn example_catalog_gives_the_hand_counted_warnings() {
    let cat = acme();
    let mut opts = CheckOptions::new(jiff::civil::date(2026, 11, 26));
    opts.projects = PROJECTS
        .iter()
        .map(|p| format!("examples/acme/{p}"))
        .collect();
    let diags = cat.check(&opts);
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut got: Vec<(&str, String)> = diags
        .iter()
        .map(|d| {
            (
                d.code.as_str(),
                d.entity.clone().unwrap_or_else(|| d.file.clone()),
            )
        })
        .collect();
    got.sort();
    let mut want = vec![
        // team-finance has one member (emma), no backup owner.
        ("critical-single-owner", "system:default/billing".to_owned()),
        // owned by a single user.
        (
            "critical-single-owner",
            "component:default/edge-proxy".to_owned(),
        ),
        // "high" = 4, team-it has one member (farid).
        (
            "critical-single-owner",
            "resource:default/payroll".to_owned(),
        ),
        (
            "system-without-owner",
            "system:default/internal-tools".to_owned(),
        ),
        // storefront → mailchimp, hosted in the US, no transfer basis.
        (
            "personal-data-transfer",
            "component:default/storefront".to_owned(),
        ),
        // 2027-01-15 is 50 days after 2026-11-26.
        ("contract-renewal", "resource:default/slack".to_owned()),
        (
            "duplicate-saas-category",
            "resource:default/slack".to_owned(),
        ),
        (
            "duplicate-saas-category",
            "resource:default/teams-chat".to_owned(),
        ),
        // the only repository no entity names.
        (
            "repository-not-linked",
            "examples/acme/ops-tools".to_owned(),
        ),
    ];
    want.sort();
    assert_eq!(got, want);
    let renewal = diags.iter().find(|d| d.code == "contract-renewal").unwrap();
    assert!(
        renewal.message.contains("in 50 days"),
        "{}",
        renewal.message
    );
    // 2027-01-15 minus 30 days of notice.
    assert!(
        renewal.message.contains("2026-12-16"),
        "{}",
        renewal.message
    );
    assert_eq!(renewal.file, "examples/acme/catalog/saas.yaml");
    assert_eq!(renewal.line, Some(19)); // the `renewal:` line
}

#[test]
fn repositories_link_projects_to_systems() {
    let cat = acme();
    let sys = |p: &str| cat.systems_of_repository(&format!("examples/acme/{p}"));
    assert_eq!(sys("storefront"), [r("system:webshop")]);
    assert_eq!(sys("billing-api"), [r("system:billing")]);
    // from its own catalog-info.yaml, no repositories field needed.
    assert_eq!(sys("edge-proxy"), [r("system:platform")]);
    // a sub-folder of a repository belongs to it.
    assert_eq!(sys("legacy-portal/src"), [r("system:partner-extranet")]);
    assert!(sys("ops-tools").is_empty());
}

#[test]
fn owners_dependencies_and_platforms() {
    let cat = acme();
    let owners: Vec<(String, bool)> = cat
        .owners(&r("component:payments-gateway"))
        .into_iter()
        .map(|o| (o.owner.to_string(), o.backup))
        .collect();
    // its own owner, then the payments system's backup owner, then the
    // commerce domain's owner.
    assert_eq!(
        owners,
        [
            ("group:default/team-finance".to_owned(), false),
            ("user:default/chloe".to_owned(), true),
            ("group:default/team-commerce".to_owned(), false),
        ]
    );
    // customers-db fails: storefront, payments-gateway and billing-api
    // depend on it directly; nothing depends on them in turn except
    // storefront → payments-gateway (already counted).
    let mut hit: Vec<String> = cat
        .dependents(&r("resource:customers-db"))
        .iter()
        .map(ToString::to_string)
        .collect();
    hit.sort();
    assert_eq!(
        hit,
        [
            "component:default/billing-api",
            "component:default/payments-gateway",
            "component:default/storefront"
        ]
    );
    // storefront uses inventory-api, provided by inventory-service.
    let deps = cat.depends_on(&r("component:storefront"));
    assert!(deps.contains(&r("component:inventory-service")));
    let db = cat.get(&r("resource:customers-db")).unwrap();
    let p = &db.vigie.platforms[0];
    assert_eq!(
        (p.name.as_str(), p.version.as_deref()),
        ("postgresql", Some("11"))
    );
    assert_eq!(p.qualifiers, ["managed"]);
}

#[test]
fn gdpr_record_of_processing() {
    let cat = acme();
    let rec = cat.record_of_processing();
    // Entities with personal data: storefront, billing-api, customers-db,
    // slack, payroll.
    let names: Vec<String> = rec.iter().map(|r| r.entity.name.clone()).collect();
    assert_eq!(rec.len(), 5, "{names:?}");
    let payroll = rec.iter().find(|r| r.entity.name == "payroll").unwrap();
    assert!(payroll.sensitive);
    assert_eq!(payroll.recipients.len(), 1);
    let docusign = &payroll.recipients[0];
    assert_eq!(docusign.country.as_deref(), Some("US"));
    assert!(docusign.outside_eea);
    assert_eq!(docusign.transfer_basis.as_deref(), Some("scc"));
    let store = rec.iter().find(|r| r.entity.name == "storefront").unwrap();
    assert_eq!(store.recipients[0].name, "Mailchimp");
    assert!(store.recipients[0].transfer_basis.is_none());
    assert_eq!(store.system, Some(r("system:webshop")));
    let json = serde_json::to_value(&rec).unwrap();
    assert_eq!(json[0]["legalBasis"], "contract");
}

#[test]
fn summaries_and_json() {
    let cat = acme();
    let s = cat.summaries();
    let store = s.iter().find(|e| e.name == "storefront").unwrap();
    assert_eq!(store.repositories, ["examples/acme/storefront"]);
    assert!(store.personal_data);
    let v = serde_json::to_value(store).unwrap();
    assert_eq!(v["entityRef"], "component:default/storefront");
    assert_eq!(v["exposure"], "public");
    let whole = serde_json::to_value(&cat).unwrap();
    let slack = whole["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["name"] == "slack")
        .unwrap();
    assert_eq!(slack["vigie"]["contract"]["renewal"], "2027-01-15");
    assert_eq!(slack["vigie"]["cost"]["currency"], "EUR");
}
