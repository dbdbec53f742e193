//! Docker Compose files (`compose.yaml`, `docker-compose.yml`,
//! `docker-compose.<env>.yml`...): the `image:` of every service. Compose's
//! `${VAR:-default}` takes its default; a variable with no default (set in
//! the environment or a `.env` file at run time) gets an `unresolved-variable`
//! warning and no detection.

use super::util::{substitute, yaml_images};
use super::{Code, Detector, Input, Output, is_yaml};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "compose",
    description: "Docker Compose image:",
    matches: is_compose,
    sniff: None,
    detect,
};

/// Whether a file name is a Compose file's.
pub fn is_compose(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    is_yaml(&n) && (n.starts_with("docker-compose") || n.starts_with("compose."))
}

fn detect(input: &Input<'_>, out: &mut Output) {
    images(input, out);
}

/// Records the `image:` values of a YAML text, shared with the Kubernetes
/// detector.
pub fn images(input: &Input<'_>, out: &mut Output) {
    for (line, value) in yaml_images(input.text) {
        if value.contains("{{") {
            continue; // a template (Helm): the value is not in this file
        }
        match substitute(&value, |_| None) {
            Ok(image) => {
                out.image(&image, Some(line));
            }
            Err(var) => out.warning(
                Code::UnresolvedVariable,
                format!("`image: {value}`: ${var} has no default in this file"),
                Some(line),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services() {
        assert!(is_compose("docker-compose.prod.yml"));
        assert!(is_compose("compose.yaml"));
        assert!(!is_compose("composer.json"));
        let text = "services:\n  db:\n    image: postgres:${PG:-11}\n  app:\n    image: ${REGISTRY}/app:1\n    build: .\n";
        let mut out = Output::new("compose.yaml", "compose");
        detect(
            &Input {
                path: "compose.yaml",
                text,
            },
            &mut out,
        );
        assert_eq!(out.detections.len(), 1);
        assert_eq!(out.detections[0].written, "postgres:11");
        assert_eq!(out.diagnostics.len(), 1);
    }
}
