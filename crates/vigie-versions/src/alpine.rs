//! Alpine versions: the token machine of apk-tools' `version.c` (`apk version -t`).
//!
//! `number{.number}...{letter}{_suffix{number}}...{~hash}{-rN}`; suffixes order `_alpha` <
//! `_beta` < `_pre` < `_rc` < (none) < `_cvs` < `_svn` < `_git` < `_hg` < `_p`. A number
//! after a dot with leading zeros compares as a fraction (`1.01` < `1.1`), as apk does.
//! Numbers of any length compare exactly (apk's `int` would overflow). The `~hash` of apk 3
//! is skipped, as osv-scanner does.

use std::cmp::Ordering;

use crate::num::cmp_digits;

const INVALID: i8 = -1;
const DIGIT_OR_ZERO: i8 = 0;
const DIGIT: i8 = 1;
const LETTER: i8 = 2;
const SUFFIX: i8 = 3;
const SUFFIX_NO: i8 = 4;
const REVISION_NO: i8 = 5;
const END: i8 = 6;

/// A token value: small integers (letters, suffixes, zero counts) or a digit run.
#[derive(Clone, Copy)]
enum Val<'a> {
    Small(i64),
    Num(&'a [u8]),
}

fn cmp_val(a: Val<'_>, b: Val<'_>) -> Ordering {
    fn small(d: &[u8]) -> Option<i64> {
        let d = d
            .get(d.iter().take_while(|&&c| c == b'0').count()..)
            .unwrap_or(&[]);
        if d.len() > 17 {
            return None;
        }
        Some(d.iter().fold(0i64, |v, &c| v * 10 + i64::from(c - b'0')))
    }
    match (a, b) {
        (Val::Small(x), Val::Small(y)) => x.cmp(&y),
        (Val::Num(x), Val::Num(y)) => cmp_digits(x, y),
        (Val::Num(x), Val::Small(y)) => small(x).map_or(Ordering::Greater, |x| x.cmp(&y)),
        (Val::Small(x), Val::Num(y)) => small(y).map_or(Ordering::Less, |y| x.cmp(&y)),
    }
}

struct Tokens<'a> {
    b: &'a [u8],
    i: usize,
    t: i8,
}

const PRE: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];

impl<'a> Tokens<'a> {
    fn new(s: &'a str) -> Self {
        Tokens {
            b: s.as_bytes(),
            i: 0,
            t: DIGIT,
        }
    }

    fn rest(&self) -> &'a [u8] {
        self.b.get(self.i..).unwrap_or(&[])
    }

    /// apk's `next_token`: the type of the token that starts at the current position.
    fn next_token(&mut self) {
        let r = self.rest();
        let mut n;
        match r.first().copied() {
            None | Some(0) => n = END,
            Some(c) if (self.t == DIGIT || self.t == DIGIT_OR_ZERO) && c.is_ascii_lowercase() => {
                n = LETTER
            }
            Some(c) if self.t == LETTER && c.is_ascii_digit() => n = DIGIT,
            Some(c) if self.t == SUFFIX && c.is_ascii_digit() => n = SUFFIX_NO,
            Some(b'~') if self.t < REVISION_NO && self.t != INVALID => {
                // apk 3's `~hash`: skipped; what follows must be `-rN` or the end.
                let h = crate::num::run(r.get(1..).unwrap_or(&[]), |c| {
                    c.is_ascii_digit() || (b'a'..=b'f').contains(&c)
                });
                self.i += 1 + h;
                if h == 0 {
                    self.t = INVALID;
                } else {
                    self.t = SUFFIX_NO;
                    self.next_token();
                    if self.t != END && self.t != REVISION_NO {
                        self.t = INVALID;
                    }
                }
                return;
            }
            Some(c) => {
                match c {
                    b'.' => n = DIGIT_OR_ZERO,
                    b'_' => n = SUFFIX,
                    b'-' if r.get(1) == Some(&b'r') => {
                        n = REVISION_NO;
                        self.i += 1;
                    }
                    _ => n = INVALID,
                }
                self.i += 1;
            }
        }
        if n < self.t
            && !((n == DIGIT_OR_ZERO && self.t == DIGIT)
                || (n == SUFFIX && self.t == SUFFIX_NO)
                || (n == DIGIT && self.t == LETTER))
        {
            n = INVALID;
        }
        self.t = n;
    }

    /// apk's `get_token`: the value of the current token; moves to the next one.
    fn get_token(&mut self) -> Val<'a> {
        let r = self.rest();
        if r.is_empty() {
            self.t = END;
            return Val::Small(0);
        }
        let mut nt = INVALID;
        let (v, len) = match self.t {
            DIGIT_OR_ZERO if r.first() == Some(&b'0') => {
                let z = crate::num::run(r, |c| c == b'0');
                nt = DIGIT;
                (Val::Small(-(z as i64)), z)
            }
            DIGIT_OR_ZERO | DIGIT | SUFFIX_NO | REVISION_NO => {
                let d = crate::num::run(r, |c| c.is_ascii_digit());
                (Val::Num(r.get(..d).unwrap_or(&[])), d)
            }
            LETTER => (Val::Small(i64::from(r.first().copied().unwrap_or(0))), 1),
            SUFFIX => {
                let pre = PRE.iter().position(|s| r.starts_with(s.as_bytes()));
                let post = POST.iter().position(|s| r.starts_with(s.as_bytes()));
                match (pre, post) {
                    (Some(p), _) => (Val::Small(p as i64 - 4), PRE.get(p).map_or(0, |w| w.len())),
                    (None, Some(p)) => (Val::Small(p as i64), POST.get(p).map_or(0, |w| w.len())),
                    _ => {
                        self.t = INVALID;
                        return Val::Small(-1);
                    }
                }
            }
            _ => {
                self.t = INVALID;
                return Val::Small(-1);
            }
        };
        self.i += len;
        if self.rest().is_empty() {
            self.t = END;
        } else if nt != INVALID {
            self.t = nt;
        } else {
            self.next_token();
        }
        v
    }
}

/// `apk_version_validate`.
pub(crate) fn validate(t: &str) -> Result<(), &'static str> {
    let mut k = Tokens::new(t);
    while k.t != END && k.t != INVALID {
        k.get_token();
    }
    if k.t == END {
        Ok(())
    } else {
        Err("not an apk version")
    }
}

/// `apk_version_compare`.
pub(crate) fn cmp(a: &str, b: &str) -> Ordering {
    let (mut x, mut y) = (Tokens::new(a), Tokens::new(b));
    let (mut av, mut bv) = (Val::Small(0), Val::Small(0));
    while x.t == y.t && x.t != END && x.t != INVALID && cmp_val(av, bv) == Ordering::Equal {
        av = x.get_token();
        bv = y.get_token();
    }
    let o = cmp_val(av, bv);
    if o != Ordering::Equal {
        return o;
    }
    if x.t == y.t {
        return Ordering::Equal;
    }
    // Equal so far: the longer one is greater, unless what it has more is a pre-release suffix.
    if x.t == SUFFIX && is_pre_suffix(&x) {
        return Ordering::Less;
    }
    if y.t == SUFFIX && is_pre_suffix(&y) {
        return Ordering::Greater;
    }
    y.t.cmp(&x.t)
}

fn is_pre_suffix(k: &Tokens<'_>) -> bool {
    let r = k.rest();
    PRE.iter().any(|s| r.starts_with(s.as_bytes()))
}

/// Whether a pre-release suffix (`_alpha`, `_beta`, `_pre`, `_rc`) appears.
pub(crate) fn is_prerelease(t: &str) -> bool {
    ["_alpha", "_beta", "_pre", "_rc"]
        .iter()
        .any(|s| t.contains(s))
}
