//! Bundler `Gemfile.lock`: the `RUBY VERSION` section (`ruby 3.2.2p53`),
//! the Ruby the bundle was locked with. The gems themselves are inventory
//! components, mapped through their purls (`pkg:gem/rails`).

use super::util::numbered;
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "gemfile-lock",
    description: "Bundler Gemfile.lock RUBY VERSION",
    matches: |name| name == "Gemfile.lock" || name == "gems.locked",
    sniff: None,
    detect,
};

fn detect(input: &Input<'_>, out: &mut Output) {
    let mut in_section = false;
    for (line, text) in numbered(input.text) {
        if text.trim_end() == "RUBY VERSION" {
            in_section = true;
            continue;
        }
        if !in_section {
            continue;
        }
        let t = text.trim();
        if let Some(v) = t.strip_prefix("ruby ") {
            let v = v.trim();
            let d = out.runtime("ruby", t, Some(v.to_owned()), Some(line));
            d.note = Some("Ruby the bundle was locked with".into());
        } else if !t.is_empty() {
            out.warning(
                Code::InvalidSyntax,
                format!("unexpected `{t}` in RUBY VERSION"),
                Some(line),
            );
        }
        break;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ruby_version_section() {
        let text = "GEM\n  specs:\n    rake (13.0.6)\n\nRUBY VERSION\n   ruby 3.2.2p53\n\nBUNDLED WITH\n   2.4.10\n";
        let mut out = Output::new("Gemfile.lock", "gemfile-lock");
        detect(
            &Input {
                path: "Gemfile.lock",
                text,
            },
            &mut out,
        );
        assert_eq!(out.detections.len(), 1);
        assert_eq!(out.detections[0].version.as_deref(), Some("3.2.2p53"));
        assert_eq!(out.detections[0].evidence.line, Some(6));
    }
}
