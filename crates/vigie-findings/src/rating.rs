//! [`Rating`]: the one qualitative severity scale of vigie, from CVSS and advisories to the
//! store, the risk model and every output.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A qualitative severity rating, ordered from the mildest to the worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Rating {
    /// No impact (CVSS 0.0, v3 and v4 only).
    None,
    /// Low (CVSS 0.1–3.9).
    Low,
    /// Medium (CVSS 4.0–6.9; GitHub's and Red Hat's "moderate").
    Medium,
    /// High (CVSS 7.0–8.9; Red Hat's "important").
    High,
    /// Critical (CVSS 9.0–10.0, v3 and v4 only).
    Critical,
}

impl Rating {
    /// Every rating, mildest first.
    pub const ALL: [Rating; 5] = [
        Rating::None,
        Rating::Low,
        Rating::Medium,
        Rating::High,
        Rating::Critical,
    ];

    /// The rating in lower case, as serialised: `none`, `low`, `medium`, `high`, `critical`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rating::None => "none",
            Rating::Low => "low",
            Rating::Medium => "medium",
            Rating::High => "high",
            Rating::Critical => "critical",
        }
    }

    /// Reads a severity word as advisories write it, whatever its case and surrounding
    /// spaces: `none`, `low`, `medium` or `moderate` (GHSA, Red Hat), `high` or `important`
    /// (Red Hat), `critical`. Anything else is `None` (the `Option`), never a guess.
    pub fn parse(s: &str) -> Option<Rating> {
        let s = s.trim();
        let is = |word: &str| s.eq_ignore_ascii_case(word);
        if is("none") {
            Some(Rating::None)
        } else if is("low") {
            Some(Rating::Low)
        } else if is("medium") || is("moderate") {
            Some(Rating::Medium)
        } else if is("high") || is("important") {
            Some(Rating::High)
        } else if is("critical") {
            Some(Rating::Critical)
        } else {
            None
        }
    }

    /// The CVSS v3/v4 qualitative rating of a base score; `None` for a score that is not a
    /// number between 0 and 10.
    pub fn from_score(score: f32) -> Option<Rating> {
        if !score.is_finite() || !(0.0..=10.0).contains(&score) {
            None
        } else if score >= 9.0 {
            Some(Rating::Critical)
        } else if score >= 7.0 {
            Some(Rating::High)
        } else if score >= 4.0 {
            Some(Rating::Medium)
        } else if score > 0.0 {
            Some(Rating::Low)
        } else {
            Some(Rating::None)
        }
    }
}

impl fmt::Display for Rating {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rating_reads_back_from_its_word_and_its_json() {
        for r in Rating::ALL {
            assert_eq!(Rating::parse(r.as_str()), Some(r));
            assert_eq!(Rating::parse(&r.as_str().to_uppercase()), Some(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
            assert_eq!(serde_json::from_str::<Rating>(&json).unwrap(), r);
        }
        assert!(Rating::ALL.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(Rating::parse(" Moderate "), Some(Rating::Medium));
        assert_eq!(Rating::parse("important"), Some(Rating::High));
        assert_eq!(Rating::parse("severe"), None);
    }

    #[test]
    fn scores_outside_the_scale_have_no_rating() {
        // The boundaries are tested against the CVSS tables in vigie-risk's and
        // vigie-knowledge's tests.
        for bad in [-0.1, 10.1, f32::NAN, f32::INFINITY] {
            assert_eq!(Rating::from_score(bad), None);
        }
        assert_eq!(Rating::from_score(0.0), Some(Rating::None));
        assert_eq!(Rating::from_score(10.0), Some(Rating::Critical));
    }
}
