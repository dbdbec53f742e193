//! The two languages of vigie's reports, and a text given in both.

use std::fmt;

/// A report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// French.
    Fr,
}

impl Lang {
    /// Both languages.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Fr];

    /// `en` in English, `fr` in French.
    pub fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::Fr => fr,
        }
    }
}

/// A short explanation, written in English and in French.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Text {
    /// The English text.
    pub en: String,
    /// The French text.
    pub fr: String,
}

impl Text {
    /// A text from its two versions.
    pub fn new(en: impl Into<String>, fr: impl Into<String>) -> Text {
        Text {
            en: en.into(),
            fr: fr.into(),
        }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.fr)
    }
}

impl fmt::Display for Text {
    /// The English text (reports choose a language with [`Text::get`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.en)
    }
}
