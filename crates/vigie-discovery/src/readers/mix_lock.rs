//! `mix.lock` (Elixir / Erlang, written by Mix).
//!
//! The file is an Elixir map literal, one entry per dependency, keyed by the
//! application name:
//!
//! ```text
//! %{
//!   "plug": {:hex, :plug, "1.11.1", "f2992...", [:mix], [{:mime, "~> 1.0", [hex: :mime, repo: "hexpm", optional: false]}], "hexpm", "2352..."},
//!   "foo": {:git, "https://github.com/org/foo.git", "fc94cce...", [branch: "main"]},
//! }
//! ```
//!
//! It is read by a small tolerant tokenizer and a bounded recursive-descent
//! reader of Elixir literals (maps, tuples, lists, keyword lists, strings,
//! atoms, bare words), not by a full Elixir parser: nothing is evaluated.
//!
//! * `:hex` entries are Hex components named by the package (the second
//!   element, which may differ from the application key), with their
//!   version; a repository other than `hexpm` (a private organisation
//!   `hexpm:org` or a self-hosted repo) is noted. The older short forms
//!   (`{:hex, :name, "1.0.0"}`) are read too. The dependency list gives the
//!   edges.
//! * `:git` entries have no version: they are unresolved components with a
//!   note naming the repository and the commit.
//! * Any other kind of entry is kept unresolved with a note.
//!
//! The file does not say which dependencies are direct, nor name the project.
//! A syntax error stops the reading at that point; the entries before it are
//! kept.

use std::borrow::Cow;
use std::collections::HashMap;

use vigie_model::{Code, Component, Ecosystem};

use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "mix-lock",
    description: "mix.lock (Elixir / Hex)",
    ecosystem: Some(Ecosystem::Hex),
    matches: |name| name == "mix.lock",
    sniff: None,
    read,
};

/// Nesting deeper than this is refused (real files nest four levels).
const MAX_DEPTH: u32 = 64;

/// An Elixir literal, as far as a lockfile needs it.
#[derive(Debug, Clone, PartialEq)]
enum Val<'a> {
    Str(Cow<'a, str>),
    Atom(Cow<'a, str>),
    Tuple(Vec<Val<'a>>),
    /// Keyword pairs `key: value` are kept as two-element tuples.
    List(Vec<Val<'a>>),
    Map(Vec<(Val<'a>, Val<'a>)>),
    /// Numbers, `true`, `false`, `nil` and other bare words.
    Word(&'a str),
}

impl<'a> Val<'a> {
    fn text(&self) -> Option<&str> {
        match self {
            Val::Str(s) | Val::Atom(s) => Some(s),
            _ => None,
        }
    }
}

struct SyntaxError {
    line: u32,
    message: String,
}

/// A map entry or list item: `key: value`, or a plain value.
enum Item<'a> {
    Keyword(Cow<'a, str>, Val<'a>),
    Value(Val<'a>),
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
    line: u32,
    depth: u32,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'@' | b'?' | b'!' | b'.' | b'+' | b'-')
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Parser<'a> {
        Parser {
            text,
            pos: 0,
            line: 1,
            depth: 0,
        }
    }

    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<u8> {
        self.bytes().get(self.pos + n).copied()
    }

    fn err<T>(&self, message: impl Into<String>) -> Result<T, SyntaxError> {
        Err(SyntaxError {
            line: self.line,
            message: message.into(),
        })
    }

    /// Skips blanks and `#` comments, counting lines.
    fn skip_ws(&mut self) {
        while let Some(b) = self.peek() {
            match b {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'#' => {
                    while let Some(c) = self.peek() {
                        if c == b'\n' {
                            break;
                        }
                        self.pos += 1;
                    }
                }
                _ => break,
            }
        }
    }

    /// Reads a `"..."` string; the opening quote is at `pos`.
    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        let start_line = self.line;
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        loop {
            let Some(b) = self.peek() else {
                return Err(SyntaxError {
                    line: start_line,
                    message: "unterminated string".to_owned(),
                });
            };
            match b {
                b'"' => {
                    let raw = &self.text[start..self.pos];
                    self.pos += 1;
                    return Ok(match owned {
                        Some(s) => Cow::Owned(s),
                        None => Cow::Borrowed(raw),
                    });
                }
                b'\\' => {
                    let s = owned.get_or_insert_with(|| self.text[start..self.pos].to_owned());
                    self.pos += 1;
                    // The escaped character, whole (it may be multi-byte).
                    let rest = &self.text[self.pos..];
                    let Some(c) = rest.chars().next() else {
                        continue;
                    };
                    s.push(match c {
                        'n' => '\n',
                        't' => '\t',
                        'r' => '\r',
                        other => other,
                    });
                    if c == '\n' {
                        self.line += 1;
                    }
                    self.pos += c.len_utf8();
                }
                _ => {
                    let rest = &self.text[self.pos..];
                    let c = rest.chars().next().unwrap_or('\0');
                    if c == '\n' {
                        self.line += 1;
                    }
                    if let Some(s) = owned.as_mut() {
                        s.push(c);
                    }
                    self.pos += c.len_utf8().max(1);
                }
            }
        }
    }

    fn word(&mut self) -> &'a str {
        let start = self.pos;
        while self.peek().is_some_and(is_word_byte) {
            self.pos += 1;
        }
        &self.text[start..self.pos]
    }

    /// True when a `:` directly follows and a blank follows it: the token
    /// just read was the key of a keyword pair.
    fn keyword_colon(&mut self) -> bool {
        if self.peek() == Some(b':') && self.peek_at(1).is_none_or(|b| b.is_ascii_whitespace()) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    /// One list item, map entry key or tuple element.
    fn item(&mut self) -> Result<Item<'a>, SyntaxError> {
        self.skip_ws();
        match self.peek() {
            Some(b'"') => {
                let s = self.string()?;
                if self.keyword_colon() {
                    let v = self.value()?;
                    Ok(Item::Keyword(s, v))
                } else {
                    Ok(Item::Value(Val::Str(s)))
                }
            }
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                let save = (self.pos, self.line);
                let w = self.word();
                if self.keyword_colon() {
                    let v = self.value()?;
                    Ok(Item::Keyword(Cow::Borrowed(w), v))
                } else {
                    (self.pos, self.line) = save;
                    Ok(Item::Value(self.value()?))
                }
            }
            _ => Ok(Item::Value(self.value()?)),
        }
    }

    fn value(&mut self) -> Result<Val<'a>, SyntaxError> {
        self.skip_ws();
        let Some(b) = self.peek() else {
            return self.err("unexpected end of file");
        };
        match b {
            b'%' if self.peek_at(1) == Some(b'{') => {
                self.pos += 2;
                self.nested(|p| p.map_body())
            }
            b'{' => {
                self.pos += 1;
                self.nested(|p| p.seq_body(b'}')).map(Val::Tuple)
            }
            b'[' => {
                self.pos += 1;
                self.nested(|p| p.seq_body(b']')).map(Val::List)
            }
            b'"' => Ok(Val::Str(self.string()?)),
            b':' => {
                self.pos += 1;
                match self.peek() {
                    Some(b'"') => Ok(Val::Atom(self.string()?)),
                    Some(c) if is_word_byte(c) => Ok(Val::Atom(Cow::Borrowed(self.word()))),
                    _ => self.err("expected an atom after `:`"),
                }
            }
            c if is_word_byte(c) => Ok(Val::Word(self.word())),
            c => self.err(format!("unexpected `{}`", c as char)),
        }
    }

    fn nested<T>(
        &mut self,
        f: impl FnOnce(&mut Self) -> Result<T, SyntaxError>,
    ) -> Result<T, SyntaxError> {
        if self.depth >= MAX_DEPTH {
            return self.err("nesting too deep");
        }
        self.depth += 1;
        let r = f(self);
        self.depth -= 1;
        r
    }

    /// Items of a tuple or list up to `close`, commas between, trailing comma allowed.
    fn seq_body(&mut self, close: u8) -> Result<Vec<Val<'a>>, SyntaxError> {
        let mut items = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(close) {
                self.pos += 1;
                return Ok(items);
            }
            items.push(match self.item()? {
                Item::Value(v) => v,
                Item::Keyword(k, v) => Val::Tuple(vec![Val::Atom(k), v]),
            });
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(c) if c == close => {}
                _ => return self.err(format!("expected `,` or `{}`", close as char)),
            }
        }
    }

    /// The entries of a `%{...}` after the opening brace.
    fn map_body(&mut self) -> Result<Val<'a>, SyntaxError> {
        let mut entries = Vec::new();
        loop {
            self.skip_ws();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(Val::Map(entries));
            }
            entries.push(self.entry()?.1);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return self.err("expected `,` or `}`"),
            }
        }
    }

    /// One `key: value` or `key => value` map entry, with the line of its key.
    #[allow(clippy::type_complexity)]
    fn entry(&mut self) -> Result<(u32, (Val<'a>, Val<'a>)), SyntaxError> {
        self.skip_ws();
        let line = self.line;
        match self.item()? {
            Item::Keyword(k, v) => Ok((line, (Val::Atom(k), v))),
            Item::Value(k) => {
                self.skip_ws();
                if self.peek() == Some(b'=') && self.peek_at(1) == Some(b'>') {
                    self.pos += 2;
                    let v = self.value()?;
                    Ok((line, (k, v)))
                } else {
                    self.err("expected `=>` or `key:` in a map")
                }
            }
        }
    }
}

/// One dependency of the lock, as read.
struct Entry<'a> {
    key: String,
    line: u32,
    value: Val<'a>,
}

/// Reads the top-level map entry by entry, so that an error keeps the
/// entries before it.
fn entries<'a>(text: &'a str, out: &mut Output) -> Vec<Entry<'a>> {
    let mut p = Parser::new(text);
    let mut found = Vec::new();
    p.skip_ws();
    if p.peek().is_none() {
        return found;
    }
    if !(p.peek() == Some(b'%') && p.peek_at(1) == Some(b'{')) {
        out.error(
            Code::InvalidSyntax,
            "a mix.lock is an Elixir map `%{...}`".to_owned(),
        )
        .line = Some(p.line);
        return found;
    }
    p.pos += 2;
    p.depth = 1;
    loop {
        p.skip_ws();
        if p.peek() == Some(b'}') {
            p.pos += 1;
            break;
        }
        match p.entry() {
            Ok((line, (k, value))) => {
                let key = k.text().unwrap_or_default().to_owned();
                found.push(Entry { key, line, value });
            }
            Err(e) => {
                out.error(
                    Code::InvalidSyntax,
                    format!("not a valid mix.lock entry: {}", e.message),
                )
                .line = Some(e.line);
                return found;
            }
        }
        p.skip_ws();
        match p.peek() {
            Some(b',') => p.pos += 1,
            Some(b'}') => {}
            _ => {
                out.error(Code::InvalidSyntax, "expected `,` or `}` after an entry")
                    .line = Some(p.line);
                return found;
            }
        }
    }
    p.skip_ws();
    if p.peek().is_some() {
        out.error(Code::InvalidSyntax, "unexpected text after the map")
            .line = Some(p.line);
    }
    found
}

fn read(input: &Input<'_>, out: &mut Output) {
    let entries = entries(input.text, out);
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut deps: Vec<(u32, Vec<&str>)> = Vec::new();
    for e in &entries {
        let line = Some(e.line);
        let Val::Tuple(t) = &e.value else {
            out.error(
                Code::UnexpectedContent,
                format!("the entry `{}` is not a tuple", e.key),
            )
            .line = line;
            continue;
        };
        let kind = match t.first() {
            Some(Val::Atom(a)) => a.as_ref(),
            _ => "",
        };
        let c = match kind {
            "hex" => {
                let name = t
                    .get(1)
                    .and_then(Val::text)
                    .filter(|n| !n.is_empty())
                    .unwrap_or(&e.key);
                let version = match t.get(2) {
                    Some(Val::Str(v)) => Some(v.trim()).filter(|v| !v.is_empty()),
                    _ => None,
                };
                let mut c = Component::new(Ecosystem::Hex, name, version).with_line(line);
                let repo = t.get(6).and_then(Val::text).filter(|r| *r != "hexpm");
                if version.is_none() {
                    c = c.with_note("no version in the lock");
                    out.warning(
                        Code::UnresolvedVersion,
                        format!("hex package `{name}` has no version"),
                    )
                    .line = line;
                } else if let Some(r) = repo {
                    c = c.with_note(format!("from the hex repository {r}"));
                }
                if let Some(Val::List(ds)) = t.get(5) {
                    let names = ds
                        .iter()
                        .filter_map(|d| match d {
                            Val::Tuple(dt) => dt.first().and_then(Val::text),
                            _ => None,
                        })
                        .collect();
                    deps.push((out.components.len() as u32, names));
                }
                c
            }
            "git" => {
                let url = t.get(1).and_then(Val::text).unwrap_or("(no url)");
                let mut note = format!("from git {url}");
                if let Some(sha) = t.get(2).and_then(Val::text) {
                    note.push_str(&format!(" at {sha}"));
                }
                out.warning(
                    Code::UnresolvedVersion,
                    format!("`{}` comes from git and has no version", e.key),
                )
                .line = line;
                Component::new(Ecosystem::Hex, e.key.as_str(), None)
                    .with_line(line)
                    .with_note(note)
            }
            other => {
                out.warning(
                    Code::UnresolvedVersion,
                    format!("`{}` has an unknown kind of source", e.key),
                )
                .line = line;
                let what = if other.is_empty() {
                    "an unknown source".to_owned()
                } else {
                    format!("source `:{other}`")
                };
                Component::new(Ecosystem::Hex, e.key.as_str(), None)
                    .with_line(line)
                    .with_note(format!("from {what}; no version"))
            }
        };
        let i = out.push(c);
        index.entry(e.key.as_str()).or_insert(i);
    }
    for (from, names) in deps {
        for n in names {
            if let Some(&to) = index.get(n) {
                out.depend(from, to);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_str(text: &str) -> Output {
        read_file_as(&READER, "mix.lock", text, &MemorySource::new())
    }

    #[test]
    fn hex_git_and_edges() {
        let text = r#"%{
  "ex_doc": {:hex, :ex_doc, "0.23.0", "a069", [:mix], [{:earmark_parser, "~> 1.4.0", [hex: :earmark_parser, repo: "hexpm", optional: false]}, {:missing, "~> 1.0", [hex: :missing, repo: "hexpm", optional: true]}], "hexpm", "f5e2"},
  "earmark_parser": {:hex, :earmark_parser, "1.4.10", "6603", [:mix], [], "hexpm", "8e2d"},
  "my_fork": {:hex, :real_name, "2.0.0", "aa", [:rebar3], [], "hexpm:acme", "bb"},
  "old": {:hex, :old, "0.1.0"},
  "foo": {:git, "https://github.com/my-org/foo.git", "fc94cce7830fa4dc455024bc2a83720afe244531", [branch: "feat/x"]},
  "weird": {:svn, "x"},
}
"#;
        let out = read_str(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("ex_doc", Some("0.23.0"), Some(2)),
                ("earmark_parser", Some("1.4.10"), Some(3)),
                ("real_name", Some("2.0.0"), Some(4)),
                ("old", Some("0.1.0"), Some(5)),
                ("foo", None, Some(6)),
                ("weird", None, Some(7)),
            ]
        );
        assert_eq!(out.dependencies, [(0, 1)]);
        assert_eq!(out.components[0].purl, "pkg:hex/ex_doc@0.23.0");
        assert_eq!(
            out.components[2].note.as_deref(),
            Some("from the hex repository hexpm:acme")
        );
        assert_eq!(
            out.components[4].note.as_deref(),
            Some(
                "from git https://github.com/my-org/foo.git at fc94cce7830fa4dc455024bc2a83720afe244531"
            )
        );
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [
                ("unresolved-version", Some(6)),
                ("unresolved-version", Some(7))
            ]
        );
    }

    #[test]
    fn broken_files_keep_what_was_read() {
        let text = "%{\n  \"a\": {:hex, :a, \"1.0.0\", \"h\", [:mix], [], \"hexpm\", \"h\"},\n  \"b\": {:hex, :b, \"1.0\n";
        let out = read_str(text);
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        assert_eq!(out.diagnostics[0].line, Some(3));

        let out = read_str("this is not a lock");
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");

        let out = read_str("%{\"a\": 1}");
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "unexpected-content");

        for empty in ["", "  \n", "%{}\n", "# comment\n%{\n}\n"] {
            let out = read_str(empty);
            assert!(
                out.components.is_empty() && out.diagnostics.is_empty(),
                "{empty:?}"
            );
        }
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut text = String::from("%{\"a\": ");
        text.push_str(&"{".repeat(100_000));
        let out = read_str(&text);
        assert!(out.components.is_empty());
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
    }

    #[test]
    fn literals() {
        let mut p = Parser::new(r#"[a: 1, "b": :"x y", c: %{:k => "v\"w"}, d: [true, nil]]"#);
        let v = p.value().ok();
        let pair = |k: &'static str, v: Val<'static>| Val::Tuple(vec![Val::Atom(k.into()), v]);
        assert_eq!(
            v,
            Some(Val::List(vec![
                pair("a", Val::Word("1")),
                pair("b", Val::Atom("x y".into())),
                pair(
                    "c",
                    Val::Map(vec![(Val::Atom("k".into()), Val::Str("v\"w".into()))])
                ),
                pair("d", Val::List(vec![Val::Word("true"), Val::Word("nil")])),
            ]))
        );
        // Multi-byte text and escapes never split a character.
        let mut p = Parser::new("\"é\\ü\"");
        assert_eq!(p.value().ok(), Some(Val::Str("éü".into())));
    }
}
