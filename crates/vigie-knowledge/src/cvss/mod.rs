//! CVSS v2, v3.0, v3.1 and v4.0 vectors: base scores and ratings, as the FIRST specifications compute them.
//!
//! [`parse`] reads a vector as OSV carries it in `severity[].score` (`CVSS:3.1/AV:N/…`,
//! `CVSS:4.0/AV:N/…`, or a bare v2 vector `AV:N/AC:L/Au:N/C:P/I:P/A:P`), detects the version
//! from the prefix and returns the score and its qualitative rating. Pure: no IO, no heap
//! allocation on success, bounded input (at most [`MAX_VECTOR_LEN`] bytes).
//!
//! What the score is, per version:
//! - **v2**: the base equation of the CVSS v2 guide (§3.2.1), rounded to one decimal. Temporal
//!   and environmental metrics (`E`, `RL`, `RC`, `CDP`, `TD`, `CR`, `IR`, `AR`) are accepted and
//!   ignored. Accepted wrappers: `(…)`, `CVSS:2.0/…`, `CVSS2#…`. Rating as NVD gives it (Low
//!   0.0–3.9, Medium 4.0–6.9, High 7.0–10.0).
//! - **v3.0 / v3.1**: the base score equation (§7.1), with 3.1's integer-based Roundup
//!   (Appendix A of the 3.1 specification) and 3.0's `ceil(x × 10) / 10`. Temporal and
//!   environmental metrics are accepted, checked, and ignored: the result is the *base* score.
//! - **v4.0**: the score of the vector as the FIRST reference calculator computes it
//!   (macrovector lookup, then severity-distance interpolation). CVSS v4 has one equation for
//!   all metric groups, so threat and environmental metrics present in the vector (`E:U`,
//!   `MAV:L`, …) are taken into account: the number is CVSS-B when only base metrics are given,
//!   CVSS-BT / -BE / -BTE otherwise, as the advisory's author published it. Supplemental
//!   metrics (`S`, `AU`, `R`, `V`, `RE`, `U`) are checked and do not change the score.
//!
//! Metrics may come in any order; a mandatory metric missing, a metric given twice, an unknown
//! metric or value is an error ([`CvssError`]). Ratings v3/v4: None 0.0, Low 0.1–3.9, Medium
//! 4.0–6.9, High 7.0–8.9, Critical 9.0–10.0.

mod fields;
mod v2;
mod v3;
mod v4;
mod v4_table;

use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest vector accepted, in bytes (a complete v4.0 vector is about 220).
pub const MAX_VECTOR_LEN: usize = 1024;

/// A CVSS version, ordered from the oldest to the newest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CvssVersion {
    /// CVSS v2 (2007).
    #[serde(rename = "2.0")]
    V2,
    /// CVSS v3.0 (2015).
    #[serde(rename = "3.0")]
    V3_0,
    /// CVSS v3.1 (2019).
    #[serde(rename = "3.1")]
    V3_1,
    /// CVSS v4.0 (2023).
    #[serde(rename = "4.0")]
    V4_0,
}

impl CvssVersion {
    /// The version as written in a vector prefix: `2.0`, `3.0`, `3.1`, `4.0`.
    pub fn as_str(self) -> &'static str {
        match self {
            CvssVersion::V2 => "2.0",
            CvssVersion::V3_0 => "3.0",
            CvssVersion::V3_1 => "3.1",
            CvssVersion::V4_0 => "4.0",
        }
    }
}

impl fmt::Display for CvssVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CVSS {}", self.as_str())
    }
}

/// The qualitative rating scale (vigie's one [`Rating`], owned by `vigie-findings`).
pub use vigie_findings::Rating;

/// The score of one vector.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Score {
    /// The version the vector was written in.
    pub version: CvssVersion,
    /// The score, 0.0 to 10.0, with one decimal (the `f32` nearest to it).
    pub base: f32,
    /// The rating of `base` in that version's scale.
    pub rating: Rating,
}

impl Score {
    fn from_tenths(version: CvssVersion, tenths: u8) -> Score {
        let tenths = tenths.min(100);
        let base = f32::from(tenths) / 10.0;
        Score {
            version,
            base,
            rating: rating_for(version, base),
        }
    }

    /// The score in tenths (0 to 100): `base` × 10 as an exact integer, for comparisons.
    pub fn tenths(&self) -> u8 {
        tenths_of(self.base)
    }
}

/// What is wrong with a vector. Strings taken from the input are cut to 40 characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CvssError {
    /// Nothing but white space.
    #[error("empty CVSS vector")]
    Empty,
    /// Longer than [`MAX_VECTOR_LEN`].
    #[error("CVSS vector of {len} bytes, longer than the {MAX_VECTOR_LEN} accepted")]
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// A `CVSS:x.y/` prefix of a version this module does not know.
    #[error("unsupported CVSS version {version:?}")]
    UnsupportedVersion {
        /// What followed `CVSS:`.
        version: String,
    },
    /// A field that is not `NAME:VALUE` (an empty field, a trailing `/`, garbage).
    #[error("{version} vector: field {field:?} is not NAME:VALUE")]
    MalformedField {
        /// The version being read.
        version: CvssVersion,
        /// The field.
        field: String,
    },
    /// A metric name that the version does not define.
    #[error("{version} vector: unknown metric {metric:?}")]
    UnknownMetric {
        /// The version being read.
        version: CvssVersion,
        /// The name found.
        metric: String,
    },
    /// A value that the metric does not take.
    #[error("{version} vector: metric {metric} has no value {value:?}")]
    InvalidValue {
        /// The version being read.
        version: CvssVersion,
        /// The metric.
        metric: &'static str,
        /// The value found.
        value: String,
    },
    /// A metric given more than once.
    #[error("{version} vector: metric {metric} is given twice")]
    DuplicateMetric {
        /// The version being read.
        version: CvssVersion,
        /// The metric.
        metric: &'static str,
    },
    /// A mandatory (base) metric absent.
    #[error("{version} vector: mandatory metric {metric} is missing")]
    MissingMetric {
        /// The version being read.
        version: CvssVersion,
        /// The first missing metric, in the specification's order.
        metric: &'static str,
    },
}

/// Parses a CVSS vector of any supported version and computes its score and rating.
///
/// The version comes from the prefix: `CVSS:4.0/`, `CVSS:3.1/`, `CVSS:3.0/`, `CVSS:2.0/` or
/// `CVSS2#`; a vector without prefix (or wrapped in parentheses) is read as v2, the form OSV's
/// `CVSS_V2` entries take. Leading and trailing white space is ignored.
pub fn parse(vector: &str) -> Result<Score, CvssError> {
    let v = vector.trim();
    if v.is_empty() {
        return Err(CvssError::Empty);
    }
    if v.len() > MAX_VECTOR_LEN {
        return Err(CvssError::TooLong { len: v.len() });
    }
    if let Some(rest) = v.strip_prefix("CVSS:") {
        let (version, body) = rest.split_once('/').unwrap_or((rest, ""));
        return match version {
            "2.0" => v2::score(body),
            "3.0" => v3::score(body, CvssVersion::V3_0),
            "3.1" => v3::score(body, CvssVersion::V3_1),
            "4.0" => v4::score(body),
            other => Err(CvssError::UnsupportedVersion {
                version: clip(other),
            }),
        };
    }
    if let Some(body) = v.strip_prefix("CVSS2#") {
        return v2::score(body);
    }
    if let Some(inner) = v.strip_prefix('(').and_then(|s| s.strip_suffix(')')) {
        return v2::score(inner);
    }
    v2::score(v)
}

/// The rating of a score in a version's scale. v2 (NVD): Low below 4.0 (0.0 included),
/// Medium below 7.0, High above. v3 and v4: None at 0.0, Low below 4.0, Medium below 7.0,
/// High below 9.0, Critical above. The score is first rounded to one decimal; a score that
/// is not a finite number counts as 0.0.
pub fn rating_for(version: CvssVersion, base: f32) -> Rating {
    let t = tenths_of(base);
    match version {
        CvssVersion::V2 => match t {
            0..=39 => Rating::Low,
            40..=69 => Rating::Medium,
            _ => Rating::High,
        },
        CvssVersion::V3_0 | CvssVersion::V3_1 | CvssVersion::V4_0 => match t {
            0 => Rating::None,
            1..=39 => Rating::Low,
            40..=69 => Rating::Medium,
            70..=89 => Rating::High,
            _ => Rating::Critical,
        },
    }
}

/// A score in tenths, clamped to 0..=100 (NaN counts as 0).
fn tenths_of(base: f32) -> u8 {
    let t = (base * 10.0).round();
    if t >= 100.0 {
        100
    } else if t > 0.0 {
        // In 1..=99 here, so the cast is exact.
        t as u8
    } else {
        0
    }
}

/// At most 40 characters of an input string, for error messages.
fn clip(s: &str) -> String {
    s.chars().take(40).collect()
}
