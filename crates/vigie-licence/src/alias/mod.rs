//! From a licence string as found in metadata to an SPDX expression, with an
//! explicit confidence and the rule used.
//!
//! Rules, tried in this order:
//! 1. special values: SPDX `NOASSERTION`/`NONE`, npm `UNLICENSED` and
//!    `SEE LICENSE IN <file>`;
//! 2. a valid SPDX expression (identifiers in any case, deprecated ones
//!    upgraded): exact;
//! 3. a PyPI trove classifier (`License :: ... :: <name>`): its last segment
//!    through the name table;
//! 4. a URL: the alias table's URLs, the SPDX list's `seeAlso` URLs (when
//!    unique), or an identifier in a `spdx.org/licenses/`-like path;
//! 5. a name: the alias table, then the SPDX list's full names;
//! 6. a name with a parenthesised URL dropped (`MIT (http://...)`);
//! 7. an expression whose unknown identifiers are names (`LGPL-3.0-or-later
//!    AND BSD-3`);
//! 8. free text split on `or`/`and` (`MPL 2.0 or EPL 1.0`), every part mapped.

pub mod key;
mod table;

use std::fmt;

pub use table::{ALIASES_TOML, AliasError, AliasTable, Entry};

use crate::expr::{Expression, LicenceItem, MAX_LEN, Term};
use crate::list::LicenceList;
use crate::normalise::Change;
use key::{id_in_url, name_key, url_key};

/// How sure a mapping is. Ordered: `Low < High < Exact`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Confidence {
    /// The family is right, the exact licence or version is a guess.
    Low,
    /// One licence and version named without doubt, but not in SPDX syntax.
    High,
    /// A valid SPDX expression.
    Exact,
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Confidence::Low => "low",
            Confidence::High => "high",
            Confidence::Exact => "exact",
        })
    }
}

/// Which rule produced a mapping (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// A valid SPDX expression, already canonical.
    SpdxExpression,
    /// A valid SPDX expression, rewritten (case, deprecated identifiers).
    SpdxNormalised,
    /// A PyPI trove classifier.
    Classifier,
    /// A URL of a licence text.
    Url,
    /// The alias table's names.
    Alias,
    /// The full name of a licence on the SPDX list.
    ListName,
    /// A name or expression followed by a parenthesised URL, the URL dropped.
    UrlDropped,
    /// An expression whose unknown identifiers were mapped as names.
    TermAliases,
    /// Free text split on `or`/`and`.
    Split,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::SpdxExpression => "spdx-expression",
            Rule::SpdxNormalised => "spdx-normalised",
            Rule::Classifier => "trove-classifier",
            Rule::Url => "url",
            Rule::Alias => "alias",
            Rule::ListName => "spdx-list-name",
            Rule::UrlDropped => "url-dropped",
            Rule::TermAliases => "term-aliases",
            Rule::Split => "split",
        })
    }
}

/// What a licence string means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mapping {
    /// An SPDX expression (normalised against the list).
    Spdx {
        /// The expression.
        expression: Expression,
        /// How sure.
        confidence: Confidence,
        /// Which rule.
        rule: Rule,
        /// What normalisation changed (rule 2 only).
        changes: Vec<Change>,
    },
    /// SPDX `NOASSERTION`: the document makes no claim.
    NoAssertion,
    /// SPDX `NONE`: the document says there is no licence.
    NoLicence,
    /// npm `UNLICENSED`: not licensed for use by others.
    Unlicensed,
    /// npm `SEE LICENSE IN <file>`: a custom licence in that file.
    SeeFile(String),
    /// Not understood.
    Unknown,
}

impl Mapping {
    fn spdx(expression: Expression, confidence: Confidence, rule: Rule) -> Mapping {
        Mapping::Spdx {
            expression,
            confidence,
            rule,
            changes: Vec::new(),
        }
    }

    /// The confidence, for an SPDX mapping.
    pub fn confidence(&self) -> Option<Confidence> {
        match self {
            Mapping::Spdx { confidence, .. } => Some(*confidence),
            _ => None,
        }
    }

    /// The expression, for an SPDX mapping.
    pub fn expression(&self) -> Option<&Expression> {
        match self {
            Mapping::Spdx { expression, .. } => Some(expression),
            _ => None,
        }
    }
}

/// Maps `text` (see the module documentation).
pub(crate) fn map(list: &LicenceList, table: &AliasTable, text: &str) -> Mapping {
    let t = text.trim().trim_matches('"').trim();
    if t.is_empty() || t.len() > MAX_LEN {
        return Mapping::Unknown;
    }
    match t {
        "NOASSERTION" => return Mapping::NoAssertion,
        "NONE" => return Mapping::NoLicence,
        _ if t.eq_ignore_ascii_case("UNLICENSED") => return Mapping::Unlicensed,
        _ => {}
    }
    let upper = t.to_ascii_uppercase();
    for prefix in ["SEE LICENSE IN ", "SEE LICENCE IN "] {
        if upper.starts_with(prefix) {
            let file = t.get(prefix.len()..).unwrap_or_default().trim();
            return Mapping::SeeFile(file.to_owned());
        }
    }
    if let Ok(e) = list.parse(t) {
        let n = list.normalise(&e);
        let rule = if n.changes.is_empty() && n.expression.to_string() == t {
            Rule::SpdxExpression
        } else {
            Rule::SpdxNormalised
        };
        return Mapping::Spdx {
            expression: n.expression,
            confidence: Confidence::Exact,
            rule,
            changes: n.changes,
        };
    }
    if let Some(rest) = strip_classifier(t) {
        let last = rest.rsplit("::").next().unwrap_or_default();
        return match name(table, last) {
            Some((e, c, _)) => Mapping::spdx(e, c, Rule::Classifier),
            None => Mapping::Unknown,
        };
    }
    if let Some((e, c, r)) = simple(list, table, t) {
        return Mapping::spdx(e, c, r);
    }
    if let Some(stripped) = drop_parenthesised_url(t)
        && let Some((e, c, _)) = simple(list, table, &stripped)
    {
        // The text is not an SPDX expression as a whole: at most high.
        return Mapping::spdx(e, c.min(Confidence::High), Rule::UrlDropped);
    }
    if let Some((e, c)) = term_aliases(list, table, t) {
        return Mapping::spdx(e, c, Rule::TermAliases);
    }
    let spaced = t.split_whitespace().collect::<Vec<_>>().join(" ");
    // Bounded work: at most MAX_SPLIT_OPERATORS operator words are tried
    // (each split tries every position of the rest: O(n^depth)).
    let operators = spaced
        .split(' ')
        .filter(|w| ["or", "and", "&"].iter().any(|o| w.eq_ignore_ascii_case(o)))
        .count();
    if spaced.len() <= 300
        && operators <= MAX_SPLIT_OPERATORS
        && let Some((e, c)) = split(list, table, &spaced, 0)
    {
        return Mapping::spdx(e, c, Rule::Split);
    }
    Mapping::Unknown
}

/// Most `or`/`and` words in a text that rule 8 tries to split.
const MAX_SPLIT_OPERATORS: usize = 4;

fn strip_classifier(t: &str) -> Option<&str> {
    let head = t.get(..9)?;
    head.eq_ignore_ascii_case("license :")
        .then(|| t.get(9..))
        .flatten()
        .and_then(|r| r.strip_prefix(':'))
}

type Found = (Expression, Confidence, Rule);

/// Rules 2, 4 and 5 on one piece of text.
fn simple(list: &LicenceList, table: &AliasTable, t: &str) -> Option<Found> {
    if let Ok(e) = list.parse(t) {
        return Some((
            list.normalise(&e).expression,
            Confidence::Exact,
            Rule::SpdxNormalised,
        ));
    }
    if let Some(k) = url_key(t) {
        return url(list, table, &k);
    }
    name(table, t)
}

fn url(list: &LicenceList, table: &AliasTable, k: &str) -> Option<Found> {
    if let Some(e) = table.urls.get(k) {
        return Some((e.expression.clone(), e.confidence, Rule::Url));
    }
    if let Some(id) = table.see_also.get(k) {
        return Some((Expression::licence(id), Confidence::High, Rule::Url));
    }
    let id = id_in_url(k)?;
    let l = list.licence(id)?;
    let e = list.normalise(&Expression::licence(&l.id)).expression;
    Some((e, Confidence::High, Rule::Url))
}

fn name(table: &AliasTable, t: &str) -> Option<Found> {
    let k = name_key(t);
    if let Some(e) = table.names.get(&k) {
        return Some((e.expression.clone(), e.confidence, Rule::Alias));
    }
    let id = table.list_names.get(&k)?;
    Some((Expression::licence(id), Confidence::High, Rule::ListName))
}

/// `MIT (http://mootools.net/license.txt)` → `MIT`.
fn drop_parenthesised_url(t: &str) -> Option<String> {
    let open = t.find('(')?;
    let close = open + t.get(open..)?.find(')')?;
    let inner = t.get(open + 1..close)?;
    if !inner.contains("://") {
        return None;
    }
    let out = format!("{}{}", t.get(..open)?, t.get(close + 1..)?);
    Some(out.trim().to_owned())
}

/// Rule 7: a syntactically valid expression whose unknown identifiers map.
fn term_aliases(
    list: &LicenceList,
    table: &AliasTable,
    t: &str,
) -> Option<(Expression, Confidence)> {
    let e = Expression::parse(t).ok()?;
    let mut worst = Confidence::Exact;
    let out = rewrite(&e, &mut |term: &Term| {
        let LicenceItem::Spdx { id, or_later } = &term.licence else {
            return Some(Expression::Term(term.clone()));
        };
        if list.check_licence(id, *or_later).is_ok() {
            return Some(Expression::Term(term.clone()));
        }
        let (m, c, _) = name(table, &term.licence.to_string())?;
        worst = worst.min(c);
        match (&term.exception, m) {
            (None, m) => Some(m),
            (
                Some(x),
                Expression::Term(Term {
                    licence,
                    exception: None,
                }),
            ) => Some(Expression::Term(Term {
                licence,
                exception: Some(x.clone()),
            })),
            _ => None,
        }
    })?;
    // Any exception must still be on the list.
    list.parse(&out.to_string()).ok()?;
    Some((list.normalise(&out).expression, worst.min(Confidence::High)))
}

fn rewrite(e: &Expression, f: &mut dyn FnMut(&Term) -> Option<Expression>) -> Option<Expression> {
    match e {
        Expression::Term(t) => f(t),
        Expression::And(v) | Expression::Or(v) => {
            let parts = v
                .iter()
                .map(|p| rewrite(p, f))
                .collect::<Option<Vec<_>>>()?;
            Some(Expression::join(matches!(e, Expression::Or(_)), parts))
        }
    }
}

/// Rule 8: `left or right` / `left and right`, left mapped by the simple
/// rules, right recursively; "and" may mean a choice in free text (dual
/// licensing is often written "X and Y"), so an `and` split is low.
fn split(
    list: &LicenceList,
    table: &AliasTable,
    t: &str,
    depth: usize,
) -> Option<(Expression, Confidence)> {
    if depth > 0
        && let Some((e, c, _)) = simple(list, table, t)
    {
        return Some((e, c));
    }
    if depth >= 4 {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    for (op, or) in [(" or ", true), (" and ", false), (" & ", false)] {
        let mut from = 0;
        while let Some(i) = lower.get(from..).and_then(|s| s.find(op)).map(|i| i + from) {
            from = i + op.len();
            let (Some(left), Some(right)) = (t.get(..i), t.get(i + op.len()..)) else {
                continue;
            };
            let Some((le, lc, _)) = simple(list, table, left.trim()) else {
                continue;
            };
            let Some((re, rc)) = split(list, table, right.trim(), depth + 1) else {
                continue;
            };
            let cap = if or {
                Confidence::High
            } else {
                Confidence::Low
            };
            let e = Expression::join(or, vec![le, re]);
            return Some((list.normalise(&e).expression, lc.min(rc).min(cap)));
        }
    }
    None
}
