//! Maven versions: the algorithm of `org.apache.maven.artifact.versioning.ComparableVersion`
//! (Maven 3.9), which orders any string.
//!
//! A version is split at `.`, `-` and digit/letter transitions into numbers and qualifiers;
//! each `-` and each transition opens a nested list, so `1-2.a` is `[1, [2, [a]]]`. Trailing
//! "null" items (`0`, `""`/`ga`/`final`/`release`, empty lists) of each list are dropped.
//! Qualifiers order `alpha` < `beta` < `milestone` < `rc` = `cr` < `snapshot` < `""` = `ga` =
//! `final` = `release` < `sp` < any other word (those in case-insensitive lexical order);
//! `a1`, `b1`, `m1` mean `alpha-1`, `beta-1`, `milestone-1`. Numbers are above every qualifier.
//!
//! The nested lists are kept flat: a list is its items followed by a [`Tok::Sub`] marker when
//! it has a sub-list, which is everything after the marker (a sub-list is always a list's last
//! item). Comparison walks both token slices once, without recursion or allocation.
//!
//! One refinement makes the order total. Maven compares items of different kinds by kind
//! alone (number > list > qualifier), which can disagree with how each compares with the
//! padding of a shorter version: `1-alpha` > `1.sp` > `1` > `1-alpha` in Maven, a cycle on
//! which sorting may even panic. Here each item first compares by its *sign*: how the rest of
//! its version, from that item on, compares with the padding (below, or above; a `0` or a
//! release qualifier takes the sign of what follows it, which is how Maven pads). Only items
//! of the same sign compare by Maven's kind rule, which covers every case of Maven's own
//! ComparableVersionTest and of the vers-spec vectors; `1-alpha` < `1` < `1.sp` here.

use std::cmp::Ordering;

use crate::num::{Span, cmp_digits, cmp_ignore_case, is_zero};

/// Rank of the empty qualifier (a release).
const RELEASE: u8 = 5;
/// Rank of every qualifier that is not one of the seven known.
const UNKNOWN: u8 = 7;

#[derive(Clone, Copy, Debug)]
enum Tok {
    /// A number (its digits; empty means 0).
    Int(Span),
    /// A qualifier: its rank among `alpha beta milestone rc snapshot "" sp`, or
    /// [`UNKNOWN`] with its text.
    Str(u8, Span),
    /// The start of the sub-list that makes up the rest of the tokens.
    Sub,
}

/// The normalised item lists of a version, each token with its sign (how the version from
/// that token on compares with padding).
#[derive(Clone, Debug)]
pub(crate) struct Key(Vec<(Tok, Ordering)>);

fn qualifier(t: &str, s: Span, followed_by_digit: bool) -> Tok {
    let w = s.bytes(t);
    let is = |x: &str| w.eq_ignore_ascii_case(x.as_bytes());
    let rank = if followed_by_digit && w.len() == 1 && (is("a") || is("b") || is("m")) {
        match w.first().map(u8::to_ascii_lowercase) {
            Some(b'a') => 0,
            Some(b'b') => 1,
            _ => 2,
        }
    } else if is("alpha") {
        0
    } else if is("beta") {
        1
    } else if is("milestone") {
        2
    } else if is("rc") || is("cr") {
        3
    } else if is("snapshot") {
        4
    } else if is("") || is("ga") || is("final") || is("release") {
        RELEASE
    } else if is("sp") {
        6
    } else {
        UNKNOWN
    };
    Tok::Str(rank, s)
}

fn item(t: &str, digit: bool, start: usize, end: usize) -> Tok {
    let s = Span::new(start, end);
    if digit {
        Tok::Int(s)
    } else {
        qualifier(t, s, false)
    }
}

fn is_null(t: &str, tok: Tok) -> bool {
    match tok {
        Tok::Int(s) => is_zero(s.bytes(t)),
        Tok::Str(rank, _) => rank == RELEASE,
        Tok::Sub => false,
    }
}

/// Parses any string (ComparableVersion.parseVersion, then normalize).
pub(crate) fn parse(t: &str) -> Key {
    let b = t.as_bytes();
    let mut toks: Vec<Tok> = Vec::with_capacity(b.len() / 2 + 2);
    let mut digit = false;
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'.' || c == b'-' {
            toks.push(if i == start {
                Tok::Int(Span::EMPTY)
            } else {
                item(t, digit, start, i)
            });
            start = i + 1;
            if c == b'-' {
                toks.push(Tok::Sub);
            }
        } else if c.is_ascii_digit() {
            if !digit && i > start {
                toks.push(qualifier(t, Span::new(start, i), true));
                start = i;
                toks.push(Tok::Sub);
            }
            digit = true;
        } else {
            if digit && i > start {
                toks.push(Tok::Int(Span::new(start, i)));
                start = i;
                toks.push(Tok::Sub);
            }
            digit = false;
        }
    }
    if b.len() > start {
        toks.push(item(t, digit, start, b.len()));
    }
    Key(normalize(t, toks))
}

/// Drops the trailing null items of every list, innermost first; a list left empty is itself
/// null and dropped from its parent. Then gives each token its sign. One pass from the end
/// (the innermost list is last), building the result backwards.
fn normalize(t: &str, toks: Vec<Tok>) -> Vec<(Tok, Ordering)> {
    let mut out: Vec<(Tok, Ordering)> = Vec::with_capacity(toks.len());
    let mut end = toks.len();
    let mut child_kept = false;
    loop {
        let head = toks.get(..end).unwrap_or(&[]);
        let start = head
            .iter()
            .rposition(|x| matches!(x, Tok::Sub))
            .map_or(0, |p| p + 1);
        let mut e = end;
        while e > start && toks.get(e - 1).is_some_and(|&x| is_null(t, x)) {
            e -= 1;
        }
        if child_kept {
            out.push((Tok::Sub, Ordering::Equal));
        }
        let items = toks.get(start..e).unwrap_or(&[]);
        out.extend(items.iter().rev().map(|&x| (x, Ordering::Equal)));
        child_kept = child_kept || e > start;
        if start == 0 {
            break;
        }
        end = start - 1; // skip this list's own Sub marker
    }
    // Signs, from the end (`out` is still reversed): a token's own, or (null-like tokens and
    // list markers) that of the first token after it that is not null-like.
    let mut sign = Ordering::Equal;
    for (tok, slot) in out.iter_mut() {
        let own = match *tok {
            Tok::Int(s) if is_zero(s.bytes(t)) => Ordering::Equal,
            Tok::Int(_) => Ordering::Greater,
            Tok::Str(rank, _) => rank.cmp(&RELEASE),
            Tok::Sub => Ordering::Equal,
        };
        if own != Ordering::Equal {
            sign = own;
        }
        *slot = sign;
    }
    out.reverse();
    out
}

/// One item of a list, with its sign; a sub-list is `List(index of its first token)`.
#[derive(Clone, Copy)]
enum Item {
    Int(Span),
    Str(u8, Span),
    List(usize),
}

/// The next item of the list being walked at `*i` (None at its end).
fn next(toks: &[(Tok, Ordering)], i: &mut usize, done: &mut bool) -> Option<(Item, Ordering)> {
    if *done {
        return None;
    }
    let &(tok, sign) = toks.get(*i)?;
    *i += 1;
    let item = match tok {
        Tok::Int(s) => Item::Int(s),
        Tok::Str(r, s) => Item::Str(r, s),
        Tok::Sub => {
            *done = true;
            Item::List(*i)
        }
    };
    Some((item, sign))
}

/// `ListItem.compareTo`, walking both token slices (see the module documentation for the
/// sign rule that makes it total).
pub(crate) fn cmp(a: &str, x: &Key, b: &str, y: &Key) -> Ordering {
    let (ta, tb) = (&*x.0, &*y.0);
    let (mut i, mut j) = (0, 0);
    let (mut da, mut db) = (false, false);
    loop {
        let l = next(ta, &mut i, &mut da);
        let r = next(tb, &mut j, &mut db);
        let o = match (l, r) {
            (None, None) => return Ordering::Equal,
            (None, Some((_, sr))) => sr.reverse(),
            (Some((_, sl)), None) => sl,
            (Some((l, sl)), Some((r, sr))) => {
                if sl != sr {
                    return sl.cmp(&sr);
                }
                if let (Item::List(si), Item::List(sj)) = (l, r) {
                    // Both lists end here: continue with their sub-lists.
                    (i, j, da, db) = (si, sj, false, false);
                    continue;
                }
                cmp_items(a, l, b, r)
            }
        };
        if o != Ordering::Equal {
            return o;
        }
    }
}

/// Maven's order of two items of the same sign.
fn cmp_items(a: &str, l: Item, b: &str, r: Item) -> Ordering {
    use Item::*;
    match (l, r) {
        (Int(p), Int(q)) => cmp_digits(p.bytes(a), q.bytes(b)),
        (Int(_), _) => Ordering::Greater,
        (_, Int(_)) => Ordering::Less,
        (Str(rp, p), Str(rq, q)) => rp.cmp(&rq).then_with(|| {
            if rp == UNKNOWN {
                cmp_ignore_case(p.bytes(a), q.bytes(b))
            } else {
                Ordering::Equal
            }
        }),
        (Str(..), List(_)) => Ordering::Less,
        (List(_), Str(..)) => Ordering::Greater,
        (List(_), List(_)) => Ordering::Equal, // handled by the caller
    }
}

/// Whether a qualifier below a release (`alpha` .. `snapshot`) appears.
pub(crate) fn is_prerelease(_t: &str, k: &Key) -> bool {
    k.0.iter()
        .any(|(tok, _)| matches!(tok, Tok::Str(rank, _) if *rank < RELEASE))
}
