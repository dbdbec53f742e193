//! The two languages of vigie's reports, and a text given in both.

use std::fmt;

/// The two languages (vigie's one [`Lang`], from `vigie-model`).
pub use vigie_model::Lang;

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
