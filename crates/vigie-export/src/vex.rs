//! CycloneDX 1.6 `vulnerabilities` with VEX `analysis`, and the BOM components of a stored
//! snapshot, for `vigie report -f cyclonedx`.
//!
//! The layout is that of [`crate::cyclonedx::bom`] (estate, one `application` per project,
//! nested `library` components, `vigie:` properties). One vulnerability entry per advisory
//! and triage decision: findings of one advisory share an entry when their decisions give the
//! same analysis (CycloneDX has one `analysis` per entry, and triage is per finding), and each
//! affected component is one `affects` item.
//!
//! Triage → VEX `analysis.state`: `in_triage`, `exploitable`, `not_affected` (with its
//! `justification`) and `false_positive` map to themselves; an unexpired `accepted_risk` is
//! `exploitable` with `response: ["will_not_fix"]` (CycloneDX 1.6 has no "accepted" state;
//! responses are "strongly encouraged" for exploitable); an expired acceptance and an
//! undecided finding carry no analysis.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use vigie_findings::{Rating, SeveritySource, VulnFinding};

use crate::cyclonedx::looks_like_spdx_expression;

/// A triage decision as it applies to a finding today.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision<'a> {
    /// The stored state: `in_triage`, `exploitable`, `not_affected`, `false_positive`,
    /// `accepted_risk`.
    pub state: &'a str,
    /// The CycloneDX justification of a `not_affected`.
    pub justification: Option<&'a str>,
    /// The last day of an acceptance.
    pub until: Option<&'a str>,
    /// False for an acceptance whose last day is past.
    pub in_force: bool,
    pub reason: &'a str,
    pub by: &'a str,
    /// RFC 3339 time of the decision.
    pub at: &'a str,
}

/// One vulnerability finding: an advisory affecting one component of one project.
#[derive(Clone, Debug)]
pub struct Occurrence<'a> {
    /// The advisory's representative id.
    pub id: &'a str,
    pub aliases: &'a [String],
    /// vigie's rating, used when the finding has no severity.
    pub rating: Rating,
    /// The finding as the audit reported it (`None` for a stored detail this vigie does not
    /// read).
    pub finding: Option<&'a VulnFinding>,
    /// The bom-refs of the affected components (none when the component is not in the BOM).
    pub refs: &'a [String],
    pub version: Option<&'a str>,
    pub decision: Option<Decision<'a>>,
}

/// The VEX analysis of a decision; `None` when there is none in force.
pub fn analysis(d: &Decision<'_>) -> Option<Value> {
    let who = format!("{} ({}, {})", d.reason, d.by, d.at);
    let mut a = match d.state {
        "in_triage" | "exploitable" | "false_positive" => {
            json!({ "state": d.state, "detail": who })
        }
        "not_affected" => {
            let mut v = json!({ "state": "not_affected", "detail": who });
            if let Some(j) = d.justification.filter(|j| is_justification(j)) {
                v["justification"] = json!(j);
            }
            v
        }
        "accepted_risk" if d.in_force => json!({
            "state": "exploitable",
            "response": ["will_not_fix"],
            "detail": format!("Risk accepted until {}: {who}", d.until.unwrap_or("?")),
        }),
        _ => return None,
    };
    if is_date_time(d.at) {
        a["lastUpdated"] = json!(d.at);
    }
    Some(a)
}

fn is_justification(j: &str) -> bool {
    matches!(
        j,
        "code_not_present"
            | "code_not_reachable"
            | "requires_configuration"
            | "requires_dependency"
            | "requires_environment"
            | "protected_by_compiler"
            | "protected_at_runtime"
            | "protected_at_perimeter"
            | "protected_by_mitigating_control"
    )
}

/// `YYYY-MM-DDThh:mm:ss…`: enough of RFC 3339's shape for a `date-time` field.
fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b.get(10) == Some(&b'T')
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b.get(i).is_some_and(u8::is_ascii_digit))
}

/// The source that names an id: NVD for CVEs, GitHub for GHSAs, OSV for the rest.
pub fn source(id: &str) -> Value {
    if id.starts_with("CVE-") {
        json!({ "name": "NVD", "url": format!("https://nvd.nist.gov/vuln/detail/{id}") })
    } else if id.starts_with("GHSA-") {
        json!({ "name": "GitHub Advisories", "url": format!("https://github.com/advisories/{id}") })
    } else {
        json!({ "name": "OSV", "url": format!("https://osv.dev/vulnerability/{id}") })
    }
}

/// The CycloneDX rating of a finding: its CVSS severity when it has one, else vigie's rating.
fn ratings(f: Option<&VulnFinding>, rating: Rating) -> Value {
    let Some(sev) = f.and_then(|f| f.severity.as_ref()) else {
        return json!([{ "severity": rating.as_str(), "method": "other" }]);
    };
    let vector = sev.vector.as_deref();
    let method = match (sev.source, vector) {
        (SeveritySource::CvssV2, _) => "CVSSv2",
        (SeveritySource::CvssV4, _) => "CVSSv4",
        (SeveritySource::CvssV3, Some(v)) if v.starts_with("CVSS:3.0/") => "CVSSv3",
        (SeveritySource::CvssV3, _) => "CVSSv31",
        (SeveritySource::Database, _) => "other",
    };
    let mut out = json!({ "severity": sev.rating.as_str(), "method": method });
    // Widened as the stored JSON holds it (`to_value` of an f32).
    if let Some(score) = sev.score.map(f64::from).filter(|s| s.is_finite()) {
        out["score"] = json!(score);
    }
    if let Some(v) = vector {
        out["vector"] = json!(v);
    }
    json!([out])
}

/// The first entry of an advisory group, without its `affects` and `analysis`.
fn entry(o: &Occurrence<'_>) -> Map<String, Value> {
    let f = o.finding;
    let mut v = Map::new();
    v.insert("id".into(), json!(o.id));
    v.insert("source".into(), source(o.id));
    let references: Vec<Value> = o
        .aliases
        .iter()
        .filter(|a| a.as_str() != o.id)
        .map(|a| json!({ "id": a, "source": source(a) }))
        .collect();
    if !references.is_empty() {
        v.insert("references".into(), Value::Array(references));
    }
    v.insert("ratings".into(), ratings(f, o.rating));
    if let Some(s) = f.map(|f| f.summary.as_str()).filter(|s| !s.is_empty()) {
        v.insert("description".into(), json!(s));
    }
    let fixed: &[String] = f.map_or(&[], |f| &f.fixed);
    if !fixed.is_empty() {
        v.insert(
            "recommendation".into(),
            json!(format!("Upgrade to {}", fixed.join(" or "))),
        );
    }
    let mut advisories = Vec::new();
    if let Some(url) = f.and_then(|f| f.url.as_deref()) {
        advisories.push(json!({ "url": url }));
    }
    for a in f.map_or(&[][..], |f| &f.advisories) {
        let url = source(a)["url"].clone();
        if !advisories.iter().any(|x| x["url"] == url) {
            advisories.push(json!({ "title": a, "url": url }));
        }
    }
    if !advisories.is_empty() {
        v.insert("advisories".into(), Value::Array(advisories));
    }
    let mut props = Vec::new();
    if let Some(f) = f {
        props.push(json!({ "name": "vigie:kind", "value": f.kind.as_str() }));
        if let Some(kev) = &f.known_exploited {
            props.push(json!({ "name": "vigie:known-exploited", "value": kev.cve }));
        }
    }
    if !props.is_empty() {
        v.insert("properties".into(), Value::Array(props));
    }
    v
}

/// The `vulnerabilities` array: one entry per advisory and distinct analysis, in id order.
pub fn vulnerabilities(occurrences: &[Occurrence<'_>]) -> Vec<Value> {
    // (id, analysis as text) → (entry, analysis, expired, affects)
    type Group = (Map<String, Value>, Option<Value>, bool, Vec<Value>);
    let mut groups: BTreeMap<(&str, String), Group> = BTreeMap::new();
    for o in occurrences {
        let a = o.decision.as_ref().and_then(analysis);
        let expired = o
            .decision
            .as_ref()
            .is_some_and(|d| d.state == "accepted_risk" && !d.in_force);
        let key = (
            o.id,
            format!(
                "{expired}{}",
                a.as_ref().map_or(String::new(), Value::to_string)
            ),
        );
        let g = groups
            .entry(key)
            .or_insert_with(|| (entry(o), a, expired, Vec::new()));
        for r in o.refs {
            let mut item = json!({ "ref": r });
            if let Some(ver) = o.version {
                item["versions"] = json!([{ "version": ver, "status": "affected" }]);
            }
            if !g.3.contains(&item) {
                g.3.push(item);
            }
        }
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(n, ((id, _), (mut v, a, expired, affects)))| {
            v.insert("bom-ref".into(), json!(format!("vulnerability-{n}:{id}")));
            if let Some(a) = a {
                v.insert("analysis".into(), a);
            }
            if expired {
                let props = v
                    .entry("properties")
                    .or_insert_with(|| Value::Array(Vec::new()));
                if let Some(p) = props.as_array_mut() {
                    p.push(json!({ "name": "vigie:triage", "value": "acceptance_expired" }));
                }
            }
            v.insert("affects".into(), Value::Array(affects));
            Value::Object(v)
        })
        .collect()
}

/// A stored component as a CycloneDX `library` (the store keeps no file, scope or relation
/// for the report to read, so those properties of the inventory BOM are absent).
pub fn stored_component(
    bom_ref: &str,
    ecosystem: &str,
    name: &str,
    version: Option<&str>,
    purl: &str,
    licence: Option<&str>,
) -> Value {
    let (group, short) = match purl.parse::<vigie_model::Purl>() {
        Ok(p) => (p.namespace, p.name),
        Err(_) => (None, name.to_owned()),
    };
    let mut v = json!({ "type": "library", "bom-ref": bom_ref, "name": short, "purl": purl });
    if let Some(g) = group {
        v["group"] = json!(g);
    }
    if let Some(ver) = version {
        v["version"] = json!(ver);
    }
    if let Some(l) = licence.filter(|l| !l.is_empty()) {
        v["licenses"] = if looks_like_spdx_expression(l) {
            json!([{ "expression": l }])
        } else {
            json!([{ "license": { "name": l } }])
        };
    }
    v["properties"] = json!([{ "name": "vigie:ecosystem", "value": ecosystem }]);
    v
}

/// A version-4-shaped `urn:uuid:` derived from `parts` (no randomness in a pure crate).
pub fn serial_number(parts: &[&str]) -> String {
    let a = crate::fnv64(parts);
    let b = crate::fnv64(&[&a.to_string(), &parts.join("\n")]);
    crate::cyclonedx::uuid_urn(a, b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decision(state: &str) -> Decision<'_> {
        Decision {
            state,
            justification: (state == "not_affected").then_some("code_not_reachable"),
            until: (state == "accepted_risk").then_some("2027-01-31"),
            in_force: true,
            reason: "why",
            by: "alice",
            at: "2026-11-20T10:00:00Z",
        }
    }

    // Expected values written from the CycloneDX 1.6 schema's impactAnalysisState,
    // impactAnalysisJustification and response enums, not from this code's output.
    #[test]
    fn triage_states_map_to_vex() {
        let state = |s: &str| analysis(&decision(s)).map(|a| a["state"].clone());
        assert_eq!(state("in_triage"), Some(json!("in_triage")));
        assert_eq!(state("exploitable"), Some(json!("exploitable")));
        assert_eq!(state("false_positive"), Some(json!("false_positive")));
        let na = analysis(&decision("not_affected")).unwrap();
        assert_eq!(na["state"], "not_affected");
        assert_eq!(na["justification"], "code_not_reachable");
        assert_eq!(na["lastUpdated"], "2026-11-20T10:00:00Z");
        let acc = analysis(&decision("accepted_risk")).unwrap();
        assert_eq!(acc["state"], "exploitable");
        assert_eq!(acc["response"], json!(["will_not_fix"]));
        assert!(acc["detail"].as_str().unwrap().contains("2027-01-31"));
        let expired = Decision {
            in_force: false,
            ..decision("accepted_risk")
        };
        assert_eq!(analysis(&expired), None);
        let odd = Decision {
            at: "yesterday",
            ..decision("in_triage")
        };
        assert!(analysis(&odd).unwrap().get("lastUpdated").is_none());
    }

    #[test]
    fn sources_by_id_prefix() {
        assert_eq!(
            source("CVE-2021-23727")["url"],
            "https://nvd.nist.gov/vuln/detail/CVE-2021-23727"
        );
        assert_eq!(source("GHSA-q4xr-rc97-m4xx")["name"], "GitHub Advisories");
        assert_eq!(
            source("PYSEC-2021-858")["url"],
            "https://osv.dev/vulnerability/PYSEC-2021-858"
        );
    }

    #[test]
    fn one_entry_per_advisory_and_decision() {
        let finding: VulnFinding = serde_json::from_value(json!({
            "kind": "vulnerability", "id": "X-1", "aliases": [], "advisories": ["X-1"],
            "summary": "s", "fixed": ["2.0"],
            "severity": {"rating": "high", "score": 7.5, "source": "cvss_v3",
                         "vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},
        }))
        .unwrap();
        fn occ<'a>(
            finding: &'a VulnFinding,
            refs: &'a [String],
            decision: Option<Decision<'a>>,
        ) -> Occurrence<'a> {
            Occurrence {
                id: "X-1",
                aliases: &[],
                rating: Rating::High,
                finding: Some(finding),
                refs,
                version: Some("1.0"),
                decision,
            }
        }
        let (r1, r2, r3) = (["a#0".to_owned()], ["b#0".to_owned()], ["c#0".to_owned()]);
        let out = vulnerabilities(&[
            occ(&finding, &r1, None),
            occ(&finding, &r2, None),
            occ(&finding, &r3, Some(decision("false_positive"))),
        ]);
        assert_eq!(out.len(), 2);
        let affects: usize = out
            .iter()
            .map(|v| v["affects"].as_array().unwrap().len())
            .sum();
        assert_eq!(affects, 3);
        let open = out.iter().find(|v| v.get("analysis").is_none()).unwrap();
        assert_eq!(open["ratings"][0]["method"], "CVSSv31");
        assert_eq!(open["ratings"][0]["score"], 7.5);
        assert_eq!(open["affects"][0]["versions"][0]["version"], "1.0");
        assert_ne!(out[0]["bom-ref"], out[1]["bom-ref"]);
    }
}
