//! npm `package.json`: `engines.node` (the Node.js versions the package
//! accepts; the lower bound is mapped), `engines.pnpm`/`engines.yarn`, and
//! Volta's pin `volta.node`. The dependencies are inventory components.

use serde::Deserialize;
use std::collections::BTreeMap;

use super::util::{declare, line_at, line_of};
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "package-json",
    description: "npm package.json engines and volta",
    matches: |name| name == "package.json",
    sniff: None,
    detect,
};

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    engines: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    volta: Option<BTreeMap<String, serde_json::Value>>,
}

/// `engines` key → product.
const ENGINES: &[(&str, &str)] = &[("node", "nodejs"), ("pnpm", "pnpm"), ("yarn", "yarn")];

fn detect(input: &Input<'_>, out: &mut Output) {
    let file: File = match serde_json::from_str(input.text) {
        Ok(f) => f,
        Err(e) => {
            let line = u32::try_from(e.line()).ok();
            out.error(
                Code::InvalidSyntax,
                format!("not valid JSON for package.json: {e}"),
                line,
            );
            return;
        }
    };
    for (section, map) in [("\"engines\"", &file.engines), ("\"volta\"", &file.volta)] {
        let Some(map) = map else { continue };
        let start = input.text.find(section).unwrap_or(0);
        for (key, product) in ENGINES {
            let Some(value) = map.get(*key) else { continue };
            let line = line_of(input.text, &format!("\"{key}\""), start)
                .or(Some(line_at(input.text, start)));
            match value.as_str() {
                Some(v) => declare(out, product, v, line),
                None => out.warning(
                    Code::UnexpectedContent,
                    format!("{section}.{key} is not a string"),
                    line,
                ),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engines_and_volta() {
        let text = "{\n  \"name\": \"x\",\n  \"engines\": {\n    \"node\": \">=18 <21\",\n    \"npm\": \">=9\"\n  },\n  \"volta\": { \"node\": \"20.11.0\" }\n}\n";
        let mut out = Output::new("package.json", "package-json");
        detect(
            &Input {
                path: "package.json",
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
                (">=18 <21", Some("18"), Some(4)),
                ("20.11.0", Some("20.11.0"), Some(7))
            ]
        );
        let mut out = Output::new("package.json", "package-json");
        detect(
            &Input {
                path: "package.json",
                text: "{\"engines\": [",
            },
            &mut out,
        );
        assert_eq!(out.diagnostics.len(), 1);
    }
}
