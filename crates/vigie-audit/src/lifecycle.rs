//! The lifecycle check: what a project runs (runtime declarations, container
//! images, components that are products), mapped to the endoflife.date
//! calendar, and the findings of `vigie_lifecycle` against today's date and
//! the horizon.

use vigie_lifecycle::{Detection, Finding, Knowledge, Platform, Policy, detect};
use vigie_model::{Diagnostic, Project};

/// Whether the lifecycle check reads a file of this name: the detectors'
/// candidates, except the YAML lockfiles (`pnpm-lock.yaml` can weigh
/// megabytes and never declares a runtime or an image).
pub fn reads(file_name: &str) -> bool {
    let lower = file_name.to_ascii_lowercase();
    !matches!(lower.as_str(), "pnpm-lock.yaml" | "pnpm-lock.yml") && detect::is_candidate(file_name)
}

/// What the lifecycle check needs: the knowledge and the evaluation policy.
pub struct LifecycleContext<'k> {
    pub knowledge: &'k Knowledge,
    pub policy: Policy,
}

/// The platforms of one project, their findings, and the problems met.
#[derive(Default)]
pub struct LifecycleResult {
    pub platforms: Vec<Platform>,
    pub findings: Vec<Finding>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Detects and assesses the platforms of one project: its extra files
/// (`(path, text)`, from `detect::is_candidate`) and its components.
pub fn check(
    ctx: &LifecycleContext<'_>,
    project: &Project,
    component_files: &[&str],
    extras: &[(String, String)],
) -> LifecycleResult {
    let mut out = LifecycleResult::default();
    let mut detections: Vec<Detection> = Vec::new();
    for (path, text) in extras {
        let o = detect::detect_file(path, text);
        detections.extend(o.detections);
        out.diagnostics.extend(o.diagnostics);
    }
    detections.extend(
        ctx.knowledge
            .component_detections(&project.components, component_files),
    );
    let (platforms, diagnostics) = ctx.knowledge.platforms(&detections);
    out.diagnostics.extend(diagnostics);
    out.findings = ctx.knowledge.all_findings(&platforms, &ctx.policy);
    out.platforms = platforms;
    out
}
