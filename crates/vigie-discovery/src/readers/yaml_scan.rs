//! A line scanner for the regular YAML that package managers write
//! (`pnpm-lock.yaml`, yarn berry's `yarn.lock`): block mappings indented by
//! spaces, one `key: value` per line, plain or one-line quoted scalars,
//! one-line flow collections (`{integrity: sha512-...}`, `[x64]`) and block
//! sequences of scalars. It borrows from the text and allocates only for
//! `''` in single-quoted values.
//!
//! For that subset it gives what serde-saphyr (with its default options)
//! gives, and it declines ([`Decline`]) at the first thing outside it, so
//! that the caller parses the file with serde-saphyr instead: anchors,
//! aliases, tags, block scalars, multi-line scalars, backslashes in double
//! quotes, comments after a key or value, document markers, tabs, non-ASCII
//! or control bytes, odd indentation, duplicate keys, keys that YAML would
//! not read as strings, values whose type matters and is not plainly a
//! string, non-finite floats where serde-saphyr refuses them, and documents
//! near serde-saphyr's node budget or nesting limit. Correctness never
//! depends on the scanner; the readers' tests check that both ways agree.
//!
//! Readers walk the document with callbacks: [`Cursor::document`] and
//! [`Cursor::map`] call back once per entry, and the callback reads the
//! entry's value with a typed method ([`Cursor::opt_str`], [`Cursor::map`],
//! ...). A value the callback does not read is skipped, and still checked.

use crate::hash::HashSet;
use std::borrow::Cow;

/// The scanner does not read this text: use the general parser.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Decline;

pub(super) type Scan<T> = Result<T, Decline>;

/// How far below the general parser's node budget
/// ([`util::yaml_node_budget`](super::util::yaml_node_budget)) the scanner
/// declines, so that near it the answer stays the general parser's.
const NODE_MARGIN: usize = 1_000;
/// Deepest nesting read (the formats need five levels; serde-saphyr's limit
/// is 64).
const MAX_DEPTH: usize = 24;
/// serde-saphyr refuses implicit keys longer than 1024 characters.
const MAX_KEY: usize = 1000;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Style {
    Plain,
    Single,
    Double,
}

/// A scalar as written: `raw` is the text between the quotes, if any.
#[derive(Clone, Copy, Debug)]
struct Scalar<'a> {
    raw: &'a str,
    style: Style,
}

impl<'a> Scalar<'a> {
    fn text(&self) -> Cow<'a, str> {
        if self.style == Style::Single && self.raw.contains("''") {
            Cow::Owned(self.raw.replace("''", "'"))
        } else {
            Cow::Borrowed(self.raw)
        }
    }

    /// A plain null: serde-saphyr gives `None` for an `Option<String>`.
    fn is_null(&self) -> bool {
        self.style == Style::Plain && matches!(self.raw, "" | "~" | "null" | "Null" | "NULL")
    }

    /// Whether `deserialize_any` certainly gives a string (not a number,
    /// boolean or null).
    fn is_string(&self) -> bool {
        self.style != Style::Plain
            || !(self.is_null() || is_bool_like(self.raw) || maybe_number(self.raw))
    }

    /// Whether serde-saphyr skips it without error (non-finite floats are
    /// refused even when ignored).
    fn ignorable(&self) -> bool {
        self.style != Style::Plain || !maybe_number(self.raw) || is_short_decimal(self.raw)
    }
}

/// The booleans of serde-saphyr's resolver (YAML 1.1 spellings, any case).
fn is_bool_like(s: &str) -> bool {
    s.len() <= 5
        && ["true", "false", "yes", "no", "on", "off", "y", "n"]
            .iter()
            .any(|b| s.eq_ignore_ascii_case(b))
}

/// Whether a plain scalar may resolve to a number: a wider net than
/// serde-saphyr's resolver (`1e`, `1__0` are strings there, numbers here).
fn maybe_number(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    let b = t.as_bytes();
    if b.len() >= 2 && b[0] == b'0' && matches!(b[1], b'x' | b'o' | b'b' | b'X' | b'O' | b'B') {
        return true;
    }
    if let Some(rest) = t.strip_prefix('.')
        && (rest.eq_ignore_ascii_case("inf") || rest.eq_ignore_ascii_case("nan"))
    {
        return true;
    }
    let mut i = 0;
    let mut digits = false;
    let run = |i: &mut usize, digits: &mut bool| {
        while let Some(&c) = b.get(*i) {
            if c.is_ascii_digit() {
                *digits = true;
            } else if c != b'_' {
                break;
            }
            *i += 1;
        }
    };
    run(&mut i, &mut digits);
    if b.get(i) == Some(&b'.') {
        i += 1;
        run(&mut i, &mut digits);
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    digits && i == b.len()
}

/// `12`, `-3`, `5.4`: numbers that are certainly finite.
fn is_short_decimal(s: &str) -> bool {
    let t = s.strip_prefix(['+', '-']).unwrap_or(s);
    t.len() <= 30
        && t.bytes().filter(|&b| b == b'.').count() <= 1
        && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && t.bytes().any(|b| b.is_ascii_digit())
}

/// Where a plain scalar may start: no indicator (`-?:,[]{}#&*!|>'"%@` and
/// backquote), nothing unusual.
fn safe_start(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'/' | b'.' | b'_' | b'~' | b'^' | b'<' | b'=' | b'+' | b'$' | b'(' | b')' | b';'
        )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Context {
    Block,
    Flow,
}

/// A plain scalar (already cut at its end) that reads as itself: a safe
/// first character, no ` #` (a comment), no `: ` or final `:` (a mapping),
/// no brackets or braces, no comma in a flow collection.
fn check_plain(raw: &str, context: Context) -> Scan<()> {
    let b = raw.as_bytes();
    if !b.first().is_some_and(|&c| safe_start(c)) || b.last() == Some(&b':') {
        return Err(Decline);
    }
    // Most scalars (versions, hashes, names) have none of the bytes that
    // matter: one pass without early exit (it vectorises), then the details.
    let special = b.iter().fold(false, |acc, &c| {
        acc | matches!(c, b' ' | b'#' | b',' | b':' | b'[' | b']' | b'{' | b'}')
    });
    if !special {
        return Ok(());
    }
    let mut prev = 0u8;
    for &c in b {
        let bad = match c {
            b'#' => prev == b' ',
            b' ' => prev == b':',
            b'[' | b']' | b'{' | b'}' => true,
            b',' => context == Context::Flow,
            _ => false,
        };
        if bad {
            return Err(Decline);
        }
        prev = c;
    }
    if prev == b' ' {
        return Err(Decline);
    }
    Ok(())
}

/// A key that serde-saphyr reads as this string, and that cannot clash with
/// another spelling (integer keys compare by value).
fn check_key(key: Scalar<'_>) -> Scan<()> {
    let ok = key.raw.len() <= MAX_KEY
        && match key.style {
            Style::Plain => !key.is_null() && !maybe_number(key.raw) && key.raw != "<<",
            // Keys are borrowed: no `''` to unescape.
            Style::Single => !key.raw.contains('\''),
            Style::Double => true,
        };
    if ok { Ok(()) } else { Err(Decline) }
}

/// The first `byte` of `b` (a plain loop: faster than `memchr` on the short
/// stretches of a line).
fn position(b: &[u8], byte: u8) -> Option<usize> {
    b.iter().position(|&c| c == byte)
}

/// A quoted scalar at the start of `s` (one line, no escapes), and what
/// follows it.
fn quoted(s: &str) -> Scan<(Scalar<'_>, &str)> {
    let b = s.as_bytes();
    match b.first() {
        Some(b'"') => {
            let end = 1 + b[1..]
                .iter()
                .position(|&c| c == b'"' || c == b'\\')
                .ok_or(Decline)?;
            if b[end] != b'"' {
                return Err(Decline); // an escape
            }
            let raw = &s[1..end];
            Ok((
                Scalar {
                    raw,
                    style: Style::Double,
                },
                &s[end + 1..],
            ))
        }
        Some(b'\'') => {
            let mut from = 1;
            loop {
                let end = from + position(&b[from..], b'\'').ok_or(Decline)?;
                if b.get(end + 1) == Some(&b'\'') {
                    from = end + 2;
                    continue;
                }
                return Ok((
                    Scalar {
                        raw: &s[1..end],
                        style: Style::Single,
                    },
                    &s[end + 1..],
                ));
            }
        }
        _ => Err(Decline),
    }
}

/// A value as written after `key: ` or `- `.
#[derive(Clone, Copy, Debug)]
enum Value<'a> {
    Scalar(Scalar<'a>),
    /// Between the braces.
    FlowMap(&'a str),
    /// Between the brackets.
    FlowSeq(&'a str),
}

/// A block value: `v` has no leading space and is not empty.
fn block_value(v: &str) -> Scan<Value<'_>> {
    match v.as_bytes().first() {
        Some(b'"' | b'\'') => {
            let (s, rest) = quoted(v)?;
            if rest.bytes().any(|b| b != b' ') {
                return Err(Decline);
            }
            Ok(Value::Scalar(s))
        }
        Some(b'{') => {
            let inner = v.trim_end_matches(' ').strip_suffix('}').ok_or(Decline)?;
            Ok(Value::FlowMap(&inner[1..]))
        }
        Some(b'[') => {
            let inner = v.trim_end_matches(' ').strip_suffix(']').ok_or(Decline)?;
            Ok(Value::FlowSeq(&inner[1..]))
        }
        _ => {
            let raw = v.trim_end_matches(' ');
            check_plain(raw, Context::Block)?;
            Ok(Value::Scalar(Scalar {
                raw,
                style: Style::Plain,
            }))
        }
    }
}

/// A scalar inside a flow collection, at the start of `s`, and what follows
/// it. A key ends at `: `, a value at `,` or the end.
fn flow_scalar(s: &str, key: bool) -> Scan<(Scalar<'_>, &str)> {
    if s.starts_with(['"', '\'']) {
        return quoted(s);
    }
    let b = s.as_bytes();
    let end = if key {
        // `: `, with no comma before it.
        let mut i = 0;
        loop {
            match b.get(i) {
                Some(b':') if b.get(i + 1) == Some(&b' ') => break i,
                Some(b',') | None => return Err(Decline),
                Some(_) => i += 1,
            }
        }
    } else {
        position(b, b',').unwrap_or(b.len())
    };
    let raw = &s[..end];
    let raw = if key { raw } else { raw.trim_end_matches(' ') };
    check_plain(raw, Context::Flow)?;
    Ok((
        Scalar {
            raw,
            style: Style::Plain,
        },
        &s[end..],
    ))
}

#[derive(Clone, Copy, Debug)]
enum Kind<'a> {
    /// `key:` and the value on the same line, if any.
    Entry(Scalar<'a>, Option<Value<'a>>),
    /// `- value`.
    Item(Value<'a>),
}

#[derive(Clone, Copy, Debug)]
struct Line<'a> {
    no: u32,
    indent: usize,
    kind: Kind<'a>,
}

/// One line; `None` for a blank or comment line.
fn lex(line: &str, no: u32) -> Scan<Option<Line<'_>>> {
    let indent = line.bytes().take_while(|&b| b == b' ').count();
    let content = &line[indent..];
    let Some(&first) = content.as_bytes().first() else {
        return Ok(None);
    };
    if first == b'#' {
        return Ok(None);
    }
    if indent == 0 && content.starts_with("...") {
        return Err(Decline); // the end of the document (`---` is declined below)
    }
    if first == b'-' {
        // `- value`; `-` alone (a nested block) and `-x` are not read.
        let v = content
            .strip_prefix("- ")
            .ok_or(Decline)?
            .trim_start_matches(' ');
        if v.is_empty() {
            return Err(Decline);
        }
        let kind = Kind::Item(block_value(v)?);
        return Ok(Some(Line { no, indent, kind }));
    }
    let (key, rest) = if first == b'"' || first == b'\'' {
        let (key, rest) = quoted(content)?;
        (key, rest.strip_prefix(':').ok_or(Decline)?)
    } else {
        // The key ends at the first `:` followed by a space or the end.
        let b = content.as_bytes();
        let end = (0..b.len())
            .find(|&i| b[i] == b':' && matches!(b.get(i + 1), None | Some(b' ')))
            .ok_or(Decline)?;
        let raw = &content[..end];
        check_plain(raw, Context::Block)?;
        let key = Scalar {
            raw,
            style: Style::Plain,
        };
        (key, &content[end + 1..])
    };
    check_key(key)?;
    let value = if rest.is_empty() {
        None
    } else {
        let v = rest
            .strip_prefix(' ')
            .ok_or(Decline)?
            .trim_start_matches(' ');
        match v.as_bytes().first() {
            None => None,
            Some(b'#') => return Err(Decline),
            Some(_) => Some(block_value(v)?),
        }
    };
    Ok(Some(Line {
        no,
        indent,
        kind: Kind::Entry(key, value),
    }))
}

/// One entry of a mapping, given to a reader's callback. Its value is read
/// with one of the [`Cursor`] methods, or skipped.
#[derive(Clone, Copy, Debug)]
pub(super) struct Entry<'a> {
    /// The key (quotes removed).
    pub key: &'a str,
    /// 1-based line of the key.
    pub line: u32,
    value: Option<Value<'a>>,
    indent: usize,
}

/// What follows a `key:` with nothing after it.
enum Nested {
    Null,
    Map(usize),
    Seq(usize),
}

/// Keys seen in one mapping (duplicates are an error for serde-saphyr).
/// pnpm and yarn write keys in byte order, where a key above the last one
/// is new; out of order, keys are searched for.
struct Keys<'a> {
    small: [&'a str; 8],
    len: usize,
    spill: Vec<&'a str>,
    sorted: bool,
    set: Option<HashSet<&'a str>>,
}

impl<'a> Keys<'a> {
    fn new() -> Keys<'a> {
        Keys {
            small: [""; 8],
            len: 0,
            spill: Vec::new(),
            sorted: true,
            set: None,
        }
    }

    fn insert(&mut self, key: &'a str) -> Scan<()> {
        if let Some(set) = &mut self.set {
            return if set.insert(key) {
                Ok(())
            } else {
                Err(Decline)
            };
        }
        let last = match self.spill.last() {
            Some(&l) => Some(l),
            None => self.len.checked_sub(1).map(|i| self.small[i]),
        };
        if self.sorted && last.is_some_and(|l| key <= l) {
            self.sorted = false;
        }
        if !self.sorted {
            let seen = self.small[..self.len].iter().chain(&self.spill);
            if self.len + self.spill.len() < 32 {
                if seen.clone().any(|&k| k == key) {
                    return Err(Decline);
                }
            } else {
                let mut set: HashSet<&'a str> = seen.copied().collect();
                if !set.insert(key) {
                    return Err(Decline);
                }
                self.set = Some(set);
                return Ok(());
            }
        }
        if self.len < self.small.len() {
            self.small[self.len] = key;
            self.len += 1;
        } else {
            self.spill.push(key);
        }
        Ok(())
    }
}

/// Reads a document line by line; see the module documentation.
pub(super) struct Cursor<'a> {
    text: &'a str,
    pos: usize,
    /// Number of the line at `pos`.
    no: u32,
    /// The next significant line, once lexed (`Some(None)`: the end).
    peeked: Option<Option<Line<'a>>>,
    nodes: usize,
    /// The most nodes read before declining.
    max_nodes: usize,
    depth: usize,
    /// Whether the callback read the value of its entry.
    consumed: bool,
}

impl<'a> Cursor<'a> {
    /// Declines texts with bytes outside printable ASCII (tabs, a BOM,
    /// control characters, UTF-8), or a carriage return not before `\n`.
    pub(super) fn new(text: &'a str) -> Scan<Cursor<'a>> {
        let bytes = text.as_bytes();
        // No early exit: the loop vectorises.
        let odd = bytes.iter().fold(false, |odd, &b| {
            odd | ((b < 0x20 && b != b'\n' && b != b'\r') || b >= 0x7f)
        });
        if odd {
            return Err(Decline);
        }
        if bytes.contains(&b'\r') {
            let lone = bytes
                .iter()
                .enumerate()
                .any(|(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if lone {
                return Err(Decline);
            }
        }
        Ok(Cursor {
            text,
            pos: 0,
            no: 1,
            peeked: None,
            nodes: 0,
            max_nodes: super::util::yaml_node_budget(text.len()) - NODE_MARGIN,
            depth: 0,
            consumed: false,
        })
    }

    fn peek(&mut self) -> Scan<Option<Line<'a>>> {
        if let Some(line) = self.peeked {
            return Ok(line);
        }
        let line = self.lex_next()?;
        self.peeked = Some(line);
        Ok(line)
    }

    fn bump(&mut self) {
        self.peeked = None;
    }

    fn lex_next(&mut self) -> Scan<Option<Line<'a>>> {
        while self.pos < self.text.len() {
            let rest = &self.text[self.pos..];
            let (line, len) = match position(rest.as_bytes(), b'\n') {
                Some(i) => (&rest[..i], i + 1),
                None => (rest, rest.len()),
            };
            self.pos += len;
            let no = self.no;
            self.no = self.no.checked_add(1).ok_or(Decline)?;
            let line = line.strip_suffix('\r').unwrap_or(line);
            if let Some(l) = lex(line, no)? {
                return Ok(Some(l));
            }
        }
        Ok(None)
    }

    fn node(&mut self) -> Scan<()> {
        self.nodes += 1;
        if self.nodes > self.max_nodes {
            return Err(Decline);
        }
        Ok(())
    }

    fn enter(&mut self) -> Scan<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Decline);
        }
        self.node()
    }

    /// Reads the document: a mapping at the left margin, whose entries are
    /// given to `f`. An empty document, or any other, is declined.
    pub(super) fn document<F>(mut self, mut f: F) -> Scan<()>
    where
        F: FnMut(&mut Cursor<'a>, Entry<'a>) -> Scan<()>,
    {
        match self.peek()? {
            Some(Line {
                indent: 0,
                kind: Kind::Entry(..),
                ..
            }) => {}
            _ => return Err(Decline),
        }
        self.block_map(0, &mut f)?;
        match self.peek()? {
            None => Ok(()),
            Some(_) => Err(Decline),
        }
    }

    fn block_map<F>(&mut self, indent: usize, f: &mut F) -> Scan<()>
    where
        F: FnMut(&mut Cursor<'a>, Entry<'a>) -> Scan<()>,
    {
        self.enter()?;
        let mut keys = Keys::new();
        while let Some(line) = self.peek()? {
            if line.indent < indent {
                break;
            }
            let Kind::Entry(key, value) = line.kind else {
                return Err(Decline);
            };
            if line.indent > indent {
                return Err(Decline);
            }
            self.bump();
            self.node()?;
            keys.insert(key.raw)?;
            let e = Entry {
                key: key.raw,
                line: line.no,
                value,
                indent,
            };
            self.call(e, f)?;
        }
        self.depth -= 1;
        Ok(())
    }

    fn call<F>(&mut self, e: Entry<'a>, f: &mut F) -> Scan<()>
    where
        F: FnMut(&mut Cursor<'a>, Entry<'a>) -> Scan<()>,
    {
        self.consumed = false;
        f(self, e)?;
        if !self.consumed {
            self.skip(e)?;
        }
        Ok(())
    }

    fn flow_map<F>(&mut self, inner: &'a str, line: u32, f: &mut F) -> Scan<()>
    where
        F: FnMut(&mut Cursor<'a>, Entry<'a>) -> Scan<()>,
    {
        self.enter()?;
        let mut keys = Keys::new();
        let mut s = inner.trim_start_matches(' ');
        while !s.is_empty() {
            let (key, rest) = flow_scalar(s, true)?;
            check_key(key)?;
            let rest = rest.strip_prefix(": ").ok_or(Decline)?;
            let (value, rest) = flow_scalar(rest.trim_start_matches(' '), false)?;
            self.node()?;
            keys.insert(key.raw)?;
            let e = Entry {
                key: key.raw,
                line,
                value: Some(Value::Scalar(value)),
                indent: usize::MAX,
            };
            self.call(e, f)?;
            s = match rest.trim_start_matches(' ') {
                "" => "",
                r => {
                    let next = r.strip_prefix(',').ok_or(Decline)?.trim_start_matches(' ');
                    if next.is_empty() {
                        return Err(Decline); // a trailing comma
                    }
                    next
                }
            };
        }
        self.depth -= 1;
        Ok(())
    }

    fn flow_seq(&mut self, inner: &'a str) -> Scan<()> {
        self.enter()?;
        let mut s = inner.trim_start_matches(' ');
        while !s.is_empty() {
            let (item, rest) = flow_scalar(s, false)?;
            if !item.ignorable() {
                return Err(Decline);
            }
            self.node()?;
            s = match rest.trim_start_matches(' ') {
                "" => "",
                r => {
                    let next = r.strip_prefix(',').ok_or(Decline)?.trim_start_matches(' ');
                    if next.is_empty() {
                        return Err(Decline);
                    }
                    next
                }
            };
        }
        self.depth -= 1;
        Ok(())
    }

    fn block_seq(&mut self, indent: usize) -> Scan<()> {
        self.enter()?;
        while let Some(line) = self.peek()? {
            if line.indent < indent {
                break;
            }
            let Kind::Item(value) = line.kind else {
                return Err(Decline);
            };
            if line.indent > indent {
                return Err(Decline);
            }
            self.bump();
            self.skip_value(value, line.no)?;
        }
        self.depth -= 1;
        Ok(())
    }

    fn nested(&mut self, e: &Entry<'a>) -> Scan<Nested> {
        Ok(match self.peek()? {
            Some(l) if l.indent > e.indent => match l.kind {
                Kind::Entry(..) => Nested::Map(l.indent),
                Kind::Item(_) => Nested::Seq(l.indent),
            },
            _ => Nested::Null,
        })
    }

    fn done<T>(&mut self, value: T) -> Scan<T> {
        self.consumed = true;
        Ok(value)
    }

    /// The scalar of `e`, or `None` for a null; a collection declines
    /// (serde's `Option<String>`).
    pub(super) fn opt_str(&mut self, e: Entry<'a>) -> Scan<Option<Cow<'a, str>>> {
        let text = match e.value {
            Some(Value::Scalar(s)) if s.is_null() => None,
            Some(Value::Scalar(s)) => Some(s.text()),
            Some(_) => return Err(Decline),
            None => match self.nested(&e)? {
                Nested::Null => None,
                _ => return Err(Decline),
            },
        };
        self.node()?;
        self.done(text)
    }

    /// The scalar of `e`; a null declines (serde's `String`).
    pub(super) fn str(&mut self, e: Entry<'a>) -> Scan<Cow<'a, str>> {
        self.opt_str(e)?.ok_or(Decline)
    }

    /// `true`, `false` or null (serde's `Option<bool>`; other spellings of
    /// booleans decline).
    pub(super) fn opt_bool(&mut self, e: Entry<'a>) -> Scan<Option<bool>> {
        let b = match e.value {
            Some(Value::Scalar(s)) if s.is_null() => None,
            Some(Value::Scalar(s)) if s.style == Style::Plain && s.raw == "true" => Some(true),
            Some(Value::Scalar(s)) if s.style == Style::Plain && s.raw == "false" => Some(false),
            Some(_) => return Err(Decline),
            None => match self.nested(&e)? {
                Nested::Null => None,
                _ => return Err(Decline),
            },
        };
        self.node()?;
        self.done(b)
    }

    /// A scalar read through `deserialize_any` into a string: a string, or
    /// `None` for a null; numbers, booleans and collections decline.
    pub(super) fn opt_any_str(&mut self, e: Entry<'a>) -> Scan<Option<Cow<'a, str>>> {
        match e.value {
            Some(Value::Scalar(s)) if !s.is_null() && !s.is_string() => Err(Decline),
            _ => self.opt_str(e),
        }
    }

    /// Whether the value of `e` is a mapping (not null, not a scalar).
    pub(super) fn is_map(&mut self, e: &Entry<'a>) -> Scan<bool> {
        Ok(match e.value {
            Some(Value::FlowMap(_)) => true,
            Some(_) => false,
            None => matches!(self.nested(e)?, Nested::Map(_)),
        })
    }

    /// The mapping of `e`, entry by entry to `f`: `true`, or `false` for a
    /// null; a scalar or sequence declines.
    pub(super) fn map<F>(&mut self, e: Entry<'a>, mut f: F) -> Scan<bool>
    where
        F: FnMut(&mut Cursor<'a>, Entry<'a>) -> Scan<()>,
    {
        let present = match e.value {
            Some(Value::FlowMap(inner)) => {
                self.flow_map(inner, e.line, &mut f)?;
                true
            }
            Some(Value::Scalar(s)) if s.is_null() => {
                self.node()?;
                false
            }
            Some(_) => return Err(Decline),
            None => match self.nested(&e)? {
                Nested::Null => {
                    self.node()?;
                    false
                }
                Nested::Map(indent) => {
                    self.block_map(indent, &mut f)?;
                    true
                }
                Nested::Seq(_) => return Err(Decline),
            },
        };
        self.done(present)
    }

    /// Skips the value of `e`, checking that serde-saphyr would read it.
    pub(super) fn skip(&mut self, e: Entry<'a>) -> Scan<()> {
        match e.value {
            Some(v) => self.skip_value(v, e.line)?,
            None => match self.nested(&e)? {
                Nested::Null => self.node()?,
                Nested::Map(indent) => self.block_map(indent, &mut |c, e| c.skip(e))?,
                Nested::Seq(indent) => self.block_seq(indent)?,
            },
        }
        self.done(())
    }

    fn skip_value(&mut self, v: Value<'a>, line: u32) -> Scan<()> {
        match v {
            Value::Scalar(s) if s.ignorable() => self.node(),
            Value::Scalar(_) => Err(Decline),
            Value::FlowMap(inner) => self.flow_map(inner, line, &mut |c, e| c.skip(e)),
            Value::FlowSeq(inner) => self.flow_seq(inner),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every scalar of a document, as `path = text` lines (`~` for null).
    fn dump(text: &str) -> Scan<Vec<String>> {
        fn walk<'a>(
            c: &mut Cursor<'a>,
            e: Entry<'a>,
            path: &str,
            out: &mut Vec<String>,
        ) -> Scan<()> {
            let path = format!("{path}/{}", e.key);
            if matches!(e.key, "cpu" | "list") {
                c.skip(e)?;
                out.push(format!("{path}@{} skipped", e.line));
            } else if c.is_map(&e)? {
                c.map(e, |c, e| walk(c, e, &path, out))?;
            } else {
                let v = c.opt_str(e)?;
                out.push(format!(
                    "{path}@{} = {}",
                    e.line,
                    v.as_deref().unwrap_or("~")
                ));
            }
            Ok(())
        }
        let mut out = Vec::new();
        Cursor::new(text)?.document(|c, e| walk(c, e, "", &mut out))?;
        Ok(out)
    }

    #[test]
    fn reads_the_regular_shape() {
        let text = "# top\nlockfileVersion: '9.0'\n\na:\n  'b@1':\n    resolution: {integrity: sha512-x==, tarball: https://h/t.tgz}\n    engines: {node: '>=6'}\n    cpu: [x64, arm]\n\n  \"c\":\n    x: it''s\n    y: 'it''s'\n    z: ~\n    list:\n      - one\n      - 'two'\n    empty: {}\n  d:\nb: \"q: r\"\r\n";
        let got = dump(text).unwrap();
        assert_eq!(
            got,
            [
                "/lockfileVersion@2 = 9.0",
                "/a/b@1/resolution/integrity@6 = sha512-x==",
                "/a/b@1/resolution/tarball@6 = https://h/t.tgz",
                "/a/b@1/engines/node@7 = >=6",
                "/a/b@1/cpu@8 skipped",
                "/a/c/x@11 = it''s",
                "/a/c/y@12 = it's",
                "/a/c/z@13 = ~",
                "/a/c/list@14 skipped",
                "/a/d@18 = ~",
                "/b@19 = q: r",
            ]
        );
    }

    #[test]
    fn declines_what_it_does_not_know() {
        let cases = [
            "",
            "# only a comment\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: b\n  continued\n",
            "a: 'two\n  lines'\n",
            "a: \"esc\\n\"\n",
            "a: b # comment\n",
            "a: # comment\n  b: c\n",
            "---\na: b\n",
            "a: b\n...\n",
            "a: b\n... c: d\n",
            "a:\n\tb: c\n",
            "a: caf\u{e9}\n",
            "\u{feff}a: b\n",
            "a: 1\na: 2\n",
            "a: 1\n'a': 2\n",
            "a: {x: 1, x: 2}\n",
            "a: {x: {y: z}}\n",
            "a: {x: y\n",
            "a: {x: y,}\n",
            "a:\n    b: 1\n  c: 2\n",
            "a:\n- x\n",
            "a:\n  - b: c\n",
            "a:\n  -\n    b\n",
            "? a\n: b\n",
            "a : b\n",
            "1: a\n",
            "~: a\n",
            "<<: {a: b}\n",
            "cpu: .inf\n",
            "cpu: [1e400]\n",
            "a: b: c\n",
            "a: b:\n",
            "- a\n",
            "  a: b\n",
            "a: b\rc: d\n",
            "a: [[x]]\n",
        ];
        for text in cases {
            assert_eq!(dump(text), Err(Decline), "{text:?}");
        }
    }

    #[test]
    fn scalar_types() {
        for s in [
            "1", "-2", "1.0", "1e3", "0x1F", ".inf", "-.Nan", "1_000", "5.",
        ] {
            assert!(maybe_number(s), "{s}");
        }
        for s in ["1.0.0", "10c0", "1.2.3-beta", "x1", "v1", "1.0.0_a@1", ""] {
            assert!(!maybe_number(s), "{s}");
        }
        for s in ["y", "N", "tRue", "off", "YES"] {
            assert!(is_bool_like(s), "{s}");
        }
        let plain = |raw| Scalar {
            raw,
            style: Style::Plain,
        };
        assert!(plain("5.4").ignorable());
        assert!(!plain("1e400").ignorable());
        assert!(plain("sha512-abc").is_string());
        assert!(!plain("1.0").is_string());
        assert!(!plain("null").is_string());
        assert!(
            Scalar {
                raw: "1.0",
                style: Style::Single
            }
            .is_string()
        );
    }

    #[test]
    fn duplicate_keys_in_or_out_of_order() {
        let keys: Vec<String> = (0..100).map(|i| format!("k{i:03}")).collect();
        for order in [false, true] {
            let mut list: Vec<&str> = keys.iter().map(String::as_str).collect();
            if order {
                list.reverse();
            }
            let mut k = Keys::new();
            for key in &list {
                assert_eq!(k.insert(key), Ok(()));
            }
            for key in [list[0], list[7], list[50], list[99]] {
                assert_eq!(k.insert(key), Err(Decline), "{key}");
            }
        }
        let mut k = Keys::new();
        for key in ["b", "c", "a", "d"] {
            assert_eq!(k.insert(key), Ok(()));
        }
        assert_eq!(k.insert("c"), Err(Decline));
    }

    #[test]
    fn node_budget() {
        // One node per two bytes, the densest text the scanner reads: at the
        // budget it declines, under it it reads.
        let flow = |n: usize| format!("cpu: [{}]\n", vec!["a"; n].join(","));
        assert_eq!(dump(&flow(260_000)), Err(Decline));
        assert_eq!(dump(&flow(130_000)).map(|v| v.len()), Ok(1));
        // Ordinary lines are far under it, however many (600,000 nodes).
        let mut text = String::new();
        for i in 0..300_000 {
            text.push_str(&format!("k{i}: v\n"));
        }
        assert_eq!(dump(&text).map(|v| v.len()), Ok(300_000));
    }
}
