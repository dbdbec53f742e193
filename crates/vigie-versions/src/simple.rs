//! The simple schemes: Hackage and CRAN (lists of numbers) and the generic fallback.

use std::cmp::Ordering;

use crate::num::{all_digits, cmp_digits, cmp_ignore_case};

/// Cabal's `Version`: numbers separated by dots.
pub(crate) fn validate_hackage(t: &str) -> Result<(), &'static str> {
    if t.as_bytes().split(|&c| c == b'.').all(all_digits) {
        Ok(())
    } else {
        Err("not dot-separated numbers")
    }
}

/// R's `package_version` / `numeric_version`: numbers separated by `.` or `-`.
pub(crate) fn validate_cran(t: &str) -> Result<(), &'static str> {
    if t.as_bytes()
        .split(|&c| c == b'.' || c == b'-')
        .all(all_digits)
    {
        Ok(())
    } else {
        Err("not numbers separated by '.' or '-'")
    }
}

/// Lists of numbers (separated by `.` or `-`) compared as lists: number by number, and a list
/// that is a prefix of the other is smaller (`1.0` < `1.0.0`), as Haskell's and R's do.
pub(crate) fn cmp_numbers(a: &str, b: &str) -> Ordering {
    let sep = |c: &u8| *c == b'.' || *c == b'-';
    let mut x = a.as_bytes().split(sep);
    let mut y = b.as_bytes().split(sep);
    loop {
        let o = match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => cmp_digits(p, q),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}

/// A token of the generic scheme.
#[derive(Clone, Copy)]
enum Tok<'a> {
    Num(&'a [u8]),
    Word(&'a [u8]),
}

fn tokens(t: &str) -> impl Iterator<Item = Tok<'_>> {
    let b = t.as_bytes();
    let b = match b.first() {
        Some(b'v' | b'V') if b.get(1).is_some_and(u8::is_ascii_digit) => b.get(1..).unwrap_or(&[]),
        _ => b,
    };
    let mut i = 0;
    std::iter::from_fn(move || {
        while let Some(&c) = b.get(i) {
            if c.is_ascii_digit() {
                let n = crate::num::run(b.get(i..).unwrap_or(&[]), |d| d.is_ascii_digit());
                let s = b.get(i..i + n).unwrap_or(&[]);
                i += n;
                return Some(Tok::Num(s));
            }
            if c.is_ascii_alphabetic() || c >= 0x80 {
                let n = crate::num::run(b.get(i..).unwrap_or(&[]), |d| {
                    d.is_ascii_alphabetic() || d >= 0x80
                });
                let s = b.get(i..i + n).unwrap_or(&[]);
                i += n;
                return Some(Tok::Word(s));
            }
            i += 1;
        }
        None
    })
}

/// The generic order: numbers numerically (a missing number is `0`), words case-insensitively,
/// a number above a word, a word (a pre-release such as `rc1`) below the end of the version.
/// Versions whose tokens are all equal are equal (`1.0` = `1-0` = `1.0.0` = `v1.0`).
pub(crate) fn cmp_generic(a: &str, b: &str) -> Ordering {
    let mut x = tokens(a);
    let mut y = tokens(b);
    loop {
        let o = match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (Some(Tok::Num(p)), None) => cmp_digits(p, b"0"),
            (None, Some(Tok::Num(q))) => cmp_digits(b"0", q),
            (Some(Tok::Word(_)), None) => Ordering::Less,
            (None, Some(Tok::Word(_))) => Ordering::Greater,
            (Some(Tok::Num(p)), Some(Tok::Num(q))) => cmp_digits(p, q),
            (Some(Tok::Num(_)), Some(Tok::Word(_))) => Ordering::Greater,
            (Some(Tok::Word(_)), Some(Tok::Num(_))) => Ordering::Less,
            (Some(Tok::Word(p)), Some(Tok::Word(q))) => cmp_ignore_case(p, q),
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}
