//! `cabal.project.freeze` (Haskell, written by `cabal freeze`).
//!
//! A cabal project file whose `constraints:` field pins every package of the
//! install plan, one constraint per comma-separated item, continued on
//! indented lines:
//!
//! ```text
//! active-repositories: hackage.haskell.org:merge
//! constraints: any.Cabal ==3.10.1.0,
//!              any.aeson ==2.1.2.1,
//!              aeson -cffi +ordered-keymap,
//!              setup.happy ==1.20.1.1,
//! index-state: hackage.haskell.org 2023-09-01T00:00:00Z
//! ```
//!
//! * `[qualifier.]name ==version` is a component. The qualifier is `any.`
//!   (or none) for library dependencies; `setup.`, `pkg:setup.` and
//!   `pkg:exe.` constrain the setup scripts and build tools of packages:
//!   those components are in the build scope.
//! * `name +flag -flag` only sets flags: not a component.
//! * `installed`, `source` or a range (`==1.0 || ==2.0`, as freeze files
//!   written for several compilers carry) pins no single version: the
//!   component is unresolved, with the constraint as its note.
//!
//! A package pinned twice at the same version (library and setup) is one
//! component, in the runtime scope. Other fields (`index-state`,
//! `active-repositories`, `package` stanzas) are not components; `--`
//! comments are skipped. Local packages are not in freeze files (only their
//! flags). The file does not say which packages are direct, nor name the
//! project.

use std::collections::HashMap;

use vigie_model::{Code, Component, Ecosystem, Scope};

use super::util::wrong_shape;
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "cabal-freeze",
    description: "cabal.project.freeze (Haskell / Hackage)",
    ecosystem: Some(Ecosystem::Hackage),
    matches: |name| name.starts_with("cabal.") && name.ends_with(".freeze"),
    sniff: None,
    read,
};

/// One comma-separated item of the `constraints` field, with its line.
struct Item {
    text: String,
    line: u32,
}

fn flush(current: &mut String, start: u32, items: &mut Vec<Item>) {
    let t = current.trim();
    if !t.is_empty() {
        items.push(Item {
            text: t.to_owned(),
            line: start,
        });
    }
    current.clear();
}

/// The items of every `constraints:` field of the file (top level only).
fn constraint_items(text: &str) -> (bool, Vec<Item>) {
    let mut items = Vec::new();
    let mut seen = false;
    let mut inside = false;
    let mut current = String::new();
    let mut start = 0u32;
    for (i, raw) in text.lines().enumerate() {
        let line = i as u32 + 1;
        let trimmed = raw.trim();
        if trimmed.starts_with("--") {
            continue;
        }
        let indented = raw.starts_with(|c: char| c.is_whitespace());
        let value = if !indented && !trimmed.is_empty() {
            // A new top-level field or stanza ends the previous field.
            flush(&mut current, start, &mut items);
            inside = false;
            match trimmed.split_once(':') {
                Some((field, v)) if field.trim().eq_ignore_ascii_case("constraints") => {
                    inside = true;
                    seen = true;
                    v
                }
                _ => continue,
            }
        } else if inside {
            trimmed
        } else {
            continue;
        };
        for (k, piece) in value.split(',').enumerate() {
            if k > 0 {
                flush(&mut current, start, &mut items);
            }
            if current.trim().is_empty() && !piece.trim().is_empty() {
                current.clear();
                start = line;
            }
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(piece.trim());
        }
    }
    flush(&mut current, start, &mut items);
    (seen, items)
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .split('-')
            .all(|w| !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric()))
        && name.chars().any(|c| c.is_ascii_alphabetic())
}

fn read(input: &Input<'_>, out: &mut Output) {
    let (seen, items) = constraint_items(input.text);
    if !seen {
        let blank = input.text.lines().all(|l| {
            let t = l.trim();
            t.is_empty() || t.starts_with("--")
        });
        if !blank {
            wrong_shape(out, "a cabal freeze file has a `constraints:` field");
        }
        return;
    }
    let mut seen_pins: HashMap<(String, Option<String>), u32> = HashMap::new();
    for item in items {
        let line = Some(item.line);
        let t = item.text.as_str();
        let end = t
            .find(|c: char| c.is_whitespace() || matches!(c, '=' | '<' | '>' | '^' | '|' | '&'))
            .unwrap_or(t.len());
        let (target, rest) = (&t[..end], t[end..].trim());
        let (qualifier, name) = match target.rsplit_once('.') {
            Some((q, n)) => (q, n),
            None => ("", target),
        };
        if !valid_name(name) {
            out.warning(
                Code::InvalidConstraint,
                format!("`{t}` does not start with a package name; skipped"),
            )
            .line = line;
            continue;
        }
        if rest.is_empty() || rest.starts_with(['+', '-']) {
            continue; // flags only
        }
        let scope = if qualifier.contains("setup") || qualifier.ends_with("exe") {
            Scope::Build
        } else {
            Scope::Runtime
        };
        let pinned = rest.strip_prefix("==").map(str::trim).filter(|v| {
            !v.is_empty()
                && v.chars().all(|c| c.is_ascii_digit() || c == '.')
                && !v.starts_with('.')
        });
        let key = (name.to_owned(), pinned.map(str::to_owned));
        if let Some(&i) = seen_pins.get(&key) {
            if scope == Scope::Runtime
                && let Some(c) = out.components.get_mut(i as usize)
            {
                c.scope = Scope::Runtime;
            }
            continue;
        }
        let mut c = Component::new(Ecosystem::Hackage, name, pinned)
            .with_scope(scope)
            .with_line(line);
        if pinned.is_none() {
            c = c.with_note(format!("constraint `{rest}` pins no single version"));
            out.warning(
                Code::UnresolvedVersion,
                format!("`{name}` is constrained by `{rest}`, not pinned"),
            )
            .line = line;
        }
        let i = out.push(c);
        seen_pins.insert(key, i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_str(text: &str) -> Output {
        read_file_as(&READER, "cabal.project.freeze", text, &MemorySource::new())
    }

    #[test]
    fn pins_flags_qualifiers_and_ranges() {
        let text = "\
active-repositories: hackage.haskell.org:merge
-- a comment, constraints: any.fake ==1.0
constraints: any.Cabal ==3.10.1.0, any.aeson ==2.1.2.1,
             aeson -cffi +ordered-keymap,
             setup.happy ==1.20.1.1,
             happy:exe.alex ==3.3.0.0,
             any.happy ==1.20.1.1,
             any.base installed,
             Cabal ==1.24.2.0 || ==2.0.1.0,
             zlib==0.6.3.0,
             any.zlib -bundled-c-zlib
index-state: hackage.haskell.org 2023-09-01T00:00:00Z
";
        let out = read_str(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.scope, c.line))
            .collect();
        assert_eq!(
            got,
            [
                ("Cabal", Some("3.10.1.0"), Scope::Runtime, Some(3)),
                ("aeson", Some("2.1.2.1"), Scope::Runtime, Some(3)),
                ("happy", Some("1.20.1.1"), Scope::Runtime, Some(5)),
                ("alex", Some("3.3.0.0"), Scope::Build, Some(6)),
                ("base", None, Scope::Runtime, Some(8)),
                ("Cabal", None, Scope::Runtime, Some(9)),
                ("zlib", Some("0.6.3.0"), Scope::Runtime, Some(10)),
            ]
        );
        assert_eq!(out.components[0].purl, "pkg:hackage/Cabal@3.10.1.0");
        assert_eq!(
            out.components[5].note.as_deref(),
            Some("constraint `==1.24.2.0 || ==2.0.1.0` pins no single version")
        );
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(
            codes,
            [
                ("unresolved-version", Some(8)),
                ("unresolved-version", Some(9))
            ]
        );
    }

    #[test]
    fn empty_odd_and_not_freeze_files() {
        for t in ["", "-- nothing\n", "constraints:\n"] {
            let out = read_str(t);
            assert!(
                out.components.is_empty() && out.diagnostics.is_empty(),
                "{t:?}"
            );
        }
        let out = read_str("packages: .\n");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_str("constraints: ==1.0, any.ok ==1\n");
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics[0].code, "invalid-constraint");
        // A stanza ends the field; its own constraints are not the freeze's.
        let out = read_str("constraints: any.a ==1\npackage b\n  constraints: any.c ==2\n");
        assert_eq!(out.components.len(), 1);
    }
}
