//! SemVer 2.0 precedence, shared by the SemVer, Go and NuGet schemes (which differ only in
//! what they accept and in NuGet's case-insensitive labels).
//!
//! Precedence (semver.org §11): numeric parts compared as numbers (missing ones are `0`), a
//! version with a pre-release is lower than the same version without, pre-release identifiers
//! compare one by one (numbers numerically, numbers before words, words in ASCII order) and a
//! longer list wins when one is a prefix of the other. Build metadata is ignored (§10) by
//! SemVer, Go and NuGet; the SemVer-with-build scheme uses it as a last tie-breaker (none
//! first, then identifiers as pre-release identifiers compare), as Dart's `pub_semver` and
//! Julia's `VersionNumber` do: Julia's binary packages are published as `4.3.1+0`, `4.3.1+2`,
//! and advisories bound ranges with them.

use std::cmp::Ordering;

use crate::num::{Span, all_digits, cmp_digits, cmp_ignore_case};

/// Which scheme's acceptance rules apply.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Flavor {
    Semver,
    /// SemVer, build metadata breaking ties (Julia, Pub).
    SemverBuild,
    Go,
    NuGet,
}

/// Where the parts of a version are in its text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    /// The dotted numbers, without prefix.
    release: Span,
    /// The pre-release identifiers, without the `-`; empty when none.
    pre: Span,
    /// The build metadata, without the `+`; empty when none.
    build: Span,
}

impl Key {
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }
}

pub(crate) fn parse(t: &str, flavor: Flavor) -> Result<Key, &'static str> {
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(flavor, Flavor::Semver | Flavor::SemverBuild) && b.first() == Some(&b'=') {
        i += 1;
    }
    if matches!(b.get(i), Some(b'v' | b'V')) {
        i += 1;
    }
    let start = i;
    let mut parts = 0usize;
    loop {
        let n = crate::num::run(b.get(i..).unwrap_or(&[]), |c| c.is_ascii_digit());
        if n == 0 {
            return Err(if parts == 0 {
                "does not start with a number"
            } else {
                "empty numeric part"
            });
        }
        i += n;
        parts += 1;
        if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
            i += 1;
        } else if b.get(i) == Some(&b'.') {
            return Err("empty numeric part");
        } else {
            break;
        }
    }
    match flavor {
        Flavor::Go if parts > 3 => return Err("more than three numbers"),
        Flavor::NuGet if parts > 4 => return Err("more than four numbers"),
        _ => {}
    }
    let release = Span::new(start, i);
    let mut pre = Span::EMPTY;
    // A pre-release starts at `-`, or (leniently, as osv-scanner) at a letter right after the
    // numbers: `1.0.0rc1` is `1.0.0-rc1`.
    let pre_start = match b.get(i) {
        Some(b'-') => Some(i + 1),
        Some(c) if c.is_ascii_alphabetic() => Some(i),
        _ => None,
    };
    if let Some(ps) = pre_start {
        let end = b
            .iter()
            .skip(ps)
            .position(|&c| c == b'+')
            .map_or(b.len(), |p| ps + p);
        let s = b.get(ps..end).unwrap_or(&[]);
        if s.split(|&c| c == b'.')
            .any(|id| id.is_empty() || !id.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-'))
        {
            return Err("bad pre-release identifier");
        }
        pre = Span::new(ps, end);
        i = end;
    }
    match b.get(i) {
        None => {}
        Some(b'+')
            if b.get(i + 1..).is_none_or(|m| {
                m.is_empty()
                    || !m
                        .iter()
                        .all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
            }) =>
        {
            return Err("bad build metadata");
        }
        Some(b'+') => {}
        Some(_) => return Err("unexpected character"),
    }
    let build = if i < b.len() {
        Span::new(i + 1, b.len())
    } else {
        Span::EMPTY
    };
    Ok(Key {
        release,
        pre,
        build,
    })
}

pub(crate) fn cmp(a: &str, ka: &Key, b: &str, kb: &Key, flavor: Flavor) -> Ordering {
    let o = cmp_release(ka.release.bytes(a), kb.release.bytes(b))
        .then_with(|| cmp_pre(ka.pre.bytes(a), kb.pre.bytes(b), flavor == Flavor::NuGet));
    if o != Ordering::Equal || flavor != Flavor::SemverBuild {
        return o;
    }
    // Build metadata as a tie-breaker: none first (`cmp_pre` puts empty last, hence reverse
    // on emptiness), then identifier by identifier.
    match (ka.build.is_empty(), kb.build.is_empty()) {
        (true, true) => Ordering::Equal,
        (true, false) => Ordering::Less,
        (false, true) => Ordering::Greater,
        _ => cmp_pre(ka.build.bytes(a), kb.build.bytes(b), false),
    }
}

/// Dotted numbers, the shorter padded with zeros.
pub(crate) fn cmp_release(a: &[u8], b: &[u8]) -> Ordering {
    let mut x = a.split(|&c| c == b'.');
    let mut y = b.split(|&c| c == b'.');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (p, q) => {
                let o = cmp_digits(p.unwrap_or(b"0"), q.unwrap_or(b"0"));
                if o != Ordering::Equal {
                    return o;
                }
            }
        }
    }
}

/// SemVer pre-release precedence; empty (no pre-release) is highest.
pub(crate) fn cmp_pre(a: &[u8], b: &[u8], ignore_case: bool) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Greater,
        (false, true) => return Ordering::Less,
        _ => {}
    }
    let mut x = a.split(|&c| c == b'.');
    let mut y = b.split(|&c| c == b'.');
    loop {
        let o = match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => match (all_digits(p), all_digits(q)) {
                (true, true) => cmp_digits(p, q),
                (true, false) => Ordering::Less,
                (false, true) => Ordering::Greater,
                (false, false) if ignore_case => cmp_ignore_case(p, q),
                (false, false) => p.cmp(q),
            },
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}
