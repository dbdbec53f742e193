//! The dpkg status database of Debian and Ubuntu (`/var/lib/dpkg/status`).
//!
//! Found in container images and root file systems. The name `status` is
//! too common to claim, so the file is recognised by [`sniff`]: named
//! `status` and starting with a `Package:` paragraph.
//!
//! Paragraphs, separated by blank lines, of `Field: value` lines (continued
//! on lines starting with a blank). Each paragraph is one binary package:
//!
//! * `Status: want flag state`: a package is a component when its state is
//!   `installed` (or `triggers-awaited` / `triggers-pending`, installed and
//!   configured, waiting for triggers), whatever the error flag, unless it
//!   is marked for removal (`deinstall`, `purge`): so `install ok installed`
//!   and `hold ok installed` (held at its version) are, `deinstall ok
//!   config-files` and `install ok not-installed` are not. Half-installed,
//!   unpacked and half-configured packages are skipped with a
//!   `partially-installed` warning.
//! * `Package` is the name (its line is the component's line), `Version` the
//!   version, with its epoch kept (`1:2.36.1-8`).
//! * `Source: name (version)` names the source package, which Debian
//!   advisories are about: it is noted.
//! * `Depends` and `Pre-Depends` give the edges between installed packages.
//!
//! Lines that are neither fields nor continuations are reported once (with
//! the first such line); `#` lines are skipped as comments. A paragraph
//! without `Package` is reported and skipped. Relations are unknown: the
//! database does not say which packages were asked for.

use std::collections::HashMap;

use vigie_model::{Code, Component, Ecosystem};

use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "dpkg-status",
    description: "dpkg status database (Debian, Ubuntu)",
    ecosystem: Some(Ecosystem::Debian),
    matches: |_| false,
    sniff: Some(sniff),
    read,
};

/// A file named `status` whose first paragraph starts with `Package:`.
pub fn sniff(name: &str, head: &[u8]) -> bool {
    if name != "status" {
        return false;
    }
    let start = head
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(head.len());
    head.get(start..)
        .is_some_and(|h| h.starts_with(b"Package:"))
}

/// The fields of one paragraph that matter, with the line of `Package`.
#[derive(Default)]
struct Paragraph<'a> {
    first_line: u32,
    any_field: bool,
    package: Option<(&'a str, u32)>,
    version: Option<&'a str>,
    status: Option<&'a str>,
    source: Option<&'a str>,
    depends: Vec<&'a str>,
}

/// A field name: printable ASCII without blanks or `:`, not starting with `-` or `#`.
fn valid_field_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(['-', '#'])
        && name.bytes().all(|b| b.is_ascii_graphic() && b != b':')
}

/// Every paragraph of the file, and the lines that could not be read.
fn paragraphs(text: &str) -> (Vec<Paragraph<'_>>, Vec<u32>) {
    let mut paras = Vec::new();
    let mut bad = Vec::new();
    let mut cur: Option<Paragraph<'_>> = None;
    let mut in_field = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        if raw.trim().is_empty() {
            if let Some(p) = cur.take() {
                paras.push(p);
            }
            in_field = false;
            continue;
        }
        if raw.starts_with('#') {
            continue;
        }
        let p = cur.get_or_insert_with(|| Paragraph {
            first_line: line,
            ..Paragraph::default()
        });
        if raw.starts_with([' ', '\t']) {
            if !in_field {
                bad.push(line);
            }
            continue;
        }
        let Some((name, value)) = raw.split_once(':').filter(|(n, _)| valid_field_name(n)) else {
            bad.push(line);
            in_field = false;
            continue;
        };
        in_field = true;
        p.any_field = true;
        let value = value.trim();
        match name {
            "Package" => p.package = Some((value, line)),
            "Version" => p.version = Some(value),
            "Status" => p.status = Some(value),
            "Source" => p.source = Some(value),
            "Depends" | "Pre-Depends" => p.depends.push(value),
            _ => {}
        }
    }
    if let Some(p) = cur.take() {
        paras.push(p);
    }
    (paras, bad)
}

/// The package names of a `Depends` value (`a (>= 1), b:any | c`).
fn dependency_names(value: &str) -> impl Iterator<Item = &str> {
    value.split([',', '|']).filter_map(|alt| {
        let name = alt.trim().split([' ', '(', '[', '<']).next()?;
        let name = name.split(':').next()?;
        (!name.is_empty()).then_some(name)
    })
}

enum Installed {
    Yes,
    No,
    Partly(String),
    Invalid,
}

fn installed(status: &str) -> Installed {
    let words: Vec<&str> = status.split_whitespace().collect();
    let [want, _flag, state] = words.as_slice() else {
        return Installed::Invalid;
    };
    let known_want = matches!(
        *want,
        "unknown" | "install" | "hold" | "deinstall" | "purge"
    );
    match *state {
        _ if !known_want => Installed::Invalid,
        "installed" | "triggers-awaited" | "triggers-pending" => {
            if matches!(*want, "deinstall" | "purge") {
                Installed::No
            } else {
                Installed::Yes
            }
        }
        "not-installed" | "config-files" => Installed::No,
        "half-installed" | "unpacked" | "half-configured" => Installed::Partly((*state).to_owned()),
        _ => Installed::Invalid,
    }
}

fn read(input: &Input<'_>, out: &mut Output) {
    let (paras, bad) = paragraphs(input.text);
    let mut index: HashMap<&str, u32> = HashMap::new();
    let mut wanted: Vec<(u32, &Paragraph<'_>)> = Vec::new();
    for p in &paras {
        if !p.any_field {
            continue; // nothing but unreadable lines, reported below
        }
        let Some((name, line)) = p.package.filter(|(n, _)| !n.is_empty()) else {
            out.error(
                Code::MissingName,
                "a paragraph has no `Package` field; skipped",
            )
            .line = Some(p.first_line);
            continue;
        };
        let line = Some(line);
        match installed(p.status.unwrap_or("")) {
            Installed::Yes => {}
            Installed::No => continue,
            Installed::Partly(state) => {
                out.warning(
                    Code::PartiallyInstalled,
                    format!("`{name}` is {state}, not fully installed; skipped"),
                )
                .line = line;
                continue;
            }
            Installed::Invalid => {
                out.warning(
                    Code::InvalidStatus,
                    format!(
                        "`{name}` has the status `{}`, not `want flag state`; skipped",
                        p.status.unwrap_or("")
                    ),
                )
                .line = line;
                continue;
            }
        }
        let version = p.version.filter(|v| !v.is_empty());
        let mut note = p.source.filter(|s| !s.is_empty()).map(|s| {
            let (src, ver) = match s.split_once('(') {
                Some((n, v)) => (n.trim(), v.trim_end_matches(')').trim()),
                None => (s, version.unwrap_or("")),
            };
            if ver.is_empty() {
                format!("source package {src}")
            } else {
                format!("source package {src} {ver}")
            }
        });
        if version.is_none() {
            out.warning(
                Code::UnresolvedVersion,
                format!("`{name}` has no `Version`"),
            )
            .line = line;
            note = Some(match note {
                Some(n) => format!("no version in the database; {n}"),
                None => "no version in the database".to_owned(),
            });
        }
        let mut c = Component::new(Ecosystem::Debian, name, version).with_line(line);
        if let Some(n) = note {
            c = c.with_note(n);
        }
        let i = out.push(c);
        index.entry(name).or_insert(i);
        wanted.push((i, p));
    }
    for (from, p) in wanted {
        let mut seen = Vec::new();
        for d in p.depends.iter().flat_map(|v| dependency_names(v)) {
            if let Some(&to) = index.get(d)
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
            "a line is neither a `Field: value` line nor a continuation".to_owned()
        } else {
            format!(
                "{} lines are neither `Field: value` lines nor continuations (first at line {first})",
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
        read_file_as(&READER, "status", text, &MemorySource::new())
    }

    #[test]
    fn sniffs_only_status_files_with_packages() {
        assert!(sniff(
            "status",
            b"Package: bash\nStatus: install ok installed\n"
        ));
        assert!(sniff("status", b"\n\nPackage: bash\n"));
        assert!(!sniff("status", b"Build status: green\n"));
        assert!(!sniff("status", b""));
        assert!(!sniff("installed", b"Package: bash\n"));
        assert!(!sniff("status.txt", b"Package: bash\n"));
    }

    #[test]
    fn statuses_versions_sources_and_edges() {
        let text = "\
Package: bsdutils
Status: install ok installed
Source: util-linux (2.36.1-8+deb11u1)
Version: 1:2.36.1-8+deb11u1
Pre-Depends: libc6 (>= 2.17), libsystemd0
Description: basic utilities
 continuation: not a field

Package: libc6
Status: hold ok installed
Architecture: amd64
Source: glibc
Version: 2.31-13+deb11u5

Package: gone
Status: deinstall ok config-files
Version: 1.0

Package: half
Status: install ok unpacked
Version: 1.0

Package: removing
Status: deinstall ok installed
Version: 1.0

Package: trig
Status: install ok triggers-pending
Version: 2.0
Depends: libc6:any | musl, bsdutils

Package: nover
Status: install reinst-required installed

Package: weird
Status: bad-status
";
        let out = read_str(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.purl.as_str(), c.line, c.note.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:deb/debian/bsdutils@1:2.36.1-8%2Bdeb11u1",
                    Some(1),
                    Some("source package util-linux 2.36.1-8+deb11u1")
                ),
                (
                    "pkg:deb/debian/libc6@2.31-13%2Bdeb11u5",
                    Some(9),
                    Some("source package glibc 2.31-13+deb11u5")
                ),
                ("pkg:deb/debian/trig@2.0", Some(27), None),
                (
                    "pkg:deb/debian/nover",
                    Some(32),
                    Some("no version in the database")
                ),
            ]
        );
        assert_eq!(
            out.components[0].version.as_deref(),
            Some("1:2.36.1-8+deb11u1")
        );
        assert_eq!(out.dependencies, [(0, 1), (2, 1), (2, 0)]);
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [
                ("partially-installed", Some(19)),
                ("unresolved-version", Some(32)),
                ("invalid-status", Some(35)),
            ]
        );
    }

    #[test]
    fn malformed_paragraphs() {
        let text = "\
Malformed

Essential: yes
Status: install ok installed
Version: 1.0

# a comment
Package: ok
Status: install ok installed
Version: 1
 stray
not a field
";
        let out = read_str(text);
        assert_eq!(out.components.len(), 1);
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [("missing-name", Some(3)), ("invalid-syntax", Some(1))]
        );
        assert!(out.diagnostics[1].message.contains("2 lines"));
        for t in ["", "\n\n"] {
            let out = read_str(t);
            assert!(out.components.is_empty() && out.diagnostics.is_empty());
        }
    }
}
