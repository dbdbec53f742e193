//! RPM versions: `[epoch:]version[-release]` split as rpm's `parseEVR` does (release after the
//! last `-`), each part compared with `rpmvercmp` (rpm 4.15+, with `~` and `^`).

use std::cmp::Ordering;

use crate::num::{Span, cmp_digits};

/// Where epoch, version and release are.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    epoch: Span,
    version: Span,
    release: Option<Span>,
}

pub(crate) fn parse(t: &str) -> Result<Key, &'static str> {
    let b = t.as_bytes();
    let digits = crate::num::run(b, |c| c.is_ascii_digit());
    let (epoch, start) = if b.get(digits) == Some(&b':') {
        (Span::new(0, digits), digits + 1)
    } else {
        (Span::EMPTY, 0)
    };
    let rest = b.get(start..).unwrap_or(&[]);
    let (version, release) = match rest.iter().rposition(|&c| c == b'-') {
        Some(p) => (
            Span::new(start, start + p),
            Some(Span::new(start + p + 1, b.len())),
        ),
        None => (Span::new(start, b.len()), None),
    };
    if version.is_empty() {
        return Err("empty version");
    }
    Ok(Key {
        epoch,
        version,
        release,
    })
}

pub(crate) fn cmp(a: &str, x: &Key, b: &str, y: &Key) -> Ordering {
    cmp_digits(x.epoch.bytes(a), y.epoch.bytes(b))
        .then_with(|| rpmvercmp(x.version.bytes(a), y.version.bytes(b)))
        .then_with(|| match (x.release, y.release) {
            (None, None) => Ordering::Equal,
            // rpm skips the release when one side has none, which is not an order; like
            // osv-scanner, a version without a release is below the same with one.
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(p), Some(q)) => rpmvercmp(p.bytes(a), q.bytes(b)),
        })
}

fn is_sep(c: u8) -> bool {
    !c.is_ascii_alphanumeric() && c != b'~' && c != b'^'
}

/// rpm's `rpmvercmp`.
pub(crate) fn rpmvercmp(a: &[u8], b: &[u8]) -> Ordering {
    if a == b {
        return Ordering::Equal;
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        while a.get(i).is_some_and(|&c| is_sep(c)) {
            i += 1;
        }
        while b.get(j).is_some_and(|&c| is_sep(c)) {
            j += 1;
        }
        let (ca, cb) = (a.get(i).copied(), b.get(j).copied());
        if ca == Some(b'~') || cb == Some(b'~') {
            if ca != Some(b'~') {
                return Ordering::Greater;
            }
            if cb != Some(b'~') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        if ca == Some(b'^') || cb == Some(b'^') {
            if ca.is_none() {
                return Ordering::Less;
            }
            if cb.is_none() {
                return Ordering::Greater;
            }
            if ca != Some(b'^') {
                return Ordering::Greater;
            }
            if cb != Some(b'^') {
                return Ordering::Less;
            }
            i += 1;
            j += 1;
            continue;
        }
        let (Some(c), Some(_)) = (ca, cb) else {
            break;
        };
        let numeric = c.is_ascii_digit();
        let class = |d: u8| {
            if numeric {
                d.is_ascii_digit()
            } else {
                d.is_ascii_alphabetic()
            }
        };
        let na = crate::num::run(a.get(i..).unwrap_or(&[]), class);
        let nb = crate::num::run(b.get(j..).unwrap_or(&[]), class);
        if nb == 0 {
            return if numeric {
                Ordering::Greater
            } else {
                Ordering::Less
            };
        }
        let (sa, sb) = (
            a.get(i..i + na).unwrap_or(&[]),
            b.get(j..j + nb).unwrap_or(&[]),
        );
        let o = if numeric {
            cmp_digits(sa, sb)
        } else {
            sa.cmp(sb)
        };
        if o != Ordering::Equal {
            return o;
        }
        i += na;
        j += nb;
    }
    let (ra, rb) = (i < a.len(), j < b.len());
    match (ra, rb) {
        (false, false) => Ordering::Equal,
        (true, _) => Ordering::Greater,
        (false, true) => Ordering::Less,
    }
}
