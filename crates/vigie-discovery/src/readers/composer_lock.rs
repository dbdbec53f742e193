//! `composer.lock` (Composer 1.x and 2.x).
//!
//! `packages` are runtime components, `packages-dev` dev ones. Edges come
//! from each package's `require` (platform requirements such as `php` and
//! `ext-*` are not packages and give none). The `license` array is an SPDX
//! disjunction (Composer reads several licences as a choice): `MIT OR
//! GPL-3.0-only`.
//!
//! Versions are kept as the lock writes them, the package's own tag
//! (`v1.2.3`): the purl is `pkg:composer/vendor/name@v1.2.3`, as trivy and
//! syft write it and as the purl specification's "native version" asks.
//! Packagist advisories (GitHub, FriendsOfPHP) give versions without the
//! `v`: matching normalises, the identity does not (`vigie_versions`'
//! Composer scheme drops the `v` as Composer's `VersionParser` does, so
//! `v1.2.3` is `1.2.3` in every comparison). Before vigie kept the `v`, this
//! reader dropped it: triage decisions recorded on such finding keys still
//! apply (`vigie_findings::former_key`). Branch versions (`dev-main`,
//! `2.x-dev`) are kept, with the commit in the note.
//!
//! Path repositories (`dist.type = "path"`) are local code, not components.
//! The lock does not say which packages the project asks for itself: the
//! `composer.json` beside it is read for that (`require` and `require-dev`
//! keys are direct, the rest transitive); without it the relation is
//! unknown. Line numbers are not kept: the JSON parser does not give them.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;
use vigie_model::{Code, Component, Ecosystem, Relation, Scope};

use super::lenient::{Lenient, keep_list};
use super::util::{parse_json_borrowed, wrong_shape};
use crate::hash::{HashMap, HashSet};
use crate::{Input, Output, Reader};

pub const READER: Reader = Reader {
    id: "composer-lock",
    description: "composer.lock (Composer)",
    ecosystem: Some(Ecosystem::Packagist),
    matches: |name| name == "composer.lock",
    sniff: None,
    read,
};

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(borrow)]
    packages: Option<Vec<Lenient<'a, Package<'a>>>>,
    #[serde(borrow, rename = "packages-dev")]
    packages_dev: Option<Vec<Lenient<'a, Package<'a>>>>,
}

#[derive(Deserialize)]
struct Package<'a> {
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    version: Option<Scalar<'a>>,
    #[serde(borrow)]
    source: Option<Origin<'a>>,
    #[serde(borrow)]
    dist: Option<Origin<'a>>,
    #[serde(borrow, default)]
    require: BTreeMap<Cow<'a, str>, IgnoredAny>,
    #[serde(borrow)]
    license: Option<Licence<'a>>,
}

/// A version is a string, but hand-edited files have numbers.
#[derive(Deserialize)]
#[serde(untagged)]
enum Scalar<'a> {
    Text(#[serde(borrow)] Cow<'a, str>),
    Number(serde_json::Number),
    Other(IgnoredAny),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Licence<'a> {
    One(#[serde(borrow)] Cow<'a, str>),
    Many(#[serde(borrow)] Vec<Cow<'a, str>>),
    Other(IgnoredAny),
}

#[derive(Deserialize)]
struct Origin<'a> {
    #[serde(borrow, rename = "type")]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    reference: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct Manifest {
    #[serde(default)]
    require: BTreeMap<String, IgnoredAny>,
    #[serde(default, rename = "require-dev")]
    require_dev: BTreeMap<String, IgnoredAny>,
}

/// The names `composer.json` asks for, lower-cased, when it can be read.
fn project_requires(input: &Input<'_>) -> Option<HashSet<String>> {
    let (_, text) = input
        .files
        .read_relative(input.path, "composer.json")
        .ok()?;
    let m: Manifest = serde_json::from_str(&text).ok()?;
    Some(
        m.require
            .into_keys()
            .chain(m.require_dev.into_keys())
            .map(|k| k.to_ascii_lowercase())
            .collect(),
    )
}

fn read(input: &Input<'_>, out: &mut Output) {
    let Some(lock) = parse_json_borrowed::<Lock<'_>>(input.text, out) else {
        return;
    };
    if lock.packages.is_none() && lock.packages_dev.is_none() {
        wrong_shape(
            out,
            "neither `packages` nor `packages-dev`: not a composer.lock",
        );
        return;
    }
    let direct = project_requires(input);
    let sections = [
        (
            keep_list(
                input.text,
                "packages",
                lock.packages.unwrap_or_default(),
                out,
            ),
            Scope::Runtime,
            "packages",
        ),
        (
            keep_list(
                input.text,
                "packages-dev",
                lock.packages_dev.unwrap_or_default(),
                out,
            ),
            Scope::Dev,
            "packages-dev",
        ),
    ];
    let mut by_name: HashMap<String, u32> = HashMap::default();
    let mut pushed: Vec<(u32, &Package<'_>)> = Vec::new();
    for (packages, scope, field) in &sections {
        for (k, p) in packages {
            let Some(name) = p.name.as_deref().filter(|n| !n.trim().is_empty()) else {
                out.error(Code::UnexpectedContent, "a package without a name")
                    .field = Some(format!("{field}[{k}]"));
                continue;
            };
            if p.dist.as_ref().and_then(|d| d.kind.as_deref()) == Some("path") {
                continue;
            }
            let written = match &p.version {
                Some(Scalar::Text(v)) => Some(v.trim().to_owned()),
                Some(Scalar::Number(n)) => Some(n.to_string()),
                Some(Scalar::Other(_)) | None => None,
            }
            .filter(|v| !v.is_empty());
            let version = written.as_deref();
            let relation = match &direct {
                Some(d) if d.contains(&name.to_ascii_lowercase()) => Relation::Direct,
                Some(_) => Relation::Transitive,
                None => Relation::Unknown,
            };
            let mut c = Component::new(Ecosystem::Packagist, name, version)
                .with_scope(*scope)
                .with_relation(relation)
                .with_licence(licence(p.license.as_ref()));
            let origin = p.source.as_ref().or(p.dist.as_ref());
            match version {
                None => {
                    c = c.with_note("the lock gives no version");
                    out.warning(
                        Code::UnresolvedVersion,
                        format!("`{name}` has no version in the lock"),
                    )
                    .field = Some(format!("{field}[{k}]"));
                }
                Some(v) if v.starts_with("dev-") || v.ends_with("-dev") => {
                    let at = origin.and_then(|o| o.reference.as_deref()).unwrap_or("?");
                    c = c.with_note(format!("a development branch, at commit {at}"));
                }
                Some(_) => {}
            }
            let i = out.push(c);
            by_name.entry(name.to_ascii_lowercase()).or_insert(i);
            pushed.push((i, p));
        }
    }
    let mut edges = HashSet::default();
    for (from, p) in pushed {
        for dep in p.require.keys() {
            if let Some(&to) = by_name.get(&dep.to_ascii_lowercase())
                && to != from
                && edges.insert((from, to))
            {
                out.depend(from, to);
            }
        }
    }
}

/// Several licences are a choice: an SPDX `OR`.
fn licence(l: Option<&Licence<'_>>) -> Option<String> {
    let list: Vec<&str> = match l? {
        Licence::One(s) => vec![s.as_ref()],
        Licence::Many(v) => v.iter().map(|s| s.as_ref()).collect(),
        Licence::Other(_) => return None,
    };
    let list: Vec<&str> = list
        .into_iter()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    match list.as_slice() {
        [] => None,
        [one] => Some((*one).to_owned()),
        many => Some(
            many.iter()
                .map(|s| {
                    if s.contains(' ') && !(s.starts_with('(') && s.ends_with(')')) {
                        format!("({s})")
                    } else {
                        (*s).to_owned()
                    }
                })
                .collect::<Vec<_>>()
                .join(" OR "),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{MemorySource, read_file_as};

    const LOCK: &str = r#"{
    "packages": [
        {
            "name": "laravel/framework",
            "version": "v10.48.22",
            "source": {"type": "git", "url": "https://github.com/laravel/framework.git", "reference": "c4ea52bb"},
            "require": {"php": "^8.1", "ext-mbstring": "*", "Nette/Utils": "^4.0", "monolog/monolog": "^3.0"},
            "license": ["MIT"]
        },
        {
            "name": "nette/utils",
            "version": "v4.0.5",
            "license": ["BSD-3-Clause", "GPL-2.0-only", "GPL-3.0-only"]
        },
        {
            "name": "monolog/monolog",
            "version": "3.7.0",
            "license": "MIT"
        },
        {
            "name": "acme/fork",
            "version": "dev-main",
            "source": {"type": "git", "url": "https://github.com/acme/fork.git", "reference": "0a1b2c3d"},
            "license": ["MIT or Apache-2.0", "proprietary"]
        },
        {
            "name": "acme/local",
            "version": "dev-main",
            "dist": {"type": "path", "url": "./packages/local", "reference": "abc"}
        },
        {
            "name": "odd/number",
            "version": 1.5
        }
    ],
    "packages-dev": [
        {"name": "phpunit/phpunit", "version": "10.5.30", "require": {"nette/utils": "*"}},
        {"name": "no/version"}
    ]
}"#;

    #[test]
    fn sections_versions_licences_and_edges() {
        let out = read_file_as(&READER, "composer.lock", LOCK, &MemorySource::new());
        let got: Vec<_> = out
            .components
            .iter()
            .map(|c| {
                (
                    c.name.as_str(),
                    c.version.as_deref(),
                    c.scope,
                    c.licence.as_deref(),
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                (
                    "laravel/framework",
                    Some("v10.48.22"),
                    Scope::Runtime,
                    Some("MIT")
                ),
                (
                    "nette/utils",
                    Some("v4.0.5"),
                    Scope::Runtime,
                    Some("BSD-3-Clause OR GPL-2.0-only OR GPL-3.0-only")
                ),
                (
                    "monolog/monolog",
                    Some("3.7.0"),
                    Scope::Runtime,
                    Some("MIT")
                ),
                (
                    "acme/fork",
                    Some("dev-main"),
                    Scope::Runtime,
                    Some("(MIT or Apache-2.0) OR proprietary")
                ),
                ("odd/number", Some("1.5"), Scope::Runtime, None),
                ("phpunit/phpunit", Some("10.5.30"), Scope::Dev, None),
                ("no/version", None, Scope::Dev, None),
            ]
        );
        assert_eq!(
            out.components[0].purl,
            "pkg:composer/laravel/framework@v10.48.22"
        );
        assert_eq!(
            out.components[3].note.as_deref(),
            Some("a development branch, at commit 0a1b2c3d")
        );
        assert!(
            out.components
                .iter()
                .all(|c| c.relation == Relation::Unknown)
        );
        // `require` keys in sorted order; `Nette/Utils` finds `nette/utils`.
        assert_eq!(out.dependencies, [(0, 1), (0, 2), (5, 1)]);
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unresolved-version");
        assert_eq!(out.diagnostics[0].field.as_deref(), Some("packages-dev[1]"));
    }

    #[test]
    fn composer_json_beside_gives_direct_ones() {
        let files = MemorySource::new().with(
            "app/composer.json",
            r#"{"require": {"php": "^8.1", "Laravel/Framework": "^10"}, "require-dev": {"phpunit/phpunit": "^10"}}"#,
        );
        let out = read_file_as(&READER, "app/composer.lock", LOCK, &files);
        let direct: Vec<_> = out
            .components
            .iter()
            .filter(|c| c.relation == Relation::Direct)
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(direct, ["laravel/framework", "phpunit/phpunit"]);
        assert_eq!(out.components[1].relation, Relation::Transitive);
    }

    #[test]
    fn wrong_shapes() {
        let read = |t: &str| read_file_as(&READER, "composer.lock", t, &MemorySource::new());
        assert_eq!(read("{}").diagnostics[0].code, "unexpected-content");
        assert_eq!(read("[]").diagnostics[0].code, "invalid-syntax");
        let out = read(
            "{\"packages\": [{\"version\": \"1.0\"}, {\"name\": \"a/b\", \"version\": \"1\"}]}",
        );
        assert_eq!(out.components.len(), 1);
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        let out = read("{\n\"packages\": [\n{\"name\": 3}]}");
        assert_eq!(out.diagnostics[0].code, "unexpected-content");
        // One record of the wrong type is that record's error, not the file's.
        assert_eq!(out.diagnostics[0].line, Some(3));
    }
}
