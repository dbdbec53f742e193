//! Maven `pom.xml`: the Java version the project compiles for, from the
//! properties `maven.compiler.release`, `java.version`,
//! `maven.compiler.source` (the first set, in this order) or else the
//! compiler plugin's `<release>`/`<source>`; `${property}` references are
//! resolved from the same file. The old `1.8` spelling is Java 8. Support
//! dates are those of Eclipse Temurin, the reference OpenJDK build.

use std::collections::HashMap;

use super::xml::{Leaf, leaves};
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "pom-xml",
    description: "Maven pom.xml Java version",
    matches: |name| name == "pom.xml" || name.ends_with(".pom"),
    sniff: None,
    detect,
};

/// Where the Java version is said, in order of preference.
const PLACES: &[&str] = &[
    "project/properties/maven.compiler.release",
    "project/properties/java.version",
    "project/properties/maven.compiler.source",
    "project/build/plugins/plugin/configuration/release",
    "project/build/pluginManagement/plugins/plugin/configuration/release",
    "project/build/plugins/plugin/configuration/source",
    "project/build/pluginManagement/plugins/plugin/configuration/source",
];

/// Most `${...}` indirections followed.
const MAX_INDIRECTIONS: usize = 8;

fn detect(input: &Input<'_>, out: &mut Output) {
    let all = match leaves(input.text) {
        Ok(l) => l,
        Err((msg, line)) => {
            out.error(Code::InvalidSyntax, msg, Some(line));
            return;
        }
    };
    let properties: HashMap<&str, &str> = all
        .iter()
        .filter_map(|l| Some((l.path.strip_prefix("project/properties/")?, l.text.as_str())))
        .collect();
    let found = PLACES
        .iter()
        .find_map(|place| all.iter().find(|l| l.path == *place));
    let Some(Leaf { text, line, .. }) = found else {
        return;
    };
    let mut value = text.as_str();
    for _ in 0..MAX_INDIRECTIONS {
        let Some(name) = value.strip_prefix("${").and_then(|v| v.strip_suffix('}')) else {
            break;
        };
        match properties.get(name) {
            Some(v) => value = v,
            None => {
                out.warning(
                    Code::UnresolvedProperty,
                    format!("`{text}`: the property is not set in this file"),
                    Some(*line),
                );
                return;
            }
        }
    }
    if !value.starts_with(|c: char| c.is_ascii_digit()) {
        out.warning(
            Code::InvalidVersion,
            format!("`{value}` is not a Java version"),
            Some(*line),
        );
        return;
    }
    let d = out.runtime("eclipse-temurin", text, Some(value.to_owned()), Some(*line));
    d.note = Some("Java version; dates of Eclipse Temurin, the reference OpenJDK build".into());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn property_indirection() {
        let text = "<project>\n<properties>\n<java.version>1.8</java.version>\n\
            <maven.compiler.source>${java.version}</maven.compiler.source>\n</properties>\n</project>";
        let mut out = Output::new("pom.xml", "pom-xml");
        detect(
            &Input {
                path: "pom.xml",
                text,
            },
            &mut out,
        );
        assert_eq!(out.detections.len(), 1);
        assert_eq!(out.detections[0].version.as_deref(), Some("1.8"));
        assert_eq!(out.detections[0].evidence.line, Some(3));
        let text = "<project><properties><maven.compiler.release>${jdk}</maven.compiler.release></properties></project>";
        let mut out = Output::new("pom.xml", "pom-xml");
        detect(
            &Input {
                path: "pom.xml",
                text,
            },
            &mut out,
        );
        assert!(out.detections.is_empty());
        assert_eq!(out.diagnostics[0].code, "unresolved-property");
    }
}
