//! Splits an expression into parentheses and words, then classifies words.
//!
//! A word is a maximal run of characters that are neither ASCII white space
//! nor parentheses, so `MIT AND(BSD-3-Clause)` and `GPL-2.0+` lex as the
//! spec wants; a word is then an operator or an identifier (checked against
//! `idstring = 1*(ALPHA / DIGIT / "-" / ".")`).

use super::parser::{ParseError, ParseErrorKind, Span};

/// One lexical token with its byte span in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub kind: TokenKind<'a>,
    pub span: Span,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind<'a> {
    Open,
    Close,
    And,
    Or,
    With,
    /// An identifier word, not yet checked (see [`classify_id`]).
    Word(&'a str),
}

/// Splits `input` into tokens.
pub(crate) fn lex(input: &str) -> Result<Vec<Token<'_>>, ParseError> {
    let mut out = Vec::new();
    let bytes = input.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let Some(&b) = bytes.get(i) else { break };
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if b == b'(' || b == b')' {
            let kind = if b == b'(' {
                TokenKind::Open
            } else {
                TokenKind::Close
            };
            out.push(Token {
                kind,
                span: Span::new(i, i + 1),
            });
            i += 1;
            continue;
        }
        let start = i;
        while let Some(&c) = bytes.get(i) {
            if c.is_ascii_whitespace() || c == b'(' || c == b')' {
                break;
            }
            i += 1;
        }
        // Word boundaries are ASCII bytes, so `start..i` is on char boundaries.
        let word = input.get(start..i).unwrap_or_default();
        let span = Span::new(start, i);
        let kind = match word {
            "AND" | "and" => TokenKind::And,
            "OR" | "or" => TokenKind::Or,
            "WITH" | "with" => TokenKind::With,
            w if ["and", "or", "with"]
                .iter()
                .any(|op| w.eq_ignore_ascii_case(op)) =>
            {
                return Err(ParseError::new(ParseErrorKind::MixedCaseOperator, span));
            }
            w => TokenKind::Word(w),
        };
        out.push(Token { kind, span });
    }
    Ok(out)
}

/// An identifier word, split into its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Id<'a> {
    /// A list-form identifier, with the `+` suffix flag.
    Plain { id: &'a str, plus: bool },
    /// `[DocumentRef-x:]LicenseRef-y`.
    LicenceRef {
        document: Option<&'a str>,
        id: &'a str,
    },
    /// `[DocumentRef-x:]AdditionRef-y`.
    AdditionRef {
        document: Option<&'a str>,
        id: &'a str,
    },
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s.get(prefix.len()..))
        .flatten()
}

/// Checks `s` (at byte `offset` of the input) against `idstring`.
fn idstring(s: &str, offset: usize) -> Result<(), ParseError> {
    if s.is_empty() {
        return Err(ParseError::new(
            ParseErrorKind::EmptyIdString,
            Span::new(offset, offset),
        ));
    }
    for (i, c) in s.char_indices() {
        if !(c.is_ascii_alphanumeric() || c == '-' || c == '.') {
            let at = offset + i;
            let kind = if c == '+' {
                ParseErrorKind::MisplacedPlus
            } else {
                ParseErrorKind::InvalidCharacter(c)
            };
            return Err(ParseError::new(kind, Span::new(at, at + c.len_utf8())));
        }
    }
    Ok(())
}

/// Splits and checks an identifier word found at `span`.
pub(crate) fn classify_id(word: &str, span: Span) -> Result<Id<'_>, ParseError> {
    let start = span.start;
    if word == "+" {
        return Err(ParseError::new(ParseErrorKind::DetachedPlus, span));
    }
    let (document, rest, rest_at) = match strip_prefix_ci(word, "DocumentRef-") {
        Some(after) => {
            let Some(colon) = after.find(':') else {
                return Err(ParseError::new(ParseErrorKind::DocumentRefWithoutRef, span));
            };
            let doc = after.get(..colon).unwrap_or_default();
            idstring(doc, start + "DocumentRef-".len())?;
            let rest_at = start + "DocumentRef-".len() + colon + 1;
            (
                Some(doc),
                after.get(colon + 1..).unwrap_or_default(),
                rest_at,
            )
        }
        None => (None, word, start),
    };
    if let Some(id) = strip_prefix_ci(rest, "LicenseRef-") {
        idstring(id, rest_at + "LicenseRef-".len())?;
        return Ok(Id::LicenceRef { document, id });
    }
    if let Some(id) = strip_prefix_ci(rest, "AdditionRef-") {
        idstring(id, rest_at + "AdditionRef-".len())?;
        return Ok(Id::AdditionRef { document, id });
    }
    if document.is_some() {
        return Err(ParseError::new(ParseErrorKind::DocumentRefWithoutRef, span));
    }
    let (id, plus) = match word.strip_suffix('+') {
        Some(id) => (id, true),
        None => (word, false),
    };
    idstring(id, start)?;
    Ok(Id::Plain { id, plus })
}
