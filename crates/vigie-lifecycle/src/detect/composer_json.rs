//! Composer `composer.json`: `require.php`, the PHP versions the project
//! accepts (the lower bound is mapped), and `config.platform.php`, the PHP
//! version Composer resolves for when it is set. The packages themselves are
//! inventory components.

use serde::Deserialize;
use std::collections::BTreeMap;

use super::util::{declare, line_of};
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "composer-json",
    description: "Composer composer.json require.php and config.platform.php",
    matches: |name| name == "composer.json",
    sniff: None,
    detect,
};

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    require: Option<BTreeMap<String, serde_json::Value>>,
    #[serde(default)]
    config: Option<Config>,
}

#[derive(Deserialize)]
struct Config {
    #[serde(default)]
    platform: Option<BTreeMap<String, serde_json::Value>>,
}

fn detect(input: &Input<'_>, out: &mut Output) {
    let file: File = match serde_json::from_str(input.text) {
        Ok(f) => f,
        Err(e) => {
            let line = u32::try_from(e.line()).ok();
            out.error(
                Code::InvalidSyntax,
                format!("not valid JSON for composer.json: {e}"),
                line,
            );
            return;
        }
    };
    let php = |map: &Option<BTreeMap<String, serde_json::Value>>| {
        map.as_ref()
            .and_then(|m| m.get("php"))
            .and_then(|v| v.as_str().map(str::to_owned))
    };
    if let Some(v) = php(&file.require) {
        let start = input.text.find("\"require\"").unwrap_or(0);
        declare(out, "php", &v, line_of(input.text, "\"php\"", start));
    }
    if let Some(v) = php(&file.config.and_then(|c| c.platform)) {
        let start = input.text.find("\"platform\"").unwrap_or(0);
        declare(out, "php", &v, line_of(input.text, "\"php\"", start));
        if let Some(d) = out.detections.last_mut() {
            d.note = Some("config.platform.php: the PHP Composer resolves for".into());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn require_php() {
        let text = "{\n  \"require\": {\n    \"php\": \"^8.1\",\n    \"laravel/framework\": \"^10.0\"\n  }\n}";
        let mut out = Output::new("composer.json", "composer-json");
        detect(
            &Input {
                path: "composer.json",
                text,
            },
            &mut out,
        );
        assert_eq!(out.detections.len(), 1);
        assert_eq!(out.detections[0].version.as_deref(), Some("8.1"));
        assert_eq!(out.detections[0].evidence.line, Some(3));
    }
}
