//! Hostile and broken vectors: each is a typed error naming what is wrong, never a panic.

use proptest::prelude::*;
use vigie_knowledge::cvss::{CvssError, CvssVersion, MAX_VECTOR_LEN, parse};

const V31: &str = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
const V40: &str = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N";

#[test]
fn missing_mandatory_metrics() {
    use CvssVersion::*;
    let cases = [
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H", V3_1, "A"),
        ("CVSS:3.0/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", V3_0, "AV"),
        ("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/C:H/I:H/A:H/E:P", V3_1, "S"),
        ("CVSS:3.1/", V3_1, "AV"),
        ("CVSS:3.1", V3_1, "AV"),
        (
            "CVSS:4.0/AV:N/AC:L/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N/SA:N",
            V4_0,
            "AT",
        ),
        (
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:N/SC:N/SI:N",
            V4_0,
            "SA",
        ),
        ("AV:N/AC:L/Au:N/C:P/I:P", V2, "A"),
        ("AV:N/AC:L/C:P/I:P/A:P", V2, "Au"),
    ];
    for (vector, version, metric) in cases {
        assert_eq!(
            parse(vector),
            Err(CvssError::MissingMetric { version, metric }),
            "{vector}"
        );
    }
}

#[test]
fn duplicated_metrics() {
    let err = parse(&format!("{V31}/AV:L"));
    assert_eq!(
        err,
        Err(CvssError::DuplicateMetric {
            version: CvssVersion::V3_1,
            metric: "AV"
        })
    );
    // Even with the same value, and even for optional metrics.
    assert!(matches!(
        parse(&format!("{V31}/E:P/E:P")),
        Err(CvssError::DuplicateMetric { metric: "E", .. })
    ));
    assert!(matches!(
        parse(&format!("{V40}/SI:H")),
        Err(CvssError::DuplicateMetric { metric: "SI", .. })
    ));
    assert!(matches!(
        parse("AV:N/AC:L/Au:N/C:P/I:P/A:P/A:N"),
        Err(CvssError::DuplicateMetric { metric: "A", .. })
    ));
}

#[test]
fn unknown_metrics_and_values() {
    let unknown = |v: &str| matches!(parse(v), Err(CvssError::UnknownMetric { .. }));
    let invalid = |v: &str, m: &str| matches!(parse(v), Err(CvssError::InvalidValue { metric, .. }) if metric == m);
    assert!(unknown(&format!("{V31}/JJ:H")));
    assert!(unknown(&format!("{V40}/JJ:H")));
    // Metrics of another version.
    assert!(unknown("CVSS:3.1/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assert!(unknown(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/C:H/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
    ));
    // v3's Scope is v4's Safety, which takes other values.
    assert!(invalid(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/S:U/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
        "S"
    ));
    assert!(unknown("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    // Names are case-sensitive.
    assert!(unknown("CVSS:3.1/av:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assert!(invalid(
        "CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",
        "AV"
    ));
    assert!(invalid("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:h", "A"));
    assert!(invalid(&format!("{V31}/E:Z"), "E"));
    assert!(invalid(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:J",
        "SA"
    ));
    // S (Safety) exists only as a modified value of SI/SA.
    assert!(invalid(
        "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:S/SA:N",
        "SI"
    ));
    assert!(invalid(&format!("{V40}/U:green"), "U"));
    assert!(invalid(&format!("{V40}/E:INVALID"), "E"));
    assert!(invalid("AV:N/AC:L/Au:N/C:P/I:P/A:P/E:X", "E"));
}

#[test]
fn garbage_and_structure() {
    let malformed = |v: &str| matches!(parse(v), Err(CvssError::MalformedField { .. }));
    assert_eq!(parse(""), Err(CvssError::Empty));
    assert_eq!(parse(" \t\n"), Err(CvssError::Empty));
    assert!(malformed(&format!("{V31}/")));
    assert!(malformed("CVSS:3.1/AV:N//AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"));
    assert!(malformed("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A"));
    assert!(malformed("hello"));
    // An opening parenthesis without its closing one is not the v2 wrapper.
    assert!(matches!(
        parse("(AV:N/AC:L/Au:N/C:P/I:P/A:P"),
        Err(CvssError::UnknownMetric { .. })
    ));
    assert!(matches!(
        parse("CVSS:3.1/AV:N:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"),
        Err(CvssError::InvalidValue { metric: "AV", .. })
    ));
    for version in ["5.0", "3.2", "4", "", "2.0x"] {
        assert_eq!(
            parse(&format!("CVSS:{version}/AV:N")),
            Err(CvssError::UnsupportedVersion {
                version: version.to_string()
            }),
        );
    }
    // RH notation (score/vector) is not a vector.
    assert!(parse("9.8/CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
}

#[test]
fn huge_input_is_refused_before_reading() {
    let huge = format!("{V31}{}", "/E:X".repeat(1_000_000));
    assert_eq!(parse(&huge), Err(CvssError::TooLong { len: huge.len() }));
    // Just at the limit, it is read (and refused for its duplicates).
    let padded = format!(
        "{V31}/E:X{}",
        "/E:X".repeat((MAX_VECTOR_LEN - V31.len() - 4) / 4)
    );
    assert!(padded.len() <= MAX_VECTOR_LEN);
    assert!(matches!(
        parse(&padded),
        Err(CvssError::DuplicateMetric { .. })
    ));
}

#[test]
fn error_messages_name_the_metric_and_stay_short() {
    let msg = |v: &str| parse(v).err().map(|e| e.to_string()).unwrap_or_default();
    assert_eq!(
        msg("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H"),
        "CVSS 3.1 vector: mandatory metric A is missing"
    );
    assert_eq!(
        msg(&format!("{V40}/E:Q")),
        "CVSS 4.0 vector: metric E has no value \"Q\""
    );
    let long = format!("{V31}/{}:H", "Z".repeat(500));
    assert!(msg(&long).len() < 120, "{}", msg(&long));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Arbitrary strings never panic.
    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        let _ = parse(&s);
    }

    /// Strings made of the vectors' own alphabet never panic, and a score is always in range
    /// with the rating of its version.
    #[test]
    fn vector_like_strings_never_panic(
        prefix in prop::sample::select(vec!["", "CVSS:2.0/", "CVSS:3.0/", "CVSS:3.1/", "CVSS:4.0/", "("]),
        body in "[A-Za-z:/()#.0-9]{0,120}",
    ) {
        if let Ok(s) = parse(&format!("{prefix}{body}")) {
            prop_assert!((0.0..=10.0).contains(&s.base));
            prop_assert_eq!(s.rating, vigie_knowledge::cvss::rating_for(s.version, s.base));
        }
    }

    /// Valid vectors with fields shuffled, dropped or repeated: an error or a score, no panic.
    #[test]
    fn mutated_valid_vectors_never_panic(
        fields in prop::collection::vec(prop::sample::select(vec![
            "AV:N", "AV:P", "AC:L", "AT:P", "PR:H", "UI:A", "VC:H", "VI:L", "VA:N", "SC:H",
            "SI:L", "SA:N", "E:U", "MSI:S", "MSA:S", "CR:L", "MAV:X", "U:Red", "S:C", "C:H",
            "I:L", "A:N", "Au:S", "RL:O", "MS:C", "CDP:LM",
        ]), 0..40),
        prefix in prop::sample::select(vec!["", "CVSS:3.0/", "CVSS:3.1/", "CVSS:4.0/"]),
    ) {
        let v = format!("{prefix}{}", fields.join("/"));
        if let Ok(s) = parse(&v) {
            prop_assert!(s.tenths() <= 100);
        }
    }
}
