//! Text from inputs made safe to show: folder names, package names and summaries come from
//! repositories anyone may write to.

use std::borrow::Cow;

/// The bidirectional embedding, override and isolate controls (U+202A–U+202E,
/// U+2066–U+2069): invisible, they reorder what follows them ("Trojan Source").
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// How a bidirectional control is shown: its code point, `U+202E`.
pub fn code_point(c: char) -> String {
    format!("U+{:04X}", c as u32)
}

/// `text` with every control character (ESC, BEL, line breaks…) shown as `?` and every
/// bidirectional control as its visible code point (`<U+202E>`): what a terminal, a table
/// cell or a heading may show of an input. Writers to HTML or Markdown escape the result
/// (`<` included) as they escape any text.
pub fn printable(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() || is_bidi_control(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if is_bidi_control(c) {
            out.push('<');
            out.push_str(&code_point(c));
            out.push('>');
        } else if c.is_control() {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_osc_and_bidi_controls_are_neutralised() {
        assert_eq!(printable("plain"), "plain");
        assert_eq!(printable("x\x1b[2J\x1b]0;pwned\x07"), "x?[2J?]0;pwned?");
        assert_eq!(
            printable("\x1b]8;;https://evil/\x1b\\link\x1b]8;;\x1b\\"),
            "?]8;;https://evil/?\\link?]8;;?\\"
        );
        assert_eq!(printable("abc\u{202E}fdp.exe"), "abc<U+202E>fdp.exe");
        assert_eq!(printable("\u{2066}a\u{2069}"), "<U+2066>a<U+2069>");
    }
}
