//! Debian versions (`deb-version(7)`, dpkg's `parseversion` and `verrevcmp`), and the same
//! comparison applied to whole opam versions.
//!
//! `[epoch:]upstream[-revision]`: the epoch is before the first `:`, the revision after the
//! last `-`. Each part compares by alternating non-digit runs (letters before non-letters, `~`
//! before everything, even the end) and digit runs (numerically).

use std::cmp::Ordering;

use crate::num::{Span, cmp_digits};

/// Where epoch, upstream version and revision are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    epoch: Span,
    upstream: Span,
    revision: Span,
}

/// dpkg's `parseversion`, keeping only its errors (not its warnings: a version that does not
/// start with a digit or has odd characters is still ordered, as dpkg does).
pub(crate) fn parse(t: &str) -> Result<Key, &'static str> {
    let b = t.as_bytes();
    if b.iter().any(u8::is_ascii_whitespace) {
        return Err("embedded whitespace");
    }
    let (epoch, rest_start) = match b.iter().position(|&c| c == b':') {
        Some(p) => {
            let e = b.get(..p).unwrap_or(&[]);
            if e.is_empty() {
                return Err("empty epoch");
            }
            if !e.iter().all(u8::is_ascii_digit) {
                return Err("epoch is not a number");
            }
            (Span::new(0, p), p + 1)
        }
        None => (Span::EMPTY, 0),
    };
    if rest_start >= b.len() {
        return Err("nothing after the epoch");
    }
    let (upstream, revision) = match b.iter().rposition(|&c| c == b'-') {
        Some(p) if p >= rest_start => {
            if p + 1 == b.len() {
                return Err("empty revision");
            }
            (Span::new(rest_start, p), Span::new(p + 1, b.len()))
        }
        _ => (Span::new(rest_start, b.len()), Span::EMPTY),
    };
    if upstream.is_empty() {
        return Err("empty upstream version");
    }
    Ok(Key {
        epoch,
        upstream,
        revision,
    })
}

pub(crate) fn cmp(a: &str, x: &Key, b: &str, y: &Key) -> Ordering {
    cmp_digits(x.epoch.bytes(a), y.epoch.bytes(b))
        .then_with(|| verrevcmp(x.upstream.bytes(a), y.upstream.bytes(b)))
        .then_with(|| verrevcmp(x.revision.bytes(a), y.revision.bytes(b)))
}

/// dpkg's character order in non-digit runs: `~` < end < letters < everything else.
fn order(c: Option<u8>) -> i32 {
    match c {
        None => 0,
        Some(c) if c.is_ascii_digit() => 0,
        Some(c) if c.is_ascii_alphabetic() => i32::from(c),
        Some(b'~') => -1,
        Some(c) => i32::from(c) + 256,
    }
}

/// dpkg's `verrevcmp`.
pub(crate) fn verrevcmp(a: &[u8], b: &[u8]) -> Ordering {
    let (mut i, mut j) = (0, 0);
    let digit = |s: &[u8], k: usize| s.get(k).is_some_and(u8::is_ascii_digit);
    while i < a.len() || j < b.len() {
        while (i < a.len() && !digit(a, i)) || (j < b.len() && !digit(b, j)) {
            let ac = order(a.get(i).copied());
            let bc = order(b.get(j).copied());
            if ac != bc {
                return ac.cmp(&bc);
            }
            i += 1;
            j += 1;
        }
        let na = crate::num::run(a.get(i..).unwrap_or(&[]), |c| c.is_ascii_digit());
        let nb = crate::num::run(b.get(j..).unwrap_or(&[]), |c| c.is_ascii_digit());
        let o = cmp_digits(
            a.get(i..i + na).unwrap_or(&[]),
            b.get(j..j + nb).unwrap_or(&[]),
        );
        if o != Ordering::Equal {
            return o;
        }
        i += na;
        j += nb;
    }
    Ordering::Equal
}
