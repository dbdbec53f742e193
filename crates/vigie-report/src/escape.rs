//! The only ways input text reaches the output: [`html`] and [`markdown`], after [`clip`].
//!
//! [`html`] is safe in element content and in quoted attribute values alike (it escapes both
//! quotes), and in SVG `<title>` and `<text>`: the renderers never write an input string any
//! other way, never into a tag name, an unquoted attribute, a URL, a `<style>` or a `<script>`.
//! Control characters (other than tab and line feed) become U+FFFD, so the output is also
//! well-formed XML. Bidirectional controls (U+202E…) are shown as their code point,
//! `<U+202E>`, never passed on to reorder the text around them.

use std::borrow::Cow;

use vigie_model::text::is_bidi_control;

fn is_forbidden_control(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t') || c == '\u{fffe}' || c == '\u{ffff}'
}

/// Escapes `s` for HTML/XML text and quoted attributes: `& < > " '` become entities.
pub fn html(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| {
        matches!(c, '&' | '<' | '>' | '"' | '\'') || is_forbidden_control(c) || is_bidi_control(c)
    }) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if is_forbidden_control(c) => out.push('\u{fffd}'),
            c if is_bidi_control(c) => {
                out.push_str(&format!("&lt;{}&gt;", vigie_model::text::code_point(c)))
            }
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Escapes `s` for a Markdown paragraph or table cell (CommonMark and GitHub/GitLab tables).
///
/// `& < >` become entities (wikis render inline HTML), every other ASCII punctuation that
/// Markdown gives a meaning (emphasis, links, code, tables, headings) is backslash-escaped, and
/// line breaks become spaces so a value never leaves its table cell.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            // Characters that can open Markdown syntax (emphasis, code, links, images,
            // tables, headings, strikethrough); `-`, `+` and `.` cannot inside a line.
            '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '!' | '~' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if is_forbidden_control(c) => out.push('\u{fffd}'),
            c if is_bidi_control(c) => {
                out.push_str(&format!("&lt;{}&gt;", vigie_model::text::code_point(c)))
            }
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `s`, with `…` when cut (so one hostile string cannot blow up
/// the report's size).
pub fn clip(s: &str, max: usize) -> Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => {
            let mut out = s.get(..cut).unwrap_or_default().to_owned();
            out.push('…');
            Cow::Owned(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_markup_and_quotes() {
        assert_eq!(
            html("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            html(r#"a" onload="x' & b"#),
            "a&quot; onload=&quot;x&#39; &amp; b"
        );
        assert_eq!(html("plain name"), "plain name");
        assert_eq!(html("nul\0bell\x07"), "nul\u{fffd}bell\u{fffd}");
        assert_eq!(html("tab\tline\n"), "tab\tline\n");
        assert_eq!(html("abc\u{202E}fdp.exe"), "abc&lt;U+202E&gt;fdp.exe");
        assert_eq!(html("\u{2066}x\u{2069}"), "&lt;U+2066&gt;x&lt;U+2069&gt;");
    }

    #[test]
    fn markdown_escapes_syntax() {
        assert_eq!(
            markdown("<script>alert(1)</script>"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt;"
        );
        assert_eq!(markdown("a|b\nc"), "a\\|b c");
        assert_eq!(markdown("[x](javascript:y)"), "\\[x\\]\\(javascript:y\\)");
        assert_eq!(markdown("lodash 4.17.20"), "lodash 4.17.20");
        assert_eq!(markdown("*_`#"), "\\*\\_\\`\\#");
        assert_eq!(markdown("abc\u{202E}fdp.exe"), "abc&lt;U+202E&gt;fdp.exe");
    }

    #[test]
    fn clip_counts_characters() {
        assert_eq!(clip("abcdef", 3), "abc…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("éééé", 2), "éé…");
    }
}
