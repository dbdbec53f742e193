//! .NET `global.json`: `sdk.version`, the .NET SDK the repository builds
//! with (`8.0.100` is an SDK of .NET 8).

use serde::Deserialize;

use super::util::line_of;
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "global-json",
    description: ".NET global.json sdk.version",
    matches: |name| name == "global.json",
    sniff: None,
    detect,
};

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    sdk: Option<Sdk>,
}

#[derive(Deserialize)]
struct Sdk {
    #[serde(default)]
    version: Option<String>,
}

fn detect(input: &Input<'_>, out: &mut Output) {
    // global.json allows comments; serde_json does not: drop `//` lines.
    let text: String = input
        .text
        .lines()
        .map(|l| {
            if l.trim_start().starts_with("//") {
                ""
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let file: File = match serde_json::from_str(&text) {
        Ok(f) => f,
        Err(e) => {
            let line = u32::try_from(e.line()).ok();
            out.error(
                Code::InvalidSyntax,
                format!("not valid JSON for global.json: {e}"),
                line,
            );
            return;
        }
    };
    if let Some(v) = file.sdk.and_then(|s| s.version) {
        let start = input.text.find("\"sdk\"").unwrap_or(0);
        let line = line_of(input.text, "\"version\"", start);
        if v.starts_with(|c: char| c.is_ascii_digit()) {
            let d = out.runtime("dotnet", &v, Some(v.clone()), line);
            d.note = Some(".NET SDK version".into());
        } else {
            out.warning(
                Code::InvalidVersion,
                format!("sdk.version `{v}` is not a version"),
                line,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_version() {
        let text = "{\n  // pinned\n  \"sdk\": {\n    \"version\": \"8.0.100\",\n    \"rollForward\": \"latestFeature\"\n  }\n}\n";
        let mut out = Output::new("global.json", "global-json");
        detect(
            &Input {
                path: "global.json",
                text,
            },
            &mut out,
        );
        assert_eq!(out.detections[0].version.as_deref(), Some("8.0.100"));
        assert_eq!(out.detections[0].evidence.line, Some(4));
    }
}
