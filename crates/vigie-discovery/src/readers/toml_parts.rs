//! TOML lockfiles parsed a part at a time, for bounded memory.
//!
//! The `toml` crate builds every token, every parse event and a tree of the whole document
//! before it deserialises anything: about 45 bytes per byte of a lockfile of short records
//! (a 48 MB `poetry.lock` of a million packages held 2.2 GB). A lock is a list of
//! `[[package]]` records, each of which parses alone as the same tables, so [`parts`] cuts
//! the text before some of the `[[package]]` headers, found at the top level by the
//! `toml_parser` lexer (never one inside a string, an array or an inline table), into parts
//! of about [`PART_BYTES`]; the reader parses them one by one and keeps only what it needs of
//! each. A record's `[package.…]` sub-tables stay with it, and the root table's keys and
//! other tables stay with the records around them, so every part is parsed as the tables it
//! holds. Parts over [`MAX_PART_BYTES`] (a record that long, or a file that never reaches
//! the top level again, such as an array left open) are not parsed: an error says so.

use toml_parser::lexer::TokenKind;
use vigie_model::Code;

use super::util::{line_of, newlines};
use crate::Output;

/// A part is cut before the first `[[package]]` after this many bytes.
pub const PART_BYTES: usize = 256 * 1024;

/// A part larger than this is not parsed (real records are a few KiB; Poetry 1's
/// `[metadata.files]`, every file of every package, a few hundred).
pub const MAX_PART_BYTES: usize = 4 << 20;

/// A part of a TOML lockfile that parses alone.
pub struct Part<'a> {
    /// The 1-based line of its first byte.
    pub line: u32,
    /// Its text.
    pub text: &'a str,
    /// How many `[[package]]` headers come before it.
    pub packages_before: usize,
    /// How many it holds (so that a reader can size its lists once).
    pub records: usize,
    /// The offsets of its newlines, found at the first [`Part::line_of`].
    newlines: std::cell::OnceCell<Vec<usize>>,
}

impl Part<'_> {
    /// The file's line of a byte offset of the part.
    pub fn line_of(&self, offset: usize) -> u32 {
        let newlines = self.newlines.get_or_init(|| newlines(self.text));
        self.line + line_of(newlines, offset) - 1
    }

    /// Records `invalid-syntax` for a TOML error of this part, with the file's line.
    pub fn error(&self, e: &toml::de::Error, out: &mut Output) {
        self.error_at(e, 0, out);
    }

    /// [`Part::error`] for a TOML error of the part's text from byte `offset`.
    pub fn error_at(&self, e: &toml::de::Error, offset: usize, out: &mut Output) {
        out.error(
            Code::InvalidSyntax,
            format!("not valid TOML for this format: {}", e.message()),
        )
        .line = e.span().map(|s| self.line_of(offset + s.start));
    }
}

/// Whether the header whose line starts at `line` is exactly `[[table]]`.
fn is_record_header(line: &str, table: &str) -> bool {
    let line = line.split(['\n', '#']).next().unwrap_or_default();
    let Some(inner) = line.trim().strip_prefix("[[") else {
        return false;
    };
    inner
        .strip_suffix("]]")
        .is_some_and(|key| key.trim() == table)
}

/// The offsets of the `[[table]]` headers of `text` at the top level.
fn record_headers(text: &str, table: &str) -> Vec<usize> {
    let mut out = Vec::new();
    // Brackets and braces open in a value; whether only blanks were met since the last
    // newline at depth 0; whether the tokens are a header's.
    let (mut depth, mut line_start, mut header) = (0usize, true, false);
    for t in toml_parser::Source::new(text).lex() {
        match t.kind() {
            TokenKind::Eof => break,
            TokenKind::Newline => {
                if depth == 0 {
                    line_start = true;
                    header = false;
                }
            }
            TokenKind::Whitespace | TokenKind::Comment => {}
            TokenKind::LeftSquareBracket if line_start && depth == 0 => {
                line_start = false;
                header = true;
                let at = t.span().start();
                if text.get(at..).is_some_and(|l| is_record_header(l, table)) {
                    out.push(at);
                }
            }
            TokenKind::LeftSquareBracket | TokenKind::LeftCurlyBracket if !header => {
                depth += 1;
                line_start = false;
            }
            TokenKind::RightSquareBracket | TokenKind::RightCurlyBracket if !header => {
                depth = depth.saturating_sub(1);
                line_start = false;
            }
            _ => line_start = false,
        }
    }
    out
}

/// `text` cut into parts of about [`PART_BYTES`], each starting at a `[[package]]` header
/// (but the first); parts over [`MAX_PART_BYTES`] are left out with an `invalid-syntax`
/// error naming their line.
pub fn parts<'a>(text: &'a str, out: &mut Output) -> Vec<Part<'a>> {
    parts_of(text, "package", out)
}

/// [`parts`] of a lock whose records are `[[table]]`.
pub fn parts_of<'a>(text: &'a str, table: &str, out: &mut Output) -> Vec<Part<'a>> {
    let headers = record_headers(text, table);
    let mut cuts = vec![(0, 0)];
    let mut from = 0;
    for (n, &at) in headers.iter().enumerate() {
        if at - from >= PART_BYTES {
            cuts.push((at, n));
            from = at;
        }
    }
    let mut parts = Vec::with_capacity(cuts.len());
    let mut line = 1;
    for (i, &(start, packages_before)) in cuts.iter().enumerate() {
        let (end, next) = cuts
            .get(i + 1)
            .copied()
            .unwrap_or((text.len(), headers.len()));
        let part = &text[start..end];
        if part.len() > MAX_PART_BYTES {
            out.error(
                Code::InvalidSyntax,
                format!(
                    "{} MiB without a `[[{table}]]` header at the top level, more than one \
                     record may hold ({} MiB): not read",
                    part.len() >> 20,
                    MAX_PART_BYTES >> 20
                ),
            )
            .line = Some(line);
        } else {
            parts.push(Part {
                line,
                text: part,
                packages_before,
                records: next - packages_before,
                newlines: std::cell::OnceCell::new(),
            });
        }
        line += part.bytes().filter(|&b| b == b'\n').count() as u32;
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use vigie_model::line_at;

    #[test]
    fn only_top_level_package_headers_cut() {
        let text = "version = 1\n\
                    [[package]]\nname = \"a\"\n\
                    s = \"\"\"\n[[package]]\n\"\"\"\n\
                    l = '''\n[[package]]\n'''\n\
                    arr = [\n[[package]]\n]\n\
                    t = { x = [\n[[package]]\n] }\n\
                    [package.source]\n  [[package]]  # b\n[[package.wheels]]\n\
                    [[ package ]]\n[metadata]\n";
        let at: Vec<&str> = record_headers(text, "package")
            .iter()
            .map(|&i| text[i..].lines().next().unwrap())
            .collect();
        assert_eq!(at, ["[[package]]", "[[package]]  # b", "[[ package ]]"]);
    }

    #[test]
    fn parts_keep_lines_and_records_whole() {
        let record = |i: usize| format!("[[package]]\nname = \"p{i}\"\nversion = \"1.0\"\n\n");
        let mut text = "version = 1\n\n".to_owned();
        let n = 3 * PART_BYTES / record(0).len();
        for i in 0..n {
            text.push_str(&record(i));
        }
        let mut out = Output::new("x.lock");
        let parts = parts(&text, &mut out);
        assert!(out.diagnostics.is_empty());
        assert!((3..=4).contains(&parts.len()), "{}", parts.len());
        assert_eq!(parts.iter().map(|p| p.text).collect::<String>(), text);
        let mut start = parts[0].text.len();
        for p in &parts[1..] {
            assert!(p.text.starts_with("[[package]]\n"));
            assert_eq!(p.line, line_at(&text, start));
            assert_eq!(
                p.packages_before,
                text[..start].matches("[[package]]").count()
            );
            assert_eq!(p.records, p.text.matches("[[package]]").count());
            assert_eq!(
                p.line_of(p.text.len() - 1),
                line_at(&text, start + p.text.len() - 1)
            );
            start += p.text.len();
        }
    }

    #[test]
    fn an_array_left_open_is_one_part_refused_when_too_large() {
        let mut text = "x = [\n".to_owned();
        while text.len() <= MAX_PART_BYTES {
            text.push_str("[[package]]\nname = \"a\"\n");
        }
        let mut out = Output::new("x.lock");
        assert!(parts(&text, &mut out).is_empty());
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(1));
    }
}
