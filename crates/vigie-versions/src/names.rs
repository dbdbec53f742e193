//! Package names as advisories spell them, for matching.

use std::borrow::Cow;

use vigie_model::Ecosystem;

/// Puts a package name in the form used to match it against advisories, so that the name an
/// inventory found and the name an OSV record gives compare equal when the ecosystem's
/// registry says they are the same package. The same function is applied to both sides.
///
/// - PyPI: PEP 503 (`Foo.Bar_baz` → `foo-bar-baz`): pip and PyPI treat those as one project,
///   and OSV records spell names in many ways.
/// - NuGet, Packagist, GitHub Actions: lowercased; their registries are case-insensitive
///   (NuGet ids, Composer `vendor/package`, GitHub `owner/repo`).
/// - Everything else is kept as is: npm, crates.io, RubyGems, Hex, Pub, Hackage, CRAN, opam,
///   Julia, Go module paths (case-sensitive, `!`-escaped only on disk), Maven
///   `group:artifact`, distribution source packages (Debian, Alpine, RPM, AlmaLinux), Conan,
///   Bitnami, Docker and generic names. Those registries either refuse two names that differ
///   only in case or treat them as different packages, and OSV uses their exact spelling.
///
/// Surrounding whitespace is trimmed in every case.
pub fn normalize_name(e: Ecosystem, name: &str) -> Cow<'_, str> {
    let name = name.trim();
    match e {
        Ecosystem::PyPI => pep503(name),
        Ecosystem::NuGet | Ecosystem::Packagist | Ecosystem::GitHubActions => {
            if name.bytes().any(|c| c.is_ascii_uppercase()) {
                Cow::Owned(name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(name)
            }
        }
        _ => Cow::Borrowed(name),
    }
}

/// PEP 503: lowercase, and every run of `-`, `_`, `.` becomes one `-`.
fn pep503(name: &str) -> Cow<'_, str> {
    let sep = |c: u8| matches!(c, b'-' | b'_' | b'.');
    let b = name.as_bytes();
    let clean = !b.iter().any(u8::is_ascii_uppercase)
        && b.iter().all(|&c| c != b'_' && c != b'.')
        && !b.windows(2).any(|w| w.iter().all(|&c| sep(c)));
    if clean {
        return Cow::Borrowed(name);
    }
    let mut out = String::with_capacity(name.len());
    let mut in_sep = false;
    for c in name.chars() {
        if c.is_ascii() && sep(c as u8) {
            if !in_sep {
                out.push('-');
            }
            in_sep = true;
        } else {
            out.push(c.to_ascii_lowercase());
            in_sep = false;
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Examples from PEP 503 ("Normalized Names") and the packaging user guide's
    /// name-normalization page: all of these are `friendly-bard`.
    #[test]
    fn pep503_examples() {
        for n in [
            "friendly-bard",
            "Friendly-Bard",
            "FRIENDLY-BARD",
            "friendly.bard",
            "friendly_bard",
            "friendly--bard",
            "FrIeNdLy-._.-bArD",
        ] {
            assert_eq!(normalize_name(Ecosystem::PyPI, n), "friendly-bard", "{n}");
        }
        assert!(matches!(
            normalize_name(Ecosystem::PyPI, "requests"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn case_insensitive_registries_are_lowercased() {
        assert_eq!(
            normalize_name(Ecosystem::NuGet, "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(
            normalize_name(Ecosystem::Packagist, "Symfony/HTTP-Kernel"),
            "symfony/http-kernel"
        );
        assert_eq!(
            normalize_name(Ecosystem::Maven, "org.Foo:Bar"),
            "org.Foo:Bar"
        );
        assert_eq!(
            normalize_name(Ecosystem::Go, "github.com/BurntSushi/toml"),
            "github.com/BurntSushi/toml"
        );
        assert_eq!(normalize_name(Ecosystem::Npm, " JSONStream "), "JSONStream");
    }
}
