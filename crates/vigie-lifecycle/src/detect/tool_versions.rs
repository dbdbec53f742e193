//! `.tool-versions` (asdf, and mise which reads it too): `tool version
//! [fallback...]` per line; the first version is the one used. Tools that
//! are endoflife.date products are mapped (asdf's and mise's names both:
//! `nodejs`/`node`, `golang`/`go`); Java's versions carry their distribution
//! (`temurin-17.0.2+8`, `corretto-21...`, `zulu-...`), a bare Java version is
//! taken as Temurin. `system`, `ref:...`, `path:...` and `latest` say nothing
//! pinned.

use super::util::{declare, numbered, strip_comment};
use super::{Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "tool-versions",
    description: "asdf/mise .tool-versions",
    matches: |name| name == ".tool-versions",
    sniff: None,
    detect,
};

/// asdf/mise tool name → endoflife.date product.
pub(crate) const TOOLS: &[(&str, &str)] = &[
    ("python", "python"),
    ("nodejs", "nodejs"),
    ("node", "nodejs"),
    ("golang", "go"),
    ("go", "go"),
    ("ruby", "ruby"),
    ("rust", "rust"),
    ("php", "php"),
    ("erlang", "erlang"),
    ("elixir", "elixir"),
    ("terraform", "terraform"),
    ("opentofu", "opentofu"),
    ("kotlin", "kotlin"),
    ("scala", "scala"),
    ("deno", "deno"),
    ("bun", "bun"),
    ("dotnet", "dotnet"),
    ("dotnet-core", "dotnet"),
    ("perl", "perl"),
    ("lua", "lua"),
    ("julia", "julia"),
    ("gradle", "gradle"),
    ("maven", "apache-maven"),
    ("yarn", "yarn"),
    ("pnpm", "pnpm"),
    ("kubectl", "kubernetes"),
];

/// Java distribution prefixes of the asdf/mise java plugins → product.
pub(crate) const JAVA: &[(&str, &str)] = &[
    ("temurin-", "eclipse-temurin"),
    ("adoptopenjdk-", "eclipse-temurin"),
    ("corretto-", "amazon-corretto"),
    ("zulu-", "azul-zulu"),
    ("oracle-", "oracle-jdk"),
    ("liberica-", "bellsoft-liberica"),
    ("semeru-", "ibm-semeru"),
    ("sapmachine-", "sapmachine"),
    ("microsoft-", "microsoft-build-of-openjdk"),
    ("graalvm-community-", "graalvm-ce"),
    ("openjdk-", "eclipse-temurin"),
];

fn detect(input: &Input<'_>, out: &mut Output) {
    for (line, text) in numbered(input.text) {
        let mut words = strip_comment(text).split_whitespace();
        let (Some(tool), Some(version)) = (words.next(), words.next()) else {
            continue;
        };
        if version == "system" || version.starts_with("ref:") || version.starts_with("path:") {
            continue;
        }
        if tool == "java" {
            java(out, version, Some(line));
        } else if let Some((_, product)) = TOOLS.iter().find(|(t, _)| *t == tool) {
            declare(out, product, version, Some(line));
        }
    }
}

fn java(out: &mut Output, version: &str, line: Option<u32>) {
    let found = JAVA
        .iter()
        .find_map(|(prefix, p)| Some((*p, version.strip_prefix(prefix)?)));
    let (product, v) = found.unwrap_or(("eclipse-temurin", version));
    let v = v.split('+').next().unwrap_or(v);
    if v.starts_with(|c: char| c.is_ascii_digit()) {
        let d = out.runtime(product, version, Some(v.to_owned()), line);
        if found.is_none() || version.starts_with("openjdk-") {
            d.note =
                Some("Java version; dates of Eclipse Temurin, the reference OpenJDK build".into());
        }
    } else {
        out.runtime(product, version, None, line);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tools() {
        let text = "nodejs 18.17.0 20.0.0\npython 3.11.4\n# c\ngolang 1.21.0\n\
            java temurin-17.0.2+8\nruby system\nunknown 1.0\nterraform latest\n";
        let mut out = Output::new(".tool-versions", "tool-versions");
        detect(
            &Input {
                path: ".tool-versions",
                text,
            },
            &mut out,
        );
        let got: Vec<_> = out
            .detections
            .iter()
            .map(|d| match &d.subject {
                crate::detect::Subject::Product(p) => (p.as_str(), d.version.as_deref()),
                crate::detect::Subject::Image(_) => ("", None),
            })
            .collect();
        assert_eq!(
            got,
            [
                ("nodejs", Some("18.17.0")),
                ("python", Some("3.11.4")),
                ("go", Some("1.21.0")),
                ("eclipse-temurin", Some("17.0.2")),
                ("terraform", None),
            ]
        );
    }
}
