//! CVSS v2 base score: the base equation of the CVSS v2 guide (FIRST, 2007, §3.2.1).

use super::fields::{MetricDef, def, read, values, weight};
use super::{CvssError, CvssVersion, Score};

const AV: usize = 0;
const AC: usize = 1;
const AU: usize = 2;
const C: usize = 3;
const I: usize = 4;
const A: usize = 5;

/// Base metrics (mandatory), then the temporal and environmental ones (read and ignored).
const METRICS: [MetricDef; 14] = [
    def("AV", values!["L", "A", "N"], true),
    def("AC", values!["H", "M", "L"], true),
    def("Au", values!["M", "S", "N"], true),
    def("C", values!["N", "P", "C"], true),
    def("I", values!["N", "P", "C"], true),
    def("A", values!["N", "P", "C"], true),
    def("E", values!["U", "POC", "F", "H", "ND"], false),
    def("RL", values!["OF", "TF", "W", "U", "ND"], false),
    def("RC", values!["UC", "UR", "C", "ND"], false),
    def("CDP", values!["N", "L", "LM", "MH", "H", "ND"], false),
    def("TD", values!["N", "L", "M", "H", "ND"], false),
    def("CR", values!["L", "M", "H", "ND"], false),
    def("IR", values!["L", "M", "H", "ND"], false),
    def("AR", values!["L", "M", "H", "ND"], false),
];

// Weights, in the order of the value lists above (guide §3.2.1).
const ACCESS_VECTOR: [f64; 3] = [0.395, 0.646, 1.0];
const ACCESS_COMPLEXITY: [f64; 3] = [0.35, 0.61, 0.71];
const AUTHENTICATION: [f64; 3] = [0.45, 0.56, 0.704];
const IMPACT: [f64; 3] = [0.0, 0.275, 0.660];

/// Scores a v2 vector body (no prefix, no parentheses).
pub(super) fn score(body: &str) -> Result<Score, CvssError> {
    let m = read(body, &METRICS, CvssVersion::V2)?;
    Ok(Score::from_tenths(CvssVersion::V2, base_tenths(&m)))
}

/// BaseScore = round_to_1_decimal(((0.6 × Impact) + (0.4 × Exploitability) − 1.5) × f(Impact)),
/// Impact = 10.41 × (1 − (1 − C) × (1 − I) × (1 − A)), Exploitability = 20 × AV × AC × Au,
/// f(Impact) = 0 if Impact = 0, else 1.176. Computed in `f64` in the guide's order, as the
/// NVD calculator does.
fn base_tenths(m: &[u8; 14]) -> u8 {
    let c = weight(&IMPACT, m[C]);
    let i = weight(&IMPACT, m[I]);
    let a = weight(&IMPACT, m[A]);
    let impact = 10.41 * (1.0 - (1.0 - c) * (1.0 - i) * (1.0 - a));
    let exploitability = 20.0
        * weight(&ACCESS_VECTOR, m[AV])
        * weight(&ACCESS_COMPLEXITY, m[AC])
        * weight(&AUTHENTICATION, m[AU]);
    let f_impact = if impact == 0.0 { 0.0 } else { 1.176 };
    let base = ((0.6 * impact) + (0.4 * exploitability) - 1.5) * f_impact;
    round_half_up_tenths(base)
}

/// Tenths of `x` rounded half up, clamped to 0..=100.
fn round_half_up_tenths(x: f64) -> u8 {
    let t = (x * 10.0).round();
    if t >= 100.0 {
        100
    } else if t > 0.0 {
        // In 1..=99 here, so the cast is exact.
        t as u8
    } else {
        0
    }
}
