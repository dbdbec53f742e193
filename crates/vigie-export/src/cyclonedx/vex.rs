//! CycloneDX 1.6 `vulnerabilities` with VEX `analysis`, from typed findings and their triage.
//!
//! One vulnerability entry per advisory and triage decision: findings of one advisory share an
//! entry when their decisions give the same analysis (CycloneDX has one `analysis` per entry,
//! and triage is per finding), and each affected component is one `affects` item. Lifecycle
//! and licence findings are not vulnerabilities: they are left out.
//!
//! Triage → VEX `analysis.state`: `in_triage`, `exploitable`, `not_affected` (with its
//! `justification`) and `false_positive` map to themselves; an unexpired `accepted_risk` is
//! `exploitable` with `response: ["will_not_fix"]` (CycloneDX 1.6 has no "accepted" state;
//! responses are "strongly encouraged" for exploitable); an expired acceptance and an
//! undecided finding carry no analysis.

use std::collections::{BTreeMap, HashMap};

use serde_json::{Map, Value, json};

use vigie_findings::{Family, Finding, Rating, SeveritySource, VulnFinding};

use crate::triage::{Triage, Triaged};

/// The bom-refs of the components the findings affect, by project path and purl.
#[derive(Debug, Default)]
pub struct Affected {
    refs: HashMap<String, HashMap<String, Vec<String>>>,
}

impl Affected {
    /// Ready to note the components of `findings`' vulnerabilities (no others are kept).
    pub fn of(findings: &[Triaged<'_>]) -> Affected {
        let mut refs: HashMap<String, HashMap<String, Vec<String>>> = HashMap::new();
        for f in findings.iter().map(|t| t.finding) {
            if let (Family::Vulnerability, Some(purl)) = (f.family, &f.purl) {
                refs.entry(f.project_path.clone())
                    .or_default()
                    .insert(purl.clone(), Vec::new());
            }
        }
        Affected { refs }
    }

    /// Whether a vulnerability affects the component `purl` of the project at `project_path`.
    pub fn wants(&self, project_path: &str, purl: &str) -> bool {
        self.refs
            .get(project_path)
            .is_some_and(|p| p.contains_key(purl))
    }

    /// Notes that `bom_ref` is a component `purl` of the project at `project_path`, when a
    /// vulnerability affects it (looked up by borrowed text: no allocation otherwise).
    pub fn note(&mut self, project_path: &str, purl: &str, bom_ref: &str) {
        if let Some(list) = self
            .refs
            .get_mut(project_path)
            .and_then(|p| p.get_mut(purl))
        {
            list.push(bom_ref.to_owned());
        }
    }

    /// The bom-refs of the components a finding affects.
    fn of_finding(&self, f: &Finding) -> &[String] {
        f.purl
            .as_deref()
            .and_then(|purl| self.refs.get(&f.project_path)?.get(purl))
            .map_or(&[], Vec::as_slice)
    }
}

/// The VEX analysis of a finding's triage; `None` when there is no decision in force.
pub fn analysis(t: &Triage<'_>) -> Option<Value> {
    let d = t.decision.as_ref()?;
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
        "accepted_risk" if !t.acceptance_expired() => json!({
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

/// The entry of an advisory group as `o` describes it, without its `affects` and `analysis`.
fn entry(o: &Finding) -> Map<String, Value> {
    let f = o.detail.vulnerability().map(|d| &d.finding);
    let id = o.id.as_str();
    let mut v = Map::new();
    v.insert("id".into(), json!(id));
    v.insert("source".into(), source(id));
    let references: Vec<Value> = o
        .aliases
        .iter()
        .filter(|a| a.as_str() != id)
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

/// The `vulnerabilities` array of the vulnerability findings among `findings`: one entry per
/// advisory and distinct analysis, in id order, each component `affected` names an `affects`
/// item.
pub fn vulnerabilities(findings: &[Triaged<'_>], affected: &Affected) -> Vec<Value> {
    // (id, analysis as text) → (the finding that describes the entry: the one of the smallest
    // key, so that the same findings give the same entry in any order; analysis, expired,
    // affects)
    type Group<'f> = (&'f Finding, Option<Value>, bool, Vec<Value>);
    let mut groups: BTreeMap<(&str, String), Group<'_>> = BTreeMap::new();
    for Triaged { finding: o, triage } in findings {
        if o.family != Family::Vulnerability {
            continue;
        }
        let a = triage.as_ref().and_then(analysis);
        let expired = triage.as_ref().is_some_and(|t| {
            t.acceptance_expired()
                && t.decision
                    .as_ref()
                    .is_some_and(|d| d.state == "accepted_risk")
        });
        let key = (
            o.id.as_str(),
            format!(
                "{expired}{}",
                a.as_ref().map_or(String::new(), Value::to_string)
            ),
        );
        let g = groups
            .entry(key)
            .or_insert_with(|| (o, a, expired, Vec::new()));
        if o.key < g.0.key {
            g.0 = o;
        }
        let version = o.component().and_then(|(_, _, v)| v);
        for r in affected.of_finding(o) {
            let mut item = json!({ "ref": r });
            if let Some(ver) = version {
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
        .map(|(n, ((id, _), (describer, a, expired, affects)))| {
            let mut v = entry(describer);
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

#[cfg(test)]
mod tests {
    use vigie_findings::Detail;

    use super::*;
    use crate::fixtures::{finding, triage};

    // Expected values written from the CycloneDX 1.6 schema's impactAnalysisState,
    // impactAnalysisJustification and response enums, not from this code's output.
    #[test]
    fn triage_states_map_to_vex() {
        let state = |s: &str| analysis(&triage(s)).map(|a| a["state"].clone());
        assert_eq!(state("in_triage"), Some(json!("in_triage")));
        assert_eq!(state("exploitable"), Some(json!("exploitable")));
        assert_eq!(state("false_positive"), Some(json!("false_positive")));
        let na = analysis(&triage("not_affected")).unwrap();
        assert_eq!(na["state"], "not_affected");
        assert_eq!(na["justification"], "code_not_reachable");
        assert_eq!(na["lastUpdated"], "2026-11-20T10:00:00Z");
        let acc = analysis(&triage("accepted_risk")).unwrap();
        assert_eq!(acc["state"], "exploitable");
        assert_eq!(acc["response"], json!(["will_not_fix"]));
        assert!(acc["detail"].as_str().unwrap().contains("2027-01-31"));
        let expired = Triage {
            state: "acceptance_expired",
            active: true,
            ..triage("accepted_risk")
        };
        assert_eq!(analysis(&expired), None);
        let mut odd = triage("in_triage");
        if let Some(d) = &mut odd.decision {
            d.at = "yesterday";
        }
        assert!(analysis(&odd).unwrap().get("lastUpdated").is_none());
        let open = Triage {
            state: "open",
            active: true,
            decision: None,
        };
        assert_eq!(analysis(&open), None);
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
        let (a, b, c) = (finding("a"), finding("b"), finding("c"));
        let findings = [
            Triaged {
                finding: &a,
                triage: None,
            },
            Triaged {
                finding: &b,
                triage: None,
            },
            Triaged {
                finding: &c,
                triage: Some(triage("false_positive")),
            },
        ];
        let mut affected = Affected::of(&findings);
        for p in ["a", "b", "c"] {
            affected.note(p, "pkg:npm/x@1.0", &format!("{p}#0"));
            affected.note(p, "pkg:npm/y@1.0", &format!("{p}#1"));
        }
        let out = vulnerabilities(&findings, &affected);
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
        assert_eq!(open["affects"][0]["ref"], "a#0");
        assert_ne!(out[0]["bom-ref"], out[1]["bom-ref"]);
    }

    #[test]
    fn the_same_findings_give_the_same_entries_in_any_order() {
        let a = finding("a");
        let mut b = finding("b");
        if let Detail::Vulnerability(d) = &mut b.detail {
            d.finding.fixed = vec!["3.0".into()];
        }
        let entries = |fs: &[Finding]| {
            let findings = Triaged::untriaged(fs);
            vulnerabilities(&findings, &Affected::of(&findings))
        };
        let ab = entries(&[a.clone(), b.clone()]);
        assert_eq!(ab, entries(&[b, a]));
        assert_eq!(ab[0]["recommendation"], "Upgrade to 2.0");
    }
}
