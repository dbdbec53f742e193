//! CVSS v3.0 and v3.1 base score: the base equations of the specifications (§7.1), with each
//! version's Roundup.

use super::fields::{MetricDef, def, read, values, weight};
use super::{CvssError, CvssVersion, Score};

const AV: usize = 0;
const AC: usize = 1;
const PR: usize = 2;
const UI: usize = 3;
const S: usize = 4;
const C: usize = 5;
const I: usize = 6;
const A: usize = 7;

/// Base metrics (mandatory), then the temporal and environmental ones (checked, ignored).
const METRICS: [MetricDef; 22] = [
    def("AV", values!["N", "A", "L", "P"], true),
    def("AC", values!["L", "H"], true),
    def("PR", values!["N", "L", "H"], true),
    def("UI", values!["N", "R"], true),
    def("S", values!["U", "C"], true),
    def("C", values!["H", "L", "N"], true),
    def("I", values!["H", "L", "N"], true),
    def("A", values!["H", "L", "N"], true),
    def("E", values!["X", "H", "F", "P", "U"], false),
    def("RL", values!["X", "U", "W", "T", "O"], false),
    def("RC", values!["X", "C", "R", "U"], false),
    def("CR", values!["X", "H", "M", "L"], false),
    def("IR", values!["X", "H", "M", "L"], false),
    def("AR", values!["X", "H", "M", "L"], false),
    def("MAV", values!["X", "N", "A", "L", "P"], false),
    def("MAC", values!["X", "L", "H"], false),
    def("MPR", values!["X", "N", "L", "H"], false),
    def("MUI", values!["X", "N", "R"], false),
    def("MS", values!["X", "U", "C"], false),
    def("MC", values!["X", "H", "L", "N"], false),
    def("MI", values!["X", "H", "L", "N"], false),
    def("MA", values!["X", "H", "L", "N"], false),
];

// Weights (§7.4), in the order of the value lists above. They are the same in 3.0 and 3.1.
const ATTACK_VECTOR: [f64; 4] = [0.85, 0.62, 0.55, 0.2];
const ATTACK_COMPLEXITY: [f64; 2] = [0.77, 0.44];
const PRIVILEGES_SCOPE_UNCHANGED: [f64; 3] = [0.85, 0.62, 0.27];
const PRIVILEGES_SCOPE_CHANGED: [f64; 3] = [0.85, 0.68, 0.5];
const USER_INTERACTION: [f64; 2] = [0.85, 0.62];
const CIA: [f64; 3] = [0.56, 0.22, 0.0];

/// Scores a v3 vector body (after `CVSS:3.x/`); `version` is `V3_0` or `V3_1`.
pub(super) fn score(body: &str, version: CvssVersion) -> Result<Score, CvssError> {
    let m = read(body, &METRICS, version)?;
    Ok(Score::from_tenths(version, base_tenths(&m, version)))
}

/// ISS = 1 − [(1 − C) × (1 − I) × (1 − A)]; Impact = 6.42 × ISS (scope unchanged) or
/// 7.52 × (ISS − 0.029) − 3.25 × (ISS − 0.02)^15 (changed); Exploitability =
/// 8.22 × AV × AC × PR × UI; Base = 0 if Impact ≤ 0, else Roundup(min(Impact + Exploitability,
/// 10)) (unchanged) or Roundup(min(1.08 × (Impact + Exploitability), 10)) (changed). In `f64`
/// and in the order of FIRST's calculators.
fn base_tenths(m: &[u8; 22], version: CvssVersion) -> u8 {
    let changed = m[S] == 1;
    let privileges = if changed {
        &PRIVILEGES_SCOPE_CHANGED
    } else {
        &PRIVILEGES_SCOPE_UNCHANGED
    };
    let iss = 1.0
        - ((1.0 - weight(&CIA, m[C])) * (1.0 - weight(&CIA, m[I])) * (1.0 - weight(&CIA, m[A])));
    let impact = if changed {
        7.52 * (iss - 0.029) - 3.25 * (iss - 0.02).powf(15.0)
    } else {
        6.42 * iss
    };
    let exploitability = 8.22
        * weight(&ATTACK_VECTOR, m[AV])
        * weight(&ATTACK_COMPLEXITY, m[AC])
        * weight(privileges, m[PR])
        * weight(&USER_INTERACTION, m[UI]);
    if impact <= 0.0 {
        return 0;
    }
    let raw = if changed {
        (1.08 * (exploitability + impact)).min(10.0)
    } else {
        (exploitability + impact).min(10.0)
    };
    if version == CvssVersion::V3_0 {
        roundup_30(raw)
    } else {
        roundup_31(raw)
    }
}

/// v3.0's Roundup, as its specification's calculator computes it: `ceil(x × 10) / 10`.
/// Returns tenths; `x` is in 0..=10.
fn roundup_30(x: f64) -> u8 {
    clamp_tenths((x * 10.0).ceil())
}

/// v3.1's Roundup (specification, Appendix A): `i = round(x × 100000)`; if `i` is a multiple
/// of 10000, `i / 100000`, else `(floor(i / 10000) + 1) / 10`. Returns tenths.
fn roundup_31(x: f64) -> u8 {
    let i = (x * 100_000.0).round();
    let tenths = if i % 10_000.0 == 0.0 {
        i / 10_000.0
    } else {
        (i / 10_000.0).floor() + 1.0
    };
    clamp_tenths(tenths)
}

/// A whole number of tenths into 0..=100.
fn clamp_tenths(t: f64) -> u8 {
    if t >= 100.0 {
        100
    } else if t > 0.0 {
        // A whole number in 1..=99 here, so the cast is exact.
        t as u8
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The examples of the 3.1 specification's Appendix A, worked by hand.
    #[test]
    fn roundup_31_examples() {
        assert_eq!(roundup_31(4.000_000_000_000_001), 40);
        assert_eq!(roundup_31(4.02), 41);
        assert_eq!(roundup_31(4.00), 40);
        // The float artefact that 3.1's Roundup removes and 3.0's keeps.
        assert_eq!(roundup_30(4.000_000_000_000_001), 41);
    }
}
