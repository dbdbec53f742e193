//! Helpers shared by readers: parsing with located diagnostics.

use serde::de::DeserializeOwned;

use crate::{Input, Output};

/// 1-based line of a byte offset in `text`.
pub fn line_at(text: &str, offset: usize) -> u32 {
    let end = offset.min(text.len());
    let bytes = &text.as_bytes()[..end];
    bytes.iter().filter(|&&b| b == b'\n').count() as u32 + 1
}

/// Parses JSON; on failure records `invalid-syntax` with the line and returns `None`.
pub fn parse_json<T: DeserializeOwned>(input: &Input<'_>, out: &mut Output) -> Option<T> {
    match serde_json::from_str::<T>(input.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = (e.line() > 0).then_some(e.line() as u32);
            out.error(
                "invalid-syntax",
                format!("not valid JSON for this format: {e}"),
            )
            .line = line;
            None
        }
    }
}

/// Parses JSON borrowing from the input text (zero-copy strings where possible).
pub fn parse_json_borrowed<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
    out: &mut Output,
) -> Option<T> {
    match serde_json::from_str::<T>(text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = (e.line() > 0).then_some(e.line() as u32);
            out.error(
                "invalid-syntax",
                format!("not valid JSON for this format: {e}"),
            )
            .line = line;
            None
        }
    }
}

/// Parses TOML; on failure records `invalid-syntax` with the line and returns `None`.
pub fn parse_toml<T: DeserializeOwned>(input: &Input<'_>, out: &mut Output) -> Option<T> {
    match toml::from_str::<T>(input.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = e.span().map(|s| line_at(input.text, s.start));
            let msg = e.message().to_owned();
            out.error(
                "invalid-syntax",
                format!("not valid TOML for this format: {msg}"),
            )
            .line = line;
            None
        }
    }
}

/// Parses YAML with serde-saphyr's default limits (alias-bomb and depth
/// budgets); on failure records `invalid-syntax` and returns `None`.
pub fn parse_yaml<T: DeserializeOwned>(input: &Input<'_>, out: &mut Output) -> Option<T> {
    match serde_saphyr::from_str::<T>(input.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = e.to_string();
            let line = yaml_error_line(&msg);
            let first = msg.lines().next().unwrap_or("").to_owned();
            out.error(
                "invalid-syntax",
                format!("not valid YAML for this format: {first}"),
            )
            .line = line;
            None
        }
    }
}

/// serde-saphyr puts `line N` in its messages; take it when it is there.
fn yaml_error_line(msg: &str) -> Option<u32> {
    let idx = msg.find("line ")?;
    let digits: String = msg[idx + 5..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect();
    digits.parse().ok()
}

/// A quick-xml reader configured for hostile input: no entity expansion
/// beyond the five predefined ones (quick-xml never resolves DTDs or external
/// entities), and trimmed text.
pub fn xml_reader(text: &str) -> quick_xml::Reader<&[u8]> {
    let mut r = quick_xml::Reader::from_str(text);
    r.config_mut().trim_text(true);
    r
}

/// Records that the file parsed but is not of the expected shape.
pub fn wrong_shape(out: &mut Output, what: &str) {
    out.error("unexpected-content", what.to_owned());
}

/// PEP 503 normalisation of a Python package name: lower case, runs of
/// `-`, `_` and `.` folded to one `-`.
pub fn pep503_normalize(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.trim().chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Offsets of the newlines of `text`, for [`line_of`] (one pass, then a
/// binary search per lookup).
pub fn newlines(text: &str) -> Vec<usize> {
    text.bytes()
        .enumerate()
        .filter(|&(_, b)| b == b'\n')
        .map(|(i, _)| i)
        .collect()
}

/// 1-based line of a byte offset, given the [`newlines`] of the text.
pub fn line_of(newlines: &[usize], offset: usize) -> u32 {
    newlines.partition_point(|&n| n < offset) as u32 + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503() {
        assert_eq!(pep503_normalize("Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(pep503_normalize("zope.interface"), "zope-interface");
    }

    #[test]
    fn lines() {
        let t = "a\nbb\nccc";
        let nl = newlines(t);
        assert_eq!(line_of(&nl, 0), 1);
        assert_eq!(line_of(&nl, 2), 2);
        assert_eq!(line_of(&nl, 5), 3);
        assert_eq!(line_at(t, 5), 3);
    }
}
