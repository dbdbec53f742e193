//! `vigie report -f sarif`: the findings of a stored snapshot (vulnerabilities, lifecycle,
//! licences) as SARIF 2.1.0, with the rule ids of `vigie audit -f sarif` (the advisory id,
//! `lifecycle/<check>`, `licence/<check>`).
//!
//! Each result is located in the file that declares it, relative to its project (a project
//! is usually a repository, which GitHub code scanning locates from), at its line when
//! known, and names its project as a logical location. Findings set aside by triage
//! (`not_affected`, `false_positive`, an acceptance in force) are kept, with an `external`
//! suppression whose justification is the decision.

use std::collections::BTreeMap;
use std::io::Write;

use serde_json::{Value, json};
use vigie_findings::{Family, lifecycle_rating};
use vigie_store::{EffectiveState, FindingStatus, SnapshotId, Store};

use vigie_export::sarif::{level_of, security_severity};

use crate::report::cdx::project_name;

/// The rule id, level and rule of a finding.
fn rule(s: &FindingStatus) -> (String, &'static str, Value) {
    let f = &s.finding;
    match f.family {
        Family::Vulnerability => {
            let d = f.detail.vulnerability();
            let kind = d.map(|d| d.finding.kind);
            let informational = kind.is_some_and(|k| k.is_informational());
            let level = if informational {
                "note"
            } else {
                level_of(f.rating)
            };
            let mut tags = vec!["security".to_owned()];
            tags.extend(kind.map(|k| k.as_str().to_owned()));
            tags.extend(f.component().map(|(eco, _, _)| eco.as_str().to_owned()));
            tags.extend(f.aliases.iter().cloned());
            let score = d.and_then(|d| d.finding.severity.as_ref()?.score);
            let mut r = json!({
                "id": f.id,
                "name": f.id.replace(|c: char| !c.is_ascii_alphanumeric(), ""),
                "shortDescription": { "text": if f.title.is_empty() { &f.id } else { &f.title } },
                "fullDescription": { "text": format!("{}\n\nIds: {}", f.title,
                    std::iter::once(f.id.as_str()).chain(f.aliases.iter().map(String::as_str)).collect::<Vec<_>>().join(", ")) },
                "defaultConfiguration": { "level": level },
                "properties": { "security-severity": security_severity(score, f.rating), "tags": tags },
            });
            if let Some(url) = d.and_then(|d| d.finding.url.as_deref()) {
                r["helpUri"] = json!(url);
            }
            (f.id.clone(), level, r)
        }
        Family::Lifecycle => {
            let lifecycle = f.detail.lifecycle().map(|d| &d.finding);
            let check = lifecycle.map_or("unknown", |l| l.check.id());
            let id = format!("lifecycle/{check}");
            let level = level_of(lifecycle.map_or(f.rating, lifecycle_rating));
            let r = json!({
                "id": id,
                "name": check.replace('-', ""),
                "shortDescription": { "text": format!("Lifecycle: {check}") },
                "helpUri": "https://endoflife.date",
                "defaultConfiguration": { "level": level },
                "properties": {
                    "tags": ["security", "lifecycle", "end-of-life"],
                    "security-severity": match level { "error" => "7.0", "warning" => "5.0", _ => "3.0" },
                },
            });
            (id, level, r)
        }
        Family::Licence => {
            let level = level_of(f.rating);
            let check = f.id.strip_prefix("licence/").unwrap_or(&f.id);
            let r = json!({
                "id": f.id,
                "name": check.replace('-', ""),
                "shortDescription": { "text": format!("Licence: {check}") },
                "helpUri": "https://spdx.org/licenses/",
                "defaultConfiguration": { "level": level },
                "properties": {
                    "tags": ["licence", "legal"],
                    "security-severity": match level { "error" => "7.0", "warning" => "4.0", _ => "1.0" },
                },
            });
            (f.id.clone(), level, r)
        }
    }
}

/// Where a finding is: the file relative to its project, and the line.
fn location(s: &FindingStatus) -> Value {
    let f = &s.finding;
    let mut loc = json!({
        "logicalLocations": [{
            "name": project_name(&f.project_path),
            "fullyQualifiedName": f.project_path,
            "kind": "module",
        }],
    });
    if let Some((file, line)) = f.location() {
        let prefix = format!("{}/", f.project_path.trim_end_matches('/'));
        let rel = file.strip_prefix(&prefix).unwrap_or(file);
        loc["physicalLocation"] = json!({
            "artifactLocation": { "uri": rel, "uriBaseId": "%SRCROOT%" },
        });
        if let Some(line) = line.filter(|l| *l >= 1) {
            loc["physicalLocation"]["region"] = json!({ "startLine": line });
        }
    }
    loc
}

fn message(s: &FindingStatus) -> String {
    let f = &s.finding;
    if f.family != Family::Vulnerability {
        return f.title.clone();
    }
    let (name, version) = f
        .component()
        .map_or(("", ""), |(_, n, v)| (n, v.unwrap_or("")));
    let fix = f
        .fixed
        .as_deref()
        .map(|u| format!("; upgrade to {u}"))
        .unwrap_or_default();
    format!(
        "{name} {version} in {} is affected by {} ({}){fix}",
        f.project_path, f.id, f.rating
    )
}

fn state_name(e: EffectiveState) -> String {
    serde_json::to_value(e)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Writes the SARIF log of `snapshot` with the triage in force on `today`.
pub fn write(
    store: &dyn Store,
    snapshot: SnapshotId,
    today: &str,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let statuses = store.effective_triage(snapshot, today)?;
    let mut rules: BTreeMap<String, usize> = BTreeMap::new();
    let mut rule_list = Vec::new();
    let mut results = Vec::with_capacity(statuses.len());
    for s in &statuses {
        let (id, level, r) = rule(s);
        let index = *rules.entry(id.clone()).or_insert_with(|| {
            rule_list.push(r);
            rule_list.len() - 1
        });
        let mut result = json!({
            "ruleId": id,
            "ruleIndex": index,
            "level": level,
            "message": { "text": message(s) },
            "locations": [location(s)],
            "partialFingerprints": { "vigie/v1": s.finding.key },
            "properties": { "vigie:triage": state_name(s.effective), "vigie:key": s.finding.key },
        });
        if !s.effective.is_active()
            && let Some(t) = &s.triage
        {
            let mut why = format!(
                "{}: {} ({}, {})",
                t.input.state.as_str(),
                t.input.reason,
                t.input.by,
                t.input.at
            );
            if let Some(j) = t.input.justification {
                why = format!("{} [{}]", why, j.as_str());
            }
            if let Some(u) = &t.input.until {
                why = format!("{why}, until {u}");
            }
            result["suppressions"] =
                json!([{ "kind": "external", "status": "accepted", "justification": why }]);
        }
        results.push(result);
    }
    let doc = json!({
        "$schema": vigie_export::sarif::SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "vigie",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://vigie.dev",
                "rules": rule_list,
            }},
            "results": results,
            "properties": { "vigie:snapshot": snapshot, "vigie:triage-as-of": today },
        }],
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    out.write_all(b"\n")?;
    Ok(())
}
