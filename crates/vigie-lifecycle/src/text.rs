//! The texts of lifecycle findings, in English and French. Dates are
//! written `YYYY-MM-DD` in both languages (unambiguous in an estate-wide
//! report); names and versions from the inputs are quoted as written.

use crate::assess::{Check, Finding, Target};
use crate::cycle::{CycleMatch, Unknown, Unpinned};
use crate::product::DateOrBool;

/// The language of a text (vigie's one [`Lang`], from `vigie-model`).
pub use vigie_model::Lang;

impl Finding {
    /// The finding for people, with its recommended targets.
    pub fn message(&self, lang: Lang) -> String {
        let mut s = self.headline(lang);
        if let Some(t) = self.targets_text(lang) {
            s.push(' ');
            s.push_str(&t);
        }
        s
    }

    fn name(&self) -> String {
        let cycle = self
            .cycle_label
            .as_deref()
            .or(self.cycle.name())
            .unwrap_or("");
        format!("{} {cycle}", self.title).trim_end().to_owned()
    }

    fn headline(&self, lang: Lang) -> String {
        let name = self.name();
        let date = self
            .date
            .map(|d| d.to_string())
            .unwrap_or_else(|| unknown_date(lang));
        let days = self.days.unwrap_or(0);
        let fr = lang == Lang::Fr;
        match self.check {
            Check::EolPassed if fr => match self.date {
                Some(_) => {
                    format!("{name} est en fin de vie depuis le {date} (il y a {days} jours).")
                }
                None => format!("{name} est en fin de vie."),
            },
            Check::EolPassed => match self.date {
                Some(_) => format!("{name} reached end of life on {date} ({days} days ago)."),
                None => format!("{name} has reached end of life."),
            },
            Check::ExtendedSupportOnly if fr => format!(
                "{name} est en fin de vie depuis le {date} ; seul le support étendu (souvent payant) reste, {}.",
                until(self.until, lang)
            ),
            Check::ExtendedSupportOnly => format!(
                "{name} reached end of life on {date}; only extended (often paid) support remains, {}.",
                until(self.until, lang)
            ),
            Check::EolSoon if fr => {
                format!("{name} arrive en fin de vie le {date}, dans {days} jours.")
            }
            Check::EolSoon => format!("{name} reaches end of life on {date}, in {days} days."),
            Check::SecurityOnly if fr => format!(
                "{name} : le support actif a pris fin le {date} ; correctifs de sécurité seulement, {}.",
                until(self.until, lang)
            ),
            Check::SecurityOnly => format!(
                "{name}: active support ended on {date}; security fixes only, {}.",
                until(self.until, lang)
            ),
            Check::BehindLatest => self.behind_text(lang, &name),
            Check::Unpinned | Check::UnknownCycle => self.unmapped_text(lang),
        }
    }

    fn behind_text(&self, lang: Lang, name: &str) -> String {
        let Some(b) = &self.behind else {
            return String::new();
        };
        let version = self.version.as_deref().unwrap_or(&self.written);
        let since = match (b.newer_releases, b.outdated_since, lang) {
            (Some(n), Some(d), Lang::En) => format!(" ({n} newer releases since {d})"),
            (Some(n), Some(d), Lang::Fr) => format!(" ({n} versions plus récentes depuis le {d})"),
            _ => String::new(),
        };
        match lang {
            Lang::En => format!(
                "{} {version} is behind {}, the latest release of {name}{since}.",
                self.title, b.latest
            ),
            Lang::Fr => format!(
                "{} {version} est en retard sur {}, la dernière version de {name}{since}.",
                self.title, b.latest
            ),
        }
    }

    fn unmapped_text(&self, lang: Lang) -> String {
        let (t, w) = (&self.title, &self.written);
        let fr = lang == Lang::Fr;
        let why = match &self.cycle {
            CycleMatch::Unpinned { why } => match (why, fr) {
                (Unpinned::NoTag, false) => {
                    "no tag: `latest` is pulled, whatever it is that day".into()
                }
                (Unpinned::NoTag, true) => {
                    "pas d'étiquette : c'est `latest` qui est tiré, quelle qu'elle soit ce jour-là"
                        .into()
                }
                (Unpinned::Latest, false) => "`latest` follows every new release".into(),
                (Unpinned::Latest, true) => "`latest` suit chaque nouvelle version".into(),
                (Unpinned::Floating, false) => "it follows new releases".into(),
                (Unpinned::Floating, true) => "elle suit les nouvelles versions".into(),
                (Unpinned::Series { cycles }, false) => {
                    format!("it names a series of {cycles} cycles and follows the newest")
                }
                (Unpinned::Series { cycles }, true) => {
                    format!("elle désigne une série de {cycles} cycles et suit le plus récent")
                }
                (Unpinned::ImpliedByImage, false) => {
                    "the image tag does not say which release: the one the image was last built on"
                        .into()
                }
                (Unpinned::ImpliedByImage, true) => {
                    "l'étiquette de l'image ne dit pas laquelle : celle de sa dernière construction"
                        .into()
                }
                (Unpinned::NoLowerBound, false) => "the constraint has no lower bound".into(),
                (Unpinned::NoLowerBound, true) => {
                    "la contrainte n'a pas de borne inférieure".into()
                }
            },
            CycleMatch::Unknown { why } => match (why, fr) {
                (Unknown::NotACycle { newest }, false) => format!(
                    "not a release cycle of {t} (newest: {})",
                    newest.as_deref().unwrap_or("none")
                ),
                (Unknown::NotACycle { newest }, true) => format!(
                    "pas un cycle de {t} (le plus récent : {})",
                    newest.as_deref().unwrap_or("aucun")
                ),
                (Unknown::DigestOnly, false) => {
                    "pinned by digest only: the version is not written".into()
                }
                (Unknown::DigestOnly, true) => {
                    "épinglée par empreinte seulement : la version n'est pas écrite".into()
                }
            },
            CycleMatch::Cycle { .. } => String::new(),
        };
        match (self.check, fr) {
            (Check::Unpinned, false) => format!("{t}: `{w}` pins no version ({why})."),
            (Check::Unpinned, true) => format!("{t} : `{w}` ne fixe pas de version ({why})."),
            (_, false) => format!("{t}: `{w}` maps to no known release cycle ({why})."),
            (_, true) => format!("{t} : `{w}` ne correspond à aucun cycle connu ({why})."),
        }
    }

    fn targets_text(&self, lang: Lang) -> Option<String> {
        let status = matches!(
            self.check,
            Check::EolPassed
                | Check::ExtendedSupportOnly
                | Check::EolSoon
                | Check::SecurityOnly
                | Check::Unpinned
        );
        if !status {
            return None;
        }
        let one = |t: &Target| format!("{} ({})", t.label, until(t.eol, lang));
        let lts = self
            .newest_lts
            .as_ref()
            .filter(|l| Some(&l.cycle) != self.target.as_ref().map(|t| &t.cycle));
        let verb = match (self.check == Check::Unpinned, lang) {
            (false, Lang::En) => "Move to",
            (false, Lang::Fr) => "Passer à",
            (true, Lang::En) => "Pin a supported cycle, such as",
            (true, Lang::Fr) => "Fixer un cycle maintenu, par exemple",
        };
        Some(match (&self.target, lts, lang) {
            (Some(t), Some(l), Lang::En) => format!("{verb} {}; newest LTS: {}.", one(t), one(l)),
            (Some(t), Some(l), Lang::Fr) => {
                format!("{verb} {} ; dernière LTS : {}.", one(t), one(l))
            }
            (Some(t), None, _) => format!("{verb} {}.", one(t)),
            (None, _, Lang::En) => format!(
                "No newer cycle is supported for the next {} days.",
                self.horizon_days
            ),
            (None, _, Lang::Fr) => {
                format!(
                    "Aucun cycle plus récent n'est maintenu sur les {} prochains jours.",
                    self.horizon_days
                )
            }
        })
    }
}

fn until(d: Option<DateOrBool>, lang: Lang) -> String {
    match (d, lang) {
        (Some(DateOrBool::Date(d)), Lang::En) => format!("supported until {d}"),
        (Some(DateOrBool::Date(d)), Lang::Fr) => format!("maintenu jusqu'au {d}"),
        (_, Lang::En) => "no end date announced".into(),
        (_, Lang::Fr) => "sans date de fin annoncée".into(),
    }
}

fn unknown_date(lang: Lang) -> String {
    match lang {
        Lang::En => "an unknown date".into(),
        Lang::Fr => "une date inconnue".into(),
    }
}
