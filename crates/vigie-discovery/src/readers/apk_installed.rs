//! The apk installed database of Alpine Linux (`/lib/apk/db/installed`).
//!
//! Found in container images and root file systems. The name `installed`
//! is too common to claim, so the file is recognised by [`sniff`]: named
//! `installed` and starting with a `C:` (checksum) or `P:` (package) line.
//!
//! Records, separated by blank lines, of `X:value` lines with a one-letter
//! key. Every record is an installed package: `P` its name (whose line is
//! the component's line), `V` its version, `L` its licence, `o` its origin
//! (the aports package it was built from, which Alpine advisories name:
//! noted when it differs), `D` its dependencies and `p` what it provides
//! (`so:libc.musl-x86_64.so.1=1`, `cmd:busybox=...`), which give the edges.
//! File entries (`F`, `R`, `Z`, `a`, `M`) are not read.
//!
//! Lines that are not `X:value` are reported once (with the first such
//! line). A record without `P` is reported and skipped; one without `V` is an
//! unresolved component. Relations are unknown: the database does not say
//! which packages were asked for.

use std::collections::HashMap;

use vigie_model::{Code, Component, Ecosystem};

use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "apk-installed",
    description: "apk installed database (Alpine)",
    ecosystem: Some(Ecosystem::Alpine),
    matches: |_| false,
    sniff: Some(sniff),
    read,
};

/// A file named `installed` whose first line is a `C:` or `P:` line.
pub fn sniff(name: &str, head: &[u8]) -> bool {
    if name != "installed" {
        return false;
    }
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    head.get(start..)
        .is_some_and(|h| h.starts_with(b"C:") || h.starts_with(b"P:"))
}

#[derive(Default)]
struct Record<'a> {
    first_line: u32,
    any_field: bool,
    name: Option<(&'a str, u32)>,
    version: Option<&'a str>,
    licence: Option<&'a str>,
    origin: Option<&'a str>,
    depends: Option<&'a str>,
    provides: Option<&'a str>,
}

/// Every record of the file, and the lines that could not be read.
fn records(text: &str) -> (Vec<Record<'_>>, Vec<u32>) {
    let mut recs = Vec::new();
    let mut bad = Vec::new();
    let mut cur: Option<Record<'_>> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        if raw.trim().is_empty() {
            if let Some(r) = cur.take() {
                recs.push(r);
            }
            continue;
        }
        let r = cur.get_or_insert_with(|| Record {
            first_line: line,
            ..Record::default()
        });
        let b = raw.as_bytes();
        let key = match (b.first(), b.get(1), raw.get(2..)) {
            (Some(&k), Some(b':'), Some(value)) if k.is_ascii_alphabetic() => (k, value.trim()),
            _ => {
                bad.push(line);
                continue;
            }
        };
        r.any_field = true;
        let (key, value) = key;
        match key {
            b'P' => r.name = Some((value, line)),
            b'V' => r.version = Some(value),
            b'L' => r.licence = Some(value),
            b'o' => r.origin = Some(value),
            b'D' => r.depends = Some(value),
            b'p' => r.provides = Some(value),
            _ => {}
        }
    }
    if let Some(r) = cur.take() {
        recs.push(r);
    }
    (recs, bad)
}

/// The name of a dependency or provided item: `so:libc.so=1` → `so:libc.so`.
fn dep_name(token: &str) -> &str {
    let t = token.trim_start_matches('!');
    let end = t.find(['<', '>', '=', '~']).unwrap_or(t.len());
    &t[..end]
}

fn read(input: &Input<'_>, out: &mut Output) {
    let (recs, bad) = records(input.text);
    let mut names: HashMap<&str, u32> = HashMap::new();
    let mut provided: HashMap<&str, u32> = HashMap::new();
    let mut wanted: Vec<(u32, &str)> = Vec::new();
    for r in &recs {
        if !r.any_field {
            continue; // nothing but unreadable lines, reported below
        }
        let Some((name, line)) = r.name.filter(|(n, _)| !n.is_empty()) else {
            out.error(
                Code::MissingName,
                "a record has no `P:` (package name); skipped",
            )
            .line = Some(r.first_line);
            continue;
        };
        let line = Some(line);
        let version = r.version.filter(|v| !v.is_empty());
        let origin = r
            .origin
            .filter(|o| !o.is_empty() && *o != name)
            .map(|o| format!("origin {o}"));
        let mut c = Component::new(Ecosystem::Alpine, name, version)
            .with_line(line)
            .with_licence(r.licence.map(str::to_owned));
        if version.is_none() {
            out.warning(Code::UnresolvedVersion, format!("`{name}` has no `V:`"))
                .line = line;
            c = c.with_note(match origin {
                Some(o) => format!("no version in the database; {o}"),
                None => "no version in the database".to_owned(),
            });
        } else if let Some(o) = origin {
            c = c.with_note(o);
        }
        let i = out.push(c);
        names.entry(name).or_insert(i);
        for p in r.provides.into_iter().flat_map(str::split_whitespace) {
            provided.entry(dep_name(p)).or_insert(i);
        }
        if let Some(d) = r.depends {
            wanted.push((i, d));
        }
    }
    for (from, deps) in wanted {
        let mut seen = Vec::new();
        for d in deps.split_whitespace().filter(|d| !d.starts_with('!')) {
            let n = dep_name(d);
            if let Some(&to) = names.get(n).or_else(|| provided.get(n))
                && to != from
                && !seen.contains(&to)
            {
                seen.push(to);
                out.depend(from, to);
            }
        }
    }
    if let Some(&first) = bad.first() {
        let msg = if bad.len() == 1 {
            "a line is not a `X:value` line".to_owned()
        } else {
            format!(
                "{} lines are not `X:value` lines (first at line {first})",
                bad.len()
            )
        };
        out.error(Code::InvalidSyntax, msg).line = Some(first);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_str(text: &str) -> Output {
        read_file_as(&READER, "installed", text, &MemorySource::new())
    }

    #[test]
    fn sniffs_only_installed_databases() {
        assert!(sniff("installed", b"C:Q1abc=\nP:musl\n"));
        assert!(sniff("installed", b"P:musl\n"));
        assert!(!sniff("installed", b"yes, it is installed\n"));
        assert!(!sniff("status", b"P:musl\n"));
    }

    #[test]
    fn records_licences_origins_and_edges() {
        let text = "\
C:Q1Pk7x1woArbB1nzkMPJPq1TECwus=
P:musl
V:1.2.3-r4
L:MIT
o:musl
p:so:libc.musl-x86_64.so.1=1
F:lib
R:libc.musl-x86_64.so.1

C:Q1abc=
P:libcrypto3
V:3.0.7-r0
L:Apache-2.0
o:openssl
D:so:libc.musl-x86_64.so.1 !libcrypto1.1
p:so:libcrypto.so.3=3

P:apk-tools
V:2.12.10-r1
D:musl>=1.2 libcrypto3 so:libcrypto.so.3 missing

P:nover
";
        let out = read_str(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.purl.as_str(),
                    c.line,
                    c.licence.as_deref(),
                    c.note.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("pkg:apk/alpine/musl@1.2.3-r4", Some(2), Some("MIT"), None),
                (
                    "pkg:apk/alpine/libcrypto3@3.0.7-r0",
                    Some(11),
                    Some("Apache-2.0"),
                    Some("origin openssl")
                ),
                ("pkg:apk/alpine/apk-tools@2.12.10-r1", Some(18), None, None),
                (
                    "pkg:apk/alpine/nover",
                    Some(22),
                    None,
                    Some("no version in the database")
                ),
            ]
        );
        assert_eq!(out.dependencies, [(1, 0), (2, 0), (2, 1)]);
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(codes, [("unresolved-version", Some(22))]);
    }

    #[test]
    fn malformed_records() {
        let text = "\nnot a record\n\nZ:Q1abc=\nF:etc\nV:1.0\n\nno version\nP:busybox\n";
        let out = read_str(text);
        assert_eq!(out.components.len(), 1);
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [
                ("missing-name", Some(4)),
                ("unresolved-version", Some(9)),
                ("invalid-syntax", Some(2))
            ]
        );
        let out = read_str("");
        assert!(out.components.is_empty() && out.diagnostics.is_empty());
    }
}
