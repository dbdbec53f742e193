//! Recursive-descent parser of SPDX expressions, bounded for hostile input.
//!
//! `OR` and `AND` chains are read in loops (n-ary nodes); only parentheses
//! recurse, at most [`MAX_DEPTH`] deep. Inputs longer than [`MAX_LEN`] bytes or
//! with more than [`MAX_TERMS`] terms are refused before any allocation
//! grows with them.

use std::fmt;

use super::lexer::{Id, Token, TokenKind, classify_id, lex};
use super::{ExceptionItem, Expression, LicenceItem, Term};
use crate::list::LicenceList;

/// Longest expression accepted, in bytes.
pub const MAX_LEN: usize = 16 * 1024;
/// Deepest parenthesis nesting accepted.
pub const MAX_DEPTH: usize = 32;
/// Most terms (licences) accepted in one expression.
pub const MAX_TERMS: usize = 1024;

/// A byte range `start..end` in the parsed text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The span `start..end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
}

/// Why an expression was refused, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at bytes {}..{}", span.start, span.end)]
pub struct ParseError {
    /// What is wrong.
    pub kind: ParseErrorKind,
    /// Where, in bytes of the input.
    pub span: Span,
}

impl ParseError {
    pub(crate) fn new(kind: ParseErrorKind, span: Span) -> ParseError {
        ParseError { kind, span }
    }
}

/// The kinds of [`ParseError`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParseErrorKind {
    /// Nothing but white space.
    Empty,
    /// Longer than [`MAX_LEN`].
    TooLong,
    /// Its canonical text (the `Display` of the expression, with the parentheses it adds
    /// around nested operands) would be this many bytes, longer than [`MAX_LEN`]: refused so
    /// that the canonical text of every accepted expression parses back.
    CanonicalTooLong(usize),
    /// Parentheses nested deeper than [`MAX_DEPTH`].
    TooDeep,
    /// More than [`MAX_TERMS`] terms.
    TooManyTerms,
    /// A character outside `idstring` in an identifier.
    InvalidCharacter(char),
    /// `LicenseRef-`, `AdditionRef-` or `DocumentRef-` with nothing after it.
    EmptyIdString,
    /// `DocumentRef-x:` not followed by `LicenseRef-`/`AdditionRef-`.
    DocumentRefWithoutRef,
    /// White space between an identifier and `+`.
    DetachedPlus,
    /// `+` anywhere but right after a list-form licence identifier.
    MisplacedPlus,
    /// `And`, `oR`…: operators are all upper case or all lower case.
    MixedCaseOperator,
    /// A licence was expected here.
    ExpectedLicence,
    /// `AND`, `OR`, `WITH` or `)` was expected here.
    ExpectedOperator,
    /// An exception identifier was expected after `WITH`.
    ExpectedException,
    /// `WITH` after a parenthesised expression (its left side must be simple).
    WithAfterGroup,
    /// An `AdditionRef-` used as a licence.
    AdditionAsLicence,
    /// A `LicenseRef-` used after `WITH`.
    LicenceRefAsException,
    /// `(` never closed.
    UnclosedParenthesis,
    /// `)` without its `(`.
    UnmatchedParenthesis,
    /// Not an identifier of the SPDX licence list.
    UnknownLicence(String),
    /// Not an identifier of the SPDX exception list.
    UnknownException(String),
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ParseErrorKind as K;
        match self {
            K::Empty => f.write_str("empty expression"),
            K::TooLong => write!(f, "expression longer than {MAX_LEN} bytes"),
            K::CanonicalTooLong(n) => write!(
                f,
                "canonical form of the expression {n} bytes long, longer than {MAX_LEN} bytes"
            ),
            K::TooDeep => write!(f, "parentheses nested deeper than {MAX_DEPTH}"),
            K::TooManyTerms => write!(f, "more than {MAX_TERMS} licences"),
            K::InvalidCharacter(c) => write!(f, "character {c:?} not allowed in an identifier"),
            K::EmptyIdString => f.write_str("empty identifier after its prefix"),
            K::DocumentRefWithoutRef => {
                f.write_str("DocumentRef- must be followed by :LicenseRef- or :AdditionRef-")
            }
            K::DetachedPlus => f.write_str("white space before '+'"),
            K::MisplacedPlus => f.write_str("'+' only follows a licence identifier"),
            K::MixedCaseOperator => f.write_str("operator neither all upper nor all lower case"),
            K::ExpectedLicence => f.write_str("licence expected"),
            K::ExpectedOperator => f.write_str("AND, OR, WITH or ')' expected"),
            K::ExpectedException => f.write_str("exception expected after WITH"),
            K::WithAfterGroup => f.write_str("WITH after a parenthesised expression"),
            K::AdditionAsLicence => f.write_str("AdditionRef- used as a licence"),
            K::LicenceRefAsException => f.write_str("LicenseRef- used as an exception"),
            K::UnclosedParenthesis => f.write_str("'(' not closed"),
            K::UnmatchedParenthesis => f.write_str("')' without '('"),
            K::UnknownLicence(id) => write!(f, "unknown licence {id:?}"),
            K::UnknownException(id) => write!(f, "unknown exception {id:?}"),
        }
    }
}

/// Parses `input`; with a list, every list-form identifier must be on it.
pub(crate) fn parse(input: &str, list: Option<&LicenceList>) -> Result<Expression, ParseError> {
    let end = Span::new(input.len(), input.len());
    if input.len() > MAX_LEN {
        return Err(ParseError::new(
            ParseErrorKind::TooLong,
            Span::new(MAX_LEN, input.len()),
        ));
    }
    let tokens = lex(input)?;
    if tokens.is_empty() {
        return Err(ParseError::new(ParseErrorKind::Empty, end));
    }
    let mut p = Parser {
        tokens,
        pos: 0,
        depth: 0,
        terms: 0,
        end,
        list,
    };
    let expr = p.or()?;
    match p.peek() {
        None => {
            let canonical = canonical_len(&expr);
            if canonical > MAX_LEN {
                return Err(ParseError::new(
                    ParseErrorKind::CanonicalTooLong(canonical),
                    Span::new(0, input.len()),
                ));
            }
            Ok(expr)
        }
        Some(t) if t.kind == TokenKind::Close => Err(ParseError::new(
            ParseErrorKind::UnmatchedParenthesis,
            t.span,
        )),
        Some(t) => Err(ParseError::new(ParseErrorKind::ExpectedOperator, t.span)),
    }
}

/// The length in bytes of `expr`'s canonical text, counted without building it.
fn canonical_len(expr: &Expression) -> usize {
    struct Count(usize);
    impl fmt::Write for Count {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.0 += s.len();
            Ok(())
        }
    }
    let mut count = Count(0);
    // Writing to a counter does not fail.
    let _ = fmt::write(&mut count, format_args!("{expr}"));
    count.0
}

struct Parser<'a, 'l> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    depth: usize,
    terms: usize,
    end: Span,
    list: Option<&'l LicenceList>,
}

impl<'a> Parser<'a, '_> {
    fn peek(&self) -> Option<Token<'a>> {
        self.tokens.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<Token<'a>> {
        let t = self.peek();
        if t.is_some() {
            self.pos += 1;
        }
        t
    }

    fn at(&self, kind: TokenKind<'_>) -> bool {
        self.peek().is_some_and(|t| t.kind == kind)
    }

    fn or(&mut self) -> Result<Expression, ParseError> {
        let mut parts = vec![self.and()?];
        while self.at(TokenKind::Or) {
            self.pos += 1;
            parts.push(self.and()?);
        }
        Ok(Expression::join(true, parts))
    }

    fn and(&mut self) -> Result<Expression, ParseError> {
        let mut parts = vec![self.primary()?];
        while self.at(TokenKind::And) {
            self.pos += 1;
            parts.push(self.primary()?);
        }
        Ok(Expression::join(false, parts))
    }

    fn primary(&mut self) -> Result<Expression, ParseError> {
        let Some(tok) = self.next() else {
            return Err(ParseError::new(ParseErrorKind::ExpectedLicence, self.end));
        };
        match tok.kind {
            TokenKind::Open => {
                if self.depth >= MAX_DEPTH {
                    return Err(ParseError::new(ParseErrorKind::TooDeep, tok.span));
                }
                self.depth += 1;
                let inner = self.or()?;
                self.depth -= 1;
                match self.next() {
                    Some(t) if t.kind == TokenKind::Close => {}
                    Some(t) => {
                        return Err(ParseError::new(ParseErrorKind::ExpectedOperator, t.span));
                    }
                    None => {
                        return Err(ParseError::new(
                            ParseErrorKind::UnclosedParenthesis,
                            tok.span,
                        ));
                    }
                }
                if let Some(t) = self.peek().filter(|t| t.kind == TokenKind::With) {
                    return Err(ParseError::new(ParseErrorKind::WithAfterGroup, t.span));
                }
                Ok(inner)
            }
            TokenKind::Word(w) => self.term(w, tok),
            _ => Err(ParseError::new(ParseErrorKind::ExpectedLicence, tok.span)),
        }
    }

    fn term(&mut self, word: &'a str, tok: Token<'a>) -> Result<Expression, ParseError> {
        self.terms += 1;
        if self.terms > MAX_TERMS {
            return Err(ParseError::new(ParseErrorKind::TooManyTerms, tok.span));
        }
        let licence = match classify_id(word, tok.span)? {
            Id::Plain { id, plus } => {
                if let Some(list) = self.list {
                    list.check_licence(id, plus)
                        .map_err(|k| ParseError::new(k, tok.span))?;
                }
                LicenceItem::Spdx {
                    id: id.to_owned(),
                    or_later: plus,
                }
            }
            Id::LicenceRef { document, id } => LicenceItem::Ref {
                document: document.map(str::to_owned),
                id: id.to_owned(),
            },
            Id::AdditionRef { .. } => {
                return Err(ParseError::new(ParseErrorKind::AdditionAsLicence, tok.span));
            }
        };
        let mut exception = None;
        if self.at(TokenKind::With) {
            self.pos += 1;
            let Some(etok) = self.next() else {
                return Err(ParseError::new(ParseErrorKind::ExpectedException, self.end));
            };
            let TokenKind::Word(ew) = etok.kind else {
                return Err(ParseError::new(
                    ParseErrorKind::ExpectedException,
                    etok.span,
                ));
            };
            exception = Some(match classify_id(ew, etok.span)? {
                Id::Plain { plus: true, .. } => {
                    return Err(ParseError::new(ParseErrorKind::MisplacedPlus, etok.span));
                }
                Id::Plain { id, plus: false } => {
                    if let Some(list) = self.list {
                        list.check_exception(id)
                            .map_err(|k| ParseError::new(k, etok.span))?;
                    }
                    ExceptionItem::Spdx(id.to_owned())
                }
                Id::AdditionRef { document, id } => ExceptionItem::Ref {
                    document: document.map(str::to_owned),
                    id: id.to_owned(),
                },
                Id::LicenceRef { .. } => {
                    return Err(ParseError::new(
                        ParseErrorKind::LicenceRefAsException,
                        etok.span,
                    ));
                }
            });
        }
        if let Some(t) = self.peek() {
            match t.kind {
                TokenKind::Word("+") => {
                    return Err(ParseError::new(ParseErrorKind::DetachedPlus, t.span));
                }
                TokenKind::Word(_) | TokenKind::Open => {
                    return Err(ParseError::new(ParseErrorKind::ExpectedOperator, t.span));
                }
                _ => {}
            }
        }
        Ok(Expression::Term(Term { licence, exception }))
    }
}
