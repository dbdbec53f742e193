//! The Backstage test set: entities written from Backstage's descriptor
//! format documentation load without error, with the relations the
//! documentation describes; each broken variant gives its expected error
//! at its expected line (written by hand in the file's `# expect:` lines).

use std::path::Path;

use vigie_catalog::{Catalog, CheckOptions, EntityRef, Kind, RelationType, Severity, load};

fn data(name: &str) -> (String, String) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/backstage")
        .join(name);
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    (name.to_owned(), text)
}

fn r(s: &str) -> EntityRef {
    EntityRef::parse(s, None, "default").unwrap()
}

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 11, 26)
}

fn all_kinds() -> Catalog {
    let (p, t) = data("all-kinds.yaml");
    load([(p.as_str(), t.as_str())])
}

#[test]
fn documentation_entities_load_without_error() {
    let cat = all_kinds();
    let diags = cat.check(&CheckOptions::new(today()));
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // Hand count of the file: 19 documents, every kind present.
    assert_eq!(cat.entities.len(), 19);
    for k in Kind::ALL {
        assert!(cat.entities.iter().any(|e| e.kind == k), "{k:?}");
    }
}

#[test]
fn relations_follow_the_well_known_list() {
    let cat = all_kinds();
    let has = |s: &str, k: RelationType, t: &str| {
        cat.relations
            .iter()
            .any(|rel| rel.source == r(s) && rel.kind == k && rel.target == r(t))
    };
    use RelationType::*;
    // Each pair below is read off the YAML by hand, with its inverse.
    let pairs = [
        (
            "component:artist-web",
            OwnedBy,
            "group:artist-relations-team",
            OwnerOf,
        ),
        (
            "component:artist-web",
            PartOf,
            "system:artist-engagement-portal",
            HasPart,
        ),
        (
            "component:artist-web",
            ConsumesApi,
            "api:artist-api",
            ApiConsumedBy,
        ),
        (
            "component:artist-web",
            DependsOn,
            "resource:artists-db",
            DependencyOf,
        ),
        (
            "component:artist-lookup",
            ProvidesApi,
            "api:artist-api",
            ApiProvidedBy,
        ),
        (
            "component:artist-lookup",
            DependencyOf,
            "component:artist-web",
            DependsOn,
        ),
        (
            "component:artist-lookup-cache",
            PartOf,
            "component:artist-lookup",
            HasPart,
        ),
        (
            "component:artist-lookup-cache",
            OwnedBy,
            "user:jdoe",
            OwnerOf,
        ),
        (
            "system:artist-engagement-portal",
            PartOf,
            "domain:artists",
            HasPart,
        ),
        ("domain:artists", PartOf, "domain:audio", HasPart),
        ("group:infrastructure", ChildOf, "group:ops", ParentOf),
        ("group:infrastructure", ParentOf, "group:backstage", ChildOf),
        ("group:infrastructure", HasMember, "user:jdoe", MemberOf),
        ("user:jdoe", MemberOf, "group:team-b", HasMember),
        (
            "resource:artists-bucket",
            DependsOn,
            "resource:artists-db",
            DependencyOf,
        ),
        (
            "resource:artists-bucket",
            DependencyOf,
            "component:artist-lookup",
            DependsOn,
        ),
    ];
    for (s, k, t, inv) in pairs {
        assert!(has(s, k, t), "{s} {k:?} {t}");
        assert!(has(t, inv, s), "{t} {inv:?} {s}");
    }
    // Location targets are not entity references.
    let loc = cat.get(&r("location:org-data")).unwrap();
    assert_eq!(loc.targets.len(), 2);
    assert!(cat.relations.iter().all(|rel| rel.source != loc.entity_ref));
}

#[test]
fn lookups_on_the_documentation_set() {
    let cat = all_kinds();
    // artist-lookup-cache: owned by jdoe, then through artist-lookup and
    // its system the team, then the domains' owners.
    let owners: Vec<String> = cat
        .owners(&r("component:artist-lookup-cache"))
        .into_iter()
        .map(|o| o.owner.to_string())
        .collect();
    assert_eq!(
        owners,
        [
            "user:default/jdoe",
            "group:default/artist-relations-team",
            "group:default/infrastructure"
        ]
    );
    assert_eq!(
        cat.system_of(&r("component:artist-lookup-cache")),
        Some(r("system:artist-engagement-portal"))
    );
    // artist-web → artists-db (dependsOn), artist-api (consumes) →
    // artist-lookup (provides) → artist-web is a cycle via dependencyOf.
    let deps: Vec<String> = cat
        .depends_on(&r("component:artist-web"))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert!(deps.contains(&"resource:default/artists-db".to_owned()));
    assert!(deps.contains(&"component:default/artist-lookup".to_owned()));
    // Who is hit when artists-db fails: artist-web and artists-bucket
    // directly, artist-lookup through the bucket (dependencyOf).
    let hit: Vec<String> = cat
        .dependents(&r("resource:artists-db"))
        .iter()
        .map(ToString::to_string)
        .collect();
    for e in [
        "component:default/artist-web",
        "resource:default/artists-bucket",
        "component:default/artist-lookup",
    ] {
        assert!(hit.contains(&e.to_owned()), "{e} in {hit:?}");
    }
}

#[test]
fn broken_variants_give_their_error_and_line() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/backstage/broken");
    let mut n = 0;
    for f in std::fs::read_dir(&dir).unwrap() {
        let path = f.unwrap().path();
        let name = format!("broken/{}", path.file_name().unwrap().to_string_lossy());
        let (_, text) = data(&name);
        let mut expected: Vec<(String, u32)> = text
            .lines()
            .filter_map(|l| l.strip_prefix("# expect: "))
            .map(|l| {
                let (code, line) = l.split_once(' ').unwrap();
                (code.to_owned(), line.trim().parse().unwrap())
            })
            .collect();
        assert!(!expected.is_empty(), "{name} has no expectation");
        let cat = load([(name.as_str(), text.as_str())]);
        let mut got: Vec<(String, u32)> = cat
            .check(&CheckOptions::new(today()))
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .inspect(|d| assert_eq!(d.file, name))
            .map(|d| (d.code.to_string(), d.line.unwrap_or(0)))
            .collect();
        expected.sort();
        got.sort();
        assert_eq!(got, expected, "{name}");
        n += 1;
    }
    assert_eq!(n, 17);
}
