//! SARIF 2.1.0 from an audit report, as GitHub code scanning reads it.
//!
//! One rule per advisory (the finding's representative id), with
//! `properties.security-severity` (the CVSS score, or a score standing for
//! the rating) so GitHub shows a severity; one result per affected component,
//! located at the line of the lockfile that declares it.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use vigie_knowledge::cvss::Rating;

use crate::audit::{AuditReport, severity_label};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

fn level(f: &vigie_audit::VulnFinding) -> &'static str {
    if f.kind.is_informational() {
        return "note";
    }
    level_of(f.effective_rating())
}

/// The SARIF level of a rating: `error` (critical, high), `warning` (medium), `note`.
pub fn level_of(rating: Rating) -> &'static str {
    match rating {
        Rating::Critical | Rating::High => "error",
        Rating::Medium => "warning",
        Rating::Low | Rating::None => "note",
    }
}

fn lifecycle_level(f: &vigie_lifecycle::Finding) -> &'static str {
    level_of(vigie_findings::lifecycle_rating(f))
}

/// GitHub's `security-severity`: the CVSS score, else the middle of the rating's band.
pub fn security_severity(score: Option<f32>, rating: Rating) -> String {
    if let Some(score) = score.map(f64::from).filter(|s| s.is_finite()) {
        return format!("{score:.1}");
    }
    match rating {
        Rating::Critical => "9.5",
        Rating::High => "8.0",
        Rating::Medium => "5.5",
        Rating::Low => "2.0",
        Rating::None => "0.0",
    }
    .to_owned()
}

/// The SARIF log of a report.
pub fn log(report: &AuditReport) -> Value {
    let mut rules: BTreeMap<String, (usize, Value)> = BTreeMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut results = Vec::new();
    for (c, f) in report.findings() {
        let index = match rules.get(f.id.as_str()) {
            Some((i, _)) => *i,
            None => {
                let i = order.len();
                order.push(f.id.clone());
                let mut tags = vec![
                    "security".to_owned(),
                    f.kind.as_str().to_owned(),
                    c.ecosystem.as_str().to_owned(),
                ];
                tags.extend(f.aliases.iter().cloned());
                let help = format!(
                    "{}\n\nIds: {}{}\nFixed in: {}",
                    f.summary,
                    f.id,
                    if f.aliases.is_empty() {
                        String::new()
                    } else {
                        format!(", {}", f.aliases.join(", "))
                    },
                    if f.fixed.is_empty() {
                        "no fixed version known".to_owned()
                    } else {
                        f.fixed.join(", ")
                    }
                );
                let mut rule = json!({
                    "id": f.id,
                    "name": f.id.replace(|c: char| !c.is_ascii_alphanumeric(), ""),
                    "shortDescription": { "text": if f.summary.is_empty() { f.id.clone() } else { f.summary.clone() } },
                    "fullDescription": { "text": help.clone() },
                    "help": { "text": help },
                    "defaultConfiguration": { "level": level(f) },
                    "properties": {
                        "security-severity": security_severity(f.severity.as_ref().and_then(|s| s.score), f.effective_rating()),
                        "tags": tags,
                    },
                });
                if let Some(url) = &f.url {
                    rule["helpUri"] = json!(url);
                }
                rules.insert(f.id.clone(), (i, rule));
                i
            }
        };
        let mut region = json!({});
        if let Some(line) = c.line {
            region = json!({ "startLine": line });
        }
        let mut location = json!({
            "physicalLocation": {
                "artifactLocation": { "uri": c.file, "uriBaseId": "%SRCROOT%" },
            }
        });
        if c.line.is_some() {
            location["physicalLocation"]["region"] = region;
        }
        let fix = c
            .upgrade
            .as_deref()
            .map(|u| format!("; upgrade to {u}"))
            .unwrap_or_default();
        results.push(json!({
            "ruleId": f.id,
            "ruleIndex": index,
            "level": level(f),
            "message": {
                "text": format!("{} {} is affected by {} ({}){fix}", c.name, c.version, f.id, severity_label(f)),
            },
            "locations": [location],
            "partialFingerprints": {
                "vigie/v1": format!("{}|{}|{}|{}", f.id, c.purl, c.file, c.version),
            },
        }));
    }
    for p in &report.projects {
        for f in &p.lifecycle {
            let id = vigie_findings::lifecycle_rule_id(f.check);
            let index = match rules.get(id.as_str()) {
                Some((i, _)) => *i,
                None => {
                    let i = order.len();
                    let level = lifecycle_level(f);
                    let rule = json!({
                        "id": id,
                        "name": f.check.id().replace('-', ""),
                        "shortDescription": { "text": format!("Lifecycle: {}", f.check.id()) },
                        "helpUri": "https://endoflife.date",
                        "defaultConfiguration": { "level": level },
                        "properties": {
                            "tags": ["security", "lifecycle", "end-of-life"],
                            // An unsupported platform gets no security fixes.
                            "security-severity": match f.severity {
                                vigie_lifecycle::Severity::High => "7.0",
                                vigie_lifecycle::Severity::Medium => "5.0",
                                vigie_lifecycle::Severity::Low => "3.0",
                                vigie_lifecycle::Severity::Info => "0.0",
                            },
                        },
                    });
                    order.push(id.clone());
                    rules.insert(id.clone(), (i, rule));
                    i
                }
            };
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": f.evidence.file, "uriBaseId": "%SRCROOT%" },
                }
            });
            if let Some(line) = f.evidence.line {
                location["physicalLocation"]["region"] = json!({ "startLine": line });
            }
            results.push(json!({
                "ruleId": id,
                "ruleIndex": index,
                "level": lifecycle_level(f),
                "message": { "text": f.message(vigie_lifecycle::Lang::En) },
                "locations": [location],
                "partialFingerprints": {
                    "vigie/v1": format!("{}|{}|{}|{}", id, f.product, f.evidence.file, f.written),
                },
            }));
        }
    }
    for p in &report.projects {
        let Some(l) = &p.licences else { continue };
        let mut index = |c: vigie_audit::licences::Check| {
            let id = c.rule_id();
            if let Some((i, _)) = rules.get(id.as_str()) {
                return *i;
            }
            let i = order.len();
            order.push(id.clone());
            rules.insert(id, (i, crate::licences::sarif_rule(c)));
            i
        };
        results.extend(crate::licences::sarif_results(l, &mut index));
    }
    let rules: Vec<Value> = order
        .iter()
        .filter_map(|id| rules.remove(id).map(|(_, r)| r))
        .collect();
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "vigie",
                "version": report.tool.version,
                "informationUri": "https://vigie.dev",
                "rules": rules,
            }},
            "results": results,
        }],
    })
}
