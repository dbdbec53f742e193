//! Agreement with a peer tool: Red Hat's Python `cvss` package (PyPI), whose scores
//! `bench/cvss_expected.py` wrote into `tests/data/cvss/`.

use vigie_knowledge::cvss::{CvssVersion, Rating, parse};

fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/cvss")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The peer's severity word as a rating.
fn peer_rating(word: &str) -> Rating {
    Rating::parse(word).unwrap_or_else(|| panic!("unknown peer rating {word:?}"))
}

/// The peer's score "7.5" in tenths.
fn peer_tenths(score: &str) -> u8 {
    let value: f64 = score.parse().unwrap_or_else(|e| panic!("{score:?}: {e}"));
    (value * 10.0).round() as u8
}

/// Checks a `vector \t score \t rating` table, returning (rows, per-version counts).
fn check_table(name: &str) -> (usize, [usize; 4]) {
    let text = fixture(name);
    let mut wrong = Vec::new();
    let mut rows = 0;
    let mut per_version = [0usize; 4];
    for line in text.lines().filter(|l| !l.starts_with('#')).skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let [vector, score, rating] = cols[..] else {
            panic!("{name}: bad line {line:?}");
        };
        rows += 1;
        let got = parse(vector);
        if score == "ERROR" {
            if let Ok(s) = got {
                wrong.push(format!("{vector}: peer rejects it, we score {}", s.base));
            }
            continue;
        }
        match got {
            Ok(s) => {
                per_version[s.version as usize] += 1;
                if s.tenths() != peer_tenths(score) || s.rating != peer_rating(rating) {
                    wrong.push(format!(
                        "{vector}: {} {} vs peer {score} {rating}",
                        s.base, s.rating
                    ));
                }
            }
            Err(e) => wrong.push(format!("{vector}: {e} vs peer {score}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "{name}: {} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    (rows, per_version)
}

/// Every distinct CVSS vector of the OSV dumps gives the peer's score and rating.
#[test]
fn osv_vectors_agree_with_the_peer() {
    let (rows, per_version) = check_table("osv_vectors.tsv");
    // 1,002 distinct vectors in the mirror of 2026-08-22, of every version.
    assert!(rows >= 1000, "only {rows} rows");
    assert!(
        per_version.iter().all(|&n| n > 0),
        "a version is missing: {per_version:?}"
    );
}

/// Random v4.0 vectors with threat, environmental and supplemental metrics.
#[test]
fn random_v4_vectors_agree_with_the_peer() {
    let (rows, per_version) = check_table("v4_random.tsv");
    assert_eq!(
        (rows, per_version[CvssVersion::V4_0 as usize]),
        (1000, 1000)
    );
}

/// Every base vector of every version (v2: 729, v3.0 and v3.1: 2,592 each, v4.0: 104,976)
/// scores as the peer scores it. The file lists the metrics of each section and the peer's
/// scores in tenths, in nested-loop order (the last metric fastest).
#[test]
fn whole_base_space_agrees_with_the_peer() {
    let text = fixture("base_space.txt");
    let mut sections = 0;
    let mut lines = text.lines().filter(|l| !l.starts_with('#')).peekable();
    while let Some(header) = lines.next() {
        let (label, spec) = header
            .strip_prefix('[')
            .and_then(|h| h.split_once("] "))
            .unwrap_or_else(|| panic!("bad section header {header:?}"));
        let prefix = match label {
            "v2" => "",
            "v3.0" => "CVSS:3.0/",
            "v3.1" => "CVSS:3.1/",
            "v4.0" => "CVSS:4.0/",
            other => panic!("unknown section {other}"),
        };
        let metrics: Vec<(&str, Vec<char>)> = spec
            .split(' ')
            .map(|m| {
                let (name, values) = m.split_once('=').unwrap_or_else(|| panic!("{m:?}"));
                (name, values.chars().collect())
            })
            .collect();
        let mut expected = Vec::new();
        while let Some(line) = lines.next_if(|l| !l.starts_with('[')) {
            expected.extend(line.split(' ').map(|t| t.parse::<u8>().unwrap_or(u8::MAX)));
        }
        let total: usize = metrics.iter().map(|(_, v)| v.len()).product();
        assert_eq!(expected.len(), total, "{label}: count");
        let mut wrong = Vec::new();
        let mut digits = vec![0usize; metrics.len()];
        let mut vector = String::with_capacity(128);
        for &peer in &expected {
            vector.clear();
            vector.push_str(prefix);
            for (i, ((name, values), &d)) in metrics.iter().zip(&digits).enumerate() {
                if i > 0 {
                    vector.push('/');
                }
                vector.push_str(name);
                vector.push(':');
                vector.push(values[d]);
            }
            match parse(&vector) {
                Ok(s) if s.tenths() == peer => {}
                Ok(s) => wrong.push(format!("{vector}: {} vs peer {peer}", s.tenths())),
                Err(e) => wrong.push(format!("{vector}: {e}")),
            }
            // Next combination: increment the last metric, carrying leftwards.
            for (d, (_, values)) in digits.iter_mut().zip(&metrics).rev() {
                *d += 1;
                if *d < values.len() {
                    break;
                }
                *d = 0;
            }
        }
        let shown: Vec<_> = wrong.iter().take(20).cloned().collect();
        assert!(
            wrong.is_empty(),
            "{label}: {} disagreements:\n{}",
            wrong.len(),
            shown.join("\n")
        );
        sections += 1;
    }
    assert_eq!(sections, 4);
}
