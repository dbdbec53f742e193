//! The kind of a version change (patch, minor, major), which sets the effort of an upgrade.
//!
//! The order comes from the ecosystem's own scheme (`vigie_versions`); the kind from the
//! leading numeric components: the first differs → major; the second differs → minor, except
//! below 1.0 where it is major (SemVer's rule for `0.y.z`, and common practice elsewhere);
//! otherwise patch. A `v` prefix and a dpkg/RPM epoch (`1:`) are set aside (an epoch change is
//! major). Versions that do not parse, or a "fix" that is not newer, are [`Bump::Unknown`].

use serde::{Deserialize, Serialize};
use vigie_model::Ecosystem;
use vigie_versions::Scheme;

/// The most numeric components read from a version.
const MAX_COMPONENTS: usize = 3;

/// The kind of a version change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bump {
    /// Same major and minor.
    Patch,
    /// Same major, newer minor.
    Minor,
    /// Newer major (or newer minor below 1.0, or a new epoch).
    Major,
    /// Not comparable, or not an upgrade: treated as major for effort.
    Unknown,
}

/// The kind of the change from `from` to `to` in `ecosystem`.
pub fn bump(ecosystem: Ecosystem, from: &str, to: &str) -> Bump {
    let scheme = Scheme::for_ecosystem(ecosystem);
    match scheme.compare(from, to) {
        Ok(std::cmp::Ordering::Less) => {}
        _ => return Bump::Unknown,
    }
    let (ea, a) = components(from);
    let (eb, b) = components(to);
    if ea != eb {
        return Bump::Major;
    }
    let (Some(&a0), Some(&b0)) = (a.first(), b.first()) else {
        return Bump::Unknown;
    };
    let a1 = a.get(1).copied().unwrap_or(0);
    let b1 = b.get(1).copied().unwrap_or(0);
    if a0 != b0 || (a0 == 0 && a1 != b1) {
        Bump::Major
    } else if a1 != b1 {
        Bump::Minor
    } else {
        Bump::Patch
    }
}

/// The epoch (if any) and the leading numeric components of a version: `v1.2.3-rc1` → `[1, 2,
/// 3]`, `1:2.30-1` → epoch `1`, `[2, 30]`.
fn components(v: &str) -> (Option<u64>, Vec<u64>) {
    let v = v.trim();
    let v = v.strip_prefix(['v', 'V']).unwrap_or(v);
    let (epoch, rest) = match v.split_once(':') {
        Some((e, r)) if !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit()) => {
            (e.parse::<u64>().ok(), r)
        }
        _ => (None, v),
    };
    let mut out = Vec::with_capacity(MAX_COMPONENTS);
    for seg in rest.split('.') {
        let n = seg.bytes().take_while(u8::is_ascii_digit).count();
        let digits = seg.get(..n).unwrap_or("");
        let Ok(n) = digits.parse::<u64>() else { break };
        out.push(n);
        if out.len() == MAX_COMPONENTS || digits.len() < seg.len() {
            break;
        }
    }
    (epoch, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected kinds worked out by hand from the rule in the module doc.
    #[test]
    fn kinds_of_change() {
        // 2.9 → 2.12: same major, minor differs.
        assert_eq!(bump(Ecosystem::Maven, "2.9.8", "2.12.7.1"), Bump::Minor);
        assert_eq!(bump(Ecosystem::Maven, "2.14.1", "2.17.1"), Bump::Minor);
        assert_eq!(bump(Ecosystem::Npm, "4.17.15", "4.17.21"), Bump::Patch);
        assert_eq!(bump(Ecosystem::Npm, "1.2.3", "2.0.0"), Bump::Major);
        // 0.3 → 0.4 breaks under SemVer.
        assert_eq!(bump(Ecosystem::Cargo, "0.3.1", "0.4.0"), Bump::Major);
        assert_eq!(bump(Ecosystem::Cargo, "0.3.1", "0.3.9"), Bump::Patch);
        assert_eq!(bump(Ecosystem::Go, "v1.2.3", "v1.2.4"), Bump::Patch);
        assert_eq!(bump(Ecosystem::PyPI, "2.2.28", "3.2.25"), Bump::Major);
        assert_eq!(bump(Ecosystem::PyPI, "1.26.4", "1.26.18"), Bump::Patch);
        assert_eq!(bump(Ecosystem::Debian, "1:2.3-1", "2:1.0-1"), Bump::Major);
        // A downgrade, an equal version and garbage are not upgrades.
        assert_eq!(bump(Ecosystem::Npm, "2.0.0", "1.0.0"), Bump::Unknown);
        assert_eq!(bump(Ecosystem::Npm, "1.0.0", "1.0.0"), Bump::Unknown);
        assert_eq!(
            bump(Ecosystem::Npm, "not a version", "1.0.0"),
            Bump::Unknown
        );
    }

    #[test]
    fn components_are_read_up_to_the_first_non_number() {
        assert_eq!(components("v1.2.3-rc1"), (None, vec![1, 2, 3]));
        assert_eq!(components("1:2.30-1"), (Some(1), vec![2, 30]));
        assert_eq!(components("2.12.7.1"), (None, vec![2, 12, 7]));
        assert_eq!(components("abc"), (None, vec![]));
        assert_eq!(components("99999999999999999999999.1"), (None, vec![]));
    }
}
