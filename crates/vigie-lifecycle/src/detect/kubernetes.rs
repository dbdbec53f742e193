//! Kubernetes manifests (any `*.yaml`/`*.yml` with top-level `apiVersion:`
//! and `kind:` lines, multi-document files included): the `image:` of every
//! container and init container. Helm templates' `{{ ... }}` values are
//! skipped (the value is in the chart's values, not in this file).

use super::compose::{images, is_compose};
use super::{Detector, Input, Output, is_yaml};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "kubernetes",
    description: "Kubernetes manifest image:",
    matches: |_| false,
    sniff: Some(sniff),
    detect,
};

fn sniff(name: &str, text: &str) -> bool {
    is_yaml(name)
        && !is_compose(name)
        && text.lines().any(|l| l.starts_with("apiVersion:"))
        && text.lines().any(|l| l.starts_with("kind:"))
}

fn detect(input: &Input<'_>, out: &mut Output) {
    images(input, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.18\n        - name: side\n          image: \"{{ .Values.image }}\"\n---\napiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - image: redis:5\n";
        assert!(sniff("deploy.yaml", text));
        assert!(!sniff("values.yaml", "image:\n  tag: 1\n"));
        let mut out = Output::new("deploy.yaml", "kubernetes");
        detect(
            &Input {
                path: "deploy.yaml",
                text,
            },
            &mut out,
        );
        let got: Vec<_> = out
            .detections
            .iter()
            .map(|d| (d.written.as_str(), d.evidence.line))
            .collect();
        assert_eq!(got, [("nginx:1.18", Some(8)), ("redis:5", Some(16))]);
    }
}
