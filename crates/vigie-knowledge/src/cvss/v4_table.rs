//! The CVSS v4.0 macrovector scores and the tables of the severity-distance interpolation.
//!
//! Transcribed from FIRST's reference calculator (github.com/FIRSTdotorg/cvss-v4-calculator,
//! shared with RedHatProductSecurity/cvss-v4-calculator): `cvss_lookup.js`
//! (`cvssLookup_global`, 270 macrovectors), `max_composed.js` (the highest-severity vectors of
//! each equivalence class) and `max_severity.js` (the depth of each class). Values are in the
//! canonical value order of `v4.rs`.

/// No score: a macrovector that cannot occur (EQ3 = 2 with EQ6 = 0).
const NA: u8 = u8::MAX;

/// Macrovector scores in tenths, indexed by [`index`]: the last digit (EQ6) fastest.
#[rustfmt::skip]
const LOOKUP: [u8; 324] = [
    // eq1 eq2 eq3 = 0 0 0
    100, 99, 98, 95, 95, 92, 100, 96, 93, 87, 91, 81, 93, 90, 89, 80, 81, 68,
    // eq1 eq2 eq3 = 0 0 1
    98, 95, 95, 92, 90, 84, 93, 92, 89, 81, 81, 65, 88, 80, 78, 70, 69, 48,
    // eq1 eq2 eq3 = 0 0 2
    NA, 92, NA, 82, NA, 72, NA, 79, NA, 69, NA, 50, NA, 69, NA, 55, NA, 27,
    // eq1 eq2 eq3 = 0 1 0
    99, 97, 95, 92, 92, 85, 95, 91, 90, 83, 84, 71, 92, 81, 82, 71, 72, 53,
    // eq1 eq2 eq3 = 0 1 1
    95, 93, 92, 85, 85, 73, 92, 82, 80, 72, 70, 59, 84, 70, 71, 52, 50, 30,
    // eq1 eq2 eq3 = 0 1 2
    NA, 86, NA, 75, NA, 52, NA, 71, NA, 52, NA, 29, NA, 63, NA, 29, NA, 17,
    // eq1 eq2 eq3 = 1 0 0
    98, 95, 94, 87, 91, 81, 94, 89, 86, 74, 77, 64, 87, 75, 74, 63, 63, 49,
    // eq1 eq2 eq3 = 1 0 1
    94, 89, 88, 77, 76, 67, 86, 76, 74, 58, 59, 50, 72, 57, 57, 52, 52, 25,
    // eq1 eq2 eq3 = 1 0 2
    NA, 83, NA, 70, NA, 54, NA, 65, NA, 58, NA, 26, NA, 53, NA, 21, NA, 13,
    // eq1 eq2 eq3 = 1 1 0
    95, 90, 88, 76, 76, 70, 90, 77, 75, 62, 61, 53, 77, 66, 68, 59, 52, 30,
    // eq1 eq2 eq3 = 1 1 1
    89, 78, 76, 67, 62, 58, 74, 59, 57, 57, 47, 23, 61, 52, 57, 29, 24, 16,
    // eq1 eq2 eq3 = 1 1 2
    NA, 71, NA, 59, NA, 30, NA, 58, NA, 26, NA, 15, NA, 23, NA, 13, NA, 6,
    // eq1 eq2 eq3 = 2 0 0
    93, 87, 86, 72, 75, 58, 86, 74, 74, 61, 56, 34, 70, 54, 52, 40, 40, 22,
    // eq1 eq2 eq3 = 2 0 1
    85, 75, 74, 55, 62, 51, 72, 57, 55, 41, 46, 19, 53, 36, 34, 19, 19, 8,
    // eq1 eq2 eq3 = 2 0 2
    NA, 64, NA, 51, NA, 20, NA, 47, NA, 21, NA, 11, NA, 24, NA, 9, NA, 4,
    // eq1 eq2 eq3 = 2 1 0
    88, 75, 73, 53, 60, 50, 73, 55, 59, 40, 41, 20, 54, 43, 45, 22, 20, 11,
    // eq1 eq2 eq3 = 2 1 1
    75, 55, 58, 45, 40, 21, 61, 51, 48, 18, 20, 9, 46, 18, 17, 7, 8, 2,
    // eq1 eq2 eq3 = 2 1 2
    NA, 53, NA, 24, NA, 14, NA, 24, NA, 12, NA, 5, NA, 10, NA, 3, NA, 1,
];

/// The score of a macrovector (digits EQ1..EQ6), or `None` when it does not exist, including
/// a digit one past the last class (the "next lower macrovector" of the lowest one).
pub(super) fn lookup(eq: [u8; 6]) -> Option<f64> {
    let [e1, e2, e3, e4, e5, e6] = eq;
    if e1 > 2 || e2 > 1 || e3 > 2 || e4 > 2 || e5 > 2 || e6 > 1 {
        return None;
    }
    let i = ((((usize::from(e1) * 2 + usize::from(e2)) * 3 + usize::from(e3)) * 3
        + usize::from(e4))
        * 3
        + usize::from(e5))
        * 2
        + usize::from(e6);
    match LOOKUP.get(i) {
        Some(&t) if t != NA => Some(f64::from(t) / 10.0),
        _ => None,
    }
}

// Canonical value codes (see `v4.rs`): AV N=0 A=1 L=2 P=3; AC L=0 H=1; AT N=0 P=1;
// PR N=0 L=1 H=2; UI N=0 P=1 A=2; VC/VI/VA H=0 L=1 N=2; SC H=0 L=1 N=2; SI/SA S=0 H=1 L=2
// N=3; CR/IR/AR H=0 M=1 L=2.

/// Highest-severity (AV, PR, UI) of each EQ1 class.
pub(super) const MAX_EQ1: [&[[u8; 3]]; 3] = [
    &[[0, 0, 0]],
    &[[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    &[[3, 0, 0], [1, 1, 1]],
];

/// Highest-severity (AC, AT) of each EQ2 class.
pub(super) const MAX_EQ2: [&[[u8; 2]]; 2] = [&[[0, 0]], &[[1, 0], [0, 1]]];

/// Highest-severity (VC, VI, VA, CR, IR, AR) of each joint EQ3 × EQ6 class, `[eq3][eq6]`.
pub(super) const MAX_EQ3_EQ6: [[&[[u8; 6]]; 2]; 3] = [
    [
        &[[0, 0, 0, 0, 0, 0]],
        &[[0, 0, 1, 1, 1, 0], [0, 0, 0, 1, 1, 1]],
    ],
    [
        &[[1, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0]],
        &[
            [1, 0, 1, 0, 1, 0],
            [1, 0, 0, 0, 1, 1],
            [0, 1, 0, 1, 0, 1],
            [0, 1, 1, 1, 0, 0],
            [1, 1, 0, 0, 0, 1],
        ],
    ],
    [&[], &[[1, 1, 1, 0, 0, 0]]],
];

/// Highest-severity (SC, SI, SA) of each EQ4 class.
pub(super) const MAX_EQ4: [[u8; 3]; 3] = [[0, 0, 0], [0, 1, 1], [1, 2, 2]];

/// Depth of each class (`max_severity.js`), in steps of 0.1.
pub(super) const DEPTH_EQ1: [u8; 3] = [1, 4, 5];
/// Depth of each EQ2 class.
pub(super) const DEPTH_EQ2: [u8; 2] = [1, 2];
/// Depth of each joint EQ3 × EQ6 class, `[eq3][eq6]` (EQ3 = 2, EQ6 = 0 does not occur).
pub(super) const DEPTH_EQ3_EQ6: [[u8; 2]; 3] = [[7, 6], [8, 8], [0, 10]];
/// Depth of each EQ4 class.
pub(super) const DEPTH_EQ4: [u8; 3] = [6, 5, 4];
