//! `Pipfile.lock` (Pipenv, pipfile-spec 6).
//!
//! `default` holds the runtime packages, `develop` the dev ones, each a map
//! from name to `{ "version": "==1.2.3", ... }`. A package locked at the same
//! version in both is one runtime component. An entry without a `==` version
//! (a VCS checkout, a file URL) is unresolved and its source goes in the
//! note; `path` entries are the project's own code and are skipped. The lock
//! has no dependency graph and does not say which packages are direct.
//! Line numbers are not kept: the JSON parser does not give them.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use serde::Deserialize;
use vigie_model::{Code, Component, Ecosystem, Scope};

use super::lenient::{Lenient, keep_map};
use super::util::pep503_normalize as normalize;
use super::util::{parse_json_borrowed, wrong_shape};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "pipfile-lock",
    description: "Pipfile.lock (Pipenv)",
    ecosystem: Some(Ecosystem::PyPI),
    matches: |name| name == "Pipfile.lock",
    sniff: None,
    read,
};

type Section<'a> = BTreeMap<Cow<'a, str>, Lenient<'a, Entry<'a>>>;

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow)]
    default: Option<Section<'a>>,
    #[serde(borrow)]
    develop: Option<Section<'a>>,
}

#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow)]
    version: Option<Cow<'a, str>>,
    #[serde(borrow)]
    git: Option<Cow<'a, str>>,
    #[serde(borrow)]
    hg: Option<Cow<'a, str>>,
    #[serde(borrow)]
    svn: Option<Cow<'a, str>>,
    #[serde(borrow, rename = "ref")]
    reference: Option<Cow<'a, str>>,
    #[serde(borrow)]
    file: Option<Cow<'a, str>>,
    #[serde(borrow)]
    path: Option<Cow<'a, str>>,
}

fn read(input: &Input<'_>, out: &mut Output) {
    let Some(lock) = parse_json_borrowed::<Lock<'_>>(input.text, out) else {
        return;
    };
    if lock.default.is_none() && lock.develop.is_none() {
        wrong_shape(out, "neither `default` nor `develop`: not a Pipfile.lock");
        return;
    }
    let mut seen: HashSet<(String, Option<String>)> = HashSet::new();
    let sections = [
        (lock.default, Scope::Runtime, "default"),
        (lock.develop, Scope::Dev, "develop"),
    ];
    for (section, scope, field) in sections {
        let entries = keep_map(input.text, field, section.into_iter().flatten(), out);
        for (name, entry) in &entries {
            push(out, name, entry, scope, &mut seen);
        }
    }
}

fn push(
    out: &mut Output,
    name: &str,
    e: &Entry<'_>,
    scope: Scope,
    seen: &mut HashSet<(String, Option<String>)>,
) {
    let source = if let Some(vcs) = e.git.as_ref().or(e.hg.as_ref()).or(e.svn.as_ref()) {
        let at = e.reference.as_deref().unwrap_or("?");
        Some(format!("from {vcs} at {at}"))
    } else if let Some(file) = &e.file {
        Some(format!("from {file}"))
    } else if e.path.is_some() {
        // The project itself, or a local package of it.
        return;
    } else {
        None
    };
    let written = e.version.as_deref().map(str::trim).unwrap_or("");
    let pinned = written
        .strip_prefix("===")
        .or_else(|| written.strip_prefix("=="))
        .map(str::trim)
        .filter(|v| !v.is_empty() && !v.contains(['<', '>', '!', '~', '*', ',', '=']));
    if !seen.insert((normalize(name), pinned.map(str::to_owned))) {
        return;
    }
    let mut c = Component::new(Ecosystem::PyPI, name, pinned).with_scope(scope);
    match (pinned, source) {
        (Some(_), Some(source)) => c = c.with_note(source),
        (Some(_), None) => {}
        (None, source) => {
            let why = match (written, source) {
                ("", Some(s)) => format!("no version in the lock ({s})"),
                ("", None) => "no version in the lock".to_owned(),
                (w, Some(s)) => format!("version `{w}` is not a pin ({s})"),
                (w, None) => format!("version `{w}` is not a pin"),
            };
            out.warning(Code::UnresolvedVersion, format!("`{name}`: {why}"))
                .field = Some(format!(
                "{}.{name}",
                if scope == Scope::Dev {
                    "develop"
                } else {
                    "default"
                }
            ));
            c = c.with_note(why);
        }
    }
    out.push(c);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    fn read_text(text: &str) -> Output {
        read_file_as(&READER, "Pipfile.lock", text, &MemorySource::new())
    }

    #[test]
    fn sections_duplicates_and_sources() {
        let text = r#"{
  "_meta": {"pipfile-spec": 6},
  "default": {
    "itsdangerous": {"hashes": ["sha256:aa"], "index": "pypi", "version": "==2.1.2"},
    "pluggy": {"version": "==1.0.1"},
    "markupsafe": {"editable": true, "git": "https://github.com/pallets/markupsafe", "ref": "b3605411"},
    "app": {"editable": true, "path": "."},
    "wheel-pkg": {"file": "https://example.com/wheel_pkg-1.0-py3-none-any.whl"}
  },
  "develop": {
    "ItsDangerous": {"version": "==2.1.2"},
    "pluggy": {"version": "==1.0.0"},
    "weird": {"version": ">=1.0"}
  }
}"#;
        let out = read_text(text);
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| (c.name.as_str(), c.version.as_deref(), c.scope))
            .collect();
        assert_eq!(
            got,
            [
                ("itsdangerous", Some("2.1.2"), Scope::Runtime),
                ("markupsafe", None, Scope::Runtime),
                ("pluggy", Some("1.0.1"), Scope::Runtime),
                ("wheel-pkg", None, Scope::Runtime),
                ("pluggy", Some("1.0.0"), Scope::Dev),
                ("weird", None, Scope::Dev),
            ]
        );
        assert_eq!(
            out.components[1].note.as_deref(),
            Some("no version in the lock (from https://github.com/pallets/markupsafe at b3605411)")
        );
        assert_eq!(
            out.components[5].note.as_deref(),
            Some("version `>=1.0` is not a pin")
        );
        let diags: Vec<_> = out
            .diagnostics
            .iter()
            .map(|d| (d.code.as_str(), d.field.as_deref()))
            .collect();
        assert_eq!(
            diags,
            [
                ("unresolved-version", Some("default.markupsafe")),
                ("unresolved-version", Some("default.wheel-pkg")),
                ("unresolved-version", Some("develop.weird")),
            ]
        );
    }

    #[test]
    fn wrong_shapes() {
        let out = read_text("{}");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read_text("[1, 2]");
        assert_eq!(out.diagnostics[0].code, "invalid-syntax");
        let out = read_text("{\"default\": {\n\"a\": {\"version\": 3}}}");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        // One record of the wrong type is that record's error, not the file's.
        assert_eq!(out.diagnostics[0].line, Some(2));
    }
}
