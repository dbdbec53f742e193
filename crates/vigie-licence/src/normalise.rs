//! Normalisation of an expression against the list: identifiers spelled as
//! the list spells them, deprecated identifiers replaced, `-only+` folded into
//! `-or-later`, and repeated operands of one `AND`/`OR` dropped.

use std::fmt;

use crate::expr::{ExceptionItem, Expression, LicenceItem, Term};
use crate::list::LicenceList;

/// One change normalisation made (for the report: what was rewritten, why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Same identifier, spelled as on the list (`mit` → `MIT`).
    Case {
        /// As written.
        from: String,
        /// As listed.
        to: String,
    },
    /// A deprecated identifier replaced (`GPL-2.0` → `GPL-2.0-only`).
    Upgraded {
        /// The deprecated form.
        from: String,
        /// The replacement.
        to: String,
    },
    /// `X-only+` or `X-or-later+` written as `X-or-later`.
    PlusFolded {
        /// As written.
        from: String,
        /// The `-or-later` identifier.
        to: String,
    },
    /// An operand repeated in one `AND`/`OR` was dropped.
    Duplicate(String),
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Change::Case { from, to } => write!(f, "{from} spelled {to}"),
            Change::Upgraded { from, to } => write!(f, "deprecated {from} replaced by {to}"),
            Change::PlusFolded { from, to } => write!(f, "{from} written {to}"),
            Change::Duplicate(e) => write!(f, "repeated {e} dropped"),
        }
    }
}

/// The result of [`LicenceList::normalise`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalised {
    /// The canonical expression.
    pub expression: Expression,
    /// What was changed, in order; empty when the input was canonical.
    pub changes: Vec<Change>,
}

impl LicenceList {
    /// Normalises `expr` (see the module documentation). Identifiers that
    /// are not on the list are kept as written.
    pub fn normalise(&self, expr: &Expression) -> Normalised {
        let mut changes = Vec::new();
        let expression = self.norm(expr, &mut changes);
        Normalised {
            expression,
            changes,
        }
    }

    fn norm(&self, expr: &Expression, changes: &mut Vec<Change>) -> Expression {
        let (or, parts) = match expr {
            Expression::Term(t) => return Expression::Term(self.norm_term(t, changes)),
            Expression::And(v) => (false, v),
            Expression::Or(v) => (true, v),
        };
        let mut out: Vec<Expression> = Vec::with_capacity(parts.len());
        for p in parts {
            let n = self.norm(p, changes);
            // Flatten first, so that `A AND (A AND B)` loses its second `A`.
            let items = match (or, n) {
                (true, Expression::Or(v)) | (false, Expression::And(v)) => v,
                (_, other) => vec![other],
            };
            for item in items {
                if out.contains(&item) {
                    changes.push(Change::Duplicate(item.to_string()));
                } else {
                    out.push(item);
                }
            }
        }
        Expression::join(or, out)
    }

    fn norm_term(&self, term: &Term, changes: &mut Vec<Change>) -> Term {
        let mut exception = term
            .exception
            .as_ref()
            .map(|e| self.norm_exception(e, changes));
        let licence = match &term.licence {
            LicenceItem::Ref { .. } => term.licence.clone(),
            LicenceItem::Spdx { id, or_later } => {
                let written = term.licence.to_string();
                // `GPL-2.0+` is itself a (deprecated) list identifier.
                let (mut id, mut plus) = match self.licence(&written) {
                    Some(l) if *or_later => (l.id.clone(), false),
                    _ => match self.licence(id) {
                        Some(l) => (l.id.clone(), *or_later),
                        None => (id.clone(), *or_later),
                    },
                };
                let spelled = if plus { format!("{id}+") } else { id.clone() };
                if spelled != written {
                    changes.push(Change::Case {
                        from: written,
                        to: spelled.clone(),
                    });
                }
                if let Some(up) = self.upgrade(&id) {
                    let fits = up.exception.is_none() || exception.is_none();
                    if let (true, LicenceItem::Spdx { id: new, .. }) = (fits, &up.licence) {
                        changes.push(Change::Upgraded {
                            from: spelled.clone(),
                            to: up.to_string(),
                        });
                        id = new.clone();
                        if exception.is_none() {
                            exception = up.exception.clone();
                        }
                    }
                }
                if plus {
                    let base = id
                        .strip_suffix("-only")
                        .or_else(|| id.strip_suffix("-or-later"));
                    if let Some(later) = base.and_then(|b| self.licence(&format!("{b}-or-later"))) {
                        changes.push(Change::PlusFolded {
                            from: format!("{id}+"),
                            to: later.id.clone(),
                        });
                        id = later.id.clone();
                        plus = false;
                    }
                }
                LicenceItem::Spdx { id, or_later: plus }
            }
        };
        Term { licence, exception }
    }

    fn norm_exception(&self, e: &ExceptionItem, changes: &mut Vec<Change>) -> ExceptionItem {
        let ExceptionItem::Spdx(id) = e else {
            return e.clone();
        };
        let Some(known) = self.exception(id) else {
            return e.clone();
        };
        let mut out = known.id.clone();
        if out != *id {
            changes.push(Change::Case {
                from: id.clone(),
                to: out.clone(),
            });
        }
        if let Some(new) = self.exception_upgrade(&out) {
            changes.push(Change::Upgraded {
                from: out.clone(),
                to: new.to_owned(),
            });
            out = new.to_owned();
        }
        ExceptionItem::Spdx(out)
    }
}
