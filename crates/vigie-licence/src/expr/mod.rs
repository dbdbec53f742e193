//! SPDX licence expressions: the typed syntax tree and its canonical text.
//!
//! The grammar is annex D of SPDX 2.3 (with the SPDX 3.0 `AdditionRef-` and
//! all-lower-case operators): `+` binds tighter than `WITH`, which binds
//! tighter than `AND`, which binds tighter than `OR`. `AND` and `OR` are
//! associative, so the tree keeps them n-ary and flat.

mod lexer;
mod parser;

use std::fmt;

pub use parser::{MAX_DEPTH, MAX_LEN, MAX_TERMS, ParseError, ParseErrorKind, Span};

/// A parsed SPDX licence expression.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expression {
    /// One licence, possibly with an exception.
    Term(Term),
    /// Every operand applies (two or more, none of them an `And`).
    And(Vec<Expression>),
    /// A choice between the operands (two or more, none of them an `Or`).
    Or(Vec<Expression>),
}

/// A simple expression, optionally followed by `WITH` and an addition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    /// The licence.
    pub licence: LicenceItem,
    /// The exception (or SPDX 3 addition) granted on top of it, if any.
    pub exception: Option<ExceptionItem>,
}

/// The licence part of a term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LicenceItem {
    /// An identifier of the SPDX list form (`MIT`, `GPL-2.0-only`), spelled as
    /// written until normalised; `or_later` is the `+` suffix.
    Spdx {
        /// The identifier, without the `+`.
        id: String,
        /// Whether `+` ("this version or any later one") followed it.
        or_later: bool,
    },
    /// A user-defined `LicenseRef-`, optionally in another document.
    Ref {
        /// The `DocumentRef-` idstring, without its prefix.
        document: Option<String>,
        /// The `LicenseRef-` idstring, without its prefix.
        id: String,
    },
}

/// The exception part of a term (after `WITH`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExceptionItem {
    /// An identifier of the SPDX exception list form.
    Spdx(String),
    /// A user-defined `AdditionRef-` (SPDX 3), optionally in another document.
    Ref {
        /// The `DocumentRef-` idstring, without its prefix.
        document: Option<String>,
        /// The `AdditionRef-` idstring, without its prefix.
        id: String,
    },
}

/// Parses `input`, every list-form identifier being required on `list`.
pub(crate) fn parse_with_list(
    input: &str,
    list: &crate::LicenceList,
) -> Result<Expression, ParseError> {
    parser::parse(input, Some(list))
}

impl Expression {
    /// Parses `input` against the grammar only (identifiers are not looked
    /// up); see [`crate::LicenceList::parse`] to also check them.
    pub fn parse(input: &str) -> Result<Expression, ParseError> {
        parser::parse(input, None)
    }

    /// A single-licence expression.
    pub fn licence(id: &str) -> Expression {
        Expression::Term(Term {
            licence: LicenceItem::Spdx {
                id: id.to_owned(),
                or_later: false,
            },
            exception: None,
        })
    }

    /// Every term, left to right.
    pub fn terms(&self) -> Vec<&Term> {
        let mut out = Vec::new();
        self.collect_terms(&mut out);
        out
    }

    fn collect_terms<'a>(&'a self, out: &mut Vec<&'a Term>) {
        match self {
            Expression::Term(t) => out.push(t),
            Expression::And(v) | Expression::Or(v) => {
                for e in v {
                    e.collect_terms(out);
                }
            }
        }
    }

    /// Builds an `And` (or `Or` when `or`) of `parts`, flattening operands of
    /// the same operator and collapsing a single operand.
    pub fn join(or: bool, parts: Vec<Expression>) -> Expression {
        let mut flat = Vec::with_capacity(parts.len());
        for p in parts {
            match (or, p) {
                (true, Expression::Or(v)) | (false, Expression::And(v)) => flat.extend(v),
                (_, other) => flat.push(other),
            }
        }
        if flat.len() == 1
            && let Some(only) = flat.pop()
        {
            return only;
        }
        if or {
            Expression::Or(flat)
        } else {
            Expression::And(flat)
        }
    }
}

impl Term {
    /// A term of one list-form identifier, without `+` or exception.
    pub fn from_id(id: &str) -> Term {
        Term {
            licence: LicenceItem::Spdx {
                id: id.to_owned(),
                or_later: false,
            },
            exception: None,
        }
    }
}

impl fmt::Display for LicenceItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LicenceItem::Spdx { id, or_later } => {
                f.write_str(id)?;
                if *or_later {
                    f.write_str("+")?;
                }
                Ok(())
            }
            LicenceItem::Ref { document, id } => {
                if let Some(d) = document {
                    write!(f, "DocumentRef-{d}:")?;
                }
                write!(f, "LicenseRef-{id}")
            }
        }
    }
}

impl fmt::Display for ExceptionItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExceptionItem::Spdx(id) => f.write_str(id),
            ExceptionItem::Ref { document, id } => {
                if let Some(d) = document {
                    write!(f, "DocumentRef-{d}:")?;
                }
                write!(f, "AdditionRef-{id}")
            }
        }
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.licence)?;
        if let Some(e) = &self.exception {
            write!(f, " WITH {e}")?;
        }
        Ok(())
    }
}

/// The canonical text: upper-case operators, single spaces, and parentheses
/// around every nested compound operand (`A OR (B AND C)`), so that the
/// precedence never has to be remembered by a reader.
impl fmt::Display for Expression {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (op, parts) = match self {
            Expression::Term(t) => return write!(f, "{t}"),
            Expression::And(v) => (" AND ", v),
            Expression::Or(v) => (" OR ", v),
        };
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                f.write_str(op)?;
            }
            match p {
                Expression::Term(t) => write!(f, "{t}")?,
                nested => write!(f, "({nested})")?,
            }
        }
        Ok(())
    }
}
