//! Whether a component's licence lets it be combined into a distributed
//! project under the project's own licence: the common one-way
//! incompatibilities, as a rule table. Not legal advice: `Unknown` means a
//! person must look.
//!
//! Rules, tried in order for one project licence P and one component term C
//! (first match wins):
//!
//! | id | when | result | source |
//! |----|------|--------|--------|
//! | `same-licence` | C is P's licence (ignoring `+` and exceptions) | compatible | trivial |
//! | `public-domain` | C is public domain | compatible | no condition |
//! | `review-needed` | C is non-commercial, source-available, proprietary or unknown | unknown | not a compatibility question |
//! | `apache2-gpl2` | C is Apache-2.0 and P is GPL-2.0-only or LGPL-2.x-only | incompatible | FSF licence list, "Apache License, Version 2.0" |
//! | `gpl-incompatible` | C is on the FSF's list of GPL-incompatible licences and P is a GNU licence | incompatible | FSF licence list, "GPL-Incompatible Free Software Licenses" |
//! | `one-way-into-gnu` | C is CC-BY-SA-4.0 (P GNU v3), EUPL-1.2 or CeCILL-2.x (P GNU) | compatible | CC's 2015 declaration, EUPL-1.2 appendix, CeCILL art. 5.3.4 |
//! | `lgpl3-gpl2only` | C is LGPL-3.0 and P accepts no GNU v3 | incompatible | GPL FAQ "AllCompatibility" |
//! | `gnu-family` | C is LGPL (otherwise), or C and P the same GNU licence family with a common version | compatible | GPL FAQ "AllCompatibility"; LGPL-2.1 s.3 |
//! | `copyleft-into-other` | C is a GPL/AGPL and P an LGPL (the project would have to become GPL) | incompatible | GPL FAQ "AllCompatibility" note 7 |
//! | `gpl2only-gpl3` | C is GPL-2.0-only and P accepts only GNU v3 | incompatible | GPL FAQ "v2v3Compatibility" |
//! | `gpl3-gpl2only` | C is a GNU v3 licence and P is GPL-2.0-only | incompatible | GPL FAQ "AllCompatibility" |
//! | `agpl-gpl3` | C is AGPL-3.0 and P GPL-3.0 (or the reverse), a common version 3 | compatible | GPL-3.0 s.13, AGPL-3.0 s.13 |
//! | `copyleft-into-other` | C is strong or network copyleft (without a linking exception) and P is not a licence of its family | incompatible | GPL-2.0 s.2(b), GPL-3.0 s.5(c): the combined work must be under C's licence |
//! | `weak-or-permissive` | C is permissive or weak copyleft | compatible | the conditions stay on C's own files |
//! | `unknown` | anything else | unknown | |
//!
//! For expressions: a component `OR` is compatible when one option is (it
//! says which); `AND` takes the worst; a project `AND`/`OR` is checked against
//! every project licence (each licence offered must hold).

use crate::LicenceKnowledge;
use crate::category::{Category, ExceptionEffect};
use crate::expr::{Expression, LicenceItem, Term};
use crate::i18n::Text;

/// The result of [`LicenceKnowledge::compatible_with_project`]. Ordered:
/// `Compatible < Unknown < Incompatible`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Compat {
    /// The component may be shipped in the project under its licence.
    Compatible,
    /// A person must look.
    Unknown,
    /// The project cannot keep its licence if it ships the component.
    Incompatible,
}

/// The outcome and the rule that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compatibility {
    /// The outcome.
    pub compat: Compat,
    /// The rule id (see the module documentation).
    pub rule: &'static str,
    /// The project licence and component term the rule was applied to.
    pub project: String,
    /// The component term.
    pub component: String,
}

/// The FSF's "GPL-incompatible free software licenses" present on the SPDX
/// list (gnu.org/licenses/license-list.html), and the original SSLeay.
const GPL_INCOMPATIBLE: &[&str] = &[
    "AFL-1.1",
    "AFL-1.2",
    "AFL-2.0",
    "AFL-2.1",
    "AFL-3.0",
    "AGPL-1.0-only",
    "AGPL-1.0-or-later",
    "Apache-1.0",
    "Apache-1.1",
    "APSL-2.0",
    "Artistic-1.0",
    "BSD-4-Clause",
    "CDDL-1.0",
    "CDDL-1.1",
    "CPAL-1.0",
    "CPL-1.0",
    "Condor-1.1",
    "EPL-1.0",
    "EPL-2.0",
    "EUPL-1.1",
    "gnuplot",
    "IPL-1.0",
    "LPPL-1.2",
    "LPPL-1.3a",
    "MPL-1.0",
    "MPL-1.1",
    "MPL-2.0-no-copyleft-exception",
    "MS-PL",
    "MS-RL",
    "NOSL",
    "NPL-1.0",
    "NPL-1.1",
    "Nokia",
    "OpenSSL",
    "OSL-1.0",
    "OSL-1.1",
    "OSL-2.0",
    "OSL-2.1",
    "OSL-3.0",
    "PHP-3.0",
    "PHP-3.01",
    "QPL-1.0",
    "RPSL-1.0",
    "SISSL",
    "SPL-1.0",
    "SSLeay-standalone",
    "YPL-1.1",
    "Zend-2.0",
    "Zimbra-1.3",
];

/// Copyleft licences whose texts allow a work under them to be distributed
/// under a GNU licence from the given major version: CC BY-SA 4.0 into
/// GPLv3 (Creative Commons' compatibility declaration, 2015), EUPL-1.2 (its
/// appendix lists GPL-2.0 and GPL-3.0), CeCILL 2.0/2.1 (their article 5.3.4).
const ONE_WAY_INTO_GNU: &[(&str, u8)] = &[
    ("CC-BY-SA-4.0", 3),
    ("EUPL-1.2", 2),
    ("CECILL-2.0", 2),
    ("CECILL-2.1", 2),
];

/// The GNU major versions a licence accepts (`2` only, or `2..=3`).
fn versions(v: u8, later: bool) -> impl Iterator<Item = u8> + Clone {
    v..=if later { 3 } else { v }
}

/// The GNU family of a licence id and its versions: (family, lowest
/// version, whether later versions are allowed).
fn gnu(id: &str) -> Option<(&'static str, u8, bool)> {
    let (family, rest) = if let Some(r) = id.strip_prefix("AGPL-") {
        ("AGPL", r)
    } else if let Some(r) = id.strip_prefix("LGPL-") {
        ("LGPL", r)
    } else if let Some(r) = id.strip_prefix("GPL-") {
        ("GPL", r)
    } else {
        return None;
    };
    let (ver, later) = if let Some(v) = rest.strip_suffix("-or-later") {
        (v, true)
    } else {
        (rest.strip_suffix("-only")?, false)
    };
    let major = match ver {
        "1.0" => 1,
        "2.0" | "2.1" => 2,
        "3.0" => 3,
        _ => return None,
    };
    Some((family, major, later))
}

fn spdx_id(t: &Term) -> Option<&str> {
    match &t.licence {
        LicenceItem::Spdx { id, .. } => Some(id),
        LicenceItem::Ref { .. } => None,
    }
}

impl LicenceKnowledge {
    /// Checks `component` against `project` (see the module documentation).
    pub fn compatible_with_project(
        &self,
        project: &Expression,
        component: &Expression,
    ) -> Compatibility {
        let project = self.list().normalise(project).expression;
        let component = self.list().normalise(component).expression;
        project
            .terms()
            .into_iter()
            .map(|p| self.component_against(p, &component))
            .max_by_key(|c| c.compat)
            .unwrap_or(Compatibility {
                compat: Compat::Unknown,
                rule: "unknown",
                project: project.to_string(),
                component: component.to_string(),
            })
    }

    fn component_against(&self, p: &Term, c: &Expression) -> Compatibility {
        match c {
            Expression::Term(t) => self.pair(p, t),
            Expression::And(v) => v
                .iter()
                .map(|x| self.component_against(p, x))
                .max_by_key(|r| r.compat)
                .unwrap_or_else(|| self.pair(p, &Term::from_id("NONE"))),
            Expression::Or(v) => v
                .iter()
                .map(|x| self.component_against(p, x))
                .min_by_key(|r| r.compat)
                .unwrap_or_else(|| self.pair(p, &Term::from_id("NONE"))),
        }
    }

    fn pair(&self, p: &Term, c: &Term) -> Compatibility {
        let (compat, rule) = self.rule(p, c);
        Compatibility {
            compat,
            rule,
            project: p.to_string(),
            component: c.to_string(),
        }
    }

    fn rule(&self, p: &Term, c: &Term) -> (Compat, &'static str) {
        let cats = self.categories();
        let cc = cats.of(self.list(), &c.licence);
        let (pid, cid) = (spdx_id(p).unwrap_or(""), spdx_id(c).unwrap_or(""));
        if p.licence == c.licence {
            return (Compat::Compatible, "same-licence");
        }
        if cc == Category::PublicDomain {
            return (Compat::Compatible, "public-domain");
        }
        if cc >= Category::NonCommercialOrSourceAvailable {
            return (Compat::Unknown, "review-needed");
        }
        let (pg, cg) = (gnu(pid), gnu(cid));
        if cid == "Apache-2.0" && matches!(pg, Some((_, 2, false))) {
            return (Compat::Incompatible, "apache2-gpl2");
        }
        if pg.is_some() && GPL_INCOMPATIBLE.contains(&cid) {
            return (Compat::Incompatible, "gpl-incompatible");
        }
        let linking = c.exception.as_ref().is_some_and(|e| {
            matches!(
                cats.exception_effect(e),
                ExceptionEffect::Linking
                    | ExceptionEffect::RuntimeLibrary
                    | ExceptionEffect::GeneratedOutput
            )
        });
        if let Some((_, pv, pl)) = pg
            && let Some((_, min)) = ONE_WAY_INTO_GNU.iter().find(|(id, _)| *id == cid)
        {
            return if versions(pv, pl).any(|v| v >= *min) {
                (Compat::Compatible, "one-way-into-gnu")
            } else {
                (Compat::Incompatible, "copyleft-into-other")
            };
        }
        if let (Some((pf, pv, pl)), Some((cf, cv, cl))) = (pg, cg)
            && !linking
        {
            let overlap = versions(pv, pl).any(|v| versions(cv, cl).any(|w| w == v));
            if cf == "LGPL" {
                // LGPL-2.x may be used under the GPL 2 or later (LGPL-2.1 s.3);
                // LGPL-3.0 is GPL-3.0 with extra permissions.
                return if cv == 3 && !versions(pv, pl).any(|v| v == 3) {
                    (Compat::Incompatible, "lgpl3-gpl2only")
                } else {
                    (Compat::Compatible, "gnu-family")
                };
            }
            if pf == "LGPL" {
                return (Compat::Incompatible, "copyleft-into-other");
            }
            if !overlap {
                let rule = if cv == 2 && !cl {
                    "gpl2only-gpl3"
                } else if cv == 3 && pv == 2 && !pl {
                    "gpl3-gpl2only"
                } else {
                    "gnu-versions"
                };
                return (Compat::Incompatible, rule);
            }
            return if pf == cf {
                (Compat::Compatible, "gnu-family")
            } else {
                (Compat::Compatible, "agpl-gpl3")
            };
        }
        if matches!(cc, Category::StrongCopyleft | Category::NetworkCopyleft) && !linking {
            return (Compat::Incompatible, "copyleft-into-other");
        }
        if matches!(cc, Category::Permissive | Category::WeakCopyleft) || linking {
            return (Compat::Compatible, "weak-or-permissive");
        }
        (Compat::Unknown, "unknown")
    }
}

impl Compatibility {
    /// A short explanation in both languages.
    pub fn explain(&self) -> Text {
        let (p, c) = (&self.project, &self.component);
        match self.compat {
            Compat::Compatible => Text::new(
                format!(
                    "{c} may be shipped in a project licensed {p} (rule {}).",
                    self.rule
                ),
                format!(
                    "{c} peut être distribué dans un projet sous {p} (règle {}).",
                    self.rule
                ),
            ),
            Compat::Incompatible => Text::new(
                format!(
                    "{c} cannot be shipped in a project licensed {p}: the combined work could not keep the project's licence (rule {}).",
                    self.rule
                ),
                format!(
                    "{c} ne peut pas être distribué dans un projet sous {p} : l'œuvre combinée ne pourrait pas garder la licence du projet (règle {}).",
                    self.rule
                ),
            ),
            Compat::Unknown => Text::new(
                format!(
                    "Whether {c} fits a project licensed {p} needs a review (rule {}).",
                    self.rule
                ),
                format!(
                    "La compatibilité de {c} avec un projet sous {p} doit être examinée (règle {}).",
                    self.rule
                ),
            ),
        }
    }
}
