//! Tests of CVSS scoring against independent truth: the FIRST specification documents'
//! examples (`cvss/examples.rs`), a peer tool over the OSV vectors and the whole base-metric
//! space (`cvss/peer.rs`), and hostile input (`cvss/malformed.rs`).

mod examples;
mod malformed;
mod peer;

use vigie_knowledge::cvss::{CvssVersion, Rating, Score, parse, rating_for};

/// Parses or fails the test with the vector in the message.
pub fn score_of(vector: &str) -> Score {
    parse(vector).unwrap_or_else(|e| panic!("{vector}: {e}"))
}

/// The rating scales, at each boundary of the tables in the v3.1 specification (§5) and the
/// v4.0 specification (§6), and NVD's v2 table (Low 0.0–3.9, Medium 4.0–6.9, High 7.0–10.0).
#[test]
fn rating_scales_at_their_boundaries() {
    let v3 = [
        (0.0, Rating::None),
        (0.1, Rating::Low),
        (3.9, Rating::Low),
        (4.0, Rating::Medium),
        (6.9, Rating::Medium),
        (7.0, Rating::High),
        (8.9, Rating::High),
        (9.0, Rating::Critical),
        (10.0, Rating::Critical),
    ];
    for (base, rating) in v3 {
        for version in [CvssVersion::V3_0, CvssVersion::V3_1, CvssVersion::V4_0] {
            assert_eq!(rating_for(version, base), rating, "{version} {base}");
        }
    }
    let v2 = [
        (0.0, Rating::Low),
        (3.9, Rating::Low),
        (4.0, Rating::Medium),
        (6.9, Rating::Medium),
        (7.0, Rating::High),
        (9.0, Rating::High),
        (10.0, Rating::High),
    ];
    for (base, rating) in v2 {
        assert_eq!(rating_for(CvssVersion::V2, base), rating, "v2 {base}");
    }
    // Out-of-range and non-numbers are clamped, never a panic.
    assert_eq!(rating_for(CvssVersion::V3_1, f32::NAN), Rating::None);
    assert_eq!(rating_for(CvssVersion::V3_1, -1.0), Rating::None);
    assert_eq!(rating_for(CvssVersion::V3_1, 55.0), Rating::Critical);
}

/// The severity words of advisories: GHSA's `database_specific.severity` (LOW, MODERATE,
/// HIGH, CRITICAL), Red Hat's (Low, Moderate, Important, Critical), CVSS's own names.
#[test]
fn ratings_from_advisory_words() {
    let cases = [
        ("HIGH", Some(Rating::High)),
        ("moderate", Some(Rating::Medium)),
        ("MODERATE", Some(Rating::Medium)),
        ("Medium", Some(Rating::Medium)),
        ("important", Some(Rating::High)),
        (" Critical ", Some(Rating::Critical)),
        ("low", Some(Rating::Low)),
        ("NONE", Some(Rating::None)),
        ("", None),
        ("unknown", None),
        ("severe", None),
        ("hi", None),
    ];
    for (word, rating) in cases {
        assert_eq!(Rating::parse(word), rating, "{word:?}");
    }
}

/// Ratings serialise in lower case and order from the mildest to the worst; versions
/// serialise as their number.
#[test]
fn serialised_forms() {
    let json = serde_json::to_string(&[Rating::None, Rating::Medium, Rating::Critical]);
    assert_eq!(
        json.ok().as_deref(),
        Some(r#"["none","medium","critical"]"#)
    );
    assert!(Rating::None < Rating::Low && Rating::High < Rating::Critical);
    let back: Result<Rating, _> = serde_json::from_str(r#""high""#);
    assert_eq!(back.ok(), Some(Rating::High));

    let score = score_of("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    let json = serde_json::to_value(score).unwrap_or_default();
    assert_eq!(json["version"], "3.1");
    assert_eq!(json["rating"], "critical");
    assert_eq!(score.tenths(), 98);
    assert_eq!(score.base, 9.8_f32);
}

/// The version comes from the prefix; v2 takes the forms OSV, NVD and the v2 guide use.
#[test]
fn version_detection_and_v2_wrappers() {
    let v2 = "AV:N/AC:L/Au:N/C:N/I:N/A:C";
    for form in [
        v2.to_string(),
        format!("({v2})"),
        format!("CVSS:2.0/{v2}"),
        format!("CVSS2#{v2}"),
        format!("  {v2}\n"),
    ] {
        let s = score_of(&form);
        assert_eq!(
            (s.version, s.tenths(), s.rating),
            (CvssVersion::V2, 78, Rating::High)
        );
    }
    let v30 = score_of("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
    assert_eq!(v30.version, CvssVersion::V3_0);
    let v4 = score_of("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H");
    assert_eq!((v4.version, v4.tenths()), (CvssVersion::V4_0, 100));
}

/// Metrics in any order give the same score (the peer and FIRST's calculators accept them).
#[test]
fn metric_order_does_not_matter() {
    let a = score_of("CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N");
    let b = score_of("CVSS:3.1/S:C/C:L/A:N/I:L/UI:N/PR:L/AC:L/AV:N");
    assert_eq!(a, b);
    let a = score_of("CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U");
    let b = score_of("CVSS:4.0/E:U/SA:N/SI:N/SC:N/VA:H/VI:H/VC:H/UI:P/PR:N/AT:P/AC:L/AV:N");
    assert_eq!(a, b);
}

/// v3 temporal and environmental metrics do not change the base score: the FIRST v3.1
/// examples document gives CVE-2014-6271's base as 9.8 whatever the other groups say.
#[test]
fn v3_temporal_and_environmental_metrics_are_ignored() {
    let base = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
    for extra in [
        "/E:F/RL:O/RC:R",
        "/E:X/RL:X/RC:X/CR:X/IR:X/AR:X/MAV:X/MAC:X/MPR:X/MUI:X/MS:X/MC:X/MI:X/MA:X",
        "/CR:L/IR:L/AR:L/MAV:P/MAC:H/MPR:H/MUI:R/MS:C/MC:N/MI:N/MA:N",
    ] {
        assert_eq!(score_of(&format!("{base}{extra}")).tenths(), 98, "{extra}");
    }
}

/// Scoring 30,000 vectors (the importer's load, here the OSV vectors 30 times over) stays
/// far below a millisecond per thousand in an optimised build (`cargo test --release`); in a
/// debug build the bound is loose, the point is no pathology. Prints the rate measured.
#[test]
fn throughput() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/cvss/osv_vectors.tsv");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let vectors: Vec<&str> = text
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .collect();
    let start = std::time::Instant::now();
    let mut count = 0u32;
    let mut sum = 0u64;
    while count < 30_000 {
        for v in &vectors {
            sum += parse(v).map_or(0, |s| u64::from(s.tenths()));
            count += 1;
        }
    }
    let elapsed = start.elapsed();
    let per_thousand = elapsed / (count / 1000);
    eprintln!("{count} vectors in {elapsed:?}: {per_thousand:?} per thousand");
    assert!(sum > 0);
    assert!(elapsed.as_secs() < 5, "{count} vectors took {elapsed:?}");
}
