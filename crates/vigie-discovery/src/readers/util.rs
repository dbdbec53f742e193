//! Helpers shared by readers: parsing with located diagnostics.

use serde::de::DeserializeOwned;
use vigie_model::Code;

use crate::{Input, Output};

/// 1-based line of a byte offset in `text`.
pub use vigie_model::line_at;

/// Parses JSON; on failure records `invalid-syntax` with the line and returns `None`.
pub fn parse_json<T: DeserializeOwned>(input: &Input<'_>, out: &mut Output) -> Option<T> {
    match serde_json::from_str::<T>(input.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let line = (e.line() > 0).then_some(e.line() as u32);
            out.error(
                Code::InvalidSyntax,
                format!("not valid JSON for this format: {e}"),
            )
            .line = line;
            None
        }
    }
}

/// Parses JSON borrowing from the input text (zero-copy strings where possible); records
/// wrapped in `Lenient` are kept one by one when another does not read.
pub fn parse_json_borrowed<'a, T: serde::Deserialize<'a>>(
    text: &'a str,
    out: &mut Output,
) -> Option<T> {
    super::lenient::parse_json_lenient(text, out, |e, out| {
        let line = (e.line() > 0).then_some(e.line() as u32);
        out.error(
            Code::InvalidSyntax,
            format!("not valid JSON for this format: {e}"),
        )
        .line = line;
    })
}

/// Parses TOML; on failure records `invalid-syntax` with the line and returns `None`. For
/// manifests (`pyproject.toml`, `Cargo.toml`): a text over
/// [`super::toml_parts::MAX_PART_BYTES`] is refused unparsed, the TOML parser's tree of it
/// being about 45 times its size (locks are parsed a part at a time instead).
pub fn parse_toml<T: DeserializeOwned>(input: &Input<'_>, out: &mut Output) -> Option<T> {
    let max = super::toml_parts::MAX_PART_BYTES;
    if input.text.len() > max {
        out.error(
            Code::FileTooLarge,
            format!(
                "{} MiB: more than a manifest holds ({} MiB), not read",
                input.text.len() >> 20,
                max >> 20
            ),
        );
        return None;
    }
    match toml::from_str::<T>(input.text) {
        Ok(v) => Some(v),
        Err(e) => {
            toml_error(input.text, &e, out);
            None
        }
    }
}

/// Records `invalid-syntax` for a TOML error of `text`, with its line.
pub(super) fn toml_error(text: &str, e: &toml::de::Error, out: &mut Output) {
    out.error(
        Code::InvalidSyntax,
        format!("not valid TOML for this format: {}", e.message()),
    )
    .line = e.span().map(|s| line_at(text, s.start));
}

/// The most YAML nodes (scalars, mappings, sequences) read from a text of
/// `len` bytes: serde-saphyr's default, 250,000, or one node per two bytes
/// of text when that is more. A node of a lockfile takes at least two bytes
/// (a one-character scalar and what separates it from the next; pnpm's own
/// take about thirteen), so no file written by a package manager is refused,
/// however large (a monorepo's `pnpm-lock.yaml` of 300,000 lines is 1.2
/// million nodes); the text itself is bounded by the file size limit. An
/// alias bomb, whose nodes grow exponentially with its size, is refused by
/// the limits on aliases and on the events they copy, which stay
/// serde-saphyr's fixed defaults (a million recorded or replayed events).
pub(super) fn yaml_node_budget(len: usize) -> usize {
    (len / 2).max(250_000)
}

/// Parses YAML with serde-saphyr's default limits (alias-bomb and depth
/// budgets), the node budget in proportion to the text
/// ([`yaml_node_budget`]); on failure records `invalid-syntax` and returns
/// `None`.
pub fn parse_yaml<T: DeserializeOwned>(input: &Input<'_>, out: &mut Output) -> Option<T> {
    let nodes = yaml_node_budget(input.text.len());
    let options = serde_saphyr::options! {
        // Events are the nodes and the ends of collections: the default
        // ratio of four to one kept.
        budget: serde_saphyr::budget! {
            max_nodes: nodes,
            max_events: nodes.saturating_mul(4),
        },
    };
    match serde_saphyr::from_str_with_options::<T>(input.text, options) {
        Ok(v) => Some(v),
        Err(e) => {
            let msg = e.to_string();
            let line = yaml_error_line(&msg);
            let first = msg.lines().next().unwrap_or("").to_owned();
            out.error(
                Code::InvalidSyntax,
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
    out.error(Code::UnexpectedContent, what.to_owned());
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

/// For TOML lockfiles whose bulk is lists of files that no reader looks at
/// (uv's `sdist` and `wheels`, Poetry's `files`: over 85% of the bytes): a
/// copy of `text` where the values of `keys` written directly in a
/// `[[package]]` table are emptied, their bytes made spaces (newlines kept),
/// so that every offset and line stays where it was and the TOML parser
/// has nothing to build. The readers ignore these keys, so the result is
/// the same; the keys themselves stay (a duplicate is still an error).
///
/// Only values of a shape checked here to be valid TOML wherever a value may
/// be are emptied: arrays of one-line inline tables whose values are
/// strings without escapes or small integers (what uv and Poetry write).
/// The pass follows strings, comments and brackets to know where a line
/// starts a statement; it gives up (`None`, parse the text as it is) on
/// multi-line strings or anything it does not follow, and gives `None` when
/// nothing was emptied.
pub fn blank_toml_values(text: &str, keys: &[&str]) -> Option<String> {
    let b = text.as_bytes();
    let mut blanks: Vec<(usize, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut in_package = false;
    let mut line_start = true;
    let mut i = 0;
    while i < b.len() {
        if line_start && depth == 0 {
            line_start = false;
            while matches!(b.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            let rest = b.get(i..).unwrap_or_default();
            if rest.first() == Some(&b'[') {
                in_package = is_package_header(rest);
            } else if in_package
                && let Some((value, end)) = keys.iter().find_map(|k| blankable_value(rest, k))
            {
                blanks.push((i + value + 1, i + end - 1));
                i += end;
            }
            continue;
        }
        match b.get(i).copied().unwrap_or_default() {
            b'"' => {
                if b.get(i..i + 3) == Some(b"\"\"\"") {
                    return None;
                }
                i += 1;
                loop {
                    match b.get(i)? {
                        b'\\' => i += 2,
                        b'"' => break,
                        b'\n' => return None,
                        _ => i += 1,
                    }
                }
            }
            b'\'' => {
                if b.get(i..i + 3) == Some(b"'''") {
                    return None;
                }
                i += 1;
                loop {
                    match b.get(i)? {
                        b'\'' => break,
                        b'\n' => return None,
                        _ => i += 1,
                    }
                }
            }
            b'#' => {
                while b.get(i + 1).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.checked_sub(1)?,
            b'\n' => line_start = true,
            _ => {}
        }
        i += 1;
    }
    if blanks.is_empty() {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    let mut from = 0;
    for (start, end) in blanks {
        out.extend_from_slice(b.get(from..start)?);
        out.extend(b.get(start..end)?.iter().map(|&c| match c {
            b'\n' | b'\r' => c,
            _ => b' ',
        }));
        from = end;
    }
    out.extend_from_slice(b.get(from..)?);
    String::from_utf8(out).ok()
}

/// Whether a line (from its `[`) is exactly the header `[[package]]`.
fn is_package_header(line: &[u8]) -> bool {
    let Some(rest) = line.strip_prefix(b"[[package]]") else {
        return false;
    };
    let rest = rest.get(spaces(rest, 0)..).unwrap_or_default();
    rest.is_empty()
        || rest.starts_with(b"#")
        || rest.starts_with(b"\n")
        || rest.starts_with(b"\r\n")
}

/// `key = <value>` at the start of `line`, the value of the shape
/// [`blank_toml_values`] empties: the offsets of the value's opening
/// bracket and just past its closing one.
fn blankable_value(line: &[u8], key: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix(key.as_bytes())?;
    if !matches!(rest.first(), Some(b' ' | b'\t' | b'=')) {
        return None;
    }
    let mut i = key.len();
    i += spaces(line, i);
    if line.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    i += spaces(line, i);
    let start = i;
    match line.get(i)? {
        b'{' => i = inline_table(line, i)?,
        b'[' => {
            i += 1;
            loop {
                // Whitespace and newlines (CRLF, never a lone CR) between items.
                loop {
                    match line.get(i)? {
                        b' ' | b'\t' | b'\n' => i += 1,
                        b'\r' if line.get(i + 1) == Some(&b'\n') => i += 2,
                        _ => break,
                    }
                }
                match line.get(i)? {
                    b']' => break,
                    b'{' => i = inline_table(line, i)?,
                    _ => return None,
                }
                i += spaces(line, i);
                match line.get(i)? {
                    b',' => i += 1,
                    b']' => break,
                    _ => return None,
                }
            }
            i += 1;
        }
        _ => return None,
    }
    Some((start, i))
}

/// How many spaces and tabs `b` has from `from`.
fn spaces(b: &[u8], from: usize) -> usize {
    b.get(from..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&c| c == b' ' || c == b'\t')
        .count()
}

/// A one-line inline table `{ k = "v", n = 12 }` of distinct bare keys whose
/// values are strings without escapes or control characters, or integers
/// of up to 18 digits: the offset just past its `}`.
fn inline_table(b: &[u8], open: usize) -> Option<usize> {
    let mut i = open + 1;
    let mut keys: Vec<&[u8]> = Vec::new();
    i += spaces(b, i);
    if b.get(i) == Some(&b'}') {
        return Some(i + 1);
    }
    loop {
        let key_len = b
            .get(i..)?
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
            .count();
        let key = b.get(i..i + key_len)?;
        if key.is_empty() || keys.contains(&key) || keys.len() >= 16 {
            return None;
        }
        keys.push(key);
        i += key_len;
        i += spaces(b, i);
        if b.get(i) != Some(&b'=') {
            return None;
        }
        i += 1;
        i += spaces(b, i);
        match b.get(i)? {
            b'"' => {
                i += 1;
                loop {
                    match b.get(i)? {
                        b'"' => break,
                        b'\\' | 0..=0x1F | 0x7F => return None,
                        _ => i += 1,
                    }
                }
                i += 1;
            }
            b'0' => i += 1,
            b'1'..=b'9' => {
                let digits = b
                    .get(i..)?
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                if digits > 18 {
                    return None;
                }
                i += digits;
            }
            _ => return None,
        }
        i += spaces(b, i);
        match b.get(i)? {
            b',' => {
                i += 1;
                i += spaces(b, i);
            }
            b'}' => return Some(i + 1),
            _ => return None,
        }
    }
}

/// Test support for readers that empty file lists: the reference data
/// folder, and random edits of a text.
#[cfg(test)]
pub(crate) mod testing {
    use std::path::PathBuf;

    /// The shared reference data (as `vigie-testkit` finds it); `None` when
    /// it is absent, a failure when `VIGIE_REQUIRE_DATA=1`.
    pub(crate) fn data_dir() -> Option<PathBuf> {
        let dir = match std::env::var_os("VIGIE_DATA") {
            Some(d) => PathBuf::from(d),
            None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        };
        if dir.join("SOURCES.md").is_file() {
            return Some(dir);
        }
        let required = std::env::var("VIGIE_REQUIRE_DATA").is_ok_and(|v| v == "1");
        assert!(!required, "reference data not found at {}", dir.display());
        eprintln!(
            "\n!!! SKIPPED: reference data not found at {} !!!\n",
            dir.display()
        );
        None
    }

    /// Every file named `name` below `dir`, sorted.
    pub(crate) fn files_named(dir: &std::path::Path, name: &str) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![dir.to_path_buf()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|n| n == name) {
                    out.push(p);
                }
            }
        }
        out.sort();
        out
    }

    /// `text` with one to `edits` random insertions, deletions and
    /// replacements of the pieces that matter to TOML's structure.
    pub(crate) fn mutate(text: &str, state: &mut u64, edits: u64) -> String {
        const PIECES: [&str; 18] = [
            "\"",
            "'",
            "[",
            "]",
            "{",
            "}",
            "#",
            "\n",
            "\r",
            "=",
            ",",
            " ",
            "\\",
            "a",
            "1",
            "\"\"\"",
            "[[package]]\n",
            "wheels = [",
        ];
        let mut next = || {
            *state ^= *state << 13;
            *state ^= *state >> 7;
            *state ^= *state << 17;
            *state
        };
        let mut t: Vec<char> = text.chars().collect();
        for _ in 0..=next() % edits {
            let at = (next() % (t.len() as u64 + 1)) as usize;
            let piece = PIECES[(next() % PIECES.len() as u64) as usize];
            match next() % 3 {
                0 => {
                    t.splice(at..at, piece.chars());
                }
                1 if at < t.len() => {
                    t.remove(at);
                }
                _ if at < t.len() => {
                    t.splice(at..at + 1, piece.chars());
                }
                _ => {}
            }
        }
        t.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_lists_are_emptied_in_place() {
        let text = "version = 1\n\n[[package]]\nname = \"a\"\nsdist = { url = \"https://h/a.tar.gz\", hash = \"sha256:00\", size = 7288, upload-time = \"2025-11-10T22:07:42.062Z\" }\nwheels = [\n    { url = \"https://h/a-é.whl\", size = 0 },\r\n    {},\n]\ndependencies = [{ name = \"b\" }]\n\n[package.optional-dependencies]\nwheels = [{ name = \"c\" }]\n";
        let got = blank_toml_values(text, &["sdist", "wheels"]).unwrap();
        assert_eq!(got.len(), text.len());
        assert_eq!(got.matches('\n').count(), text.matches('\n').count());
        assert!(got.contains("sdist = {"));
        assert!(!got.contains("a.tar.gz") && !got.contains("a-é.whl"));
        assert!(got.contains("\r\n"));
        // The same key in another table is kept.
        assert!(got.ends_with("[package.optional-dependencies]\nwheels = [{ name = \"c\" }]\n"));
        assert!(got.contains("dependencies = [{ name = \"b\" }]"));
    }

    #[test]
    fn only_values_of_the_known_shape_are_emptied() {
        let keep = [
            // Not in a [[package]] table, or not the header exactly.
            "[manifest]\nwheels = [{ a = \"b\" }]\n",
            "[[ package ]]\nwheels = [{ a = \"b\" }]\n",
            "wheels = [{ a = \"b\" }]\n",
            // Escapes, dates, signs, floats, leading zeros, underscores, too
            // many digits, nested values, comments, a lone CR, duplicate
            // keys, tables over several lines, trailing commas in tables,
            // bare values, unclosed arrays, dotted and longer keys.
            "[[package]]\nwheels = [{ a = \"b\\\"\" }]\n",
            "[[package]]\nwheels = [{ a = 2025-01-01 }]\n",
            "[[package]]\nwheels = [{ a = +1 }]\n",
            "[[package]]\nwheels = [{ a = 1.5 }]\n",
            "[[package]]\nwheels = [{ a = 01 }]\n",
            "[[package]]\nwheels = [{ a = 1_000 }]\n",
            "[[package]]\nwheels = [{ a = 1234567890123456789 }]\n",
            "[[package]]\nwheels = [{ a = [] }]\n",
            "[[package]]\nwheels = [{ a = { b = 1 } }]\n",
            "[[package]]\nwheels = [ # c\n{ a = 1 }]\n",
            "[[package]]\nwheels = [{ a = 1 }\r]\n",
            "[[package]]\nwheels = [{ a = 1, a = 2 }]\n",
            "[[package]]\nwheels = [{ a = 1,\n b = 2 }]\n",
            "[[package]]\nwheels = [{ a = 1, }]\n",
            "[[package]]\nwheels = [\"x\"]\n",
            "[[package]]\nwheels = [{ a = 1 }\n",
            "[[package]]\nwheels.x = [{ a = 1 }]\n",
            "[[package]]\nwheelsx = [{ a = 1 }]\n",
            // Multi-line strings: the pass gives up.
            "[[package]]\nd = \"\"\"\nwheels = [{ a = 1 }]\n\"\"\"\nwheels = [{ a = 1 }]\n",
            "[[package]]\nd = '''\nx'''\nwheels = [{ a = 1 }]\n",
            // Inside a value that spans lines, a line does not start a key.
            "[[package]]\nd = [\nwheels = [{ a = 1 }]\n]\n",
        ];
        for text in keep {
            assert_eq!(blank_toml_values(text, &["wheels"]), None, "{text:?}");
        }
        let emptied = [
            "[[package]]\nwheels = [{ a = 1 }]\n",
            "[[package]] # c\n  wheels\t=\t[ {}, { a-b_C = \"x y\" , n = 0 } , ]",
            "[[package]]\r\nwheels = [{ a = 1 }]\r\n",
            "[a]\nwheels = 1\n[[package]]\nx = \"[{\"\ny = '#['\nwheels = {}\n",
        ];
        for text in emptied {
            let got = blank_toml_values(text, &["wheels"]);
            assert!(
                got.as_ref().is_some_and(|g| g.len() == text.len()),
                "{text:?}: {got:?}"
            );
        }
    }

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
