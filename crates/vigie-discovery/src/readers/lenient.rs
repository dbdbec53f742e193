//! Records of a JSON lockfile read one at a time, so that one record of the wrong shape
//! (`"version": 12`) is a diagnostic naming its path and the other records are kept.
//!
//! A reader wraps each record type in [`Lenient`] and parses with [`parse_json_lenient`]. The
//! first pass is the plain typed parse at full speed; only when it fails on the shape of the
//! data, and the document holds lenient records, is the text parsed a second time, each record
//! then kept as its raw text and parsed alone, its error kept for [`Lenient::keep`] to report.

use std::cell::Cell;
use std::fmt::Display;

use serde::{Deserialize, Deserializer};
use serde_json::value::RawValue;
use vigie_model::Code;

use super::util::line_at;
use crate::Output;

thread_local! {
    /// Whether records are read one at a time (the second pass).
    static ONE_AT_A_TIME: Cell<bool> = const { Cell::new(false) };
    /// Lenient records met by the current parse.
    static MET: Cell<usize> = const { Cell::new(0) };
}

/// A record, or the raw text of one that does not read as `T`, and why.
pub(crate) enum Lenient<'a, T> {
    Read(T),
    Bad {
        raw: &'a str,
        error: serde_json::Error,
    },
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for Lenient<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        MET.set(MET.get() + 1);
        if !ONE_AT_A_TIME.get() {
            return T::deserialize(d).map(Lenient::Read);
        }
        let raw: &'de RawValue = Deserialize::deserialize(d)?;
        Ok(match serde_json::from_str(raw.get()) {
            Ok(t) => Lenient::Read(t),
            Err(error) => Lenient::Bad {
                raw: raw.get(),
                error,
            },
        })
    }
}

impl<T> Lenient<'_, T> {
    /// The record, or `None` after an error naming `path` (as `packages."node_modules/a"`),
    /// the field that did not read and its line in `text`.
    pub(crate) fn keep(self, text: &str, path: &dyn Display, out: &mut Output) -> Option<T> {
        let (raw, error) = match self {
            Lenient::Read(t) => return Some(t),
            Lenient::Bad { raw, error } => (raw, error),
        };
        let at = offset_in(raw, error.line(), error.column());
        let field = field_before(&raw[..at]).map_or(String::new(), |f| format!(".{f}"));
        let message = error.to_string();
        let message = message
            .rfind(" at line ")
            .map_or(message.as_str(), |i| &message[..i]);
        // The raw text borrows from `text` (the parse is zero-copy): its place gives the line.
        let line = (raw.as_ptr() as usize)
            .checked_sub(text.as_ptr() as usize)
            .filter(|o| *o <= text.len())
            .map(|o| line_at(text, o + at));
        out.error(
            Code::UnexpectedContent,
            format!("{path}{field}: {message}: this record is skipped"),
        )
        .line = line;
        None
    }
}

/// The records of the map `section` that read, in document order; each one that does not is
/// an error naming its key (`packages."node_modules/a".version`).
pub(crate) fn keep_map<'a, K: AsRef<str>, T>(
    text: &str,
    section: &str,
    records: impl IntoIterator<Item = (K, Lenient<'a, T>)>,
    out: &mut Output,
) -> Vec<(K, T)> {
    records
        .into_iter()
        .filter_map(|(k, r)| {
            let path = format!("{section}.{:?}", k.as_ref());
            r.keep(text, &path, out).map(|t| (k, t))
        })
        .collect()
}

/// The records of the list `section` that read, with their positions; each one that does not
/// is an error naming its position (`packages[3].version`).
pub(crate) fn keep_list<'a, T>(
    text: &str,
    section: &str,
    records: Vec<Lenient<'a, T>>,
    out: &mut Output,
) -> Vec<(usize, T)> {
    records
        .into_iter()
        .enumerate()
        .filter_map(|(i, r)| {
            r.keep(text, &format!("{section}[{i}]"), out)
                .map(|t| (i, t))
        })
        .collect()
}

/// The byte offset just past 1-based `line` and `column` (serde_json's column counts what it
/// read of the line) in `raw`, clamped to its length.
fn offset_in(raw: &str, line: usize, column: usize) -> usize {
    let start: usize = raw
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (start + column).min(raw.len())
}

/// The key of the last `"key":` before the end of `before` (the field an error points into).
fn field_before(before: &str) -> Option<&str> {
    let colon = before.rfind(':')?;
    let key = before[..colon].trim_end().strip_suffix('"')?;
    let open = key.rfind('"')?;
    let key = &key[open + 1..];
    (!key.is_empty() && !key.contains('\\')).then_some(key)
}

/// Parses `text` as `T`; when that fails on the shape of a lenient record, parses it again
/// with every record read alone. `None` (the error reported by `report`) when the document
/// itself does not parse.
pub(crate) fn parse_json_lenient<'a, T: Deserialize<'a>>(
    text: &'a str,
    out: &mut Output,
    report: impl FnOnce(serde_json::Error, &mut Output),
) -> Option<T> {
    MET.set(0);
    let error = match serde_json::from_str::<T>(text) {
        Ok(v) => return Some(v),
        Err(e) => e,
    };
    if error.classify() != serde_json::error::Category::Data || MET.get() == 0 {
        report(error, out);
        return None;
    }
    /// Puts the first pass back even when a parse panics.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ONE_AT_A_TIME.set(false);
        }
    }
    let _reset = Reset;
    ONE_AT_A_TIME.set(true);
    match serde_json::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(_) => {
            report(error, out);
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_field_of_an_error_is_found_before_it() {
        let raw = r#"{"version":12}"#;
        assert_eq!(offset_in(raw, 1, 13), 13);
        assert_eq!(field_before(&raw[..13]), Some("version"));
        // A value refused at its first byte: the column stops before it.
        assert_eq!(
            field_before(&r#"{"name":["a"]}"#[..offset_in(raw, 1, 8)]),
            Some("name")
        );
        assert_eq!(field_before("[1, 2"), None);
        let two = "{\n  \"a\": \"x\",\n  \"b\": 3\n}";
        assert_eq!(field_before(&two[..offset_in(two, 3, 8)]), Some("b"));
    }
}
