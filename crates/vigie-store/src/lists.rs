//! Component lists and postings: how the store keeps millions of components small and fast.
//!
//! A project's components are one *list*: a blob of compact entries (package id, scope,
//! relation, line, licence, note, identity) stored once per distinct content in `lists`, and
//! shared by every project row, in every snapshot, whose components are the same (a rescan of
//! an unchanged repository writes no component at all). The who-uses index is the
//! *postings*: per package, the lists that contain it with the scope and relation they give it,
//! one blob per package and per batch of new lists.
//!
//! # List blob (format 1)
//!
//! `[1]` then per component: `varint package_id`, a flags byte (bits 0–2 scope code, bits 3–4
//! relation code, bit 5 line, bit 6 licence, bit 7 more), when `more` a second byte (bit 0
//! note, bit 1 identity), then the line as a varint and each present text as `varint length`
//! + UTF-8 bytes, in the order licence, note, identity.
//!
//! # Posting blob
//!
//! Per list: `varint (list_id - previous list_id)` (the first from 0) and one byte
//! `scope << 2 | relation`; list ids strictly increase, each list once (its first occurrence of
//! the package with the lowest scope and relation code).
//!
//! Decoding never trusts a blob: any inconsistency is [`Error::Corrupt`]. This module is the
//! formats only; storing lists and postings is the backend's (`sqlite/lists.rs`).

use crate::{Error, Result};

const FORMAT: u8 = 1;

/// The blob of an empty list.
pub(crate) fn empty() -> Vec<u8> {
    vec![FORMAT]
}

/// How a list blob is named in errors.
const LIST: &str = "component list";

/// One component of a list, borrowing its texts from the blob.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Entry<'a> {
    pub package: i64,
    pub scope: u8,
    pub relation: u8,
    pub line: Option<u32>,
    pub licence: Option<&'a str>,
    pub note: Option<&'a str>,
    /// JSON `[ecosystem, name, version]` when the reader's spelling differs from the package's.
    pub identity: Option<&'a str>,
}

impl<'a> Entry<'a> {
    /// The entry of component `c` stored as package `package` (`identity`: see the field).
    pub(crate) fn of(
        c: &'a vigie_model::Component,
        package: i64,
        identity: Option<&'a str>,
    ) -> Entry<'a> {
        Entry {
            package,
            scope: crate::storage::scope_code(c.scope) as u8,
            relation: crate::storage::relation_code(c.relation) as u8,
            line: c.line,
            licence: c.licence.as_deref(),
            note: c.note.as_deref(),
            identity,
        }
    }

    /// The posting byte of this entry: `scope << 2 | relation`.
    pub fn how(&self) -> u8 {
        (self.scope << 2) | (self.relation & 3)
    }
}

pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub(crate) fn put_text(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Starts a list blob.
pub(crate) fn begin(out: &mut Vec<u8>) {
    out.clear();
    out.push(FORMAT);
}

/// Appends one entry to a list blob started by [`begin`].
pub(crate) fn push(out: &mut Vec<u8>, e: &Entry<'_>) {
    put_varint(out, e.package as u64);
    let more = e.note.is_some() || e.identity.is_some();
    let flags = (e.scope & 7)
        | ((e.relation & 3) << 3)
        | (u8::from(e.line.is_some()) << 5)
        | (u8::from(e.licence.is_some()) << 6)
        | (u8::from(more) << 7);
    out.push(flags);
    if more {
        out.push(u8::from(e.note.is_some()) | (u8::from(e.identity.is_some()) << 1));
    }
    if let Some(l) = e.line {
        put_varint(out, u64::from(l));
    }
    for s in [e.licence, e.note, e.identity].into_iter().flatten() {
        put_text(out, s);
    }
}

/// A cursor over a blob of varints and texts; `what` names the blob in errors.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    at: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(data: &'a [u8], what: &'static str) -> Reader<'a> {
        Reader { data, at: 0, what }
    }

    pub(crate) fn corrupt(&self, msg: &str) -> Error {
        Error::Corrupt(format!("{}: {msg}", self.what))
    }

    pub(crate) fn byte(&mut self) -> Result<u8> {
        let b = *self
            .data
            .get(self.at)
            .ok_or_else(|| self.corrupt("truncated"))?;
        self.at += 1;
        Ok(b)
    }

    pub(crate) fn varint(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Ok(v);
            }
        }
        Err(self.corrupt("varint too long"))
    }

    /// A length-prefixed run of bytes, not checked as UTF-8.
    pub(crate) fn bytes(&mut self) -> Result<&'a [u8]> {
        let len = usize::try_from(self.varint()?).map_err(|_| self.corrupt("text length"))?;
        let end = self
            .at
            .checked_add(len)
            .filter(|&e| e <= self.data.len())
            .ok_or_else(|| self.corrupt("text past the end"))?;
        let b = self.data.get(self.at..end).unwrap_or_default();
        self.at = end;
        Ok(b)
    }

    pub(crate) fn text(&mut self) -> Result<&'a str> {
        let b = self.bytes()?;
        std::str::from_utf8(b).map_err(|_| self.corrupt("text not UTF-8"))
    }

    pub(crate) fn done(&self) -> bool {
        self.at >= self.data.len()
    }
}

/// Every entry of a list blob, in the order of the project's input.
pub(crate) fn decode(data: &[u8]) -> Result<Vec<Entry<'_>>> {
    let mut r = Reader::new(data, LIST);
    if r.byte()? != FORMAT {
        return Err(r.corrupt("unknown format"));
    }
    let mut out = Vec::new();
    while !r.done() {
        let package = i64::try_from(r.varint()?).map_err(|_| r.corrupt("package id"))?;
        let flags = r.byte()?;
        let more = if flags & 0x80 != 0 { r.byte()? } else { 0 };
        let line = if flags & 0x20 != 0 {
            Some(u32::try_from(r.varint()?).map_err(|_| r.corrupt("line"))?)
        } else {
            None
        };
        let licence = if flags & 0x40 != 0 {
            Some(r.text()?)
        } else {
            None
        };
        let note = if more & 1 != 0 { Some(r.text()?) } else { None };
        let identity = if more & 2 != 0 { Some(r.text()?) } else { None };
        out.push(Entry {
            package,
            scope: flags & 7,
            relation: (flags >> 3) & 3,
            line,
            licence,
            note,
            identity,
        });
    }
    Ok(out)
}

/// `(list id, how)` of each list in a posting blob.
pub(crate) fn decode_postings(data: &[u8], out: &mut Vec<(i64, u8)>) -> Result<()> {
    let mut r = Reader::new(data, "postings");
    let mut last = 0i64;
    while !r.done() {
        let delta = i64::try_from(r.varint()?).map_err(|_| r.corrupt("list id"))?;
        last = last
            .checked_add(delta)
            .ok_or_else(|| r.corrupt("list id overflow"))?;
        out.push((last, r.byte()?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn text() -> impl Strategy<Value = Option<String>> {
        proptest::option::of(".{0,40}")
    }

    prop_compose! {
        fn entry()(package in 0i64..i64::MAX, scope in 0u8..5, relation in 0u8..3,
                   line in proptest::option::of(any::<u32>()), licence in text(),
                   note in text(), identity in text())
                   -> (i64, u8, u8, Option<u32>, Option<String>, Option<String>, Option<String>) {
            (package, scope, relation, line, licence, note, identity)
        }
    }

    proptest! {
        #[test]
        fn a_list_decodes_to_what_was_encoded(entries in proptest::collection::vec(entry(), 0..50)) {
            let given: Vec<Entry<'_>> = entries
                .iter()
                .map(|(package, scope, relation, line, licence, note, identity)| Entry {
                    package: *package,
                    scope: *scope,
                    relation: *relation,
                    line: *line,
                    licence: licence.as_deref(),
                    note: note.as_deref(),
                    identity: identity.as_deref(),
                })
                .collect();
            let mut blob = Vec::new();
            begin(&mut blob);
            for e in &given {
                push(&mut blob, e);
            }
            prop_assert_eq!(decode(&blob).unwrap(), given);
        }

        #[test]
        fn arbitrary_bytes_decode_or_fail_without_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = decode(&bytes);
            let mut out = Vec::new();
            let _ = decode_postings(&bytes, &mut out);
        }
    }

    #[test]
    fn every_truncation_of_a_list_is_an_error_or_a_prefix() {
        let mut blob = Vec::new();
        begin(&mut blob);
        let e = Entry {
            package: 300_000,
            scope: 4,
            relation: 2,
            line: Some(70_000),
            licence: Some("Apache-2.0 OR MIT"),
            note: Some("é"),
            identity: Some(r#"["npm","A","1"]"#),
        };
        push(&mut blob, &e);
        push(&mut blob, &e);
        let whole = decode(&blob).unwrap();
        assert_eq!(whole.len(), 2);
        for cut in 0..blob.len() {
            match decode(&blob[..cut]) {
                // Cutting exactly after the first entry leaves a valid one-entry list.
                Ok(v) => assert!(v.len() < 2 && v.iter().all(|x| *x == e), "cut {cut}"),
                Err(Error::Corrupt(_)) => {}
                Err(other) => panic!("cut {cut}: {other}"),
            }
        }
    }
}

/// A stable 64-bit FNV-1a of a list blob, what a list is looked up by (stored: it must not
/// change between vigie versions).
pub(crate) fn fnv1a(data: &[u8]) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h as i64
}

/// The postings of new lists, gathered in memory while a snapshot is written and stored
/// by the backend at commit (one posting blob per package).
#[derive(Default)]
pub(crate) struct Postings {
    /// Per package: first new list id, last list id, the posting blob so far.
    postings: crate::FastMap<i64, (i64, i64, Vec<u8>)>,
    /// The (package, how) pairs of the list being added, reused.
    pairs: Vec<(i64, u8)>,
}

impl Postings {
    /// Adds list `id` (with ids increasing from call to call) to the postings of its packages.
    pub(crate) fn index(&mut self, id: i64, entries: impl Iterator<Item = (i64, u8)>) {
        self.pairs.clear();
        self.pairs.extend(entries);
        // The lowest scope and relation code first: one posting per package and list.
        self.pairs.sort_unstable();
        self.pairs.dedup_by_key(|p| p.0);
        for &(package, how) in &self.pairs {
            let (_, last, blob) = self
                .postings
                .entry(package)
                .or_insert_with(|| (id, 0, Vec::new()));
            put_varint(blob, id.saturating_sub(*last) as u64);
            blob.push(how);
            *last = id;
        }
    }

    /// Every package's `(package, first list, blob)`, by package, leaving none.
    pub(crate) fn drain(&mut self) -> Vec<(i64, i64, Vec<u8>)> {
        let mut packages: Vec<_> = self
            .postings
            .drain()
            .map(|(package, (first, _, blob))| (package, first, blob))
            .collect();
        packages.sort_unstable_by_key(|p| p.0);
        packages
    }
}

#[cfg(test)]
mod postings_tests {
    use super::*;

    #[test]
    fn postings_keep_one_entry_per_list_with_the_lowest_scope() {
        // List 5 holds package 1 twice (dev = scope 1, then runtime = scope 0); list 9 once.
        let mut w = Postings::default();
        w.index(5, [(1, 1 << 2), (1, 0), (2, 3)].into_iter());
        w.index(9, [(1, (1 << 2) | 1)].into_iter());
        let drained = w.drain();
        let (package, first, blob) = drained[0].clone();
        assert_eq!((package, first), (1, 5));
        let mut out = Vec::new();
        decode_postings(&blob, &mut out).unwrap();
        assert_eq!(out, [(5, 0), (9, 5)]);
        assert_eq!(drained[1].0, 2);
    }
}

/// The `identity` of a list entry: `None` when the package row (`ecosystem`, `name`,
/// `version`) gives back `c`'s spelling, else `c`'s as JSON `[ecosystem, name, version]`.
pub(crate) fn identity(
    c: &vigie_model::Component,
    ecosystem: &str,
    name: &str,
    version: Option<&str>,
) -> Result<Option<String>> {
    if ecosystem == c.ecosystem.as_str() && name == c.name && version == c.version.as_deref() {
        return Ok(None);
    }
    Ok(Some(serde_json::to_string(&(
        c.ecosystem,
        &c.name,
        &c.version,
    ))?))
}
