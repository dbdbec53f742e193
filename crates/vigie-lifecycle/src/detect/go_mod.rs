//! Go `go.mod`: the `go` directive (the minimum Go version of the module)
//! and the `toolchain` directive (the Go release that builds it), each a
//! detection of the `go` product (`toolchain go1.22.3` → `1.22.3`;
//! `toolchain default` says nothing).

use super::util::numbered;
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "go-mod",
    description: "Go go.mod `go` and `toolchain` directives",
    matches: |name| name == "go.mod",
    sniff: None,
    detect,
};

fn detect(input: &Input<'_>, out: &mut Output) {
    for (line, text) in numbered(input.text) {
        let code = text.split("//").next().unwrap_or("").trim();
        let mut words = code.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("go"), Some(v), None) if v.starts_with(|c: char| c.is_ascii_digit()) => {
                let d = out.runtime("go", v, Some(v.to_owned()), Some(line));
                d.note = Some("minimum Go version of the module".into());
            }
            (Some("toolchain"), Some(t), None) => match t.strip_prefix("go") {
                Some(v) if v.starts_with(|c: char| c.is_ascii_digit()) => {
                    let d = out.runtime("go", t, Some(v.to_owned()), Some(line));
                    d.note = Some("Go toolchain that builds the module".into());
                }
                _ if t == "default" => {}
                _ => out.warning(
                    Code::InvalidToolchain,
                    format!("`toolchain {t}` is not a Go release"),
                    Some(line),
                ),
            },
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_and_toolchain() {
        let text = "module x\n\ngo 1.21 // min\n\ntoolchain go1.22.3\nrequire (\n\tgo.x v1\n)\n";
        let mut out = Output::new("go.mod", "go-mod");
        detect(
            &Input {
                path: "go.mod",
                text,
            },
            &mut out,
        );
        let got: Vec<_> = out
            .detections
            .iter()
            .map(|d| (d.written.as_str(), d.version.as_deref(), d.evidence.line))
            .collect();
        assert_eq!(
            got,
            [
                ("1.21", Some("1.21"), Some(3)),
                ("go1.22.3", Some("1.22.3"), Some(5))
            ]
        );
    }
}
