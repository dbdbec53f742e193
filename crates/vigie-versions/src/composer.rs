//! Packagist (Composer) versions: Composer's `VersionParser::normalize` (drop a `v`, pad the
//! numbers to four, drop `stable`, stability words case-insensitive), then PHP's
//! `version_compare`.
//!
//! `version_compare` canonicalises by splitting at every non-alphanumeric character and at
//! every digit/letter transition, then compares part by part: numbers numerically, words by
//! their "special form" (a prefix match: `dev` < `alpha`/`a` < `beta`/`b` < `RC`/`rc` < a number
//! < `pl`/`p`; any other word before `dev`). When one version has more parts, it is greater if
//! the first extra part is a number or `p`/`pl`, smaller otherwise (`1.0-beta` < `1.0`).
//! Composer's branch names (`dev-master`) start with `dev` and so sort before every release.

use std::cmp::Ordering;

use crate::num::cmp_digits;

/// Order of a number among the special forms.
const NUMBER: i8 = 4;

/// A part: a digit run or a letter run.
#[derive(Clone, Copy)]
enum Part<'a> {
    Num(&'a [u8]),
    Word(&'a [u8]),
}

/// The parts of a version, Composer-normalised: the leading numbers padded to four with `0`,
/// `stable` dropped.
fn parts(t: &str) -> impl Iterator<Item = Part<'_>> {
    let b = t.as_bytes();
    let b = match b.first() {
        Some(b'v' | b'V') if b.get(1).is_some_and(u8::is_ascii_digit) => b.get(1..).unwrap_or(&[]),
        _ => b,
    };
    let mut i = 0;
    let raw = std::iter::from_fn(move || {
        while let Some(&c) = b.get(i) {
            if c.is_ascii_alphanumeric() {
                let digit = c.is_ascii_digit();
                let n = crate::num::run(b.get(i..).unwrap_or(&[]), |d| {
                    d.is_ascii_alphanumeric() && d.is_ascii_digit() == digit
                });
                let s = b.get(i..i + n).unwrap_or(&[]);
                i += n;
                return Some(if digit { Part::Num(s) } else { Part::Word(s) });
            }
            i += 1;
        }
        None
    })
    .filter(|p| !matches!(p, Part::Word(w) if w.eq_ignore_ascii_case(b"stable")));
    // Pad the leading numbers to four.
    let mut raw = raw.peekable();
    let mut leading = 0usize;
    let mut in_lead = true;
    std::iter::from_fn(move || {
        if in_lead {
            match raw.peek() {
                Some(Part::Num(_)) if leading < 4 => {
                    leading += 1;
                    return raw.next();
                }
                Some(Part::Num(_)) => in_lead = false,
                _ if leading > 0 && leading < 4 => {
                    leading += 1;
                    return Some(Part::Num(b"0"));
                }
                _ => in_lead = false,
            }
        }
        raw.next()
    })
}

/// PHP's `compare_special_version_forms` order of a word (case-insensitive here).
fn special(w: &[u8]) -> i8 {
    const FORMS: [(&str, i8); 8] = [
        ("dev", 0),
        ("alpha", 1),
        ("a", 1),
        ("beta", 2),
        ("b", 2),
        ("rc", 3),
        ("pl", 5),
        ("p", 5),
    ];
    FORMS
        .iter()
        .find(|(f, _)| {
            w.get(..f.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(f.as_bytes()))
        })
        .map_or(-1, |&(_, o)| o)
}

fn order(p: Part<'_>) -> i8 {
    match p {
        Part::Num(_) => NUMBER,
        Part::Word(w) => special(w),
    }
}

pub(crate) fn cmp(a: &str, b: &str) -> Ordering {
    let mut x = parts(a);
    let mut y = parts(b);
    loop {
        let o = match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (Some(Part::Num(_)), None) => return Ordering::Greater,
            (None, Some(Part::Num(_))) => return Ordering::Less,
            (Some(p), None) => return order(p).cmp(&NUMBER),
            (None, Some(q)) => return NUMBER.cmp(&order(q)),
            (Some(Part::Num(p)), Some(Part::Num(q))) => cmp_digits(p, q),
            (Some(p), Some(q)) => order(p).cmp(&order(q)),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}

/// Whether a `dev`, `alpha`, `beta` or `RC` part appears.
pub(crate) fn is_prerelease(t: &str) -> bool {
    parts(t).any(|p| (0..NUMBER).contains(&order(p)))
}
