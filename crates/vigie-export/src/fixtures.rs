//! Findings and triage for the writers' unit tests.

use serde_json::json;
use vigie_findings::{
    ComponentRef, Detail, Family, Finding, Rating, VulnFinding, VulnerabilityDetail,
};
use vigie_model::Ecosystem;

use crate::triage::{Decision, Triage};

/// Advisory X-1 (rated high, CVSS 3.1) on `pkg:npm/x@1.0` in the project `project`.
pub fn finding(project: &str) -> Finding {
    let advisory: VulnFinding = serde_json::from_value(json!({
        "kind": "vulnerability", "id": "X-1", "aliases": ["CVE-2026-1"], "advisories": ["X-1"],
        "summary": "s", "fixed": ["2.0"],
        "severity": {"rating": "high", "score": 7.5, "source": "cvss_v3",
                     "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},
    }))
    .unwrap();
    let purl = "pkg:npm/x@1.0";
    Finding {
        key: format!("vulnerability/X-1/{project}/{purl}"),
        family: Family::Vulnerability,
        id: "X-1".into(),
        aliases: vec!["CVE-2026-1".into()],
        rating: Rating::High,
        project_path: project.into(),
        purl: Some(purl.into()),
        title: "s".into(),
        fixed: Some("2.0".into()),
        known_exploited: false,
        detail: Detail::Vulnerability(Box::new(VulnerabilityDetail {
            finding: advisory,
            component: ComponentRef {
                ecosystem: Ecosystem::Npm,
                name: "x".into(),
                version: "1.0".into(),
                purl: purl.into(),
                file: format!("{project}/package-lock.json"),
                line: Some(7),
            },
            upgrade: Some("2.0".into()),
        })),
    }
}

/// The triage of a decision in `state` (a recorded state), in force.
pub fn triage(state: &str) -> Triage<'_> {
    Triage {
        state,
        active: matches!(state, "in_triage" | "exploitable"),
        decision: Some(Decision {
            state,
            justification: (state == "not_affected").then_some("code_not_reachable"),
            until: (state == "accepted_risk").then_some("2027-01-31"),
            reason: "why",
            by: "alice",
            at: "2026-11-20T10:00:00Z",
        }),
    }
}
