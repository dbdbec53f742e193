//! `rust-toolchain.toml` and `rust-toolchain` (rustup): the Rust toolchain
//! the project builds with. The TOML form's `[toolchain] channel`, or the
//! legacy one-line form. A release (`1.78`, `1.78.0`, `1.78.0-x86_64-...`)
//! names the `rust` product; `stable`, `beta` and `nightly[-date]` float and
//! are reported unpinned.

use serde::Deserialize;

use super::util::{line_at, numbered, strip_comment};
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "rust-toolchain",
    description: "rustup rust-toolchain(.toml)",
    matches: |name| name == "rust-toolchain" || name == "rust-toolchain.toml",
    sniff: None,
    detect,
};

#[derive(Deserialize)]
struct File {
    toolchain: Option<Toolchain>,
}

#[derive(Deserialize)]
struct Toolchain {
    channel: Option<toml::Spanned<String>>,
}

fn detect(input: &Input<'_>, out: &mut Output) {
    let first = numbered(input.text).find(|(_, l)| !strip_comment(l).is_empty());
    let looks_toml = input.path.ends_with(".toml")
        || first.is_some_and(|(_, l)| l.trim_start().starts_with('['));
    if !looks_toml {
        if let Some((line, text)) = first {
            channel(out, strip_comment(text), Some(line));
        }
        return;
    }
    match toml::from_str::<File>(input.text) {
        Ok(File {
            toolchain: Some(Toolchain { channel: Some(c) }),
        }) => {
            let line = line_at(input.text, c.span().start);
            channel(out, c.get_ref(), Some(line));
        }
        Ok(_) => {}
        Err(e) => {
            let line = e.span().map(|s| line_at(input.text, s.start));
            out.error(
                Code::InvalidSyntax,
                format!("not valid TOML: {}", e.message()),
                line,
            );
        }
    }
}

fn channel(out: &mut Output, channel: &str, line: Option<u32>) {
    let channel = channel.trim();
    let version = channel.split('-').next().unwrap_or("");
    if version.starts_with(|c: char| c.is_ascii_digit()) {
        out.runtime("rust", channel, Some(version.to_owned()), line);
    } else if !channel.is_empty() {
        let d = out.runtime("rust", channel, None, line);
        d.note = Some(format!("the `{version}` channel floats"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(path: &str, text: &str) -> (Option<String>, Option<u32>) {
        let mut out = Output::new(path, "rust-toolchain");
        detect(&Input { path, text }, &mut out);
        let d = out.detections.remove(0);
        (d.version, d.evidence.line)
    }

    #[test]
    fn both_forms() {
        let toml = "[toolchain]\n# pinned\nchannel = \"1.78.0\"\ncomponents = [\"clippy\"]\n";
        assert_eq!(
            one("rust-toolchain.toml", toml),
            (Some("1.78.0".into()), Some(3))
        );
        assert_eq!(
            one("rust-toolchain", toml),
            (Some("1.78.0".into()), Some(3))
        );
        assert_eq!(
            one("rust-toolchain", "1.70\n"),
            (Some("1.70".into()), Some(1))
        );
        assert_eq!(
            one("rust-toolchain", "nightly-2024-01-01\n"),
            (None, Some(1))
        );
        let mut out = Output::new("rust-toolchain.toml", "rust-toolchain");
        detect(
            &Input {
                path: "rust-toolchain.toml",
                text: "[toolchain\n",
            },
            &mut out,
        );
        assert_eq!(out.diagnostics.len(), 1);
    }
}
