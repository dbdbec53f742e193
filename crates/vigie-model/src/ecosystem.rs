//! Package ecosystems, named as the OSV schema names them.

use serde::{Deserialize, Serialize};

/// A package universe. The serialized name is the OSV ecosystem name, so an
/// inventory and an advisory database speak the same words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Ecosystem {
    /// Rust crates from crates.io (`pkg:cargo`).
    #[serde(rename = "crates.io")]
    Cargo,
    /// JavaScript packages from the npm registry (`pkg:npm`); names keep their `@scope/`.
    #[serde(rename = "npm")]
    Npm,
    /// Python packages from PyPI (`pkg:pypi`).
    #[serde(rename = "PyPI")]
    PyPI,
    /// Go modules, named by module path (`pkg:golang`).
    #[serde(rename = "Go")]
    Go,
    /// Ruby gems from rubygems.org (`pkg:gem`).
    #[serde(rename = "RubyGems")]
    RubyGems,
    /// PHP Composer packages from Packagist, named `vendor/package` (`pkg:composer`).
    #[serde(rename = "Packagist")]
    Packagist,
    /// JVM artifacts from Maven repositories, named `group:artifact` (`pkg:maven`).
    #[serde(rename = "Maven")]
    Maven,
    /// .NET packages from NuGet (`pkg:nuget`).
    #[serde(rename = "NuGet")]
    NuGet,
    /// Dart and Flutter packages from pub.dev (`pkg:pub`).
    #[serde(rename = "Pub")]
    Pub,
    /// Erlang and Elixir packages from hex.pm (`pkg:hex`).
    #[serde(rename = "Hex")]
    Hex,
    /// C and C++ packages from ConanCenter (`pkg:conan`).
    #[serde(rename = "ConanCenter")]
    Conan,
    /// R packages from CRAN (`pkg:cran`).
    #[serde(rename = "CRAN")]
    Cran,
    /// R packages from Bioconductor (`pkg:bioconductor`).
    #[serde(rename = "Bioconductor")]
    Bioconductor,
    /// Haskell packages from Hackage (`pkg:hackage`).
    #[serde(rename = "Hackage")]
    Hackage,
    /// Debian packages (`pkg:deb/debian/...`).
    #[serde(rename = "Debian")]
    Debian,
    /// Alpine Linux packages (`pkg:apk/alpine/...`).
    #[serde(rename = "Alpine")]
    Alpine,
    /// RPM packages of other distributions (`pkg:rpm/...`).
    #[serde(rename = "RPM")]
    Rpm,
    /// AlmaLinux packages (RPM versions; `pkg:rpm/almalinux/...`).
    #[serde(rename = "AlmaLinux")]
    AlmaLinux,
    /// Julia packages (`pkg:julia`).
    #[serde(rename = "Julia")]
    Julia,
    /// OCaml packages from opam (`pkg:opam`).
    #[serde(rename = "opam")]
    Opam,
    /// Bitnami's packaged applications (`pkg:bitnami/...`).
    #[serde(rename = "Bitnami")]
    Bitnami,
    /// GitHub Actions used by workflows, named `owner/repo` (`pkg:githubactions`).
    #[serde(rename = "GitHub Actions")]
    GitHubActions,
    /// Container images (`pkg:docker`; `pkg:oci` is read as this too).
    #[serde(rename = "Docker")]
    Docker,
    /// Anything else, typically a component of an SBOM with a purl type vigie
    /// has no ecosystem for (`pkg:generic`, `pkg:github`, ...).
    #[serde(rename = "generic")]
    Generic,
}

impl Ecosystem {
    /// Every ecosystem, in display order.
    pub const ALL: [Ecosystem; 24] = [
        Ecosystem::Cargo,
        Ecosystem::Npm,
        Ecosystem::PyPI,
        Ecosystem::Go,
        Ecosystem::RubyGems,
        Ecosystem::Packagist,
        Ecosystem::Maven,
        Ecosystem::NuGet,
        Ecosystem::Pub,
        Ecosystem::Hex,
        Ecosystem::Conan,
        Ecosystem::Cran,
        Ecosystem::Bioconductor,
        Ecosystem::Hackage,
        Ecosystem::Debian,
        Ecosystem::Alpine,
        Ecosystem::Rpm,
        Ecosystem::AlmaLinux,
        Ecosystem::Julia,
        Ecosystem::Opam,
        Ecosystem::Bitnami,
        Ecosystem::GitHubActions,
        Ecosystem::Docker,
        Ecosystem::Generic,
    ];

    /// The OSV ecosystem name (`crates.io`, `PyPI`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "crates.io",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Go => "Go",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Maven => "Maven",
            Ecosystem::NuGet => "NuGet",
            Ecosystem::Pub => "Pub",
            Ecosystem::Hex => "Hex",
            Ecosystem::Conan => "ConanCenter",
            Ecosystem::Cran => "CRAN",
            Ecosystem::Bioconductor => "Bioconductor",
            Ecosystem::Hackage => "Hackage",
            Ecosystem::Debian => "Debian",
            Ecosystem::Alpine => "Alpine",
            Ecosystem::Rpm => "RPM",
            Ecosystem::AlmaLinux => "AlmaLinux",
            Ecosystem::Julia => "Julia",
            Ecosystem::Opam => "opam",
            Ecosystem::Bitnami => "Bitnami",
            Ecosystem::GitHubActions => "GitHub Actions",
            Ecosystem::Docker => "Docker",
            Ecosystem::Generic => "generic",
        }
    }

    /// The Package URL type of this ecosystem.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::PyPI => "pypi",
            Ecosystem::Go => "golang",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::Maven => "maven",
            Ecosystem::NuGet => "nuget",
            Ecosystem::Pub => "pub",
            Ecosystem::Hex => "hex",
            Ecosystem::Conan => "conan",
            Ecosystem::Cran => "cran",
            Ecosystem::Bioconductor => "bioconductor",
            Ecosystem::Hackage => "hackage",
            Ecosystem::Debian => "deb",
            Ecosystem::Alpine => "apk",
            Ecosystem::Rpm | Ecosystem::AlmaLinux => "rpm",
            Ecosystem::Julia => "julia",
            Ecosystem::Opam => "opam",
            Ecosystem::Bitnami => "bitnami",
            Ecosystem::GitHubActions => "githubactions",
            Ecosystem::Docker => "docker",
            Ecosystem::Generic => "generic",
        }
    }

    /// The ecosystem of a Package URL type; unknown types are [`Ecosystem::Generic`].
    pub fn from_purl_type(ty: &str) -> Ecosystem {
        let ty = ty.to_ascii_lowercase();
        Ecosystem::ALL
            .into_iter()
            .find(|e| e.purl_type() == ty)
            .unwrap_or(match ty.as_str() {
                "crates" => Ecosystem::Cargo,
                "go" => Ecosystem::Go,
                "oci" => Ecosystem::Docker,
                "github" => Ecosystem::GitHubActions,
                _ => Ecosystem::Generic,
            })
    }

    /// Parses an OSV ecosystem name, ignoring a `:suffix` such as `Debian:12`.
    pub fn from_osv(name: &str) -> Option<Ecosystem> {
        let base = name.split(':').next().unwrap_or(name);
        Ecosystem::ALL.into_iter().find(|e| e.as_str() == base)
    }
}

impl std::fmt::Display for Ecosystem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for e in Ecosystem::ALL {
            if e != Ecosystem::AlmaLinux {
                // AlmaLinux shares `pkg:rpm`; its namespace tells it apart.
                assert_eq!(Ecosystem::from_purl_type(e.purl_type()), e);
            }
            assert_eq!(Ecosystem::from_osv(e.as_str()), Some(e));
            let json = serde_json::to_string(&e).unwrap();
            assert_eq!(json, format!("\"{}\"", e.as_str()));
        }
        assert_eq!(
            Ecosystem::from_osv("AlmaLinux:9"),
            Some(Ecosystem::AlmaLinux)
        );
        assert_eq!(Ecosystem::from_osv("OSS-Fuzz"), None);
        assert_eq!(Ecosystem::from_osv("Debian:12"), Some(Ecosystem::Debian));
    }
}
