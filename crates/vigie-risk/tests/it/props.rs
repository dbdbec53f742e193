//! Properties over arbitrary input: scores stay within 1..=25 and agree with their factors
//! and level; the roll-up, the aggregation, the trend, the actions and the opportunities never
//! panic, whatever the strings, numbers and dates.

use jiff::civil::Date;
use proptest::prelude::*;
use vigie_model::Ecosystem;
use vigie_risk::{
    Catalog, ComponentFacts, Family, FindingFacts, Input, Level, PackageRef, PlatformRef, Rating,
    SystemFacts, Thresholds, analyse, finding_score, trend,
};

const REFS: [&str; 4] = ["system:a", "system:b", "system:c", "ghost"];

fn any_date() -> impl Strategy<Value = Date> {
    (-9999i16..=9999, 1i8..=12, 1i8..=28)
        .prop_map(|(y, m, d)| Date::new(y, m, d).unwrap_or_default())
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("vulnerability".to_string()),
        Just("eol-passed".to_string()),
        Just("eol-soon".to_string()),
        Just("behind-latest".to_string()),
        Just("denied".to_string()),
        Just("malicious".to_string()),
        Just("unmaintained".to_string()),
        "\\PC{0,12}",
        "[0-9.v:-]{0,10}",
    ]
}

fn rating() -> impl Strategy<Value = Option<Rating>> {
    prop_oneof![
        Just(None),
        Just(Some(Rating::None)),
        Just(Some(Rating::Low)),
        Just(Some(Rating::Medium)),
        Just(Some(Rating::High)),
        Just(Some(Rating::Critical)),
    ]
}

fn ecosystem() -> impl Strategy<Value = Ecosystem> {
    (0usize..Ecosystem::ALL.len())
        .prop_map(|i| Ecosystem::ALL.get(i).copied().unwrap_or(Ecosystem::Npm))
}

fn finding() -> impl Strategy<Value = FindingFacts> {
    let family = prop_oneof![
        Just(Family::Vulnerability),
        Just(Family::Lifecycle),
        Just(Family::Licence)
    ];
    let refs = proptest::sample::subsequence(REFS.to_vec(), 0..=3);
    let package = proptest::option::of((ecosystem(), text(), text()).prop_map(
        |(ecosystem, name, version)| PackageRef {
            ecosystem,
            name,
            version,
            purl: String::new(),
        },
    ));
    let platform = proptest::option::of((text(), text(), proptest::option::of(text())).prop_map(
        |(product, cycle, latest)| PlatformRef {
            product,
            cycle,
            latest,
        },
    ));
    (
        (
            "[a-f]{1,2}",
            family,
            text(),
            proptest::collection::vec(text(), 0..3),
            text(),
        ),
        (
            rating(),
            proptest::option::of(any::<f32>()),
            any::<bool>(),
            any::<bool>(),
        ),
        (
            proptest::option::of(any::<i64>()),
            proptest::option::of(any_date()),
            package,
            proptest::option::of(text()),
            platform,
        ),
        (text(), refs),
    )
        .prop_map(
            |(
                (key, family, id, aliases, kind),
                (rating, cvss_score, known_exploited, ransomware),
                (days_past_eol, eol_date, package, fixed_in, platform),
                (project_path, refs),
            )| FindingFacts {
                key,
                family,
                id,
                aliases,
                title: String::new(),
                kind,
                rating,
                cvss_score,
                known_exploited,
                ransomware,
                days_past_eol,
                eol_date,
                package,
                fixed_in,
                platform,
                project_path,
                system_refs: refs.into_iter().map(str::to_string).collect(),
            },
        )
}

fn system() -> impl Strategy<Value = SystemFacts> {
    (
        proptest::sample::select(REFS.to_vec()),
        proptest::option::of(any::<u8>()),
        proptest::option::of(any::<bool>()),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(prop_oneof![
            Just("crm".to_string()),
            Just("CRM ".to_string()),
            text()
        ]),
        proptest::option::of(any::<f64>()),
        proptest::collection::vec("[a-c]", 0..3),
    )
        .prop_map(
            |(
                r,
                criticality,
                internet_exposed,
                personal_data,
                sensitive_data,
                saas_category,
                cost_per_year,
                owners,
            )| SystemFacts {
                entity_ref: r.to_string(),
                name: String::new(),
                owners,
                criticality,
                internet_exposed,
                personal_data,
                sensitive_data,
                saas_category,
                cost_per_year,
            },
        )
}

fn component() -> impl Strategy<Value = ComponentFacts> {
    (
        ecosystem(),
        prop_oneof![Just("lib".to_string()), text()],
        text(),
        "[a-c]",
    )
        .prop_map(|(ecosystem, name, version, project_path)| ComponentFacts {
            ecosystem,
            name,
            version,
            project_path,
            system_refs: vec![],
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn scores_stay_in_range_and_nothing_panics(
        findings in proptest::collection::vec(finding(), 0..12),
        previous in proptest::collection::vec(finding(), 0..6),
        systems in proptest::collection::vec(system(), 0..5),
        components in proptest::collection::vec(component(), 0..12),
        today in any_date(),
    ) {
        let catalog = Catalog::new(&systems);
        for f in &findings {
            let s = finding_score(f, &catalog, today);
            prop_assert!((1..=5).contains(&s.likelihood));
            prop_assert!((1..=5).contains(&s.impact));
            prop_assert!((1..=25).contains(&s.score));
            prop_assert_eq!(s.score, s.likelihood * s.impact);
            prop_assert_eq!(s.level, Level::of(s.score));
        }
        let thresholds = Thresholds { sprawl_min_versions: 2, multi_fix_min: 1 };
        let a = analyse(&Input { today, findings: &findings, systems: &systems, components: &vigie_risk::version_uses(&components), thresholds });
        for r in &a.register.risks {
            prop_assert!((1..=25).contains(&r.score));
            prop_assert_eq!(r.score, r.likelihood * r.impact);
            prop_assert!(!r.findings.is_empty());
            // Both languages state the same numbers.
            let (l, i, s) = (r.likelihood, r.impact, r.score);
            let en = format!("Likelihood {l}/5: ");
            let fr = format!("Probabilité {l}/5\u{a0}: ");
            prop_assert!(r.explanation.en.starts_with(&en), "{}", r.explanation.en);
            prop_assert!(r.explanation.fr.starts_with(&fr), "{}", r.explanation.fr);
            let tail = format!("Impact {i}/5");
            prop_assert!(r.explanation.en.contains(&tail) && r.explanation.fr.contains(&tail));
            let score = format!("Score {s}/25 ({l} × {i})");
            prop_assert!(r.explanation.en.contains(&score) && r.explanation.fr.contains(&score));
        }
        let heat: u32 = a.register.summary.heat_map.iter().flatten().sum();
        prop_assert_eq!(heat as usize, a.register.risks.len());
        prop_assert_eq!(a.register.summary.estate.risks as usize, a.register.risks.len());
        // An action's risk removed is the sum of `finding_score` over its findings (the first
        // finding of each key, as `analyse` keeps it).
        let mut first = std::collections::HashMap::new();
        for f in &findings {
            first.entry(f.key.as_str()).or_insert(f);
        }
        for x in &a.actions {
            prop_assert!(x.effort.points >= 1);
            prop_assert!(x.value.is_finite());
            let sum: u32 = x
                .findings
                .iter()
                .filter_map(|k| first.get(k.as_str()))
                .map(|f| u32::from(finding_score(f, &catalog, today).score))
                .sum();
            prop_assert_eq!(x.risk_removed, sum);
        }
        let p = analyse(&Input { today, findings: &previous, systems: &systems, components: &[], thresholds });
        let t = trend(&p.register.risks, &a.register.risks);
        prop_assert_eq!((t.new + t.worsened + t.improved + t.unchanged) as usize, a.register.risks.len());
        prop_assert_eq!((t.resolved + t.worsened + t.improved + t.unchanged) as usize, p.register.risks.len());
        prop_assert!(serde_json::to_string(&a).is_ok());
    }
}
