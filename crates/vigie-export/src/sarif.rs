//! SARIF 2.1.0 of typed findings, as GitHub code scanning reads it: the one SARIF writer of
//! `vigie audit -f sarif` (the findings of the audit, no triage) and `vigie report -f sarif`
//! (a stored snapshot's findings with the triage in force).
//!
//! One rule per advisory (the finding's representative id), `lifecycle/<check>` or
//! `licence/<check>`, described by the finding of the smallest key that names it, with
//! `properties.security-severity` (the CVSS score, or a score standing for the rating) so
//! GitHub shows a severity. One result per finding, in the order given: its message, its file
//! and line when known, its project as a logical location, its key (stable across snapshots,
//! the one `vigie triage` takes) as the `vigie/v1` fingerprint. Findings set aside by triage
//! (`not_affected`, `false_positive`, an acceptance in force) are kept, with an `external`
//! suppression whose justification is the decision.

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde_json::{Value, json};
use vigie_findings::licence::Check;
use vigie_findings::{Detail, Family, Finding, Rating, VulnFinding};

use crate::audit::severity_label;
use crate::project_name;
use crate::triage::{Triage, Triaged};

pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// What `%SRCROOT%`, the base of every result's file, stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SrcRoot {
    /// The folder the command read (`vigie audit .` in a checkout): files as the walk
    /// wrote them.
    Scan,
    /// Each finding's project (a stored estate, whose projects are usually repositories):
    /// files relative to their project.
    Project,
}

/// The run: who wrote it, and how its files are located.
#[derive(Clone, Debug)]
pub struct Run {
    pub tool_version: String,
    pub src_root: SrcRoot,
    /// The run's `properties` (`vigie:snapshot`...), if any.
    pub properties: Option<Value>,
}

/// The SARIF level of a rating: `error` (critical, high), `warning` (medium), `note`.
fn level_of(rating: Rating) -> &'static str {
    match rating {
        Rating::Critical | Rating::High => "error",
        Rating::Medium => "warning",
        Rating::Low | Rating::None => "note",
    }
}

/// GitHub's `security-severity`: the CVSS score, else the middle of the rating's band.
fn security_severity(score: Option<f32>, rating: Rating) -> String {
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

/// The advisory of a vulnerability finding, when its detail reads.
fn advisory(f: &Finding) -> Option<&VulnFinding> {
    f.detail.vulnerability().map(|d| &d.finding)
}

/// A finding's level: informational advisories are notes, the rest follow the rating.
fn level(f: &Finding) -> &'static str {
    if advisory(f).is_some_and(|a| a.kind.is_informational()) {
        return "note";
    }
    level_of(f.rating)
}

/// The check of a lifecycle finding (`eol-passed`): its detail's, else its id's first part.
fn lifecycle_check(f: &Finding) -> &str {
    match f.detail.lifecycle() {
        Some(d) => d.finding.check.id(),
        None => f.id.split(':').next().unwrap_or(&f.id),
    }
}

/// The check of a licence finding, when it is one this vigie knows.
fn licence_check(f: &Finding) -> Option<Check> {
    match &f.detail {
        Detail::Licence(d) => Some(d.finding.check),
        Detail::UnknownLicences(d) => Some(d.finding.check),
        _ => {
            let id = f.id.strip_prefix("licence/")?;
            Check::ALL.into_iter().find(|c| c.id() == id)
        }
    }
}

/// The rule id of a finding.
fn rule_id(f: &Finding) -> String {
    match f.family {
        Family::Vulnerability | Family::Licence => f.id.clone(),
        Family::Lifecycle => format!("lifecycle/{}", lifecycle_check(f)),
    }
}

/// The rule a finding names, described by that finding.
fn rule(f: &Finding, id: &str) -> Value {
    match f.family {
        Family::Vulnerability => vulnerability_rule(f),
        Family::Lifecycle => {
            let check = lifecycle_check(f);
            let r = CheckRule {
                short: format!("Lifecycle: {check}"),
                help_uri: "https://endoflife.date",
                tags: &["security", "lifecycle", "end-of-life"],
                // An unsupported platform gets no security fixes.
                severity: match f.rating {
                    Rating::Critical | Rating::High => "7.0",
                    Rating::Medium => "5.0",
                    Rating::Low => "3.0",
                    Rating::None => "0.0",
                },
            };
            r.rule(f, id, check)
        }
        Family::Licence => {
            let name = id.strip_prefix("licence/").unwrap_or(id);
            let title = licence_check(f).map_or(name, |c| c.title(vigie_licence::Lang::En));
            let r = CheckRule {
                short: format!("Licence: {title}"),
                help_uri: "https://spdx.org/licenses/",
                tags: &["licence", "legal"],
                // So that code-scanning tools order them with the rest.
                severity: match f.rating {
                    Rating::High | Rating::Critical => "7.0",
                    Rating::Medium => "4.0",
                    Rating::Low | Rating::None => "1.0",
                },
            };
            r.rule(f, id, name)
        }
    }
}

/// What the rule of a lifecycle or licence check says.
struct CheckRule {
    short: String,
    help_uri: &'static str,
    tags: &'static [&'static str],
    severity: &'static str,
}

impl CheckRule {
    fn rule(self, f: &Finding, id: &str, check: &str) -> Value {
        json!({
            "id": id,
            "name": check.replace('-', ""),
            "shortDescription": { "text": self.short },
            "helpUri": self.help_uri,
            "defaultConfiguration": { "level": level(f) },
            "properties": { "tags": self.tags, "security-severity": self.severity },
        })
    }
}

fn vulnerability_rule(f: &Finding) -> Value {
    let a = advisory(f);
    let mut tags = vec!["security".to_owned()];
    tags.extend(a.map(|a| a.kind.as_str().to_owned()));
    tags.extend(f.component().map(|(eco, _, _)| eco.as_str().to_owned()));
    tags.extend(f.aliases.iter().cloned());
    let ids = std::iter::once(f.id.as_str())
        .chain(f.aliases.iter().map(String::as_str))
        .collect::<Vec<_>>()
        .join(", ");
    let mut help = format!("{}\n\nIds: {ids}", f.title);
    if let Some(a) = a {
        help.push_str("\nFixed in: ");
        if a.fixed.is_empty() {
            help.push_str("no fixed version known");
        } else {
            help.push_str(&a.fixed.join(", "));
        }
    }
    let score = a.and_then(|a| a.severity.as_ref()?.score);
    let mut rule = json!({
        "id": f.id,
        "name": f.id.replace(|c: char| !c.is_ascii_alphanumeric(), ""),
        "shortDescription": { "text": if f.title.is_empty() { &f.id } else { &f.title } },
        "fullDescription": { "text": help },
        "help": { "text": help },
        "defaultConfiguration": { "level": level(f) },
        "properties": {
            "security-severity": security_severity(score, f.rating),
            "tags": tags,
        },
    });
    if let Some(url) = a.and_then(|a| a.url.as_deref()) {
        rule["helpUri"] = json!(url);
    }
    rule
}

/// What a result says.
fn message(f: &Finding) -> String {
    match &f.detail {
        Detail::Vulnerability(d) => {
            let c = &d.component;
            let fix = f
                .fixed
                .as_deref()
                .map(|u| format!("; upgrade to {u}"))
                .unwrap_or_default();
            format!(
                "{} {} in {} is affected by {} ({}){fix}",
                c.name,
                c.version,
                f.project_path,
                f.id,
                severity_label(&d.finding)
            )
        }
        Detail::Lifecycle(d) => d.finding.message(vigie_lifecycle::Lang::En),
        Detail::Licence(d) => format!(
            "{} {}: {}",
            d.component.name,
            d.component.version.as_deref().unwrap_or(""),
            d.finding.message[0]
        ),
        Detail::UnknownLicences(_) | Detail::Unparsed(_) => f.title.clone(),
    }
}

/// Where a finding is: its project, and its file and line when known.
fn location(f: &Finding, src_root: SrcRoot) -> Value {
    let mut loc = json!({
        "logicalLocations": [{
            "name": project_name(&f.project_path),
            "fullyQualifiedName": f.project_path,
            "kind": "module",
        }],
    });
    if let Some((file, line)) = f.location() {
        let uri = match src_root {
            SrcRoot::Scan => file,
            SrcRoot::Project => {
                let prefix = format!("{}/", f.project_path.trim_end_matches('/'));
                file.strip_prefix(&prefix).unwrap_or(file)
            }
        };
        loc["physicalLocation"] = json!({
            "artifactLocation": { "uri": uri, "uriBaseId": "%SRCROOT%" },
        });
        if let Some(line) = line.filter(|l| *l >= 1) {
            loc["physicalLocation"]["region"] = json!({ "startLine": line });
        }
    }
    loc
}

/// The suppression of a finding set aside by triage.
fn suppression(t: &Triage<'_>) -> Option<Value> {
    let d = t.decision.as_ref().filter(|_| !t.active)?;
    let mut why = format!("{}: {} ({}, {})", d.state, d.reason, d.by, d.at);
    if let Some(j) = d.justification {
        why = format!("{why} [{j}]");
    }
    if let Some(u) = d.until {
        why = format!("{why}, until {u}");
    }
    Some(json!([{ "kind": "external", "status": "accepted", "justification": why }]))
}

/// The SARIF log of `findings`, in their order.
pub fn log(findings: &[Triaged<'_>], run: &Run) -> Value {
    // Each rule is described by its finding of the smallest key, so that the same findings
    // give the same rules in any order; rules are listed in the order the results name them.
    let mut describer: BTreeMap<String, &Finding> = BTreeMap::new();
    for Triaged { finding: f, .. } in findings {
        describer
            .entry(rule_id(f))
            .and_modify(|d| {
                if f.key < d.key {
                    *d = f;
                }
            })
            .or_insert(f);
    }
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut rules = Vec::new();
    let mut results = Vec::with_capacity(findings.len());
    for Triaged { finding: f, triage } in findings {
        let id = rule_id(f);
        let i = match index.get(&id) {
            Some(i) => *i,
            None => {
                rules.push(rule(describer.get(&id).unwrap_or(f), &id));
                index.insert(id.clone(), rules.len() - 1);
                rules.len() - 1
            }
        };
        let mut properties = json!({ "vigie:key": f.key });
        if let Some(t) = triage {
            properties["vigie:triage"] = json!(t.state);
        }
        let mut result = json!({
            "ruleId": id,
            "ruleIndex": i,
            "level": level(f),
            "message": { "text": message(f) },
            "locations": [location(f, run.src_root)],
            "partialFingerprints": { "vigie/v1": f.key },
            "properties": properties,
        });
        if let Some(s) = triage.as_ref().and_then(suppression) {
            result["suppressions"] = s;
        }
        results.push(result);
    }
    let mut run_value = json!({
        "tool": { "driver": {
            "name": "vigie",
            "version": run.tool_version,
            "informationUri": "https://vigie.dev",
            "rules": rules,
        }},
        "results": results,
    });
    if let Some(p) = &run.properties {
        run_value["properties"] = p.clone();
    }
    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [run_value],
    })
}

/// Writes the SARIF log of `findings` (indented, one final newline).
pub fn write(out: &mut dyn Write, findings: &[Triaged<'_>], run: &Run) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(findings, run))?;
    out.write_all(b"\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{finding, triage};

    fn run(src_root: SrcRoot) -> Run {
        Run {
            tool_version: "1.2.3".into(),
            src_root,
            properties: None,
        }
    }

    #[test]
    fn one_rule_per_id_and_one_result_per_finding() {
        let (a, b) = (finding("apps/a"), finding("apps/b"));
        let log = log(&Triaged::untriaged(&[a, b]), &run(SrcRoot::Scan));
        let run = &log["runs"][0];
        assert_eq!(run["tool"]["driver"]["version"], "1.2.3");
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), 1);
        assert_eq!(rules[0]["id"], "X-1");
        assert_eq!(rules[0]["properties"]["security-severity"], "7.5");
        assert_eq!(
            rules[0]["help"]["text"],
            "s\n\nIds: X-1, CVE-2026-1\nFixed in: 2.0"
        );
        let results = run["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        let r = &results[1];
        assert_eq!((&r["ruleIndex"], &r["level"]), (&json!(0), &json!("error")));
        assert_eq!(
            r["message"]["text"],
            "x 1.0 in apps/b is affected by X-1 (HIGH 7.5); upgrade to 2.0"
        );
        let key = "vulnerability/X-1/apps/b/pkg:npm/x@1.0";
        assert_eq!(r["partialFingerprints"]["vigie/v1"], key);
        assert_eq!(r["properties"], json!({ "vigie:key": key }));
        assert!(r.get("suppressions").is_none());
        let loc = &r["locations"][0];
        assert_eq!(loc["logicalLocations"][0]["name"], "b");
        assert_eq!(
            loc["physicalLocation"]["artifactLocation"]["uri"],
            "apps/b/package-lock.json"
        );
        assert_eq!(loc["physicalLocation"]["region"]["startLine"], 7);
    }

    #[test]
    fn the_same_findings_give_the_same_rules_in_any_order() {
        let a = finding("a");
        let mut b = finding("b");
        if let Detail::Vulnerability(d) = &mut b.detail {
            d.finding.fixed = vec!["3.0".into()];
        }
        let rules = |fs: &[Finding]| {
            log(&Triaged::untriaged(fs), &run(SrcRoot::Scan))["runs"][0]["tool"]["driver"]["rules"]
                .clone()
        };
        let ab = rules(&[a.clone(), b.clone()]);
        assert_eq!(ab, rules(&[b, a]));
        assert!(
            ab[0]["help"]["text"]
                .as_str()
                .unwrap()
                .ends_with("Fixed in: 2.0")
        );
    }

    #[test]
    fn files_are_relative_to_their_project_when_asked() {
        let f = finding("apps/a");
        let log = log(&Triaged::untriaged(&[f]), &run(SrcRoot::Project));
        let loc = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "package-lock.json");
    }

    #[test]
    fn findings_set_aside_are_suppressed_with_the_decision() {
        let (a, b) = (finding("a"), finding("b"));
        let findings = [
            Triaged {
                finding: &a,
                triage: Some(triage("exploitable")),
            },
            Triaged {
                finding: &b,
                triage: Some(triage("not_affected")),
            },
        ];
        let log = log(&findings, &run(SrcRoot::Project));
        let results = log["runs"][0]["results"].as_array().unwrap();
        assert!(results[0].get("suppressions").is_none());
        assert_eq!(results[0]["properties"]["vigie:triage"], "exploitable");
        let s = &results[1]["suppressions"][0];
        assert_eq!(
            (&s["kind"], &s["status"]),
            (&json!("external"), &json!("accepted"))
        );
        assert_eq!(
            s["justification"],
            "not_affected: why (alice, 2026-11-20T10:00:00Z) [code_not_reachable]"
        );
    }

    #[test]
    fn a_detail_that_does_not_read_still_gives_a_result() {
        let mut f = finding("a");
        f.family = Family::Lifecycle;
        f.id = "eol-passed:python".into();
        f.rating = Rating::None;
        f.detail = Detail::Unparsed(json!({ "finding": { "check": "eol-passed" } }));
        let log = log(&Triaged::untriaged(&[f]), &run(SrcRoot::Scan));
        let rule = &log["runs"][0]["tool"]["driver"]["rules"][0];
        assert_eq!(rule["id"], "lifecycle/eol-passed");
        assert_eq!(rule["properties"]["security-severity"], "0.0");
        let r = &log["runs"][0]["results"][0];
        assert_eq!(
            (&r["level"], &r["message"]["text"]),
            (&json!("note"), &json!("s"))
        );
        assert!(r["locations"][0].get("physicalLocation").is_none());
    }
}
