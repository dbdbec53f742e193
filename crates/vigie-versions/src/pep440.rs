//! PEP 440 (PyPI) versions: parsing with every normalisation the specification allows (the
//! grammar of its Appendix B, case-insensitive) and the ordering of `packaging.version`.
//!
//! Strings outside the grammar are "legacy" versions: pip refuses them, osv-scanner orders them
//! before every valid version. We do the same, ordering legacy versions among themselves with
//! the generic scheme.

use std::cmp::Ordering;

use crate::num::{Span, cmp_digits, cmp_ignore_case, run};
use crate::semver::cmp_release;

/// Where the parts of a PEP 440 version are in its text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Key {
    legacy: bool,
    epoch: Span,
    release: Span,
    /// Phase (0 alpha, 1 beta, 2 rc) and number (empty = 0).
    pre: Option<(u8, Span)>,
    post: Option<Span>,
    dev: Option<Span>,
    /// The local part, without the `+`; empty when none.
    local: Span,
}

impl Key {
    /// Outside PEP 440's grammar (ordered before every version of it).
    pub fn is_legacy(&self) -> bool {
        self.legacy
    }

    pub fn is_prerelease(&self) -> bool {
        !self.legacy && (self.pre.is_some() || self.dev.is_some())
    }
}

const LEGACY: Key = Key {
    legacy: true,
    epoch: Span::EMPTY,
    release: Span::EMPTY,
    pre: None,
    post: None,
    dev: None,
    local: Span::EMPTY,
};

/// Parses a version; never fails (non-PEP 440 strings are legacy versions).
pub(crate) fn parse(t: &str) -> Key {
    parse_strict(t.as_bytes()).unwrap_or(LEGACY)
}

/// The byte at `i`, lowercased.
fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).map_or(0, u8::to_ascii_lowercase)
}

fn is_sep(c: u8) -> bool {
    matches!(c, b'-' | b'_' | b'.')
}

/// Matches one of `words` (lowercase) at `i`, longest first; returns its index and length.
fn word(b: &[u8], i: usize, words: &[&str]) -> Option<(usize, usize)> {
    words.iter().enumerate().find_map(|(n, w)| {
        let end = i + w.len();
        b.get(i..end)
            .filter(|s| s.eq_ignore_ascii_case(w.as_bytes()))
            .map(|_| (n, w.len()))
    })
}

fn digits(b: &[u8], i: usize) -> usize {
    run(b.get(i..).unwrap_or(&[]), |c| c.is_ascii_digit())
}

/// An optional `[-_.]?` label `[-_.]?` number, at `i`: returns (label index, number span, end).
fn labelled(b: &[u8], i: usize, words: &[&str]) -> Option<(usize, Span, usize)> {
    let mut j = i;
    if is_sep(at(b, j)) {
        j += 1;
    }
    let (w, n) = word(b, j, words)?;
    j += n;
    let mut k = j;
    if is_sep(at(b, k)) {
        k += 1;
    }
    let d = digits(b, k);
    if d > 0 {
        return Some((w, Span::new(k, k + d), k + d));
    }
    // A separator with no number after it still belongs to the segment (`1.0a.`), unless
    // what follows is another segment that needs it; the grammar lets both read the same.
    Some((w, Span::EMPTY, j))
}

fn parse_strict(b: &[u8]) -> Option<Key> {
    let mut i = 0;
    if at(b, 0) == b'v' {
        i = 1;
    }
    // epoch
    let mut epoch = Span::EMPTY;
    let d = digits(b, i);
    if d > 0 && b.get(i + d) == Some(&b'!') {
        epoch = Span::new(i, i + d);
        i += d + 1;
    }
    // release
    let start = i;
    loop {
        let d = digits(b, i);
        if d == 0 {
            return None;
        }
        i += d;
        if b.get(i) == Some(&b'.') && digits(b, i + 1) > 0 {
            i += 1;
        } else {
            break;
        }
    }
    let release = Span::new(start, i);
    // pre-release
    const PRE: [&str; 8] = ["alpha", "a", "beta", "b", "preview", "pre", "c", "rc"];
    const PHASE: [u8; 8] = [0, 0, 1, 1, 2, 2, 2, 2];
    let mut pre = None;
    if let Some((w, n, end)) = labelled(b, i, &PRE) {
        pre = Some((PHASE.get(w).copied().unwrap_or(2), n));
        i = end;
    }
    // post-release: `-N` or [-_.]?(post|rev|r)[-_.]?N?
    let mut post = None;
    if b.get(i) == Some(&b'-') && digits(b, i + 1) > 0 {
        let d = digits(b, i + 1);
        post = Some(Span::new(i + 1, i + 1 + d));
        i += 1 + d;
    } else if let Some((_, n, end)) = labelled(b, i, &["post", "rev", "r"]) {
        post = Some(n);
        i = end;
    }
    // dev-release
    let mut dev = None;
    if let Some((_, n, end)) = labelled(b, i, &["dev"]) {
        dev = Some(n);
        i = end;
    }
    // A trailing separator after a label with no number (`1.0a.`) is allowed by the grammar.
    if is_sep(at(b, i))
        && matches!(b.get(i + 1), None | Some(b'+'))
        && (pre.is_some() || post.is_some() || dev.is_some())
    {
        i += 1;
    }
    // local version
    let mut local = Span::EMPTY;
    if b.get(i) == Some(&b'+') {
        let s = b.get(i + 1..).unwrap_or(&[]);
        let ok = !s.is_empty()
            && s.split(|&c| is_sep(c))
                .all(|p| !p.is_empty() && p.iter().all(u8::is_ascii_alphanumeric));
        if !ok {
            return None;
        }
        local = Span::new(i + 1, b.len());
        i = b.len();
    }
    if i != b.len() {
        return None;
    }
    Some(Key {
        legacy: false,
        epoch,
        release,
        pre,
        post,
        dev,
        local,
    })
}

/// `packaging.version` ordering.
pub(crate) fn cmp(a: &str, x: &Key, b: &str, y: &Key) -> Ordering {
    match (x.legacy, y.legacy) {
        (true, true) => return crate::simple::cmp_generic(a, b),
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    cmp_digits(x.epoch.bytes(a), y.epoch.bytes(b))
        .then_with(|| cmp_release(x.release.bytes(a), y.release.bytes(b)))
        .then_with(|| {
            pre_key(x, a)
                .cmp(&pre_key(y, b))
                .then_with(|| cmp_pre_num(a, x, b, y))
        })
        .then_with(|| match (x.post, y.post) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Less,
            (Some(_), None) => Ordering::Greater,
            (Some(p), Some(q)) => cmp_digits(p.bytes(a), q.bytes(b)),
        })
        .then_with(|| match (x.dev, y.dev) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(p), Some(q)) => cmp_digits(p.bytes(a), q.bytes(b)),
        })
        .then_with(|| cmp_local(x.local.bytes(a), y.local.bytes(b)))
}

/// The pre-release phase as packaging orders it: a bare dev release (`1.0.dev1`) before every
/// pre-release, no pre-release after all.
fn pre_key(k: &Key, _t: &str) -> i8 {
    match k.pre {
        Some((phase, _)) => phase as i8,
        None if k.post.is_none() && k.dev.is_some() => -1,
        None => 3,
    }
}

fn cmp_pre_num(a: &str, x: &Key, b: &str, y: &Key) -> Ordering {
    match (x.pre, y.pre) {
        (Some((_, p)), Some((_, q))) => cmp_digits(p.bytes(a), q.bytes(b)),
        _ => Ordering::Equal,
    }
}

/// Local versions: none first; segments compare numbers numerically, numbers after words,
/// words case-insensitively; a longer list wins when one is a prefix of the other.
fn cmp_local(a: &[u8], b: &[u8]) -> Ordering {
    match (a.is_empty(), b.is_empty()) {
        (true, true) => return Ordering::Equal,
        (true, false) => return Ordering::Less,
        (false, true) => return Ordering::Greater,
        _ => {}
    }
    let mut x = a.split(|&c| is_sep(c));
    let mut y = b.split(|&c| is_sep(c));
    loop {
        let o = match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => match (crate::num::all_digits(p), crate::num::all_digits(q)) {
                (true, true) => cmp_digits(p, q),
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => cmp_ignore_case(p, q),
            },
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}

/// The normalised spelling of a PEP 440 version (`1.0ALPHA` → `1.0a0`, `1.0-1` →
/// `1.0.post1`); `None` for legacy versions.
pub(crate) fn canonical(t: &str) -> Option<String> {
    use std::fmt::Write;
    let t = t.trim();
    let b = t.as_bytes();
    let k = parse_strict(b)?;
    let num = |s: Span| -> String {
        let d = s.get(t).trim_start_matches('0');
        if d.is_empty() {
            "0".into()
        } else {
            d.to_string()
        }
    };
    let mut out = String::with_capacity(t.len());
    if !crate::num::is_zero(k.epoch.bytes(t)) {
        let _ = write!(out, "{}!", num(k.epoch));
    }
    let release: Vec<String> = k
        .release
        .get(t)
        .split('.')
        .map(|p| {
            let d = p.trim_start_matches('0');
            if d.is_empty() {
                "0".to_string()
            } else {
                d.to_string()
            }
        })
        .collect();
    out.push_str(&release.join("."));
    if let Some((phase, n)) = k.pre {
        let _ = write!(
            out,
            "{}{}",
            ["a", "b", "rc"].get(usize::from(phase)).unwrap_or(&"rc"),
            num(n)
        );
    }
    if let Some(n) = k.post {
        let _ = write!(out, ".post{}", num(n));
    }
    if let Some(n) = k.dev {
        let _ = write!(out, ".dev{}", num(n));
    }
    if !k.local.is_empty() {
        let local: Vec<String> = k
            .local
            .get(t)
            .split(['-', '_', '.'])
            .map(str::to_ascii_lowercase)
            .collect();
        let _ = write!(out, "+{}", local.join("."));
    }
    Some(out)
}
