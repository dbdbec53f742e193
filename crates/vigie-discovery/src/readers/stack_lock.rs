//! `stack.yaml.lock` (Haskell, written by Stack; also `stack-*.yaml.lock`
//! for alternative `stack-*.yaml` files).
//!
//! A YAML document with two lists. `packages` holds the immutable packages
//! that `stack.yaml` adds to its snapshot (extra-deps and the packages of
//! local snapshot layers), each with its `original` location as written and
//! its `completed` location as Stack resolved it:
//!
//! ```text
//! packages:
//! - completed:
//!     hackage: acme-missiles-0.3@sha256:2ba66a...,613
//!     pantry-tree: {sha256: 614bc0..., size: 226}
//!   original:
//!     hackage: acme-missiles-0.3
//! - completed:
//!     commit: 1fde661d897c500534769960584b29e8c39e8abb
//!     git: git@github.com:bitnomial/prometheus.git
//!     name: prometheus
//!     version: 2.2.2
//!   original: {git: git@github.com:bitnomial/prometheus.git, commit: 1fde661...}
//! snapshots:
//! - completed: {sha256: ..., size: 640060, url: https://.../lts/19/19.yaml}
//!   original: lts-19.19
//! ```
//!
//! The `completed` location is read, else the `original` one. A `hackage:`
//! location is `name-version[@sha256:hash,size | @rev:n]`; git, GitHub and
//! archive locations carry `name` and `version` once completed, and are
//! noted with their origin. A location that names no package (an
//! uncompleted git `original`) is reported, as nothing names it. The
//! `snapshots` are package sets, not components (their packages are not in
//! the file). The file says neither which packages are direct nor the
//! project's name.

use serde::Deserialize;
use serde_saphyr::Spanned;
use vigie_model::{Code, Component, Ecosystem};

use super::util::{parse_yaml, wrong_shape};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "stack-lock",
    description: "stack.yaml.lock (Haskell / Stack)",
    ecosystem: Some(Ecosystem::Hackage),
    matches: |name| name.starts_with("stack") && name.ends_with(".yaml.lock"),
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock {
    #[serde(default)]
    packages: Option<Vec<Spanned<Entry>>>,
    #[serde(default)]
    snapshots: Option<serde::de::IgnoredAny>,
}

#[derive(Deserialize)]
struct Entry {
    #[serde(default)]
    completed: Option<Locations>,
    #[serde(default)]
    original: Option<Locations>,
}

/// One location, a list of them (early Stack 2 wrote lists for repositories
/// holding several packages), or a bare string.
#[derive(Deserialize)]
#[serde(untagged)]
enum Locations {
    One(Box<Location>),
    Many(Vec<Location>),
    Text(String),
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Location {
    hackage: Option<String>,
    name: Option<String>,
    version: Option<String>,
    git: Option<String>,
    hg: Option<String>,
    github: Option<String>,
    url: Option<String>,
    archive: Option<String>,
    commit: Option<String>,
    subdir: Option<String>,
}

/// Splits `name-1.2.3@sha256:...,613` into `("name", "1.2.3")`.
fn parse_hackage(s: &str) -> Option<(&str, &str)> {
    let ident = s.split('@').next().unwrap_or(s).trim();
    let (name, version) = ident.rsplit_once('-')?;
    let ok_version = !version.is_empty()
        && version.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !version.starts_with('.');
    (ok_version && !name.is_empty()).then_some((name, version))
}

fn read(input: &Input<'_>, out: &mut Output) {
    let blank = input.text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#')
    });
    if blank {
        return;
    }
    let Some(lock) = parse_yaml::<Lock>(input, out) else {
        return;
    };
    let Some(packages) = lock.packages else {
        if lock.snapshots.is_none() {
            wrong_shape(
                out,
                "a stack.yaml.lock has `packages` and `snapshots` lists",
            );
        }
        return;
    };
    for entry in packages {
        let line = u32::try_from(entry.referenced.line())
            .ok()
            .filter(|&l| l > 0);
        let e = entry.value;
        let locations = match e.completed.or(e.original) {
            Some(Locations::One(l)) => vec![*l],
            Some(Locations::Many(ls)) => ls,
            Some(Locations::Text(t)) => vec![Location {
                hackage: Some(t),
                ..Location::default()
            }],
            None => Vec::new(),
        };
        if locations.is_empty() {
            out.warning(Code::MissingName, "a package of the lock has no location")
                .line = line;
        }
        for loc in locations {
            read_location(loc, line, out);
        }
    }
}

fn read_location(loc: Location, line: Option<u32>, out: &mut Output) {
    if let Some(h) = &loc.hackage {
        match parse_hackage(h) {
            Some((name, version)) => {
                out.push(Component::new(Ecosystem::Hackage, name, Some(version)).with_line(line));
            }
            None => {
                out.warning(
                    Code::InvalidReference,
                    format!("`{h}` is not a `name-version` Hackage package"),
                )
                .line = line;
            }
        }
        return;
    }
    let origin = if let Some(g) = loc.git.as_ref().or(loc.hg.as_ref()) {
        let mut n = format!("from {} {g}", if loc.git.is_some() { "git" } else { "hg" });
        if let Some(c) = &loc.commit {
            n.push_str(&format!(" at {c}"));
        }
        n
    } else if let Some(g) = &loc.github {
        let mut n = format!("from GitHub {g}");
        if let Some(c) = &loc.commit {
            n.push_str(&format!(" at {c}"));
        }
        n
    } else if let Some(u) = loc.url.as_ref().or(loc.archive.as_ref()) {
        format!("from the archive {u}")
    } else {
        "from an unknown location".to_owned()
    };
    let origin = match loc.subdir.as_deref().filter(|s| !s.is_empty() && *s != ".") {
        Some(s) => format!("{origin} (folder {s})"),
        None => origin,
    };
    let Some(name) = loc.name.as_deref().map(str::trim).filter(|n| !n.is_empty()) else {
        out.warning(
            Code::MissingName,
            format!("a package {origin} is not completed: nothing names it"),
        )
        .line = line;
        return;
    };
    let version = loc
        .version
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty());
    let mut c = Component::new(Ecosystem::Hackage, name, version).with_line(line);
    if version.is_none() {
        c = c.with_note(format!("no version; {origin}"));
        out.warning(Code::UnresolvedVersion, format!("`{name}` has no version"))
            .line = line;
    } else {
        c = c.with_note(origin);
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_str(text: &str) -> Output {
        read_file_as(&READER, "stack.yaml.lock", text, &MemorySource::new())
    }

    #[test]
    fn hackage_names() {
        assert_eq!(
            parse_hackage("optparse-applicative-0.18.1.0@sha256:b4cf,5132"),
            Some(("optparse-applicative", "0.18.1.0"))
        );
        assert_eq!(parse_hackage("foo-1.0@rev:2"), Some(("foo", "1.0")));
        assert_eq!(parse_hackage("acme-missiles"), None);
        assert_eq!(parse_hackage("-1.0"), None);
    }

    #[test]
    fn hackage_git_archive_and_snapshots() {
        let text = "\
# This file was autogenerated by Stack.
packages:
- completed:
    hackage: acme-missiles-0.3@sha256:2ba66a092a32593880a87fb00f3213762d7bca65a687d45965778deb8694c5d1,613
    pantry-tree:
      sha256: 614bc0cca76937507ea0a5ccc17a504c997ce458d7f2f9e43b15a10c8eaeb033
      size: 226
  original:
    hackage: acme-missiles-0.3
- completed:
    commit: 1fde661d897c500534769960584b29e8c39e8abb
    git: git@github.com:bitnomial/prometheus.git
    name: prometheus
    pantry-tree:
      sha256: 904843022ed0eabaf4e3dfc8f36e28e7365788c91e1d471b1eba56e1fca7511d
      size: 1969
    version: 2.2.2
  original:
    commit: 1fde661d897c500534769960584b29e8c39e8abb
    git: git@github.com:bitnomial/prometheus.git
- original:
    git: https://github.com/example/nothing.git
    commit: abc
- completed:
    name: tarball
    version: 0.1.0.0
    url: https://example.com/tarball-0.1.tar.gz
    subdir: pkg
    sha256: 00
    size: 1
  original:
    url: https://example.com/tarball-0.1.tar.gz
snapshots:
- completed:
    sha256: 1867d84255dff8c87373f5dd03e5a5cb1c10a99587e26c8793e750c54e83ffdc
    size: 639139
    url: https://raw.githubusercontent.com/commercialhaskell/stackage-snapshots/master/lts/21/0.yaml
  original: lts-21.0
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
                ("pkg:hackage/acme-missiles@0.3", Some(3), None),
                (
                    "pkg:hackage/prometheus@2.2.2",
                    Some(10),
                    Some(
                        "from git git@github.com:bitnomial/prometheus.git at 1fde661d897c500534769960584b29e8c39e8abb"
                    )
                ),
                (
                    "pkg:hackage/tarball@0.1.0.0",
                    Some(24),
                    Some("from the archive https://example.com/tarball-0.1.tar.gz (folder pkg)")
                ),
            ]
        );
        let codes: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.line))
            .collect();
        assert_eq!(codes, [("missing-name", Some(21))]);
    }

    #[test]
    fn empty_and_bad_files() {
        for t in [
            "",
            "# only comments\n",
            "packages: []\nsnapshots: []\n",
            "snapshots:\n- original: lts-21.0\n",
        ] {
            let out = read_str(t);
            assert!(
                out.components.is_empty() && out.diagnostics.is_empty(),
                "{t:?}"
            );
        }
        let out = read_str("packages:\n- completed: [\n");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        let out = read_str("resolver: lts-21.0\n");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_str("packages:\n- completed:\n    hackage: nonsense\n");
        assert_eq!(out.diagnostics[0].code, "invalid-reference");
        assert_eq!(out.diagnostics[0].line, Some(2));
    }
}
