//! CVSS v4.0 score: macrovector equivalence classes, the FIRST lookup table, and the
//! severity-distance interpolation of the reference calculator (`cvss_score.js`).

use super::fields::{ABSENT, MetricDef, def, read, values, weight};
use super::v4_table::{
    DEPTH_EQ1, DEPTH_EQ2, DEPTH_EQ3_EQ6, DEPTH_EQ4, MAX_EQ1, MAX_EQ2, MAX_EQ3_EQ6, MAX_EQ4, lookup,
};
use super::{CvssError, CvssVersion, Score};

/// Every metric of the specification (§7), in its order. Value lists are in the canonical
/// order of the effective values below, `X` (Not Defined) first where it exists, so that a
/// modified metric's index minus one is the base metric's index.
const METRICS: [MetricDef; 32] = [
    def("AV", values!["N", "A", "L", "P"], true),
    def("AC", values!["L", "H"], true),
    def("AT", values!["N", "P"], true),
    def("PR", values!["N", "L", "H"], true),
    def("UI", values!["N", "P", "A"], true),
    def("VC", values!["H", "L", "N"], true),
    def("VI", values!["H", "L", "N"], true),
    def("VA", values!["H", "L", "N"], true),
    def("SC", values!["H", "L", "N"], true),
    def("SI", values!["H", "L", "N"], true),
    def("SA", values!["H", "L", "N"], true),
    def("E", values!["X", "A", "P", "U"], false),
    def("CR", values!["X", "H", "M", "L"], false),
    def("IR", values!["X", "H", "M", "L"], false),
    def("AR", values!["X", "H", "M", "L"], false),
    def("MAV", values!["X", "N", "A", "L", "P"], false),
    def("MAC", values!["X", "L", "H"], false),
    def("MAT", values!["X", "N", "P"], false),
    def("MPR", values!["X", "N", "L", "H"], false),
    def("MUI", values!["X", "N", "P", "A"], false),
    def("MVC", values!["X", "H", "L", "N"], false),
    def("MVI", values!["X", "H", "L", "N"], false),
    def("MVA", values!["X", "H", "L", "N"], false),
    def("MSC", values!["X", "H", "L", "N"], false),
    def("MSI", values!["X", "S", "H", "L", "N"], false),
    def("MSA", values!["X", "S", "H", "L", "N"], false),
    def("S", values!["X", "N", "P"], false),
    def("AU", values!["X", "N", "Y"], false),
    def("R", values!["X", "A", "U", "I"], false),
    def("V", values!["X", "D", "C"], false),
    def("RE", values!["X", "L", "M", "H"], false),
    def("U", values!["X", "Clear", "Green", "Amber", "Red"], false),
];

// Severity levels of `cvss_score.js`, in canonical order (distance from the most severe).
const AV_LEVELS: [f64; 4] = [0.0, 0.1, 0.2, 0.3];
const PR_LEVELS: [f64; 3] = [0.0, 0.1, 0.2];
const UI_LEVELS: [f64; 3] = [0.0, 0.1, 0.2];
const AC_LEVELS: [f64; 2] = [0.0, 0.1];
const AT_LEVELS: [f64; 2] = [0.0, 0.1];
const VULN_LEVELS: [f64; 3] = [0.0, 0.1, 0.2];
const SC_LEVELS: [f64; 3] = [0.1, 0.2, 0.3];
const SI_SA_LEVELS: [f64; 4] = [0.0, 0.1, 0.2, 0.3];
const REQ_LEVELS: [f64; 3] = [0.0, 0.1, 0.2];

/// The values the equations use: the modified metric where given, else the base one; `E`,
/// `CR`, `IR`, `AR` default to their worst case (A, H, H, H). Canonical codes: AV N A L P;
/// AC L H; AT N P; PR N L H; UI N P A; VC/VI/VA H L N; SC H L N; SI/SA S H L N; E A P U;
/// CR/IR/AR H M L.
struct Effective {
    av: u8,
    ac: u8,
    at: u8,
    pr: u8,
    ui: u8,
    vc: u8,
    vi: u8,
    va: u8,
    sc: u8,
    si: u8,
    sa: u8,
    e: u8,
    cr: u8,
    ir: u8,
    ar: u8,
}

const H: u8 = 0;

impl Effective {
    fn new(m: &[u8; 32]) -> Effective {
        // A modified metric (X first) overrides its base metric unless absent or X.
        let pick = |base: u8, modified: u8| match modified {
            ABSENT | 0 => base,
            v => v - 1,
        };
        // Threat and requirement metrics: X or absent is the first (worst) value.
        let worst_default = |v: u8| match v {
            ABSENT | 0 => 0,
            v => v - 1,
        };
        Effective {
            av: pick(m[0], m[15]),
            ac: pick(m[1], m[16]),
            at: pick(m[2], m[17]),
            pr: pick(m[3], m[18]),
            ui: pick(m[4], m[19]),
            vc: pick(m[5], m[20]),
            vi: pick(m[6], m[21]),
            va: pick(m[7], m[22]),
            sc: pick(m[8], m[23]),
            // Base SI/SA have no S: their index is one below the canonical code.
            si: pick(m[9].saturating_add(1), m[24]),
            sa: pick(m[10].saturating_add(1), m[25]),
            e: worst_default(m[11]),
            cr: worst_default(m[12]),
            ir: worst_default(m[13]),
            ar: worst_default(m[14]),
        }
    }

    /// The macrovector: one class per equation EQ1..EQ6 (specification §8.2).
    fn macrovector(&self) -> [u8; 6] {
        const N: u8 = 0;
        const PHYSICAL: u8 = 3;
        let (av_n, pr_n, ui_n) = (self.av == N, self.pr == N, self.ui == N);
        let eq1 = if av_n && pr_n && ui_n {
            0
        } else if (av_n || pr_n || ui_n) && self.av != PHYSICAL {
            1
        } else {
            2
        };
        let eq2 = if self.ac == 0 && self.at == 0 { 0 } else { 1 };
        let eq3 = if self.vc == H && self.vi == H {
            0
        } else if self.vc == H || self.vi == H || self.va == H {
            1
        } else {
            2
        };
        // SI/SA: S = 0, H = 1.
        let eq4 = if self.si == 0 || self.sa == 0 {
            0
        } else if self.sc == H || self.si == 1 || self.sa == 1 {
            1
        } else {
            2
        };
        let eq5 = self.e;
        let eq6 = if (self.cr == H && self.vc == H)
            || (self.ir == H && self.vi == H)
            || (self.ar == H && self.va == H)
        {
            0
        } else {
            1
        };
        [eq1, eq2, eq3, eq4, eq5, eq6]
    }
}

/// Scores a v4.0 vector body (after `CVSS:4.0/`).
pub(super) fn score(body: &str) -> Result<Score, CvssError> {
    let m = read(body, &METRICS, CvssVersion::V4_0)?;
    Ok(Score::from_tenths(
        CvssVersion::V4_0,
        tenths(&Effective::new(&m)),
    ))
}

/// Distances of the vector from one highest-severity vector, per metric.
#[derive(Clone, Copy, Default)]
struct Distances {
    eq1: f64,
    eq2: f64,
    eq3eq6: f64,
    eq4: f64,
    any_negative: bool,
}

/// The score in tenths, step by step as `cvss_score.js` computes it, in `f64`.
fn tenths(x: &Effective) -> u8 {
    // No impact on either system: 0.0.
    if [x.vc, x.vi, x.va, x.sc].iter().all(|&v| v == 2) && x.si == 3 && x.sa == 3 {
        return 0;
    }
    let mv = x.macrovector();
    let Some(value) = lookup(mv) else {
        return 0; // Unreachable: every macrovector the equations produce is in the table.
    };
    let [eq1, eq2, eq3, eq4, eq5, eq6] = mv;

    // 1a. The score of the next lower macrovector of each equation (None if there is none).
    let lower = |d: [u8; 6]| lookup(d);
    let next_eq1 = lower([eq1 + 1, eq2, eq3, eq4, eq5, eq6]);
    let next_eq2 = lower([eq1, eq2 + 1, eq3, eq4, eq5, eq6]);
    let next_eq3eq6 = match (eq3, eq6) {
        (1, 1) | (0, 1) => lower([eq1, eq2, eq3 + 1, eq4, eq5, eq6]),
        (1, 0) => lower([eq1, eq2, eq3, eq4, eq5, eq6 + 1]),
        (0, 0) => {
            let left = lower([eq1, eq2, eq3, eq4, eq5, eq6 + 1]);
            let right = lower([eq1, eq2, eq3 + 1, eq4, eq5, eq6]);
            match (left, right) {
                (Some(l), Some(r)) if l > r => Some(l),
                (_, r) => r,
            }
        }
        _ => lower([eq1, eq2, eq3 + 1, eq4, eq5, eq6 + 1]),
    };
    let next_eq4 = lower([eq1, eq2, eq3, eq4 + 1, eq5, eq6]);
    let next_eq5 = lower([eq1, eq2, eq3, eq4, eq5 + 1, eq6]);

    // 1b. The severity distance from the first highest-severity vector of the macrovector
    // that is at least as severe as this one on every metric (the last one if none is).
    let d = distances(x, eq1, eq2, eq3, eq4, eq6);

    // 1c-d. Each available distance, scaled by the proportion of the class's depth.
    const STEP: f64 = 0.1;
    let depth = |table: &[u8], i: u8| f64::from(table.get(usize::from(i)).copied().unwrap_or(1));
    let depth_eq3eq6 = DEPTH_EQ3_EQ6
        .get(usize::from(eq3))
        .and_then(|row| row.get(usize::from(eq6)))
        .copied()
        .unwrap_or(1);
    let parts = [
        (next_eq1, d.eq1, depth(&DEPTH_EQ1, eq1) * STEP),
        (next_eq2, d.eq2, depth(&DEPTH_EQ2, eq2) * STEP),
        (next_eq3eq6, d.eq3eq6, f64::from(depth_eq3eq6) * STEP),
        (next_eq4, d.eq4, depth(&DEPTH_EQ4, eq4) * STEP),
    ];
    let mut existing = 0u32;
    let mut sum = 0.0;
    for (next, current, max_severity) in parts {
        if let Some(next) = next {
            existing += 1;
            sum += (value - next) * (current / max_severity);
        }
    }
    // EQ5 counts when it has a lower class, with a proportion of 0.
    if let Some(next) = next_eq5 {
        existing += 1;
        sum += (value - next) * 0.0;
    }
    // 2-3. Minus the mean of the proportional distances, rounded half up to one decimal
    // after a 1e-6 lift against floating-point ties (as the reference does).
    let mean = if existing == 0 {
        0.0
    } else {
        sum / f64::from(existing)
    };
    let score = (value - mean).clamp(0.0, 10.0);
    let t = ((score + 1e-6) * 10.0).round();
    if t >= 100.0 {
        100
    } else if t > 0.0 {
        // A whole number in 1..=99 here, so the cast is exact.
        t as u8
    } else {
        0
    }
}

/// The severity distances of `x` from the highest-severity vectors of its macrovector, tried
/// in the reference's order (EQ1 outermost, then EQ2, EQ3×EQ6, EQ4).
fn distances(x: &Effective, eq1: u8, eq2: u8, eq3: u8, eq4: u8, eq6: u8) -> Distances {
    let maxes1 = MAX_EQ1.get(usize::from(eq1)).copied().unwrap_or(&[]);
    let maxes2 = MAX_EQ2.get(usize::from(eq2)).copied().unwrap_or(&[]);
    let maxes36 = MAX_EQ3_EQ6
        .get(usize::from(eq3))
        .and_then(|row| row.get(usize::from(eq6)))
        .copied()
        .unwrap_or(&[]);
    let max4 = MAX_EQ4.get(usize::from(eq4)).copied().unwrap_or([0, 0, 0]);
    let mut last = Distances::default();
    for &[av, pr, ui] in maxes1 {
        for &[ac, at] in maxes2 {
            for &[vc, vi, va, cr, ir, ar] in maxes36 {
                let [sc, si, sa] = max4;
                let per_metric = [
                    weight(&AV_LEVELS, x.av) - weight(&AV_LEVELS, av),
                    weight(&PR_LEVELS, x.pr) - weight(&PR_LEVELS, pr),
                    weight(&UI_LEVELS, x.ui) - weight(&UI_LEVELS, ui),
                    weight(&AC_LEVELS, x.ac) - weight(&AC_LEVELS, ac),
                    weight(&AT_LEVELS, x.at) - weight(&AT_LEVELS, at),
                    weight(&VULN_LEVELS, x.vc) - weight(&VULN_LEVELS, vc),
                    weight(&VULN_LEVELS, x.vi) - weight(&VULN_LEVELS, vi),
                    weight(&VULN_LEVELS, x.va) - weight(&VULN_LEVELS, va),
                    weight(&SC_LEVELS, x.sc) - weight(&SC_LEVELS, sc),
                    weight(&SI_SA_LEVELS, x.si) - weight(&SI_SA_LEVELS, si),
                    weight(&SI_SA_LEVELS, x.sa) - weight(&SI_SA_LEVELS, sa),
                    weight(&REQ_LEVELS, x.cr) - weight(&REQ_LEVELS, cr),
                    weight(&REQ_LEVELS, x.ir) - weight(&REQ_LEVELS, ir),
                    weight(&REQ_LEVELS, x.ar) - weight(&REQ_LEVELS, ar),
                ];
                let [
                    d_av,
                    d_pr,
                    d_ui,
                    d_ac,
                    d_at,
                    d_vc,
                    d_vi,
                    d_va,
                    d_sc,
                    d_si,
                    d_sa,
                    d_cr,
                    d_ir,
                    d_ar,
                ] = per_metric;
                last = Distances {
                    eq1: d_av + d_pr + d_ui,
                    eq2: d_ac + d_at,
                    eq3eq6: d_vc + d_vi + d_va + d_cr + d_ir + d_ar,
                    eq4: d_sc + d_si + d_sa,
                    any_negative: per_metric.iter().any(|&d| d < 0.0),
                };
                if !last.any_negative {
                    return last;
                }
            }
        }
    }
    last
}
