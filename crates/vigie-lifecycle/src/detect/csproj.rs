//! .NET project files (`*.csproj`, `*.fsproj`, `*.vbproj`):
//! `<TargetFramework>` and `<TargetFrameworks>` (`;`-separated). `net5.0`
//! and later (.NET 5, not a release 5.0), and `netcoreapp3.1`, are .NET
//! (`dotnet`); `net48`, `net472`
//! are .NET Framework (`dotnetfx` 4.8, 4.7.2); `netstandard2.0` is an API
//! surface, not a runtime, and is left out. An OS suffix (`net8.0-windows`)
//! is ignored.

use super::xml::leaves;
use super::{Code, Detector, Input, Output};

/// The detector of this kind of file.
pub const DETECTOR: Detector = Detector {
    id: "dotnet-project",
    description: ".NET project TargetFramework(s)",
    matches: |name| {
        let n = name.to_ascii_lowercase();
        n.ends_with(".csproj") || n.ends_with(".fsproj") || n.ends_with(".vbproj")
    },
    sniff: None,
    detect,
};

fn detect(input: &Input<'_>, out: &mut Output) {
    let all = match leaves(input.text) {
        Ok(l) => l,
        Err((msg, line)) => {
            out.error(Code::InvalidSyntax, msg, Some(line));
            return;
        }
    };
    for leaf in &all {
        let last = leaf.path.rsplit('/').next().unwrap_or("");
        if last != "TargetFramework" && last != "TargetFrameworks" {
            continue;
        }
        for tfm in leaf
            .text
            .split(';')
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            match target(tfm) {
                Some((product, version)) => {
                    out.runtime(product, tfm, Some(version), Some(leaf.line));
                }
                None if tfm.starts_with("netstandard") || tfm.starts_with("$(") => {}
                None => out.warning(
                    Code::UnknownFramework,
                    format!("`{tfm}` is not a target framework vigie knows"),
                    Some(leaf.line),
                ),
            }
        }
    }
}

/// A target framework moniker → (product, version).
fn target(tfm: &str) -> Option<(&'static str, String)> {
    let base = tfm.split('-').next().unwrap_or(tfm).to_ascii_lowercase();
    if let Some(v) = base.strip_prefix("netcoreapp") {
        return Some(("dotnet", v.to_owned()));
    }
    let v = base.strip_prefix("net")?;
    if !v.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if let Some(major) = v.strip_suffix(".0") {
        // `net8.0` is the framework of .NET 8, not its release 8.0.
        return Some(("dotnet", major.to_owned()));
    }
    if v.contains('.') {
        return Some(("dotnet", v.to_owned()));
    }
    // .NET Framework: one digit per component (`net472` is 4.7.2).
    if v.len() >= 2 && v.bytes().all(|b| b.is_ascii_digit()) {
        let dotted: Vec<String> = v.chars().map(String::from).collect();
        return Some(("dotnetfx", dotted.join(".")));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn monikers() {
        assert_eq!(target("net8.0"), Some(("dotnet", "8".into())));
        assert_eq!(target("net8.0-windows"), Some(("dotnet", "8".into())));
        assert_eq!(target("netcoreapp3.1"), Some(("dotnet", "3.1".into())));
        assert_eq!(target("net472"), Some(("dotnetfx", "4.7.2".into())));
        assert_eq!(target("net48"), Some(("dotnetfx", "4.8".into())));
        assert_eq!(target("netstandard2.0"), None);
        let text = "<Project Sdk=\"Microsoft.NET.Sdk\">\n  <PropertyGroup>\n    <TargetFrameworks>net6.0;netstandard2.0;net48</TargetFrameworks>\n  </PropertyGroup>\n</Project>";
        let mut out = Output::new("a.csproj", "dotnet-project");
        detect(
            &Input {
                path: "a.csproj",
                text,
            },
            &mut out,
        );
        let got: Vec<_> = out.detections.iter().map(|d| d.written.as_str()).collect();
        assert_eq!(got, ["net6.0", "net48"]);
        assert!(out.detections.iter().all(|d| d.evidence.line == Some(3)));
    }
}
