//! The versioning schemes, which ecosystem uses which, and the dispatch of parsing and
//! comparison to the module of each scheme.

use std::cmp::Ordering;

use vigie_model::Ecosystem;

use crate::{MAX_VERSION_LEN, Version, VersionError};
use crate::{alpine, composer, debian, maven, pep440, rpm, rubygems, semver, simple};

/// A versioning scheme: how the versions of an ecosystem are written and ordered.
///
/// What each scheme accepts and refuses is documented on its variant. Every scheme trims
/// surrounding ASCII whitespace and refuses the empty string and strings longer than
/// [`MAX_VERSION_LEN`] bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scheme {
    /// SemVer 2.0 precedence (crates.io, npm, Hex, Bitnami, ConanCenter, GitHub Actions, and
    /// every OSV `SEMVER` range but Julia's and Pub's), as leniently as osv-scanner reads it: an optional `v`/`V`/`=` prefix, missing
    /// minor and patch count as `0` (`1.2` = `1.2.0`), leading zeros are read as numbers,
    /// more than three numeric parts are compared as further numbers (`1.2.3.4` > `1.2.3`), a
    /// letter right after the numbers starts the pre-release (`1.0.0rc1` = `1.0.0-rc1`). Build
    /// metadata (`+...`) is ignored (semver.org §10: `2.5.0` = `2.5.0+incompatible`). Refused: no leading number (`cci.20210101`,
    /// `nightly.1`), an empty numeric part (`1..2`), an empty pre-release identifier
    /// (`1.0.0-`, `1.0.0-a..b`), characters outside `[0-9A-Za-z.+-]` (build metadata may also
    /// hold `_`).
    Semver,
    /// Julia's `VersionNumber` and Dart's `pub_semver`: [`Scheme::Semver`], but build metadata
    /// breaks ties (`1.0.0` < `1.0.0+0` < `1.0.0+2` < `1.0.0+10`; identifiers compared as
    /// pre-release identifiers are). Julia's binary packages are published as `4.3.1+0`,
    /// `4.3.1+2`, and its advisories bound ranges with them (JLSEC-2025-109: introduced
    /// `4.3.1+0`, fixed `4.3.1+2`), so Julia's and Pub's `SEMVER` ranges use it too.
    SemverBuild,
    /// Go modules (golang.org/x/mod/semver): SemVer with a `v` prefix, which may be missing
    /// (the Go standard library is published as `1.21.0` in OSV); `v1` and `v1.2` mean `v1.0.0`
    /// and `v1.2.0`; `+incompatible` is build metadata; pseudo-versions
    /// (`v0.0.0-20200101000000-abcdef123456`) are pre-releases and order as such. Refused:
    /// what [`Scheme::Semver`] refuses, and more than three numeric parts.
    Go,
    /// PEP 440 (PyPI), every normalisation of the specification (case, `alpha`/`a`, `c`/`rc`,
    /// `-1` post-releases, separators, `v` prefix, local versions). Strings that are not PEP 440
    /// (pip refuses them) are accepted as "legacy" versions which order before every PEP 440
    /// version, as osv-scanner does; refused: none but empty or oversized strings.
    Pep440,
    /// Maven's `ComparableVersion` (Maven 3.9): any string is a version.
    Maven,
    /// RubyGems' `Gem::Version`: refused: what `Gem::Version.correct?` refuses
    /// (anything but `[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?`).
    RubyGems,
    /// NuGet (NuGet.Versioning): one to four numeric parts (missing ones are `0`),
    /// case-insensitive pre-release labels, metadata ignored, an optional `v` prefix.
    /// Refused: more than four numeric parts and what [`Scheme::Semver`] refuses.
    NuGet,
    /// Packagist: Composer's normalisation (`v` prefix dropped, the numeric part padded to
    /// four numbers, `stable` dropped) then PHP's `version_compare`
    /// (`dev` < `alpha`=`a` < `beta`=`b` < `RC`=`rc` < number < `pl`=`p`; any other word
    /// sorts before `dev`). Any string is a version.
    Composer,
    /// Debian (dpkg): `[epoch:]upstream[-revision]`, `~` before everything. Refused:
    /// a non-numeric epoch, an empty upstream version, an empty revision, whitespace inside.
    Debian,
    /// Alpine (apk-tools): `number{.number}{letter}{_suffix{number}}{~hash}{-rN}`.
    /// Refused: what `apk version -c` calls invalid.
    Alpine,
    /// RPM (rpmvercmp, used by Red Hat and AlmaLinux): `[epoch:]version[-release]`, `~`
    /// before and `^` after the base version. A missing release orders before any release
    /// (as osv-scanner does; rpm itself ignores the release then). A `:` not after a leading
    /// number is an ordinary separator, as in rpm. Refused: an empty version part (`1:`, `-1`).
    Rpm,
    /// Hackage (Haskell PVP, Cabal's `Version`): dot-separated numbers, a longer version
    /// is greater when one is a prefix of the other (`1.0` < `1.0.0`). Refused: anything else.
    Hackage,
    /// opam: Debian's ordering applied to the whole string (opam's `OpamVersionCompare`).
    /// Any string is a version.
    Opam,
    /// CRAN and Bioconductor (R's `package_version`): numbers separated by `.` or `-`, a
    /// longer version is greater when one is a prefix of the other. Refused: anything else.
    Cran,
    /// The fallback for ecosystems without a scheme: runs of digits compare as numbers, runs
    /// of other characters as text (case-insensitively), separators (`.`, `-`, `_`, `+`, ...)
    /// only separate; a leading `v` is dropped. Any string is a version.
    Generic,
}

/// The parsed form of a version, as each scheme needs it (spans into the text, no copies).
#[derive(Clone, Debug)]
pub(crate) enum Key {
    Semver(semver::Key),
    Pep440(pep440::Key),
    Maven(maven::Key),
    RubyGems(rubygems::Key),
    Debian(debian::Key),
    Rpm(rpm::Key),
    /// Schemes compared by a single pass over both strings.
    Stream,
}

impl Scheme {
    /// Every scheme.
    pub const ALL: [Scheme; 15] = [
        Scheme::Semver,
        Scheme::SemverBuild,
        Scheme::Go,
        Scheme::Pep440,
        Scheme::Maven,
        Scheme::RubyGems,
        Scheme::NuGet,
        Scheme::Composer,
        Scheme::Debian,
        Scheme::Alpine,
        Scheme::Rpm,
        Scheme::Hackage,
        Scheme::Opam,
        Scheme::Cran,
        Scheme::Generic,
    ];

    /// The scheme of an ecosystem's versions.
    ///
    /// Bioconductor packages are R packages, so [`Scheme::Cran`]; Docker tags have no order,
    /// so [`Scheme::Generic`], like [`Ecosystem::Generic`].
    pub fn for_ecosystem(e: Ecosystem) -> Scheme {
        match e {
            Ecosystem::Cargo
            | Ecosystem::Npm
            | Ecosystem::Hex
            | Ecosystem::Bitnami
            | Ecosystem::Conan
            | Ecosystem::GitHubActions => Scheme::Semver,
            Ecosystem::Pub | Ecosystem::Julia => Scheme::SemverBuild,
            Ecosystem::Go => Scheme::Go,
            Ecosystem::PyPI => Scheme::Pep440,
            Ecosystem::Maven => Scheme::Maven,
            Ecosystem::RubyGems => Scheme::RubyGems,
            Ecosystem::NuGet => Scheme::NuGet,
            Ecosystem::Packagist => Scheme::Composer,
            Ecosystem::Debian => Scheme::Debian,
            Ecosystem::Alpine => Scheme::Alpine,
            Ecosystem::Rpm | Ecosystem::AlmaLinux => Scheme::Rpm,
            Ecosystem::Hackage => Scheme::Hackage,
            Ecosystem::Opam => Scheme::Opam,
            Ecosystem::Cran | Ecosystem::Bioconductor => Scheme::Cran,
            Ecosystem::Docker | Ecosystem::Generic => Scheme::Generic,
        }
    }

    /// Parses a version of this scheme.
    pub fn parse(self, s: &str) -> Result<Version, VersionError> {
        let text = trim(self, s)?;
        let key = self.key(text).map_err(|r| VersionError::new(self, s, r))?;
        Ok(Version {
            scheme: self,
            text: text.into(),
            key,
        })
    }

    /// Compares two version strings of this scheme, without keeping them.
    pub fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        let a = trim(self, a)?;
        let b = trim(self, b)?;
        let ka = self.key(a).map_err(|r| VersionError::new(self, a, r))?;
        let kb = self.key(b).map_err(|r| VersionError::new(self, b, r))?;
        Ok(compare_keys(self, a, &ka, b, &kb))
    }

    fn key(self, t: &str) -> Result<Key, &'static str> {
        Ok(match self {
            Scheme::Semver => Key::Semver(semver::parse(t, semver::Flavor::Semver)?),
            Scheme::SemverBuild => Key::Semver(semver::parse(t, semver::Flavor::SemverBuild)?),
            Scheme::Go => Key::Semver(semver::parse(t, semver::Flavor::Go)?),
            Scheme::NuGet => Key::Semver(semver::parse(t, semver::Flavor::NuGet)?),
            Scheme::Pep440 => Key::Pep440(pep440::parse(t)),
            Scheme::Maven => Key::Maven(maven::parse(t)),
            Scheme::RubyGems => Key::RubyGems(rubygems::parse(t)?),
            Scheme::Debian => Key::Debian(debian::parse(t)?),
            Scheme::Rpm => Key::Rpm(rpm::parse(t)?),
            Scheme::Alpine => {
                alpine::validate(t)?;
                Key::Stream
            }
            Scheme::Hackage => {
                simple::validate_hackage(t)?;
                Key::Stream
            }
            Scheme::Cran => {
                simple::validate_cran(t)?;
                Key::Stream
            }
            Scheme::Composer | Scheme::Opam | Scheme::Generic => Key::Stream,
        })
    }
}

fn trim(scheme: Scheme, s: &str) -> Result<&str, VersionError> {
    let t = s.trim_matches(|c: char| c.is_ascii_whitespace());
    if t.is_empty() {
        return Err(VersionError::new(scheme, s, "empty version"));
    }
    if t.len() > MAX_VERSION_LEN {
        return Err(VersionError::new(scheme, s, "longer than 1024 bytes"));
    }
    Ok(t)
}

/// Orders two parsed versions of one scheme.
pub(crate) fn compare_keys(s: Scheme, a: &str, ka: &Key, b: &str, kb: &Key) -> Ordering {
    match (ka, kb) {
        (Key::Semver(x), Key::Semver(y)) => {
            let flavor = match s {
                Scheme::Go => semver::Flavor::Go,
                Scheme::NuGet => semver::Flavor::NuGet,
                Scheme::SemverBuild => semver::Flavor::SemverBuild,
                _ => semver::Flavor::Semver,
            };
            semver::cmp(a, x, b, y, flavor)
        }
        (Key::Pep440(x), Key::Pep440(y)) => pep440::cmp(a, x, b, y),
        (Key::Maven(x), Key::Maven(y)) => maven::cmp(a, x, b, y),
        (Key::RubyGems(x), Key::RubyGems(y)) => rubygems::cmp(a, x, b, y),
        (Key::Debian(x), Key::Debian(y)) => debian::cmp(a, x, b, y),
        (Key::Rpm(x), Key::Rpm(y)) => rpm::cmp(a, x, b, y),
        _ => match s {
            Scheme::Alpine => alpine::cmp(a, b),
            Scheme::Hackage | Scheme::Cran => simple::cmp_numbers(a, b),
            Scheme::Composer => composer::cmp(a, b),
            Scheme::Opam => debian::verrevcmp(a.as_bytes(), b.as_bytes()),
            _ => simple::cmp_generic(a, b),
        },
    }
}

pub(crate) fn is_prerelease(s: Scheme, text: &str, key: &Key) -> bool {
    match key {
        Key::Semver(k) => k.is_prerelease(),
        Key::Pep440(k) => k.is_prerelease(),
        Key::Maven(k) => maven::is_prerelease(text, k),
        Key::RubyGems(k) => k.is_prerelease(),
        _ => match s {
            Scheme::Alpine => alpine::is_prerelease(text),
            Scheme::Composer => composer::is_prerelease(text),
            _ => false,
        },
    }
}
