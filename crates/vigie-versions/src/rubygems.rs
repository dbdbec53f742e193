//! RubyGems versions (`Gem::Version`): segments are runs of digits or of letters (a `-` reads
//! as `.pre.`), trailing zeros of the numeric part and of the rest are dropped
//! (`canonical_segments`), then segments compare one by one, missing ones being `0`, numbers
//! after words, words in byte order. A version with a letter is a pre-release.

use std::cmp::Ordering;

use crate::num::{all_digits, cmp_digits, is_zero};

/// Which segments `canonical_segments` keeps, by index.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    /// Numeric segments kept from the start (trailing zeros dropped).
    num_keep: u16,
    /// Index of the first word segment (or the segment count).
    str_start: u16,
    /// Index after the last kept segment of the rest.
    end: u16,
    prerelease: bool,
}

impl Key {
    pub fn is_prerelease(&self) -> bool {
        self.prerelease
    }
}

/// Validates with `Gem::Version::ANCHORED_VERSION_PATTERN` (the caller trimmed whitespace).
fn correct(b: &[u8]) -> bool {
    let main_end = b.iter().position(|&c| c == b'-').unwrap_or(b.len());
    let (main, pre) = b.split_at(main_end);
    let mut parts = main.split(|&c| c == b'.');
    if !parts.next().is_some_and(all_digits) {
        return false;
    }
    if !parts.all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_alphanumeric)) {
        return false;
    }
    match pre.split_first() {
        None => true,
        Some((_, rest)) => rest
            .split(|&c| c == b'.')
            .all(|p| !p.is_empty() && p.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')),
    }
}

/// The segments of a version: runs of digits or letters, `-` being the word `pre`.
fn segments(b: &[u8]) -> impl Iterator<Item = &[u8]> {
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&c) = b.get(i) {
            if c == b'-' {
                i += 1;
                return Some(&b"pre"[..]);
            }
            if c.is_ascii_alphanumeric() {
                let digit = c.is_ascii_digit();
                let n = crate::num::run(b.get(i..).unwrap_or(&[]), |d| {
                    if digit {
                        d.is_ascii_digit()
                    } else {
                        d.is_ascii_alphabetic()
                    }
                });
                let s = b.get(i..i + n);
                i += n;
                return s;
            }
            i += 1;
        }
        None
    })
}

pub(crate) fn parse(t: &str) -> Result<Key, &'static str> {
    let b = t.as_bytes();
    if !correct(b) {
        return Err("not a Gem::Version");
    }
    let (mut num_keep, mut str_start, mut end) = (0usize, None, 0usize);
    for (n, s) in segments(b).enumerate() {
        let number = s.first().is_some_and(u8::is_ascii_digit);
        if str_start.is_none() && !number {
            str_start = Some(n);
        }
        match str_start {
            None if !is_zero(s) => num_keep = n + 1,
            Some(_) if !(number && is_zero(s)) => end = n + 1,
            _ => {}
        }
    }
    let count = segments(b).count();
    let str_start = str_start.unwrap_or(count);
    let end = end.max(str_start);
    let cap = |x: usize| u16::try_from(x).unwrap_or(u16::MAX);
    Ok(Key {
        num_keep: cap(num_keep),
        str_start: cap(str_start),
        end: cap(end),
        prerelease: b.iter().any(u8::is_ascii_alphabetic),
    })
}

fn canonical<'a>(b: &'a [u8], k: &Key) -> impl Iterator<Item = &'a [u8]> {
    let (keep, start, end) = (
        usize::from(k.num_keep),
        usize::from(k.str_start),
        usize::from(k.end),
    );
    segments(b)
        .enumerate()
        .take(end)
        .filter(move |(n, _)| *n < keep || *n >= start)
        .map(|(_, s)| s)
}

pub(crate) fn cmp(a: &str, x: &Key, b: &str, y: &Key) -> Ordering {
    let mut l = canonical(a.as_bytes(), x);
    let mut r = canonical(b.as_bytes(), y);
    loop {
        let (p, q) = match (l.next(), r.next()) {
            (None, None) => return Ordering::Equal,
            (p, q) => (p.unwrap_or(b"0"), q.unwrap_or(b"0")),
        };
        let pn = p.first().is_some_and(u8::is_ascii_digit);
        let qn = q.first().is_some_and(u8::is_ascii_digit);
        let o = match (pn, qn) {
            (true, true) => cmp_digits(p, q),
            (false, true) => Ordering::Less,
            (true, false) => Ordering::Greater,
            (false, false) => p.cmp(q),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}
