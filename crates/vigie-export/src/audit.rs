//! The audit report: vigie's audit JSON (schema
//! `docs/schemas/audit.v1.schema.json`), and its Markdown rendering.
//!
//! ```text
//! { "$schema": "https://vigie.dev/schemas/audit/v1",
//!   "tool", "timestamp", "roots", "knowledge": {generation, created, advisories},
//!   "projects": [ {name, path, checked, unresolved, uncovered: [{ecosystem, name, version,
//!       purl}], components: [
//!       {ecosystem, name, version, purl, file, line?, upgrade?, findings: [
//!          {kind, id, aliases, summary, severity?, known_exploited?, fixed, url?} ]} ],
//!     diagnostics} ],
//!   "ignored": [ {id, reason, until?, matched} ],
//!   "diagnostics": [...], "summary": {...} }
//! ```

use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::Serialize;
use vigie_audit::{ProjectAudit, VulnFinding};
use vigie_knowledge::cvss::Rating;
use vigie_model::{Diagnostic, Ecosystem};

use crate::RunInfo;

pub const AUDIT_SCHEMA: &str = "https://vigie.dev/schemas/audit/v1";

/// Which knowledge index answered.
#[derive(Clone, Debug, Serialize)]
pub struct KnowledgeInfo {
    pub generation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    pub advisories: usize,
    /// The OSV ecosystems the index holds advisories for.
    pub ecosystems: Vec<String>,
}

/// An ignore rule, and how many findings it removed.
#[derive(Clone, Debug, Serialize)]
pub struct Ignored {
    pub id: String,
    pub reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<String>,
    pub matched: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct ByRating {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// Rated "none" by CVSS, or without any rating.
    pub unrated: usize,
}

#[derive(Clone, Debug, Default, Serialize)]
pub struct AuditSummary {
    pub projects: usize,
    /// Distinct components checked, per project.
    pub checked: usize,
    /// Components without a version (not checked).
    pub unresolved: usize,
    /// Components with a version of an ecosystem the index has no advisory for (not
    /// checked), in all and per ecosystem.
    pub uncovered: usize,
    pub uncovered_by_ecosystem: BTreeMap<Ecosystem, usize>,
    /// Components with at least one vulnerability.
    pub vulnerable_components: usize,
    /// Vulnerability findings (one per component and vulnerability).
    pub vulnerabilities: usize,
    /// Informational findings (unmaintained, unsound, notices).
    pub informational: usize,
    pub known_exploited: usize,
    pub by_rating: ByRating,
    /// Vulnerable components for which an upgrade fixes every vulnerability.
    pub fixable_components: usize,
    /// Findings removed by ignore rules.
    pub ignored: usize,
    /// Lifecycle findings, and how many of each check (`eol-passed`, ...).
    pub lifecycle: usize,
    pub lifecycle_by_check: std::collections::BTreeMap<String, usize>,
    /// Licence findings, and how many of each check (`denied`, ...).
    pub licences: usize,
    pub licences_by_check: std::collections::BTreeMap<String, usize>,
    /// Components the licence check counted, and those with a known licence.
    pub licence_components: usize,
    pub licence_known: usize,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Clone, Debug, Serialize)]
pub struct Tool {
    pub name: &'static str,
    pub version: String,
}

/// Everything an audit found.
#[derive(Clone, Debug, Serialize)]
pub struct AuditReport {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub tool: Tool,
    pub timestamp: String,
    pub roots: Vec<String>,
    pub knowledge: KnowledgeInfo,
    pub projects: Vec<ProjectAudit>,
    pub ignored: Vec<Ignored>,
    pub diagnostics: Vec<Diagnostic>,
    pub summary: AuditSummary,
}

impl AuditReport {
    pub fn new(
        run: &RunInfo,
        knowledge: KnowledgeInfo,
        projects: Vec<ProjectAudit>,
        ignored: Vec<Ignored>,
        walk_diagnostics: &[Diagnostic],
    ) -> AuditReport {
        let mut s = AuditSummary {
            projects: projects.len(),
            ignored: ignored.iter().map(|i| i.matched).sum(),
            ..AuditSummary::default()
        };
        for p in &projects {
            s.lifecycle += p.lifecycle.len();
            for f in &p.lifecycle {
                *s.lifecycle_by_check
                    .entry(f.check.id().to_owned())
                    .or_default() += 1;
            }
            if let Some(l) = &p.licences {
                s.licences += l.findings.len();
                s.licence_components += l.components_total;
                s.licence_known += l.components_known;
                for f in &l.findings {
                    *s.licences_by_check
                        .entry(f.check.id().to_owned())
                        .or_default() += 1;
                }
            }
            s.checked += p.checked;
            s.unresolved += p.unresolved;
            s.uncovered += p.uncovered.len();
            for u in &p.uncovered {
                *s.uncovered_by_ecosystem.entry(u.ecosystem).or_default() += 1;
            }
            for d in p.diagnostics.iter().chain(walk_diagnostics) {
                match d.severity {
                    vigie_model::Severity::Error => s.errors += 1,
                    vigie_model::Severity::Warning => s.warnings += 1,
                }
            }
            for c in &p.components {
                let mut vulnerable = false;
                for f in &c.findings {
                    if f.kind.is_informational() {
                        s.informational += 1;
                        continue;
                    }
                    vulnerable = true;
                    s.vulnerabilities += 1;
                    if f.known_exploited.is_some() {
                        s.known_exploited += 1;
                    }
                    match f.severity.as_ref().map(|s| s.rating) {
                        Some(Rating::Critical) => s.by_rating.critical += 1,
                        Some(Rating::High) => s.by_rating.high += 1,
                        Some(Rating::Medium) => s.by_rating.medium += 1,
                        Some(Rating::Low) => s.by_rating.low += 1,
                        Some(Rating::None) | None => s.by_rating.unrated += 1,
                    }
                }
                if vulnerable {
                    s.vulnerable_components += 1;
                    if c.upgrade.is_some() {
                        s.fixable_components += 1;
                    }
                }
            }
        }
        AuditReport {
            schema: AUDIT_SCHEMA,
            tool: Tool {
                name: "vigie",
                version: run.tool_version.clone(),
            },
            timestamp: run.timestamp.clone(),
            roots: run.roots.clone(),
            knowledge,
            projects,
            ignored,
            diagnostics: walk_diagnostics.to_vec(),
            summary: s,
        }
    }

    /// Every finding as the store keeps it (`vigie_audit::findings`, as `vigie scan` writes
    /// them), family by family (vulnerabilities, lifecycle, licences), each in project order.
    pub fn typed_findings(&self) -> Vec<vigie_findings::Finding> {
        let mut all: Vec<_> = self
            .projects
            .iter()
            .flat_map(vigie_audit::findings::findings)
            .collect();
        // Stable: the order within a family is the projects'.
        all.sort_by_key(|f| f.family);
        all
    }

    /// Every finding with its component.
    pub fn findings(&self) -> impl Iterator<Item = (&vigie_audit::ComponentAudit, &VulnFinding)> {
        self.projects
            .iter()
            .flat_map(|p| &p.components)
            .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
    }
}

/// Sort key, most severe last: vulnerabilities over informational, known
/// exploited, rating, score.
pub fn finding_order(f: &VulnFinding) -> (bool, bool, Option<Rating>, i32) {
    (
        !f.kind.is_informational(),
        f.known_exploited.is_some(),
        f.severity.as_ref().map(|s| s.rating),
        f.severity
            .as_ref()
            .and_then(|s| s.score)
            .map_or(-1, |s| (s * 10.0).round() as i32),
    )
}

/// `EOL-PASSED`, `EOL-SOON`, ... of a lifecycle finding.
pub fn lifecycle_label(f: &vigie_lifecycle::Finding) -> String {
    f.check.id().to_ascii_uppercase()
}

/// `CRITICAL 9.8`, `HIGH`, `KEV CRITICAL 9.8`, `UNMAINTAINED`, `UNRATED`.
pub fn severity_label(f: &VulnFinding) -> String {
    if f.kind.is_informational() {
        return f.kind.as_str().to_ascii_uppercase();
    }
    let mut s = String::new();
    if f.known_exploited.is_some() {
        s.push_str("KEV ");
    }
    match &f.severity {
        Some(sev) => {
            s.push_str(&format!("{:?}", sev.rating).to_ascii_uppercase());
            if let Some(score) = sev.score {
                s.push_str(&format!(" {score:.1}"));
            }
        }
        None => s.push_str("UNRATED"),
    }
    s
}

/// Escapes text for a Markdown table cell (pipes, newlines, HTML).
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '`' | '*' | '_' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => out.push(' '),
            c if vigie_model::text::is_bidi_control(c) => {
                out.push_str(&format!("&lt;{}&gt;", vigie_model::text::code_point(c)));
            }
            c => out.push(c),
        }
    }
    out
}

/// What could not be checked for want of an advisory source ("Not checked for
/// vulnerabilities, no advisory source in this index: Maven (41 components: log4j-core
/// 2.14.1, …)."), `None` when the index covered every ecosystem. `examples` gives a few
/// components of each ecosystem, when known.
pub fn uncovered_sentence(
    by_ecosystem: &BTreeMap<Ecosystem, usize>,
    examples: &BTreeMap<Ecosystem, Vec<String>>,
) -> Option<String> {
    let list: Vec<String> = by_ecosystem
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(e, n)| {
            let plural = if *n == 1 { "" } else { "s" };
            match examples.get(e).filter(|x| !x.is_empty()) {
                Some(x) => {
                    let more = if *n > x.len() { ", …" } else { "" };
                    format!(
                        "{} ({n} component{plural}: {}{more})",
                        e.as_str(),
                        x.join(", ")
                    )
                }
                None => format!("{} ({n} component{plural})", e.as_str()),
            }
        })
        .collect();
    if list.is_empty() {
        return None;
    }
    Some(format!(
        "Not checked for vulnerabilities, no advisory source in this index: {}.",
        list.join("; ")
    ))
}

/// Up to `n` distinct components (`name version`) per ecosystem the audit could not check,
/// in the projects' order.
pub fn uncovered_examples(r: &AuditReport, n: usize) -> BTreeMap<Ecosystem, Vec<String>> {
    let mut out: BTreeMap<Ecosystem, Vec<String>> = BTreeMap::new();
    for u in r.projects.iter().flat_map(|p| &p.uncovered) {
        let list = out.entry(u.ecosystem).or_default();
        let label = format!("{} {}", u.name, u.version);
        if list.len() < n && !list.contains(&label) {
            list.push(label);
        }
    }
    out
}

/// The report as Markdown: a summary, then one table per project.
pub fn write_markdown(w: &mut dyn Write, r: &AuditReport) -> io::Result<()> {
    let s = &r.summary;
    writeln!(w, "# vigie audit\n")?;
    writeln!(
        w,
        "{} projects, {} components checked: **{} vulnerabilities** in {} components \
         ({} critical, {} high, {} medium, {} low, {} unrated; {} known exploited), \
         {} informational advisories, {} ignored.\n",
        s.projects,
        s.checked,
        s.vulnerabilities,
        s.vulnerable_components,
        s.by_rating.critical,
        s.by_rating.high,
        s.by_rating.medium,
        s.by_rating.low,
        s.by_rating.unrated,
        s.known_exploited,
        s.informational,
        s.ignored
    )?;
    if let Some(gaps) = uncovered_sentence(&s.uncovered_by_ecosystem, &uncovered_examples(r, 3)) {
        writeln!(w, "**{gaps}**\n")?;
    }
    if s.lifecycle > 0 {
        writeln!(
            w,
            "{} lifecycle findings (end of life, support, unpinned images).\n",
            s.lifecycle
        )?;
    }
    if s.licence_components > 0 {
        writeln!(
            w,
            "{} licence findings; {} of {} components with a known licence.\n",
            s.licences, s.licence_known, s.licence_components
        )?;
    }
    for p in &r.projects {
        let licences = p.licences.as_ref().filter(|l| !l.findings.is_empty());
        if p.components.is_empty() && p.lifecycle.is_empty() && licences.is_none() {
            continue;
        }
        writeln!(w, "## {} (`{}`)\n", md(&p.name), md(&p.path))?;
        if let Some(l) = licences {
            crate::licences::write_markdown_table(w, l, md)?;
        }
        if !p.lifecycle.is_empty() {
            writeln!(w, "| Lifecycle | Platform | Where | What to do |")?;
            writeln!(w, "|---|---|---|---|")?;
            for f in &p.lifecycle {
                writeln!(
                    w,
                    "| {} | {} {} | {} | {} |",
                    lifecycle_label(f),
                    md(&f.title),
                    md(f.cycle_label.as_deref().unwrap_or(&f.written)),
                    md(&vigie_findings::lifecycle_where(f)),
                    md(&f.message(vigie_lifecycle::Lang::En))
                )?;
            }
            writeln!(w)?;
        }
        if p.components.is_empty() {
            continue;
        }
        writeln!(
            w,
            "| Severity | Package | Version | Advisory | Fixed in | Summary |"
        )?;
        writeln!(w, "|---|---|---|---|---|---|")?;
        let mut rows: Vec<_> = p
            .components
            .iter()
            .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
            .collect();
        rows.sort_by_key(|r| std::cmp::Reverse(finding_order(r.1)));
        for (c, f) in rows {
            let advisory = match &f.url {
                Some(u) if u.starts_with("https://") => {
                    format!("[{}]({})", md(&f.id), u.replace(')', "%29"))
                }
                _ => md(&f.id),
            };
            writeln!(
                w,
                "| {} | {} | {} | {} | {} | {} |",
                severity_label(f),
                md(&c.name),
                md(&c.version),
                advisory,
                md(c.upgrade
                    .as_deref()
                    .or(f.fixed.first().map(String::as_str))
                    .unwrap_or("-")),
                md(&f.summary)
            )?;
        }
        writeln!(w)?;
    }
    Ok(())
}
