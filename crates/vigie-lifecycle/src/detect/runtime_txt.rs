//! `runtime.txt` (Heroku and compatible platforms): `python-3.12.1` names
//! the Python the application runs on. Other contents get a
//! `unknown-runtime` warning.

use super::util::{declare, numbered, strip_comment};
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "runtime-txt",
    description: "Heroku runtime.txt",
    matches: |name| name == "runtime.txt",
    sniff: None,
    detect,
};

fn detect(input: &Input<'_>, out: &mut Output) {
    let Some((line, text)) = numbered(input.text).find(|(_, l)| !strip_comment(l).is_empty())
    else {
        return;
    };
    let text = strip_comment(text);
    match text.strip_prefix("python-") {
        Some(v) if v.starts_with(|c: char| c.is_ascii_digit()) => {
            declare(out, "python", v, Some(line));
        }
        _ => out.warning(
            Code::UnknownRuntime,
            format!("`{text}` is not a runtime vigie knows"),
            Some(line),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_only() {
        let mut out = Output::new("runtime.txt", "runtime-txt");
        detect(
            &Input {
                path: "runtime.txt",
                text: "\npython-3.9.18\n",
            },
            &mut out,
        );
        assert_eq!(out.detections[0].version.as_deref(), Some("3.9.18"));
        assert_eq!(out.detections[0].evidence.line, Some(2));
        let mut out = Output::new("runtime.txt", "runtime-txt");
        detect(
            &Input {
                path: "runtime.txt",
                text: "java-17",
            },
            &mut out,
        );
        assert!(out.detections.is_empty());
        assert_eq!(out.diagnostics.len(), 1);
    }
}
