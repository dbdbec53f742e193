//! The third-party notice a distributed product ships: for each licence,
//! the components under it (with the copyright lines the evidence has),
//! then the licence text from the SPDX licence details; components whose
//! licence is unknown are listed apart, to be resolved before shipping.
//! Plain text, in English or French.

use std::collections::BTreeMap;
use std::io::{self, Write};

use vigie_audit::licences::{ComponentLicence, ProjectLicences};
use vigie_knowledge::licences::LicenceTexts;
use vigie_licence::Lang;
use vigie_model::text::printable;

/// What the notice is made of: the licence audits of the projects shipped.
pub struct NoticeInput<'a> {
    /// `(project name, licences)`.
    pub projects: Vec<(&'a str, &'a ProjectLicences)>,
    /// The SPDX texts; `None` when the knowledge index has none.
    pub texts: Option<&'a LicenceTexts>,
    pub lang: Lang,
}

/// What the notice holds, for the caller's summary.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct NoticeSummary {
    pub components: usize,
    pub licences: usize,
    /// Licences whose text could not be included.
    pub missing_texts: Vec<String>,
    /// Components without a known licence.
    pub unknown: usize,
}

/// The component as the notice names it, and its purl: what comes from inputs is written
/// through `printable` (no escape sequence, no bidirectional control reaches a terminal or
/// an editor).
fn line(c: &ComponentLicence) -> String {
    let name = match &c.version {
        Some(v) => format!("{} {v} ({})", c.name, c.purl),
        None => format!("{} ({})", c.name, c.purl),
    };
    printable(&name).into_owned()
}

/// The text of one term (`ID`, `ID+`, `ID WITH EXC`): the licence's text,
/// then the exception's.
fn term_text(texts: &LicenceTexts, term: &str) -> Option<String> {
    let (lic, exc) = match term.split_once(" WITH ") {
        Some((l, e)) => (l, Some(e)),
        None => (term, None),
    };
    let lic = lic.trim_end_matches('+');
    let mut out = texts.licences.get(lic)?.clone();
    if let Some(e) = exc {
        out.push_str("\n\n");
        out.push_str(texts.exceptions.get(e)?);
    }
    Some(out)
}

/// Writes the notice.
pub fn write(w: &mut dyn Write, input: &NoticeInput<'_>) -> io::Result<NoticeSummary> {
    let l = input.lang;
    let mut by_term: BTreeMap<&str, BTreeMap<&str, &ComponentLicence>> = BTreeMap::new();
    let mut unknown: BTreeMap<&str, &ComponentLicence> = BTreeMap::new();
    for (_, p) in &input.projects {
        for c in &p.components {
            if c.terms.is_empty() {
                unknown.insert(&c.purl, c);
            }
            for t in &c.terms {
                by_term.entry(t).or_default().insert(&c.purl, c);
            }
        }
    }
    let mut summary = NoticeSummary {
        licences: by_term.len(),
        unknown: unknown.len(),
        ..NoticeSummary::default()
    };
    let mut all: Vec<&str> = by_term.values().flat_map(|m| m.keys().copied()).collect();
    all.extend(unknown.keys().copied());
    all.sort_unstable();
    all.dedup();
    summary.components = all.len();

    let rule = "=".repeat(78);
    writeln!(
        w,
        "{}",
        l.pick(
            "THIRD-PARTY SOFTWARE NOTICES",
            "MENTIONS DES LOGICIELS TIERS"
        )
    )?;
    writeln!(w, "{rule}\n")?;
    let names: Vec<&str> = input.projects.iter().map(|(n, _)| *n).collect();
    writeln!(
        w,
        "{} {}\n",
        l.pick(
            "This product includes third-party software under the licences below. Projects:",
            "Ce produit inclut des logiciels tiers sous les licences ci-dessous. Projets :"
        ),
        printable(&names.join(", "))
    )?;
    if input.texts.is_none() {
        writeln!(
            w,
            "{}\n",
            l.pick(
                "WARNING: the licence texts are missing: vigie's knowledge index has no SPDX licence texts (sync a mirror that has spdx/details.tar.gz). Add them before shipping this file.",
                "ATTENTION : les textes des licences manquent : l'index de connaissances de vigie n'a pas les textes SPDX (synchroniser un miroir qui contient spdx/details.tar.gz). Les ajouter avant de livrer ce fichier."
            )
        )?;
    }
    for (term, comps) in &by_term {
        writeln!(w, "{rule}\n{}\n{rule}\n", printable(term))?;
        writeln!(w, "{}", l.pick("Used by:", "Utilisé par :"))?;
        for c in comps.values() {
            writeln!(w, "  - {}", line(c))?;
            for cr in &c.copyright {
                writeln!(w, "      {}", printable(cr))?;
            }
        }
        writeln!(w)?;
        match input.texts.and_then(|t| term_text(t, term)) {
            Some(text) => writeln!(w, "{}\n", text.trim_end())?,
            None => {
                if input.texts.is_some() {
                    writeln!(
                        w,
                        "{}\n",
                        l.pick(
                            "(The text of this licence is not in the SPDX list: take it from the component.)",
                            "(Le texte de cette licence n'est pas dans la liste SPDX : le prendre dans le composant.)"
                        )
                    )?;
                }
                summary.missing_texts.push((*term).to_owned());
            }
        }
    }
    if !unknown.is_empty() {
        writeln!(
            w,
            "{rule}\n{}\n{rule}\n",
            l.pick(
                "LICENCE UNKNOWN: TO RESOLVE BEFORE SHIPPING",
                "LICENCE INCONNUE : À RÉSOUDRE AVANT LIVRAISON"
            )
        )?;
        for c in unknown.values() {
            writeln!(w, "  - {}: {}", line(c), printable(&c.expression))?;
        }
        writeln!(w)?;
    }
    Ok(summary)
}
