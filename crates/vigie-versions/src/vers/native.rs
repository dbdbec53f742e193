//! Native range syntaxes, as package managers and advisory databases (GitHub, GitLab) write
//! them, turned into `vers` ranges: npm (node-semver), PyPI (PEP 440 specifiers), RubyGems,
//! Composer, Go and NuGet (interval notation). `||` is a union everywhere; within one
//! alternative, comparators are joined by `,` or spaces. The result is one `vers` constraint
//! list (the union of the alternatives, sorted), which is exact when the alternatives do not
//! overlap, as in advisories.
//!
//! Upper bounds implied by `~`, `^`, `~>`, `~=` and wildcards are written without the `-0` or
//! `.dev0` that would exclude the bound's own pre-releases (`^1.2.3` is `>=1.2.3|<2.0.0`).

use super::{Comparator, Constraint, VersError, VersRange, scheme_of};
use crate::Scheme;

type Conj = Vec<(Comparator, String)>;

fn bad(native: &str, why: &'static str) -> VersError {
    VersError::Syntax(native.chars().take(200).collect(), why)
}

/// Reads a native range of a `vers` scheme (`npm`, `pypi`, `gem`, `composer`, `golang`,
/// `nuget`; other schemes with a [`Scheme`] read plain comparator lists such as `>=1.0 <2.0`).
pub fn from_native(scheme: &str, native: &str) -> Result<VersRange, VersError> {
    let name = scheme.to_ascii_lowercase();
    let sch = scheme_of(&name).ok_or_else(|| VersError::UnsupportedScheme(name.clone()))?;
    let mut all: Vec<Conj> = Vec::new();
    let alternatives: Vec<&str> = if name == "nuget" {
        vec![native]
    } else {
        native.split("||").collect()
    };
    let any_non_empty = alternatives.iter().any(|a| !a.trim().is_empty());
    for alt in alternatives {
        // An empty alternative means any version in node-semver; elsewhere it is a stray
        // `||` (`<1.0||`), ignored when another alternative says something.
        if alt.trim().is_empty() && name != "npm" && any_non_empty {
            continue;
        }
        let conj = match name.as_str() {
            "npm" => npm(alt),
            "nuget" => nuget(alt),
            _ => comparators(&name, sch, alt),
        }
        .map_err(|why| bad(native, why))?;
        match conj {
            // One alternative matches everything: so does the union.
            None => return Ok(star(name, sch)),
            Some(c) => all.push(c),
        }
    }
    let constraints: Vec<Constraint> = all
        .into_iter()
        .flatten()
        .map(|(comparator, version)| Constraint {
            comparator,
            version,
        })
        .collect();
    if constraints.is_empty() {
        return Ok(star(name, sch));
    }
    VersRange::sorted(name, Some(sch), constraints)
}

fn star(name: String, sch: Scheme) -> VersRange {
    VersRange {
        scheme_name: name,
        scheme: Some(sch),
        constraints: None,
    }
}

/// Splits one alternative into operator and version pairs (a space may follow the operator).
fn pairs(alt: &str) -> Result<Vec<(&str, &str)>, &'static str> {
    let b = alt.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let sep = |c: u8| c.is_ascii_whitespace() || c == b',';
    while i < b.len() {
        while b.get(i).is_some_and(|&c| sep(c)) {
            i += 1;
        }
        if i >= b.len() {
            break;
        }
        let op_start = i;
        while b.get(i).is_some_and(|c| b"<>=!~^".contains(c)) {
            i += 1;
        }
        let op = alt.get(op_start..i).ok_or("bad operator")?;
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let v_start = i;
        while b.get(i).is_some_and(|&c| !sep(c)) {
            i += 1;
        }
        let v = alt.get(v_start..i).ok_or("bad version")?;
        // `> = 3.0.6`: the second operator is not a version (the fuzzer's find: it became a
        // constraint `>` on the version `=`, printed as a `vers:` that does not read back).
        if v.is_empty() || v.starts_with(|c: char| "<>=!~^".contains(c)) {
            return Err("operator without a version");
        }
        out.push((op, v));
    }
    Ok(out)
}

/// Comparator lists of PyPI, RubyGems, Composer, Go and the rest. `None` means any version.
fn comparators(name: &str, sch: Scheme, alt: &str) -> Result<Option<Conj>, &'static str> {
    let mut out = Conj::new();
    let ps = pairs(alt)?;
    // Composer's hyphen range: `1.0 - 2.0`; a partial upper bound is a wildcard (`2.0` is
    // `2.0.*`, so `<2.1`).
    if name == "composer"
        && ps.len() == 3
        && ps.get(1) == Some(&("", "-"))
        && let (Some((_, lo)), Some((_, hi))) = (ps.first(), ps.get(2))
    {
        out.push((Comparator::Ge, lo.to_string()));
        if release_numbers(hi).len() < 3 {
            out.push((Comparator::Lt, increment_last(hi)?));
        } else {
            out.push((Comparator::Le, hi.to_string()));
        }
        return Ok(Some(out));
    }
    for (op, v) in ps {
        let v = match (name, v.strip_prefix('v')) {
            ("golang", Some(rest)) => rest,
            _ => v,
        };
        if v == "*" {
            continue;
        }
        let norm = |v: &str| normalize(sch, v);
        let cmp = match op {
            "" | "=" | "==" | "===" => {
                if let Some(prefix) = v.strip_suffix(".*") {
                    wildcard(&mut out, prefix)?;
                    continue;
                }
                Comparator::Eq
            }
            "!=" | "<>" => Comparator::Ne,
            "<" => Comparator::Lt,
            "<=" => Comparator::Le,
            ">" => Comparator::Gt,
            ">=" => Comparator::Ge,
            "~>" | "~=" | "~" | "^" => {
                out.push((Comparator::Ge, norm(v)));
                out.push((Comparator::Lt, bump(op, v)?));
                continue;
            }
            _ => return Err("unknown operator"),
        };
        out.push((cmp, norm(v)));
    }
    Ok(if out.is_empty() { None } else { Some(out) })
}

/// `==1.2.*`: `>=1.2|<1.3`.
fn wildcard(out: &mut Conj, prefix: &str) -> Result<(), &'static str> {
    out.push((Comparator::Ge, prefix.to_string()));
    out.push((Comparator::Lt, increment_last(prefix)?));
    Ok(())
}

/// The numeric release parts at the start of a version (`1.2.3rc1` → `[1, 2, 3]`).
fn release_numbers(v: &str) -> Vec<u64> {
    let v = v.trim_start_matches(['v', 'V', '=']);
    let mut out = Vec::new();
    for part in v.split('.') {
        let d = crate::num::run(part.as_bytes(), |c| c.is_ascii_digit());
        match part.get(..d).and_then(|p| p.parse().ok()) {
            Some(n) => out.push(n),
            None => break,
        }
        if d != part.len() {
            break;
        }
    }
    out
}

fn join(nums: &[u64]) -> String {
    nums.iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn increment_last(v: &str) -> Result<String, &'static str> {
    let mut n = release_numbers(v);
    let last = n.last_mut().ok_or("wildcard without a number")?;
    *last = last.saturating_add(1);
    Ok(join(&n))
}

/// The exclusive upper bound of `~>` (Gem::Version#bump), `~=` (PEP 440), `~` (Composer):
/// drop the last number (unless alone) and increment the one before; of `^`: increment the
/// first non-zero number (all zero: the last), keeping the count of numbers.
fn bump(op: &str, v: &str) -> Result<String, &'static str> {
    let mut n = release_numbers(v);
    let len = n.len();
    if len == 0 {
        return Err("no number after ~ or ^");
    }
    if op == "^" {
        let first = n.iter().position(|&x| x != 0).unwrap_or(len - 1);
        n.truncate(first + 1);
    } else if len > 1 {
        n.pop();
    }
    if let Some(last) = n.last_mut() {
        *last = last.saturating_add(1);
    }
    if op == "^" {
        n.resize(len, 0);
    }
    Ok(join(&n))
}

/// Versions as the scheme normalises them (PEP 440's canonical spelling).
fn normalize(sch: Scheme, v: &str) -> String {
    match sch {
        Scheme::Pep440 => crate::pep440::canonical(v).unwrap_or_else(|| v.to_string()),
        _ => v.to_string(),
    }
}

/// node-semver ranges. `None` means any version.
fn npm(alt: &str) -> Result<Option<Conj>, &'static str> {
    let alt = alt.trim();
    let mut out = Conj::new();
    // Hyphen range: `1.2.3 - 2.3.4`.
    if let Some((lo, hi)) = alt.split_once(" - ") {
        let (lo, hi) = (lo.trim(), hi.trim());
        let l = partial(lo)?;
        let h = partial(hi)?;
        if let Some(l) = l {
            out.push((Comparator::Ge, l.padded()));
        }
        if let Some(h) = h {
            if h.full() {
                out.push((Comparator::Le, h.padded()));
            } else {
                out.push((Comparator::Lt, h.next()));
            }
        }
        return Ok((!out.is_empty()).then_some(out));
    }
    for (op, v) in pairs(alt)? {
        let p = partial(v)?;
        let Some(p) = p else {
            // `*`, `x`: any version, unless `<*` or `>*` (none; rare, read as `<0.0.0`).
            if op == "<" || op == ">" {
                out.push((Comparator::Lt, "0.0.0".into()));
            }
            continue;
        };
        match op {
            "" | "=" => {
                if p.full() {
                    out.push((Comparator::Eq, p.text.clone()));
                } else {
                    out.push((Comparator::Ge, p.padded()));
                    out.push((Comparator::Lt, p.next()));
                }
            }
            ">=" => out.push((Comparator::Ge, p.padded())),
            "<" => out.push((Comparator::Lt, p.padded())),
            ">" if p.full() => out.push((Comparator::Gt, p.text.clone())),
            ">" => out.push((Comparator::Ge, p.next())),
            "<=" if p.full() => out.push((Comparator::Le, p.text.clone())),
            "<=" => out.push((Comparator::Lt, p.next())),
            "~" | "~>" => {
                out.push((Comparator::Ge, p.padded()));
                let keep = if p.nums.len() >= 2 { 2 } else { 1 };
                out.push((Comparator::Lt, p.bumped(keep)));
            }
            "^" => {
                out.push((Comparator::Ge, p.padded()));
                let first = p.nums.iter().position(|&x| x != 0);
                let keep = match first {
                    Some(f) => f + 1,
                    None => p.nums.len().max(1),
                };
                out.push((Comparator::Lt, p.bumped(keep)));
            }
            _ => return Err("unknown npm operator"),
        }
    }
    Ok((!out.is_empty()).then_some(out))
}

/// A node-semver partial version: its numbers before the first `x`/`*`, and its text.
struct Partial {
    nums: Vec<u64>,
    text: String,
}

impl Partial {
    fn full(&self) -> bool {
        self.nums.len() >= 3
    }
    fn padded(&self) -> String {
        if self.full() {
            return self.text.clone();
        }
        let mut n = self.nums.clone();
        n.resize(3, 0);
        join(&n)
    }
    /// The first version after every version matching this partial.
    fn next(&self) -> String {
        self.bumped(self.nums.len())
    }
    fn bumped(&self, keep: usize) -> String {
        let mut n: Vec<u64> = self.nums.iter().copied().take(keep.max(1)).collect();
        if let Some(last) = n.last_mut() {
            *last = last.saturating_add(1);
        }
        n.resize(3, 0);
        join(&n)
    }
}

fn partial(v: &str) -> Result<Option<Partial>, &'static str> {
    let v = v.trim_start_matches(['=', 'v', 'V']);
    let (main, rest) = match v.find(['-', '+']) {
        Some(p) => v.split_at(p),
        None => (v, ""),
    };
    let mut nums = Vec::new();
    for part in main.split('.') {
        if matches!(part, "x" | "X" | "*" | "") {
            break;
        }
        nums.push(part.parse::<u64>().map_err(|_| "bad npm version")?);
    }
    if nums.is_empty() {
        return Ok(None);
    }
    let text = if nums.len() >= 3 {
        format!("{}{rest}", join(&nums))
    } else {
        v.to_string()
    };
    Ok(Some(Partial { nums, text }))
}

/// NuGet's interval notation: `1.0` (`>=1.0`), `[1.0]`, `[1.0,2.0)`, `(,1.0]`, `(1.0,)`.
fn nuget(s: &str) -> Result<Option<Conj>, &'static str> {
    let s = s.trim();
    let mut out = Conj::new();
    let (Some(open), Some(close)) = (s.chars().next(), s.chars().last()) else {
        return Err("empty range");
    };
    if !matches!(open, '[' | '(') {
        out.push((Comparator::Ge, s.to_string()));
        return Ok(Some(out));
    }
    let inner = s.get(1..s.len() - 1).ok_or("unbalanced brackets")?;
    if !matches!(close, ']' | ')') {
        return Err("unbalanced brackets");
    }
    match inner.split_once(',') {
        None if open == '[' && close == ']' => out.push((Comparator::Eq, inner.trim().into())),
        None => return Err("a single version needs [ ]"),
        Some((lo, hi)) => {
            let (lo, hi) = (lo.trim(), hi.trim());
            if !lo.is_empty() {
                let c = if open == '[' {
                    Comparator::Ge
                } else {
                    Comparator::Gt
                };
                out.push((c, lo.to_string()));
            }
            if !hi.is_empty() {
                let c = if close == ']' {
                    Comparator::Le
                } else {
                    Comparator::Lt
                };
                out.push((c, hi.to_string()));
            }
        }
    }
    Ok((!out.is_empty()).then_some(out))
}
