//! Triage survives snapshots, keeps its history, validates its inputs, and an expired
//! acceptance is active again.

use crate::common::{Backend, meta, npm, project, vuln};
use vigie_model::{Component, Ecosystem};
use vigie_store::{
    EffectiveState, Error, FindingRecord, Justification, Store, TriageInput, TriageState,
};

fn decision(key: &str, state: TriageState, at: &str) -> TriageInput {
    TriageInput {
        finding_key: key.to_owned(),
        state,
        justification: None,
        until: None,
        reason: "looked at it".to_owned(),
        by: "alice".to_owned(),
        at: at.to_owned(),
    }
}

fn snapshot(store: &mut dyn Store, findings: &[FindingRecord]) -> i64 {
    let mut w = store.begin_snapshot(&meta("2026-11-01T00:00:00Z")).unwrap();
    w.add_project(
        &project("shop", "package-lock.json"),
        &[npm("lodash", "4.17.20"), npm("qs", "6.5.2")],
        findings,
    )
    .unwrap();
    w.commit().unwrap()
}

fn state_of(store: &dyn Store, snap: i64, today: &str, key: &str) -> EffectiveState {
    store
        .effective_triage(snap, today)
        .unwrap()
        .into_iter()
        .find(|s| s.finding.key == key)
        .map(|s| s.effective)
        .unwrap()
}

pub(crate) fn an_acceptance_expires_after_its_last_day_and_survives_snapshots(b: &Backend) {
    let mut store = b.fresh();
    let lodash = vuln(
        "GHSA-l",
        "shop",
        &npm("lodash", "4.17.20"),
        "high",
        Some("4.17.21"),
    );
    let qs = vuln("GHSA-q", "shop", &npm("qs", "6.5.2"), "medium", None);
    let first = snapshot(&mut *store, &[lodash.clone(), qs.clone()]);
    // The summaries count each project's findings as the findings themselves do.
    let all = store.findings(first).unwrap();
    for p in store.project_summaries(first).unwrap() {
        let mine: Vec<_> = all.iter().filter(|f| f.project_path == p.path).collect();
        assert_eq!(p.findings, mine.len() as u64, "{}", p.path);
        assert_eq!(p.known_exploited, mine.iter().any(|f| f.known_exploited));
    }
    let mut accept = decision(
        &lodash.key,
        TriageState::AcceptedRisk,
        "2026-11-01T09:00:00Z",
    );
    accept.until = Some("2026-12-31".to_owned());
    let before = store.triage_mark().unwrap();
    assert_eq!(before, (0, 0), "no decision yet");
    let recorded = store.record_triage(&accept).unwrap();
    // The mark moves with the decision, and another handle on the store sees it move.
    assert_eq!(store.triage_mark().unwrap(), (1, recorded.id));
    if let Ok(other) = store.reopen(vigie_store::Mode::ReadOnly) {
        // (A persistent backend: an in-memory store has no second handle.)
        assert_eq!(other.triage_mark().unwrap(), (1, recorded.id));
    }

    // The acceptance holds through its last day, and lapses the day after.
    assert_eq!(
        state_of(&*store, first, "2026-12-31", &lodash.key),
        EffectiveState::AcceptedRisk
    );
    assert_eq!(
        state_of(&*store, first, "2027-01-01", &lodash.key),
        EffectiveState::AcceptanceExpired
    );
    assert!(EffectiveState::AcceptanceExpired.is_active());
    assert!(!EffectiveState::AcceptedRisk.is_active());
    assert_eq!(
        state_of(&*store, first, "2026-12-01", &qs.key),
        EffectiveState::Open
    );

    // A later snapshot has the same finding key: the decision applies there too.
    let second = snapshot(&mut *store, &[lodash.clone(), qs.clone()]);
    assert_eq!(
        state_of(&*store, second, "2026-12-01", &lodash.key),
        EffectiveState::AcceptedRisk
    );

    // A newer decision wins, and the history keeps both, oldest first.
    let mut na = decision(
        &lodash.key,
        TriageState::NotAffected,
        "2026-11-05T09:00:00Z",
    );
    na.justification = Some(Justification::CodeNotReachable);
    store.record_triage(&na).unwrap();
    assert_eq!(
        state_of(&*store, second, "2027-06-01", &lodash.key),
        EffectiveState::NotAffected
    );
    let history = store.triage_history(Some(&lodash.key)).unwrap();
    let states: Vec<TriageState> = history.iter().map(|t| t.input.state).collect();
    assert_eq!(
        states,
        [TriageState::AcceptedRisk, TriageState::NotAffected]
    );
    assert_eq!(
        history[1].input.justification,
        Some(Justification::CodeNotReachable)
    );
    assert_eq!(history[0].input.by, "alice");
    assert_eq!(store.triage_history(None).unwrap().len(), 2);

    // Retention never deletes triage.
    store.retain(1).unwrap();
    assert_eq!(store.triage_history(None).unwrap().len(), 2);
}

pub(crate) fn findings_are_found_by_key_id_or_alias(b: &Backend) {
    let mut store = b.fresh();
    let lodash = vuln("GHSA-l", "shop", &npm("lodash", "4.17.20"), "high", None);
    let snap = snapshot(&mut *store, std::slice::from_ref(&lodash));
    assert_eq!(store.find_findings(snap, &lodash.key).unwrap().len(), 1);
    assert_eq!(store.find_findings(snap, "ghsa-l").unwrap().len(), 1);
    assert_eq!(
        store.find_findings(snap, &lodash.aliases[0]).unwrap().len(),
        1
    );
    assert!(store.find_findings(snap, "GHSA-zzz").unwrap().is_empty());
    // The details of a page of keys, in the keys' order, as the finding's own detail.
    let keys = ["no-such-key".to_owned(), lodash.key.clone()];
    let details = store.finding_details(snap, &keys).unwrap();
    assert_eq!(details.len(), 2);
    assert_eq!(details[0], None);
    let text = details[1].as_deref().unwrap();
    let read: serde_json::Value = serde_json::from_str(text).unwrap();
    assert_eq!(read, lodash.detail.to_value().unwrap());
}

pub(crate) fn triage_inputs_are_validated(b: &Backend) {
    let mut store = b.fresh();
    let bad = |t: TriageInput| matches!(b.fresh().record_triage(&t), Err(Error::Invalid(_)));
    let base = decision("k", TriageState::InTriage, "2026-11-01T00:00:00Z");
    assert!(store.record_triage(&base).is_ok());
    assert!(
        bad(decision("k", TriageState::NotAffected, "t")),
        "not_affected needs a justification"
    );
    assert!(
        bad(decision("k", TriageState::AcceptedRisk, "t")),
        "accepted_risk needs an expiry"
    );
    let mut t = decision("k", TriageState::AcceptedRisk, "t");
    t.until = Some("31/12/2026".to_owned());
    assert!(bad(t), "the expiry is YYYY-MM-DD");
    let mut t = decision("k", TriageState::Exploitable, "t");
    t.justification = Some(Justification::RequiresConfiguration);
    assert!(bad(t), "a justification only with not_affected");
    let mut t = decision("k", TriageState::FalsePositive, "t");
    t.until = Some("2026-12-31".to_owned());
    assert!(bad(t), "an expiry only with accepted_risk");
    let mut t = decision("k", TriageState::FalsePositive, "t");
    t.reason = " ".to_owned();
    assert!(bad(t), "a reason is required");
    let mut t = decision("k", TriageState::FalsePositive, "t");
    t.by = String::new();
    assert!(bad(t), "an author is required");
    // `today` must be a day.
    let snap = snapshot(&mut *store, &[]);
    assert!(matches!(
        store.effective_triage(snap, "tomorrow"),
        Err(Error::Invalid(_))
    ));
}

#[test]
fn the_nine_vex_justifications_have_their_cyclonedx_names() {
    // The CycloneDX 1.6 `impactAnalysisJustification` enumeration, copied from the spec.
    let spec = [
        "code_not_present",
        "code_not_reachable",
        "requires_configuration",
        "requires_dependency",
        "requires_environment",
        "protected_by_compiler",
        "protected_at_runtime",
        "protected_at_perimeter",
        "protected_by_mitigating_control",
    ];
    for name in spec {
        let j: Justification = serde_json::from_value(serde_json::json!(name)).unwrap();
        assert_eq!(j.as_str(), name);
    }
}

#[test]
fn effective_states_print_as_they_are_serialised() {
    let all = [
        EffectiveState::Open,
        EffectiveState::InTriage,
        EffectiveState::Exploitable,
        EffectiveState::NotAffected,
        EffectiveState::FalsePositive,
        EffectiveState::AcceptedRisk,
        EffectiveState::AcceptanceExpired,
    ];
    for e in all {
        assert_eq!(
            serde_json::to_value(e).unwrap(),
            serde_json::json!(e.as_str())
        );
    }
}

/// Composer purls keep their tag's `v` since issue 17 (`…/symfony/process@v6.4.12`); before,
/// `composer.lock` was read without it, and a finding's key ends with its purl. A decision
/// recorded under the key without the `v` applies to the finding under the key with it; the
/// latest decision of the two spellings is current; other ecosystems are left as they are.
pub(crate) fn a_decision_recorded_before_composer_kept_its_v_still_applies(b: &Backend) {
    let mut store = b.fresh();
    let process = Component::new(Ecosystem::Packagist, "symfony/process", Some("v6.4.12"));
    let module = Component::new(Ecosystem::Go, "golang.org/x/net", Some("v0.1.0"));
    let fop = vuln("FOP-1", "shop", &process, "high", Some("6.4.14"));
    let go = vuln("GO-1", "shop", &module, "high", Some("v0.7.0"));
    let new_key = "vulnerability/FOP-1/shop/pkg:composer/symfony/process@v6.4.12";
    let old_key = "vulnerability/FOP-1/shop/pkg:composer/symfony/process@6.4.12";
    assert_eq!(fop.key, new_key);
    let mut w = store.begin_snapshot(&meta("2026-11-01T00:00:00Z")).unwrap();
    w.add_project(
        &project("shop", "composer.lock"),
        &[process, module],
        &[fop, go.clone()],
    )
    .unwrap();
    let snap = w.commit().unwrap();
    let decided = |store: &dyn Store, key: &str| {
        let s = store
            .effective_triage(snap, "2026-12-01")
            .unwrap()
            .into_iter()
            .find(|s| s.finding.key == key)
            .unwrap();
        (s.effective, s.triage.map(|t| t.input.finding_key))
    };
    assert_eq!(decided(&*store, new_key), (EffectiveState::Open, None));

    // The decision of the older vigie, on the key without the `v`; then a later one on the new
    // key is current; then a later one on the old key again.
    let mut na = decision(old_key, TriageState::NotAffected, "2026-11-02T09:00:00Z");
    na.justification = Some(Justification::CodeNotReachable);
    let steps = [
        (na, EffectiveState::NotAffected, old_key),
        (
            decision(new_key, TriageState::Exploitable, "2026-11-03T09:00:00Z"),
            EffectiveState::Exploitable,
            new_key,
        ),
        (
            decision(old_key, TriageState::FalsePositive, "2026-11-04T09:00:00Z"),
            EffectiveState::FalsePositive,
            old_key,
        ),
    ];
    for (input, state, under) in steps {
        store.record_triage(&input).unwrap();
        assert_eq!(decided(&*store, new_key), (state, Some(under.to_owned())));
    }
    // Go always kept its `v`: a decision on a key without it is another finding's.
    let go_bare = go.key.replace("@v0.1.0", "@0.1.0");
    store
        .record_triage(&decision(
            &go_bare,
            TriageState::FalsePositive,
            "2026-11-05T09:00:00Z",
        ))
        .unwrap();
    assert_eq!(decided(&*store, &go.key), (EffectiveState::Open, None));
    // The history keeps each decision under the key it was recorded with.
    assert_eq!(store.triage_history(Some(old_key)).unwrap().len(), 2);
    assert_eq!(store.triage_history(Some(new_key)).unwrap().len(), 1);
}

on_backends! {
    any: [
        a_decision_recorded_before_composer_kept_its_v_still_applies,
        an_acceptance_expires_after_its_last_day_and_survives_snapshots,
        findings_are_found_by_key_id_or_alias,
        triage_inputs_are_validated,
    ],
    persistent: [
    ],
}
