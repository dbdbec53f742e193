//! Triage: a decision about findings recorded in the store, whoever the front is.
//!
//! A decision names its target as a finding key, or as an advisory id or alias, which
//! decides at once every finding of that advisory in the snapshot. Each finding gets its own
//! record, with the same time, author and reason; and the decision goes to the audit log
//! (`triage.record`, by its author, on its target), whichever front made it.

use anyhow::{Result, bail};
use vigie_store::{Justification, SnapshotId, Store, TriageInput, TriageState};

/// A decision as a user gives it.
#[derive(Clone, Debug)]
pub struct Decision {
    /// The state decided.
    pub state: TriageState,
    /// Why it does not apply (with `not_affected`).
    pub justification: Option<Justification>,
    /// The last day of an acceptance (with `accepted_risk`), `YYYY-MM-DD`.
    pub until: Option<String>,
    /// Why, in the user's words: required.
    pub reason: String,
    /// Who decided.
    pub by: String,
}

/// What [`record`] did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// The keys of the findings decided on, each once.
    pub keys: Vec<String>,
}

/// Records `decision` for every finding of `snapshot` that `target` names (a finding key, an
/// advisory id or an alias), at `at`. Nothing is recorded when the reason is empty or the
/// target names no finding; the store refuses a justification or an expiry that does not go
/// with the state.
pub fn record(
    store: &mut dyn Store,
    snapshot: SnapshotId,
    target: &str,
    decision: &Decision,
    at: jiff::Timestamp,
) -> Result<Recorded> {
    if decision.reason.trim().is_empty() {
        bail!("a reason is required: say why");
    }
    if decision.by.trim().is_empty() {
        bail!("the author of a decision is required");
    }
    let findings = store.find_findings(snapshot, target)?;
    if findings.is_empty() {
        bail!(
            "no finding {target:?} in snapshot {snapshot} (give a finding key, or an advisory id or alias)"
        );
    }
    // In the store's order, each key once.
    let mut seen = std::collections::HashSet::new();
    let keys: Vec<String> = findings
        .into_iter()
        .map(|f| f.key)
        .filter(|k| seen.insert(k.clone()))
        .collect();
    let stamp = crate::access::stamp(at);
    let at = at.to_string();
    for key in &keys {
        store.record_triage(&TriageInput {
            finding_key: key.clone(),
            state: decision.state,
            justification: decision.justification,
            until: decision.until.clone(),
            reason: decision.reason.clone(),
            by: decision.by.clone(),
            at: at.clone(),
        })?;
    }
    store.append_audit(&vigie_store::AuditEntry {
        at: stamp,
        actor: decision.by.clone(),
        action: "triage.record".to_owned(),
        target: target.to_owned(),
        ip: None,
        detail: Some(format!(
            "{} on {} finding(s) of snapshot {snapshot}: {}",
            decision.state.as_str(),
            keys.len(),
            decision.reason.chars().take(200).collect::<String>()
        )),
    })?;
    Ok(Recorded { keys })
}

#[cfg(test)]
mod tests {
    use vigie_findings::{Detail, Family, Finding, Rating};
    use vigie_model::{Component, Ecosystem};
    use vigie_store::{Location, Mode, ProjectRecord, SnapshotMeta, TriageState};

    use super::*;

    /// One snapshot of one project whose two components are hit by the same advisory.
    fn store() -> (Box<dyn Store>, SnapshotId) {
        let mut store = vigie_store::open(&Location::Memory, Mode::ReadWrite).expect("a store");
        let components: Vec<Component> = ["1.0.0", "2.0.0"]
            .iter()
            .map(|v| Component::new(Ecosystem::Npm, "left-pad", Some(v)))
            .collect();
        let findings: Vec<Finding> = components
            .iter()
            .map(|c| Finding {
                key: format!("vulnerability/GHSA-1/app/{}", c.purl),
                family: Family::Vulnerability,
                id: "GHSA-1".to_owned(),
                aliases: vec!["CVE-2026-1".to_owned()],
                rating: Rating::High,
                project_path: "app".to_owned(),
                purl: Some(c.purl.clone()),
                title: "left-pad".to_owned(),
                fixed: None,
                known_exploited: false,
                detail: Detail::Unparsed(serde_json::Value::Null),
            })
            .collect();
        let meta = SnapshotMeta {
            taken_at: "2026-12-07T00:00:00Z".to_owned(),
            tool_version: "test".to_owned(),
            roots: vec![".".to_owned()],
            label: None,
        };
        let project = ProjectRecord {
            path: "app".to_owned(),
            name: "app".to_owned(),
            files: vec!["app/package-lock.json".to_owned()],
            licence_categories: Default::default(),
            file_components: Vec::new(),
            fingerprint: None,
            uncovered: Default::default(),
        };
        let mut w = store.begin_snapshot(&meta).expect("a writer");
        w.add_project(&project, &components, &findings)
            .expect("a project");
        let id = w.commit().expect("a snapshot");
        (store, id)
    }

    fn decision(reason: &str) -> Decision {
        Decision {
            state: TriageState::FalsePositive,
            justification: None,
            until: None,
            reason: reason.to_owned(),
            by: "tester".to_owned(),
        }
    }

    #[test]
    fn an_alias_decides_every_finding_of_its_advisory_once() {
        let (mut store, id) = store();
        let at = jiff::Timestamp::UNIX_EPOCH;
        let done =
            record(&mut *store, id, "CVE-2026-1", &decision("test code"), at).expect("recorded");
        assert_eq!(done.keys.len(), 2);
        let history = store.triage_history(None).expect("history");
        let mut keys: Vec<&str> = history
            .iter()
            .map(|r| r.input.finding_key.as_str())
            .collect();
        keys.sort();
        let mut expected: Vec<&str> = done.keys.iter().map(String::as_str).collect();
        expected.sort();
        assert_eq!(keys, expected);
        assert!(history.iter().all(|r| r.input.at == at.to_string()));
        // One audit entry for the decision, by its author, on its target.
        let log = store.audit_log(None, 10).expect("the audit log");
        assert_eq!(log.len(), 1);
        let e = &log[0].entry;
        assert_eq!(
            (e.actor.as_str(), e.action.as_str(), e.target.as_str()),
            ("tester", "triage.record", "CVE-2026-1")
        );
        assert!(
            e.detail
                .as_deref()
                .unwrap()
                .starts_with("false_positive on 2 finding(s)")
        );
    }

    #[test]
    fn nothing_is_recorded_without_a_reason_or_a_finding() {
        let (mut store, id) = store();
        let at = jiff::Timestamp::UNIX_EPOCH;
        let err = record(&mut *store, id, "GHSA-1", &decision("  "), at).expect_err("no reason");
        assert!(err.to_string().contains("reason"), "{err}");
        let err =
            record(&mut *store, id, "GHSA-404", &decision("why"), at).expect_err("no finding");
        assert!(err.to_string().contains("GHSA-404"), "{err}");
        assert!(store.triage_history(None).expect("history").is_empty());
        assert!(store.audit_log(None, 10).expect("the audit log").is_empty());
    }
}
