//! The expression parser against SPDX 2.3 annex D ("SPDX license
//! expressions", spdx-spec `chapters/SPDX-license-expressions.md`), error
//! cases with their spans (worked out by counting bytes), precedence, the
//! bounds, and properties on arbitrary input.

use proptest::prelude::*;
use vigie_licence::expr::{MAX_DEPTH, MAX_LEN, MAX_TERMS};
use vigie_licence::{ExceptionItem, Expression, LicenceItem, ParseErrorKind, Span, Term};

fn lic(id: &str) -> Expression {
    Expression::licence(id)
}

fn parse(s: &str) -> Expression {
    Expression::parse(s).unwrap_or_else(|e| panic!("{s:?}: {e}"))
}

/// D.3 simple expressions and D.4 examples, with the tree the text says.
#[test]
fn annex_d_examples() {
    // D.3: "CDDL-1.0", "CDDL-1.0+", "LicenseRef-23", "LicenseRef-MIT-Style-1",
    // "DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2".
    assert_eq!(parse("CDDL-1.0"), lic("CDDL-1.0"));
    assert_eq!(
        parse("CDDL-1.0+"),
        Expression::Term(Term {
            licence: LicenceItem::Spdx {
                id: "CDDL-1.0".into(),
                or_later: true
            },
            exception: None
        })
    );
    assert_eq!(
        parse("LicenseRef-23"),
        Expression::Term(Term {
            licence: LicenceItem::Ref {
                document: None,
                id: "23".into()
            },
            exception: None
        })
    );
    assert_eq!(
        parse("LicenseRef-MIT-Style-1").to_string(),
        "LicenseRef-MIT-Style-1"
    );
    assert_eq!(
        parse("DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2"),
        Expression::Term(Term {
            licence: LicenceItem::Ref {
                document: Some("spdx-tool-1.2".into()),
                id: "MIT-Style-2".into()
            },
            exception: None
        })
    );
    // D.4.2 and D.4.3: n-ary OR / AND.
    assert_eq!(
        parse("LGPL-2.1-only OR MIT OR BSD-3-Clause"),
        Expression::Or(vec![lic("LGPL-2.1-only"), lic("MIT"), lic("BSD-3-Clause")])
    );
    assert_eq!(
        parse("LGPL-2.1-only AND MIT AND BSD-2-Clause"),
        Expression::And(vec![lic("LGPL-2.1-only"), lic("MIT"), lic("BSD-2-Clause")])
    );
    // D.4.4: WITH.
    assert_eq!(
        parse("GPL-2.0-or-later WITH Bison-exception-2.2"),
        Expression::Term(Term {
            licence: LicenceItem::Spdx {
                id: "GPL-2.0-or-later".into(),
                or_later: false
            },
            exception: Some(ExceptionItem::Spdx("Bison-exception-2.2".into()))
        })
    );
    // D.4.5: "LGPL-2.1-only OR BSD-3-Clause AND MIT" is a choice between
    // LGPL-2.1-only and (BSD-3-Clause AND MIT).
    assert_eq!(
        parse("LGPL-2.1-only OR BSD-3-Clause AND MIT"),
        Expression::Or(vec![
            lic("LGPL-2.1-only"),
            Expression::And(vec![lic("BSD-3-Clause"), lic("MIT")])
        ])
    );
    // D.4.5: "MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)".
    assert_eq!(
        parse("MIT AND (LGPL-2.1-or-later OR BSD-3-Clause)"),
        Expression::And(vec![
            lic("MIT"),
            Expression::Or(vec![lic("LGPL-2.1-or-later"), lic("BSD-3-Clause")])
        ])
    );
    // SPDX 3.0 annex: operators all upper or all lower case; AdditionRef-.
    assert_eq!(
        parse("mit or apache-2.0"),
        Expression::Or(vec![lic("mit"), lic("apache-2.0")])
    );
    assert_eq!(
        parse("MIT WITH DocumentRef-x:AdditionRef-y").to_string(),
        "MIT WITH DocumentRef-x:AdditionRef-y"
    );
}

/// WITH binds tighter than AND, AND tighter than OR; parentheses override.
#[test]
fn precedence() {
    let with = |l: &str, e: &str| {
        Expression::Term(Term {
            licence: LicenceItem::Spdx {
                id: l.into(),
                or_later: false,
            },
            exception: Some(ExceptionItem::Spdx(e.into())),
        })
    };
    assert_eq!(
        parse("MIT AND GPL-2.0-only WITH Classpath-exception-2.0"),
        Expression::And(vec![
            lic("MIT"),
            with("GPL-2.0-only", "Classpath-exception-2.0")
        ])
    );
    assert_eq!(
        parse("A OR B AND C OR D"),
        Expression::Or(vec![
            lic("A"),
            Expression::And(vec![lic("B"), lic("C")]),
            lic("D")
        ])
    );
    assert_eq!(
        parse("(A OR B) AND C"),
        Expression::And(vec![Expression::Or(vec![lic("A"), lic("B")]), lic("C")])
    );
    // Redundant parentheses and associativity flatten.
    assert_eq!(parse("((A))"), lic("A"));
    assert_eq!(parse("A AND (B AND C)"), parse("A AND B AND C"));
    // Canonical text: nested compounds in parentheses.
    assert_eq!(parse("A OR B AND C").to_string(), "A OR (B AND C)");
    assert_eq!(parse("(A OR B)AND(C)").to_string(), "(A OR B) AND C");
}

/// Refused inputs, with the kind and the byte span, counted by hand.
#[test]
fn errors_with_spans() {
    use ParseErrorKind as K;
    let cases: &[(&str, ParseErrorKind, usize, usize)] = &[
        ("", K::Empty, 0, 0),
        ("   ", K::Empty, 3, 3),
        ("MIT AND", K::ExpectedLicence, 7, 7),
        ("MIT Apache-2.0", K::ExpectedOperator, 4, 14),
        ("AND MIT", K::ExpectedLicence, 0, 3),
        ("(MIT", K::UnclosedParenthesis, 0, 1),
        ("MIT)", K::UnmatchedParenthesis, 3, 4),
        ("MIT And BSD", K::MixedCaseOperator, 4, 7),
        ("GPL-2.0 +", K::DetachedPlus, 8, 9),
        ("MIT WITH", K::ExpectedException, 8, 8),
        ("MIT WITH (X)", K::ExpectedException, 9, 10),
        ("(MIT) WITH X", K::WithAfterGroup, 6, 10),
        ("MIT WITH X WITH Y", K::ExpectedOperator, 11, 15),
        ("MIT WITH LicenseRef-x", K::LicenceRefAsException, 9, 21),
        ("AdditionRef-x", K::AdditionAsLicence, 0, 13),
        ("LicenseRef-", K::EmptyIdString, 11, 11),
        ("LicenseRef-a+", K::MisplacedPlus, 12, 13),
        ("MIT WITH X+", K::MisplacedPlus, 9, 11),
        ("DocumentRef-a", K::DocumentRefWithoutRef, 0, 13),
        ("DocumentRef-a:MIT", K::DocumentRefWithoutRef, 0, 17),
        ("MIT/X11", K::InvalidCharacter('/'), 3, 4),
        ("Apache 2.0", K::ExpectedOperator, 7, 10),
        ("é", K::InvalidCharacter('é'), 0, 2),
    ];
    for (input, kind, start, end) in cases {
        let err = Expression::parse(input).expect_err(input);
        assert_eq!(
            (&err.kind, err.span),
            (kind, Span::new(*start, *end)),
            "{input:?}"
        );
    }
}

#[test]
fn unknown_ids_are_refused_with_a_list() {
    let Some(kb) = common::kb() else { return };
    let err = kb.list().parse("MIT OR Apache-2").expect_err("unknown");
    assert_eq!(err.kind, ParseErrorKind::UnknownLicence("Apache-2".into()));
    assert_eq!(err.span, Span::new(7, 15));
    let err = kb
        .list()
        .parse("GPL-2.0-only WITH Classpath")
        .expect_err("unknown");
    assert_eq!(
        err.kind,
        ParseErrorKind::UnknownException("Classpath".into())
    );
    assert_eq!(err.span, Span::new(18, 27));
    // A LicenseRef needs no list entry.
    assert!(kb.list().parse("LicenseRef-anything AND MIT").is_ok());
}

use crate::common;

#[test]
fn bounds_on_hostile_input() {
    let deep = format!("{}MIT{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
    assert!(Expression::parse(&deep).is_ok());
    let deeper = format!(
        "{}MIT{}",
        "(".repeat(MAX_DEPTH + 1),
        ")".repeat(MAX_DEPTH + 1)
    );
    assert_eq!(
        Expression::parse(&deeper).expect_err("deep").kind,
        ParseErrorKind::TooDeep
    );
    // A million parentheses: refused by length before any recursion.
    let huge = "(".repeat(1_000_000);
    assert_eq!(
        Expression::parse(&huge).expect_err("long").kind,
        ParseErrorKind::TooLong
    );
    let many = vec!["A"; MAX_TERMS + 1].join(" OR ");
    assert!(many.len() <= MAX_LEN);
    assert_eq!(
        Expression::parse(&many).expect_err("many").kind,
        ParseErrorKind::TooManyTerms
    );
}

/// Found by the `spdx_expression` fuzz target: an expression under [`MAX_LEN`] whose
/// canonical text, with the parentheses `Display` adds around nested operands, is over it, so
/// that the canonical text did not parse back. Such an expression is refused, naming the
/// length; one whose canonical text fits is accepted and its canonical text parses back.
#[test]
fn an_expression_whose_canonical_text_is_too_long_is_refused() {
    let pairs = |n: usize| {
        (0..n)
            .map(|i| format!("LicenseRef-{i:04}x AND LicenseRef-{i:04}"))
            .collect::<Vec<_>>()
            .join(" OR ")
    };
    let long = pairs(400);
    assert_eq!(long.len(), 15_996);
    assert!(long.len() <= MAX_LEN);
    let err = Expression::parse(&long).expect_err("canonical text too long");
    // Two parentheses around each of the 400 `AND`s.
    assert_eq!(err.kind, ParseErrorKind::CanonicalTooLong(15_996 + 800));
    assert_eq!(err.span, Span::new(0, long.len()));
    assert!(err.to_string().contains("16796 bytes"), "{err}");

    // 370 pairs: 14,796 bytes, 15,536 once printed.
    let fits = pairs(370);
    let canonical = parse(&fits).to_string();
    assert!(canonical.len() <= MAX_LEN, "{}", canonical.len());
    assert_eq!(parse(&canonical), parse(&fits));
    assert_eq!(parse(&canonical).to_string(), canonical);
}

/// A generator of valid expressions from the grammar (ids from a small set,
/// random case, `+`, WITH, LicenseRef, parentheses, both operator cases).
fn expression() -> impl Strategy<Value = String> {
    let id = prop::sample::select(vec![
        "MIT",
        "apache-2.0",
        "GPL-2.0",
        "BSD-3-Clause",
        "x.1-y",
    ]);
    let simple =
        (id, any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(i, plus, with, r)| {
            let base = if r {
                format!("LicenseRef-{i}")
            } else {
                format!("{i}{}", if plus { "+" } else { "" })
            };
            if with {
                format!("{base} WITH Classpath-exception-2.0")
            } else {
                base
            }
        });
    simple.prop_recursive(4, 24, 4, |inner| {
        (
            inner.clone(),
            prop::sample::select(vec![" AND ", " OR ", " and ", " or "]),
            inner,
            any::<bool>(),
        )
            .prop_map(|(a, op, b, paren)| {
                if paren {
                    format!("({a}){op}({b})")
                } else {
                    format!("{a}{op}{b}")
                }
            })
    })
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic(s in ".{0,200}") {
        if let Ok(e) = Expression::parse(&s) {
            let text = e.to_string();
            let again = Expression::parse(&text).expect("canonical text parses");
            prop_assert_eq!(&again, &e);
            prop_assert_eq!(again.to_string(), text);
        }
    }

    #[test]
    fn token_soup_never_panics(parts in prop::collection::vec(
        prop::sample::select(vec!["(", ")", "AND", "or", "WITH", "MIT", "GPL-2.0+", "+",
            "LicenseRef-", "DocumentRef-a:", "X WITH", "And", " ", "é"]), 0..30)) {
        let s = parts.join(" ");
        if let Ok(e) = Expression::parse(&s) {
            prop_assert_eq!(Expression::parse(&e.to_string()).expect("reparses"), e);
        }
    }

    #[test]
    fn generated_expressions_round_trip(s in expression()) {
        let e = Expression::parse(&s).expect("generated from the grammar");
        let text = e.to_string();
        prop_assert_eq!(Expression::parse(&text).expect("canonical"), e);
        if let Some(kb) = common::kb() {
            let n = kb.list().normalise(&Expression::parse(&text).expect("canonical")).expression;
            let n2 = kb.list().normalise(&n).expression;
            prop_assert_eq!(n2, n, "normalisation is idempotent");
        }
    }
}
