//! The notice and the CSV inventory, on two projects laid out by hand:
//! expected lines worked out from the components given (a component shared
//! by both projects appears once; an `OR` contributes only the option kept;
//! `WITH` brings the exception's text after the licence's).

use vigie_audit::licences::{LicenceContext, ProjectLicences, Statement, check};
use vigie_export::notice::{NoticeInput, NoticeSummary, write};
use vigie_knowledge::licences::LicenceTexts;
use vigie_licence::{Lang, LicenceKnowledge, Policy};
use vigie_model::{Component, Ecosystem, Project};

fn kb() -> Option<LicenceKnowledge> {
    let dir = vigie_testkit::data_dir()?.join("spdx");
    let l = std::fs::read_to_string(dir.join("licenses.json")).unwrap();
    let e = std::fs::read_to_string(dir.join("exceptions.json")).unwrap();
    Some(LicenceKnowledge::from_json(&l, &e).unwrap())
}

fn audit(kb: &LicenceKnowledge, comps: &[(&str, Option<&str>)]) -> ProjectLicences {
    let p = Project {
        components: comps
            .iter()
            .map(|(n, l)| {
                Component::new(Ecosystem::Npm, *n, Some("1.0.0")).with_licence(l.map(str::to_owned))
            })
            .collect(),
        ..Project::default()
    };
    let st: Vec<Vec<Statement>> = p
        .components
        .iter()
        .map(|c| {
            c.licence
                .iter()
                .map(|l| Statement {
                    licence: l.clone(),
                    kind: "declared".into(),
                    file: "package-lock.json".into(),
                })
                .collect()
        })
        .collect();
    let policy = Policy::default();
    let ctx = LicenceContext {
        explain_all: true,
        knowledge: kb,
        policy: &policy,
        model: None,
        own: None,
    };
    let mut r = check(
        &ctx,
        &p,
        &vec!["package-lock.json"; p.components.len()],
        &st,
    );
    if let Some(a) = r.components.iter_mut().find(|c| c.name == "a") {
        a.copyright = vec!["Copyright (c) 2020 Alice".into()];
    }
    r
}

fn texts() -> LicenceTexts {
    let mut t = LicenceTexts::default();
    t.licences.insert("MIT".into(), "MIT TEXT".into());
    t.licences.insert("GPL-2.0-only".into(), "GPL TEXT".into());
    t.exceptions
        .insert("Classpath-exception-2.0".into(), "CLASSPATH TEXT".into());
    t
}

#[test]
fn notice_groups_by_licence_with_texts() {
    let Some(kb) = kb() else { return };
    let p1 = audit(
        &kb,
        &[
            ("a", Some("MIT")),
            ("b", Some("GPL-2.0-only WITH Classpath-exception-2.0")),
            ("c", None),
        ],
    );
    let p2 = audit(
        &kb,
        &[
            ("a", Some("MIT")),
            ("d", Some("MIT OR Apache-2.0")),
            ("e", Some("LicenseRef-acme")),
        ],
    );
    let t = texts();
    let mut out = Vec::new();
    let s = write(
        &mut out,
        &NoticeInput {
            projects: vec![("one", &p1), ("two", &p2)],
            texts: Some(&t),
            lang: Lang::En,
        },
    )
    .unwrap();
    let n = String::from_utf8(out).unwrap();
    assert_eq!(
        s,
        NoticeSummary {
            components: 5,
            licences: 3,
            missing_texts: vec!["LicenseRef-acme".into()],
            unknown: 1
        }
    );
    assert!(n.contains("Projects: one, two"), "{n}");
    // a once, with its copyright line; d under MIT (the option kept).
    assert_eq!(n.matches("  - a 1.0.0 (pkg:npm/a@1.0.0)").count(), 1, "{n}");
    assert!(
        n.contains("  - a 1.0.0 (pkg:npm/a@1.0.0)\n      Copyright (c) 2020 Alice\n  - d 1.0.0"),
        "{n}"
    );
    assert!(!n.contains("Apache"), "{n}");
    assert!(n.contains("GPL TEXT\n\nCLASSPATH TEXT"), "{n}");
    assert!(n.contains("not in the SPDX list"), "{n}");
    assert!(n.contains("LICENCE UNKNOWN"), "{n}");
    assert!(n.contains("  - c 1.0.0 (pkg:npm/c@1.0.0): unknown"), "{n}");

    let mut out = Vec::new();
    let s = write(
        &mut out,
        &NoticeInput {
            projects: vec![("one", &p1)],
            texts: None,
            lang: Lang::Fr,
        },
    )
    .unwrap();
    let n = String::from_utf8(out).unwrap();
    assert!(n.starts_with("MENTIONS DES LOGICIELS TIERS"));
    assert!(n.contains("ATTENTION : les textes des licences manquent"));
    assert_eq!(s.missing_texts.len(), 2);
}

#[test]
fn csv_quotes_and_defuses_formulas() {
    let Some(kb) = kb() else { return };
    let p = audit(
        &kb,
        &[("=cmd", Some("MIT")), ("b", Some("MIT OR Apache-2.0"))],
    );
    let mut out = Vec::new();
    vigie_export::licences::write_csv_rows(&mut out, "my, project", "p", &p).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(
        lines[0].starts_with("\"my, project\",p,npm,'=cmd,1.0.0,"),
        "{text}"
    );
    assert!(
        lines[1].contains(
            ",MIT OR Apache-2.0,MIT OR Apache-2.0,exact,permissive,allowed,keep-notices,declared,"
        ),
        "{text}"
    );
    let header_fields = vigie_export::licences::CSV_HEADER.split(',').count();
    // The first field is quoted (it holds a comma); the others hold none.
    let rest = lines[1].strip_prefix("\"my, project\",").unwrap();
    assert_eq!(1 + rest.split(',').count(), header_fields);
}
