//! `Knowledge::component_detections` keeps the product of each component
//! purl it matched, for the next projects of a scan. The truth: the same
//! components matched by a fresh knowledge (a clone starts with an empty
//! memo), and the product Gemfile.lock of rubygems.org names (`rails
//! (8.1.3.1)`, read by hand in the lockfile: endoflife.date's
//! `ruby-on-rails`); the file of each detection is the project's, never the
//! one of the project that filled the memo.

use crate::common;

use vigie_lifecycle::{Detection, Subject};

fn products(d: &[Detection]) -> Vec<(String, Option<String>)> {
    d.iter()
        .map(|d| match &d.subject {
            Subject::Product(p) => (p.clone(), d.version.clone()),
            other => (format!("{other:?}"), d.version.clone()),
        })
        .collect()
}

#[test]
fn a_second_project_gets_the_same_products_and_its_own_files() {
    let Some(k) = common::knowledge() else { return };
    let Some((out, file)) =
        common::read_lockfile("gemfile-lock", "lockfiles/rubygems.org/Gemfile.lock")
    else {
        return;
    };
    let fresh = k.clone();
    let first =
        fresh.component_detections(&out.components, &vec![file.as_str(); out.components.len()]);
    let again = fresh.component_detections(
        &out.components,
        &vec!["other/Gemfile.lock"; out.components.len()],
    );
    let cold = k
        .clone()
        .component_detections(&out.components, &vec![file.as_str(); out.components.len()]);
    assert!(
        products(&first).contains(&("ruby-on-rails".into(), Some("8.1.3.1".into()))),
        "{:?}",
        products(&first)
    );
    assert_eq!(products(&first), products(&again));
    assert_eq!(products(&first), products(&cold));
    assert!(first.iter().all(|d| d.evidence.file == file));
    assert!(
        again
            .iter()
            .all(|d| d.evidence.file == "other/Gemfile.lock")
    );
    let sources = |d: &[Detection]| d.iter().map(|x| x.source.clone()).collect::<Vec<_>>();
    assert_eq!(sources(&first), sources(&again));
}
